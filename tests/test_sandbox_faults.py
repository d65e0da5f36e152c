"""Faults of the sandbox itself, through real containers: a container killed in the middle of a
job, and a container that cannot be replaced. Neither may become a model verdict or a traceback."""

from __future__ import annotations

import threading
import time

import pytest
from docker.errors import APIError

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
