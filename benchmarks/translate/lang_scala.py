"""Scala, as MultiPL-E's ``humaneval_to_scala`` writes it: ``object Problem``, ``assert`` in ``main``.

Types: int -> ``Long``, float -> ``Float``, str -> ``String``, list -> ``List``, dict -> ``Map``,
tuple -> ``TupleN``, Optional -> ``Option``.
"""

from __future__ import annotations

import re
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
    fits,
)
from benchmarks.translate.spelling import (
    c_string,
    camel_case,
    check_static_types,
    check_values,
    line_comment,
    number,
    same_kind,
    union_choice,
)

IMPORTS = "import scala.math._\nimport scala.collection.mutable._\n"
KEYWORDS = {"operator": "op", "strlen": "string_length"}
INDENT = "    "
#: MultiPL-E types Python floats as 32-bit ``Float``; a Python tolerance test keeps at least this.
FLOAT32_TOLERANCE = 1e-4


def _tuple(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TTuple)
    if not 2 <= len(t.elems) <= 22:
        raise Untranslatable(f"Scala has no {len(t.elems)}-tuple literal")
    return f"Tuple{len(t.elems)}[{', '.join(syntax(e) for e in t.elems)}]"


scala_type = TypeSyntax(
    "Scala", int="Long", float="Float", str="String", bool="Boolean", list="List[{elem}]",
    dict="Map[{key},{value}]", tuple=_tuple, optional="Option[{inner}]", any="Any",
    union="Either[{options}]",
)


def scala_shape(value: Any) -> str:
    """A value spelled by its own Python shape, where it doesn't fit the declared type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}l"
    if isinstance(value, float):
        return repr(value) + "f"
    if isinstance(value, str):
        return c_string(value)
    if value is None:
        return "None"
    raise Untranslatable(f"Scala: no spelling of {value!r} outside its type")


def _element(value: Any, t: Type, cast: Type) -> str:
    """A list element: MultiPL-E converts numbers with ``.toLong`` / ``.toFloat``, by the
    list's first element (``List[Float](1l.toLong)``: Scala widens it)."""
    text = scala_value(value, t)
    if isinstance(cast, TInt):
        return text + ".toLong"
    if isinstance(cast, TFloat):
        return text + ".toFloat"
    return text


_CASTS = {"Long": ".toLong", "Float": ".toFloat", "Boolean": ".toBoolean"}


def scala_shaped(value: Any, faithful: bool = False) -> tuple[str, str]:
    """(text, Scala type) of an untyped value, by its own shape, as MultiPL-E's Scala writes it.

    A list's type is its first element's; its numbers get ``.toLong`` / ``.toFloat`` when
    all elements are of that type (`faithful`: or are primitives), else it is a ``List[Any]``.
    An empty list or map is one of longs.
    """
    if isinstance(value, bool) or value is None or not isinstance(value, (list, dict)):
        kind = {bool: "Boolean", int: "Long", float: "Float", str: "String"}.get(type(value))
        if kind is None:
            raise Untranslatable(f"Scala: no untyped spelling of {value!r}")
        return scala_shape(value), kind
    if isinstance(value, list):
        if not value:
            return "List[Long]()", "List[Long]"
        items = [scala_shaped(v, faithful) for v in value]
        first = items[0][1]
        if all(t == first or (faithful and t in _CASTS) for _, t in items):
            body, elem = ", ".join(x + _CASTS.get(first, "") for x, _ in items), first
        else:
            body, elem = ", ".join(x for x, _ in items), "Any"
        return f"List[{elem}]({body})", f"List[{first}]"
    if not value:
        return "Map[Long,Long]()", "Map[Long,Long]"
    pairs = [(scala_shaped(k, faithful), scala_shaped(v, faithful)) for k, v in value.items()]
    kind = f"Map[{pairs[0][0][1]},{pairs[0][1][1]}]"
    return f"{kind}({', '.join(f'{k} -> {v}' for (k, _), (v, _) in pairs)})", kind


def scala_coerced(value: Any, t: Type, faithful: bool = False) -> str:
    """An untyped value converted to the declared type as MultiPL-E's ``update_type`` does:
    its first ``T(`` becomes the declared type's."""
    text, kind = scala_shaped(value, faithful)
    declared = scala_type(t)
    found = re.findall(r".+?\(", text)
    if kind == declared or not found:
        return text
    return text.replace(found[0], declared + "(", -1 if faithful else 1).replace("(())", "()")


def scala_value(value: Any, t: Type) -> str:
    """A Scala expression for a Python value of type `t`, shaped as MultiPL-E writes it.

    Numbers keep their Python kind (an int where a Float is declared stays ``3l``, which
    Scala widens).
    """
    if isinstance(t, TAny):
        return scala_shaped(value)[0]
    if isinstance(t, TList) and isinstance(t.elem, TAny):
        return scala_coerced(value, t)
    if isinstance(t, TUnion):
        side = ("Left", "Right")[union_choice(value, t)]
        return f"{side}({scala_value(value, t.options[union_choice(value, t)])})"
    if not fits(value, t) and not same_kind(value, t):
        if isinstance(t, (TList, TDict, TTuple)) and not isinstance(value, (list, tuple, dict)):
            return f"{scala_type(t)}({scala_shape(value)})"  # MultiPL-E's coercion of a scalar
        return scala_shape(value)
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}l"
    if isinstance(t, TFloat):
        return scala_shape(value)
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        cast = t.elem
        if isinstance(t.elem, TFloat) and value and isinstance(value[0], int):
            cast = TInt()
        return f"{scala_type(t)}(" + ", ".join(_element(v, t.elem, cast) for v in value) + ")"
    if isinstance(t, TDict):
        pairs = ", ".join(f"{scala_value(k, t.key)} -> {scala_value(v, t.value)}" for k, v in value.items())
        return f"{scala_type(t)}({pairs})"
    if isinstance(t, TTuple):
        return "(" + ", ".join(scala_value(v, e) for v, e in zip(value, t.elems, strict=True)) + ")"
    if isinstance(t, TOptional):
        return "None" if value is None else f"Some({scala_value(value, t.inner)})"
    raise Untranslatable(f"Scala has no value of type {t}")


def optional_tuple(value: Any, t: Type) -> str | None:
    """MultiPL-E's spelling of a tuple of options, an upstream bug: with a None every element
    wrapped again (``(Some(None), Some(1l))``), without, no ``Some`` (``(-2l, 1l)``)."""
    if not (isinstance(t, TTuple) and any(isinstance(e, TOptional) for e in t.elems)
            and isinstance(value, (list, tuple))):
        return None
    if any(v is None for v in value):
        return "(" + ", ".join(f"Some({scala_shape(v)})" for v in value) + ")"
    return "(" + ", ".join(scala_shape(v) for v in value) + ")"


def is_primitive(t: Type) -> bool:
    return isinstance(t, (TInt, TFloat, TBool))


class ScalaTranslator(Translator):
    language = "scala"
    version = "2"
    stop_tokens = ("\n    }\n",)

    def check(self, function: FunctionIR) -> None:
        check_static_types(function, "Scala", allow_any=True, allow_union=lambda u: len(u.options) == 2)
        check_values(function)

    shape_values = True

    def value(self, value: Any, type_: Type) -> str:
        return scala_value(value, type_)

    def _passed(self, value: Any, type_: Type, faithful: bool) -> str:
        """As MultiPL-E passes a value: parenthesised, except optionals and ints where a
        Float is declared."""
        if faithful and (odd := optional_tuple(value, type_)) is not None:
            return odd
        if faithful and isinstance(type_, TUnion):  # upstream bug: the bare value, never equal to an Either
            return scala_shaped(value, True)[0]
        if faithful and isinstance(type_, TList) and isinstance(type_.elem, TAny):
            return f"({scala_coerced(value, type_, True)})"
        text = self.value(value, type_)
        if isinstance(type_, TOptional) or (isinstance(type_, TFloat) and number(value) and not isinstance(value, float)):
            return text
        return f"({text})"

    def argument(self, value: Any, type_: Type) -> str:
        return self._passed(value, type_, self.upstream_bugs)

    expected = argument

    def doctest_argument(self, value: Any, type_: Type) -> str:
        """Examples are comments: upstream's spelling, its bugs included, as published."""
        return self._passed(value, type_, True)

    doctest_output = doctest_argument

    def name(self, name: str) -> str:
        """A doctest's callee: MultiPL-E renames it as a variable first (``stringLength``)."""
        return camel_case(KEYWORDS.get(name, name))

    def test_callee(self, function: FunctionIR) -> str:
        return camel_case(function.entry_point)

    def prompt(self, function: FunctionIR, description: str) -> str:
        formal = ", ".join(f"{KEYWORDS.get(p.name, p.name)} : {scala_type(p.type)}" for p in function.params)
        method = f"def {camel_case(function.entry_point)}({formal}) : {scala_type(function.returns)} ="
        return f"{IMPORTS}object Problem {{\n{line_comment(description, INDENT + '//')}{INDENT}{method} {{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return [INDENT + "}", INDENT + "def main(args: Array[String]) = {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return [INDENT + "}\n", "}\n"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        if is_primitive(function.returns):
            return f"{INDENT}assert({actual} == {expected});"
        return f"{INDENT}assert({actual}.equals({expected}));"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"{INDENT}assert(abs({actual} - {expected}) < {max(tolerance, FLOAT32_TOLERANCE)!r});"

    def stub(self, function: FunctionIR) -> str:
        return f"{INDENT * 2}{self.default_value(function)}"


TRANSLATOR = ScalaTranslator()
