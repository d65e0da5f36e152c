"""Verdicts do not depend on the machine's load: correct programs in the slowest languages pass
while the machine is oversubscribed several times over.

The test starts busy processes (three per core, each bounded in time and killed at the end),
then runs reference solutions through fresh pools of the languages whose jobs take longest,
all at once, with their own limits and no second chance (`run`, not `judge`, and no cache).
Under wall-clock limits such a machine turned a correct Go program into `timeout` in CI.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
from conformance_kit import by_name, describe, reference_solutions

pytestmark = pytest.mark.docker

#: The languages with the slowest jobs (per-job times in the README's "Time limits").
SLOW_LANGUAGES = ("jl", "scala", "swift", "go", "java", "rkt")
REFERENCES_PER_LANGUAGE = 3
BUSY_PER_CORE = 3
BUSY_FOR_S = 600.0
SPIN = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def busy_machine(processes: int, seconds: float) -> Iterator[list[subprocess.Popen[bytes]]]:
    """`processes` CPU-bound processes that end by themselves after `seconds` at the latest."""
    busy = [subprocess.Popen([sys.executable, "-c", SPIN.format(seconds=seconds)]) for _ in range(processes)]
    try:
        yield busy
    finally:
        for process in busy:
            process.kill()
        for process in busy:
            process.wait()


def test_correct_programs_pass_while_the_machine_is_oversubscribed(sandbox_pool) -> None:
    cores = os.cpu_count() or 1
    cases = []
    for language in SLOW_LANGUAGES:
        problems = by_name(language)
        for name, completion in list(reference_solutions(language).items())[:REFERENCES_PER_LANGUAGE]:
            cases.append((language, problems[name], completion))
    with busy_machine(BUSY_PER_CORE * cores, BUSY_FOR_S) as busy:
        started = time.monotonic()
        pools = {language: sandbox_pool(language, 2) for language in SLOW_LANGUAGES}
        with ThreadPoolExecutor(max_workers=2 * len(SLOW_LANGUAGES)) as executor:
            outcomes = list(executor.map(
                lambda case: pools[case[0]].run(case[1].program(case[2])), cases))
        elapsed = time.monotonic() - started
        still_busy = sum(process.poll() is None for process in busy)
    assert still_busy == len(busy), "the load ended before the programs did: the test proves nothing"
    wrong = [f"{language}: {describe(problem, outcome)}"
             for (language, problem, _), outcome in zip(cases, outcomes, strict=True) if outcome.status != "pass"]
    assert not wrong, f"correct programs misjudged under {len(busy)} busy processes on {cores} cores:\n" + "\n".join(wrong)
    print(f"{len(cases)} references in {elapsed:.0f} s under {len(busy)} busy processes on {cores} cores")
