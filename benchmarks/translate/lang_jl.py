"""Julia as MultiPL-E writes it (humaneval-jl): ``julia``, tests ``@test`` in a ``@testset``.

Types: int -> ``Int64``, float -> ``Float64``, str -> ``String``, list -> ``Vector{T}``, tuple
-> ``Tuple{...}``, dict -> ``Dict{K, V}``, Optional -> ``Union{T, Nothing}``, unions ->
``Union{...}``, Any -> ``Any``. The docstring stays a Julia docstring above the function;
the completion writes the body and its ``end``.

Values are written as MultiPL-E writes them, by their shape (``[1, 2]``, ``Dict("a" => 1)``,
``Dict()``), an empty list passed to the function or expected from it as ``Vector{T}([])``.
Where Julia would not call the function with such an argument (no implicit conversion at
dispatch: ``2`` for a ``Float64``, ``Dict()`` for a ``Dict{String, String}``, ``[[], [1]]`` for a
``Vector{Vector{Int64}}``: no completion can pass, HumanEval 87 92 95) we write the argument
by its declared type instead (``2.0``, ``Dict{String, String}()``); the stub's value too.

Upstream bugs we fix (``upstream_bugs`` writes them): those arguments; a stray ``>`` after
every ``Dict{K, V}`` in the signature (HumanEval 95 111); the fourth quote that ends a
docstring ending in a string literal (four quotes in a row: a syntax error). Strings escape ``"``,
``\\`` and ``$`` (upstream writes the raw text). Like upstream's, the translator has no
``None`` inside a ``Union`` (HumanEval 137) and no ``Tuple[T, ...]`` (148): those are dropped.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, signature_types, walk
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
#: the signature as upstream writes it, a stray ``>`` after each Dict (an upstream bug)
jl_type_upstream = replace(jl_type, dict="Dict{{{key}, {value}}}>")


#: what a Julia string literal must escape; other characters stay as they are, a newline too,
#: as MultiPL-E writes them (it escapes nothing: a quote or a ``$`` broke its literal)
_JL_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$"}


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


# --- which literals dispatch ------------------------------------------------------------------

_NUMBERS = (TBool, TInt, TFloat)


class TNumber:
    """A marker for _promote: the numeric kinds join as Real, never as Any."""


def _promote(types: list[Type]) -> Type | None:
    """The element type Julia gives a vector literal of elements of these types (None: not
    worked out here; the caller then writes the typed form)."""
    if all(t == types[0] for t in types):
        return types[0]
    present = [t for t in types if not isinstance(t, TNone)]
    if len(present) < len(types) and present and all(t == present[0] for t in present):
        return TOptional(present[0])  # [1, nothing]: Vector{Union{Nothing, Int64}}
    if all(isinstance(t, _NUMBERS) for t in types):
        return TFloat() if any(isinstance(t, TFloat) for t in types) else TInt()
    if all(isinstance(t, TList) for t in types):  # arrays promote element-wise
        inner = _promote([t.elem for t in types])  # type: ignore[union-attr]
        return None if inner is None else TList(inner)
    kinds = {TNumber if isinstance(t, _NUMBERS) else type(t) for t in types}
    if len(kinds) > 1 and not kinds & {TTuple, TNone, TOptional, TAny}:
        return TAny()  # nothing in common: Vector{Any}
    return None


def literal_type(value: Any) -> Type | None:
    """The Julia type of `value` written by its shape (None: not worked out here)."""
    if value is None:
        return TNone()
    scalar = {bool: TBool, int: TInt, float: TFloat, str: TStr}.get(type(value))
    if scalar is not None:
        return scalar()
    if isinstance(value, list):
        if not value:
            return TList(TAny())
        elems = [literal_type(v) for v in value]
        if any(e is None for e in elems):
            return None
        elem = _promote(elems)  # type: ignore[arg-type]
        return None if elem is None else TList(elem)
    if isinstance(value, tuple):
        elems = [literal_type(v) for v in value]
        return None if any(e is None for e in elems) else TTuple(tuple(elems))  # type: ignore[arg-type]
    if isinstance(value, dict):
        if not value:
            return TDict(TAny(), TAny())
        keys = [literal_type(k) for k in value]
        values = [literal_type(v) for v in value.values()]
        if any(t is None for t in keys + values) or len(set(keys)) > 1 or len(set(values)) > 1:
            return None
        return TDict(keys[0], values[0])  # type: ignore[arg-type]
    return None


def dispatches(literal: Type | None, declared: Type) -> bool:
    """Whether a value of Julia type `literal` is accepted for an argument declared `declared`
    (Julia's parametric types are invariant: a ``Vector{Int64}`` is no ``Vector{Float64}``)."""
    if literal is None:
        return False
    if isinstance(declared, TAny):
        return True
    if isinstance(declared, TOptional):
        return isinstance(literal, TNone) or dispatches(literal, declared.inner)
    if isinstance(declared, TUnion):
        return any(dispatches(literal, option) for option in declared.options)
    if isinstance(declared, TTuple):
        return (isinstance(literal, TTuple) and len(literal.elems) == len(declared.elems)
                and all(dispatches(a, b) for a, b in zip(literal.elems, declared.elems, strict=True)))
    return literal == declared


class JuliaTranslator(Translator):
    language = "jl"
    version = "3"
    stop_tokens = ("\nfunction", "\nmacro", "\n\n")

    def check(self, function: FunctionIR) -> None:
        for name in [p.name for p in function.params] + [function.entry_point]:
            if name in JL_KEYWORDS:
                raise Untranslatable(f"{name!r} is a Julia keyword")
        for where, declared in signature_types(function):
            for t in walk(declared):
                if isinstance(t, TOptional) and isinstance(t.inner, TUnion):
                    raise Untranslatable(f"{where}: MultiPL-E's Julia translator has no None in a Union")
                if isinstance(t, TList) and t.variadic:
                    raise Untranslatable(f"{where}: MultiPL-E's Julia translator has no Tuple[T, ...]")

    def spell_type(self, t: Type) -> str:
        return (jl_type_upstream if self.upstream_bugs else jl_type)(t)

    def value(self, value: Any, type_: Type) -> str:
        """By the declared type (the stub's return value)."""
        return jl_value(value, type_)

    def _coerced(self, value: Any, type_: Type) -> str:
        """By shape, as MultiPL-E writes values; an empty list of a declared list type as
        ``Vector{T}([])`` (its ``coerce``)."""
        if value == [] and isinstance(type_, TList):
            return f"Vector{{{self.spell_type(type_.elem)}}}([])"
        return jl_value(value, None)

    def argument(self, value: Any, type_: Type) -> str:
        """By shape where Julia dispatches on it, else by the declared type."""
        if self.upstream_bugs or dispatches(literal_type(value), type_):
            return self._coerced(value, type_)
        return jl_value(value, type_)

    def expected(self, value: Any, type_: Type) -> str:
        return self._coerced(value, type_)  # == compares values, whatever their types

    def doctest_argument(self, value: Any, type_: Type) -> str:
        return jl_value(value, None)

    def doctest_output(self, value: Any, type_: Type) -> str:
        return jl_value(value, None)

    def prompt(self, function: FunctionIR, description: str) -> str:
        """MultiPL-E writes ``\"\"\"{docstring}\"\"\"``; a docstring that ends in a string literal
        then ends in four quotes, which Julia can't parse (23 official prompts, e.g. HumanEval 10:
        no completion passes). We escape that last quote (``upstream_bugs``: not)."""
        if description.endswith('"') and not self.upstream_bugs:
            description = description[:-1] + '\\"'
        args = ", ".join(f"{p.name}::{self.spell_type(p.type)}" for p in function.params)
        return (f'"""{description}"""\n'
                f"function {function.entry_point}({args})::{self.spell_type(function.returns)} \n")

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
