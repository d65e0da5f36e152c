"""Small spelling helpers several language modules use: string escapes, comments, names.

Each is a fact about a family of languages (C's string escapes, MultiPL-E's way of turning a
docstring into line comments), not a rule of one language. A language that needs something
else writes its own in its module; changing one of these changes every language that uses it
(the translation snapshot test says which).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from typing import Any

from benchmarks.translate.generic import children, signature_types, walk
from benchmarks.translate.ir import (
    FunctionIR,
    TAny,
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
    Untranslatable,
    fits,
)

_C_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote(text: str) -> str:
    """A double-quoted string literal valid in C++, D, Go, Rust and Swift (no raw control characters)."""
    out = []
    for char in text:
        if char in _C_ESCAPES:
            out.append(_C_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            raise Untranslatable(f"control character {char!r} in a string")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def c_string(text: str) -> str:
    """A double-quoted literal with C-family escapes (Java, C#, Scala all read these)."""
    return '"' + "".join(_C_ESCAPES.get(ch, ch) for ch in text) + '"'


def finite_float(value: float) -> str:
    """Python's repr of a float, refusing inf and nan (no literal in the C family)."""
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        raise Untranslatable(f"float {text} has no literal")
    return text


_LINESTART = re.compile(r"\n(\s*)")


def line_comment(description: str, marker: str, first: str | None = None) -> str:
    """MultiPL-E's docstring-to-comment: every line start (blank lines folded, indentation
    dropped) gets `marker` and a space; `first` replaces the first line's ``marker + " "``."""
    start = marker + " " if first is None else first
    return start + _LINESTART.sub("\n" + marker + " ", description.strip()) + "\n"


def hint_nodes(function: FunctionIR) -> list[ast.AST]:
    """Every node of the annotations as the prompt writes them (``FunctionIR.hints``), for a
    language that, like its MultiPL-E translator, refuses a form rather than a type."""
    return [node for hint in function.hints if hint for node in ast.walk(ast.parse(hint, mode="eval"))]


def camel_case(name: str, capitalize_first: bool = False) -> str:
    """MultiPL-E's to_camel_case: ``has_close_elements`` -> ``hasCloseElements``."""
    parts = name.split("_")
    head = parts[0].title() if capitalize_first else parts[0]
    return head + "".join(part.title() for part in parts[1:])


def check_types(function: FunctionIR, allow: Callable[[Type], bool]) -> None:
    """Raise Untranslatable when a parameter or the return has a type the language lacks."""
    for where, type_ in signature_types(function):
        if not allow(type_):
            raise Untranslatable(f"{where}: type {type_} has no translation")


def no_any_or_union(type_: Type) -> bool:
    return not any(isinstance(t, (TAny, TUnion)) for t in walk(type_))


INT64 = (-(2**63), 2**63 - 1)


def check_static_types(function: FunctionIR, language: str, *, allow_any: bool = False,
                       allow_union: Callable[[TUnion], bool] | None = None) -> None:
    """Refuse what a statically typed language can't declare: ``Any`` unless `allow_any` (a
    top type such as Java's ``Object``), a union unless `allow_union` accepts it."""

    def visit(t: Type, where: str) -> None:
        if isinstance(t, TAny) and not allow_any:
            raise Untranslatable(f"{language} has no type for an untyped value ({where})")
        if isinstance(t, TUnion) and not (allow_union and allow_union(t)):
            raise Untranslatable(f"{language} can't express a union type ({where})")
        if isinstance(t, TNone):
            raise Untranslatable(f"{language}: None outside Optional ({where})")
        for child in children(t):
            visit(child, where)

    for param in function.params:
        visit(param.type, f"parameter {param.name}")
    visit(function.returns, "return type")
    if not function.tests:
        raise Untranslatable("no test could be translated")
    for call in function.tests:
        if len(call.args) != len(function.params):
            raise Untranslatable(f"a test calls with {len(call.args)} arguments, the function takes {len(function.params)}")


def check_value(value: Any, t: Type) -> None:
    """Raise Untranslatable when a value does not fit its declared type (ints in 64 bits)."""
    ok = True
    if isinstance(t, TBool):
        ok = isinstance(value, bool)
    elif isinstance(t, TInt):
        ok = isinstance(value, int) and not isinstance(value, bool) and INT64[0] <= value <= INT64[1]
    elif isinstance(t, TFloat):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    elif isinstance(t, TStr):
        ok = isinstance(value, str)
    elif isinstance(t, TList):
        ok = isinstance(value, (list, tuple))
        if ok:
            for item in value:
                check_value(item, t.elem)
    elif isinstance(t, TTuple):
        ok = isinstance(value, (list, tuple)) and len(value) == len(t.elems)
        if ok:
            for item, elem in zip(value, t.elems, strict=True):
                check_value(item, elem)
    elif isinstance(t, TDict):
        ok = isinstance(value, dict)
        if ok:
            for key, item in value.items():
                check_value(key, t.key)
                check_value(item, t.value)
    elif isinstance(t, TOptional) and value is not None:
        check_value(value, t.inner)
    if not ok:
        raise Untranslatable(f"test value {value!r} does not fit type {t}")


def check_values(function: FunctionIR) -> None:
    """Every test's and example's values fit the declared types (examples of another arity stay text)."""
    for call in function.tests + tuple(ex.call for ex in function.examples):
        if len(call.args) != len(function.params):
            continue
        for value, param in zip(call.args, function.params, strict=True):
            check_value(value, param.type)
        check_value(call.expected, function.returns)


def same_kind(value: Any, t: Type) -> bool:
    """A container of the declared kind (whose items may still not fit)."""
    return (isinstance(t, TDict) and isinstance(value, dict)) or (
        isinstance(t, (TList, TTuple)) and isinstance(value, (list, tuple)))


def number(value: Any) -> bool:
    """An int or a float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


_EXACT: dict[type, tuple[type, ...]] = {bool: (TBool,), int: (TInt,), float: (TFloat,), str: (TStr,),
                                        list: (TList,), tuple: (TTuple, TList), dict: (TDict,)}


def union_choice(value: Any, t: TUnion) -> int:
    """The option of `t` a value belongs to: the first of its own kind that it fits, else the
    first it fits (an int may be a float), as MultiPL-E's Swift picks a constructor."""
    for index, option in enumerate(t.options):
        if isinstance(option, _EXACT.get(type(value), ())) and fits(value, option):
            return index
    for index, option in enumerate(t.options):
        if fits(value, option):
            return index
    raise Untranslatable(f"value {value!r} fits no option of {t}")
