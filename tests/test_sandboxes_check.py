"""`polypass sandboxes check`: known-good and known-bad programs through the real pool.

Runtime: about 20 s (a Python and a Lua container, a few programs each; the translator for
every language in the unit test).
"""

from __future__ import annotations

import dataclasses

import pytest

from harness.cli import main
from harness.selfcheck import known_programs
from sandboxes.spec import available_languages, load_spec


def test_every_language_ships_a_good_and_a_bad_completion():
    for language in available_languages():
        known = known_programs(language)
        assert known.problem.language == language and known.problem.name == "HumanEval_13_greatest_common_divisor"
        assert known.good.strip() and known.bad.strip() and known.good != known.bad


@pytest.mark.docker
def test_check_passes_on_working_sandboxes_and_exits_1_on_a_broken_one(sandbox_image, monkeypatch, capsys):
    for language in ("py", "lua"):
        sandbox_image(language)  # built when missing
    assert main(["sandboxes", "check", "py", "lua"]) == 0
    out = capsys.readouterr().out
    assert "2 of 2 languages give the right verdicts" in out

    # Break Lua on purpose: a run command that exits 0 without running anything passes every
    # program (Lua's verdict is its exit code), so the known-bad program "passes".
    broken = dataclasses.replace(load_spec("lua"), run=("true",))
    monkeypatch.setattr("harness.commands.sandboxes.load_spec",
                        lambda language: broken if language == "lua" else load_spec(language))
    assert main(["sandboxes", "check", "py", "lua"]) == 1
    out = capsys.readouterr().out
    assert "lua: the known-bad program gave pass, not fail" in out
    assert "1 of 2 languages give the right verdicts" in out
