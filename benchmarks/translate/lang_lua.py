"""Lua, as MultiPL-E's ``humaneval_to_lua.py`` writes it: ``--`` comments,
``local function f(a, b)``, lists, tuples and dicts as tables, and luaunit tests
(``lu.assertEquals``) run by ``os.exit(lu.LuaUnit.run())``."""

from __future__ import annotations

import re

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR

_PY_UNICODE_ESCAPE = re.compile(r"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")


class LuaTranslator(Translator):
    language = "lua"
    version = "3"
    stop_tokens = ("\nlocal", "\nfunction", "\n--")  # MultiPL-E dropped "\n\n" on 2025-07-15 (3e7bec4)

    def check(self, function: FunctionIR) -> None:
        for test in function.tests:  # every value must have a literal
            for value, param in zip(test.args, function.params, strict=True):
                self.value(value, param.type)
            self.value(test.expected, function.returns)

    def string(self, value: str) -> str:
        """Python's repr, as MultiPL-E writes it, which Lua 5.3 reads except for its \\uXXXX
        escapes: a syntax error in Lua (upstream_bugs keeps them)."""
        if self.upstream_bugs:
            return repr(value)
        return _PY_UNICODE_ESCAPE.sub(lambda m: "\\u{" + (m.group(1) or m.group(2)) + "}", repr(value))

    def none(self) -> str:
        """MultiPL-E writes Python's ``None``: an undefined global, which Lua reads as nil."""
        return "None"

    def list_(self, items: list[str]) -> str:
        return "{" + ", ".join(items) + "}"

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        return "{" + ", ".join(f"[{k}] = {v}" for k, v in pairs) + "}"

    def prompt(self, function: FunctionIR, description: str) -> str:
        """Each docstring line behind ``-- `` with its indentation kept, as MultiPL-E's Lua
        translator writes it (the others drop it)."""
        comment = "-- " + description.strip().replace("\n", "\n-- ") + "\n" if description.strip() else ""
        args = ", ".join(p.name for p in function.params)
        return comment + f"local function {function.entry_point}({args})\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["lu = require('luaunit')", "", "function test_humaneval()",
                f"local candidate = {function.entry_point}"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["end", "", "os.exit(lu.LuaUnit.run())"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    lu.assertEquals({actual}, {expected})"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"    lu.assertAlmostEquals({actual}, {expected}, {tolerance!r})"

    def stub(self, function: FunctionIR) -> str:
        return f"  return {self.default_value(function)}\nend"


TRANSLATOR = LuaTranslator()
