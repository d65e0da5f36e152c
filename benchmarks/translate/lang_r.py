"""R as MultiPL-E writes it (humaneval-r): ``Rscript``, tests ``stopifnot(isTRUE(all.equal(...)))``.

Values follow MultiPL-E's R translator: a list whose elements are all of one atomic kind is a
vector ``c(...)``, anything else a ``list(...)``; dicts are named lists; None is ``NULL``.
Arguments whose parameter is a list of scalars are coerced to vectors. The prompt ends with
``function(...) {``; the completion closes the function.
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import (
    FunctionIR,
    TBool,
    TFloat,
    TInt,
    TList,
    TStr,
    Type,
    Untranslatable,
)

#: Words R reserves: a parameter named so can't be declared.
R_RESERVED = frozenset({
    "if", "else", "repeat", "while", "function", "for", "next", "break", "in", "TRUE", "FALSE",
    "NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_", "NA_complex_",
})

def r_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if value is None:
        return "NULL"
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        raise Untranslatable(f"float {value!r} has no R literal here")
    return repr(value)  # R reads Python's string and number literals


def _r_kind(text: str) -> str:
    """MultiPL-E's guess of an element's R kind from its text (decides c() versus list())."""
    if text.startswith("c("):
        return "vector"
    if text.startswith("list("):
        return "list"
    if text == "NULL":
        return "null"
    if text in ("TRUE", "FALSE"):
        return "boolean"
    return "numeric" if text.replace("-", "", 1).replace(".", "", 1).isdigit() else "string"


def _atomic(items: list[str]) -> bool:
    kinds = {_r_kind(item) for item in items}
    return not kinds & {"null", "vector", "list"} and len(kinds) <= 1


def r_value(value: Any, any_keys: bool = False) -> str:
    """`value` in R; a dict with a key that is not a string can't be a named list, except in
    a docstring example (``any_keys``), where MultiPL-E writes the key as it is (HumanEval 95's
    ``list('a' = 'apple', 8 = 'banana')``: text for the reader, never run)."""
    if isinstance(value, (list, tuple)):
        items = [r_value(v, any_keys) for v in value]
        return ("c(" if _atomic(items) else "list(") + ", ".join(items) + ")"
    if isinstance(value, dict):
        if not any_keys and not all(isinstance(k, str) for k in value):
            raise Untranslatable("a dict with non-string keys can't be an R named list")
        return "list(" + ", ".join(f"{r_literal(k)} = {r_value(v, any_keys)}" for k, v in value.items()) + ")"
    return r_literal(value)


def _scalar_list(type_: Type | None) -> bool:
    return isinstance(type_, TList) and isinstance(type_.elem, (TInt, TFloat, TStr, TBool))


def r_arg(value: Any, type_: Type, any_keys: bool = False) -> str:
    """An argument; a list(...) passed where a vector of scalars is expected becomes c(...)."""
    text = r_value(value, any_keys)
    if _scalar_list(type_) and "(" in text:
        return "c(" + text.split("(", 1)[1]
    return text


class RTranslator(Translator):
    language = "r"
    version = "3"
    stop_tokens = ("\n#", "\n```")

    def check(self, function: FunctionIR) -> None:
        for name in [p.name for p in function.params] + [function.entry_point]:
            if name in R_RESERVED:
                raise Untranslatable(f"{name!r} is a reserved word in R")

    def value(self, value: Any, type_: Type) -> str:
        return r_value(value)

    def argument(self, value: Any, type_: Type) -> str:
        return r_arg(value, type_)

    def doctest_argument(self, value: Any, type_: Type) -> str:
        return r_arg(value, type_, any_keys=True)

    def doctest_output(self, value: Any, type_: Type) -> str:
        return r_value(value, any_keys=True)

    def prompt(self, function: FunctionIR, description: str) -> str:
        comment = "# " + description.strip().replace("\n", "\n# ") + "\n" if description.strip() else ""
        args = ", ".join(p.name for p in function.params)
        return f"{comment}{function.entry_point} <- function({args})" + " {"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["test_humaneval <- function() {", f"    candidate <- {function.entry_point}"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "test_humaneval()"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    stopifnot(isTRUE(all.equal({actual}, {expected})))"

    def stub(self, function: FunctionIR) -> str:
        return f"\n    return({self.default_value(function)})\n}}"


TRANSLATOR = RTranslator()
