"""Java, as MultiPL-E's ``humaneval_to_java`` writes it: class ``Problem``, ``assert`` in ``main``.

Also home of the small text helpers the other ``class Problem`` languages (C#, Scala) share:
MultiPL-E's "reworded" docstring terms, doctest rewriting and ``//`` comment blocks.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.translate.base import LanguageTranslator, Translation
from benchmarks.translate.ir import (
    Call,
    DocExample,
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
)

# --- shared by the class-Problem languages (java, cs, scala) -----------------------------

#: MultiPL-E's terms.csv columns, in its order; each language maps them to its own words.
#: MultiPL-E replaces every column, "Python" and "py" included, as plain substrings (so its
#: Java prompts say "hapjava" for "happy"); we keep that so prompts match the official dataset.
TERM_FIELDS: tuple[str, ...] = ("Python", "py", "array", "list", "tuple", "dictionary", "None", "True", "False")
DOCTEST_RE = re.compile(r">>>.*\n.*\n")
LINE_START_RE = re.compile(r"\n(\s*)")
INT64 = (-(2**63), 2**63 - 1)
#: MultiPL-E types Python floats as 32-bit ``float``; an input such as 123.456 is already
#: 1e-6 off there, so a Python ``abs(x - y) < tol`` test keeps at least this tolerance.
FLOAT32_TOLERANCE = 1e-4


def camel_case(name: str, capitalize_first: bool = False) -> str:
    """MultiPL-E's to_camel_case: ``has_close_elements`` -> ``hasCloseElements``."""
    parts = name.split("_")
    head = parts[0].title() if capitalize_first else parts[0]
    return head + "".join(part.title() for part in parts[1:])


def _translate_terms(text: str, terms: dict[str, str]) -> str:
    for field in TERM_FIELDS:
        target = terms[field]
        if field not in text:
            continue
        if "an " + field in text and target[0].lower() not in "aeiou":
            text = text.replace("an " + field, "a " + target)
        elif "a " + field in text and target[0].lower() in "aeiou":
            text = text.replace("a " + field, "an " + target)
        text = text.replace(field, target)
    return text


def reword(description: str, terms: dict[str, str]) -> str:
    """The docstring with Python terms in the target language's words, doctests untouched."""
    out, last = [], 0
    for match in DOCTEST_RE.finditer(description):
        out.append(_translate_terms(description[last : match.start()], terms))
        out.append(match.group(0))
        last = match.end()
    out.append(_translate_terms(description[last:], terms))
    return "".join(out)


def _doctest_key(line: str) -> str:
    return line.strip().lstrip(">").strip()


def rewrite_doctests(description: str, examples: Sequence[DocExample], render: Callable[[Call], tuple[str, str]]) -> str:
    """Each ``>>> call`` / result pair rewritten into the language; unknown ones stay as they are."""
    by_call = {_doctest_key(ex.text.strip().splitlines()[0]): ex for ex in examples if ex.text.strip()}
    out, last = [], 0
    for match in DOCTEST_RE.finditer(description):
        out.append(description[last : match.start()])
        last = match.end()
        example = by_call.get(_doctest_key(match.group(0).split("\n")[0]))
        if example is None:
            out.append(match.group(0))
            continue
        call, result = render(example.call)
        out.append(">>> " + call + "\n    " + result + "\n")
    out.append(description[last:])
    return "".join(out)


def comment_block(description: str, indent: str) -> str:
    """The docstring as ``//`` lines (MultiPL-E collapses blank lines and indentation)."""
    start = indent + "//"
    return start + " " + LINE_START_RE.sub("\n" + start + " ", description.strip())


def doc_comment(function: FunctionIR, terms: dict[str, str], indent: str, render: Callable[[Call], tuple[str, str]]) -> str:
    description = function.description if function.description.endswith("\n") else function.description + "\n"
    return comment_block(rewrite_doctests(reword(description, terms), function.examples, render), indent)


def check_supported(function: FunctionIR, language: str, allow_union: bool = False) -> None:
    """Raise Untranslatable for types a statically typed class-Problem language can't spell."""

    def walk(t: Type, where: str) -> None:
        if isinstance(t, TAny):
            raise Untranslatable(f"{language} has no type for an untyped value ({where})")
        if isinstance(t, TUnion) and not allow_union:
            raise Untranslatable(f"{language} can't express a union type ({where})")
        if isinstance(t, TNone):
            raise Untranslatable(f"{language}: None outside Optional ({where})")
        for child in children(t):
            walk(child, where)

    for param in function.params:
        walk(param.type, f"parameter {param.name}")
    walk(function.returns, "return type")
    if not function.tests:
        raise Untranslatable("no test could be translated")
    for call in function.tests:
        if len(call.args) != len(function.params):
            raise Untranslatable(f"a test calls with {len(call.args)} arguments, the function takes {len(function.params)}")


def children(t: Type) -> tuple[Type, ...]:
    if isinstance(t, TList):
        return (t.elem,)
    if isinstance(t, TTuple):
        return t.elems
    if isinstance(t, TDict):
        return (t.key, t.value)
    if isinstance(t, TOptional):
        return (t.inner,)
    if isinstance(t, TUnion):
        return t.options
    return ()


def check_value(value: Any, t: Type) -> None:
    """Raise Untranslatable when a test value does not fit its declared type."""
    ok = True
    if isinstance(t, TBool):
        ok = isinstance(value, bool)
    elif isinstance(t, TInt):
        ok = isinstance(value, int) and not isinstance(value, bool) and INT64[0] <= value <= INT64[1]
    elif isinstance(t, TFloat):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    elif isinstance(t, TStr):
        ok = isinstance(value, str)
    elif isinstance(t, TList):
        ok = isinstance(value, (list, tuple))
        if ok:
            for item in value:
                check_value(item, t.elem)
    elif isinstance(t, TTuple):
        ok = isinstance(value, (list, tuple)) and len(value) == len(t.elems)
        if ok:
            for item, elem in zip(value, t.elems):
                check_value(item, elem)
    elif isinstance(t, TDict):
        ok = isinstance(value, dict)
        if ok:
            for key, item in value.items():
                check_value(key, t.key)
                check_value(item, t.value)
    elif isinstance(t, TOptional) and value is not None:
        check_value(value, t.inner)
    if not ok:
        raise Untranslatable(f"test value {value!r} does not fit type {t}")


def check_calls(function: FunctionIR) -> None:
    for call in function.tests + tuple(ex.call for ex in function.examples):
        if len(call.args) != len(function.params):
            continue  # examples that don't match stay as text; tests were checked already
        for value, param in zip(call.args, function.params):
            check_value(value, param.type)
        check_value(call.expected, function.returns)


def wrong_value(t: Type, expected: Any, tolerance: float | None = None) -> Any:
    """A default value of type `t` that differs from `expected`, so a stub returning it fails."""
    if isinstance(t, TBool):
        return not expected if isinstance(expected, bool) else False
    if isinstance(t, TInt):
        return 0 if expected != 0 else 1
    if isinstance(t, TFloat):
        if not isinstance(expected, (int, float)):
            return 0.0
        return 0.0 if abs(float(expected)) > max(1.0, 10 * (tolerance or 0)) else 1000.0
    if isinstance(t, TStr):
        return "" if expected != "" else "x"
    if isinstance(t, TList):
        return [] if expected else [wrong_value(t.elem, None)]
    if isinstance(t, TTuple):
        first = expected[0] if expected else None
        return tuple([wrong_value(t.elems[0], first)] + [wrong_value(e, None) for e in t.elems[1:]])
    if isinstance(t, TDict):
        return {} if expected else {wrong_value(t.key, None): wrong_value(t.value, None)}
    if isinstance(t, TOptional):
        return None if expected is not None else wrong_value(t.inner, None)
    raise Untranslatable(f"no default value for type {t}")


def tolerance(function: FunctionIR) -> float | None:
    """The tolerance of the float comparisons, widened for 32-bit floats (or None: exact)."""
    if function.float_tolerance is None:
        return None
    return max(function.float_tolerance, FLOAT32_TOLERANCE)


def float_literal(value: float) -> str:
    return repr(float(value)) + "f"


def c_string(value: str) -> str:
    """A double-quoted literal with C-family escapes (Java, C#, Scala all read these)."""
    escapes = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}
    return '"' + "".join(escapes.get(ch, ch) for ch in value) + '"'


# --- Java ---------------------------------------------------------------------------------

JAVA_TERMS = {
    "Python": "Java", "py": "java", "array": "array list", "list": "array list", "tuple": "pair",
    "dictionary": "hash map", "None": "null", "True": "true", "False": "false",
}
JAVA_IMPORTS = (
    "import java.util.*;\n"
    "import java.lang.reflect.*;\n"
    "import org.javatuples.*;\n"
    "import java.security.*;\n"
    "import java.math.*;\n"
    "import java.io.*;\n"
    "import java.util.stream.*;\n"
)
#: org.javatuples class per arity.
JAVA_TUPLES = {1: "Unit", 2: "Pair", 3: "Triplet", 4: "Quartet", 5: "Quintet", 6: "Sextet",
               7: "Septet", 8: "Octet", 9: "Ennead", 10: "Decade"}
#: Names MultiPL-E's C++-derived translators rename (and Java keywords).
JAVA_KEYWORDS = {"operator": "op", "strlen": "string_length"}
INDENT = "    "


def java_type(t: Type, boxed: bool = False) -> str:
    if isinstance(t, TInt):
        return "Long" if boxed else "long"
    if isinstance(t, TFloat):
        return "Float" if boxed else "float"
    if isinstance(t, TBool):
        return "Boolean" if boxed else "boolean"
    if isinstance(t, TStr):
        return "String"
    if isinstance(t, TList):
        return f"ArrayList<{java_type(t.elem, True)}>"
    if isinstance(t, TDict):
        return f"HashMap<{java_type(t.key, True)},{java_type(t.value, True)}>"
    if isinstance(t, TTuple):
        if len(t.elems) not in JAVA_TUPLES:
            raise Untranslatable(f"org.javatuples has no {len(t.elems)}-tuple")
        return f"{JAVA_TUPLES[len(t.elems)]}<{', '.join(java_type(e, True) for e in t.elems)}>"
    if isinstance(t, TOptional):
        return f"Optional<{java_type(t.inner, True)}>"
    raise Untranslatable(f"Java has no type for {t}")


def java_value(value: Any, t: Type) -> str:
    """A Java expression for a Python value of type `t`, shaped as MultiPL-E writes it."""
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}l"
    if isinstance(t, TFloat):
        return float_literal(value)
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
        name = JAVA_TUPLES[len(t.elems)]
        return f"{name}.with(" + ", ".join(java_value(v, e) for v, e in zip(value, t.elems)) + ")"
    if isinstance(t, TOptional):
        return "Optional.empty()" if value is None else f"Optional.of({java_value(value, t.inner)})"
    raise Untranslatable(f"Java has no value of type {t}")


def is_primitive(t: Type) -> bool:
    return isinstance(t, (TInt, TFloat, TBool))


class ClassTranslator(LanguageTranslator):
    """MultiPL-E's class languages (Java, C#, Scala): the function is a method of ``Problem``
    and the tests are asserts in its main method; subclasses give the syntax."""

    version = "1"
    stop_tokens = ("\n    }\n",)
    display_name: str
    terms: dict[str, str]
    imports: str
    container = "class Problem"
    main_header: str
    capitalize_name = False
    assert_call = "assert"
    abs_call = "Math.abs"
    equals = ".equals"

    def value(self, value: Any, t: Type) -> str:
        raise NotImplementedError

    def arg(self, value: Any, t: Type) -> str:
        """As MultiPL-E passes a value: parenthesised, except optionals."""
        text = self.value(value, t)
        return text if isinstance(t, TOptional) else f"({text})"

    def method(self, name: str, function: FunctionIR) -> str:
        raise NotImplementedError

    def stub_line(self, value: str) -> str:
        return f"return {value};"

    def helpers(self, function: FunctionIR) -> list[str]:
        """Methods put in the class before main (main's brace must stay second to last)."""
        return []

    def compare(self, call: str, right: str, function: FunctionIR) -> str:
        return f"{call}{self.equals}({right})"

    def translate(self, function: FunctionIR) -> Translation:
        check_supported(function, self.display_name)
        check_calls(function)
        name = camel_case(function.entry_point, capitalize_first=self.capitalize_name)

        def call(c: Call) -> str:
            return f"{name}(" + ", ".join(self.arg(v, p.type) for v, p in zip(c.args, function.params)) + ")"

        def render(c: Call) -> tuple[str, str]:
            return call(c), self.arg(c.expected, function.returns)

        comment = doc_comment(function, self.terms, INDENT, render)
        prompt = f"{self.imports}{self.container} {{\n{comment}\n{INDENT}{self.method(name, function)} {{\n"
        lines = [INDENT + "}", *self.helpers(function), INDENT + self.main_header]
        lines += [INDENT + self.assertion(call(test), test.expected, function) for test in function.tests]
        lines += [INDENT + "}\n", "}\n"]
        wrong = wrong_value(function.returns, function.tests[0].expected, tolerance(function))
        stub = INDENT * 2 + self.stub_line(self.value(wrong, function.returns))
        return Translation(prompt, "\n".join(lines), self.stop_tokens, stub)

    def assertion(self, call: str, expected: Any, function: FunctionIR) -> str:
        right = self.arg(expected, function.returns)
        if isinstance(function.returns, TFloat) and function.float_tolerance is not None:
            return f"{self.assert_call}({self.abs_call}({call} - {right}) < {tolerance(function)!r});"
        if is_primitive(function.returns):
            return f"{self.assert_call}({call} == {right});"
        return f"{self.assert_call}({self.compare(call, right, function)});"


class JavaTranslator(ClassTranslator):
    language = "java"
    display_name = "Java"
    terms = JAVA_TERMS
    imports = JAVA_IMPORTS
    main_header = "public static void main(String[] args) {"

    def value(self, value: Any, t: Type) -> str:
        return java_value(value, t)

    def method(self, name: str, function: FunctionIR) -> str:
        formal = ", ".join(f"{java_type(p.type)} {JAVA_KEYWORDS.get(p.name, p.name)}" for p in function.params)
        return f"public static {java_type(function.returns)} {name}({formal})"


TRANSLATOR = JavaTranslator()
