"""Racket (MultiPL-E "rkt"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from dataclasses import replace

from conformance_kit import PICK

from benchmarks.translate.ir import Call
from benchmarks.translate.lang_rkt import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    assert out.prompt.startswith("#lang racket\n\n;; Pick from a list and a hash; #t when #f.")
    assert out.prompt.endswith("(define (pick xs names)\n")
    assert ';; >>> (pick (list 1) #hash(("a" .  0.5)))\n;; (list #f "a")\n' in out.prompt  # dedented as MultiPL-E
    assert '    (check-within (candidate (list 1 2) #hash(("a" .  0.5))) (list #f "a") 0.001)' in out.tests
    assert '    (check-within (candidate (list ) #hash()) (list 3 "") 0.001)' in out.tests
    assert out.tests.endswith("))\n\n(test-humaneval)")
    assert out.stub_completion == '  (list 0 ""))'  # differs from the first test's (list #f "a")


def test_strings_escape_only_what_racket_needs() -> None:
    # MultiPL-E writes a newline as it is (Racket reads it: HumanEval 51); a quote or a backslash must be escaped
    out = TRANSLATOR.translate(replace(PICK, tests=(Call(([1], {}), (None, 'a\nb"c\\')),)))
    assert '(list #f "a\nb\\"c\\\\")' in out.tests
