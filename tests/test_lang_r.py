"""R (MultiPL-E "r"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from conformance_kit import PICK, documented

from benchmarks.translate.ir import Call, Untranslatable
from benchmarks.translate.lang_r import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    assert out.prompt.endswith("pick <- function(xs, names) {")
    assert out.prompt.startswith("# Pick from a list and a named list; TRUE when NULL.")
    assert "# >>> pick(c(1), list('a' = 0.5))\n# list(NULL, 'a')\n" in out.prompt  # dedented as MultiPL-E
    assert "    stopifnot(isTRUE(all.equal(candidate(c(1, 2), list('a' = 0.5)), list(NULL, 'a'))))" in out.tests
    assert "candidate(c(), list()), c(3, '')" not in out.tests  # mixed kinds are a list()
    assert "all.equal(candidate(c(), list()), list(3, ''))" in out.tests
    assert out.tests.endswith("}\ntest_humaneval()")
    assert out.stop_tokens == ("\n#", "\n```")


def test_a_doctest_dict_keeps_keys_no_test_could_use() -> None:
    # HumanEval 95: MultiPL-E writes the doctest's `8 = 'banana'` (text, never run), repeated keys too
    doc = " Doc.\n    >>> pick([1], {'a': 1.0, 8: 2.0, 'a': 1.0})\n    (None, 'a')\n    "
    function = documented(replace(PICK, description=doc.strip()), doc)
    assert "# >>> pick(c(1), list('a' = 1.0, 8 = 2.0, 'a' = 1.0))\n" in TRANSLATOR.translate(function).prompt
    with pytest.raises(Untranslatable):  # a test can't: R has no such named list
        TRANSLATOR.translate(replace(function, tests=(Call(([1], {8: 2.0}), (None, "a")),)))
