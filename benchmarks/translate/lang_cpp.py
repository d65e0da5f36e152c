"""C++ as MultiPL-E writes it (humaneval-cpp): g++ -std=c++17, ``assert`` in ``main``.

Types: int -> ``long``, float -> ``float``, str -> ``std::string``, list -> ``std::vector``,
tuple -> ``std::tuple``, dict -> ``std::map``, Optional -> ``std::optional``. The prompt ends
inside the body; the tests close it and call ``candidate`` from ``main``.
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
    TNone,
    TOptional,
    TStr,
    TTuple,
    Type,
    Untranslatable,
    conform,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    no_any_or_union,
    quote,
)

#: Python names that are C++ keywords or clash with the library (MultiPL-E's list).
KEYWORDS = {"operator": "op", "strlen": "string_length"}


def cpp_name(name: str) -> str:
    return KEYWORDS.get(name, name)


cpp_type = TypeSyntax(
    "C++", int="long", float="float", str="std::string", bool="bool", none="void",
    list="std::vector<{elem}>", tuple="std::tuple<{elems}>", dict="std::map<{key},{value}>",
    optional="std::optional<{inner}>",
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
        return finite_float(value) + "f"
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


class CppTranslator(Translator):
    language = "cpp"
    version = "2"
    stop_tokens = ("\n}",)

    def check(self, function: FunctionIR) -> None:
        check_types(function, lambda t: no_any_or_union(t) and not isinstance(t, TNone))

    def value(self, value: Any, type_: Type) -> str:
        return cpp_value(conform(value, type_), type_)

    def argument(self, value: Any, type_: Type) -> str:
        """As MultiPL-E wraps arguments and expected values: ``(expr)``."""
        return f"({self.value(value, type_)})"

    expected = argument

    def name(self, name: str) -> str:
        return cpp_name(name)

    def prompt(self, function: FunctionIR, description: str) -> str:
        params = ", ".join(f"{cpp_type(p.type)} {cpp_name(p.name)}" for p in function.params)
        return (
            "#include<assert.h>\n#include<bits/stdc++.h>\n"
            + line_comment(description, "//")
            + f"{cpp_type(function.returns)} {self.name(function.entry_point)}({params}) {{\n"
        )

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["}", "int main() {", f"    auto candidate = {self.name(function.entry_point)};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}\n"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    assert({actual} == {expected});"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    assert(std::abs({actual} - {expected}) < {tolerance!r});"

    def stub(self, function: FunctionIR) -> str:
        return "    return {};"


TRANSLATOR = CppTranslator()
