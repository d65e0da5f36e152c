"""Swift as MultiPL-E writes it (humaneval-swift): ``swiftc``, top-level ``assert``.

Types: int -> ``Int``, float -> ``Double``, str -> ``String``, list -> ``[T]``, dict ->
``[K : V]``, tuple -> tuple, Optional -> ``T?``; unions and ``Any`` are dropped. Calls use the
parameter labels; empty collections get an ``as`` annotation. The prompt ends inside the body;
the tests close it and add ``==`` for arrays of ``(Int, Int)`` as MultiPL-E does.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
from benchmarks.translate.ir import (
    Doctest,
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
    fits,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    no_any_or_union,
    quote,
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
    "Swift", int="Int", float="Double", str="String", bool="Bool", list="[{elem}]", tuple="({elems})",
    dict="[{key} : {value}]", optional="{inner}?",
)


def swift_value(value: Any, type_: Type) -> str:
    if isinstance(type_, TOptional):
        return "nil" if value is None else swift_value(value, type_.inner)
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):  # an int stays an int: Swift reads the literal as a Double
        return finite_float(value) if isinstance(value, float) else repr(value)
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


class SwiftTranslator(Translator):
    language = "swift"
    version = "2"
    stop_tokens = ("\n}",)

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))

    def value(self, value: Any, type_: Type) -> str:
        return swift_value(value, type_)

    def doctest(self, function: FunctionIR, doctest: Doctest, text: str) -> str:
        """MultiPL-E writes Swift's doctests by the signature's types and drops the problem
        when one doesn't fit them (HumanEval 95, 148)."""
        call = doctest.call
        if call is not None and not (
            len(call.args) == len(function.params)
            and all(fits(v, p.type) for v, p in zip(call.args, function.params, strict=True))
            and fits(call.expected, function.returns)
        ):
            raise Untranslatable("a doctest's values don't fit the signature's types")
        return super().doctest(function, doctest, text)

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        """Swift calls name their arguments with the parameter labels; MultiPL-E calls the
        function itself whatever name a doctest calls (``lst(...)`` in HumanEval 133)."""
        labelled = ", ".join(f"{p.name}: {a}" for p, a in zip(function.params, args, strict=True))
        return f"{function.entry_point}({labelled})"

    def test_callee(self, function: FunctionIR) -> str:
        return function.entry_point

    def prompt(self, function: FunctionIR, description: str) -> str:
        signature = ", ".join(f"{p.name}: {swift_type(p.type)}" for p in function.params)
        return (f"\n{line_comment(description, '///')}"
                f"func {function.entry_point}({signature}) -> {swift_type(function.returns)} {{\n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["}", "", TUPLE_ARRAY_EQ]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return []

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"assert({actual} == {expected})"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"assert(abs({actual} - {expected}) < {tolerance!r})"

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)}"


TRANSLATOR = SwiftTranslator()
