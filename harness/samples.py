"""The Sample record (generations.jsonl) and readers for the formats people already have."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from benchmarks.problem import Problem
from harness.errors import UsageError
from harness.jsonl import read_jsonl

FINISH_REASONS = ("stop", "length", "eos")

#: (benchmark, language, name, sample): the key of a sample and of its verdict everywhere.
SampleKey = tuple[str, str, str, int]


@dataclass(frozen=True)
class Sample:
    """One completion of one problem; `completion` excludes the prompt and is cut at a stop token."""

    name: str
    language: str
    sample: int
    completion: str
    finish_reason: str | None = None
    tokens: int | None = None
    seed: int | None = None
    benchmark: str = "humaneval"  # which problem set `name` belongs to (py names recur in multipl-e)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def problem_key(self) -> tuple[str, str, str]:
        return (self.benchmark, self.language, self.name)

    @property
    def key(self) -> SampleKey:
        return (self.benchmark, self.language, self.name, self.sample)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sample:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def read_samples(path: Path, problems: list[Problem]) -> list[Sample]:
    """Samples from human-eval format (`task_id`, `completion`) or ours (`name`, `completion`).

    Several lines per task are allowed; they are numbered in file order.
    """
    by_key: dict[tuple[str, str], Problem] = {}
    by_name: dict[str, list[Problem]] = {}
    for problem in problems:
        for key in (problem.name, problem.extra.get("task_id")):
            if key:
                by_key[(key, problem.language)] = problem
                by_name.setdefault(key, []).append(problem)
    counts: dict[tuple[str, str], int] = {}
    samples: list[Sample] = []
    for number, record in read_jsonl(path):
        where = f"{path}:{number}"
        task = record.get("task_id", record.get("name"))
        if not isinstance(task, str):
            raise UsageError(f"{where}: missing field 'task_id' (or 'name')")
        completion = record.get("completion")
        if not isinstance(completion, str):
            raise UsageError(f"{where}: field 'completion' must be a string")
        language = record.get("language")
        candidates = by_name.get(task, [])
        if language is not None:
            candidates = [p for p in candidates if p.language == language]
        if len(candidates) != 1:
            reason = "unknown task id" if not candidates else "ambiguous task id (add 'language')"
            raise UsageError(f"{where}: {reason} {task!r}")
        problem = candidates[0]
        key = (problem.name, problem.language)
        index = record.get("sample")
        if not isinstance(index, int):
            index = counts.get(key, 0)
        counts[key] = index + 1
        samples.append(
            Sample(
                name=problem.name,
                language=problem.language,
                sample=index,
                completion=completion,
                finish_reason=record.get("finish_reason"),
                tokens=record.get("tokens"),
                seed=record.get("seed"),
                benchmark=problem.benchmark,
            )
        )
    if not samples:
        raise UsageError(f"{path}: no samples in the file")
    return samples
