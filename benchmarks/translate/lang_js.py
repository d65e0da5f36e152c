"""JavaScript, as MultiPL-E's ``humaneval_to_js.py`` writes it: ``//`` comments,
``function f(a, b){``, values by their Python shape (lists, tuples as arrays, dicts as
objects, None ``undefined``), and ``assert.deepEqual`` tests in a ``test()`` function."""

from __future__ import annotations

import json

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR
from benchmarks.translate.spelling import line_comment


class JavaScriptTranslator(Translator):
    language = "js"
    version = "2"
    stop_tokens = ("\nfunction ", "\n/*", "\n//", "\nconsole.log")

    def check(self, function: FunctionIR) -> None:
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)

    def string(self, value: str) -> str:
        """JSON's escapes. MultiPL-E writes the text raw between double quotes, so a newline
        in a string is a syntax error (HumanEval 51): an upstream bug, kept with upstream_bugs."""
        if self.upstream_bugs:
            return '"' + value + '"'
        return json.dumps(value, ensure_ascii=False)

    def none(self) -> str:
        return "undefined"

    def list_(self, items: list[str]) -> str:
        return "[" + ", ".join(items) + "]"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = line_comment(description, "//", first="//") if description.strip() else ""
        args = ", ".join(p.name for p in function.params)
        return comment + f"function {function.entry_point}({args})" + "{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["const assert = require('node:assert');\n", "", "function test() {",
                f"  let candidate = {function.entry_point};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "test();"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"  assert.deepEqual({actual},{expected});"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"  assert.ok(Math.abs({actual} - {expected}) < {tolerance!r});"

    def stub(self, function: FunctionIR) -> str:
        return f"  return {self.default_value(function)};\n}}"


TRANSLATOR = JavaScriptTranslator()
