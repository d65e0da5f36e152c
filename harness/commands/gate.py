"""`polypass gate`: exit 0 when the candidate holds, 1 on a regression, 3 when evidence is unusable."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rich.console import Console

from harness.commands.common import parse_languages
from harness.errors import UsageError
from harness.gate import GateConfig, evaluate, parse_minimums, write_outputs
from harness.report.runs import RunScores, read_run_dir


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a fraction in [0, 1], got {text!r}")
    return value


def _points(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected percentage points, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--max-drop must be >= 0, got {text!r}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "gate", help="pre-release gate: candidate vs baseline run (exit 0 holds, 1 regression, 3 unusable)",
        description="Compare a candidate run with a baseline run per language. Exit 0: holds; 1: a drop larger "
                    "than --max-drop that a paired bootstrap over problems finds significant at --alpha, or a "
                    "--min threshold missed; 3: evidence unusable (missing languages or problems, too many "
                    "infra errors, runs not comparable).",
    )
    parser.add_argument("--candidate", required=True, help="run directory (or run name with --db)")
    parser.add_argument("--baseline", required=True, help="run directory (or run name with --db)")
    parser.add_argument("--max-drop", type=_points, default=1.0, help="allowed drop in pass@k percentage points (1.0)")
    parser.add_argument("--min", action="append", default=[], metavar="pass@K:LANG=FRAC,...",
                        help="minimum candidate score, e.g. pass@1:py=0.30,cpp=0.25 (repeatable)")
    parser.add_argument("--alpha", type=_fraction, default=0.05, help="significance level (0.05)")
    parser.add_argument("--languages", default=None, help="comma-separated languages (default: the baseline's)")
    parser.add_argument("--k", type=int, default=1, help="pass@k the drop check uses (1)")
    parser.add_argument("--max-infra-rate", type=_fraction, default=0.02,
                        help="largest share of samples with infra_error or no verdict still usable (0.02)")
    parser.add_argument("--subset", choices=("all", "clean"), default="all",
                        help="'clean': judge on the decontaminated subset")
    parser.add_argument("--allow-incomparable", action="store_true",
                        help="check runs whose fingerprints differ anyway (differences are listed)")
    parser.add_argument("--resamples", type=int, default=10000, help="bootstrap resamples (10000)")
    parser.add_argument("--summary", type=Path, default=None, help="write the Markdown summary here")
    parser.add_argument("--junit", type=Path, default=None, help="write JUnit XML here")
    parser.add_argument("--db", default=None, help="results database to look run names up in")
    parser.set_defaults(handler=run)


def _load(flag: str, value: str, db_url: str | None) -> RunScores:
    path = Path(value)
    if path.is_dir() or db_url is None:
        return read_run_dir(path)
    from harness.resultsdb import load_runs

    found = load_runs(db_url, [value])
    if not found:
        raise UsageError(f"{flag} {value}: neither a run directory nor a run recorded in {db_url}")
    return found[0]


def run(args: argparse.Namespace) -> int:
    try:
        minimums = parse_minimums(args.min)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.k < 1 or args.resamples < 100:
        raise UsageError("--k must be >= 1 and --resamples >= 100")
    languages = parse_languages(args.languages)
    config = GateConfig(
        max_drop=args.max_drop, minimums=minimums, alpha=args.alpha,
        languages=tuple(languages) if languages else None, k=args.k, max_infra_rate=args.max_infra_rate,
        subset=args.subset, allow_incomparable=args.allow_incomparable, resamples=args.resamples,
    )
    candidate = _load("--candidate", args.candidate, args.db)
    baseline = _load("--baseline", args.baseline, args.db)
    result = evaluate(candidate, baseline, config)
    step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
    write_outputs(result, args.summary, args.junit, Path(step_summary) if step_summary else None)
    console = Console(highlight=False)
    console.print(f"candidate [bold]{candidate.label}[/bold] (run {candidate.name}) vs "
                  f"baseline [bold]{baseline.label}[/bold] (run {baseline.name})")
    for check in result.checks:
        mark = {"pass": "[green]ok[/green]", "fail": "[red]REGRESSION[/red]", "error": "[yellow]UNUSABLE[/yellow]"}
        console.print(f"{mark[check.outcome]}  {check.language:<6} {check.name}: ", end="")
        console.print(check.message, markup=False)
    for warning in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    console.print(f"gate: {result.verdict} (exit {result.exit_code})")
    return result.exit_code
