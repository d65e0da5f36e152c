"""Perl (MultiPL-E "pl"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from conformance_kit import PICK

from benchmarks.translate.lang_pl import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    assert out.prompt.endswith("sub pick {\n    my($xs, $names) = @_;\n")
    assert "# Pick from an array and a hash; 1 when undef." in out.prompt
    assert "# >>> pick([1], {\"a\" => 0.5})\n# [undef, \"a\"]" in out.prompt
    assert "if(eq_deeply($candidate->([1, 2], {\"a\" => 0.5}),[undef, \"a\"])) {" in out.tests
    assert out.tests.startswith("use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&pick;")
    assert out.tests.endswith("}\n\ntesthumaneval();")
    assert out.stop_tokens == ("\nsub", "\n#", "\n\n")
    assert out.stub_completion == "    return [0, \"\"];\n}"  # differs from the first test's [undef, "a"]
