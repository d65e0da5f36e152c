"""Python, as MultiPL-E's ``humaneval-py``: the typed signature and the docstring as the
prompt, ``check(candidate)`` asserts, then ``test_check()``."""

from __future__ import annotations

import re
from typing import Any

from benchmarks.translate.base import LanguageTranslator, Translation
from benchmarks.translate.ir import (
    Call,
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


def default(t: Type) -> str:
    """A value of type `t` that a stub returns."""
    if isinstance(t, TInt):
        return "0"
    if isinstance(t, TFloat):
        return "0.0"
    if isinstance(t, TStr):
        return '""'
    if isinstance(t, TBool):
        return "False"
    if isinstance(t, TList):
        return "[]"
    if isinstance(t, TTuple):
        items = ", ".join(default(e) for e in t.elems)
        return f"({items},)" if len(t.elems) == 1 else f"({items})"
    if isinstance(t, TDict):
        return "{}"
    if isinstance(t, TUnion):
        return default(t.options[0])
    return "None"  # TOptional, TNone, TAny


def _all_tuples(values: list[Any]) -> bool:
    return bool(values) and all(isinstance(v, tuple) for v in values)


def _docstring(description: str) -> str:
    if not description:
        return ""
    quote = "'''" if '"""' in description else '"""'
    body = description.replace("\\", "\\\\")
    lines = [("    " + line) if line.strip() else "" for line in body.splitlines()]
    return f"    {quote}\n" + "\n".join(lines) + f"\n    {quote}\n"


def _test_line(call: Call, function: FunctionIR) -> str:
    args = ", ".join(repr(a) for a in call.args)
    tolerance = function.float_tolerance
    if tolerance is not None and isinstance(function.returns, TFloat):
        return f"    assert abs(candidate({args}) - {call.expected!r}) < {tolerance!r}"
    return f"    assert candidate({args}) == {call.expected!r}"


class PythonTranslator(LanguageTranslator):
    language = "py"
    version = "1"
    stop_tokens = STOP_TOKENS

    def translate(self, function: FunctionIR) -> Translation:
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
        prompt = header + signature + _docstring(function.description)
        tests = (
            "def check(candidate):\n"
            + "\n".join(_test_line(call, function) for call in function.tests)
            + f"\n\ndef test_check():\n    check({function.entry_point})\n\ntest_check()\n"
        )
        stub = f"    return {default(function.returns)}\n"
        return Translation(prompt=prompt, tests=tests, stop_tokens=STOP_TOKENS, stub_completion=stub)


TRANSLATOR = PythonTranslator()
