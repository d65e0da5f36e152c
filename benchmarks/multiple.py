"""MultiPL-E problems: from our translator (default), the official dataset, or a local copy.

The official dataset is ``nuprl/MultiPL-E`` on the Hugging Face hub (config
``humaneval-<lang>``, split ``test``) at a pinned revision. A local copy is a
``save_to_disk`` folder or a jsonl file (or a folder of them) in the official schema:
``name language prompt doctests original prompt_terminology tests stop_tokens``.
Where the problems come from is recorded in ``Problem.source``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmarks import humaneval
from benchmarks.languages import LANGUAGES, translated_languages
from benchmarks.problem import Problem

BENCHMARK = "multipl-e"
HUB_ID = "nuprl/MultiPL-E"
#: The dataset revision bigcode-evaluation-harness pins; pass ``nuprl/MultiPL-E@<sha>`` to change it.
HUB_REVISION = "d23b094346c5dbda1080a74bb2a24c18adbf7409"
#: Where ``polypass`` looks for the problems when no source is given (unset: our translator).
ENV_VAR = "POLYPASS_MULTIPLE_PROBLEMS"
TRANSLATOR = "translator"

#: The official schema, in its column order.
FIELDS = ("name", "language", "prompt", "doctests", "original", "prompt_terminology", "tests", "stop_tokens")


class ProblemsError(ValueError):
    """A problem source that can't be read; the message is one line for the user."""


@dataclass(frozen=True)
class ProblemSource:
    """Parsed ``PATH_OR_HF_ID[@revision]``: a local path, or a hub id with a revision."""

    kind: str  # "translator", "local" or "hub"
    location: str = ""
    revision: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> ProblemSource:
        if not text or text == TRANSLATOR:
            return cls(TRANSLATOR)
        if Path(text).exists():
            return cls("local", str(Path(text)))
        location, _, revision = text.partition("@")
        if re.fullmatch(r"[\w.-]+/[\w.-]+", location):
            return cls("hub", location, revision or (HUB_REVISION if location == HUB_ID else None))
        raise ProblemsError(f"{text}: no such file or folder, and not a hub dataset id (owner/name[@revision])")


def entry_point_of(name: str) -> str:
    """``HumanEval_0_has_close_elements`` -> ``has_close_elements`` (MultiPL-E names)."""
    match = re.fullmatch(r"[A-Za-z]+_\d+_(\w+)", name)
    if match is None:
        raise ProblemsError(f"{name}: not a MultiPL-E problem name (<Benchmark>_<number>_<function>)")
    return match.group(1)


def problem_from_row(row: dict[str, Any], source: str) -> Problem:
    """One row of the official schema as a Problem."""
    missing = [f for f in ("name", "language", "prompt", "tests", "stop_tokens") if f not in row]
    if missing:
        raise ProblemsError(f"row {row.get('name', '?')}: missing field(s) {', '.join(missing)}")
    return Problem(
        benchmark=BENCHMARK,
        language=row["language"],
        name=row["name"],
        prompt=row["prompt"],
        tests=row["tests"],
        entry_point=entry_point_of(row["name"]),
        stop_tokens=tuple(row["stop_tokens"]),
        source=source,
        extra={k: row[k] for k in ("doctests", "original", "prompt_terminology") if k in row},
    )


def row_of(problem: Problem) -> dict[str, Any]:
    """A Problem in the official schema (what ``polypass benchmarks export`` writes)."""
    return {
        "name": problem.name,
        "language": problem.language,
        "prompt": problem.prompt,
        "doctests": problem.extra.get("doctests", "transform"),
        "original": problem.extra.get("original", problem.name),
        "prompt_terminology": problem.extra.get("prompt_terminology", "reworded"),
        "tests": problem.tests,
        "stop_tokens": list(problem.stop_tokens),
    }


# --- sources ------------------------------------------------------------------------------

def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ProblemsError(f"{path}:{number}: not JSON: {exc.msg}") from None
            if not isinstance(row, dict):
                raise ProblemsError(f"{path}:{number}: not a JSON object")
            yield number, row


def _load_local(path: Path, languages: set[str] | None) -> list[Problem]:
    if path.is_file():
        files = [path]
    elif (path / "dataset_dict.json").exists() or (path / "dataset_info.json").exists():
        return _load_saved(path, languages)
    else:
        files = sorted(p for p in path.glob("*.jsonl"))
        if not files:
            raise ProblemsError(f"{path}: neither a save_to_disk folder nor a folder of .jsonl files")
    source = f"local:{path} sha256:{_digest(files)}"
    problems = []
    for file in files:
        for number, row in _jsonl_rows(file):
            try:
                problem = problem_from_row(row, source)
            except ProblemsError as exc:
                raise ProblemsError(f"{file}:{number}: {exc}") from None
            if languages is None or problem.language in languages:
                problems.append(problem)
    return problems


def _load_saved(path: Path, languages: set[str] | None) -> list[Problem]:
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # datasets raises many kinds for a bad folder
        raise ProblemsError(f"{path}: not a readable save_to_disk folder: {exc}") from None
    splits = list(loaded.values()) if isinstance(loaded, datasets.DatasetDict) else [loaded]
    files = [p for p in path.rglob("*") if p.is_file() and p.suffix == ".arrow"]
    source = f"local:{path} sha256:{_digest(files)}"
    problems = []
    for split in splits:
        for row in split:
            problem = problem_from_row(row, source)
            if languages is None or problem.language in languages:
                problems.append(problem)
    return problems


def _load_hub(dataset_id: str, revision: str | None, languages: Iterable[str]) -> list[Problem]:
    import datasets

    problems = []
    for language in languages:
        try:
            rows = datasets.load_dataset(dataset_id, f"humaneval-{language}", revision=revision, split="test")
        except Exception as exc:  # offline, unknown config, unknown revision ...
            raise ProblemsError(f"{dataset_id}@{revision}: cannot load humaneval-{language}: {exc}") from None
        source = f"{dataset_id}@{revision or 'main'} humaneval-{language}"
        problems.extend(problem_from_row(row, source) for row in rows)
    return problems


@lru_cache(maxsize=64)
def _translated(language: str) -> tuple[Problem, ...]:
    from benchmarks.translate.pipeline import translate_problems

    return tuple(translate_problems(humaneval.load(), language).problems)


def load(languages: Iterable[str] | None = None, problems: str | None = None) -> list[Problem]:
    """MultiPL-E problems for `languages` (default: all with a translator, or all in the file).

    `problems` is ``PATH_OR_HF_ID[@revision]``; default ``$POLYPASS_MULTIPLE_PROBLEMS``, and
    without it our translator's output for HumanEval.
    """
    wanted = sorted(set(languages)) if languages else None
    source = ProblemSource.parse(problems if problems is not None else os.environ.get(ENV_VAR))
    if source.kind == TRANSLATOR:
        available = translated_languages()
        unknown = [lang for lang in (wanted or []) if lang not in available]
        if unknown:
            raise ProblemsError(f"no translator for {', '.join(unknown)} (have: {', '.join(available)})")
        return [p for lang in (wanted or available) for p in _translated(lang)]
    if source.kind == "local":
        found = _load_local(Path(source.location), set(wanted) if wanted else None)
        if wanted:
            missing = sorted(set(wanted) - {p.language for p in found})
            if missing:
                raise ProblemsError(f"{source.location}: no problems for {', '.join(missing)}")
        return found
    return _load_hub(source.location, source.revision, wanted or [lang for lang in LANGUAGES])
