"""`polypass benchmarks list|show|export`: the problem sets, per language, and what was dropped."""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import humaneval, multiple, registry
from benchmarks.languages import LANGUAGES
from benchmarks.problem import Problem
from benchmarks.translate.pipeline import Drop, translate_problems
from harness.errors import UsageError

BENCHMARKS = ("humaneval", "multipl-e")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("benchmarks", help="list, show and export problem sets (HumanEval, MultiPL-E)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def common(sub: argparse.ArgumentParser, benchmark_default: str | None) -> None:
        sub.add_argument("--benchmark", choices=BENCHMARKS, default=benchmark_default,
                         help=f"problem set (default: {benchmark_default or 'all'})")
        sub.add_argument("--problems", metavar="PATH_OR_HF_ID[@REV]", default=None,
                         help="MultiPL-E problems from the official dataset (nuprl/MultiPL-E[@revision]) or a "
                              f"local copy (jsonl or save_to_disk folder); default ${multiple.ENV_VAR}, else our translator")

    listing = actions.add_parser("list", help="problems and dropped problems per benchmark and language")
    common(listing, None)
    listing.add_argument("--language", "--languages", dest="languages", default=None,
                         help="comma-separated languages (default: all)")
    listing.add_argument("--why-dropped", action="store_true", help="also list each dropped problem and why")
    listing.set_defaults(handler=run_list)

    show = actions.add_parser("show", help="print one problem's prompt and tests")
    show.add_argument("name", help="problem name (HumanEval_0_has_close_elements), task id (HumanEval/0) or number")
    show.add_argument("--language", default="py", help="language (default: py)")
    common(show, "multipl-e")
    show.set_defaults(handler=run_show)

    export = actions.add_parser("export", help="write problems as jsonl in the official MultiPL-E schema")
    export.add_argument("--language", "--languages", dest="languages", required=True,
                        help="comma-separated languages, or 'all'")
    export.add_argument("--out", required=True, type=Path, help="the .jsonl file to write")
    export.add_argument("--why-dropped", action="store_true", help="also list each dropped problem and why")
    common(export, "multipl-e")
    export.set_defaults(handler=run_export)


# --- helpers ------------------------------------------------------------------------------

def _languages(text: str | None) -> list[str] | None:
    if text is None or text == "all":
        return None
    languages = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise UsageError(f"--language: unknown language(s) {', '.join(unknown) or repr(text)} (known: {' '.join(LANGUAGES)})")
    return languages


def _uses_translator(args: argparse.Namespace) -> bool:
    try:
        source = multiple.ProblemSource.parse(args.problems or os.environ.get(multiple.ENV_VAR))
    except multiple.ProblemsError as exc:
        raise UsageError(f"--problems: {exc}") from None
    return source.kind == multiple.TRANSLATOR


def _load(benchmark: str, languages: list[str] | None, problems: str | None) -> list[Problem]:
    try:
        if benchmark == "multipl-e":
            return multiple.load(languages, problems=problems)
        return registry.load(benchmark, languages)
    except (multiple.ProblemsError, registry.UnknownBenchmark) as exc:
        raise UsageError(str(exc)) from None


def _dropped(language: str) -> list[Drop]:
    return translate_problems(humaneval.load(), language).dropped


def _why_dropped_table(rows: list[tuple[str, Drop]]) -> Table:
    table = Table(title="dropped problems")
    table.add_column("language")
    table.add_column("problem")
    table.add_column("reason", overflow="fold")
    for language, drop in rows:
        table.add_row(language, drop.name, drop.reason)
    return table


# --- subcommands --------------------------------------------------------------------------

def run_list(args: argparse.Namespace) -> int:
    languages = _languages(args.languages)
    console = Console()
    table = Table(title="benchmarks")
    for column in ("benchmark", "language", "problems", "dropped", "source"):
        table.add_column(column, justify="right" if column in ("problems", "dropped") else "left")
    reasons: list[tuple[str, Drop]] = []
    for benchmark in [args.benchmark] if args.benchmark else BENCHMARKS:
        if benchmark == "humaneval" and languages and "py" not in languages:
            continue
        translator = benchmark == "multipl-e" and _uses_translator(args)
        wanted = languages
        if translator and wanted is None:
            wanted = multiple.translated_languages()
        problems = _load(benchmark, wanted, args.problems if benchmark == "multipl-e" else None)
        counts = Counter(p.language for p in problems)
        sources = {p.language: p.source for p in problems}
        for language in wanted or sorted(counts, key=LANGUAGES.index):
            dropped: str = "-"
            if translator:
                drops = _dropped(language)
                dropped = str(len(drops))
                reasons.extend((language, d) for d in drops)
            table.add_row(benchmark, language, str(counts.get(language, 0)), dropped, sources.get(language, ""))
    console.print(table)
    if args.why_dropped:
        console.print(_why_dropped_table(reasons) if reasons else "no problem was dropped")
    return 0


def _find(problems: list[Problem], name: str) -> Problem | None:
    for problem in problems:
        original = str(problem.extra.get("original", ""))
        task_id = str(problem.extra.get("task_id", ""))
        number = problem.name.split("_")[1] if problem.name.count("_") >= 2 else None
        if name in (problem.name, original, task_id, number):
            return problem
    return None


def run_show(args: argparse.Namespace) -> int:
    languages = _languages(args.language)
    problems = _load(args.benchmark, languages, args.problems if args.benchmark == "multipl-e" else None)
    problem = _find(problems, args.name)
    if problem is None:
        language = languages[0] if languages else "py"
        if args.benchmark == "multipl-e" and _uses_translator(args):
            drop = next((d for d in _dropped(language) if args.name in (d.name, d.name.split("_")[1])), None)
            if drop is not None:
                raise UsageError(f"{drop.name} was dropped for {language}: {drop.reason}")
        raise UsageError(f"no problem {args.name!r} in {args.benchmark} for {language}")
    console = Console()
    console.rule(f"{problem.name} · {problem.language} · {problem.source}")
    console.print(problem.prompt, markup=False, highlight=False, end="")
    console.rule("tests")
    console.print(problem.tests, markup=False, highlight=False, end="")
    console.rule("stop tokens")
    console.print(json.dumps(list(problem.stop_tokens)), markup=False, highlight=False)
    notes = problem.extra.get("notes") or []
    if notes:
        console.rule("left out by the translator")
        for note in notes:
            console.print(f"- {note}", markup=False, highlight=False)
    return 0


def run_export(args: argparse.Namespace) -> int:
    languages = _languages(args.languages)
    translator = args.benchmark == "multipl-e" and _uses_translator(args)
    if translator and languages is None:
        languages = multiple.translated_languages()
    problems = _load(args.benchmark, languages, args.problems if args.benchmark == "multipl-e" else None)
    if args.out.parent and not args.out.parent.is_dir():
        raise UsageError(f"--out: {args.out.parent} is not a directory")
    temporary = args.out.with_name(args.out.name + ".part")
    with temporary.open("w", encoding="utf-8") as handle:
        for problem in problems:
            handle.write(json.dumps(multiple.row_of(problem), ensure_ascii=False) + "\n")
    temporary.replace(args.out)
    console = Console()
    counts = Counter(p.language for p in problems)
    console.print(f"wrote {len(problems)} problems ({', '.join(f'{k}: {v}' for k, v in counts.items())}) to {args.out}")
    if args.why_dropped and translator:
        reasons = [(language, d) for language in languages or [] for d in _dropped(language)]
        console.print(_why_dropped_table(reasons) if reasons else "no problem was dropped")
    return 0
