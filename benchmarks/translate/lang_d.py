"""D as MultiPL-E writes it (humaneval-d): a ``unittest`` block run with ``-unittest``.

Types: int -> ``long``, float -> ``float``, str -> ``string``, list -> ``T[]``, tuple ->
``Tuple!(..)``, dict -> ``Nullable!(V[K])``, Optional -> ``Nullable!(T)``; unions and ``Any``
are dropped. Unlike the brace languages the prompt ends after the signature: the completion
writes the body, braces included, and stops at a blank line.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, signature_types, walk
from benchmarks.translate.ir import (
    Call,
    FunctionIR,
    TAny,
    TDict,
    TList,
    TNone,
    TOptional,
    TTuple,
    Type,
    Untranslatable,
)
from benchmarks.translate.spelling import check_types, finite_float, no_any_or_union

d_type = TypeSyntax(
    "D", int="long", float="float", str="string", bool="bool", list="{elem}[]", tuple="Tuple!({elems})",
    dict="Nullable!({value}[{key}])", optional="Nullable!({inner})",
)


def d_string(text: str) -> str:
    """A D string literal as MultiPL-E writes one: quotes and backslashes escaped, newlines
    kept raw (D strings may span lines; the value is the same)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def d_value(value: Any, type_: Type, wrap: bool = True, none: str = "null", empty_dict: str | None = None) -> str:
    """A D expression spelled by the value's own Python shape, as MultiPL-E does (an int is
    ``3L`` even where a float is declared: D converts); `type_` only names an empty dict's
    type. `wrap` False gives the bare value inside a Nullable (for ``.get ==``)."""
    if value is None:
        return none
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return repr(value) + "L"
    if isinstance(value, float):
        return finite_float(value)
    if isinstance(value, str):
        return d_string(value)
    inner = type_.inner if isinstance(type_, TOptional) else type_
    if isinstance(value, list):
        elem = inner.elem if isinstance(inner, TList) else TAny()
        return "[" + ", ".join(d_value(v, elem, True, none, empty_dict) for v in value) + "]"
    if isinstance(value, tuple):
        elems = inner.elems if isinstance(inner, TTuple) and len(inner.elems) == len(value) else (TAny(),) * len(value)
        return "tuple(" + ", ".join(d_value(v, t, True, none, empty_dict) for v, t in zip(value, elems, strict=True)) + ")"
    if isinstance(value, dict):
        if not value:
            if empty_dict is not None:
                return empty_dict
            if not isinstance(inner, TDict):
                raise Untranslatable("an empty dict of unknown type has no D value")
            return f"{d_type(inner)}.init"
        key, item = (inner.key, inner.value) if isinstance(inner, TDict) else (TAny(), TAny())
        literal = "[" + ", ".join(
            f"{d_value(k, key, True, none, empty_dict)}: {d_value(v, item, True, none, empty_dict)}" for k, v in value.items()
        ) + "]"
        return literal + ".nullable" if wrap else literal
    raise Untranslatable(f"D can't write the value {value!r}")


def nullable(type_: Type) -> bool:
    return isinstance(type_, (TOptional, TDict))


class DTranslator(Translator):
    language = "d"
    version = "2"
    stop_tokens = ("\n\n", "\nvoid", "\nbool", "\nint")

    shape_values = True
    #: upstream_bugs: whether a problem translated before this one needed std.typecons
    _typecons: bool = False

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        if any(isinstance(t, TList) and t.variadic for _, s in signature_types(function) for t in walk(s)):
            raise Untranslatable("D has no type for Tuple[T, ...] (MultiPL-E drops it)")

    def value(self, value: Any, type_: Type) -> str:
        return d_value(value, type_)

    def doctest_output(self, value: Any, type_: Type) -> str:
        """Upstream writes Python's ``None`` and its empty-dict placeholder into the comment."""
        if self.upstream_bugs:
            return d_value(value, type_, none="None", empty_dict="___null_dict___")
        return d_value(value, type_)

    def prompt(self, function: FunctionIR, description: str) -> str:
        """We import std.typecons in every prompt. MultiPL-E's translator keeps it in a set
        across problems and adds it at the first tuple or Optional it meets, so the prompts it
        writes before that lack it (upstream_bugs: the same, in the order it reads files)."""
        params = ", ".join(f"{d_type(p.type)} {p.name}" for p in function.params)
        typecons = "import std.typecons;\n"
        if self.upstream_bugs:
            kinds = [t for _, s in signature_types(function) for t in walk(s)]
            self._typecons = self._typecons or any(isinstance(t, (TTuple, TOptional)) for t in kinds)
            typecons = typecons if self._typecons else ""
        return (f"import std.math;\n{typecons}/*\n{description}\n*/\n"
                f"{d_type(function.returns)} {function.entry_point}({params}) \n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["unittest", "{", f"    alias candidate = {function.entry_point};", ""]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "void main(){}"]

    def test_line(self, function: FunctionIR, test: Call) -> str:
        """Nullable results are checked with ``isNull`` / ``get`` (D can't compare them to a literal)."""
        actual = self.render_call(function, test, "candidate")
        expected, returns = test.expected, function.returns
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
