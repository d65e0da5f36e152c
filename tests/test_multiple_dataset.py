"""The MultiPL-E loader: local copies of the official dataset (jsonl file, folder of them,
save_to_disk, a clone of the hub repository), rows in the schema MultiPL-E's builder really
writes (Go says ``go_test.go``), the registry's default (our translator), bad sources, and a
program from the official schema in the sandbox.

The rows in tests/fixtures/multipl-e/official/ are the builder's output byte for byte (one
problem in py, go and js; perf/check_fixtures.py compares them with ../shared)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import datasets
import pytest

from benchmarks import multiple, registry
from harness.cli import main

FIXTURES = Path(__file__).parent / "fixtures" / "multipl-e" / "official"


def official_row(language: str) -> dict:
    (line,) = (FIXTURES / f"{language}.jsonl").read_text(encoding="utf-8").splitlines()
    return json.loads(line)


def comparable(problem):
    return (problem.name, problem.language, problem.prompt, problem.tests, problem.entry_point, problem.stop_tokens)


def test_the_builders_rows_load_under_our_language_names():
    assert official_row("go")["language"] == "go_test.go"  # what the builder writes
    selection = multiple.read(str(FIXTURES))
    assert [(p.language, p.name) for p in selection.problems] == [
        ("go", "HumanEval_23_strlen"), ("js", "HumanEval_53_add"), ("py", "HumanEval_53_add")]
    assert selection.languages == ["py", "go", "js"] and selection.skipped == {}
    (go,) = multiple.load(["go"], problems=str(FIXTURES / "go.jsonl"))
    assert go.language == "go" and go.entry_point == "strlen" and go.tests == official_row("go")["tests"]
    assert go.source.startswith(f"local:{FIXTURES / 'go.jsonl'} sha256:")


def test_export_then_load_gives_the_same_problems(tmp_path):
    out = tmp_path / "multipl-e.jsonl"
    assert main(["benchmarks", "export", "--language", "py,lua,go", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert set(rows[0]) == set(multiple.FIELDS)
    assert rows[0]["prompt_terminology"] == "reworded" and rows[0]["original"] == "HumanEval/0"
    assert {r["language"] for r in rows} == {"py", "lua", "go_test.go"}  # the builder's names
    loaded = multiple.load(["py", "lua", "go"], problems=str(out))
    translated = multiple.load(["py", "lua", "go"])
    assert len(loaded) == len(translated) > 450
    assert [comparable(p) for p in loaded] == [comparable(p) for p in translated]
    assert {p.benchmark for p in loaded} == {"multipl-e"}
    assert loaded[0].source.startswith(f"local:{out} sha256:")
    assert loaded[0].extra["original"] == "HumanEval/0"


def test_save_to_disk_folder_and_jsonl_folder(tmp_path):
    folder = tmp_path / "saved"
    rows = [official_row(lang) for lang in ("py", "go")]
    datasets.DatasetDict({"test": datasets.Dataset.from_list(rows)}).save_to_disk(str(folder))
    (problem,) = multiple.load(["py"], problems=str(folder))
    assert problem.entry_point == "add" and problem.name == "HumanEval_53_add"
    assert problem.stop_tokens == tuple(rows[0]["stop_tokens"])
    assert problem.extra["doctests"] == "transform"
    (go,) = multiple.load(["go"], problems=str(folder))
    assert go.language == "go"
    jsonl_folder = tmp_path / "jsonl"
    jsonl_folder.mkdir()
    (jsonl_folder / "humaneval-py.jsonl").write_text(json.dumps(rows[0]) + "\n")
    assert comparable(multiple.load(None, problems=str(jsonl_folder))[0]) == comparable(problem)


def _hub_clone(root: Path, languages: tuple[str, ...]) -> Path:
    """A folder laid out as a hub dataset repository: one parquet config per language."""
    configs = []
    for language in languages:
        (root / f"humaneval-{language}").mkdir(parents=True)
        datasets.Dataset.from_list([official_row(language)]).to_parquet(
            str(root / f"humaneval-{language}" / "test-00000-of-00001.parquet"))
        configs.append(f"- config_name: humaneval-{language}\n  data_files:\n  - split: test\n"
                       f"    path: humaneval-{language}/test-*.parquet\n")
    (root / "README.md").write_text("---\nconfigs:\n" + "".join(configs) + "---\n")
    return root


def test_the_hub_loader_reads_go_and_never_returns_nothing(tmp_path, monkeypatch):
    """The hub path (datasets.load_dataset, config humaneval-<lang>) on a clone of a hub
    repository: Go rows say go_test.go and still load as go, through the registry too."""
    monkeypatch.setattr(datasets.config, "HF_DATASETS_CACHE", tmp_path / "cache")
    clone = _hub_clone(tmp_path / "MultiPL-E", ("py", "go"))
    monkeypatch.setenv(multiple.ENV_VAR, str(clone))
    (go,) = registry.load("multipl-e", ["go"])
    assert go.language == "go" and go.name == "HumanEval_23_strlen"
    assert go.source == f"{clone} humaneval-go"
    assert [p.language for p in multiple.load(problems=str(clone))] == ["py", "go"]  # its configs
    with pytest.raises(multiple.ProblemsError, match=r"cannot load humaneval-js"):
        registry.load("multipl-e", ["js"])


def test_rows_in_languages_we_do_not_run_are_counted_not_loaded(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    folder = tmp_path / "copy"
    shutil.copytree(FIXTURES, folder)
    ocaml = {**official_row("py"), "language": "ml", "prompt": "let add (x : int) (y : int) : int =\n"}
    (folder / "ml.jsonl").write_text(json.dumps(ocaml) + "\n")
    selection = multiple.read(str(folder))
    assert selection.skipped == {"ml": 1} and len(selection.problems) == 3
    assert main(["benchmarks", "list", "--problems", str(folder)]) == 0  # no --language: every language
    out = capsys.readouterr().out
    assert "│ multipl-e │ go       │        1 │" in out
    assert "not loaded (languages polypass does not run): ml (1 rows)" in out


def test_registry_gives_translator_output_by_default_and_the_env_var_switches(tmp_path, monkeypatch):
    monkeypatch.delenv(multiple.ENV_VAR, raising=False)
    problems = registry.load("multipl-e", ["py"])
    assert len(problems) == 161 and problems[0].source.startswith("polypass-translator py v")
    assert set(multiple.translated_languages()) >= {"py"}
    monkeypatch.setenv(multiple.ENV_VAR, str(FIXTURES / "py.jsonl"))
    assert [p.name for p in registry.load("multipl-e", ["py"])] == ["HumanEval_53_add"]


def test_bad_sources_say_what_is_wrong(tmp_path):
    with pytest.raises(multiple.ProblemsError, match="no such file"):
        multiple.load(["py"], problems=str(tmp_path / "missing.jsonl"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(official_row("py")) + "\n{oops\n")
    with pytest.raises(multiple.ProblemsError, match=r"bad.jsonl:2: not JSON"):
        multiple.load(["py"], problems=str(bad))
    with pytest.raises(multiple.ProblemsError, match=r"go.jsonl: no problems for cpp$"):
        multiple.load(["cpp"], problems=str(FIXTURES / "go.jsonl"))
    twice = tmp_path / "twice.jsonl"
    twice.write_text((json.dumps(official_row("go")) + "\n") * 2)
    with pytest.raises(multiple.ProblemsError, match=r"twice.jsonl:2: HumanEval_23_strlen \(go\) again"):
        multiple.load(None, problems=str(twice))
    typed = tmp_path / "typed.jsonl"
    typed.write_text(json.dumps({**official_row("py"), "stop_tokens": "\n"}) + "\n")
    with pytest.raises(multiple.ProblemsError, match=r"typed.jsonl:1: .*'stop_tokens' must be a list of strings"):
        multiple.load(None, problems=str(typed))
    assert multiple.ProblemSource.parse("nuprl/MultiPL-E").revision == multiple.HUB_REVISION
    assert multiple.ProblemSource.parse("nuprl/MultiPL-E@abc").revision == "abc"


def test_a_translator_source_can_keep_upstreams_bugs(tmp_path):
    own = tmp_path / "own.jsonl"
    own.write_text("")
    plain, upstream = multiple.ProblemSource.parse("translator"), multiple.ProblemSource.parse("translator+upstream")
    assert (plain.upstream_bugs, upstream.upstream_bugs) == (False, True)
    on_file = multiple.ProblemSource.parse(f"translator+upstream:{own}")
    assert (on_file.kind, on_file.location, on_file.upstream_bugs) == ("translator", str(own), True)
    assert str(on_file) == f"translator+upstream:{own}" and "upstream's bugs kept" in on_file.describe()
    (kept,) = [p for p in multiple.load(["js"], problems="translator+upstream") if p.name == "HumanEval_0_has_close_elements"]
    assert kept.source.endswith("upstream-bugs")


@pytest.mark.docker
def test_official_schema_program_runs_unchanged_in_the_sandbox(sandbox_pool):
    (problem,) = multiple.load(["py"], problems=str(FIXTURES / "py.jsonl"))
    pool = sandbox_pool("py", 4)
    assert pool.run(problem.program("    return x + y\n")).status == "pass"
    assert pool.run(problem.program("    return x - y\n")).status == "fail"
    # and our own translation of the same problem runs the same way
    ours = next(p for p in multiple.load(["py"], problems="translator") if p.name == problem.name)
    assert pool.run(ours.program("    return x + y\n")).status == "pass"
