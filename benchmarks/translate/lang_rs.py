"""Rust as MultiPL-E writes it (humaneval-rs): ``rustc``, ``assert_eq!`` in ``main``.

Types: int -> ``isize``, float -> ``f64``, str -> ``String``, list -> ``Vec``, tuple -> tuple,
dict -> ``HashMap``, Optional -> ``Option``; ``Any`` and unions are dropped, as MultiPL-E does.
The prompt ends inside the body; the tests close it.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, signature_types, walk
from benchmarks.translate.ir import (
    FunctionIR,
    TDict,
    TFloat,
    TList,
    TNone,
    TOptional,
    TStr,
    TTuple,
    Type,
    Untranslatable,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    no_any_or_union,
)

rs_type = TypeSyntax(
    "Rust", int="isize", float="f64", str="String", bool="bool", list="Vec<{elem}>", tuple="({elems})",
    dict="HashMap<{key}, {value}>", optional="Option<{inner}>",
)


def rs_string(text: str) -> str:
    """``String::from("…")`` with quotes and backslashes escaped and newlines kept raw (a Rust
    string may span lines), as MultiPL-E writes it."""
    return 'String::from("' + text.replace("\\", "\\\\").replace('"', '\\"') + '")'


def rs_literal(value: Any) -> str:
    """A Rust expression spelled by the value's own Python shape (MultiPL-E's ``gen_*``)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return finite_float(value) if isinstance(value, float) else repr(value)
    if isinstance(value, str):
        return rs_string(value)
    if isinstance(value, list):
        return "vec![" + ", ".join(rs_literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ", ".join(rs_literal(v) for v in value) + ")"
    if isinstance(value, dict):
        return "HashMap::from([" + ", ".join(f"({rs_literal(k)}, {rs_literal(v)})" for k, v in value.items()) + "])"
    raise Untranslatable(f"Rust can't write the value {value!r}")


def _float(text: str) -> str:
    return text if "." in text else text + ".0"


def _option(text: str) -> str:
    return text if text == "None" else f"Some({text})"


def rs_value(value: Any, type_: Type) -> str:
    """The literal converted to the declared type where Rust needs it, as MultiPL-E's
    ``coerce`` does: ``Some(…)``, a typed empty ``Vec``, ``.0`` on whole floats (also inside a
    ``Vec<f64>``), a pair of Options; anything else stays as its shape wrote it."""
    text = rs_literal(value)
    if isinstance(type_, TOptional):
        return _option(text)
    if text == "vec![]" and isinstance(type_, TList):
        return f"Vec::<{rs_type(type_.elem)}>::new()"
    if text == "vec![]" and isinstance(type_, TStr):
        return "String::new()"
    if isinstance(type_, TFloat):
        return _float(text)
    if isinstance(type_, TList) and isinstance(type_.elem, TFloat) and isinstance(value, list):
        return "vec![" + ", ".join(_float(rs_literal(v)) for v in value) + "]"
    if (isinstance(type_, TTuple) and len(type_.elems) == 2 and all(isinstance(t, TOptional) for t in type_.elems)
            and isinstance(value, tuple) and len(value) == 2):
        return "(" + ", ".join(_option(rs_literal(v)) for v in value) + ")"
    return text


class RustTranslator(Translator):
    language = "rs"
    version = "2"
    stop_tokens = ("\n}",)

    shape_values = True

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        if any(isinstance(t, TList) and t.variadic for _, s in signature_types(function) for t in walk(s)):
            raise Untranslatable("Rust has no type for Tuple[T, ...] (MultiPL-E drops it)")

    def value(self, value: Any, type_: Type) -> str:
        return rs_value(value, type_)

    def doctest_argument(self, value: Any, type_: Type) -> str:
        """MultiPL-E converts the arguments of ``candidate`` only: a doctest's stay as written."""
        return rs_literal(value)

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
