"""The Problem record every other part of polypass consumes."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from benchmarks.languages import LANGUAGES  # the registry; re-exported for old imports

__all__ = ["LANGUAGES", "Problem"]


@dataclass(frozen=True)
class Problem:
    """One benchmark problem in one language.

    The program that runs is ``prompt + completion + "\\n" + tests``, exactly as MultiPL-E
    assembles it, so prompts and tests from the official dataset run unchanged.
    """

    benchmark: str
    language: str
    name: str
    prompt: str
    tests: str
    entry_point: str
    stop_tokens: tuple[str, ...]
    source: str
    canonical_solution: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def program(self, completion: str) -> str:
        return self.prompt + completion + "\n" + self.tests

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["stop_tokens"] = list(self.stop_tokens)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        fields = dict(data)
        fields["stop_tokens"] = tuple(fields.get("stop_tokens") or ())
        fields.setdefault("extra", {})
        return cls(**fields)
