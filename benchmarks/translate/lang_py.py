"""Python, as MultiPL-E's ``humaneval-py``: the typed signature and the docstring as the
prompt, ``check(candidate)`` asserts, then ``test_check()``.

Values are written as MultiPL-E's ``gen_*`` write them: Python literals, with a dict as
``{ 'a': 1 }`` (spaces inside the braces). ``from typing import`` names what the signature
uses in the order it first uses it. The prompt keeps the problem's other imports
(``import math`` in HumanEval 115, which its canonical solution needs); upstream drops them
(an upstream bug, kept under ``upstream_bugs``).
"""

from __future__ import annotations

import re
from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
from benchmarks.translate.ir import FunctionIR, TList, TUnion, Type

STOP_TOKENS = ("\ndef", "\n#", "\nif", "\nclass")


def _optional(spell: TypeSyntax, t: Type) -> str:
    """``Optional[T]``; an optional union is written as one: ``Union[int, str, None]``."""
    inner = t.inner  # type: ignore[union-attr]
    if isinstance(inner, TUnion):
        return "Union[" + ", ".join(spell.inner(o) for o in inner.options) + ", None]"
    return f"Optional[{spell.inner(inner)}]"


py_type = TypeSyntax(
    "Python", int="int", float="float", str="str", bool="bool", none="None", any="Any",
    list="List[{elem}]", tuple="Tuple[{elems}]", dict="Dict[{key}, {value}]",
    optional=_optional,
    union="Union[{options}]",
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
    version = "3"
    stop_tokens = STOP_TOKENS

    def boolean(self, value: bool) -> str:
        return repr(value)

    def none(self) -> str:
        return "None"

    def string(self, value: str) -> str:
        return repr(value)

    def list_(self, items: list[str]) -> str:
        return "[" + ", ".join(items) + "]"

    def tuple_(self, items: list[str]) -> str:
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "{ " + ", ".join(f"{k}: {v}" for k, v in pairs) + " }"

    def prompt(self, function: FunctionIR, description: str) -> str:
        hints = []
        for index, param in enumerate(function.params):
            tuples = isinstance(param.type, TList) and _all_tuples([c.args[index] for c in function.tests])
            hints.append(hint(param.type, tuples))
        returns_tuples = isinstance(function.returns, TList) and _all_tuples([c.expected for c in function.tests])
        returns = hint(function.returns, returns_tuples)
        params = ", ".join(f"{p.name}: {h}" for p, h in zip(function.params, hints, strict=True))
        signature = f"def {function.entry_point}({params}) -> {returns}:\n"
        named = re.findall(r"\b(Any|Dict|List|Optional|Tuple|Union)\b", " ".join([*hints, returns]))
        used = list(dict.fromkeys(named))  # in the order the signature first names them
        imports = () if self.upstream_bugs else function.imports
        lines = [*imports, *([f"from typing import {', '.join(used)}"] if used else [])]
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
