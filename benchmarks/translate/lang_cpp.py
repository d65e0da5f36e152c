"""C++ as MultiPL-E writes it (humaneval-cpp): g++ -std=c++17, ``assert`` in ``main``.

Types: int -> ``long``, float -> ``float``, str -> ``std::string``, list -> ``std::vector``,
tuple -> ``std::tuple``, dict -> ``std::map``, Optional -> ``std::optional``. The prompt ends
inside the body; the tests close it and call ``candidate`` from ``main``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, signature_types, walk, wrong_value
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
)

#: Python names that are C++ keywords or clash with the library (MultiPL-E's list).
KEYWORDS = {"operator": "op", "strlen": "string_length"}


def cpp_name(name: str) -> str:
    return KEYWORDS.get(name, name)


def union_name(syntax: TypeSyntax, t: Type) -> str:
    """MultiPL-E's name for a union: ``Union_`` and its members' C++ types (``Union_std_string_long``)."""
    return "Union_" + "_".join(union_members(t)).replace("::", "_").replace("<", "_").replace(">", "_")


def union_members(t: Type) -> list[str]:
    """The member types of a union (Optional of a union: ``std::nullopt`` last, as MultiPL-E spells None)."""
    if isinstance(t, TOptional):
        return [*union_members(t.inner), "std::nullopt"]
    assert isinstance(t, TUnion)
    return [cpp_type(o) for o in t.options]


def _optional(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TOptional)
    return union_name(syntax, t) if isinstance(t.inner, TUnion) else f"std::optional<{syntax(t.inner)}>"


cpp_type = TypeSyntax(
    "C++", int="long", float="float", str="std::string", bool="bool", none="std::nullopt", any="std::any",
    list="std::vector<{elem}>", tuple="std::tuple<{elems}>", dict="std::map<{key},{value}>",
    optional=_optional, union=union_name,
)


def is_union(t: Type) -> bool:
    return isinstance(t, TUnion) or (isinstance(t, TOptional) and isinstance(t.inner, TUnion))


def union_declaration(t: Type) -> str:
    """A C++ union as MultiPL-E declares one: a field, a constructor and an ``==`` per member."""
    name, members = union_name(cpp_type, t), union_members(t)
    fields = [(member, f"f{index}") for index, member in enumerate(members)]
    text = f"union {name}{{\n" + "\n".join(f"    {member} {field};" for member, field in fields)
    text += "".join(f"    {name}({member} _{field}) : {field}(_{field}) {{}}\n" for member, field in fields)
    text += f"    ~{name}() {{}}\n"
    text += "".join(f"    bool operator==({member} f) {{\n        return {field} == f ;\n    }}" for member, field in fields)
    return text + "\n};\n"


@dataclass(frozen=True)
class Literal:
    """A C++ expression written from a Python value's shape, and the type MultiPL-E gives it."""

    text: str
    type: Type


_CALLED = re.compile(r".+?\(")


def cpp_literal(value: Any, tuples_as_lists: bool = False) -> Literal:
    """A literal by the value's own shape, as MultiPL-E's C++ builder writes it: a list's
    elements cast to its first element's type (``std::any`` when a non-number differs), an
    empty list ``std::vector<long>()``, a tuple holding None all ``std::optional`` of the other
    elements' type, a dict typed by its first pair."""
    if value is None:
        return Literal("std::nullopt", TNone())
    if isinstance(value, bool):
        return Literal("true" if value else "false", TBool())
    if isinstance(value, int):
        return Literal(repr(value), TInt())
    if isinstance(value, float):
        return Literal(finite_float(value) + "f", TFloat())
    if isinstance(value, str):
        return Literal(quote(value), TStr())
    if isinstance(value, list) or (isinstance(value, tuple) and tuples_as_lists):
        items = [cpp_literal(v, tuples_as_lists) for v in value]
        if not items:
            return Literal("std::vector<long>()", TList(TInt()))
        first = items[0].type
        primitive = ("float", "bool", "long")
        mixed = any(cpp_type(i.type) != cpp_type(first) and cpp_type(i.type) not in primitive for i in items)
        elem = "std::any" if mixed else cpp_type(first)
        casts = ", ".join(i.text if elem == "std::any" else f"({elem}){i.text}" for i in items)
        return Literal(f"std::vector<{elem}>({{{casts}}})", TList(first))
    if isinstance(value, tuple):
        items = [cpp_literal(v, tuples_as_lists) for v in value]
        if not items:
            return Literal("std::make_tuple()", TTuple((TInt(),)))
        shape = TTuple(tuple(i.type for i in items))
        if any("std::nullopt" in i.text for i in items):
            others = [i.type for i in items if not isinstance(i.type, TNone)]
            inner = cpp_type(others[0]) if others else "long"
            return Literal("std::make_tuple(" + ", ".join(f"std::optional<{inner}>({i.text})" for i in items) + ")", shape)
        return Literal("std::make_tuple(" + ", ".join(i.text for i in items) + ")", shape)
    if isinstance(value, dict):
        pairs = [(cpp_literal(k, tuples_as_lists), cpp_literal(v, tuples_as_lists)) for k, v in value.items()]
        if not pairs:
            return Literal("std::map<long,long>()", TDict(TInt(), TInt()))
        shape = TDict(pairs[0][0].type, pairs[0][1].type)
        body = ", ".join(f"{{{k.text}, {v.text}}}" for k, v in pairs)
        return Literal(f"{cpp_type(shape)}({{{body}}})", shape)
    raise Untranslatable(f"C++ can't write the value {value!r}")


def coerce(literal: Literal, declared: Type) -> str:
    """MultiPL-E's ``update_type``: the literal as a value of the declared type. Same type:
    in parentheses; a union, a tuple, ``std::nullopt`` or an Optional: as it is; otherwise its
    leading constructor renamed to the declared type (``float(3)``, ``std::vector<float>(…)``)."""
    expected = cpp_type(declared)
    if is_union(declared):
        return literal.text
    if cpp_type(literal.type) == expected:
        return f"({literal.text})"
    if literal.text.startswith(("std::make_tuple", "std::nullopt")) or "std::optional" in expected:
        return literal.text
    called = _CALLED.findall(literal.text)
    text = literal.text.replace(called[0], expected + "(") if called else f"{expected}({literal.text})"
    return "(" + text.replace("(())", "()") + ")"


class CppTranslator(Translator):
    language = "cpp"
    version = "3"
    stop_tokens = ("\n}",)

    shape_values = True

    def check(self, function: FunctionIR) -> None:
        """MultiPL-E's unions can't compile with a None member (``std::nullopt`` is a value, not
        a type) or with both ``long`` and ``float`` (an integer literal fits both constructors):
        no completion could pass, so such a problem is dropped (upstream_bugs: written anyway)."""
        check_types(function, lambda t: not isinstance(t, TNone))
        if self.upstream_bugs:
            return
        for where, type_ in signature_types(function):
            if is_union(type_):
                members = union_members(type_)
                if "std::nullopt" in members or {"long", "float"} <= set(members):
                    raise Untranslatable(f"{where}: the C++ union {union_name(cpp_type, type_)} can't compile")

    def value(self, value: Any, type_: Type) -> str:
        """A value where `type_` is declared (arguments and expected values alike)."""
        # Tuple[T, ...] makes upstream write tuples as vectors; so must a type with no tuple in
        # it (a list inferred from tuples of varying length, HumanEval 148 as published)
        kinds = walk(type_)
        as_lists = any(isinstance(t, TList) and t.variadic for t in kinds) or not any(isinstance(t, TTuple) for t in kinds)
        return coerce(cpp_literal(value, tuples_as_lists=as_lists), type_)

    def stub(self, function: FunctionIR) -> str:
        """``return {};`` where the type has a default; a union gets a member of the wrong value."""
        returns = function.returns
        if not is_union(returns):
            return "    return {};"
        first = function.tests[0].expected if function.tests else None
        options = returns.inner.options if isinstance(returns, TOptional) else returns.options  # type: ignore[union-attr]
        option = next((o for o in options if fits(first, o)), options[0])
        wrong = wrong_value(option, first if fits(first, option) else None)
        # cast to the member's type: a string literal would pick a bool member before std::string
        return f"    return {cpp_type(returns)}(({cpp_type(option)}){coerce(cpp_literal(wrong), option)});"

    def name(self, name: str) -> str:
        return cpp_name(name)

    def prompt(self, function: FunctionIR, description: str) -> str:
        params = ", ".join(f"{cpp_type(p.type)} {cpp_name(p.name)}" for p in function.params)
        unions = {cpp_type(t): union_declaration(t) for _, t in signature_types(function) if is_union(t)}
        return (
            "#include<assert.h>\n#include<bits/stdc++.h>\n" + "".join(unions.values())
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



TRANSLATOR = CppTranslator()
