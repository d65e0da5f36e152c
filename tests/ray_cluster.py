"""A real Ray cluster on this machine for tests and perf: a head and more nodes, each its own
`ray start` process tree, all sharing this machine's Docker engine.

Every node is started in a session of its own, so `stop()` ends exactly what it started (every
process of those sessions, by id) and never another Ray on the machine, as `ray stop` would.
A private `--temp-dir` keeps the cluster's files apart; each node offers a custom resource
named after it, so its work and its containers can be told apart. Nothing reads stdin.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Node death is noticed in ~3 s instead of ~30 s (the test kills a node's raylet).
HEAD_SYSTEM_CONFIG = {"health_check_period_ms": 1000, "health_check_failure_threshold": 3}


class ClusterError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ray_cli() -> list[str]:
    ray = shutil.which("ray", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    if ray is None:
        raise ClusterError("the `ray` command is missing: pip install 'polypass[ray]'")
    return [ray]


def _session_members(session: int) -> list[int]:
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # state ppid pgrp session ...
        if int(fields[3]) == session and fields[0] != "Z" and int(entry) != os.getpid():
            members.append(int(entry))
    return members


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


@dataclass
class LocalNode:
    name: str
    session: int  # the pid of its `ray start`, leader of the session all its processes share
    log: Path

    def pids(self) -> list[int]:
        return _session_members(self.session)

    def raylet_pid(self) -> int:
        for pid in self.pids():
            if _command(pid) == "raylet":
                return pid
        raise ClusterError(f"node {self.name} has no raylet running")

    def kill_raylet(self) -> None:
        os.kill(self.raylet_pid(), signal.SIGKILL)


class LocalRayCluster:
    """`start(names)`: the first name is the head; each node gets `cpus` CPUs and its name as a resource."""

    def __init__(self, cpus_per_node: int = 1, object_store_mb: int = 80):
        self.cpus = cpus_per_node
        self.object_store_bytes = object_store_mb * 1024 * 1024
        # short: Ray's unix sockets live under it (108-byte path limit)
        self.temp_dir = Path(tempfile.mkdtemp(prefix="pp-ray-", dir="/tmp"))
        self.port = free_port()
        self.client_port = free_port()
        self.nodes: dict[str, LocalNode] = {}

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def client_address(self) -> str:
        return f"ray://127.0.0.1:{self.client_port}"

    def _env(self, extra: dict[str, str] | None) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("RAY_ADDRESS", None)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
        env["RAY_USAGE_STATS_ENABLED"] = "0"
        env["RAY_memory_monitor_refresh_ms"] = "0"  # a busy shared machine must not kill our actors
        env.update(extra or {})
        return env

    def _common(self, name: str) -> list[str]:
        return [
            "--num-cpus", str(self.cpus), "--resources", json.dumps({name: 1}),
            "--object-store-memory", str(self.object_store_bytes), "--node-ip-address", "127.0.0.1",
            "--min-worker-port", "0", "--max-worker-port", "0", "--dashboard-agent-listen-port", "0",
            "--disable-usage-stats",
        ]

    def _launch(self, name: str, args: list[str], env: dict[str, str] | None) -> subprocess.Popen[bytes]:
        log = self.temp_dir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [*_ray_cli(), "start", *args, *self._common(name)], env=self._env(env),
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.nodes[name] = LocalNode(name, process.pid, log)
        return process

    def _wait(self, name: str, process: subprocess.Popen[bytes], timeout_s: float) -> None:
        try:
            code = process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            raise ClusterError(f"`ray start` for {name} did not finish in {timeout_s:.0f} s; "
                               f"see {self.nodes[name].log}") from None
        if code != 0:
            tail = self.nodes[name].log.read_text(errors="replace").strip().splitlines()[-5:]
            raise ClusterError(f"`ray start` for {name} exited {code}: {' | '.join(tail)}")

    def start(self, names: list[str], env: dict[str, dict[str, str]] | None = None,
              timeout_s: float = 180.0) -> LocalRayCluster:
        """Start the head (names[0]), then the other nodes; stop() on any failure."""
        env = env or {}
        try:
            head, *others = names
            process = self._launch(head, [
                "--head", "--port", str(self.port), "--temp-dir", str(self.temp_dir),
                "--include-dashboard=false", "--dashboard-port", str(free_port()),
                "--ray-client-server-port", str(self.client_port),
                "--runtime-env-agent-port", str(free_port()),
                "--system-config", json.dumps(HEAD_SYSTEM_CONFIG),
            ], env.get(head))
            self._wait(head, process, timeout_s)
            for name in others:  # one at a time: two at once time out on a busy 2-core machine
                self._wait(name, self._launch(name, ["--address", self.address], env.get(name)), timeout_s)
            self._wait_for_nodes(len(names), timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_for_nodes(self, count: int, timeout_s: float) -> None:
        """Until the GCS lists `count` live nodes (a node's `ray start` can return first)."""
        probe = (
            f"import logging, ray; ray.init(address={self.address!r}, logging_level=logging.ERROR, "
            "log_to_driver=False); print(sum(1 for n in ray.nodes() if n['Alive']))"
        )
        deadline = time.monotonic() + timeout_s
        seen = ""
        while time.monotonic() < deadline:
            result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                                    env=self._env(None), stdin=subprocess.DEVNULL, timeout=timeout_s)
            seen = result.stdout.strip()
            if seen == str(count):
                return
            time.sleep(1.0)
        raise ClusterError(f"the cluster has {seen or '?'} live nodes, expected {count}")

    def stop(self) -> None:
        """End every process of every node's session (TERM, then KILL), remove the temp dir."""
        sessions = [node.session for node in self.nodes.values()]
        for sig, wait_s in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 10.0)):
            for session in sessions:
                for pid in _session_members(session):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.kill(pid, sig)
            deadline = time.monotonic() + wait_s
            while time.monotonic() < deadline and any(_session_members(s) for s in sessions):
                time.sleep(0.2)
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def __enter__(self) -> LocalRayCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
