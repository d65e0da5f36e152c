"""Hostile programs in every language but Python, through the real container pool: each is contained.

tests/test_sandbox_hostile.py covers Python in depth; this module runs the same kinds of attack
written in each of the other 18 languages, so no image is trusted only because it shares the
container options. The programs are data: ``tests/hostile/<lang>.toml`` holds one complete
program per attack (``network``, ``write``, ``identity``, ``loop``, ``memory``, ``output``,
``spawn``, ``read``, ``fork``, ``fill``, ``signal``, ``early_exit``), each as the language's
sandbox compiles and runs it (the language's nonce guard is added by the pool, as for any
program). A program prints ``POLYPASS_ESCAPED`` only when its attack succeeded and
``POLYPASS_BLOCKED`` when it was refused, so a test tells a contained attack from a program
that never ran (a compile error is not containment). After each of the last five the
language's ``identity`` program runs in the same container and must pass: the next job is
unharmed.

Optional keys of a language's file, each explained where it is set: ``run_cpu_s`` (the run
step's CPU limit here, default 3 s), ``output_statuses`` (statuses an output flood may end
with besides ``output_limit``),
``network_refusal`` (a regex for how the language reports the refused connect, where it does
not pass on the system's "Network is unreachable"), ``fill_refusal`` (the same for the full work
dir, where the language does not pass on "No space left on device"), ``signal_status`` (the
verdict of the signal program where it is not ``pass``: the job killed a process of its own that
the run step waits for) and ``quiet_pass`` (the language shows nothing of a passing program's
output, so its programs that should pass check their own results and fail loudly otherwise: Go's
``go test``).

One language: ``pytest tests/test_sandbox_hostile_languages.py -k "[go]"``. All 18 take about
6 to 7 minutes on two loaded cores, most of it the CPU seconds of the endless loops and fork
bombs, and Scala's compiles.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from sandboxes.pool import ContainerPool
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
ATTACKS = ("network", "write", "identity", "loop", "memory", "output", "spawn", "read", "fork", "fill",
           "signal", "early_exit")
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
#: Files a job must not read: the image's password hashes and init's environment (root's).
SECRETS = ("/etc/shadow", "/proc/1/environ")
#: The line on which the read program lists the container's root directory.
ROOT_LISTING = "POLYPASS_ROOT"
#: How each language says its write to the full work dir failed (the tmpfs is full).
NO_SPACE = re.compile(r"(?i)no space left on device|ENOSPC|errno=28")
#: Printed by the signal program when it is still alive after its kills.
SURVIVED = "POLYPASS_SURVIVED"
#: Printed by the early-exit program right before it exits with status 0.
EXITING = "POLYPASS_EXITING"
#: What a fork bomb may end with: stopped by a limit or by its own failure, never `pass`.
BOMB_STATUSES = {Status.TIMEOUT, Status.RUNTIME_ERROR, Status.FAIL, Status.OOM, Status.OUTPUT_LIMIT}


def hostile(language: str) -> dict[str, Any]:
    return tomllib.loads((HOSTILE_DIR / f"{language}.toml").read_text(encoding="utf-8"))


def describe(outcome: Outcome) -> str:
    return (f"status {outcome.status} ({outcome.detail}), exit {outcome.exit_code}, "
            f"{outcome.duration_s:.1f} s\nstdout: {outcome.stdout[-1500:]!r}\n"
            f"stderr: {outcome.stderr[-1500:]!r}")


def test_every_language_but_python_has_every_attack():
    assert set(LANGUAGES) == set(available_languages()) - {"py"}
    for language in LANGUAGES:
        missing = [a for a in ATTACKS if a not in hostile(language)]
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


def test_background_process_is_gone_before_the_next_job(pool, attacks, docker_client):
    outcome, _ = run(pool, attacks["spawn"])
    assert outcome.status == Status.PASS, describe(outcome)
    assert attacks.get("quiet_pass") or SPAWNED in outcome.stdout, describe(outcome)
    assert_only_init_and_worker_left(docker_client, pool)


def test_reading_host_secrets_fails(pool, attacks, docker_client):
    outcome, _ = run(pool, attacks["read"])
    assert ESCAPED not in outcome.stdout, f"a secret file was readable: {describe(outcome)}"
    # The program catches both refusals and runs to its end (past the nonce guard).
    assert outcome.status == Status.PASS, describe(outcome)
    # (A quiet_pass program failed unless both reads were refused and / is the container's.)
    if not attacks.get("quiet_pass"):
        for path in SECRETS:
            assert f"{BLOCKED} {path}" in outcome.stdout, describe(outcome)
        listed = [line.split()[1:] for line in outcome.stdout.splitlines() if line.startswith(ROOT_LISTING)]
        assert listed, describe(outcome)
        # The job's / is the container's (the image plus its mounts), and not the host's.
        container = pool_container(docker_client, pool)
        inside = container.exec_run(["python3", "-c", "import os; print(*sorted(os.listdir('/')))"], user="0")
        assert sorted(listed[0]) == inside.output.decode().split(), describe(outcome)
        assert set(listed[0]) != set(os.listdir("/")), describe(outcome)
    assert_next_job_passes(pool, attacks)


def test_fork_bomb_ends_and_leaves_nothing(pool, attacks, docker_client):
    replaced = pool.replaced
    outcome, _ = run(pool, attacks["fork"])
    assert outcome.status in BOMB_STATUSES, describe(outcome)
    # The worker cleaned its container (a dirty one would be replaced, hiding leftovers) ...
    assert pool.replaced == replaced, describe(outcome)
    # ... and nothing of the bomb is left there, so the next job gets the whole pids limit.
    assert_only_init_and_worker_left(docker_client, pool)
    assert_next_job_passes(pool, attacks)


def test_filling_the_work_dir_is_stopped(pool, attacks, docker_client):
    outcome, _ = run(pool, attacks["fill"])
    assert ESCAPED not in outcome.stdout, f"wrote past the tmpfs size: {describe(outcome)}"
    # The program catches the failed write and runs to its end (past the nonce guard).
    assert outcome.status == Status.PASS, describe(outcome)
    if not attacks.get("quiet_pass"):
        assert BLOCKED in outcome.stdout, describe(outcome)
        refusal = re.compile(attacks["fill_refusal"]) if "fill_refusal" in attacks else NO_SPACE
        assert refusal.search(outcome.stdout + outcome.stderr), describe(outcome)
    # The worker emptied the work dir: the next job has the whole tmpfs again.
    container = pool_container(docker_client, pool)
    used = container.exec_run(["python3", "-c", TMPFS_USED], user="0")
    assert int(used.output) < 1024 * 1024, used.output
    assert_next_job_passes(pool, attacks)


def test_signals_do_not_reach_the_worker(pool, attacks, docker_client, language):
    workers = worker_pids(docker_client, pool)
    assert all(workers.values()), workers
    replaced = pool.replaced
    outcome, _ = run(pool, attacks["signal"])
    assert ESCAPED not in outcome.stdout, f"a signal reached init: {describe(outcome)}"
    # The job (uid 1000) may kill its own processes only. Where the run step's process is the
    # program itself, it survives its kill(-1) (Linux spares the caller) and passes; where the
    # language has the program's parent wait for it, the job killed that parent (signal_status).
    expected = Status(attacks.get("signal_status", Status.PASS))
    assert outcome.status == expected, describe(outcome)
    if expected == Status.PASS and not attacks.get("quiet_pass"):
        for target in ("init", "parent"):
            assert f"{BLOCKED} kill {target}" in outcome.stdout, describe(outcome)
        assert SURVIVED in outcome.stdout, describe(outcome)
    # Had the worker or init died, the pool would have replaced the container (and retried the
    # job in a new one): the same worker process answers, in the same container.
    assert pool.replaced == replaced, describe(outcome)
    assert worker_pids(docker_client, pool) == workers
    assert_next_job_passes(pool, attacks)


def test_exit_zero_before_the_tests_is_not_a_pass(pool, attacks, language):
    outcome, _ = run(pool, attacks["early_exit"])
    if pool.spec.guard is not None:
        # The nonce guard after the tests never ran (tests/test_sandbox_exit_guard.py).
        assert outcome.status == Status.RUNTIME_ERROR, describe(outcome)
        assert outcome.detail == "the program stopped before its tests finished", describe(outcome)
        assert EXITING in outcome.stdout, describe(outcome)
    else:
        # Go, Lua and Bash catch an early exit themselves: their tests fail.
        assert outcome.status in {Status.FAIL, Status.RUNTIME_ERROR}, describe(outcome)
    assert_next_job_passes(pool, attacks)


def assert_next_job_passes(pool: ContainerPool, attacks: dict[str, Any]) -> None:
    """The language's identity program, in the same container, right after an attack."""
    outcome, _ = run(pool, attacks["identity"])
    assert outcome.status == Status.PASS, f"the job after the attack: {describe(outcome)}"


def pool_container(docker_client, pool: ContainerPool) -> Any:
    """The module's pool's one container, seen from outside (in a full run, other modules'
    pools of the same language are alive in the same session, with the same owner label)."""
    ids = [held.container.id for held in list(pool._idle.queue) if held is not None]
    assert len(ids) == 1, ids
    return docker_client.containers.get(ids[0])


def processes_in(container: Any) -> list[str]:
    listing = container.exec_run(["python3", "-c", PROCESS_LISTING], user="0")
    assert listing.exit_code == 0, listing.output
    return listing.output.decode().splitlines()


def assert_only_init_and_worker_left(docker_client, pool: ContainerPool) -> None:
    """After a job only init and the worker (and a compile server) may be left, whatever the job started."""
    processes = processes_in(pool_container(docker_client, pool))
    assert not [p for p in processes if "sleep" in p], processes
    # The language's resident compiler outlives jobs by design (tests/test_sandbox_compile_server.py).
    server = pool.spec.compile_server
    if server is not None:
        processes = [p for p in processes if " ".join(server.argv) not in p]
    assert len(processes) <= 2, processes  # init and the worker


def worker_pids(docker_client, pool: ContainerPool) -> dict[str, list[str]]:
    """Container id -> the pid of its worker: a new one means the worker was killed."""
    container = pool_container(docker_client, pool)
    return {container.id: [p.split()[0] for p in processes_in(container) if "worker.py" in p]}


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

#: Run by `docker exec` in a sandbox container: bytes in use on the work dir's tmpfs.
TMPFS_USED = """
import os
st = os.statvfs('/tmp')
print((st.f_blocks - st.f_bfree) * st.f_frsize)
"""
