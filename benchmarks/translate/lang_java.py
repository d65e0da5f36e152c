"""Java, as MultiPL-E's ``humaneval_to_java`` writes it: class ``Problem``, ``assert`` in ``main``.

Types: int -> ``long``, float -> ``float``, str -> ``String``, list -> ``ArrayList``, dict ->
``HashMap``, tuple -> org.javatuples (``Pair``, ``Triplet`` ...), Optional -> ``Optional``;
inside generics the boxed ``Long``, ``Float``, ``Boolean``. The function is a static method
of ``Problem``; the tests are asserts in its ``main`` (run with ``-ea``).
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
)

IMPORTS = (
    "import java.util.*;\n"
    "import java.lang.reflect.*;\n"
    "import org.javatuples.*;\n"
    "import java.security.*;\n"
    "import java.math.*;\n"
    "import java.io.*;\n"
    "import java.util.stream.*;\n"
)
#: org.javatuples class per arity.
TUPLES = {1: "Unit", 2: "Pair", 3: "Triplet", 4: "Quartet", 5: "Quintet", 6: "Sextet",
          7: "Septet", 8: "Octet", 9: "Ennead", 10: "Decade"}
#: Names MultiPL-E's C++-derived translators rename (and Java keywords).
KEYWORDS = {"operator": "op", "strlen": "string_length"}
INDENT = "    "
#: MultiPL-E types Python floats as 32-bit ``float``; an input such as 123.456 is already
#: 1e-6 off there, so a Python ``abs(x - y) < tol`` test keeps at least this tolerance.
FLOAT32_TOLERANCE = 1e-4


def _tuple(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TTuple)
    if len(t.elems) not in TUPLES:
        raise Untranslatable(f"org.javatuples has no {len(t.elems)}-tuple")
    return f"{TUPLES[len(t.elems)]}<{', '.join(syntax.inner(e) for e in t.elems)}>"


_FORMS = dict(list="ArrayList<{elem}>", dict="HashMap<{key},{value}>", tuple=_tuple, optional="Optional<{inner}>",
              any="Object")
java_type = TypeSyntax(
    "Java", int="long", float="float", str="String", bool="boolean", **_FORMS,  # type: ignore[arg-type]
    nested=TypeSyntax("Java", int="Long", float="Float", str="String", bool="Boolean", **_FORMS),  # type: ignore[arg-type]
)


def java_shape(value: Any) -> str:
    """A value spelled by its own Python shape, as MultiPL-E's ``gen_literal`` does where the
    value doesn't fit the declared type (``8l`` as a key of a ``HashMap<String,String>``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}l"
    if isinstance(value, float):
        return repr(value) + "f"
    if isinstance(value, str):
        return c_string(value)
    if value is None:
        return "Optional.empty()"
    raise Untranslatable(f"Java: no spelling of {value!r} outside its type")


_BOXED = {"long": "Long", "float": "Float", "boolean": "Boolean"}


def java_shaped(value: Any, faithful: bool = False) -> tuple[str, str]:
    """(text, Java type) of an untyped value, by its own shape, as MultiPL-E's Java writes it.

    A list's type is its first element's; its elements are cast to that type when all are of
    it (`faithful`: or are primitives, ``(String)3.14f``), else it is a list of ``Object``
    without casts. An empty list or map is one of longs.
    """
    if isinstance(value, bool) or value is None or not isinstance(value, (list, dict)):
        kind = {bool: "boolean", int: "long", float: "float", str: "String"}.get(type(value))
        if kind is None:
            raise Untranslatable(f"Java: no untyped spelling of {value!r}")
        return java_shape(value), kind
    if isinstance(value, list):
        if not value:
            return "new ArrayList<Long>(Arrays.asList())", "ArrayList<Long>"
        items = [java_shaped(v, faithful) for v in value]
        first = items[0][1]
        if all(t == first or (faithful and t in _BOXED) for _, t in items):
            body, elem = ", ".join(f"({first}){x}" for x, _ in items), _BOXED.get(first, first)
        else:
            body, elem = ", ".join(x for x, _ in items), "Object"
        return f"new ArrayList<{elem}>(Arrays.asList({body}))", f"ArrayList<{_BOXED.get(first, first)}>"
    if not value:
        return "new HashMap<Long,Long>(Map.of())", "HashMap<Long,Long>"
    pairs = [(java_shaped(k, faithful), java_shaped(v, faithful)) for k, v in value.items()]
    kind = f"HashMap<{_BOXED.get(pairs[0][0][1], pairs[0][0][1])},{_BOXED.get(pairs[0][1][1], pairs[0][1][1])}>"
    return f"new {kind}(Map.of({', '.join(f'{k}, {v}' for (k, _), (v, _) in pairs)}))", kind


def java_coerced(value: Any, t: Type, faithful: bool = False) -> str:
    """An untyped value converted to the declared type as MultiPL-E's ``update_type`` does:
    the outer ``new T(`` of its shape's type becomes the declared type's."""
    text, kind = java_shaped(value, faithful)
    declared = java_type(t)
    if kind == declared or "Arrays.asList(" not in text:
        return text
    return text.replace(text[text.index("new ") + 4:text.index("Arrays.asList(")], declared + "(")


def java_value(value: Any, t: Type, faithful: bool = False) -> str:
    """A Java expression for a Python value of type `t`, shaped as MultiPL-E writes it.

    Numbers keep their Python kind: an int where a float is declared is ``(float)3l``, as
    MultiPL-E casts it. `faithful`: a float list's element cast is its first element's kind
    (``new ArrayList<Float>(Arrays.asList((long)1l))``, which javac refuses; MultiPL-E
    writes it in prompts).
    """
    if isinstance(t, TAny):
        return java_shaped(value, faithful)[0]
    if isinstance(t, TList) and isinstance(t.elem, TAny):
        return java_coerced(value, t, faithful)
    if not fits(value, t) and not same_kind(value, t):
        if isinstance(t, (TList, TDict, TTuple)) and not isinstance(value, (list, tuple, dict)):
            return f"{java_type(t)}({java_shape(value)})"  # MultiPL-E's coercion of a scalar
        return java_shape(value)
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}l"
    if isinstance(t, TFloat):
        return repr(value) + "f" if isinstance(value, float) else f"(float){value}l"
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        first_int = faithful and isinstance(t.elem, TFloat) and bool(value) and not isinstance(value[0], float)

        def item(v: Any) -> str:
            if first_int:
                return "(long)" + java_shape(v)
            if isinstance(t.elem, TFloat) and number(v) and not isinstance(v, float):
                return java_value(v, t.elem)
            return f"({java_type(t.elem)}){java_value(v, t.elem, faithful)}"

        return f"new {java_type(t)}(Arrays.asList({', '.join(item(v) for v in value)}))"
    if isinstance(t, TDict):
        pairs = [(java_value(k, t.key, faithful), java_value(v, t.value, faithful)) for k, v in value.items()]
        if len(pairs) <= 10:
            body = "Map.of(" + ", ".join(f"{k}, {v}" for k, v in pairs) + ")"
        else:  # Map.of stops at 10 pairs
            body = "Map.ofEntries(" + ", ".join(f"Map.entry({k}, {v})" for k, v in pairs) + ")"
        return f"new {java_type(t)}({body})"
    if isinstance(t, TTuple):
        name = TUPLES[len(t.elems)]
        return f"{name}.with(" + ", ".join(java_value(v, e, faithful) for v, e in zip(value, t.elems, strict=True)) + ")"
    if isinstance(t, TOptional):
        return "Optional.empty()" if value is None else f"Optional.of({java_value(value, t.inner, faithful)})"
    raise Untranslatable(f"Java has no value of type {t}")


def optional_tuple(value: Any, t: Type) -> str | None:
    """MultiPL-E's spelling of a tuple of optionals, an upstream bug: with a None, every
    element wrapped again (``Pair.with(Optional.of(Optional.empty()), Optional.of(1l))``),
    without, the whole tuple (``Optional.of(Pair.with(-2l, 1l))``): equal to no answer."""
    if not (isinstance(t, TTuple) and any(isinstance(e, TOptional) for e in t.elems)
            and isinstance(value, (list, tuple))):
        return None
    name = TUPLES[len(t.elems)]
    if any(v is None for v in value):
        return f"{name}.with(" + ", ".join(f"Optional.of({java_shape(v)})" for v in value) + ")"
    return f"Optional.of({name}.with(" + ", ".join(java_shape(v) for v in value) + "))"


def is_primitive(t: Type) -> bool:
    return isinstance(t, (TInt, TFloat, TBool))


class JavaTranslator(Translator):
    language = "java"
    version = "2"
    stop_tokens = ("\n    }\n",)

    def check(self, function: FunctionIR) -> None:
        check_static_types(function, "Java", allow_any=True)
        check_values(function)

    shape_values = True

    def value(self, value: Any, type_: Type) -> str:
        return java_value(value, type_)

    def _passed(self, value: Any, type_: Type, faithful: bool) -> str:
        """As MultiPL-E passes a value: parenthesised, except optionals and cast ints; an
        empty map of another type than ``HashMap<Long,Long>`` loses its ``Map.of()``."""
        if faithful and (odd := optional_tuple(value, type_)) is not None:
            return odd
        if isinstance(type_, TDict) and value == {} and not (isinstance(type_.key, TInt) and isinstance(type_.value, TInt)):
            return f"(new {java_type(type_)}())"
        text = java_value(value, type_, faithful)
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
        """A call's name in a doctest: MultiPL-E renames it as a variable first (``strlen``
        becomes ``stringLength``), though the method itself keeps its name."""
        return camel_case(KEYWORDS.get(name, name))

    def test_callee(self, function: FunctionIR) -> str:
        return camel_case(function.entry_point)

    def prompt(self, function: FunctionIR, description: str) -> str:
        formal = ", ".join(f"{java_type(p.type)} {KEYWORDS.get(p.name, p.name)}" for p in function.params)
        method = f"public static {java_type(function.returns)} {camel_case(function.entry_point)}({formal})"
        return f"{IMPORTS}class Problem {{\n{line_comment(description, INDENT + '//')}{INDENT}{method} {{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return [INDENT + "}", INDENT + "public static void main(String[] args) {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return [INDENT + "}\n", "}\n"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        if is_primitive(function.returns):
            return f"{INDENT}assert({actual} == {expected});"
        return f"{INDENT}assert({actual}.equals({expected}));"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"{INDENT}assert(Math.abs({actual} - {expected}) < {max(tolerance, FLOAT32_TOLERANCE)!r});"

    def stub(self, function: FunctionIR) -> str:
        return f"{INDENT * 2}return {self.default_value(function)};"


TRANSLATOR = JavaTranslator()
