"""D as MultiPL-E writes it (humaneval-d): a ``unittest`` block run with ``-unittest``.

Types: int -> ``long``, float -> ``float``, str -> ``string``, list -> ``T[]``, tuple ->
``Tuple!(..)``, dict -> ``Nullable!(V[K])``, Optional -> ``Nullable!(T)``; unions and ``Any``
are dropped. Unlike the brace languages the prompt ends after the signature: the completion
writes the body, braces included, and stops at a blank line.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
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
from benchmarks.translate.spelling import check_types, finite_float, no_any_or_union, quote

d_type = TypeSyntax(
    "D", int="long", float="float", str="string", bool="bool", list="{elem}[]", tuple="Tuple!({elems})",
    dict="Nullable!({value}[{key}])", optional="Nullable!({inner})",
)


def d_value(value: Any, type_: Type, wrap: bool = True) -> str:
    """A D expression; `wrap` False gives the bare value inside a Nullable (for ``.get ==``)."""
    if isinstance(type_, TOptional):
        if value is None:
            return "null"
        return d_value(value, type_.inner)
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value)) + "L"
    if isinstance(type_, TFloat):
        return finite_float(value)
    if isinstance(type_, TStr):
        return quote(value)
    if isinstance(type_, TList):
        return "[" + ", ".join(d_value(v, type_.elem) for v in value) + "]"
    if isinstance(type_, TTuple):
        return "tuple(" + ", ".join(d_value(v, t) for v, t in zip(value, type_.elems, strict=True)) + ")"
    if isinstance(type_, TDict):
        if not value:
            return f"{d_type(type_)}.init"
        literal = "[" + ", ".join(f"{d_value(k, type_.key)}: {d_value(v, type_.value)}" for k, v in value.items()) + "]"
        return literal + ".nullable" if wrap else literal
    raise Untranslatable(f"type {type_} has no D value")


def nullable(type_: Type) -> bool:
    return isinstance(type_, (TOptional, TDict))


class DTranslator(Translator):
    language = "d"
    version = "2"
    stop_tokens = ("\n\n", "\nvoid", "\nbool", "\nint")

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))

    def value(self, value: Any, type_: Type) -> str:
        return d_value(conform(value, type_), type_)

    def prompt(self, function: FunctionIR, description: str) -> str:
        """MultiPL-E imports std.typecons in every prompt but the first seven its translator
        writes (it keeps state across problems); we import it in all."""
        params = ", ".join(f"{d_type(p.type)} {p.name}" for p in function.params)
        return (f"import std.math;\nimport std.typecons;\n/*\n{description}\n*/\n"
                f"{d_type(function.returns)} {function.entry_point}({params}) \n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["unittest", "{", f"    alias candidate = {function.entry_point};", ""]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "void main(){}"]

    def test_line(self, function: FunctionIR, test: Call) -> str:
        """Nullable results are checked with ``isNull`` / ``get`` (D can't compare them to a literal)."""
        actual = self.render_call(function, test, "candidate")
        expected, returns = conform(test.expected, function.returns), function.returns
        if nullable(returns):
            return f"{{\n        auto result = {actual};\n        {self._null_check('result', expected, returns)}\n}}\n"
        if isinstance(returns, TTuple) and any(nullable(t) for t in returns.elems):
            checks = []
            for index, (value, t) in enumerate(zip(expected, returns.elems, strict=True)):
                if nullable(t):
                    checks.append(self._null_check(f"result[{index}]", value, t))
                else:
                    checks.append(f"assert(result[{index}] == {d_value(value, t)});")
            body = "\n        ".join(checks)
            return f"{{\n        auto result = {actual};\n        {body}\n}}\n"
        return super().test_line(function, test)

    @staticmethod
    def _null_check(var: str, value: Any, type_: Type) -> str:
        if value is None or (isinstance(type_, TDict) and not value):
            return f"assert({var}.isNull);"
        inner = type_.inner if isinstance(type_, TOptional) else type_
        return f"assert(!{var}.isNull && {var}.get == {d_value(value, inner, wrap=False)});"

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    assert({actual} == {expected});"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    assert(abs({actual} - {expected}) < {tolerance!r});"

    def stub(self, function: FunctionIR) -> str:
        return "{\n    return typeof(return).init;\n}"


TRANSLATOR = DTranslator()
