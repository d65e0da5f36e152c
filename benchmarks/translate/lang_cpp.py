"""C++ as MultiPL-E writes it (humaneval-cpp): g++ -std=c++17, ``assert`` in ``main``.

Types: int -> ``long``, float -> ``float``, str -> ``std::string``, list -> ``std::vector``,
tuple -> ``std::tuple``, dict -> ``std::map``, Optional -> ``std::optional``. The prompt ends
inside the body; the tests close it and call ``candidate`` from ``main``.

This module also holds the docstring helpers that the translators cpp d go rs swift share:
MultiPL-E's "reworded" terminology and its rewriting of doctest examples.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from benchmarks.translate.base import LanguageTranslator, Translation, TypeSyntax
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
    conform,
)

# --- shared docstring helpers -----------------------------------------------------------

#: MultiPL-E's terms.csv columns, in its order (the first two are the language names).
TERM_FIELDS = ("Python", "py", "array", "list", "tuple", "dictionary", "None", "True", "False")

#: MultiPL-E's terms.csv rows for the languages of this family.
TERMS: dict[str, tuple[str, ...]] = {
    "cpp": ("C++", "cpp", "vector", "vector", "tuple", "map", "None", "true", "false"),
    "d": ("D", "d", "array", "array", "tuple", "associative array", "null", "true", "false"),
    "go": ("Go", "go", "list", "list", "list", "map", "nil", "true", "false"),
    "rs": ("Rust", "rs", "vector", "vector", "tuple", "HashMap", "None", "true", "false"),
    "swift": ("Swift", "swift", "array", "array", "tuple", "dictionary", "nil", "true", "false"),
}


def reword(text: str, language: str) -> str:
    """Python words in prose replaced by the language's, as MultiPL-E's ``translate_terms`` does.

    Plain substring replacement, so MultiPL-E's quirks ("happy" -> "hapcpp") are kept: prompts
    then match the official dataset's.
    """
    for field, target in zip(TERM_FIELDS, TERMS[language], strict=True):
        if field not in text:
            continue
        if f"an {field}" in text and target[0].lower() not in "aeiou":
            text = text.replace(f"an {field}", f"a {target}")
        elif f"a {field}" in text and target[0].lower() in "aeiou":
            text = text.replace(f"a {field}", f"an {target}")
        text = text.replace(field, target)
    return text


def rewrite_description(
    function: FunctionIR, language: str, render_example: Callable[[Call], tuple[str, str]]
) -> str:
    """The docstring with prose reworded and each ``>>>`` example rewritten into the language.

    Like MultiPL-E, a doctest is the ``>>>`` line and the line after it; it is not reworded.
    `render_example` gives (call, result) text; an example it can't render stays as it was.
    """
    doctests: dict[str, DocExample] = {}
    for example in function.examples:
        if example.text.startswith(">>>"):
            doctests.setdefault(example.text.splitlines()[0].strip(), example)
    lines = function.description.splitlines()
    out: list[str] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped.startswith(">>>"):
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            out.append(reword("\n".join(prose), language))
            prose = []
        example = doctests.get(stripped)
        rendered = None
        if example is not None:
            try:
                rendered = render_example(example.call)
            except Untranslatable:
                rendered = None
        if example is not None:
            result_lines = max(len(example.text.splitlines()) - 1, 1)
        else:  # MultiPL-E's doctest is the >>> line and the next one, unless that is a >>> too
            following = lines[i + 1].strip() if i + 1 < len(lines) else ">>>"
            result_lines = 0 if following.startswith(">>>") else 1
        if rendered is None:
            out.extend(lines[i:i + 1 + result_lines])
        else:
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            out.append(f"{indent}>>> {rendered[0]}\n{indent}{rendered[1]}")
        i += 1 + result_lines
    if prose:
        out.append(reword("\n".join(prose), language))
    return "\n".join(out)


_LINESTART = re.compile(r"\n(\s*)")


def line_comment(description: str, marker: str, pattern: re.Pattern[str] = _LINESTART) -> str:
    """MultiPL-E's docstring-to-comment: every line start (blank lines folded) gets `marker`."""
    return f"{marker} " + pattern.sub("\n" + marker + " ", description.strip()) + "\n"


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def quote(text: str) -> str:
    """A double-quoted string literal valid in C++, D, Go, Rust and Swift."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            raise Untranslatable(f"control character {char!r} in a string")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def check_types(function: FunctionIR, allow: Callable[[Type], bool]) -> None:
    """Raise Untranslatable when a parameter or the return has a type the language lacks."""
    for where, type_ in [(p.name, p.type) for p in function.params] + [("return", function.returns)]:
        if not allow(type_):
            raise Untranslatable(f"{where}: type {type_} has no translation")


def walk(type_: Type) -> list[Type]:
    """`type_` and every type inside it."""
    inner: list[Type] = []
    if isinstance(type_, (TList, TOptional)):
        inner = [type_.elem if isinstance(type_, TList) else type_.inner]
    elif isinstance(type_, TTuple):
        inner = list(type_.elems)
    elif isinstance(type_, TDict):
        inner = [type_.key, type_.value]
    elif isinstance(type_, TUnion):
        inner = list(type_.options)
    return [type_] + [t for i in inner for t in walk(i)]


def no_any_or_union(type_: Type) -> bool:
    return not any(isinstance(t, (TAny, TUnion)) for t in walk(type_))


def float_literal(value: float) -> str:
    text = repr(float(value))
    if text in ("inf", "-inf", "nan"):
        raise Untranslatable(f"float {text} has no literal")
    return text


# --- C++ ----------------------------------------------------------------------------------

#: Python names that are C++ keywords or clash with the library (MultiPL-E's list).
KEYWORDS = {"operator": "op", "strlen": "string_length"}


def cpp_name(name: str) -> str:
    return KEYWORDS.get(name, name)


cpp_type = TypeSyntax(
    "C++", int="long", float="float", str="std::string", bool="bool", others={TNone: "void"},
    list_form="std::vector<{elem}>", tuple_form="std::tuple<{elems}>", dict_form="std::map<{key},{value}>",
    optional_form="std::optional<{inner}>",
)



def cpp_value(value: Any, type_: Type) -> str:
    """A C++ expression of `type_` for the Python value (MultiPL-E's typed literal style)."""
    if isinstance(type_, TOptional):
        return "std::nullopt" if value is None else cpp_value(value, type_.inner)
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):
        return float_literal(value) + "f"
    if isinstance(type_, TStr):
        return quote(value)
    if isinstance(type_, TList):
        elem = cpp_type(type_.elem)
        items = ", ".join(f"({elem}){cpp_value(v, type_.elem)}" for v in value)
        return f"std::vector<{elem}>({{{items}}})" if items else f"std::vector<{elem}>()"
    if isinstance(type_, TTuple):
        parts = []
        for v, t in zip(value, type_.elems, strict=True):
            text = cpp_value(v, t)
            parts.append(f"{cpp_type(t)}({text})" if isinstance(t, TOptional) else text)
        return "std::make_tuple(" + ", ".join(parts) + ")"
    if isinstance(type_, TDict):
        pairs = ", ".join(
            f"{{{cpp_value(k, type_.key)}, {cpp_value(v, type_.value)}}}" for k, v in value.items()
        )
        return f"{cpp_type(type_)}({{{pairs}}})"
    raise Untranslatable(f"type {type_} has no C++ value")


def cpp_arg(value: Any, type_: Type) -> str:
    """An argument or expected value as MultiPL-E wraps it: ``(expr)``."""
    return f"({cpp_value(conform(value, type_), type_)})"


class CppTranslator(LanguageTranslator):
    language = "cpp"
    version = "1"
    stop_tokens = ("\n}",)

    def translate(self, function: FunctionIR) -> Translation:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))
        name = cpp_name(function.entry_point)
        param_types = [p.type for p in function.params]

        def call(c: Call, callee: str) -> str:
            args = ", ".join(cpp_arg(v, t) for v, t in zip(c.args, param_types, strict=True))
            return f"{callee}({args})"

        description = rewrite_description(
            function, "cpp", lambda c: (call(c, name), cpp_arg(c.expected, function.returns))
        )
        params = ", ".join(f"{cpp_type(p.type)} {cpp_name(p.name)}" for p in function.params)
        prompt = (
            "#include<assert.h>\n#include<bits/stdc++.h>\n"
            + line_comment(description, "//")
            + f"{cpp_type(function.returns)} {name}({params}) {{\n"
        )
        lines = ["}", "int main() {", f"    auto candidate = {name};"]
        for test in function.tests:
            actual = call(test, "candidate")
            expected = cpp_arg(test.expected, function.returns)
            if function.float_tolerance is not None and isinstance(function.returns, TFloat):
                lines.append(f"    assert(std::abs({actual} - {expected}) < {function.float_tolerance!r});")
            else:
                lines.append(f"    assert({actual} == {expected});")
        lines.append("}\n")
        return Translation(
            prompt=prompt,
            tests="\n".join(lines),
            stop_tokens=self.stop_tokens,
            stub_completion="    return {};",
        )


TRANSLATOR = CppTranslator()
