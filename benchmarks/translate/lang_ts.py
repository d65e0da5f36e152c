"""TypeScript, as MultiPL-E's ``humaneval_to_ts.py`` writes it: JavaScript's prompt and tests
with the Python hints as TypeScript types (``number``, ``string[]``, ``[number, number]``,
``{[key: string]: number}``, ``T | undefined``); ``tsc`` type-checks the program."""

from __future__ import annotations

import ast
import dataclasses
import json

from benchmarks.translate.generic import Translator, TypeSyntax, walk
from benchmarks.translate.ir import (
    FunctionIR,
    TDict,
    TFloat,
    TInt,
    TList,
    TNone,
    TStr,
    TUnion,
    Type,
    Untranslatable,
)
from benchmarks.translate.spelling import hint_nodes, line_comment


def _list(syntax: TypeSyntax, t: Type) -> str:
    """Parenthesised inside an array when a union, so that the type means what the hint says
    (MultiPL-E writes ``number | string[]`` for ``List[Union[int, str]]``: an upstream bug)."""
    assert isinstance(t, TList)
    elem = syntax(t.elem)
    return (f"({elem})" if "|" in elem else elem) + "[]"


def _list_as_upstream(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TList)
    return syntax(t.elem) + "[]"


def _dict(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TDict)
    if not isinstance(t.key, (TInt, TFloat, TStr)):
        raise Untranslatable(f"TypeScript index signatures take string or number keys, not {t.key!r}")
    return "{" + f"[key: {syntax(t.key)}]: {syntax(t.value)}" + "}"


def _union(syntax: TypeSyntax, t: Type) -> str:
    """The options in the order the hint writes them, as the official build spells them."""
    assert isinstance(t, TUnion)
    return " | ".join(syntax(o) for o in t.options)


ts_type = TypeSyntax(
    "TypeScript", int="number", float="number", str="string", bool="boolean", any="any",
    list=_list, tuple="[{elems}]", dict=_dict, optional="{inner} | undefined", union=_union,
)
ts_type_as_upstream = dataclasses.replace(ts_type, list=_list_as_upstream)


def check_hints(function: FunctionIR) -> None:
    """MultiPL-E's TypeScript translator reads the hints as written and has no type for
    ``Tuple[X, ...]`` (``...``) or a ``None`` in a hint (``Union[int, str, None]``): it drops
    those problems (HumanEval 137 and 148), though TypeScript could say both."""
    for node in hint_nodes(function):
        if isinstance(node, ast.Constant) and node.value in (Ellipsis, None):
            form = "Tuple[X, ...]" if node.value is Ellipsis else "None in a type hint"
            raise Untranslatable(f"MultiPL-E's TypeScript translator has no type for {form}")


class TypeScriptTranslator(Translator):
    language = "ts"
    version = "3"
    stop_tokens = ("\nfunction ", "\n/*", "\n//", "\nclass")

    def check(self, function: FunctionIR) -> None:
        check_hints(function)
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)
        for param in function.params:
            self.type(param.type)
        self.type(function.returns)

    def type(self, t: Type) -> str:
        if any(isinstance(inner, TNone) for inner in walk(t)):
            raise Untranslatable("MultiPL-E's TypeScript translator has no type for None")
        return (ts_type_as_upstream if self.upstream_bugs else ts_type)(t)

    def string(self, value: str) -> str:
        """JSON's escapes. MultiPL-E escapes only newlines, so a quote or a backslash would end
        or change the string (none in HumanEval); upstream_bugs writes its form."""
        if self.upstream_bugs:
            return '"' + value.replace("\n", "\\n") + '"'
        return json.dumps(value, ensure_ascii=False)

    def none(self) -> str:
        return "undefined"

    def list_(self, items: list[str]) -> str:
        return "[" + ", ".join(items) + "]"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = line_comment(description, "//", first="//") if description.strip() else ""
        args = ", ".join(f"{p.name}: {self.type(p.type)}" for p in function.params)
        return comment + f"function {function.entry_point}({args}): {self.type(function.returns)} " + "{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["declare var require: any;\nconst assert = require('node:assert');\n", "", "function test() {",
                f"  let candidate = {function.entry_point};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "test();"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"  assert.deepEqual({actual},{expected});"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"  assert.ok(Math.abs({actual} - {expected}) < {tolerance!r});"

    def stub(self, function: FunctionIR) -> str:
        return f"  return {self.default_value(function)};\n}}"


TRANSLATOR = TypeScriptTranslator()
