"""`polypass decontam`: which benchmark problems are in the training data (resumable per shard)."""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from decontam import engine as engines
from decontam.index import build_index
from decontam.params import Params
from decontam.report import build_report, write_report
from decontam.shards import ShardSpecError, expand
from decontam.spark import SparkUnavailable
from harness.commands.common import add_problem_source_arguments, load_problems, parse_languages
from harness.errors import InfraError, UsageError

DEFAULTS = Params()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "decontam", help="find benchmark problems in training shards; write contamination.json",
        description="Stream training shards (jsonl, jsonl.gz, parquet, arrow, a datasets folder "
        "or hf:NAME[:SPLIT] streaming), find benchmark problems pasted or near-copied in them "
        "(MinHash LSH Ensemble candidates, verified by exact n-gram containment) and write a "
        "per-problem report. Run it again to resume: finished shards are not read twice.",
    )
    parser.add_argument("--benchmarks", "--benchmark", dest="benchmarks", default="humaneval",
                        help="comma-separated problem sets (default: humaneval)")
    parser.add_argument("--languages", default=None, help="comma-separated, or all (default)")
    add_problem_source_arguments(parser)
    parser.add_argument("--shards", nargs="+", action="extend", required=True, metavar="SPEC",
                        help="files, folders, glob patterns ('data/**/*.parquet') or hf:NAME[:SPLIT]")
    parser.add_argument("--text-column", default=DEFAULTS.text_column, help="column with the document text (default: content)")
    parser.add_argument("--id-column", default=None, help="column to report as the document id")
    parser.add_argument("--out", type=Path, default=Path("contamination.json"), help="report file (default: contamination.json)")
    parser.add_argument("--engine", choices=engines.ENGINES, default="local",
                        help="local: a process per shard; spark: a map-only PySpark job")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes (local) or local Spark cores (default: CPU count)")
    parser.add_argument("--skip-bad-shards", action="store_true",
                        help="count unreadable shards in the report instead of failing")
    parser.add_argument("--no-resume", action="store_true", help="scan every shard again")
    knobs = parser.add_argument_group("parameters (recorded in the report)")
    knobs.add_argument("--ngram", type=int, default=DEFAULTS.ngram, help=f"tokens per n-gram (default {DEFAULTS.ngram})")
    knobs.add_argument("--num-perm", type=int, default=DEFAULTS.num_perm, help=f"MinHash permutations (default {DEFAULTS.num_perm})")
    knobs.add_argument("--seed", type=int, default=DEFAULTS.seed, help=f"MinHash seed (default {DEFAULTS.seed})")
    knobs.add_argument("--window", type=int, default=DEFAULTS.window, help=f"n-grams per document window (default {DEFAULTS.window})")
    knobs.add_argument("--lsh-threshold", type=float, default=DEFAULTS.lsh_threshold,
                       help=f"LSH Ensemble containment threshold for candidates (default {DEFAULTS.lsh_threshold})")
    knobs.add_argument("--threshold", type=float, default=DEFAULTS.threshold,
                       help=f"verified containment that flags a problem (default {DEFAULTS.threshold})")
    knobs.add_argument("--min-item-shingles", type=int, default=DEFAULTS.min_item_shingles,
                       help=f"smaller fields are whitelisted as trivial (default {DEFAULTS.min_item_shingles})")
    knobs.add_argument("--boilerplate-df", type=float, default=DEFAULTS.boilerplate_df,
                       help=f"n-grams in this fraction of problems are boilerplate (default {DEFAULTS.boilerplate_df})")
    knobs.add_argument("--max-matches", type=int, default=DEFAULTS.max_matches,
                       help=f"documents kept per field (default {DEFAULTS.max_matches})")
    parser.set_defaults(handler=run)


def _params(args: argparse.Namespace) -> Params:
    try:
        return Params(ngram=args.ngram, num_perm=args.num_perm, seed=args.seed, window=args.window,
                      lsh_threshold=args.lsh_threshold, threshold=args.threshold,
                      min_item_shingles=args.min_item_shingles, boilerplate_df=args.boilerplate_df,
                      max_matches=args.max_matches, text_column=args.text_column,
                      id_column=args.id_column)
    except ValueError as exc:
        raise UsageError(f"decontam: {exc}") from None


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    params = _params(args)
    languages = parse_languages(args.languages)
    problems = load_problems(args.benchmarks, languages, args.problems, args.from_file)
    if not problems:
        raise UsageError(f"--benchmarks {args.benchmarks} --languages {args.languages}: no problems")
    try:
        shards = expand(args.shards)
    except ShardSpecError as exc:
        raise UsageError(f"--shards: {exc}") from None
    if not shards:
        raise UsageError("--shards: no shards found")
    index = build_index(problems, params)
    parts_dir = None if args.no_resume else args.out.with_name(args.out.name + ".parts")

    began = time.perf_counter()
    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
               TransferSpeedColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        label = f"decontam ({args.engine}) shards {{done}}/{len(shards)}"
        task = progress.add_task(label.format(done=0), total=None)
        done = [0]

        def on_bytes(nbytes: int) -> None:
            progress.advance(task, nbytes)

        def on_shard(result) -> None:
            done[0] += 1
            progress.update(task, description=label.format(done=done[0]))
            if result.error is not None:
                progress.console.print(f"bad shard: {result.error}", markup=False, highlight=False)

        try:
            results, resumed = engines.run(shards, index, engine=args.engine, workers=args.workers,
                                           parts_dir=parts_dir, on_bytes=on_bytes, on_shard=on_shard)
        except SparkUnavailable as exc:
            raise InfraError(str(exc)) from None
    seconds = time.perf_counter() - began
    bad = [r for r in results if r.error is not None]
    if bad and not args.skip_bad_shards:
        more = f" (and {len(bad) - 1} more bad shard(s))" if len(bad) > 1 else ""
        raise UsageError(f"{bad[0].error}{more}; fix or pass --skip-bad-shards")
    report = build_report(index, results, engine=args.engine,
                          benchmarks=sorted({p.benchmark for p in problems}),
                          languages=languages, seconds=seconds)
    write_report(report, args.out)
    _summarise(console, report, resumed, seconds, args.out)
    return 0


def _summarise(console: Console, report: dict, resumed: int, seconds: float, out: Path) -> None:
    shards = report["shards"]
    mb = shards["bytes"] / 1e6
    console.print(
        f"{shards['total']} shards ({resumed} resumed, {shards['skipped_bad']} bad skipped), "
        f"{shards['documents']} documents, {mb:.1f} MB in {seconds:.1f}s"
    )
    table = Table(title="contamination")
    for column in ("benchmark", "language", "problems", "flagged", "clean"):
        table.add_column(column, justify="right" if column in {"problems", "flagged", "clean"} else "left")
    groups: dict[tuple[str, str], list[int]] = {}
    for problem in report["problems"]:
        counts = groups.setdefault((problem["benchmark"], problem["language"]), [0, 0])
        counts[0] += 1
        counts[1] += problem["flagged"]
    for (benchmark, language), (total, flagged) in sorted(groups.items()):
        table.add_row(benchmark, language, str(total), str(flagged), str(total - flagged))
    console.print(table)
    flagged = [p for p in report["problems"] if p["flagged"]]
    for problem in flagged[:20]:
        field, entry = max(problem["fields"].items(), key=lambda kv: kv[1]["containment"])
        where = entry["matches"][0] if entry["matches"] else {}
        console.print(f"  {problem['language']} {problem['name']}: {field} containment "
                      f"{entry['containment']:.2f} in {where.get('shard')} row {where.get('row')}",
                      markup=False, highlight=False)
    if len(flagged) > 20:
        console.print(f"  ... and {len(flagged) - 20} more", markup=False)
    console.print(f"{report['summary']['flagged']} of {report['summary']['problems']} problems "
                  f"flagged; report: {out}", markup=False)
