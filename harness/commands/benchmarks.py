"""`polypass benchmarks list|show|export|compare`: the problem sets, per language, what was
dropped, and how two problem sources differ."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks import compare, humaneval, multiple
from benchmarks.languages import LANGUAGES
from benchmarks.problem import Problem
from benchmarks.problem_file import read_problem_file
from benchmarks.translate.pipeline import Drop
from harness.commands.common import add_problem_source_arguments
from harness.errors import InfraError, UsageError

BENCHMARKS = ("humaneval", "multipl-e")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("benchmarks", help="list, show, export and compare problem sets (HumanEval, MultiPL-E)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def common(sub: argparse.ArgumentParser, benchmark_default: str | None) -> None:
        sub.add_argument("--benchmark", choices=BENCHMARKS, default=benchmark_default,
                         help=f"problem set (default: {benchmark_default or 'all'})")
        add_problem_source_arguments(sub)

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

    comparing = actions.add_parser(
        "compare", help="how two MultiPL-E problem sources differ, per language",
        description="Compare two problem sources per language: rows on each side, problems on one side only, "
        "identical prompts, tests and stop tokens. A source is translator (our translator on HumanEval), "
        "translator:FILE (our translator on a HumanEval-style file), PATH (a local copy of the official "
        "data: jsonl, folder of them, save_to_disk folder) or OWNER/NAME[@REV] (a hub dataset).",
    )
    comparing.add_argument("a", metavar="A", help="first source")
    comparing.add_argument("b", metavar="B", help="second source")
    comparing.add_argument("--language", "--languages", dest="languages", default=None,
                           help="comma-separated languages (default: every language either side has)")
    comparing.add_argument("--diffs", type=Path, default=None, metavar="DIR",
                           help="write DIR/<lang>/<name>.diff (prompt, tests, stop tokens) for each differing problem")
    comparing.set_defaults(handler=run_compare)


# --- helpers ------------------------------------------------------------------------------

def _languages(text: str | None) -> list[str] | None:
    if text is None or text == "all":
        return None
    languages = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise UsageError(f"--language: unknown language(s) {', '.join(unknown) or repr(text)} (known: {' '.join(LANGUAGES)})")
    return languages


def _source(args: argparse.Namespace) -> str | None:
    """The MultiPL-E source named by --problems / --from (None: $POLYPASS_MULTIPLE_PROBLEMS or the translator)."""
    if args.from_file is not None and args.problems is not None:
        raise UsageError("--from FILE and --problems both choose MultiPL-E's problems; give one of them")
    if args.from_file is not None:
        return f"{multiple.TRANSLATOR}:{args.from_file}"
    return args.problems


def _read(source: str | None, languages: list[str] | None, side: str = "") -> multiple.Selection:
    try:
        return multiple.read(source, languages)
    except multiple.SourceUnreachable as exc:
        raise InfraError(f"{side}{exc}") from None
    except multiple.ProblemsError as exc:
        raise UsageError(f"{side}{exc}") from None


def _humaneval(args: argparse.Namespace) -> list[Problem]:
    """HumanEval's problems, or the --from file's, as they are (Python)."""
    if args.from_file is None:
        return list(humaneval.load())
    try:
        return list(read_problem_file(args.from_file).problems)
    except multiple.ProblemsError as exc:
        raise UsageError(str(exc)) from None


def _load(args: argparse.Namespace, languages: list[str] | None) -> tuple[list[Problem], dict[str, list[Drop]]]:
    """The chosen benchmark's problems for `languages`, and what the translator dropped."""
    if args.benchmark == "multipl-e":
        selection = _read(_source(args), languages)
        return selection.problems, selection.dropped
    if languages and "py" not in languages:
        raise UsageError(f"humaneval has Python problems only, not {', '.join(languages)}")
    return _humaneval(args), {}


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
    skipped: dict[str, int] = {}
    for benchmark in [args.benchmark] if args.benchmark else BENCHMARKS:
        if benchmark == "humaneval":
            if languages and "py" not in languages:
                if args.benchmark:
                    raise UsageError(f"humaneval has Python problems only, not {', '.join(languages)}")
                continue
            problems = _humaneval(args)
            table.add_row(benchmark, "py", str(len(problems)), "-", problems[0].source)
            continue
        selection = _read(_source(args), languages)
        counts = Counter(p.language for p in selection.problems)
        sources = {p.language: p.source for p in selection.problems}
        for language in languages or selection.languages:
            drops = selection.dropped.get(language)
            reasons.extend((language, d) for d in drops or [])
            table.add_row(benchmark, language, str(counts.get(language, 0)),
                          "-" if drops is None else str(len(drops)), sources.get(language, str(selection.source)))
        skipped = selection.skipped
    console.print(table)
    if skipped:
        console.print("not loaded (languages polypass does not run): "
                      + ", ".join(f"{lang} ({n} rows)" for lang, n in sorted(skipped.items())))
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


def _is_named(name: str, query: str) -> bool:
    """``HumanEval_0_has_close_elements`` is what ``HumanEval/0``, ``0`` or its own name ask for."""
    parts = name.split("_")
    return query == name or (len(parts) > 2 and query == parts[1]) or name.startswith(query.replace("/", "_") + "_")


def run_show(args: argparse.Namespace) -> int:
    languages = _languages(args.language)
    if languages is None or len(languages) != 1:
        raise UsageError(f"--language: one language, not {args.language!r}")
    language = languages[0]
    problems, dropped = _load(args, languages)
    problem = _find(problems, args.name)
    if problem is None:
        drop = next((d for d in dropped.get(language, []) if _is_named(d.name, args.name)), None)
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
    problems, dropped = _load(args, languages)
    if not args.out.parent.is_dir():
        raise UsageError(f"--out: {args.out.parent} is not a directory")
    temporary = args.out.with_name(args.out.name + ".part")
    with temporary.open("w", encoding="utf-8") as handle:
        for problem in problems:
            handle.write(json.dumps(multiple.row_of(problem), ensure_ascii=False) + "\n")
    temporary.replace(args.out)
    console = Console()
    counts = Counter(p.language for p in problems)
    console.print(f"wrote {len(problems)} problems ({', '.join(f'{k}: {v}' for k, v in counts.items())}) to {args.out}")
    if args.why_dropped and dropped:
        reasons = [(language, d) for language, drops in dropped.items() for d in drops]
        console.print(_why_dropped_table(reasons) if reasons else "no problem was dropped")
    return 0


def _share(same: int, of: int) -> str:
    return f"{same}/{of} ({100.0 * same / of:.1f}%)" if of else "-"


def comparison_table(rows: list[compare.LanguageComparison], title: str) -> Table:
    """The compare table: one row per language and a total."""
    table = Table(title=title)
    for column in ("language", "A rows", "B rows", "only A", "only B", "both",
                   "same prompt", "same tests", "same stop tokens"):
        table.add_column(column, justify="left" if column == "language" else "right")
    for row in [*rows, compare.total(rows)]:
        table.add_row(row.language, str(row.a_rows), str(row.b_rows), str(len(row.only_a)), str(len(row.only_b)),
                      str(row.both), _share(row.same_prompt, row.both), _share(row.same_tests, row.both),
                      _share(row.same_stop_tokens, row.both), end_section=row is rows[-1] if rows else False)
    return table


def run_compare(args: argparse.Namespace) -> int:
    languages = _languages(args.languages)
    a, b = (_read(text, languages, f"{side}: ") for side, text in (("A", args.a), ("B", args.b)))
    rows = compare.compare_sources(a.problems, b.problems, languages)
    console = Console()
    console.print(f"A = {a.source.describe()}\nB = {b.source.describe()}", markup=False, highlight=False)
    console.print(comparison_table(rows, "A compared with B (problems matched by language and name)"))
    for label, selection in (("A", a), ("B", b)):
        if selection.skipped:
            console.print(f"{label}: not loaded (languages polypass does not run): "
                          + ", ".join(f"{lang} ({n} rows)" for lang, n in sorted(selection.skipped.items())))
    if args.diffs is not None:
        written = compare.write_diffs(a.problems, b.problems, args.diffs, "A", "B", languages)
        console.print(f"wrote {len(written)} files to {args.diffs}", markup=False, highlight=False)
    return 0
