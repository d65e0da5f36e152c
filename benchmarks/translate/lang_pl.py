"""Perl as MultiPL-E writes it (humaneval-pl): ``perl``, tests with Test::Deep's ``eq_deeply``.

Perl is untyped: values are written by their Python shape (lists and tuples as array refs,
dicts as hash refs, True ``1``, False ``""``, None ``undef``). The prompt ends after
``my($a, $b) = @_;``; the completion closes the sub.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR, Type, Untranslatable
from benchmarks.translate.spelling import line_comment

# --- Perl -------------------------------------------------------------------------------

_PL_ESCAPES = {"\\": "\\\\", '"': '\\"', "$": "\\$", "@": "\\@"}


def pl_string(text: str, as_upstream: bool = False) -> str:
    """A double-quoted Perl string. MultiPL-E writes the raw text, and Perl interpolates
    ``$name`` and ``@name`` there: HumanEval 161's ``"#6@2"`` is ``"#6"`` in Perl, and no
    correct answer passes its test. We escape those and what would end the string (a
    quote, a backslash); a newline stays raw, as upstream writes it (Perl reads it as
    itself). `as_upstream` writes the raw text."""
    if as_upstream:
        return '"' + text + '"'
    return '"' + "".join(_PL_ESCAPES.get(c, c) for c in text) + '"'


def pl_value(value: Any, as_upstream: bool = False) -> str:
    if value is True:
        return "1"
    if value is False:
        return '""'
    if value is None:
        return "undef"
    if isinstance(value, str):
        return pl_string(value, as_upstream)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Untranslatable(f"float {value!r} has no Perl literal")
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(pl_value(v, as_upstream) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{pl_value(k, as_upstream)} => {pl_value(v, as_upstream)}" for k, v in value.items()) + "}"
    raise Untranslatable(f"no Perl literal for {type(value).__name__}")


class PerlTranslator(Translator):
    language = "pl"
    version = "3"
    stop_tokens = ("\nsub", "\n#", "\n\n")

    def value(self, value: Any, type_: Type) -> str:
        return pl_value(value, self.upstream_bugs)

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        """The tests call the code reference ``$candidate``; doctests call the sub by name."""
        prefix = "$candidate->" if callee == "candidate" else callee
        return prefix + "(" + ", ".join(args) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        arg_list = ", ".join("$" + p.name for p in function.params)
        return line_comment(description, "#") + f"sub {function.entry_point} " + "{\n    " + f"my({arg_list}) = @_;\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["use Test::Deep;\n", "", "sub testhumaneval {", f"    my $candidate = \\&{function.entry_point};"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "testhumaneval();"]

    @staticmethod
    def _if(condition: str) -> str:
        return f"        if({condition}) " + "{\n" + '        print "ok!" }else{\n        exit 1;\n        }'

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return self._if(f"eq_deeply({actual},{expected})")

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        """Python's test allows a tolerance; eq_deeply compares the printed numbers."""
        return self._if(f"abs({actual} - {expected}) < {tolerance!r}")

    def stub(self, function: FunctionIR) -> str:
        return f"    return {self.default_value(function)};\n}}"


TRANSLATOR = PerlTranslator()
