"""Your own problems (``--from FILE.jsonl``): a HumanEval-style file used as is for Python and
translated into the MultiPL-E languages, its path and sha256 in run.json, bad rows as
``file:line: reason`` with exit 2, untranslatable prompts as drops with a reason.

tests/fixtures/problems/own.jsonl holds three problems written for these tests: Own/0 and
Own/1 translate everywhere, Own/2 takes ``*numbers`` and is dropped by every translator.
The end-to-end test runs Python and JavaScript samples in the real sandboxes (~10 s warm).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from benchmarks import multiple
from benchmarks.problem_file import read_problem_file
from benchmarks.translate import pipeline
from harness.cli import main

OWN = Path(__file__).parent / "fixtures" / "problems" / "own.jsonl"
ROWS = [json.loads(line) for line in OWN.read_text().splitlines()]


@pytest.fixture(autouse=True)
def _wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "220")
    monkeypatch.delenv(multiple.ENV_VAR, raising=False)


def test_a_humaneval_style_file_is_used_as_is_for_python():
    file = read_problem_file(OWN)
    assert file.sha256 == hashlib.sha256(OWN.read_bytes()).hexdigest()
    assert [p.name for p in file.problems] == ["Own_0_clamp", "Own_1_word_lengths", "Own_2_total"]
    clamp = file.problems[0]
    assert (clamp.benchmark, clamp.language, clamp.prompt) == ("humaneval", "py", ROWS[0]["prompt"])
    assert clamp.tests == ROWS[0]["test"] + "\ncheck(clamp)\n" and clamp.extra["task_id"] == "Own/0"
    assert clamp.canonical_solution == ROWS[0]["canonical_solution"]
    assert clamp.source == f"file:{OWN} sha256:{file.sha256[:12]}"


def test_it_is_translated_into_every_language_with_drops_and_reasons(capsys):
    selection = multiple.read(f"translator:{OWN}")
    assert selection.languages == multiple.translated_languages() and len(selection.languages) == 19
    for language in selection.languages:
        assert sorted(p.name for p in selection.problems if p.language == language) == ["Own_0_clamp", "Own_1_word_lengths"]
        (drop,) = selection.dropped[language]
        assert drop.name == "Own_2_total" and "*args" in drop.reason
    go = next(p for p in selection.problems if p.language == "go")
    assert go.source.endswith(f" on file:{OWN} sha256:{read_problem_file(OWN).sha256[:12]}")
    assert main(["benchmarks", "list", "--from", str(OWN), "--language", "py,go", "--why-dropped"]) == 0
    out = capsys.readouterr().out
    assert "│ humaneval │ py       │        3 │       - │ file:" in out
    assert "│ multipl-e │ go       │        2 │       1 │ polypass-translator go v" in out
    assert "Own_2_total" in out and "*args" in out
    assert main(["benchmarks", "show", "Own/1", "--from", str(OWN), "--language", "rs"]) == 0
    assert "fn word_lengths(words: Vec<String>) -> Vec<isize> {" in capsys.readouterr().out
    assert main(["benchmarks", "show", "Own/2", "--from", str(OWN), "--language", "go"]) == 2
    assert "Own_2_total was dropped for go: *args" in capsys.readouterr().err


def test_a_language_left_with_no_problem_is_exit_2_naming_source_and_language(tmp_path, capsys):
    only_dropped = tmp_path / "varargs.jsonl"
    only_dropped.write_text(json.dumps(ROWS[2]) + "\n")
    out = tmp_path / "out.jsonl"
    assert main(["benchmarks", "export", "--from", str(only_dropped), "--language", "go", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"polypass: error: translator:{only_dropped}: no problems for go (all 1 dropped; first: Own_2_total")
    assert len(err.splitlines()) == 1 and not out.exists()


def _bad(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(line + "\n" for line in lines))
    return path


GOOD = json.dumps(ROWS[0])


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((GOOD, json.dumps({k: v for k, v in ROWS[1].items() if k != "test"})), ":2: missing field(s) test"),
        (("{not json",), ":1: not JSON: "),
        (("[1, 2]",), ":1: not a JSON object"),
        ((json.dumps({**ROWS[0], "entry_point": 3}),), ":1: field 'entry_point' must be a string, not int"),
        ((json.dumps({**ROWS[0], "canonical_solution": ["x"]}),), ":1: field 'canonical_solution' must be a string"),
        ((GOOD, GOOD), ":2: duplicate task_id 'Own/0' (first at line 1)"),
        ((json.dumps({**ROWS[0], "entry_point": "clip"}),), ":1: the prompt defines no function 'clip'"),
        ((json.dumps({**ROWS[0], "test": "assert clamp(1, 0, 2) == 1\n"}),), ":1: field 'test' defines no check(candidate)"),
        ((json.dumps({**ROWS[0], "task_id": " "}),), ":1: field 'task_id' is empty"),
        (("",), ": no problems in the file"),
    ],
)
def test_bad_rows_are_file_line_reason_and_exit_2(tmp_path, capsys, lines, message):
    path = _bad(tmp_path, *lines)
    for argv in (["benchmarks", "list", "--from", str(path)],
                 ["benchmarks", "export", "--language", "js", "--from", str(path), "--out", str(tmp_path / "o.jsonl")],
                 ["generate", "--backend", "replay", "--model", str(OWN), "--from", str(path), "--out", str(tmp_path / "r")]):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert f"{path}{message}" in err, err
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_from_and_problems_together_is_a_usage_error(capsys):
    assert main(["benchmarks", "list", "--from", str(OWN), "--problems", "translator"]) == 2
    assert "--from FILE and --problems both choose" in capsys.readouterr().err


def test_a_translator_failure_on_one_problem_drops_it_and_keeps_the_rest(monkeypatch):
    """The translator raising on a user's prompt (not Untranslatable: a bug) costs that problem only."""
    real = pipeline.translate_problems

    def flaky(problems, language, upstream_bugs=False):
        problems = list(problems)
        if any(p.name == "Own_1_word_lengths" for p in problems):
            raise pipeline.TranslatorBug(f"{language} translator failed on Own_1_word_lengths: KeyError: 'x'")
        return real(problems, language, upstream_bugs=upstream_bugs)

    monkeypatch.setattr(multiple, "translate_problems", flaky)
    selection = multiple.read(f"translator:{OWN}", ["lua"])
    assert [p.name for p in selection.problems] == ["Own_0_clamp"]
    reasons = {d.name: d.reason for d in selection.dropped["lua"]}
    assert reasons["Own_1_word_lengths"].startswith("the translator failed: lua translator failed on Own_1")
    assert "*args" in reasons["Own_2_total"]


def _samples(tmp_path: Path, javascript: bool = True) -> Path:
    rows = [
        {"task_id": "Own/0", "completion": "    return max(low, min(x, high))\n"},
        {"task_id": "Own/0", "completion": "    return x\n"},
        {"task_id": "Own/1", "completion": "    return [len(w) for w in words]\n"},
        {"task_id": "Own/2", "completion": "    return sum(numbers)\n"},  # Python runs it as is
        {"task_id": "Own_0_clamp", "language": "js", "completion": "  return Math.max(low, Math.min(x, high));\n}\n"},
        {"task_id": "Own_1_word_lengths", "language": "js", "completion": "  return words.map((w) => w.length + 1);\n}\n"},
    ]
    path = tmp_path / "samples.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows if javascript or "language" not in r))
    return path


def test_generate_records_the_file_and_its_hash_in_run_json(tmp_path, capsys):
    mine = tmp_path / "mine.jsonl"
    mine.write_bytes(OWN.read_bytes())
    run_dir = tmp_path / "run"
    assert main(["generate", "--backend", "replay", "--model", str(_samples(tmp_path, javascript=False)),
                 "--from", str(mine), "--out", str(run_dir)]) == 0
    benchmark = json.loads((run_dir / "run.json").read_text())["benchmark"]
    assert benchmark["from"] == {"file": str(mine.resolve()), "sha256": hashlib.sha256(OWN.read_bytes()).hexdigest(),
                                 "problems": 3}
    assert benchmark["sources"] == [read_problem_file(mine).source] and benchmark["problems"] == 3
    # `execute` on that run takes the same file from run.json, and refuses it once it changed
    mine.write_text(OWN.read_text().replace("limited to", "kept in"))
    capsys.readouterr()
    assert main(["execute", "--out", str(run_dir)]) == 2
    assert "this run's --from file is gone or changed since" in capsys.readouterr().err


@pytest.mark.docker
def test_run_from_a_file_end_to_end(tmp_path, sandbox_image):
    """Python as is and JavaScript translated, executed in the real sandboxes and scored."""
    sandbox_image("py")
    sandbox_image("js")
    run_dir = tmp_path / "run"
    assert main(["run", "--backend", "replay", "--model", str(_samples(tmp_path)), "--from", str(OWN),
                 "--benchmarks", "humaneval,multipl-e", "--languages", "py,js", "--k", "1",
                 "--out", str(run_dir), "--db", "none"]) == 0
    scores = json.loads((run_dir / "scores.json").read_text())
    by = {(r["benchmark"], r["language"]): r for r in scores["results"] if r["subset"] == "all"}
    assert by[("humaneval", "py")]["problems"] == 3
    assert by[("humaneval", "py")]["status_counts"] == {"pass": 3, "fail": 1}
    assert by[("multipl-e", "js")]["status_counts"] == {"pass": 1, "fail": 1}
    assert json.loads((run_dir / "run.json").read_text())["benchmark"]["from"]["file"] == str(OWN.resolve())
