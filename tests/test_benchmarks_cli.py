"""`polypass benchmarks list|show|export`, and bad input: exit 2 with one line, no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import multiple
from harness.cli import main

GO_ROW = Path(__file__).parent / "fixtures" / "multipl-e" / "official" / "go.jsonl"


@pytest.fixture(autouse=True)
def _translator_default(monkeypatch):
    monkeypatch.delenv(multiple.ENV_VAR, raising=False)
    monkeypatch.setenv("COLUMNS", "200")


def test_list_shows_problems_and_drops_per_language(capsys):
    assert main(["benchmarks", "list", "--language", "py", "--why-dropped"]) == 0
    out = capsys.readouterr().out
    assert "│ humaneval │ py       │      164 │" in out
    assert "│ multipl-e │ py       │      161 │       3 │ polypass-translator py v" in out
    assert "HumanEval_32_find_zero" in out and "randomised tests" in out


def test_list_every_translated_language(capsys):
    assert main(["benchmarks", "list", "--benchmark", "multipl-e"]) == 0
    out = capsys.readouterr().out
    for language in multiple.translated_languages():
        assert f"│ multipl-e │ {language:<8} │" in out


def test_show_prints_prompt_tests_and_notes(capsys):
    assert main(["benchmarks", "show", "HumanEval/53"]) == 0
    out = capsys.readouterr().out
    assert "def add(x: int, y: int) -> int:" in out
    assert "assert candidate(2, 3) == 5" in out and "check(add)" in out
    assert "loop-generated tests" in out  # what the translator left out, and why
    assert main(["benchmarks", "show", "0", "--benchmark", "humaneval"]) == 0
    assert "has_close_elements" in capsys.readouterr().out


def test_export_writes_the_official_schema(tmp_path, capsys):
    out = tmp_path / "py.jsonl"
    assert main(["benchmarks", "export", "--language", "py", "--out", str(out), "--why-dropped"]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 161
    assert list(rows[0]) == list(multiple.FIELDS)
    assert rows[0]["stop_tokens"] == ["\ndef", "\n#", "\nif", "\nclass"]
    printed = capsys.readouterr().out
    assert "wrote 161 problems" in printed and "HumanEval_38_decode_cyclic" in printed


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["benchmarks", "show", "HumanEval_32_find_zero"], "was dropped for py: no test left"),
        (["benchmarks", "show", "nope"], "no problem 'nope'"),
        (["benchmarks", "list", "--language", "cobol"], "unknown language(s) cobol"),
        (["benchmarks", "list", "--problems", "/no/such/file.jsonl"], "no such file or folder"),
        (["benchmarks", "list", "--problems", str(GO_ROW), "--language", "cpp"], f"{GO_ROW}: no problems for cpp"),
        (["benchmarks", "show", "23", "--problems", str(GO_ROW), "--language", "rs"], f"{GO_ROW}: no problems for rs"),
        (["benchmarks", "export", "--problems", str(GO_ROW), "--language", "go,d", "--out", "/tmp/x.jsonl"],
         f"{GO_ROW}: no problems for d"),
        (["benchmarks", "list", "--benchmark", "humaneval", "--language", "go"], "humaneval has Python problems only"),
        (["benchmarks", "show", "0", "--language", "py,go"], "--language: one language"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err


def test_bad_input_through_the_console_script(tmp_path):
    """The real command line: exit 2, one line on stderr, no traceback."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"name": "HumanEval_1_x"}\n')
    done = subprocess.run(
        [sys.executable, "-m", "harness", "benchmarks", "export", "--language", "py",
         "--problems", str(bad), "--out", str(tmp_path / "out.jsonl")],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert "missing field(s)" in done.stderr


def test_an_unreachable_hub_is_an_infrastructure_error(tmp_path):
    """No hub (offline here): exit 3 with one line, not a usage error and not a traceback."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_HOME": str(tmp_path / "hf")}
    done = subprocess.run(
        [sys.executable, "-m", "harness", "benchmarks", "list", "--problems", "nuprl/MultiPL-E", "--language", "go"],
        capture_output=True, text=True, timeout=300, env=env,
    )
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("polypass: error: nuprl/MultiPL-E@") and "cannot load humaneval-go" in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
