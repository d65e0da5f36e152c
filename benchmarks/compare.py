"""How two sets of MultiPL-E problems differ, per language (``polypass benchmarks compare``).

Problems are matched by (language, name). Per language: rows on each side, problems on one
side only, and how many of the problems on both sides have identical prompts, tests and stop
tokens; ``write_diffs`` writes a unified diff per differing problem. Pure functions over
``Problem`` records (no I/O but ``write_diffs``), so a translator's tests can use them:

    from benchmarks import compare, multiple
    ours = multiple.load(problems="translator")
    theirs = multiple.load(problems="../shared/multipl-e/official")
    for row in compare.compare_sources(ours, theirs):
        print(row.language, row.same_prompt, "/", row.both)
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.problem import LANGUAGES, Problem

PARTS = ("prompt", "tests", "stop_tokens")


@dataclass(frozen=True)
class LanguageComparison:
    """One language's comparison of side A with side B (``language == "all"`` for the total)."""

    language: str
    a_rows: int
    b_rows: int
    only_a: tuple[str, ...]
    only_b: tuple[str, ...]
    both: int
    same_prompt: int
    same_tests: int
    same_stop_tokens: int
    #: names of the problems on both sides that differ in prompt, tests or stop tokens
    differing: tuple[str, ...] = ()

    @property
    def identical(self) -> int:
        """Problems on both sides identical in prompt, tests and stop tokens."""
        return self.both - len(self.differing)

    def same(self, part: str) -> int:
        return {"prompt": self.same_prompt, "tests": self.same_tests, "stop_tokens": self.same_stop_tokens}[part]

    def percent(self, part: str) -> float:
        return 100.0 * self.same(part) / self.both if self.both else 0.0


def _by_key(problems: Iterable[Problem]) -> dict[str, dict[str, Problem]]:
    out: dict[str, dict[str, Problem]] = {}
    for problem in problems:
        out.setdefault(problem.language, {})[problem.name] = problem
    return out


def _order(languages: Iterable[str]) -> list[str]:
    return sorted(set(languages), key=lambda lang: (LANGUAGES.index(lang) if lang in LANGUAGES else len(LANGUAGES), lang))


def differs(a: Problem, b: Problem) -> tuple[str, ...]:
    """The parts (``prompt``, ``tests``, ``stop_tokens``) in which two problems differ."""
    return tuple(part for part in PARTS if getattr(a, part) != getattr(b, part))


def compare_sources(
    a: Iterable[Problem], b: Iterable[Problem], languages: Sequence[str] | None = None
) -> list[LanguageComparison]:
    """Per language (default: every language on either side, in MultiPL-E order), how B differs from A."""
    left, right = _by_key(a), _by_key(b)
    rows = []
    for language in _order(languages if languages is not None else [*left, *right]):
        mine, theirs = left.get(language, {}), right.get(language, {})
        both = [name for name in mine if name in theirs]
        parts = {name: differs(mine[name], theirs[name]) for name in both}
        rows.append(LanguageComparison(
            language=language,
            a_rows=len(mine),
            b_rows=len(theirs),
            only_a=tuple(name for name in mine if name not in theirs),
            only_b=tuple(name for name in theirs if name not in mine),
            both=len(both),
            same_prompt=sum("prompt" not in parts[name] for name in both),
            same_tests=sum("tests" not in parts[name] for name in both),
            same_stop_tokens=sum("stop_tokens" not in parts[name] for name in both),
            differing=tuple(name for name in both if parts[name]),
        ))
    return rows


def total(rows: Sequence[LanguageComparison]) -> LanguageComparison:
    """The sum over languages, as a row named ``all``."""
    return LanguageComparison(
        language="all",
        a_rows=sum(r.a_rows for r in rows),
        b_rows=sum(r.b_rows for r in rows),
        only_a=tuple(f"{r.language}/{n}" for r in rows for n in r.only_a),
        only_b=tuple(f"{r.language}/{n}" for r in rows for n in r.only_b),
        both=sum(r.both for r in rows),
        same_prompt=sum(r.same_prompt for r in rows),
        same_tests=sum(r.same_tests for r in rows),
        same_stop_tokens=sum(r.same_stop_tokens for r in rows),
        differing=tuple(f"{r.language}/{n}" for r in rows for n in r.differing),
    )


def problem_diff(a: Problem, b: Problem, a_label: str = "a", b_label: str = "b") -> str:
    """A unified diff of the prompt, tests and stop tokens of two versions of a problem ("" if equal)."""
    chunks = []
    for part in PARTS:
        old, new = getattr(a, part), getattr(b, part)
        if old == new:
            continue
        if part == "stop_tokens":
            old, new = json.dumps(list(old)) + "\n", json.dumps(list(new)) + "\n"
        where = f"{a.language}/{a.name}/{part}"
        for line in difflib.unified_diff(
            old.splitlines(keepends=True), new.splitlines(keepends=True),
            fromfile=f"{a_label}/{where}", tofile=f"{b_label}/{where}",
        ):
            chunks.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(chunks)


def write_diffs(
    a: Iterable[Problem], b: Iterable[Problem], out: Path, a_label: str = "a", b_label: str = "b",
    languages: Sequence[str] | None = None,
) -> list[Path]:
    """Write ``OUT/<lang>/<name>.diff`` for every problem on both sides that differs, and
    ``OUT/<lang>/one-sided.txt`` naming the problems on one side only; returns the files written."""
    left, right = _by_key(a), _by_key(b)
    written = []
    for row in compare_sources([p for d in left.values() for p in d.values()],
                               [p for d in right.values() for p in d.values()], languages):
        folder = out / row.language
        if row.differing or row.only_a or row.only_b:
            folder.mkdir(parents=True, exist_ok=True)
        for name in row.differing:
            path = folder / f"{name}.diff"
            path.write_text(problem_diff(left[row.language][name], right[row.language][name], a_label, b_label),
                            encoding="utf-8")
            written.append(path)
        if row.only_a or row.only_b:
            path = folder / "one-sided.txt"
            path.write_text("".join([f"only in {a_label}: {n}\n" for n in row.only_a]
                                    + [f"only in {b_label}: {n}\n" for n in row.only_b]), encoding="utf-8")
            written.append(path)
    return written
