"""TypeScript, as MultiPL-E's ``humaneval_to_ts.py`` writes it: JavaScript's prompt and tests
with the Python hints as TypeScript types (``number``, ``string[]``, ``[number, number]``,
``{[key: string]: number}``, ``T | undefined``); ``tsc`` type-checks the program."""

from __future__ import annotations

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
from benchmarks.translate.spelling import line_comment


def _list(syntax: TypeSyntax, t: Type) -> str:
    """Parenthesised inside an array when a union, so that the type means what the hint says."""
    assert isinstance(t, TList)
    elem = syntax(t.elem)
    return (f"({elem})" if "|" in elem else elem) + "[]"


def _dict(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TDict)
    if not isinstance(t.key, (TInt, TFloat, TStr)):
        raise Untranslatable(f"TypeScript index signatures take string or number keys, not {t.key!r}")
    return "{" + f"[key: {syntax(t.key)}]: {syntax(t.value)}" + "}"


def _union(syntax: TypeSyntax, t: Type) -> str:
    """MultiPL-E's translate_type joins union options with "| "."""
    assert isinstance(t, TUnion)
    return "| ".join(syntax(o) for o in t.options)


ts_type = TypeSyntax(
    "TypeScript", int="number", float="number", str="string", bool="boolean", any="any",
    list=_list, tuple="[{elems}]", dict=_dict, optional="{inner} | undefined", union=_union,
)


class TypeScriptTranslator(Translator):
    language = "ts"
    version = "2"
    stop_tokens = ("\nfunction ", "\n/*", "\n//", "\nclass")

    def check(self, function: FunctionIR) -> None:
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)
        for param in function.params:
            self.type(param.type)
        self.type(function.returns)

    @staticmethod
    def type(t: Type) -> str:
        if any(isinstance(inner, TNone) for inner in walk(t)):
            raise Untranslatable("MultiPL-E's TypeScript translator has no type for None")
        return ts_type(t)

    def string(self, value: str) -> str:
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
