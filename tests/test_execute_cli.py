"""`polypass execute` / `score` end to end: bad input, resume after a kill, dedupe and cache."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import humaneval
from harness.cli import main as polypass

pytestmark = pytest.mark.docker

POLYPASS = [sys.executable, "-m", "harness"]


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines))
    return path


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*POLYPASS, *args], capture_output=True, text=True, env={**os.environ, **(env or {})},
                          timeout=600)


def test_malformed_jsonl_line_names_file_and_line(tmp_path: Path):
    good = json.dumps({"task_id": "HumanEval/0", "completion": "    return True\n"})
    samples = _write(tmp_path / "s.jsonl", [good, good, '{"task_id": "HumanEval/1", "completion": '])
    result = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert f"{samples}:3: invalid JSON" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_task_id_names_file_and_line(tmp_path: Path):
    samples = _write(tmp_path / "s.jsonl", [json.dumps({"task_id": "HumanEval/999", "completion": "x"})])
    result = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert f"{samples}:1: unknown task id 'HumanEval/999'" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_completion_field(tmp_path: Path):
    samples = _write(tmp_path / "s.jsonl", [json.dumps({"task_id": "HumanEval/0"})])
    result = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "run"))
    assert result.returncode == 2
    assert f"{samples}:1: field 'completion' must be a string" in result.stderr


def test_no_docker_engine_says_how_to_start_one(tmp_path: Path):
    samples = _write(tmp_path / "s.jsonl", [json.dumps({"task_id": "HumanEval/0", "completion": "    return 1\n"})])
    result = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "run"),
                  env={"DOCKER_HOST": f"unix://{tmp_path}/no-such.sock"})
    assert result.returncode == 3
    assert "no Docker engine is reachable" in result.stderr
    assert "dockerd --bridge=none" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_k_larger_than_n_is_refused_for_that_k(tmp_path: Path):
    problem = humaneval.load()[0]
    samples = _write(tmp_path / "s.jsonl", [json.dumps({"task_id": "HumanEval/0", "completion": problem.canonical_solution})] * 2)
    run_dir = tmp_path / "run"
    assert polypass(["execute", "--samples", str(samples), "--out", str(run_dir)]) == 0
    result = _cli("score", str(run_dir), "--k", "1,2,10", "--db", "none")
    assert result.returncode == 0
    scores = json.loads((run_dir / "scores.json").read_text())
    assert set(scores["results"][0]["pass_at_k"]) == {"1", "2"}
    assert "pass@10 needs at least 10 samples per problem; the fewest here is 2" in scores["results"][0]["refused_k"]["10"]
    assert "pass@10 needs at least 10 samples" in result.stdout.replace("\n", " ")


def test_identical_programs_run_once_and_the_cache_answers_the_next_run(tmp_path: Path):
    problems = humaneval.load()[:6]
    lines = []
    for p in problems:
        lines += [json.dumps({"task_id": p.extra["task_id"], "completion": p.canonical_solution})] * 3
        lines.append(json.dumps({"task_id": p.extra["task_id"], "completion": "    return None\n"}))
    samples = _write(tmp_path / "s.jsonl", lines)
    cache_dir = tmp_path / "cache"
    env = {"POLYPASS_CACHE_DIR": str(cache_dir)}

    first = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "a"), env=env)
    assert first.returncode == 0, first.stderr
    verdicts = [json.loads(x) for x in (tmp_path / "a" / "executions.jsonl").read_text().splitlines()]
    assert len(verdicts) == 24
    assert sum(not v["cached"] for v in verdicts) == 12  # 6 canonical + 6 wrong, each once
    assert "12 executed" in first.stderr

    second = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "b"), env=env)
    assert second.returncode == 0, second.stderr
    again = [json.loads(x) for x in (tmp_path / "b" / "executions.jsonl").read_text().splitlines()]
    assert all(v["cached"] for v in again)
    def by_key(records: list[dict]) -> dict:
        return {(v["name"], v["sample"]): v["status"] for v in records}

    assert by_key(again) == by_key(verdicts)

    bypass = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "c"), "--no-cache", env=env)
    assert bypass.returncode == 0, bypass.stderr
    fresh = [json.loads(x) for x in (tmp_path / "c" / "executions.jsonl").read_text().splitlines()]
    assert sum(not v["cached"] for v in fresh) == 12


def test_killed_run_resumes_without_repeating_finished_work(tmp_path: Path):
    problems = humaneval.load()
    slow = "\nimport time\ntime.sleep(0.1)\n"  # once, at module level, after the function
    lines = [json.dumps({"task_id": p.extra["task_id"], "completion": p.canonical_solution + slow})
             for p in problems[:80]]
    samples = _write(tmp_path / "s.jsonl", lines)
    run_dir = tmp_path / "run"
    args = [*POLYPASS, "execute", "--samples", str(samples), "--out", str(run_dir), "--no-cache"]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    executions = run_dir / "executions.jsonl"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if executions.exists() and len(executions.read_text().splitlines()) >= 20:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = executions.read_bytes()
    done_before = before.count(b"\n")
    assert 20 <= done_before < 80
    # as a writer killed mid-line leaves it (the kill above rarely lands inside a write)
    torn = json.dumps({"benchmark": "humaneval", "name": problems[79].name, "language": "py", "sample": 0})[:40]
    with executions.open("ab") as handle:
        handle.write(torn.encode())
    torn_bytes = executions.read_bytes()

    scored = _cli("score", str(run_dir), "--k", "1", "--db", "none")  # a reader: counts, never repairs
    assert scored.returncode == 0, scored.stderr
    assert executions.read_bytes() == torn_bytes
    assert json.loads((run_dir / "scores.json").read_text())["results"][0]["problems"] == done_before

    result = _cli("execute", "--samples", str(samples), "--out", str(run_dir), "--no-cache")
    assert result.returncode == 0, result.stderr
    after = executions.read_text()
    assert after.encode().startswith(before[: before.rfind(b"\n") + 1])  # the next owner cut the torn line only
    records = [json.loads(x) for x in after.splitlines()]
    keys = [(r["name"], r["sample"]) for r in records]
    assert len(keys) == len(set(keys)) == 80
    assert f"{done_before} already done" in result.stderr.replace("\n", " ") or "already done" in result.stderr
    assert all(r["status"] == "pass" for r in records)


def test_score_reads_while_execute_writes_and_a_second_writer_is_refused(tmp_path: Path):
    """`score` in a loop beside a live `execute`: every line survives; a second writer exits 2."""
    problems = humaneval.load()[:40]
    noisy = "\nimport time\nprint('x' * 6000)\ntime.sleep(0.2)\n"  # long verdict lines; >= 8 s on one container
    samples = _write(tmp_path / "s.jsonl", [
        json.dumps({"task_id": p.extra["task_id"], "completion": p.canonical_solution + noisy}) for p in problems])
    run_dir = tmp_path / "run"
    executions = run_dir / "executions.jsonl"
    writer = subprocess.Popen([*POLYPASS, "execute", "--samples", str(samples), "--out", str(run_dir), "--no-cache",
                               "--pool-size", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 300
        while not executions.exists() and writer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        second = _cli("execute", "--out", str(run_dir), "--no-cache")
        assert second.returncode == 2, second.stderr
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and "another polypass process is writing this run directory" in lines[0], lines
        assert f"pid {writer.pid}" in lines[0]

        partial = 0
        while writer.poll() is None:
            if polypass(["score", str(run_dir), "--k", "1", "--db", "none"]) == 0:
                seen = json.loads((run_dir / "scores.json").read_text())["results"][0]["problems"]
                partial += seen < len(problems)
        _, err = writer.communicate(timeout=600)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, err
    assert partial > 0, "no score ran while execute was writing"
    records = [json.loads(line) for line in executions.read_text().splitlines()]  # every line whole
    assert len(records) == len({r["name"] for r in records}) == len(problems)
    assert all(r["status"] == "pass" for r in records)
