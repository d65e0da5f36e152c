"""Scored runs as data classes: parsed from scores.json files or from the results database.

Everything downstream (leaderboard, trends, deltas, gate) works on `RunScores`, so a run
read from a directory and the same run read back from SQL look identical.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Any

from harness import rundir
from harness.errors import UsageError
from harness.naming import model_name

#: A trailing training-step marker in a model id or revision: `-step12000`, `/checkpoint-500`, `@step_3`.
_STEP = re.compile(r"(?:^|[-_/@.])(?:global[-_]?)?(?:step|checkpoint|ckpt|iter)[-_]?(\d+)$", re.IGNORECASE)

LanguageKey = tuple[str, str]  # (benchmark, language)


@dataclass(frozen=True)
class Estimate:
    estimate: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class LanguageResult:
    """One benchmark x language (x subset) line of scores.json."""

    benchmark: str
    language: str
    subset: str
    problems: int
    samples_per_problem: int
    pass_at_k: dict[int, Estimate]
    refused_k: dict[int, str]
    status_counts: dict[str, int]
    infra_errors: int
    missing: int
    truncated: int
    excluded: tuple[str, ...]

    @property
    def key(self) -> LanguageKey:
        return (self.benchmark, self.language)

    @property
    def verdicts(self) -> int:
        """Samples with a verdict, infra errors included."""
        return sum(self.status_counts.values())


@dataclass(frozen=True)
class ProblemResult:
    benchmark: str
    language: str
    name: str
    n: int
    c: int
    statuses: dict[str, int]
    truncated: int


@dataclass(frozen=True)
class RunScores:
    """A scored run: its name, when it was scored, its fingerprint, and its results."""

    name: str
    source: str
    created: datetime | None
    fingerprint: dict[str, Any]
    ks: tuple[int, ...]
    results: tuple[LanguageResult, ...]
    problem_records: list[dict[str, Any]] = field(repr=False, compare=False, default_factory=list)
    raw: dict[str, Any] = field(repr=False, compare=False, default_factory=dict)

    @cached_property
    def problems(self) -> tuple[ProblemResult, ...]:
        """Per-problem counts, parsed on first use: a report of 50 runs needs them for two or three."""
        try:
            return tuple(
                ProblemResult(
                    benchmark=str(p.get("benchmark", "humaneval")),
                    language=str(p["language"]),
                    name=str(p["name"]),
                    n=int(p["n"]),
                    c=int(p["c"]),
                    statuses={str(s): int(c) for s, c in p.get("statuses", {}).items()},
                    truncated=int(p.get("truncated", 0)),
                )
                for p in self.problem_records
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UsageError(f"{self.source}: bad per-problem entry ({type(exc).__name__}: {exc})") from None

    @cached_property
    def _problems_by_key(self) -> dict[LanguageKey, dict[str, ProblemResult]]:
        table: dict[LanguageKey, dict[str, ProblemResult]] = {}
        for problem in self.problems:
            table.setdefault((problem.benchmark, problem.language), {})[problem.name] = problem
        return table

    # -- identity of the checkpoint ------------------------------------------------------
    @property
    def model(self) -> str:
        """The model as people name it: run.json's `generation.name` (older runs: derived from
        `generation.model`), else the run's own name."""
        name = self.generation.get("name")
        if isinstance(name, str) and name:
            return name
        model = self.generation.get("model")
        return model_name(str(model)) if model else self.name

    @property
    def revision(self) -> str | None:
        revision = self.generation.get("revision")
        return str(revision) if revision else None

    @property
    def generation(self) -> dict[str, Any]:
        section = self.fingerprint.get("generation")
        return section if isinstance(section, dict) else {}

    @property
    def label(self) -> str:
        """How the checkpoint is named on the page: model, plus revision when there is one."""
        return f"{self.model}@{self.revision}" if self.revision else self.model

    @property
    def step(self) -> int | None:
        """Training step, from an explicit `generation.step` or a step marker in revision/model."""
        explicit = self.generation.get("step")
        if isinstance(explicit, int):
            return explicit
        for text in (self.revision, self.model):
            match = _STEP.search(text or "")
            if match:
                return int(match.group(1))
        return None

    @property
    def family(self) -> str:
        """The model with its step marker removed: the runs that make one trend line."""
        family = self.generation.get("family")
        if isinstance(family, str) and family:
            return family
        return _STEP.sub("", self.model) or self.model

    @property
    def sort_time(self) -> datetime:
        return self.created or datetime.min.replace(tzinfo=timezone.utc)

    # -- lookups ---------------------------------------------------------------------------
    def result(self, key: LanguageKey, subset: str = "all") -> LanguageResult | None:
        for result in self.results:
            if result.key == key and result.subset == subset:
                return result
        return None

    def language_keys(self) -> list[LanguageKey]:
        return sorted({r.key for r in self.results})

    def problem_table(self, key: LanguageKey) -> dict[str, ProblemResult]:
        return self._problems_by_key.get(key, {})


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _int_keys(mapping: Mapping[str, Any]) -> dict[int, Any]:
    return {int(k): v for k, v in mapping.items()}


def parse_scores(data: Mapping[str, Any], source: str) -> RunScores:
    """A scores.json object -> RunScores; a malformed file is a UsageError naming `source`."""
    try:
        results = tuple(
            LanguageResult(
                benchmark=str(r["benchmark"]),
                language=str(r["language"]),
                subset=str(r.get("subset", "all")),
                problems=int(r["problems"]),
                samples_per_problem=int(r.get("samples_per_problem", 0)),
                pass_at_k={
                    k: Estimate(float(v["estimate"]), float(v["ci_low"]), float(v["ci_high"]))
                    for k, v in _int_keys(r.get("pass_at_k", {})).items()
                },
                refused_k={k: str(v) for k, v in _int_keys(r.get("refused_k", {})).items()},
                status_counts={str(s): int(c) for s, c in r.get("status_counts", {}).items()},
                infra_errors=int(r.get("infra_errors", 0)),
                missing=int(r.get("missing", 0)),
                truncated=int(r.get("truncated", 0)),
                excluded=tuple(r.get("excluded", ())),
            )
            for r in data["results"]
        )
        problems = data.get("problems", [])
        if not isinstance(problems, list):
            raise TypeError("'problems' is not a list")
        ks = tuple(int(k) for k in data.get("k", []))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise UsageError(f"{source}: not a polypass scores file ({type(exc).__name__}: {exc})") from None
    fingerprint = data.get("fingerprint") or {}
    return RunScores(
        name=str(data.get("run") or Path(source).parent.name),
        source=source,
        created=_parse_time(data.get("created")),
        fingerprint=fingerprint if isinstance(fingerprint, dict) else {},
        ks=ks,
        results=results,
        problem_records=problems,
        raw=dict(data),
    )


def read_run_dir(run_dir: Path) -> RunScores:
    """The scores of one run directory; no scores.json is a UsageError saying what to run."""
    return parse_scores(rundir.read_scores(run_dir), str(run_dir / rundir.SCORES))


def find_run_dirs(paths: Iterable[Path]) -> list[Path]:
    """Each path is a run directory (has scores.json) or a folder of them (searched one level)."""
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            raise UsageError(f"{path}: no such directory")
        if rundir.has_scores(path):
            found.append(path)
            continue
        found.extend(sorted(child for child in path.iterdir() if rundir.has_scores(child)))
    return found


def latest_first(runs: Iterable[RunScores]) -> list[RunScores]:
    return sorted(runs, key=lambda r: (r.sort_time, r.name), reverse=True)
