"""Python, as MultiPL-E's ``humaneval-py``: the typed signature and the docstring as the
prompt, ``check(candidate)`` asserts, then ``test_check()``."""

from __future__ import annotations

import re
from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
from benchmarks.translate.ir import FunctionIR, TList, Type

STOP_TOKENS = ("\ndef", "\n#", "\nif", "\nclass")


py_type = TypeSyntax(
    "Python", int="int", float="float", str="str", bool="bool", none="None", any="Any",
    list="List[{elem}]", tuple="Tuple[{elems}]", dict="Dict[{key}, {value}]",
    optional="Optional[{inner}]", union="Union[{options}]",
)


def hint(t: Type, as_tuple: bool = False) -> str:
    """The Python annotation of an IR type (``as_tuple``: a TList the tests fill with tuples)."""
    if as_tuple and isinstance(t, TList):
        return f"Tuple[{py_type(t.elem)}, ...]"
    return py_type(t)


def _all_tuples(values: list[Any]) -> bool:
    return bool(values) and all(isinstance(v, tuple) for v in values)


class PythonTranslator(Translator):
    language = "py"
    version = "2"
    stop_tokens = STOP_TOKENS

    def value(self, value: Any, type_: Type) -> str:
        return repr(value)

    def prompt(self, function: FunctionIR, description: str) -> str:
        hints = []
        for index, param in enumerate(function.params):
            tuples = isinstance(param.type, TList) and _all_tuples([c.args[index] for c in function.tests])
            hints.append(hint(param.type, tuples))
        returns_tuples = isinstance(function.returns, TList) and _all_tuples([c.expected for c in function.tests])
        returns = hint(function.returns, returns_tuples)
        params = ", ".join(f"{p.name}: {h}" for p, h in zip(function.params, hints, strict=True))
        signature = f"def {function.entry_point}({params}) -> {returns}:\n"
        used = sorted(set(re.findall(r"\b(Any|Dict|List|Optional|Tuple|Union)\b", " ".join([*hints, returns]))))
        lines = [*function.imports, *([f"from typing import {', '.join(used)}"] if used else [])]
        header = "\n".join(lines) + "\n\n" if lines else ""
        if description.endswith('"'):  # four quotes in a row would end the docstring early
            description = description[:-1] + '\\"'
        return header + signature + f'    """{description}"""\n'

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["def check(candidate):"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["", "def test_check():", f"    check({function.entry_point})", "", "test_check()", ""]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    assert {actual} == {expected}"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    assert abs({actual} - {expected}) < {tolerance!r}"

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)}\n"


TRANSLATOR = PythonTranslator()
