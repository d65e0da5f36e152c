"""PHP, as MultiPL-E's ``humaneval_to_php.py`` writes it: ``<?php`` and ``//`` comments,
``function f($a, $b) {``, lists and dicts as ``array(...)``, and tests that throw
``Exception("Test failed!")`` when ``candidate(...) !== expected``."""

from __future__ import annotations

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR, Untranslatable
from benchmarks.translate.spelling import line_comment

#: PHP built-in functions that HumanEval entry points are named after: PHP can't redeclare
#: them, so every completion fails with a fatal error (MultiPL-E keeps such problems).
PHP_BUILTINS: frozenset[str] = frozenset({"strlen"})


class PHPTranslator(Translator):
    language = "php"
    version = "2"
    stop_tokens = ("\nfunction", "\n?>", "\n//", "\n#")

    def check(self, function: FunctionIR) -> None:
        if function.entry_point.lower() in PHP_BUILTINS:
            raise Untranslatable(f"PHP can't redeclare its built-in function {function.entry_point}()")
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)

    def string(self, value: str) -> str:
        escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$")
                   .replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t"))
        return f'"{escaped}"'

    def none(self) -> str:
        return "null"

    def list_(self, items: list[str]) -> str:
        return "array(" + ", ".join(items) + ")"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "array(" + ", ".join(f"{k} => {v}" for k, v in pairs) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = line_comment(description, "//", first="<?php\n// ") if description.strip() else "<?php\n"
        args = ", ".join("$" + p.name for p in function.params)
        return comment + f"function {function.entry_point}({args}) {{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["function candidate(...$args) {", f"    return {function.entry_point}(...$args);", "}", "",
                "function test(): void {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "test();"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f'    if ({actual} !== {expected}) {{ throw new Exception("Test failed!"); }}'

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f'    if (abs({actual} - {expected}) >= {tolerance!r}) {{ throw new Exception("Test failed!"); }}'

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)};\n}}"


TRANSLATOR = PHPTranslator()
