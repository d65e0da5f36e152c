"""Execution overhead: the same N HumanEval canonical programs run three ways, in one run.

1. floor: a plain local `python3 prog.py` subprocess per program (no isolation at all);
2. naive: one `docker run --rm --network none` per program (the usual way to sandbox);
3. polypass: the warm pool of hardened containers (one container, then the default size).

Prints per-program times and the ratios; absolute times mean little on a noisy machine.
Usage: python perf/execution.py [--n 40]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks import humaneval
from sandboxes import engine, images
from sandboxes.pool import ContainerPool
from sandboxes.spec import load_spec
from sandboxes.verdict import Status


def programs(n: int) -> list[str]:
    problems = humaneval.load()
    return [problems[i % len(problems)].program(problems[i % len(problems)].canonical_solution) for i in range(n)]


#: The host's Debian python3 is the same CPython as in the sandbox image; pyenv/venv
#: interpreters with many site-packages start slower and would flatter polypass.
FLOOR_PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable


def run_floor(texts: list[str]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for index, text in enumerate(texts):
            path = Path(tmp) / f"p{index}.py"
            path.write_text(text)
            paths.append(path)
        started = time.perf_counter()
        for path in paths:
            subprocess.run([FLOOR_PYTHON, str(path)], check=True, capture_output=True)
        return time.perf_counter() - started


def run_naive(texts: list[str], image: str) -> float:
    started = time.perf_counter()
    for text in texts:
        subprocess.run(
            ["docker", "run", "--rm", "-i", "--network", "none", image, "python3", "-"],
            input=text.encode(), check=True, capture_output=True,
        )
    return time.perf_counter() - started


def run_pool(pool: ContainerPool, texts: list[str]) -> float:
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=pool.size) as executor:
        statuses = list(executor.map(lambda t: pool.run(t).status, texts))
    elapsed = time.perf_counter() - started
    assert statuses.count(Status.PASS) == len(texts), statuses
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=40, help="programs per way (default 40)")
    args = parser.parse_args()
    texts = programs(args.n)
    client = engine.connect()
    spec = load_spec("py")
    image = images.ensure_image(client, spec, log=lambda _m: None)

    floor = run_floor(texts)
    naive = run_naive(texts, image.id)
    with ContainerPool(client, spec, image, 1) as pool:
        run_pool(pool, texts[:4])  # warm-up: the pool is long-lived in real runs
        single = run_pool(pool, texts)
    size = os.cpu_count() or 2
    with ContainerPool(client, spec, image, size) as pool:
        run_pool(pool, texts[:4])
        parallel = run_pool(pool, texts)

    n = len(texts)
    ms = lambda seconds: 1000 * seconds / n  # noqa: E731
    print(f"{n} HumanEval canonical programs, {os.cpu_count()} cores")
    print(f"  floor    local subprocess, sequential : {ms(floor):7.1f} ms/program ({FLOOR_PYTHON})")
    print(f"  naive    docker run per program       : {ms(naive):7.1f} ms/program")
    print(f"  polypass pool of 1 container           : {ms(single):7.1f} ms/program")
    print(f"  polypass pool of {size} containers          : {ms(parallel):7.1f} ms/program")
    print(f"overhead of polypass (1 container) over the floor: {ms(single) - ms(floor):+.1f} ms/program (goal <= 10)")
    print(f"throughput polypass (1 container) / naive : {naive / single:.1f}x")
    print(f"throughput polypass ({size} containers) / naive: {naive / parallel:.1f}x (goal >= 20)")


if __name__ == "__main__":
    main()
