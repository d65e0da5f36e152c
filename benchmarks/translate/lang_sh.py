"""Bash as MultiPL-E writes it (humaneval-sh): ``bash``, tests ``[[ $(candidate ...) = "..." ]]``.

Everything is a string: a list is space-separated, a list of lists newline-separated (written
``\\n`` inside the double quotes, as MultiPL-E does), a dict a two-column CSV, True ``true``,
None ``None``. Comments tell the encoding of each argument. The prompt ends inside
``f() {``; the completion stops before the closing brace and the tests close it. A list
element with whitespace can't be encoded: that test is left out (MultiPL-E's rule).
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator
from benchmarks.translate.ir import (
    FunctionIR,
    TAny,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Type,
    Untranslatable,
)
from benchmarks.translate.spelling import line_comment

_WHITESPACE = (" ", "\t", "\n", "\r")


def _has_whitespace(item: Any) -> bool:
    """MultiPL-E's test: a substring test on strings, a membership test on lists and dicts."""
    return any(ws in item for ws in _WHITESPACE)


def _quoted(text: str) -> bool:
    return len(text) > 0 and text[0] == '"' and text[-1] == '"'


def _quote(text: str) -> str:
    return text if _quoted(text) else '"' + text + '"'


def _unquote(text: str) -> str:
    return text[1:-1] if _quoted(text) else text


def sh_literal(value: Any, as_upstream: bool = False) -> Any:
    """A Python value as MultiPL-E's sh translator carries it: scalars become quoted text,
    lists stay Python lists (of translated items), dicts Python dicts, until written.

    MultiPL-E also writes "!" as "\\!", which a script's bash keeps as two characters (no
    history expansion outside interactive shells), so the test means another string: for
    HumanEval 86 no correct answer passes. We leave "!" as it is, and escape a backquote,
    which upstream leaves to start a command substitution; `as_upstream` writes upstream's
    form."""
    if isinstance(value, (list, tuple)):
        items = [sh_literal(v, as_upstream) for v in value]
        if any(_has_whitespace(item) for item in items):
            raise Untranslatable("a list element contains whitespace")
        return items
    if isinstance(value, dict):
        keys = [sh_literal(k, as_upstream) for k in value]
        values = [sh_literal(v, as_upstream) for v in value.values()]
        if any(_has_whitespace(k) or _has_whitespace(v) for k, v in zip(keys, values, strict=True)):
            raise Untranslatable("a dict entry contains whitespace")
        return dict(zip(keys, values, strict=True))
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "None"
    elif isinstance(value, str):
        text = value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"').replace("$", "\\$")
        text = text.replace("!", "\\!") if as_upstream else text.replace("`", "\\`")
    else:
        text = repr(value)
    return _quote(text)


def sh_text(value: Any) -> Any:
    """MultiPL-E's ``py_to_bash``: a carried value written as one quoted Bash word."""
    if isinstance(value, list) and not value:
        return '""'
    if isinstance(value, list):
        if all(isinstance(v, dict) for v in value):
            raise Untranslatable("a list of dicts can't be encoded")
        if all(isinstance(inner, list) for v in value for inner in v):
            raise Untranslatable("more than two levels of lists can't be encoded")
        if all(isinstance(v, list) for v in value):
            return _quote("\\n".join(_unquote(sh_text(v)) for v in value))
        return _quote(" ".join(_unquote(sh_text(v)) for v in value))
    if isinstance(value, dict):
        if any(not isinstance(v, str) for v in value.values()):
            raise Untranslatable("nested dicts can't be encoded")
        return _quote("\\n".join(_unquote(k) + "," + _unquote(v) for k, v in value.items()))
    return value


def type_comment(type_: Type, index: int) -> str:
    if isinstance(type_, TList):
        if isinstance(type_.elem, (TList, TTuple, TDict, TOptional, TUnion)):
            return f"# ${index} is a newline-separated, space-separated list\n"
        return f"# ${index} is a space-separated list\n"
    if isinstance(type_, TTuple):
        return f"# ${index} is a space-separated list\n"
    if isinstance(type_, TDict):
        return f"# ${index} is a two column CSV in key,value order\n"
    if isinstance(type_, TInt):
        return f"# ${index} is an integer\n"
    if isinstance(type_, TFloat):
        return f"# ${index} is a floating point\n"
    if isinstance(type_, TStr):
        return f"# ${index} is a string\n"
    if isinstance(type_, TBool):
        return f"# ${index} is a $bool\n"
    if isinstance(type_, TAny):
        return f"# ${index} is a $Any\n"
    return f"# ${index} is an argument\n"


class BashTranslator(Translator):
    language = "sh"
    version = "2"
    stop_tokens = ("\n}",)

    def value(self, value: Any, type_: Type) -> str:
        return sh_text(sh_literal(value, self.upstream_bugs))

    def doctest_output(self, value: Any, type_: Type) -> str:
        """MultiPL-E writes a doctest's output as ``str()`` of what its translator carries."""
        return str(sh_literal(value, self.upstream_bugs))

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        return "$(" + callee + " " + " ".join(args) + ")"

    def prompt(self, function: FunctionIR, description: str) -> str:
        annotations = "".join(type_comment(p.type, i + 1) for i, p in enumerate(function.params))
        return ("#!/bin/bash\n" + line_comment(description, "#")
                + ("#\n" + annotations if annotations else "") + f"{function.entry_point}() {{\n")

    def test_prefix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "candidate() {", f'    {function.entry_point} "$@"', "}", "", "set -e", "run_test() {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return ["}", "", "run_test"]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"    [[ {actual} = {expected} ]]"

    def stub(self, function: FunctionIR) -> str:
        """MultiPL-E's stub (``echo 0``): every value is text in Bash, so this is type-correct."""
        return "    echo 0"


TRANSLATOR = BashTranslator()
