"""D as MultiPL-E writes it (humaneval-d): a ``unittest`` block run with ``-unittest``.

Types: int -> ``long``, float -> ``float``, str -> ``string``, list -> ``T[]``, tuple ->
``Tuple!(..)``, dict -> ``Nullable!(V[K])``, Optional -> ``Nullable!(T)``; unions and ``Any``
are dropped. Unlike the brace languages the prompt ends after the signature: the completion
writes the body, braces included, and stops at a blank line.
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
    no_any_or_union,
    quote,
    rewrite_description,
    walk,
)

d_type = TypeSyntax(
    "D", int="long", float="float", str="string", bool="bool", list_form="{elem}[]", tuple_form="Tuple!({elems})",
    dict_form="Nullable!({value}[{key}])", optional_form="Nullable!({inner})",
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
        return float_literal(value)
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


def d_arg(value: Any, type_: Type) -> str:
    return d_value(conform(value, type_), type_)


def nullable(type_: Type) -> bool:
    return isinstance(type_, (TOptional, TDict))


class DTranslator(LanguageTranslator):
    language = "d"
    version = "1"
    stop_tokens = ("\n\n", "\nvoid", "\nbool", "\nint")

    def translate(self, function: FunctionIR) -> Translation:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        name = function.entry_point
        param_types = [p.type for p in function.params]
        returns = function.returns

        def call(c: Call, callee: str) -> str:
            return f"{callee}(" + ", ".join(d_arg(v, t) for v, t in zip(c.args, param_types, strict=True)) + ")"

        description = rewrite_description(function, "d", lambda c: (call(c, name), d_arg(c.expected, returns)))
        libraries = {"std.math"}
        all_types = [t for p in [*param_types, returns] for t in walk(p)]
        if any(isinstance(t, (TTuple, TOptional, TDict)) for t in all_types):
            libraries.add("std.typecons")
        imports = "\n".join(f"import {lib};" for lib in sorted(libraries))
        params = ", ".join(f"{d_type(p.type)} {p.name}" for p in function.params)
        prompt = f"{imports}\n/*\n{description}\n*/\n{d_type(returns)} {name}({params}) \n"
        lines = ["unittest", "{", f"    alias candidate = {name};", ""]
        for test in function.tests:
            lines.append(self._assertion(call(test, "candidate"), conform(test.expected, returns), returns, function))
        lines += ["}", "void main(){}"]
        return Translation(
            prompt=prompt,
            tests="\n".join(lines),
            stop_tokens=self.stop_tokens,
            stub_completion="{\n    return typeof(return).init;\n}",
        )

    @staticmethod
    def _null_check(var: str, value: Any, type_: Type) -> str:
        if value is None or (isinstance(type_, TDict) and not value):
            return f"assert({var}.isNull);"
        inner = type_.inner if isinstance(type_, TOptional) else type_
        return f"assert(!{var}.isNull && {var}.get == {d_value(value, inner, wrap=False)});"

    def _assertion(self, actual: str, expected: Any, returns: Type, function: FunctionIR) -> str:
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
        if function.float_tolerance is not None and isinstance(returns, TFloat):
            return f"    assert(abs({actual} - {d_value(expected, returns)}) < {function.float_tolerance!r});"
        return f"    assert({actual} == {d_value(expected, returns)});"


TRANSLATOR = DTranslator()
