"""Racket as MultiPL-E writes it (humaneval-rkt): ``racket``, rackunit ``check-within`` tests.

Values: lists and tuples ``(list ...)``, dicts ``#hash((k .  v) ...)``, True ``#t``, False and
None ``#f``. Every check allows 0.001 of numeric difference, as MultiPL-E's. The prompt ends
after ``(define (f args)``; the completion writes the body and its closing parenthesis.
In strings ``"`` and ``\\`` are escaped (MultiPL-E writes the raw text, which breaks on them);
other characters stay as they are, a newline too, as MultiPL-E writes them (Racket reads them).
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import FunctionIR, Type, Untranslatable

_RKT_ESCAPES = {"\\": "\\\\", '"': '\\"'}


def rkt_value(value: Any) -> str:
    if isinstance(value, bool):
        return "#t" if value else "#f"
    if value is None:
        return "#f"
    if isinstance(value, str):
        return '"' + "".join(_RKT_ESCAPES.get(c, c) for c in value) + '"'
    if isinstance(value, float):
        if value != value:
            return "+nan.0"
        if value in (float("inf"), float("-inf")):
            return "+inf.0" if value > 0 else "-inf.0"
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return "(list " + " ".join(rkt_value(v) for v in value) + ")"
    if isinstance(value, dict):
        return "#hash(" + " ".join(f"({rkt_value(k)} .  {rkt_value(v)})" for k, v in value.items()) + ")"
    raise Untranslatable(f"no Racket literal for {type(value).__name__}")


class RacketTranslator(Translator):
    language = "rkt"
    version = "3"
    stop_tokens = ("\n(define ", "\n#|", "\n;", "\n(")

    def value(self, value: Any, type_: Type) -> str:
        return rkt_value(value)

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        return "(" + callee + " " + " ".join(args) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        description = description.strip()
        comment = ";; " + description.replace("\n", "\n;; ") + "\n" if description else ""
        args = " ".join(p.name for p in function.params)
        return f"#lang racket\n\n{comment}(define ({function.entry_point} {args})\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["(require rackunit)", "", "(define (test-humaneval) \n", f"  (let (( candidate {function.entry_point}))"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["))", "", "(test-humaneval)"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        """Every check allows 0.001 of numeric difference, as MultiPL-E's."""
        return f"    (check-within {actual} {expected} 0.001)"

    def stub(self, function: FunctionIR) -> str:
        return f"  {self.default_value(function)})"


TRANSLATOR = RacketTranslator()
