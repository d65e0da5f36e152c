"""Python, as MultiPL-E's ``humaneval-py``: the typed signature and the docstring as the
prompt, ``check(candidate)`` asserts, then ``test_check()``."""

from __future__ import annotations

import re
from typing import Any

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import (
    FunctionIR,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TNone,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Type,
)

STOP_TOKENS = ("\ndef", "\n#", "\nif", "\nclass")


def hint(t: Type, as_tuple: bool = False) -> str:
    """The Python annotation of an IR type (``as_tuple``: a TList the tests fill with tuples)."""
    if isinstance(t, TInt):
        return "int"
    if isinstance(t, TFloat):
        return "float"
    if isinstance(t, TStr):
        return "str"
    if isinstance(t, TBool):
        return "bool"
    if isinstance(t, TNone):
        return "None"
    if isinstance(t, TList):
        return f"Tuple[{hint(t.elem)}, ...]" if as_tuple else f"List[{hint(t.elem)}]"
    if isinstance(t, TTuple):
        return f"Tuple[{', '.join(hint(e) for e in t.elems)}]"
    if isinstance(t, TDict):
        return f"Dict[{hint(t.key)}, {hint(t.value)}]"
    if isinstance(t, TOptional):
        return f"Optional[{hint(t.inner)}]"
    if isinstance(t, TUnion):
        return f"Union[{', '.join(hint(o) for o in t.options)}]"
    return "Any"


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
