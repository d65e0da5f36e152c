"""CPU-time limits per language, from what its reference solutions use.

Runs every language's conformance reference solutions (tests/conformance/<lang>/*.txt, each
completing our translation of its problem) and their stubs through the real pool, twice, and
reads the CPU seconds of each step from the worker. Prints per language the most CPU a
compile step and a run step used, the limit in its lang.toml, and the headroom (limit / most
used). A limit is the floor (10 s run, 60 s compile) or HEADROOM × the most used, whichever
is larger; `--suggest` prints the lang.toml lines that differ from that rule.

Usage: python perf/calibrate_limits.py [--languages jl,scala] [--suggest]
"""

from __future__ import annotations

import argparse
import math
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conformance_kit import CONFORMANCE_LANGUAGES, by_name, reference_solutions, stub

from sandboxes import engine, images
from sandboxes.pool import ContainerPool
from sandboxes.spec import LanguageSpec, load_spec

RUN_FLOOR_S = 10.0
COMPILE_FLOOR_S = 60.0
#: How many times the most CPU a reference used a limit allows (model code is often slower).
HEADROOM = 5.0


def step_cpu(pool: ContainerPool, program: str) -> dict[str, float]:
    """CPU seconds per step name for one program."""
    return {step.name: step.cpu_s for step in pool.steps(program)}


def suggested(floor: float, most: float) -> float:
    return max(floor, float(math.ceil(HEADROOM * most)))


def calibrate(client: object, spec: LanguageSpec) -> tuple[float, float]:
    problems = by_name(spec.name)
    programs = []
    for name, completion in reference_solutions(spec.name).items():
        problem = problems[name]
        programs += [problem.program(completion), problem.program(stub(problem))]
    image = images.ensure_image(client, spec, log=lambda _m: None)  # type: ignore[arg-type]
    with ContainerPool(client, spec, image, 2) as pool, ThreadPoolExecutor(2) as executor:  # type: ignore[arg-type]
        measured = list(executor.map(lambda text: step_cpu(pool, text), programs * 2))
    most_run = max(m.get("run", 0.0) for m in measured)
    most_compile = max(m.get("compile", 0.0) for m in measured)
    return most_compile, most_run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", default=",".join(CONFORMANCE_LANGUAGES))
    parser.add_argument("--suggest", action="store_true", help="print the lang.toml lines that differ from the rule")
    args = parser.parse_args()
    client = engine.connect()
    print(f"{'lang':6} {'compile cpu':>11} {'limit':>6} {'headroom':>8} {'run cpu':>8} {'limit':>6} {'headroom':>8}")
    for language in args.languages.split(","):
        spec = load_spec(language)
        most_compile, most_run = calibrate(client, spec)
        limits = spec.limits
        compile_part = (f"{most_compile:11.2f} {limits.compile_cpu_s:6.0f} {limits.compile_cpu_s / most_compile:7.1f}x"
                        if spec.compile else f"{'-':>11} {'-':>6} {'-':>8}")
        print(f"{language:6} {compile_part} {most_run:8.2f} {limits.run_cpu_s:6.0f} "
              f"{limits.run_cpu_s / max(most_run, 1e-3):7.1f}x", flush=True)
        if args.suggest:
            if suggested(RUN_FLOOR_S, most_run) != limits.run_cpu_s:
                print(f"  {language}: run_cpu_s = {suggested(RUN_FLOOR_S, most_run)}")
            if spec.compile and suggested(COMPILE_FLOOR_S, most_compile) != limits.compile_cpu_s:
                print(f"  {language}: compile_cpu_s = {suggested(COMPILE_FLOOR_S, most_compile)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
