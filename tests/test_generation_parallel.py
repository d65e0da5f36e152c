"""Data-parallel `hf` generation under torchrun on CPU: shards merged, same samples as one process.

Runtime: about 40-60 s on 2 busy cores (each torchrun start imports torch twice).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import humaneval
from harness.cli import main
from harness.generation import GenerationParams
from harness.generation.parallel import DistEnv
from harness.generation.prompts import RenderedPrompt
from harness.generation.stream import plan_jobs
from harness.generation.tiny import make_tiny_model
from harness.rundir import shard_paths

REPO = Path(__file__).resolve().parents[1]
LIMIT = 5
PROBLEMS = list(humaneval.load()[:LIMIT])
ORDER = {p.name: i for i, p in enumerate(PROBLEMS)}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> Path:
    return make_tiny_model(tmp_path_factory.mktemp("tiny") / "gpt2", "gpt2")


def args(model: Path, temperature: float) -> list[str]:
    return ["generate", "--model", str(model), "--limit", str(LIMIT), "--n-samples", "3",
            "--temperature", str(temperature), "--max-new-tokens", "12", "--batch-size", "4", "--seed", "3"]


def torchrun(argv: list[str], out: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK")}
    env.update(PYTHONPATH=str(REPO), OMP_NUM_THREADS="1", COLUMNS="200")
    proc = subprocess.run(
        [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2",
         "-m", "harness", *argv, "--out", str(out)],
        env=env, capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def lines(run_dir: Path) -> list[dict]:
    return [json.loads(x) for x in (run_dir / "generations.jsonl").read_text().splitlines()]


def by_key(records: list[dict]) -> dict[tuple[str, int], dict]:
    keyed = {(r["name"], r["sample"]): r for r in records}
    assert len(keyed) == len(records), "a sample was written twice"
    return keyed


class FakeBackend:
    name = "fake"
    default_n_samples = 1
    copies_greedy = True

    def available(self, problem):
        return None

    def render(self, problem, params):
        return RenderedPrompt(problem.prompt, (), True)


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_rank_shares_partition_the_work(temperature):
    params = GenerationParams(n_samples=4, temperature=temperature)
    every = {(p.name, i) for p in PROBLEMS for i in range(4)}
    for world in (2, 3, 7):
        shares = []
        for rank in range(world):
            jobs, copies, ready, total = plan_jobs(PROBLEMS, FakeBackend(), params, {}, DistEnv(rank, world))
            mine = {(j.problem.name, i) for j in jobs for i, _ in j.slots}
            mine |= {(name, i) for (_, _, name), slots in copies.items() for i, _ in slots}
            assert len(mine) == total and not ready
            shares.append(mine)
        assert sum(len(s) for s in shares) == len(every) and set().union(*shares) == every  # disjoint
        assert max(len(s) for s in shares) - min(len(s) for s in shares) <= (4 if temperature == 0 else 1)


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_torchrun_two_ranks_equal_one_process(model, tmp_path, temperature):
    argv = args(model, temperature)
    assert main([*argv, "--out", str(tmp_path / "single")]) == 0
    single = by_key(lines(tmp_path / "single"))

    parallel_dir = tmp_path / "parallel"
    proc = torchrun(argv, parallel_dir)
    assert "merged 15 samples" in proc.stderr
    merged = lines(parallel_dir)
    assert by_key(merged) == single  # completions, finish reasons, tokens and seeds
    assert [(ORDER[r["name"]], r["sample"]) for r in merged] == sorted((ORDER[r["name"]], r["sample"]) for r in merged)
    assert not shard_paths(parallel_dir)
    run_json = json.loads((parallel_dir / "run.json").read_text())
    assert run_json["generation"]["data_parallel"] == 2
    if temperature == 0:
        assert len({r["completion"] for r in merged}) > 1
        return
    assert len({single[(PROBLEMS[0].name, i)]["completion"] for i in range(3)}) > 1

    # a rerun (parallel again) repeats nothing and changes nothing
    before = (parallel_dir / "generations.jsonl").read_bytes()
    again = torchrun(argv, parallel_dir)
    assert (parallel_dir / "generations.jsonl").read_bytes() == before
    assert again.stderr.count(" 0 generated, 0 copied") == 2 and "merged" not in again.stderr
    assert not shard_paths(parallel_dir)


def test_shards_of_a_dead_parallel_run_are_merged_by_the_next_run(model, tmp_path, capsys):
    argv = args(model, 0.8)
    assert main([*argv, "--out", str(tmp_path / "whole")]) == 0
    whole = lines(tmp_path / "whole")
    run_dir = tmp_path / "resumed"
    run_dir.mkdir()
    # as a 3-rank run killed midway leaves it: nothing merged yet, two shards, one torn line
    shard0 = "".join(json.dumps(r) + "\n" for r in whole[0:6:2])
    shard2 = "".join(json.dumps(r) + "\n" for r in whole[7:10]) + json.dumps(whole[10])[:20]
    (run_dir / "generations.rank-0-of-3.jsonl").write_text(shard0)
    (run_dir / "generations.rank-2-of-3.jsonl").write_text(shard2)
    capsys.readouterr()
    assert main([*argv, "--out", str(run_dir)]) == 0
    said = " ".join(capsys.readouterr().err.split())
    assert "15 samples: 6 already there, 9 generated" in said, said
    resumed = lines(run_dir)
    assert by_key(resumed) == by_key(whole)
    kept = whole[0:6:2] + whole[7:10]
    assert resumed[: len(kept)] == sorted(kept, key=lambda r: (ORDER[r["name"]], r["sample"]))
    assert not shard_paths(run_dir)
