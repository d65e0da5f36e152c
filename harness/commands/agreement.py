"""`polypass agreement`: run programs another evaluator judged and compare verdicts, per language."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from harness.agreement import Judged, LanguageAgreement, judge, read_recorded, tally
from harness.commands.common import parse_languages


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "agreement", help="run programs with recorded verdicts (MultiPL-E result files) and compare, per language",
        description="Execute every program of MultiPL-E result files (a folder of .results.json(.gz), or a "
        ".jsonl of records with language, program and the recorded status/exit_code) in polypass's "
        "sandboxes, with the prompt and tests it carries, and count per language where our pass/fail "
        "agrees with the recorded one (status OK and exit code 0). Exit 0 when all agree, 1 when some "
        "disagree, 3 when the sandbox failed.",
    )
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="a folder of .results.json(.gz) files, one such file, or a .jsonl(.gz) of records")
    parser.add_argument("--languages", default=None, help="only these languages (comma-separated; default: all)")
    parser.add_argument("--pool-size", type=int, default=None, help="containers per language (default: CPU count)")
    parser.add_argument("--no-cache", action="store_true", help="bypass the persistent result cache")
    parser.add_argument("--out", type=Path, default=None,
                        help="write one JSON line per program: where, language, name, recorded and our verdict")
    parser.set_defaults(handler=run)


def agreement_table(rows: list[LanguageAgreement]) -> Table:
    table = Table(title="agreement with the recorded verdicts")
    for column in ("language", "programs", "recorded pass", "agree", "ours pass, theirs fail",
                   "ours fail, theirs pass", "infra errors"):
        table.add_column(column, justify="left" if column == "language" else "right")
    ours = [r for r in rows if r.supported]
    for row in ours:
        table.add_row(row.language, str(row.records), str(row.recorded_pass), f"{row.agree}/{row.judged}",
                      str(row.ours_pass_theirs_fail), str(row.ours_fail_theirs_pass), str(row.infra_errors),
                      end_section=row is ours[-1])
    if ours:
        agree, judged = sum(r.agree for r in ours), sum(r.judged for r in ours)
        table.add_row("languages we run", str(sum(r.records for r in ours)), str(sum(r.recorded_pass for r in ours)),
                      f"{agree}/{judged}", str(sum(r.ours_pass_theirs_fail for r in ours)),
                      str(sum(r.ours_fail_theirs_pass for r in ours)), str(sum(r.infra_errors for r in ours)),
                      end_section=True)
    for row in rows:
        if not row.supported:
            table.add_row(row.language, str(row.records), str(row.recorded_pass), "not run (no polypass sandbox)",
                          "-", "-", "-")
    return table


def _line(item: Judged) -> str:
    record = item.record
    return json.dumps({
        "where": record.where, "language": record.language, "name": record.name,
        "recorded": record.recorded_status, "recorded_pass": record.recorded_pass,
        "ours": item.status, "detail": item.detail, "agrees": item.agrees,
    }, ensure_ascii=False) + "\n"


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    records = read_recorded(args.paths)
    languages = parse_languages(args.languages)
    if languages is not None:
        records = [r for r in records if r.language in languages]
    runnable = sum(r.supported for r in records)
    progress = Progress(TextColumn("[bold]executing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=console)
    with progress:
        task = progress.add_task("executing", total=runnable)
        judged = judge(records, use_cache=not args.no_cache, pool_size=args.pool_size,
                       on_result=lambda n: progress.advance(task, n))
    if args.out is not None:
        args.out.write_text("".join(_line(item) for item in judged), encoding="utf-8")
    rows = tally(judged)
    out = Console()
    out.print(agreement_table(rows))
    disagreements = [item for item in judged if item.agrees is False]
    for item in disagreements:
        out.print(f"disagree: {item.record.where} {item.record.language} {item.record.name}: recorded "
                  f"{item.record.recorded_status}, ours {item.status} {item.detail}".rstrip(), markup=False, highlight=False)
    if any(r.infra_errors for r in rows):
        return 3
    return 1 if disagreements else 0
