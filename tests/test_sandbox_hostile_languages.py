"""Hostile programs in every language but Python, through the real container pool: each is contained.

tests/test_sandbox_hostile.py covers Python in depth; this module runs the same kinds of attack
written in each of the other 18 languages, so no image is trusted only because it shares the
container options. The programs are data: ``tests/hostile/<lang>.toml`` holds one complete
program per attack (``network``, ``write``, ``identity``, ``loop``, ``memory``, ``output``,
``spawn``), each as the language's sandbox compiles and runs it (the language's nonce guard
is added by the pool, as for any program). A program prints ``POLYPASS_ESCAPED`` only when its
attack succeeded and ``POLYPASS_BLOCKED`` when it was refused, so a test tells a contained
attack from a program that never ran (a compile error is not containment).

Optional keys of a language's file, each explained where it is set: ``run_cpu_s`` (the run
step's CPU limit here, default 3 s), ``output_statuses`` (statuses an output flood may end
with besides ``output_limit``),
``network_refusal`` (a regex for how the language reports the refused connect, where it does
not pass on the system's "Network is unreachable") and ``quiet_pass`` (the language shows
nothing of a passing program's output, so its programs that should pass check their own results
and fail loudly otherwise: Go's ``go test``).

One language: ``pytest tests/test_sandbox_hostile_languages.py -k "[go]"``. All 18 take about
5 to 6 minutes on two loaded cores, most of it the endless loops' CPU seconds.
"""

from __future__ import annotations

import os
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sandboxes.pool import OWNER_LABEL, ContainerPool
from sandboxes.spec import available_languages, load_spec
from sandboxes.verdict import Outcome, Status

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

pytestmark = pytest.mark.docker

HOSTILE_DIR = Path(__file__).parent / "hostile"
LANGUAGES = ("cpp", "cs", "d", "go", "java", "jl", "js", "lua", "php", "pl", "r", "rb", "rkt",
             "rs", "scala", "sh", "swift", "ts")
ATTACKS = ("network", "write", "identity", "loop", "memory", "output")
ESCAPED = "POLYPASS_ESCAPED"
BLOCKED = "POLYPASS_BLOCKED"
SPAWNED = "POLYPASS_SPAWNED"
RUN_CPU_S = 3.0
MAX_OUTPUT_BYTES = 1024 * 1024
#: Wall-clock bound of one hostile job: generous, the suite shares a loaded machine.
WALL_BOUND_S = 60.0
#: How each language says its connect failed (ENETUNREACH: the container has only loopback).
UNREACHABLE = re.compile(r"(?i)network is unreachable|ENETUNREACH|errno=101")
#: How each language says its write was refused (the root file system is read-only).
#: Mono reports EROFS as UnauthorizedAccessException: 'Access to the path "..." is denied.'
REFUSED = re.compile(r"(?i)read-only file system|EROFS|permission denied|access to the path .* is denied")


def hostile(language: str) -> dict[str, Any]:
    return tomllib.loads((HOSTILE_DIR / f"{language}.toml").read_text(encoding="utf-8"))


def describe(outcome: Outcome) -> str:
    return (f"status {outcome.status} ({outcome.detail}), exit {outcome.exit_code}, "
            f"{outcome.duration_s:.1f} s\nstdout: {outcome.stdout[-1500:]!r}\n"
            f"stderr: {outcome.stderr[-1500:]!r}")


def test_every_language_but_python_has_every_attack():
    assert set(LANGUAGES) == set(available_languages()) - {"py"}
    for language in LANGUAGES:
        missing = [a for a in (*ATTACKS, "spawn") if a not in hostile(language)]
        assert not missing, f"tests/hostile/{language}.toml lacks {missing}"


@pytest.fixture(scope="module", params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def attacks(language) -> dict[str, Any]:
    return hostile(language)


@pytest.fixture(scope="module")
def pool(docker_client, sandbox_image, language, attacks):
    """One container for all of a language's attacks, removed before the next language starts."""
    spec = load_spec(language).with_limits(
        run_cpu_s=float(attacks.get("run_cpu_s", RUN_CPU_S)), max_output_bytes=MAX_OUTPUT_BYTES
    )
    pool = ContainerPool(docker_client, spec, sandbox_image(language), size=1)
    yield pool
    pool.close()


def run(pool: ContainerPool, program: str) -> tuple[Outcome, float]:
    started = time.monotonic()
    outcome = pool.run(program)
    elapsed = time.monotonic() - started
    assert outcome.status != Status.INFRA_ERROR, describe(outcome)
    assert elapsed < WALL_BOUND_S, f"took {elapsed:.0f} s: {describe(outcome)}"
    return outcome, elapsed


def test_network_connect_fails(pool, attacks):
    outcome, _ = run(pool, attacks["network"])
    text = outcome.stdout + outcome.stderr
    assert ESCAPED not in text, f"a TCP connection to 1.1.1.1:80 succeeded: {describe(outcome)}"
    assert BLOCKED in outcome.stdout, f"the program did not get to its connect: {describe(outcome)}"
    assert outcome.status in {Status.RUNTIME_ERROR, Status.FAIL}, describe(outcome)
    refusal = re.compile(attacks["network_refusal"]) if "network_refusal" in attacks else UNREACHABLE
    assert refusal.search(text), describe(outcome)


def test_writing_outside_the_work_dir_fails(pool, attacks):
    outcome, _ = run(pool, attacks["write"])
    assert ESCAPED not in outcome.stdout, f"a write outside the work dir succeeded: {describe(outcome)}"
    # The program catches both refusals and runs to its end (past the nonce guard).
    assert outcome.status == Status.PASS, describe(outcome)
    if attacks.get("quiet_pass"):
        return  # the program failed unless both writes were refused as read-only or denied
    text = outcome.stdout + outcome.stderr
    for path in ("/etc/passwd", "/usr/bin/evil"):
        assert f"{BLOCKED} {path}" in outcome.stdout, describe(outcome)
    assert REFUSED.search(text), describe(outcome)


def test_job_runs_unprivileged(pool, attacks):
    outcome, _ = run(pool, attacks["identity"])
    assert outcome.status == Status.PASS, describe(outcome)
    if attacks.get("quiet_pass"):
        return  # the program failed unless it found exactly these ids and no capability
    fields = {line.split(":")[0]: line.split(":", 1)[1].split()
              for line in outcome.stdout.splitlines() if ":" in line}
    assert fields.get("Uid") == ["1000"] * 4, describe(outcome)  # real, effective, saved, fs
    assert fields.get("Gid") == ["1000"] * 4, describe(outcome)
    assert int(fields["CapEff"][0], 16) == 0, describe(outcome)


def test_endless_loop_times_out_at_its_cpu_limit(pool, attacks):
    outcome, _ = run(pool, attacks["loop"])
    assert outcome.status == Status.TIMEOUT, describe(outcome)
    assert outcome.detail == "run ran past its CPU time limit", describe(outcome)
    assert outcome.cpu_s >= pool.spec.limits.run_cpu_s, describe(outcome)


def test_memory_bomb_gives_oom(pool, attacks):
    outcome, _ = run(pool, attacks["memory"])
    # Either the container's memory limit killed it or the runtime reported its own
    # out-of-memory error, which the language's verdict rules call `oom` (JVM, ...).
    assert outcome.status == Status.OOM, describe(outcome)


def test_huge_output_gives_output_limit(pool, attacks):
    outcome, _ = run(pool, attacks["output"])
    allowed = {Status.OUTPUT_LIMIT, *map(Status, attacks.get("output_statuses", []))}
    assert outcome.status in allowed, describe(outcome)
    if outcome.status == Status.OUTPUT_LIMIT:
        assert "xxxx" in outcome.stdout[-2048:], describe(outcome)
    assert len(outcome.stdout) <= pool.spec.limits.tail_bytes


def test_background_process_is_gone_before_the_next_job(pool, attacks, docker_client, language):
    outcome, _ = run(pool, attacks["spawn"])
    assert outcome.status == Status.PASS, describe(outcome)
    assert attacks.get("quiet_pass") or SPAWNED in outcome.stdout, describe(outcome)
    # Look into this session's containers of the language from outside: after a job only
    # init and the worker may be left, whatever the job started.
    containers = docker_client.containers.list(filters={"label": [
        f"org.polypass.pool={language}", f"{OWNER_LABEL}={socket.gethostname()}:{os.getpid()}",
    ]})
    assert containers
    for container in containers:
        listing = container.exec_run(["python3", "-c", PROCESS_LISTING], user="0")
        assert listing.exit_code == 0, listing.output
        processes = listing.output.decode().splitlines()
        assert not [p for p in processes if "sleep" in p], processes
        assert len(processes) <= 2, processes  # init and the worker


#: Run by `docker exec` in a sandbox container: the command line of every process but itself.
PROCESS_LISTING = """
import os
for pid in filter(str.isdigit, os.listdir('/proc')):
    if int(pid) == os.getpid():
        continue
    try:
        cmd = open('/proc/%s/cmdline' % pid, 'rb').read().replace(b'\\0', b' ').decode()
    except OSError:
        continue
    print(pid, cmd)
"""
