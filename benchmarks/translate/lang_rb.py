"""Ruby, as MultiPL-E's ``humaneval_to_rb.py`` writes it: ``#`` comments, ``def f(a, b)``
(parameter names lower-cased), calls as ``f.call(...)``, and a test-unit test case whose one
test method asserts ``assert_equal(expected, candidate.call(...))``."""

from __future__ import annotations

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR
from benchmarks.translate.spelling import line_comment


class RubyTranslator(Translator):
    language = "rb"
    version = "3"
    stop_tokens = ("\nclass", "\ndef", "\n#", "\n\n")

    def check(self, function: FunctionIR) -> None:
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)

    def string(self, value: str) -> str:
        """The text between double quotes, as MultiPL-E writes it (a newline stays raw; Ruby
        reads it as itself), but with a quote, a backslash and ``#{`` escaped: raw, they end
        the string, change it or run code (an upstream bug, not in HumanEval; upstream_bugs
        keeps it). ``#$g`` and ``#@v`` stay raw as upstream writes them: Ruby reads an unset
        global or instance variable there as "", on both sides of HumanEval 161's test alike,
        so a correct answer passes."""
        if self.upstream_bugs:
            return f'"{value}"'
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("#{", "\\#{")
        return f'"{escaped}"'

    def none(self) -> str:
        return "nil"

    def list_(self, items: list[str]) -> str:
        return "[" + ", ".join(items) + "]"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"{k} => {v}" for k, v in pairs) + "}"

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        return f"{callee}.call(" + ", ".join(args) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = line_comment(description, "#") if description.strip() else ""
        args = ", ".join(p.name for p in function.params)
        return comment + f"def {function.entry_point}({args.lower()})\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["require 'test/unit'", "class TestHumanEval < Test::Unit::TestCase",
                f"  def test_{function.entry_point}", f"    candidate = method(:{function.entry_point})"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["  end", "end", ""]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    assert_equal({expected}, {actual})"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    assert_in_delta({expected}, {actual}, {tolerance!r})"

    def stub(self, function: FunctionIR) -> str:
        return f"  return {self.default_value(function)}\nend"


TRANSLATOR = RubyTranslator()
