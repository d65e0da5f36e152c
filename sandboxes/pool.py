"""A pool of long-lived, locked-down containers per language, each with a worker inside.

A job goes to an idle container over its attach stream (one JSON line each way); no
``docker run`` or ``docker exec`` per program. A container that dies, hangs or stays
dirty is replaced and the job is retried once; a second failure is an ``infra_error``.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import secrets
import socket
import struct
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import docker
from docker.errors import DockerException
from docker.types import LogConfig, Ulimit

from sandboxes.images import ImageInfo
from sandboxes.spec import RUNTIME_DIR, LanguageSpec
from sandboxes.verdict import Outcome, Status, StepResult, classify

JOB_UID = 1000
RUNTIME_MOUNT = "/opt/polypass"
WORK_DIR = "/tmp"
OWNER_LABEL = "org.polypass.owner"
#: Seconds a job may take beyond the sum of its step limits (cleanup, transport).
JOB_SLACK_S = 15.0


def remove_orphans(client: docker.DockerClient) -> int:
    """Remove sandbox containers whose owning polypass process (on this host) is gone."""
    removed = 0
    host = socket.gethostname()
    try:
        # sparse: no per-container inspect, which races with pools removing their containers
        found = client.containers.list(all=True, sparse=True, filters={"label": OWNER_LABEL})
    except DockerException:
        return 0
    for container in found:
        labels = container.attrs.get("Labels") or {}
        owner_host, _, pid = labels.get(OWNER_LABEL, "").rpartition(":")
        if owner_host != host or not pid.isdigit() or _alive(int(pid)):
            continue
        try:
            container.remove(force=True)
            removed += 1
        except DockerException:
            pass
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class WorkerLost(RuntimeError):
    """The container or its worker stopped answering as the protocol says."""


def container_options(spec: LanguageSpec, image: ImageInfo) -> dict[str, Any]:
    """Everything that locks a sandbox container down (see DESIGN: Sandboxes)."""
    limits = spec.limits
    fsize = limits.file_size_mb * 1024 * 1024
    return {
        "image": image.id,
        "command": ["python3", "-u", f"{RUNTIME_MOUNT}/worker.py"],
        "stdin_open": True,
        "tty": False,
        "network_mode": "none",
        "read_only": True,
        "tmpfs": {
            # exec: compiled languages (C++, D, Go, Rust, Swift) run the binary they just built.
            WORK_DIR: f"rw,exec,nosuid,nodev,size={limits.tmpfs_mb}m,mode=1777",
        },
        "shm_size": 16 * 1024 * 1024,
        "mem_limit": f"{limits.memory_mb}m",
        "memswap_limit": f"{limits.memory_mb}m",
        "pids_limit": limits.pids,
        "cap_drop": ["ALL"],
        # The worker (root in the container) needs these three to switch to the job user
        # and to kill its processes; the job itself runs with none.
        "cap_add": ["SETUID", "SETGID", "KILL"],
        "security_opt": ["no-new-privileges"],
        "init": True,
        "log_config": LogConfig(type="none"),
        "ulimits": [
            Ulimit(name="fsize", soft=fsize, hard=fsize),
            Ulimit(name="core", soft=0, hard=0),
            Ulimit(name="nofile", soft=1024, hard=1024),
        ],
        "volumes": {str(RUNTIME_DIR): {"bind": RUNTIME_MOUNT, "mode": "ro"}},
        "user": "0:0",
        "working_dir": WORK_DIR,
        "environment": {
            "POLYPASS_JOB_UID": str(JOB_UID),
            "POLYPASS_JOB_GID": str(JOB_UID),
            "POLYPASS_FSIZE_BYTES": str(fsize),
            **spec.env,
        },
        "labels": {
            "org.polypass.pool": spec.name,
            OWNER_LABEL: f"{socket.gethostname()}:{os.getpid()}",
        },
    }


def build_job(spec: LanguageSpec, program: str) -> tuple[dict[str, Any], str | None]:
    """The worker request for one program, and the nonce its run step must print."""
    guarded = spec.guard.apply(program) if spec.guard else program
    nonce = secrets.token_hex(16) if spec.verdict.require_nonce and guarded is not None else None
    program = guarded if guarded is not None else program
    limits = spec.limits
    steps: list[dict[str, Any]] = []
    if spec.compile:
        compile_step: dict[str, Any] = {"name": "compile", "argv": list(spec.compile),
                                        "cpu_s": limits.compile_cpu_s, "wall_s": limits.wall_s(limits.compile_cpu_s)}
        if spec.compile_server:
            compile_step["server"] = spec.compile_server.to_step(spec.compile)
        steps.append(compile_step)
    run_step: dict[str, Any] = {"name": "run", "argv": list(spec.run),
                                "cpu_s": limits.run_cpu_s, "wall_s": limits.wall_s(limits.run_cpu_s)}
    if nonce:
        run_step["nonce"] = nonce
    steps.append(run_step)
    job = {
        "id": secrets.token_hex(8),
        "files": {spec.file_name: program},
        "steps": steps,
        "max_output_bytes": spec.limits.max_output_bytes,
        "tail_bytes": spec.limits.tail_bytes,
    }
    return job, nonce


class WorkerContainer:
    """One running sandbox container and the attach stream to its worker."""

    def __init__(self, client: docker.DockerClient, spec: LanguageSpec, image: ImageInfo):
        self.spec = spec
        self._stdout = bytearray()
        self._stderr = bytearray()
        self._frame = bytearray()
        self.container = client.containers.create(**container_options(spec, image))
        try:
            self._socket = client.api.attach_socket(
                self.container.id, params={"stdin": 1, "stdout": 1, "stderr": 1, "stream": 1}
            )
            self._raw: socket.socket = getattr(self._socket, "_sock", self._socket)
            self.container.start()
            hello = json.loads(self._read_line(timeout_s=60.0))
            if not hello.get("ready"):
                raise WorkerLost(f"worker did not say ready: {hello!r}")
            #: how the worker counts CPU time: "cgroup" (every process of a step) or "rlimit"
            self.cpu_meter: str = hello.get("cpu_meter", "")
        except BaseException:
            self.close()
            raise

    def request(self, job: dict[str, Any], timeout_s: float) -> dict[str, Any]:
        try:
            self._raw.sendall(json.dumps(job).encode() + b"\n")
        except OSError as exc:
            raise WorkerLost(f"cannot send to the worker: {exc}") from exc
        reply = json.loads(self._read_line(timeout_s))
        if reply.get("id") != job["id"]:
            raise WorkerLost("the worker answered another job")
        return reply

    def _read_line(self, timeout_s: float) -> bytes:
        deadline = time.monotonic() + timeout_s
        while True:
            newline = self._stdout.find(b"\n")
            if newline >= 0:
                line = bytes(self._stdout[:newline])
                del self._stdout[: newline + 1]
                return line
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise WorkerLost(f"no answer from the worker within {timeout_s:.0f} s")
            self._raw.settimeout(remaining)
            try:
                chunk = self._raw.recv(1 << 16)
            except TimeoutError:
                continue
            except OSError as exc:
                raise WorkerLost(f"attach stream broke: {exc}") from exc
            if not chunk:
                raise WorkerLost("the container closed its stream" + self._stderr_hint())
            self._demux(chunk)

    def _demux(self, chunk: bytes) -> None:
        """Split Docker's multiplexed stream (8-byte header frames) into stdout and stderr."""
        self._frame += chunk
        while len(self._frame) >= 8:
            stream_type, size = struct.unpack(">BxxxL", self._frame[:8])
            if len(self._frame) < 8 + size:
                return
            payload = self._frame[8 : 8 + size]
            del self._frame[: 8 + size]
            if stream_type == 2:
                self._stderr += payload
                del self._stderr[:-4096]
            else:
                self._stdout += payload

    def _stderr_hint(self) -> str:
        text = self._stderr.decode("utf-8", "replace").strip()
        return f": {text.splitlines()[-1]}" if text else ""

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._socket.close()
        # OSError: requests' errors when the engine itself is gone (its socket, mid-restart).
        with contextlib.suppress(DockerException, OSError):
            self.container.remove(force=True)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class ContainerPool:
    """`size` warm containers of one language; `run` is safe to call from many threads."""

    def __init__(self, client: docker.DockerClient, spec: LanguageSpec, image: ImageInfo, size: int):
        self.client = client
        self.spec = spec
        self.image = image
        self.size = max(1, size)
        self.replaced = 0
        #: None is a slot whose container died and could not be replaced yet: the next job starts one.
        self._idle: queue.Queue[WorkerContainer | None] = queue.Queue()
        self._lock = threading.Lock()
        with ThreadPoolExecutor(max_workers=self.size) as starter:
            for container in starter.map(lambda _: self._start(), range(self.size)):
                self._idle.put(container)

    def _start(self) -> WorkerContainer:
        return WorkerContainer(self.client, self.spec, self.image)

    @contextmanager
    def _container(self) -> Iterator[list[WorkerContainer | None]]:
        holder = [self._idle.get()]
        try:
            yield holder
        finally:
            self._idle.put(holder[0])

    def _discard(self, holder: list[WorkerContainer | None]) -> None:
        """Close the held container; the slot stays empty until a job starts a new one."""
        if holder[0] is not None:
            holder[0].close()
            holder[0] = None
            with self._lock:
                self.replaced += 1

    def run(self, program: str) -> Outcome:
        """One job in a clean container; a container that fails is replaced and the job retried once.

        When no container can be started (the engine is gone), the job is `infra_error` with the
        reason, never a traceback, and the slot is refilled by a later job."""
        job, nonce = build_job(self.spec, program)
        steps = self._request(job)
        if isinstance(steps, str):
            return Outcome(Status.INFRA_ERROR, None, 0.0, "", "", steps)
        return classify(self.spec.verdict, steps, nonce)

    def steps(self, program: str) -> list[StepResult]:
        """The raw step results of one job (CPU and wall time per step), for calibration."""
        steps = self._request(build_job(self.spec, program)[0])
        if isinstance(steps, str):
            raise WorkerLost(steps)
        return steps

    def _request(self, job: dict[str, Any]) -> list[StepResult] | str:
        """The job's step results, or why no container could run it."""
        budget = sum(step["wall_s"] for step in job["steps"]) + JOB_SLACK_S
        problem = ""
        with self._container() as holder:
            for _attempt in range(2):
                try:
                    if holder[0] is None:
                        holder[0] = self._start()
                    reply = holder[0].request(job, budget)
                except (WorkerLost, ValueError, DockerException, OSError) as exc:
                    problem = _one_line(exc)
                    self._discard(holder)
                    continue
                if reply.get("error"):
                    problem = f"worker error: {reply['error']}"
                    self._discard(holder)
                    continue
                if not reply.get("clean", False):
                    self._discard(holder)
                return [StepResult.from_dict(step) for step in reply["steps"]]
        return problem

    def judge(self, program: str) -> Outcome:
        """`run`, with a timeout run once more before it is believed.

        CPU limits make a timeout of a correct program rare; the second run covers what
        is left (a wall-clock backstop hit on an overloaded machine, a cold cache)."""
        outcome = self.run(program)
        if outcome.status == Status.TIMEOUT:
            outcome = self.run(program)
        return outcome

    def close(self) -> None:
        while True:
            try:
                container = self._idle.get_nowait()
            except queue.Empty:
                return
            if container is not None:
                container.close()

    def __enter__(self) -> ContainerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
