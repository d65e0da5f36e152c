"""`polypass show RUN`: one sample of a run as it ran: the program and its verdict.

The score table says how many passed; this says what happened to one of them: the
problem's prompt, the completion the model wrote, the tests, and the sandbox's verdict
with the tail of its output. By default it shows a passing sample when there is one, else
the first with a non-empty completion; `--problem`, `--language`, `--sample` and `--status`
pick another.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.syntax import Syntax

from harness import rundir
from harness.commands.common import existing_run_dir, load_problems, recorded_from_file
from harness.errors import UsageError
from harness.generation.prompts import FENCES
from harness.samples import Sample
from sandboxes.verdict import Status

#: lines of the tests shown before "... N more lines"
TEST_LINES = 12

Key = tuple[str, str, str, int]


@dataclass(frozen=True)
class Shown:
    sample: Sample
    verdict: dict[str, Any] | None


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "show", help="one sample of a run: the program that ran and its verdict",
        description="Print one sample of a run as the sandbox ran it (prompt, the model's completion, "
        "tests) with its verdict. Default: a passing sample, else the first non-empty one.",
    )
    parser.add_argument("run_dir", help="run directory")
    parser.add_argument("--problem", default=None, help="problem name, or a part of it (e.g. HumanEval_13)")
    parser.add_argument("--language", default=None, help="language (e.g. lua)")
    parser.add_argument("--sample", type=int, default=None, help="sample index")
    parser.add_argument("--status", default=None, choices=[s.value for s in Status],
                        help="only samples with this verdict")
    parser.add_argument("--problems", default=None, metavar="PATH_OR_HF_ID[@REV]",
                        help="official MultiPL-E problems, when the run used them")
    parser.set_defaults(handler=run)


def pick(samples: list[Sample], verdicts: dict[Key, dict[str, Any]], *, problem: str | None = None,
         language: str | None = None, sample: int | None = None, status: str | None = None) -> Shown | None:
    """The sample to show among those matching the filters: a pass first, else a non-empty one."""
    matching = []
    for candidate in samples:
        verdict = verdicts.get((candidate.benchmark, candidate.language, candidate.name, candidate.sample))
        if problem and problem not in candidate.name:
            continue
        if language and candidate.language != language:
            continue
        if sample is not None and candidate.sample != sample:
            continue
        if status and (verdict or {}).get("status") != status:
            continue
        matching.append(Shown(candidate, verdict))
    if not matching:
        return None
    for wanted in (lambda s: (s.verdict or {}).get("status") == Status.PASS, lambda s: s.sample.completion.strip()):
        found = next((s for s in matching if wanted(s)), None)
        if found is not None:
            return found
    return matching[0]


def run(args: argparse.Namespace) -> int:
    run_dir = existing_run_dir(args.run_dir)
    samples = rundir.read_generations(run_dir)
    if not samples:
        raise UsageError(f"{run_dir / rundir.GENERATIONS}: no samples yet")
    verdicts = rundir.latest_verdicts(run_dir)
    shown = pick(samples, verdicts, problem=args.problem, language=args.language, sample=args.sample,
                 status=args.status)
    if shown is None:
        raise UsageError(f"{run_dir}: no sample matches the filters")
    fingerprint = rundir.read_run_json(run_dir)
    show(Console(), shown, _problem(fingerprint, shown.sample, args.problems), fingerprint)
    return 0


def _problem(fingerprint: dict[str, Any], sample: Sample, official: str | None) -> Any:
    """The problem the sample was made for: the run's benchmark, --problems or --from file."""
    from_file = None if official else recorded_from_file(fingerprint)
    for problem in load_problems(sample.benchmark, [sample.language], official, from_file):
        if (problem.benchmark, problem.name) == (sample.benchmark, sample.name):
            return problem
    raise UsageError(f"{sample.benchmark} has no problem {sample.name} in {sample.language}")


def show(console: Console, shown: Shown, problem: Any, fingerprint: dict[str, Any]) -> None:
    sample, verdict = shown.sample, shown.verdict or {}
    model = str((fingerprint.get("generation") or {}).get("name") or "the model")
    lexer = FENCES.get(sample.language, (sample.language, ""))[0]
    status = verdict.get("status", "not executed yet")

    def code(text: str) -> None:
        if text.strip():
            console.print(Syntax(text.rstrip("\n"), lexer, theme="ansi_dark", word_wrap=True))
        else:
            console.print("[dim](empty)[/dim]")

    console.print(Rule(f"[bold]{sample.name}[/bold] · {sample.benchmark} · {sample.language} · sample {sample.sample}"))
    console.print("[dim]prompt (given to the model):[/dim]")
    code(problem.prompt)
    console.print(f"[dim]completion (written by {model}; {sample.tokens or 0} tokens, "
                  f"finish: {sample.finish_reason or '?'}):[/dim]")
    code(sample.completion)
    lines = problem.tests.rstrip("\n").splitlines()
    console.print("[dim]tests:[/dim]")
    code("\n".join(lines[:TEST_LINES]))
    if len(lines) > TEST_LINES:
        console.print(f"[dim]... {len(lines) - TEST_LINES} more lines[/dim]")
    colour = "green" if status == Status.PASS else "red"
    duration = f" in {verdict['duration_s']:.2f} s" if isinstance(verdict.get("duration_s"), (int, float)) else ""
    console.print(Rule(f"verdict: [bold {colour}]{status}[/bold {colour}]{duration}"))
    if status not in (Status.PASS, "not executed yet"):
        tail = (verdict.get("stderr") or verdict.get("stdout") or "").strip().splitlines()[-6:]
        if tail:
            console.print("\n".join(tail), markup=False, highlight=False)

