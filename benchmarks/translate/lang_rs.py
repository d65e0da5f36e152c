"""Rust as MultiPL-E writes it (humaneval-rs): ``rustc``, ``assert_eq!`` in ``main``.

Types: int -> ``isize``, float -> ``f64``, str -> ``String``, list -> ``Vec``, tuple -> tuple,
dict -> ``HashMap``, Optional -> ``Option``; ``Any`` and unions are dropped, as MultiPL-E does.
The prompt ends inside the body; the tests close it.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, walk
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
    Type,
    Untranslatable,
    conform,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    no_any_or_union,
    quote,
)

rs_type = TypeSyntax(
    "Rust", int="isize", float="f64", str="String", bool="bool", list="Vec<{elem}>", tuple="({elems})",
    dict="HashMap<{key}, {value}>", optional="Option<{inner}>",
)


def rs_value(value: Any, type_: Type) -> str:
    """A Rust expression of `type_` (``vec![..]``, ``String::from(..)``, ``Some(..)``)."""
    if isinstance(type_, TOptional):
        return "None" if value is None else f"Some({rs_value(value, type_.inner)})"
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):
        return finite_float(value)
    if isinstance(type_, TStr):
        return f"String::from({quote(value)})"
    if isinstance(type_, TList):
        if not value:
            return f"Vec::<{rs_type(type_.elem)}>::new()"
        return "vec![" + ", ".join(rs_value(v, type_.elem) for v in value) + "]"
    if isinstance(type_, TTuple):
        parts = [rs_value(v, t) for v, t in zip(value, type_.elems, strict=True)]
        return "(" + ", ".join(parts) + ("," if len(parts) == 1 else "") + ")"
    if isinstance(type_, TDict):
        if not value:
            return f"HashMap::<{rs_type(type_.key)}, {rs_type(type_.value)}>::new()"
        pairs = ", ".join(f"({rs_value(k, type_.key)}, {rs_value(v, type_.value)})" for k, v in value.items())
        return f"HashMap::from([{pairs}])"
    raise Untranslatable(f"type {type_} has no Rust value")


class RustTranslator(Translator):
    language = "rs"
    version = "2"
    stop_tokens = ("\n}",)

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))

    def value(self, value: Any, type_: Type) -> str:
        return rs_value(conform(value, type_), type_)

    def prompt(self, function: FunctionIR, description: str) -> str:
        all_types = [t for p in [*(p.type for p in function.params), function.returns] for t in walk(p)]
        imports = "use std::collections::HashMap;\n\n" if any(isinstance(t, TDict) for t in all_types) else ""
        params = ", ".join(f"{p.name}: {rs_type(p.type)}" for p in function.params)
        return (f"{imports}{line_comment(description, '///')}"
                f"fn {function.entry_point}({params}) -> {rs_type(function.returns)} {{\n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "fn main() {", f"    let candidate = {function.entry_point};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}\n"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    assert_eq!({actual}, {expected});"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    assert!(({actual} - {expected}).abs() < {tolerance!r});"

    def stub(self, function: FunctionIR) -> str:
        return "    return Default::default();"


TRANSLATOR = RustTranslator()
