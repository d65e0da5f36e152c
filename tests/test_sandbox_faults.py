"""Faults of the sandbox itself, through real containers: a container killed in the middle of a
job, a container that cannot be replaced, and the Docker engine restarted in the middle of a
run. None may become a model verdict, a lost or doubled verdict, or a traceback."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docker
import pytest
from docker.errors import APIError

from benchmarks import humaneval
from sandboxes import engine, images
from sandboxes.pool import ContainerPool
from sandboxes.spec import load_spec
from sandboxes.verdict import Status

pytestmark = pytest.mark.docker

SLOW_PASS = "import time\ntime.sleep(3)\nprint('done')\n"


def held_container_ids(pool: ContainerPool) -> list[str]:
    return [c.container.id for c in list(pool._idle.queue) if c is not None]


def test_container_killed_mid_job_is_replaced_and_the_job_gets_its_real_verdict(docker_client, sandbox_image):
    with ContainerPool(docker_client, load_spec("py"), sandbox_image("py"), 1) as pool:
        (first,) = held_container_ids(pool)
        killer = threading.Timer(1.0, lambda: docker_client.containers.get(first).kill())
        killer.start()
        try:
            outcome = pool.run(SLOW_PASS)
        finally:
            killer.cancel()
        assert outcome.status == Status.PASS, outcome.detail
        assert pool.replaced == 1
        assert held_container_ids(pool) != [first]


def test_a_container_that_cannot_be_replaced_is_infra_error_and_the_pool_recovers(
        docker_client, sandbox_image, monkeypatch):
    with ContainerPool(docker_client, load_spec("py"), sandbox_image("py"), 1) as pool:
        (first,) = held_container_ids(pool)

        def engine_refuses() -> None:
            raise APIError("500 Server Error: engine is shutting down")

        monkeypatch.setattr(pool, "_start", engine_refuses)
        killer = threading.Timer(1.0, lambda: docker_client.containers.get(first).kill())
        killer.start()
        started = time.monotonic()
        try:
            outcome = pool.run(SLOW_PASS)
        finally:
            killer.cancel()
        assert outcome.status == Status.INFRA_ERROR
        assert "engine is shutting down" in outcome.detail and "\n" not in outcome.detail
        assert time.monotonic() - started < 30
        # The dead container is not handed to the next job: the slot waits for a new one.
        assert list(pool._idle.queue) == [None]
        assert pool.run("print('x')\n").status == Status.INFRA_ERROR

        monkeypatch.undo()
        assert pool.run("print('back')\n").status == Status.PASS
        assert len(held_container_ids(pool)) == 1


class PrivateEngine:
    """A Docker engine of the test's own (data root, socket, containerd): restarting it touches
    no other test's containers and none of the machine's. Same flags as the product's engine."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = f"unix://{root}/docker.sock"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        dockerd = shutil.which("dockerd")
        assert dockerd, "this test needs dockerd (Debian's docker.io, installed by `make setup`)"
        log = (self.root / "dockerd.log").open("ab")
        self.process = subprocess.Popen(
            [dockerd, *engine.DOCKERD_ARGS, "--data-root", f"{self.root}/data", "--exec-root",
             f"{self.root}/exec", "--pidfile", f"{self.root}/dockerd.pid", "--host", self.socket],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                docker.DockerClient(base_url=self.socket, timeout=5).ping()
                return
            except (docker.errors.DockerException, OSError):  # not up yet
                assert self.process.poll() is None, (self.root / "dockerd.log").read_text()[-2000:]
                time.sleep(0.3)
        pytest.fail(f"the test's dockerd did not answer within 60 s: {(self.root / 'dockerd.log').read_text()[-2000:]}")

    def stop(self) -> None:
        """SIGTERM, as a service manager restarting the engine does: it stops every container."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=60)
        self.process = None


@pytest.fixture
def private_engine(docker_client, sandbox_image) -> Iterator[PrivateEngine]:
    """A second engine holding this machine's Python sandbox image and its base (docker save/load
    keeps image ids, so the harness finds the image for the same inputs and builds nothing)."""
    root = Path(tempfile.mkdtemp(prefix="pp-engine-", dir="/tmp"))  # short: socket paths are limited
    engine_ = PrivateEngine(root)
    engine_.start()
    try:
        spec = load_spec("py")
        names = [sandbox_image("py").tag, *images.base_images(spec.dockerfile.read_text())]
        save = subprocess.Popen(["docker", "save", *names], stdout=subprocess.PIPE)
        load = subprocess.run(["docker", "--host", engine_.socket, "load", "--quiet"], stdin=save.stdout,
                              capture_output=True, text=True, timeout=600)
        assert save.wait(timeout=600) == 0 and load.returncode == 0, load.stderr
        yield engine_
    finally:
        engine_.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_engine_restarted_mid_run_the_run_resumes_and_no_verdict_is_lost_or_written_twice(
        tmp_path: Path, private_engine: PrivateEngine):
    problems = humaneval.load()[:16]
    slow = "\nimport time\ntime.sleep(1.0)\n"  # wall time, so the run is still going when the engine stops
    wrong = {p.name for p in problems[::4]}  # a quarter fail, so a verdict is more than "pass"
    samples = tmp_path / "samples.jsonl"
    samples.write_text("".join(json.dumps({
        "task_id": p.extra["task_id"],
        "completion": ("    return None\n" if p.name in wrong else p.canonical_solution) + slow,
    }) + "\n" for p in problems))
    run_dir = tmp_path / "run"
    args = [sys.executable, "-m", "harness", "execute", "--samples", str(samples), "--out", str(run_dir),
            "--no-cache", "--pool-size", "2"]
    env = {**os.environ, "DOCKER_HOST": private_engine.socket}
    executions = run_dir / "executions.jsonl"

    first = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not (executions.exists() and executions.read_text().count("\n") >= 3):
        assert time.monotonic() < deadline and first.poll() is None, first.communicate()
        time.sleep(0.05)
    written_while_up = executions.read_text().count("\n")
    private_engine.stop()
    assert written_while_up < len(problems), "the run ended before the engine stopped"
    private_engine.start()
    _, first_err = first.communicate(timeout=300)
    assert first.returncode in (0, 3), first_err
    assert "Traceback" not in first_err, first_err

    second = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr

    records = [json.loads(line) for line in executions.read_text().splitlines()]
    verdicts = [r for r in records if r["status"] != Status.INFRA_ERROR]
    per_sample = Counter((r["name"], r["sample"]) for r in verdicts)
    assert set(per_sample) == {(p.name, 0) for p in problems}, "a sample has no verdict"
    assert max(per_sample.values()) == 1, f"a verdict written twice: {per_sample.most_common(3)}"
    for record in verdicts:
        # `return None` fails an assert or raises in the check (len(None), ...).
        expected = {Status.FAIL, Status.RUNTIME_ERROR} if record["name"] in wrong else {Status.PASS}
        assert record["status"] in expected, record
    # What the stop cut short was recorded as infra_error, or not at all, and run again: never
    # judged from a dead container (those verdicts would be wrong above).
    infra = len(records) - len(verdicts)
    assert infra > 0 or first.returncode == 0, first_err
    if infra:
        assert first.returncode == 3 and "infra" in first_err, first_err
