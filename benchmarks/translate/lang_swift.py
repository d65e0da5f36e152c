"""Swift as MultiPL-E writes it (humaneval-swift): ``swiftc``, top-level ``assert``.

Types: int -> ``Int``, float -> ``Double``, str -> ``String``, list -> ``[T]``, dict ->
``[K : V]``, tuple -> tuple, Optional -> ``T?``; unions and ``Any`` are dropped. Calls use the
parameter labels; empty collections get an ``as`` annotation. The prompt ends inside the body;
the tests close it and add ``==`` for arrays of ``(Int, Int)`` as MultiPL-E does.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, signature_types, walk
from benchmarks.translate.ir import (
    Doctest,
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
    fits,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    quote,
    union_choice,
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


#: Types an enum case can carry (MultiPL-E's ``type_is_simple``).
SIMPLE = (TInt, TFloat, TStr, TBool)


def _union(syntax: TypeSyntax, t: Type) -> str:
    """MultiPL-E's unions: two options are a ``Result`` (its error type made an ``Error``),
    more are the one generated ``enum Value`` with a case per (simple) option."""
    assert isinstance(t, TUnion)
    if len(t.options) == 2:
        return f"Result<{syntax(t.options[0])}, {syntax(t.options[1])}>"
    return "Value"


swift_type = TypeSyntax(
    "Swift", int="Int", float="Double", str="String", bool="Bool", list="[{elem}]", tuple="({elems})",
    dict="[{key} : {value}]", optional="{inner}?", any="AnyHashable", union=_union,
)


def unions(function: FunctionIR) -> list[TUnion]:
    """The signature's unions, parameters first, as MultiPL-E meets them."""
    found: list[TUnion] = []
    for _, type_ in signature_types(function):
        found.extend(t for t in walk(type_) if isinstance(t, TUnion) and t not in found)
    return found


def needs(function: FunctionIR) -> str:
    """What the signature needs declared before the docstring: MultiPL-E's ``enum Value`` for
    a union of three or more, ``extension E: Error {}`` for a ``Result``'s error type."""
    text = ""
    for union in unions(function):
        if len(union.options) > 2:
            cases = "\n".join(f"    case {swift_type(o).lower()}Value({swift_type(o)})" for o in union.options)
            text += f"\nenum Value: Equatable, Hashable {{\n{cases}\n}}\n\n            "
    text += "\n".join(dict.fromkeys(f"\nextension {swift_type(u.options[1])}: Error {{}}\n        "
                                     for u in unions(function) if len(u.options) == 2))
    return text


def _expressible(function: FunctionIR) -> None:
    many = [u for u in unions(function) if len(u.options) > 2]
    if len(many) > 1:
        raise Untranslatable("Swift: more than one enum of a union's options")
    if many and not all(isinstance(o, SIMPLE) for o in many[0].options):
        raise Untranslatable("Swift: an enum case of a union carries only Int, Double, String or Bool")
    for _, type_ in signature_types(function):
        for t in walk(type_):
            if isinstance(t, TNone) or (isinstance(t, TUnion) and any(isinstance(o, (TNone, TOptional)) for o in t.options)):
                raise Untranslatable(f"Swift: type {t} has no translation")


def untyped(value: Any) -> str:
    """A value where the type is ``AnyHashable``: by its own shape."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, int) else finite_float(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return "[" + ", ".join(untyped(v) for v in value) + "]" if value else "[] as [AnyHashable]"
    if isinstance(value, tuple):
        return "(" + ", ".join(untyped(v) for v in value) + ")"
    if isinstance(value, dict):
        if not value:
            return "[:] as [AnyHashable : AnyHashable]"
        return "[" + ", ".join(f"{untyped(k)} : {untyped(v)}" for k, v in value.items()) + "]"
    raise Untranslatable(f"Swift: no untyped spelling of {value!r}")


def swift_value(value: Any, type_: Type) -> str:
    if isinstance(type_, TOptional):
        return "nil" if value is None else swift_value(value, type_.inner)
    if isinstance(type_, TAny):
        return untyped(value)
    if isinstance(type_, TUnion):
        option = type_.options[union_choice(value, type_)]
        inner = swift_value(value, option)
        if len(type_.options) == 2:
            return (".success(", ".failure(")[type_.options.index(option)] + inner + ")"
        return f".{swift_type(option).lower()}Value({inner})"
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
        check_types(function, lambda t: not isinstance(t, TNone))
        _expressible(function)

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
        return (f"{needs(function)}\n{line_comment(description, '///')}"
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
