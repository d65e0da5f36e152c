"""The run directory: readers never write, one owner at a time, only the owner repairs.

Also the Status enum and program grouping. No Docker; a real second process holds the lock.
Runtime: ~5 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from benchmarks import humaneval
from harness import rundir
from harness.cli import main
from harness.errors import UsageError
from harness.samples import Sample
from sandboxes.program import Program, group_by_program
from sandboxes.spec import SpecError, parse_spec
from sandboxes.verdict import Outcome, Status

REPO = Path(__file__).resolve().parents[1]
TORN = b'{"benchmark": "humaneval", "name": "HumanEval_0_has_clo'


def _verdict(name: str, sample: int, status: str = "pass") -> dict:
    return {"benchmark": "humaneval", "name": name, "language": "py", "sample": sample, "status": status}


def _jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_readers_skip_a_torn_last_line_and_never_write(tmp_path: Path):
    samples = [Sample(name=f"HumanEval_{i}_x", language="py", sample=0, completion="    return 1\n") for i in range(2)]
    (tmp_path / rundir.GENERATIONS).write_bytes(_jsonl([s.to_dict() for s in samples]) + TORN)
    (tmp_path / rundir.EXECUTIONS).write_bytes(_jsonl([_verdict("HumanEval_0_x", 0), _verdict("HumanEval_0_x", 0, "fail")]) + TORN)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    assert rundir.read_generations(tmp_path) == samples
    assert list(rundir.existing_samples(tmp_path)) == [s.key for s in samples]
    verdicts = rundir.latest_verdicts(tmp_path)
    assert list(verdicts) == [("humaneval", "py", "HumanEval_0_x", 0)]
    assert verdicts[("humaneval", "py", "HumanEval_0_x", 0)]["status"] is Status.FAIL  # the later line wins
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_bad_complete_line_names_file_and_line(tmp_path: Path):
    (tmp_path / rundir.EXECUTIONS).write_bytes(_jsonl([_verdict("a", 0)]) + b"{oops\n" + _jsonl([_verdict("a", 1)]))
    with pytest.raises(UsageError, match=rf"{rundir.EXECUTIONS}:2: not a JSON line"):
        rundir.latest_verdicts(tmp_path)
    (tmp_path / rundir.EXECUTIONS).write_bytes(_jsonl([_verdict("a", 0), _verdict("a", 1, "passed")]))
    with pytest.raises(UsageError, match=rf"{rundir.EXECUTIONS}:2: not a verdict"):
        rundir.latest_verdicts(tmp_path)


def test_only_the_owner_writes_and_repairs(tmp_path: Path):
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    good = _jsonl([_verdict("a", 0)])
    (run_dir / rundir.EXECUTIONS).write_bytes(good + TORN)
    with pytest.raises(RuntimeError, match="without owning it"):
        rundir.update_run_json(run_dir, "x", {})
    with pytest.raises(RuntimeError, match="without owning it"):
        rundir.append(run_dir, rundir.EXECUTIONS)
    assert (run_dir / rundir.EXECUTIONS).read_bytes() == good + TORN

    with rundir.own(run_dir, "test"):
        assert (run_dir / rundir.EXECUTIONS).read_bytes() == good  # repaired when the lock is taken
        with rundir.own(run_dir, "nested"):  # re-entrant: `run` owns across its stages
            record = rundir.update_run_json(run_dir, "x", {"a": 1})
        with rundir.append(run_dir, rundir.EXECUTIONS) as out:
            out.write(_verdict("a", 1))
        assert "polypass" in record and record["x"] == {"a": 1}
    assert not rundir.owns(run_dir)
    assert len(rundir.latest_verdicts(run_dir)) == 2


HOLDER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from harness import rundir
    with rundir.own(Path(sys.argv[1]), "holder"):
        print("owned", flush=True)
        time.sleep(600)
""")


def test_a_second_writer_is_refused_until_the_owner_dies(tmp_path: Path, capsys):
    """A real process owns the run dir; generate refuses with one line, then runs once it is killed."""
    run_dir = tmp_path / "run"
    problems = humaneval.load()[:2]
    samples = tmp_path / "samples.jsonl"
    samples.write_text("".join(json.dumps({"task_id": p.extra["task_id"], "completion": p.canonical_solution}) + "\n"
                               for p in problems))
    generate = ["generate", "--backend", "replay", "--model", str(samples), "--limit", "2", "--out", str(run_dir)]
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(run_dir)], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        assert holder.stdout.readline().strip() == "owned"
        capsys.readouterr()
        assert main(generate) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert "another polypass process is writing this run directory" in err[0]
        assert f"pid {holder.pid}" in err[0] and "`holder`" in err[0]
        assert not (run_dir / rundir.GENERATIONS).exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert main(generate) == 0  # the kernel released the dead owner's lock
    assert len(rundir.read_generations(run_dir)) == 2


def test_a_rank_shard_is_locked_while_written(tmp_path: Path):
    name = rundir.shard_name(1, 2)
    (tmp_path / name).write_bytes(_jsonl([{"name": "a", "language": "py", "sample": 0, "completion": ""}]) + TORN)
    with rundir.append_shard(tmp_path, name) as out:
        assert (tmp_path / name).read_bytes().endswith(b"}\n")  # its writer repaired it
        script = ("import sys; from pathlib import Path; from harness import rundir\n"
                  "try:\n    rundir.append_shard(Path(sys.argv[1]), sys.argv[2])\n"
                  "except rundir.RunDirBusy as exc:\n    print(exc); sys.exit(2)\n")
        other = subprocess.run([sys.executable, "-c", script, str(tmp_path), name], capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=60)
        assert other.returncode == 2 and "another process is writing this shard" in other.stdout
        with rundir.own(tmp_path, "merge"), pytest.raises(rundir.RunDirBusy):
            rundir.merge_shards(tmp_path, lambda key: key)
        out.write({"name": "b", "language": "py", "sample": 0, "completion": ""})
    with rundir.own(tmp_path, "merge"):
        assert rundir.merge_shards(tmp_path, lambda key: key) == 2
    assert not rundir.shard_paths(tmp_path)
    assert [s.name for s in rundir.read_generations(tmp_path)] == ["a", "b"]


def test_status_is_a_str_enum_that_round_trips():
    assert [str(s) for s in Status] == [
        "pass", "fail", "compile_error", "runtime_error", "timeout", "oom", "output_limit", "infra_error"]
    assert Status.PASS == "pass" and f"{Status.OOM}" == "oom" and {"pass": 1}[Status.PASS] == 1
    outcome = Outcome(Status.TIMEOUT, None, 1.0, "", "")
    text = json.dumps(outcome.to_dict())
    assert json.loads(text)["status"] == "timeout"
    assert Outcome.from_dict(json.loads(text)).status is Status.TIMEOUT
    assert not Status.INFRA_ERROR.is_model_verdict and Status.FAIL.is_model_verdict


@pytest.mark.parametrize("value", ["fail", "pass"])
def test_lang_toml_default_failure_is_a_status(tmp_path: Path, value: str):
    path = tmp_path / "lang.toml"
    path.write_text(f'name = "x"\nfile_name = "x"\nrun = ["x"]\n[verdict]\ndefault_failure = "{value}"\n')
    if value == "pass":
        with pytest.raises(SpecError, match="default_failure must be fail or runtime_error"):
            parse_spec(path)
    else:
        assert parse_spec(path).verdict.default_failure is Status.FAIL


def test_identical_programs_are_grouped_once():
    items = [(Program("py", "a"), 1), (Program("py", "b"), 2), (Program("py", "a"), 3), (Program("js", "a"), 4)]
    groups = group_by_program(items)
    assert [(g.program.language, g.program.text, g.members) for g in groups.values()] == [
        ("py", "a", [1, 3]), ("py", "b", [2]), ("js", "a", [4])]
    assert all(key == g.program.key for key, g in groups.items())

