"""Rust as MultiPL-E writes it (humaneval-rs): ``rustc``, ``assert_eq!`` in ``main``.

Types: int -> ``isize``, float -> ``f64``, str -> ``String``, list -> ``Vec``, tuple -> tuple,
dict -> ``HashMap``, Optional -> ``Option``; ``Any`` and unions are dropped, as MultiPL-E does.
The prompt ends inside the body; the tests close it.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.base import LanguageTranslator, Translation, TypeSyntax
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
    Type,
    Untranslatable,
    conform,
)
from benchmarks.translate.lang_cpp import (
    check_types,
    float_literal,
    line_comment,
    no_any_or_union,
    quote,
    rewrite_description,
    walk,
)

rs_type = TypeSyntax(
    "Rust", int="isize", float="f64", str="String", bool="bool", list_form="Vec<{elem}>", tuple_form="({elems})",
    dict_form="HashMap<{key}, {value}>", optional_form="Option<{inner}>",
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
        return float_literal(value)
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


def rs_arg(value: Any, type_: Type) -> str:
    return rs_value(conform(value, type_), type_)


class RustTranslator(LanguageTranslator):
    language = "rs"
    version = "1"
    stop_tokens = ("\n}",)

    def translate(self, function: FunctionIR) -> Translation:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        name = function.entry_point
        param_types = [p.type for p in function.params]

        def call(c: Call, callee: str) -> str:
            return f"{callee}(" + ", ".join(rs_arg(v, t) for v, t in zip(c.args, param_types, strict=True)) + ")"

        description = rewrite_description(
            function, "rs", lambda c: (call(c, name), rs_arg(c.expected, function.returns))
        )
        all_types = [t for p in [*param_types, function.returns] for t in walk(p)]
        imports = "use std::collections::HashMap;\n\n" if any(isinstance(t, TDict) for t in all_types) else ""
        params = ", ".join(f"{p.name}: {rs_type(p.type)}" for p in function.params)
        prompt = f"{imports}{line_comment(description, '///')}fn {name}({params}) -> {rs_type(function.returns)} {{\n"
        lines = ["}", "", "fn main() {", f"    let candidate = {name};"]
        for test in function.tests:
            actual = call(test, "candidate")
            expected = rs_arg(test.expected, function.returns)
            if function.float_tolerance is not None and isinstance(function.returns, TFloat):
                lines.append(f"    assert!(({actual} - {expected}).abs() < {function.float_tolerance!r});")
            else:
                lines.append(f"    assert_eq!({actual}, {expected});")
        lines.append("}\n")
        return Translation(
            prompt=prompt,
            tests="\n".join(lines),
            stop_tokens=self.stop_tokens,
            stub_completion="    return Default::default();",
        )


TRANSLATOR = RustTranslator()
