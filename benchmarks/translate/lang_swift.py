"""Swift as MultiPL-E writes it (humaneval-swift): ``swiftc``, top-level ``assert``.

Types: int -> ``Int``, float -> ``Double``, str -> ``String``, list -> ``[T]``, dict ->
``[K : V]``, tuple -> tuple, Optional -> ``T?``; unions and ``Any`` are dropped. Calls use the
parameter labels; empty collections get an ``as`` annotation. The prompt ends inside the body;
the tests close it and add ``==`` for arrays of ``(Int, Int)`` as MultiPL-E does.
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
)

#: MultiPL-E's test prelude: tuples aren't Equatable, so arrays of them need their own ==.
TUPLE_ARRAY_EQ = """
func ==(left: [(Int, Int)], right: [(Int, Int)]) -> Bool {
    if left.count != right.count {
        return false
    }
    for (l, r) in zip(left, right) {
        if l != r {
            return false
        }
    }
    return true
}
            """


swift_type = TypeSyntax(
    "Swift", int="Int", float="Double", str="String", bool="Bool", list_form="[{elem}]", tuple_form="({elems})",
    dict_form="[{key} : {value}]", optional_form="{inner}?",
)



def swift_value(value: Any, type_: Type) -> str:
    if isinstance(type_, TOptional):
        return "nil" if value is None else swift_value(value, type_.inner)
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):
        return float_literal(value)
    if isinstance(type_, TStr):
        return quote(value)
    if isinstance(type_, TList):
        if not value:
            return f"[] as {swift_type(type_)}"
        return "[" + ", ".join(swift_value(v, type_.elem) for v in value) + "]"
    if isinstance(type_, TTuple):
        return "(" + ", ".join(swift_value(v, t) for v, t in zip(value, type_.elems, strict=True)) + ")"
    if isinstance(type_, TDict):
        if not value:
            return f"[:] as {swift_type(type_)}"
        return "[" + ", ".join(f"{swift_value(k, type_.key)} : {swift_value(v, type_.value)}" for k, v in value.items()) + "]"
    raise Untranslatable(f"type {type_} has no Swift value")


def swift_arg(value: Any, type_: Type) -> str:
    return swift_value(conform(value, type_), type_)


def swift_default(type_: Type) -> str:
    """A value of `type_` that the stub returns (compiles; the tests then fail)."""
    if isinstance(type_, TOptional):
        return "nil"
    if isinstance(type_, TTuple):
        return "(" + ", ".join(swift_default(t) for t in type_.elems) + ")"
    defaults = {TInt: "0", TFloat: "0.0", TStr: '""', TBool: "false"}
    if type(type_) in defaults:
        return defaults[type(type_)]
    return f"[] as {swift_type(type_)}" if isinstance(type_, TList) else f"[:] as {swift_type(type_)}"


class SwiftTranslator(LanguageTranslator):
    language = "swift"
    version = "1"
    stop_tokens = ("\n}",)

    def translate(self, function: FunctionIR) -> Translation:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        name = function.entry_point
        params = function.params

        def call(c: Call) -> str:
            args = ", ".join(f"{p.name}: {swift_arg(v, p.type)}" for v, p in zip(c.args, params, strict=True))
            return f"{name}({args})"

        description = rewrite_description(
            function, "swift", lambda c: (call(c), swift_arg(c.expected, function.returns))
        )
        signature = ", ".join(f"{p.name}: {swift_type(p.type)}" for p in params)
        prompt = (
            f"\n{line_comment(description, '///')}"
            f"func {name}({signature}) -> {swift_type(function.returns)} {{\n"
        )
        lines = ["}", "", TUPLE_ARRAY_EQ]
        for test in function.tests:
            expected = swift_arg(test.expected, function.returns)
            if function.float_tolerance is not None and isinstance(function.returns, TFloat):
                lines.append(f"assert(abs({call(test)} - {expected}) < {function.float_tolerance!r})")
            else:
                lines.append(f"assert({call(test)} == {expected})")
        return Translation(
            prompt=prompt,
            tests="\n".join(lines),
            stop_tokens=self.stop_tokens,
            stub_completion=f"    return {swift_default(function.returns)}",
        )


TRANSLATOR = SwiftTranslator()
