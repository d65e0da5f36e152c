"""The sandboxes' self-check: in each language, a program that must pass and one that must fail.

The completions ship with polypass (`data/selfcheck.toml`: a known-good and a known-bad
completion of one simple problem per language); the problem is HumanEval's own for Python
and our translator's output elsewhere, so the check also covers the prompt and tests a
real run executes. Both programs go through the real container pool, never the result
cache: a sandbox that passes everything, or fails everything, is caught.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from benchmarks.problem import Problem
from sandboxes.images import ImageInfo
from sandboxes.pool import ContainerPool
from sandboxes.spec import LanguageSpec
from sandboxes.verdict import Outcome, Status

DATA = Path(__file__).resolve().parent / "data" / "selfcheck.toml"
EXPECTED = {"good": Status.PASS, "bad": Status.FAIL}


class SelfCheckError(Exception):
    """The check's own inputs are missing (no completions for a language, no translation)."""


@dataclass(frozen=True)
class KnownPrograms:
    """One problem of `language` with a completion that must pass and one that must fail."""

    language: str
    problem: Problem
    good: str
    bad: str


@dataclass(frozen=True)
class CheckResult:
    language: str
    good: Outcome
    bad: Outcome

    @property
    def ok(self) -> bool:
        return self.good.status == EXPECTED["good"] and self.bad.status == EXPECTED["bad"]


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with DATA.open("rb") as handle:
        return tomllib.load(handle)


def known_programs(language: str) -> KnownPrograms:
    data = _data()
    entry = data.get(language)
    if not isinstance(entry, dict) or not {"good", "bad"} <= entry.keys():
        raise SelfCheckError(f"{DATA}: no [{language}] table with good and bad completions")
    return KnownPrograms(language, _problem(language, data["problem"]), entry["good"], entry["bad"])


def _problem(language: str, name: str) -> Problem:
    from benchmarks import humaneval

    source = next((p for p in humaneval.load() if p.name == name), None)
    if source is None:
        raise SelfCheckError(f"{DATA}: problem {name} is not in HumanEval")
    if language == "py":
        return source
    from benchmarks.translate.pipeline import translate_problems

    result = translate_problems([source], language)
    if not result.problems:
        reason = result.dropped[0].reason if result.dropped else "no output"
        raise SelfCheckError(f"{language}: the translator gives no {name} ({reason})")
    return result.problems[0]


def check_language(client: Any, spec: LanguageSpec, image: ImageInfo) -> CheckResult:
    """Run the known-good and known-bad programs of `spec`'s language in one fresh container."""
    known = known_programs(spec.name)
    with ContainerPool(client, spec, image, 1) as pool:
        good = pool.judge(known.problem.program(known.good))
        bad = pool.judge(known.problem.program(known.bad))
    return CheckResult(spec.name, good, bad)
