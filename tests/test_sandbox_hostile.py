"""Hostile programs through the real Python sandbox: each must be contained."""

from __future__ import annotations

import time

import pytest

from sandboxes.spec import load_spec

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def pool(sandbox_pool):
    spec = load_spec("py").with_limits(run_cpu_s=3.0, max_output_bytes=1024 * 1024)
    return sandbox_pool("py", size=1, spec=spec)


def test_network_access_fails(pool):
    program = (
        "import socket\n"
        "s = socket.socket()\n"
        "s.settimeout(2)\n"
        "s.connect(('1.1.1.1', 80))\n"
    )
    outcome = pool.run(program)
    assert outcome.status == "runtime_error"
    assert "Network is unreachable" in outcome.stderr or "OSError" in outcome.stderr


def test_only_loopback_interface_exists(pool):
    outcome = pool.run("import socket\nprint(sorted(n for _, n in socket.if_nameindex()))\n")
    assert outcome.status == "pass"
    assert outcome.stdout.strip() == "['lo']"


@pytest.mark.parametrize("path", ["/etc/passwd", "/usr/bin/evil", "/opt/polypass/worker.py", "/root/x", "/var/tmp/x"])
def test_writing_outside_the_work_dir_fails(pool, path):
    outcome = pool.run(f"open({path!r}, 'w').write('x')\n")
    assert outcome.status == "runtime_error"
    assert "Read-only file system" in outcome.stderr or "Permission denied" in outcome.stderr


def test_job_runs_unprivileged(pool):
    outcome = pool.run(
        "import os\n"
        "print(os.getuid(), os.geteuid())\n"
        "caps = [l for l in open('/proc/self/status') if l.startswith('CapEff')][0]\n"
        "print(caps.split()[1])\n"
    )
    assert outcome.status == "pass"
    uid_line, caps = outcome.stdout.split()[:2], outcome.stdout.split()[2]
    assert uid_line == ["1000", "1000"]
    assert int(caps, 16) == 0


def test_fork_bomb_is_contained_and_next_job_runs(pool):
    bomb = (
        "import os\n"
        "while True:\n"
        "    try:\n"
        "        os.fork()\n"
        "    except OSError:\n"
        "        pass\n"
    )
    started = time.monotonic()
    outcome = pool.run(bomb)
    assert outcome.status in {"timeout", "runtime_error"}
    assert time.monotonic() - started < 30
    after = pool.run("import os\nprint(len([p for p in os.listdir('/proc') if p.isdigit()]))\n")
    assert after.status == "pass"
    # init, the worker, and this program: nothing of the bomb is left.
    assert int(after.stdout.strip()) <= 3


def test_memory_bomb_gives_oom(pool):
    outcome = pool.run("blocks = []\nwhile True:\n    blocks.append(bytearray(16 * 1024 * 1024))\n")
    assert outcome.status == "oom"


def test_endless_loop_times_out_within_its_limit(pool):
    started = time.monotonic()
    outcome = pool.run("while True:\n    pass\n")
    elapsed = time.monotonic() - started
    assert outcome.status == "timeout"
    assert outcome.detail == "run ran past its CPU time limit"
    # 3 s of CPU: at least 3 s of wall time, and far less than the 30 s wall-clock backstop
    # even when the suite's other work shares the cores.
    assert outcome.duration_s >= 3.0
    assert elapsed < 20.0


def test_huge_output_gives_output_limit_and_keeps_the_tail(pool):
    program = (
        "import sys\n"
        "chunk = 'x' * 1023 + '\\n'\n"
        "for i in range(100 * 1024):\n"
        "    sys.stdout.write(chunk)\n"
        "print('never reached')\n"
    )
    outcome = pool.run(program)
    assert outcome.status == "output_limit"
    assert outcome.stdout.endswith("x\n") or "xxxx" in outcome.stdout[-100:]
    assert 0 < len(outcome.stdout) <= load_spec("py").limits.tail_bytes


def test_background_process_is_gone_before_next_job(pool):
    spawn = (
        "import subprocess\n"
        "subprocess.Popen(['python3', '-c', 'import os, time\\nos.setsid()\\nopen(\"/tmp/job/alive\", \"w\")\\ntime.sleep(600)'],"
        " start_new_session=True)\n"
        "import time; time.sleep(0.3)\n"
    )
    assert pool.run(spawn).status == "pass"
    check = (
        "import os\n"
        "others = []\n"
        "for pid in filter(str.isdigit, os.listdir('/proc')):\n"
        "    try:\n"
        "        cmd = open(f'/proc/{pid}/cmdline', 'rb').read()\n"
        "    except OSError:\n"
        "        continue\n"
        "    if b'sleep' in cmd:\n"
        "        others.append(pid)\n"
        "print(others, sorted(os.listdir('/tmp')))\n"
    )
    outcome = pool.run(check)
    assert outcome.status == "pass"
    assert outcome.stdout.strip() == "[] ['job']"


def test_files_from_a_previous_job_are_gone(pool):
    assert pool.run("open('/tmp/job/secret', 'w').write('x')\nopen('/dev/shm/leak', 'w').write('y')\n").status == "pass"
    outcome = pool.run("import os\nprint(sorted(os.listdir('.')), os.listdir('/dev/shm'))\n")
    assert outcome.stdout.strip() == "['main.py'] []"


def test_sys_exit_before_tests_does_not_pass(pool):
    assert pool.run("import sys\nsys.exit(0)\nassert False\n").status == "runtime_error"
    assert pool.run("import os\nos._exit(0)\nassert False\n").status == "runtime_error"


def test_killing_the_worker_is_an_infra_error_not_a_pass(pool):
    outcome = pool.run("import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\n")
    # The job user can't signal the root worker: the program itself fails.
    assert outcome.status == "runtime_error"
    assert pool.run("print('still alive')\n").status == "pass"
