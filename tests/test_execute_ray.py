"""`--ray`: execution on a real local Ray cluster — a head and two more nodes, each its own
`ray start` process tree on this machine, sharing its Docker engine.

node_a and node_b offer Docker; node_c's engine is unreachable (DOCKER_HOST points nowhere), so
every run here drains it and goes on. One cluster serves the module; it is torn down even when
a test fails. The killed-node test kills node_b's raylet, so it comes last.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conformance_kit import by_name, reference_solutions, stub, variants
from ray_cluster import LocalRayCluster, free_port

from benchmarks import humaneval
from sandboxes.pool import OWNER_LABEL, container_options, remove_orphans
from sandboxes.spec import load_spec

pytestmark = [pytest.mark.docker, pytest.mark.slow]

POLYPASS = [sys.executable, "-m", "harness"]
LANGUAGES = ("py", "js", "cpp")


@pytest.fixture(scope="module")
def cluster(docker_client, sandbox_image) -> Iterator[LocalRayCluster]:
    for language in LANGUAGES:
        sandbox_image(language)  # built here once; the nodes share this engine and reuse them
    nowhere = {"DOCKER_HOST": "unix:///nonexistent/polypass-test/docker.sock"}
    with LocalRayCluster(cpus_per_node=1).start(["node_a", "node_b", "node_c"], env={"node_c": nowhere}) as ray:
        yield ray
    remove_orphans(docker_client)  # the killed node's containers: their owner is gone


def _cli(*args: str, cache: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*POLYPASS, *args], capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=600,
        env={**os.environ, "POLYPASS_CACHE_DIR": str(cache), "COLUMNS": "400", **(env or {})},
    )


def _write(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


def _verdicts(run_dir: Path) -> dict[tuple[str, str, int], dict[str, Any]]:
    records = [json.loads(line) for line in (run_dir / "executions.jsonl").read_text().splitlines()]
    keys = [(r["language"], r["name"], r["sample"]) for r in records]
    assert len(keys) == len(set(keys)), "a verdict was written twice"
    return {(r["language"], r["name"], r["sample"]): r for r in records}


def _essentials(verdicts: dict[tuple[str, str, int], dict[str, Any]]) -> dict[tuple[str, str, int], tuple]:
    return {key: (v["status"], v["exit_code"], v["program_sha256"], v["image"], v["cached"])
            for key, v in verdicts.items()}


def _scores(run_dir: Path, cache: Path) -> list[dict[str, Any]]:
    """What `polypass score` says per language and per problem."""
    result = _cli("score", str(run_dir), "--k", "1", "--db", "none", cache=cache)
    assert result.returncode == 0, result.stderr
    scores = json.loads((run_dir / "scores.json").read_text())
    keys = ("benchmark", "language", "problems", "samples_per_problem", "pass_at_k", "status_counts", "infra_errors")
    return [{k: r[k] for k in keys} for r in scores["results"]] + scores["problems"]


def _node_programs(stderr: str) -> dict[str, int]:
    """node resource name -> programs it executed, from the executor's closing line."""
    text = " ".join(stderr.split())
    return {name: int(n) for name, n in re.findall(r"\((node_\w)\): (\d+) programs in", text)}


def _mixed_samples(path: Path) -> Path:
    """py (HumanEval) with duplicates, js and cpp (MultiPL-E): passes, failures, a compile error."""
    records: list[dict[str, Any]] = []
    for problem in humaneval.load()[:6]:
        task = problem.extra["task_id"]
        records += [{"task_id": task, "completion": problem.canonical_solution}] * 2
        records.append({"task_id": task, "completion": "    return None\n"})
    for language, count in (("js", 3), ("cpp", 2)):
        problems, references = by_name(language), reference_solutions(language)
        names = list(references)[:count]
        for name in names:
            records.append({"name": name, "language": language, "completion": references[name]})
            records.append({"name": name, "language": language, "completion": stub(problems[name])})
        broken = references[names[0]] + variants(language).broken
        records.append({"name": names[0], "language": language, "completion": broken})
    return _write(path, records)


def test_a_multi_language_run_on_the_cluster_equals_the_local_one(cluster: LocalRayCluster, tmp_path: Path):
    samples = _mixed_samples(tmp_path / "samples.jsonl")
    common = ["--benchmark", "humaneval,multipl-e", "--languages", ",".join(LANGUAGES), "--samples", str(samples)]

    local = _cli("execute", *common, "--out", str(tmp_path / "local"), cache=tmp_path / "cache-local")
    assert local.returncode == 0, local.stderr
    on_ray = _cli("execute", *common, "--out", str(tmp_path / "ray"), "--ray", cluster.address,
                  cache=tmp_path / "cache-ray")
    assert on_ray.returncode == 0, on_ray.stderr
    stderr = " ".join(on_ray.stderr.split())

    assert "(node_c): drained: no Docker engine answers there" in stderr
    assert "executing on 2 of 3 node(s)" in stderr
    split = _node_programs(on_ray.stderr)
    assert split.keys() == {"node_a", "node_b"} and min(split.values()) >= 1, stderr
    assert sum(split.values()) == 24  # distinct programs: 12 py (6 duplicates ran once), 7 js, 5 cpp

    local_verdicts, ray_verdicts = _verdicts(tmp_path / "local"), _verdicts(tmp_path / "ray")
    assert len(ray_verdicts) == 30
    assert _essentials(ray_verdicts) == _essentials(local_verdicts)
    statuses = {v["status"] for v in ray_verdicts.values()}
    assert {"pass", "fail", "compile_error"} <= statuses
    assert sum(v["cached"] for v in ray_verdicts.values()) == 6  # the duplicates
    sandboxes = [json.loads((tmp_path / d / "run.json").read_text())["sandboxes"] for d in ("local", "ray")]
    assert sandboxes[0] == sandboxes[1]  # one image id per language, the same as here
    assert _scores(tmp_path / "ray", tmp_path / "cache-ray") == _scores(tmp_path / "local", tmp_path / "cache-local")

    # The result cache lives with the driver: the same samples again, through Ray's client
    # protocol this time, come from it and no node executes anything.
    again = _cli("execute", *common, "--out", str(tmp_path / "again"), "--ray", cluster.client_address,
                 cache=tmp_path / "cache-ray")
    assert again.returncode == 0, again.stderr
    assert "0 executed, 30 from cache or duplicates" in " ".join(again.stderr.split())
    assert set(_node_programs(again.stderr).values()) == {0}
    assert all(v["cached"] for v in _verdicts(tmp_path / "again").values())


def test_bad_setups_are_one_line_and_exit_3(cluster: LocalRayCluster, tmp_path: Path):
    samples = _write(tmp_path / "s.jsonl", [{"task_id": "HumanEval/0", "completion": "    return True\n"}])
    args = ["execute", "--samples", str(samples), "--out", str(tmp_path / "run")]

    nothing_there = _cli(*args, "--ray", f"127.0.0.1:{free_port()}", cache=tmp_path / "c")
    assert nothing_there.returncode == 3
    assert "no Ray cluster answers at this address" in nothing_there.stderr
    assert len(nothing_there.stderr.strip().splitlines()) == 1, nothing_there.stderr

    # `auto` finds the cluster through RAY_ADDRESS, as inside a KubeRay pod; only node_c is asked.
    no_docker = _cli(*args, "--ray", "auto", "--ray-resource", "node_c", cache=tmp_path / "c",
                     env={"RAY_ADDRESS": cluster.address})
    assert no_docker.returncode == 3
    assert "no Ray node offers a Docker engine that can run py" in no_docker.stderr
    assert "(node_c): drained: no Docker engine answers there" in no_docker.stderr
    assert len(no_docker.stderr.strip().splitlines()) == 1, no_docker.stderr
    assert "Traceback" not in no_docker.stderr + nothing_there.stderr


def test_without_ray_nothing_imports_it(tmp_path: Path):
    code = (
        "import sys; from harness.cli import main; "
        f"rc = main(['execute', '--samples', {str(tmp_path / 's.jsonl')!r}, '--out', {str(tmp_path / 'run')!r}]); "
        "assert rc == 0, rc; assert 'ray' not in sys.modules, 'ray was imported'"
    )
    _write(tmp_path / "s.jsonl", [{"task_id": "HumanEval/0", "completion": humaneval.load()[0].canonical_solution}])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, stdin=subprocess.DEVNULL,
                            env={**os.environ, "POLYPASS_CACHE_DIR": str(tmp_path / "cache")}, timeout=300)
    assert result.returncode == 0, result.stderr


def _lockdown(attrs: dict[str, Any]) -> dict[str, Any]:
    """Everything that confines a sandbox container, from `docker inspect`."""
    host, config = attrs["HostConfig"], attrs["Config"]
    keys = ("NetworkMode", "ReadonlyRootfs", "CapDrop", "SecurityOpt", "Init", "Memory", "MemorySwap",
            "PidsLimit", "Tmpfs", "ShmSize", "Binds")
    return {
        **{key: host.get(key) for key in keys},
        "CapAdd": sorted(host.get("CapAdd") or []),
        "LogConfig": host["LogConfig"]["Type"],
        "Ulimits": sorted((u["Name"], u["Soft"], u["Hard"]) for u in host.get("Ulimits") or []),
        "User": config["User"],
        "Image": attrs["Image"],
        "Env": sorted(e for e in config["Env"] if e.startswith("POLYPASS_")),
    }


def _containers_of(docker_client, pids: set[int]) -> list:
    found = docker_client.containers.list(filters={"label": OWNER_LABEL})
    return [c for c in found if c.labels.get(OWNER_LABEL, "").rpartition(":")[2] in {str(p) for p in pids}]


def test_a_killed_node_loses_nothing_and_its_sandboxes_were_locked_down(
    cluster: LocalRayCluster, docker_client, sandbox_image, tmp_path: Path
):
    records = []
    for index, problem in enumerate(humaneval.load()[:32]):
        body = "    return None\n" if index % 4 == 0 else problem.canonical_solution
        records.append({"task_id": problem.extra["task_id"], "completion": body + "\nimport time\ntime.sleep(0.25)\n"})
    samples = _write(tmp_path / "samples.jsonl", records)
    local = _cli("execute", "--samples", str(samples), "--out", str(tmp_path / "local"), "--no-cache",
                 cache=tmp_path / "cache")
    assert local.returncode == 0, local.stderr

    run_dir = tmp_path / "ray"
    log = (tmp_path / "ray.log").open("w")
    driver = subprocess.Popen(
        [*POLYPASS, "execute", "--samples", str(samples), "--out", str(run_dir), "--no-cache", "--ray", cluster.address],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        env={**os.environ, "POLYPASS_CACHE_DIR": str(tmp_path / "cache"), "COLUMNS": "400"},
    )
    try:
        node_b = cluster.nodes["node_b"]
        deadline = time.monotonic() + 300
        remote: list = []
        while time.monotonic() < deadline and driver.poll() is None:
            remote = _containers_of(docker_client, set(node_b.pids()))
            executions = run_dir / "executions.jsonl"
            done = len(executions.read_text().splitlines()) if executions.exists() else 0
            if remote and done >= 3:
                break
            time.sleep(0.2)
        assert remote, "node_b never started a sandbox container"
        assert done < 24, "the run was nearly over before node_b could be killed"

        # node_b's sandboxes are confined exactly as the local path's are
        remote[0].reload()
        reference = docker_client.containers.create(**container_options(load_spec("py"), sandbox_image("py")))
        try:
            reference.reload()
            assert _lockdown(remote[0].attrs) == _lockdown(reference.attrs)
        finally:
            reference.remove(force=True)
        assert remote[0].attrs["HostConfig"]["NetworkMode"] == "none"
        assert remote[0].attrs["HostConfig"]["CapDrop"] == ["ALL"]

        node_b.kill_raylet()
        assert driver.wait(timeout=300) == 0, (tmp_path / "ray.log").read_text()
    finally:
        if driver.poll() is None:
            driver.kill()
        log.close()
    output = " ".join((tmp_path / "ray.log").read_text().split())
    assert "(node_b): drained:" in output and "unfinished program(s) go to the other 1 node(s)" in output, output

    ray_verdicts, local_verdicts = _verdicts(run_dir), _verdicts(tmp_path / "local")
    assert len(ray_verdicts) == 32
    assert _essentials(ray_verdicts) == _essentials(local_verdicts)
    assert _scores(run_dir, tmp_path / "cache") == _scores(tmp_path / "local", tmp_path / "cache")
