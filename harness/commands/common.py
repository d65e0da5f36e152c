"""Argument helpers shared by subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from benchmarks import multiple, registry
from benchmarks.languages import LANGUAGES
from benchmarks.problem import Problem
from harness.errors import UsageError


def parse_ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k expects comma-separated integers, got {text!r}") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"--k values must be >= 1, got {text!r}")
    return ks


def parse_languages(text: str | None) -> list[str] | None:
    if text is None or text == "all":
        return None
    languages = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise UsageError(f"--languages: unknown language(s) {', '.join(unknown)} (known: {' '.join(LANGUAGES)})")
    return languages


def load_problems(
    benchmarks: str, languages: list[str] | None, multiple_source: str | None = None
) -> list[Problem]:
    """Problems of comma-separated benchmarks; `multiple_source` = official MultiPL-E data
    (``PATH_OR_HF_ID[@revision]``) instead of our translator's output."""
    problems: list[Problem] = []
    for name in [b.strip() for b in benchmarks.split(",") if b.strip()]:
        try:
            if name == "multipl-e" and multiple_source:
                problems.extend(multiple.load(languages, problems=multiple_source))
            else:
                problems.extend(registry.load(name, languages))
        except registry.UnknownBenchmark as exc:
            raise UsageError(f"--benchmark: {exc}") from None
        except multiple.ProblemsError as exc:
            raise UsageError(str(exc)) from None
    if not problems:
        raise UsageError(f"no problems in {benchmarks} for languages {','.join(languages or ['all'])}")
    return problems


def existing_run_dir(path: str) -> Path:
    run_dir = Path(path)
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: no such run directory")
    return run_dir
