"""MultiPL-E's "reworded" prompt terminology: Python's words in a docstring, in the language's.

``terms.csv`` is the table of MultiPL-E's dataset builder (``dataset_builder/terms.csv``) for
our languages: a header of Python's words (the language names ``Python`` and ``py``
included), then one row per language. Its ``translate_terms`` replaces every column's word as
a plain substring, in the header's order, after fixing the article before it (``a list`` ->
``an array``); so "happy" becomes "hapcpp" in C++ prompts, as in the official dataset.
"""

from __future__ import annotations

import csv
from pathlib import Path

TABLE = Path(__file__).with_name("terms.csv")


def _load() -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    fields = tuple(rows[0])
    return fields, {row[1]: dict(zip(fields, row, strict=True)) for row in rows[1:]}


#: The header: Python's words, in the order they are replaced.
FIELDS: tuple[str, ...]
#: Short language name -> {Python's word: the language's word}.
TERMS: dict[str, dict[str, str]]
FIELDS, TERMS = _load()


def _vowel(letter: str) -> bool:
    return letter.lower() in "aeiou"


def reword(text: str, language: str) -> str:
    """`text` (prose, no doctests) with Python's words replaced by `language`'s, as MultiPL-E does."""
    words = TERMS[language]
    for field in FIELDS:
        target = words[field]
        if field not in text:
            continue
        if f"an {field}" in text and not _vowel(target[0]):
            text = text.replace(f"an {field}", f"a {target}")
        elif f"a {field}" in text and _vowel(target[0]):
            text = text.replace(f"a {field}", f"an {target}")
        text = text.replace(field, target)
    return text
