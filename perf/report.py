"""How long `polypass report` takes for 50 runs x 19 languages (goal: under 5 s).

Writes 50 scored run directories (164 problems x 19 languages, greedy: one sample each;
one model family by training step) with the real scoring code, then times, in the same
process: the baseline (just finding and loading the 50 scores.json files) and the whole
report (load + leaderboard, trends, deltas with paired bootstraps, render index.html and
leaderboard.md). Prints both and their ratio.

    python perf/report.py [--runs 50] [--problems 164] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.languages import LANGUAGES as ALL_LANGUAGES
from harness.report.model import build_report
from harness.report.render import write_site
from harness.report.runs import find_run_dirs, read_run_dir
from harness.report.synthetic import problem_names, write_run
from sandboxes.verdict import Status

LANGUAGES = tuple(lang for lang in ALL_LANGUAGES if lang != "py")  # MultiPL-E's 18
STATUSES = (Status.FAIL, Status.COMPILE_ERROR, Status.RUNTIME_ERROR, Status.TIMEOUT, f"{Status.FAIL}+length")


def make_runs(root: Path, runs: int, problems: int) -> None:
    rng = random.Random(0)
    names = problem_names(problems)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    skill = {lang: rng.uniform(0.1, 0.5) for lang in ("py", *LANGUAGES)}
    for index in range(runs):
        outcomes = {}
        for benchmark, lang in [("humaneval", "py"), *(("multipl-e", lang) for lang in LANGUAGES)]:
            rate = min(0.95, skill[lang] + 0.004 * index)
            outcomes[(benchmark, lang)] = {
                name: [Status.PASS if rng.random() < rate else rng.choice(STATUSES)] for name in names
            }
        write_run(root / f"night-{index:03d}", outcomes, model="coder-1b", revision=f"step-{1000 * (index + 1)}",
                  created=start + timedelta(days=index))


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - began)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--problems", type=int, default=164)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="polypass-perf-report-") as tmp:
        root = Path(tmp)
        began = time.perf_counter()
        make_runs(root / "runs", args.runs, args.problems)
        print(f"setup: wrote {args.runs} scored runs x {1 + len(LANGUAGES)} languages x {args.problems} problems "
              f"in {time.perf_counter() - began:.1f} s")

        def load() -> list:
            return [read_run_dir(d) for d in find_run_dirs([root / "runs"])]

        def report() -> None:
            runs = load()
            built = build_report(runs, baseline_name="night-000")
            write_site(built, root / "site")

        baseline = timed(load, args.repeat)
        full = timed(report, args.repeat)
        size = (root / "site" / "index.html").stat().st_size
    print(f"baseline (load {args.runs} scores.json): {baseline:.3f} s")
    print(f"report (load + build + render):       {full:.3f} s   goal < 5 s   "
          f"{'OK' if full < 5 else 'OVER GOAL'}")
    print(f"ratio report / load: {full / baseline:.2f}x   index.html {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
