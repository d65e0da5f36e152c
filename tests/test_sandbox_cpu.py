"""CPU-time limits through the real Python sandbox: what a step's processes use is what counts.

A step stops when its processes together have used the language's CPU limit, or, for a
program that sleeps or blocks, at the wall-clock backstop (CPU limit × wall_factor).
"""

from __future__ import annotations

import pytest

from sandboxes.spec import SpecError, load_spec, parse_spec

pytestmark = pytest.mark.docker


@pytest.fixture(scope="module")
def pool(sandbox_pool):
    spec = load_spec("py").with_limits(run_cpu_s=2.0, wall_factor=4.0)
    return sandbox_pool("py", size=1, spec=spec)


def test_the_worker_counts_cpu_through_the_containers_cgroup(pool):
    container = pool._idle.get()
    try:
        assert container.cpu_meter == "cgroup", "no readable cgroup CPU counter in the sandbox: " + container.cpu_meter
    finally:
        pool._idle.put(container)


def test_a_busy_loop_stops_at_its_cpu_limit(pool):
    outcome = pool.run("while True:\n    pass\n")
    assert outcome.status == "timeout"
    assert outcome.detail == "run ran past its CPU time limit"
    assert 2.0 <= outcome.cpu_s < 3.0


def test_a_sleeping_program_stops_at_the_wall_clock_backstop(pool):
    outcome = pool.run("import time\ntime.sleep(600)\n")
    assert outcome.status == "timeout"
    assert outcome.detail == "run ran past its wall-clock limit"
    assert 8.0 <= outcome.duration_s < 12.0  # 2 s of CPU × 4
    assert outcome.cpu_s < 1.0


def test_cpu_used_by_child_processes_counts(pool):
    # The parent sleeps; two children spin. Counting only the parent would end at the wall
    # backstop after 8 s; the cgroup counts all three and stops them after 2 s of CPU.
    program = (
        "import os, time\n"
        "for _ in range(2):\n"
        "    if os.fork() == 0:\n"
        "        while True:\n"
        "            pass\n"
        "time.sleep(600)\n"
    )
    outcome = pool.run(program)
    assert outcome.status == "timeout"
    assert outcome.detail == "run ran past its CPU time limit"
    assert outcome.cpu_s >= 2.0


def test_a_correct_program_reports_the_cpu_it_used(pool):
    outcome = pool.run("total = 0\nfor i in range(3_000_000):\n    total += i\nassert total > 0\n")
    assert outcome.status == "pass"
    assert 0.05 < outcome.cpu_s < 2.0


def test_old_wall_clock_limit_names_are_refused_with_the_new_name(tmp_path):
    spec = tmp_path / "lang.toml"
    spec.write_text('name = "x"\nfile_name = "x.py"\nrun = ["python3", "x.py"]\nrun_timeout_s = 10.0\n')
    with pytest.raises(SpecError, match=r"lang.toml: run_timeout_s is now run_cpu_s \(CPU seconds"):
        parse_spec(spec)
