"""`polypass run`: generate -> execute in the sandboxes -> score -> print the table."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness import rundir
from harness.commands.common import add_ray_arguments, parse_ks
from harness.commands.generate import (
    GenerationPlan,
    add_generation_arguments,
    default_out,
    plan_generation,
    run_generation,
)
from harness.commands.score import DEFAULT_DB, record_in_db
from harness.generation.parallel import DistEnv
from harness.rundir import SCORES
from sandboxes.verdict import Status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "run", help="everything: generate, execute, score, report",
        description="Point polypass at a checkpoint and get pass@k per language. Every stage "
        "writes to the run directory and resumes where it stopped when run again.",
    )
    add_generation_arguments(parser)
    parser.add_argument("--k", type=parse_ks, default=None,
                        help="pass@k values, e.g. 1,10 (default: 1, plus 10 and 100 when n allows)")
    parser.add_argument("--out", type=Path, default=None, help="run directory (default: runs/MODEL-TIME)")
    parser.add_argument("--exclude", type=Path, default=None,
                        help="contamination report: also score the clean subset")
    parser.add_argument("--pool-size", type=int, default=None, help="containers per language")
    parser.add_argument("--no-cache", action="store_true", help="bypass the persistent result cache")
    add_ray_arguments(parser)
    parser.add_argument("--db", default=DEFAULT_DB, help="results database URL ('none' to skip)")
    parser.set_defaults(handler=run)


def default_ks(n_samples: int | None) -> list[int]:
    n = n_samples or 1
    return [k for k in (1, 10, 100) if k == 1 or k <= n]


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    run_dir = args.out or default_out(args)
    plan = plan_generation(args)
    if not DistEnv.from_env().is_main:
        run_generation(args, plan, run_dir, console)
        return 0  # under torchrun / accelerate launch, rank 0 executes and scores the merged samples
    with rundir.own(run_dir, "run"):
        return _run(args, plan, run_dir, console)


def _run(args: argparse.Namespace, plan: GenerationPlan, run_dir: Path, console: Console) -> int:
    from harness.execute import execute_run
    from harness.score import render_scores, score_run

    run_generation(args, plan, run_dir, console)
    summary = execute_run(run_dir, plan.problems, use_cache=not args.no_cache, pool_size=args.pool_size,
                          console=console, ray=args.ray, ray_resource=args.ray_resource)
    scores = score_run(run_dir, args.k or default_ks(args.n_samples), exclude=args.exclude)
    record_in_db(args.db, run_dir, scores)
    out = Console()
    render_scores(scores, out)
    out.print(f"run: {run_dir} (scores: {run_dir / SCORES}); one sample as it ran: polypass show {run_dir}")
    return 3 if summary.status_counts.get(Status.INFRA_ERROR) else 0
