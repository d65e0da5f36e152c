"""`polypass score`: pass@k with bootstrap confidence intervals, written to scores.json."""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

from rich.console import Console

from harness.commands.common import existing_run_dir, parse_ks
from harness.rundir import SCORES
from harness.score import render_scores, score_run

DEFAULT_DB = "sqlite:///polypass.db"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("score", help="compute pass@k for a run directory")
    parser.add_argument("run_dir", help="run directory with executions.jsonl")
    parser.add_argument("--k", type=parse_ks, default=[1, 10, 100], help="e.g. 1,10,100")
    parser.add_argument("--exclude", type=Path, default=None,
                        help="contamination report: also score the clean subset")
    parser.add_argument("--db", default=DEFAULT_DB, help="results database URL ('none' to skip)")
    parser.set_defaults(handler=run)


def record_in_db(db_url: str, run_dir: Path, scores: dict) -> None:
    if db_url == "none" or importlib.util.find_spec("harness.resultsdb") is None:
        return
    from harness.resultsdb import record_run

    record_run(db_url, run_dir, scores)


def run(args: argparse.Namespace) -> int:
    run_dir = existing_run_dir(args.run_dir)
    scores = score_run(run_dir, args.k, exclude=args.exclude)
    record_in_db(args.db, run_dir, scores)
    console = Console()
    render_scores(scores, console)
    console.print(f"wrote {run_dir / SCORES}")
    return 0
