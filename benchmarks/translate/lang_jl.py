"""Julia as MultiPL-E writes it (humaneval-jl): ``julia``, tests ``@test`` in a ``@testset``.

Types: int -> ``Int64``, float -> ``Float64``, str -> ``String``, list -> ``Vector{T}``, tuple
-> ``Tuple{...}``, dict -> ``Dict{K, V}``, Optional -> ``Union{T, Nothing}``, unions ->
``Union{...}``, Any -> ``Any``. The docstring stays a Julia docstring above the function;
the completion writes the body and its ``end``.

Values are written by their type so that calls dispatch (an int where a ``Float64`` is
declared becomes ``5.0``; an empty list ``Vector{T}([])`` as MultiPL-E writes it; containers
of non-scalar elements carry their element type). MultiPL-E writes ``Dict{K, V}>`` (a stray
``>``) and raw string text; we write ``Dict{K, V}`` and escape ``"``, ``\\`` and ``$``.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
from benchmarks.translate.ir import (
    FunctionIR,
    TAny,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Type,
    Untranslatable,
    conform,
    fits,
)

JL_KEYWORDS = frozenset({
    "baremodule", "begin", "break", "catch", "const", "continue", "do", "else", "elseif", "end",
    "export", "false", "finally", "for", "function", "global", "if", "import", "let", "local",
    "macro", "module", "quote", "return", "struct", "true", "try", "using", "while", "abstract",
    "mutable", "primitive", "type", "where", "in", "isa", "outer",
})

_SCALARS = (TInt, TFloat, TStr, TBool)
INT64_MAX = 2**63 - 1


jl_type = TypeSyntax(
    "Julia", int="Int64", float="Float64", str="String", bool="Bool", none="Nothing", any="Any",
    list="Vector{{{elem}}}", tuple="Tuple{{{elems}}}", dict="Dict{{{key}, {value}}}",
    optional="Union{{{inner}, Nothing}}", union="Union{{{options}}}",
)


_JL_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def jl_string(text: str) -> str:
    return '"' + "".join(_JL_ESCAPES.get(c, c) for c in text) + '"'


def _scalar(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return jl_string(value)
    if isinstance(value, int):
        if abs(value) > INT64_MAX:
            raise Untranslatable(f"{value} does not fit Int64")
        return repr(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (float("inf"), float("-inf")):
            return "Inf" if value > 0 else "-Inf"
        return repr(value)
    raise Untranslatable(f"no Julia literal for {type(value).__name__}")


def union_option(value: Any, union: TUnion) -> Type | None:
    """The option of `union` that `value` is written as: its exact kind first (an int stays an
    int in ``Union{Int64, Float64}``), else the first it fits; None when none fits."""
    exact = {bool: TBool, int: TInt, float: TFloat, str: TStr, list: TList, tuple: TTuple, dict: TDict}
    kind = exact.get(type(value))
    fitting = [option for option in union.options if fits(value, option)]
    return next((o for o in fitting if kind is not None and isinstance(o, kind)), None) or next(iter(fitting), None)


def jl_value(value: Any, type_: Type | None) -> str:
    """A Julia expression of `value` whose type is `type_`'s (None: the value's own type).

    In a union the value is written as the option it belongs to, so an empty list is a
    ``Vector{String}`` that converts to ``Union{Int64, Vector{String}}`` (``[]``, a
    ``Vector{Any}``, does not: the stub of HumanEval 125 raised instead of failing)."""
    if isinstance(type_, TUnion):
        type_ = union_option(value, type_)
    if type_ is None or isinstance(type_, TAny):
        type_ = None
    else:
        value = conform(value, type_)
    if isinstance(type_, TOptional):
        return "nothing" if value is None else jl_value(value, type_.inner)
    if (isinstance(value, (list, tuple)) and isinstance(type_, TList)) or (
            type_ is None and isinstance(value, list)):
        elem = type_.elem if isinstance(type_, TList) else None
        if not value:
            return f"Vector{{{jl_type(elem)}}}([])" if elem is not None else "[]"
        items = ", ".join(jl_value(v, elem) for v in value)
        if elem is None or isinstance(elem, _SCALARS):
            return "[" + items + "]"
        return jl_type(elem) + "[" + items + "]"
    if isinstance(value, (list, tuple)):  # a tuple
        elems = type_.elems if isinstance(type_, TTuple) else (None,) * len(value)
        items = [jl_value(v, t) for v, t in zip(value, elems, strict=True)]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, dict):
        key = type_.key if isinstance(type_, TDict) else None
        val = type_.value if isinstance(type_, TDict) else None
        pairs = ", ".join(f"{jl_value(k, key)} => {jl_value(v, val)}" for k, v in value.items())
        if isinstance(type_, TDict) and (not value or not isinstance(key, _SCALARS)
                                         or not isinstance(val, _SCALARS)):
            return f"{jl_type(type_)}({pairs})"
        return f"Dict({pairs})"
    return _scalar(value)


class JuliaTranslator(Translator):
    language = "jl"
    version = "2"
    stop_tokens = ("\nfunction", "\nmacro", "\n\n")

    def check(self, function: FunctionIR) -> None:
        for name in [p.name for p in function.params] + [function.entry_point]:
            if name in JL_KEYWORDS:
                raise Untranslatable(f"{name!r} is a Julia keyword")

    def value(self, value: Any, type_: Type) -> str:
        return jl_value(value, type_)

    def prompt(self, function: FunctionIR, description: str) -> str:
        """MultiPL-E writes ``\"\"\"{docstring}\"\"\"``; a docstring that ends in a string literal
        then ends in four quotes, which Julia can't parse (27 official prompts, e.g. HumanEval 11:
        no completion passes). We escape that last quote."""
        if description.endswith('"'):
            description = description[:-1] + '\\"'
        args = ", ".join(f"{p.name}::{jl_type(p.type)}" for p in function.params)
        return (f'"""{description}"""\n'
                f"function {function.entry_point}({args})::{jl_type(function.returns)} \n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["using Test", "", "@testset begin", "", f"candidate = {function.entry_point};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["end\n"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"\t@test({actual} == {expected})"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"\t@test(abs({actual} - {expected}) < {tolerance!r})"

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)}\nend"


TRANSLATOR = JuliaTranslator()
