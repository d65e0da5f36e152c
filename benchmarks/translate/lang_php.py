"""PHP, as MultiPL-E's ``humaneval_to_php.py`` writes it: ``<?php`` and ``//`` comments,
``function f($a, $b) {``, lists and dicts as ``array(...)``, and tests that throw
``Exception("Test failed!")`` when ``candidate(...) !== expected``. A function named after
a PHP built-in (HumanEval 23's ``strlen``) is declared in a namespace of its own, where PHP
allows it; upstream declares it globally, a fatal error for every completion."""

from __future__ import annotations

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR
from benchmarks.translate.spelling import line_comment

#: PHP built-in functions that benchmark entry points are named after (names are
#: case-insensitive). PHP can't redeclare one in the global namespace: MultiPL-E declares
#: ``function strlen`` (HumanEval 23) anyway, a fatal error whatever the completion.
PHP_BUILTINS: frozenset[str] = frozenset({
    "abs", "array_reverse", "array_sum", "array_unique", "ceil", "count", "floor", "intdiv", "lcfirst",
    "max", "min", "pow", "round", "sort", "sqrt", "str_repeat", "strlen", "strrev", "ucfirst", "ucwords",
})

#: Where a function named after a built-in is declared, so that it can be.
NAMESPACE = "Solution"


class PHPTranslator(Translator):
    language = "php"
    version = "3"
    stop_tokens = ("\nfunction", "\n?>", "\n//", "\n#")

    def namespaced(self, function: FunctionIR) -> bool:
        """Whether the function is declared in its own namespace (it is named after a built-in)."""
        return not self.upstream_bugs and function.entry_point.lower() in PHP_BUILTINS

    def check(self, function: FunctionIR) -> None:
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)

    def string(self, value: str) -> str:
        """MultiPL-E escapes quotes and newlines; we escape backslashes too, which raw end or
        change the string (none in HumanEval; upstream_bugs writes them raw). A ``$name``
        stays as upstream writes it: PHP reads an undefined variable as "" with a warning, on
        both sides of HumanEval 161's test alike, so a correct answer passes."""
        if not self.upstream_bugs:
            value = value.replace("\\", "\\\\")
        return '"' + value.replace('"', '\\"').replace("\n", "\\n") + '"'

    def none(self) -> str:
        return "null"

    def list_(self, items: list[str]) -> str:
        return "array(" + ", ".join(items) + ")"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "array(" + ", ".join(f"{k} => {v}" for k, v in pairs) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = line_comment(description, "//", first="<?php\n// ") if description.strip() else "<?php\n"
        args = ", ".join("$" + p.name for p in function.params)
        namespace = f"namespace {NAMESPACE};\n" if self.namespaced(function) else ""
        return comment + namespace + f"function {function.entry_point}({args}) {{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["function candidate(...$args) {", f"    return {function.entry_point}(...$args);", "}", "",
                "function test(): void {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "test();"]

    def failure(self, function: FunctionIR) -> str:
        """The statement a failed test runs (a class name resolves in the namespace, if any)."""
        exception = "\\Exception" if self.namespaced(function) else "Exception"
        return f'{{ throw new {exception}("Test failed!"); }}'

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    if ({actual} !== {expected}) {self.failure(function)}"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    if (abs({actual} - {expected}) >= {tolerance!r}) {self.failure(function)}"

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)};\n}}"


TRANSLATOR = PHPTranslator()
