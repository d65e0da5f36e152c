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
)
from benchmarks.translate.spelling import (
    c_string,
    camel_case,
    check_static_types,
    check_values,
    line_comment,
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


_FORMS = dict(list="ArrayList<{elem}>", dict="HashMap<{key},{value}>", tuple=_tuple, optional="Optional<{inner}>")
java_type = TypeSyntax(
    "Java", int="long", float="float", str="String", bool="boolean", **_FORMS,  # type: ignore[arg-type]
    nested=TypeSyntax("Java", int="Long", float="Float", str="String", bool="Boolean", **_FORMS),  # type: ignore[arg-type]
)


def java_value(value: Any, t: Type) -> str:
    """A Java expression for a Python value of type `t`, shaped as MultiPL-E writes it."""
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}l"
    if isinstance(t, TFloat):
        return repr(float(value)) + "f"
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        cast = java_type(t.elem)
        items = ", ".join(f"({cast}){java_value(v, t.elem)}" for v in value)
        return f"new {java_type(t)}(Arrays.asList({items}))"
    if isinstance(t, TDict):
        pairs = [(java_value(k, t.key), java_value(v, t.value)) for k, v in value.items()]
        if len(pairs) <= 10:
            body = "Map.of(" + ", ".join(f"{k}, {v}" for k, v in pairs) + ")"
        else:  # Map.of stops at 10 pairs
            body = "Map.ofEntries(" + ", ".join(f"Map.entry({k}, {v})" for k, v in pairs) + ")"
        return f"new {java_type(t)}({body})"
    if isinstance(t, TTuple):
        name = TUPLES[len(t.elems)]
        return f"{name}.with(" + ", ".join(java_value(v, e) for v, e in zip(value, t.elems, strict=True)) + ")"
    if isinstance(t, TOptional):
        return "Optional.empty()" if value is None else f"Optional.of({java_value(value, t.inner)})"
    raise Untranslatable(f"Java has no value of type {t}")


def is_primitive(t: Type) -> bool:
    return isinstance(t, (TInt, TFloat, TBool))


class JavaTranslator(Translator):
    language = "java"
    version = "2"
    stop_tokens = ("\n    }\n",)

    def check(self, function: FunctionIR) -> None:
        check_static_types(function, "Java")
        check_values(function)

    def value(self, value: Any, type_: Type) -> str:
        return java_value(value, type_)

    def argument(self, value: Any, type_: Type) -> str:
        """As MultiPL-E passes a value: parenthesised, except optionals."""
        text = self.value(value, type_)
        return text if isinstance(type_, TOptional) else f"({text})"

    expected = argument

    def name(self, name: str) -> str:
        return camel_case(name)

    def test_callee(self, function: FunctionIR) -> str:
        return self.name(function.entry_point)

    def prompt(self, function: FunctionIR, description: str) -> str:
        formal = ", ".join(f"{java_type(p.type)} {KEYWORDS.get(p.name, p.name)}" for p in function.params)
        method = f"public static {java_type(function.returns)} {self.name(function.entry_point)}({formal})"
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
