"""`polypass agreement`: programs that MultiPL-E's evaluator judged run again in our sandboxes,
and per language we count where our pass/fail agrees with the recorded one.

tests/fixtures/multipl-e/results/ holds MultiPL-E result files written for these tests (the
official py and js rows of HumanEval_53_add with passing, failing and non-compiling
completions; one OCaml file, a language we don't run; the js file gzipped, as MultiPL-E
writes them with --output-dir ... .json.gz). The end-to-end test runs 5 programs in the real
py and js sandboxes (~10 s warm, verdicts cached after).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from harness.agreement import Judged, Recorded, read_recorded, tally
from harness.cli import main

RESULTS = Path(__file__).parent / "fixtures" / "multipl-e" / "results"


def table_cells(out: str) -> dict[str, list[str]]:
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 7:
            rows[cells[0]] = cells[1:]
    return rows


def test_result_files_are_read_with_their_recorded_verdicts():
    records = read_recorded([RESULTS])
    summary = [(r.language, r.supported, r.recorded_pass, r.recorded_status) for r in records]
    assert summary == [
        ("js", True, True, "OK (0)"), ("js", True, False, "AssertionError (1)"),
        ("ml", False, True, "OK (0)"),
        ("py", True, True, "OK (0)"), ("py", True, False, "AssertionError (1)"), ("py", True, False, "SyntaxError (1)"),
    ]
    py = records[3]
    assert py.name == "HumanEval_53_add" and py.program.startswith("def add(x: int, y: int) -> int:")
    assert py.where.endswith("humaneval-py-demo/HumanEval_53_add.results.json results[0]")


def test_records_files_take_every_verdict_spelling(tmp_path):
    path = tmp_path / "records.jsonl"
    rows = [
        {"language": "go_test.go", "name": "a", "program": "x", "ref_status": "OK", "ref_exit_code": 0},
        {"language": "rkt", "name": "b", "program": "x", "ref_status": "Exception", "ref_exit_code": 0},
        {"language": "js", "name": "c", "prompt": "p", "completion": "c", "tests": "t", "status": "OK", "exit_code": 0},
        {"language": "ml", "name": "d", "program": "x", "ref_pass": False},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    records = read_recorded([path])
    assert [(r.language, r.supported, r.recorded_pass) for r in records] == [
        ("go", True, True), ("rkt", True, False), ("js", True, True), ("ml", False, False)]
    assert records[2].program == "pc\nt" and records[0].where == f"{path}:1"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"name": "a", "program": "x", "ref_pass": true}\n', ":1: missing field 'language'"),
        ('{"language": "py", "program": "x"}\n', ":1: no recorded verdict"),
        ('{"language": "py", "ref_pass": true}\n', ":1: no 'program' (or 'prompt', 'completion' and 'tests') strings"),
        ('{"language": "py"\n', ":1: invalid JSON"),
    ],
)
def test_bad_records_are_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    assert main(["agreement", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{message}" in err and len(err.strip().splitlines()) == 1, err


def test_bad_paths_are_exit_2(tmp_path, capsys):
    assert main(["agreement", str(tmp_path)]) == 2
    assert "no .results.json or .results.json.gz files in this folder" in capsys.readouterr().err
    results = tmp_path / "x.results.json"
    results.write_text('{"language": "py"}')
    assert main(["agreement", str(results)]) == 2
    assert "not a MultiPL-E results file (no 'results' list)" in capsys.readouterr().err


def test_tally_counts_agreement_per_language():
    def judged(language: str, supported: bool, recorded: bool, ours: str | None) -> Judged:
        return Judged(Recorded("w", language, supported, "n", "p", recorded, "s"), ours)

    rows = tally([
        judged("ml", False, True, None),
        judged("py", True, True, "pass"), judged("py", True, False, "compile_error"), judged("py", True, False, "pass"),
        judged("cpp", True, True, "fail"), judged("cpp", True, True, "infra_error"),
    ])
    assert [(r.language, r.supported, r.records, r.recorded_pass, r.agree, r.ours_pass_theirs_fail,
             r.ours_fail_theirs_pass, r.infra_errors) for r in rows] == [
        ("py", True, 3, 1, 2, 1, 0, 0), ("cpp", True, 2, 2, 0, 0, 1, 1), ("ml", False, 1, 1, 0, 0, 0, 0)]


@pytest.mark.docker
def test_agreement_end_to_end(tmp_path, capsys, monkeypatch, sandbox_image):
    monkeypatch.setenv("COLUMNS", "200")
    sandbox_image("py")
    sandbox_image("js")
    out = tmp_path / "verdicts.jsonl"
    assert main(["agreement", str(RESULTS), "--pool-size", "2", "--out", str(out)]) == 0
    cells = table_cells(capsys.readouterr().out)
    assert cells["py"] == ["3", "1", "3/3", "0", "0", "0"]
    assert cells["js"] == ["2", "1", "2/2", "0", "0", "0"]
    assert cells["ml"] == ["1", "1", "not run (no polypass sandbox)", "-", "-", "-"]
    assert cells["languages we run"] == ["5", "2", "5/5", "0", "0", "0"]
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(v["language"], v["ours"]) for v in lines] == [
        ("js", "pass"), ("js", "fail"), ("ml", None), ("py", "pass"), ("py", "fail"), ("py", "compile_error")]

    # a verdict recorded wrongly (a failing program said to pass) is a disagreement: exit 1, named
    wrong = tmp_path / "wrong.jsonl"
    failing = read_recorded([RESULTS])[4].program  # py, return x - y
    wrong.write_text(json.dumps({"language": "py", "name": "HumanEval_53_add", "program": failing,
                                 "ref_status": "OK", "ref_exit_code": 0}) + "\n")
    assert main(["agreement", str(wrong)]) == 1
    printed = capsys.readouterr().out
    assert table_cells(printed)["py"] == ["1", "1", "0/1", "0", "1", "0"]
    assert f"disagree: {wrong}:1 py HumanEval_53_add: recorded OK (0), ours fail" in printed
