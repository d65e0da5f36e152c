"""Bash (MultiPL-E "sh"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from conformance_kit import PICK

from benchmarks.translate.lang_sh import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    assert out.prompt.startswith("#!/bin/bash\n# Pick from a list and a CSV; true when None.\n")
    assert out.prompt.endswith("#\n# $1 is a space-separated list\n# $2 is a two column CSV in key,value order\npick() {\n")
    assert '# >>> $(pick "1" "a,0.5")\n# [\'"None"\', \'"a"\']' in out.prompt
    assert '    [[ $(candidate "1 2" "a,0.5") = "None a" ]]' in out.tests
    assert '    [[ $(candidate "" "") = "3 " ]]' in out.tests
    assert out.tests.startswith('}\n\ncandidate() {\n    pick "$@"\n}\n\nset -e\nrun_test() {\n')
    assert out.stop_tokens == ("\n}",)
