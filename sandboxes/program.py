"""A program to execute, named by (language, sha256 of its bytes): the unit of dedupe and caching.

Identical programs are executed once per run; `group_by_program` is the one place that decides
which programs are identical, and every executor is handed distinct programs only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Generic, TypeVar

T = TypeVar("T")

#: (language, program sha256)
ProgramKey = tuple[str, str]


def program_sha256(program: str) -> str:
    return hashlib.sha256(program.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Program:
    language: str
    text: str

    @cached_property
    def sha256(self) -> str:
        return program_sha256(self.text)

    @property
    def key(self) -> ProgramKey:
        return (self.language, self.sha256)


@dataclass
class ProgramGroup(Generic[T]):
    """One distinct program and everything (samples, ...) that shares it, in first-seen order."""

    program: Program
    members: list[T]


def group_by_program(items: Iterable[tuple[Program, T]]) -> dict[ProgramKey, ProgramGroup[T]]:
    """Distinct programs (by language and bytes) with their members, in first-seen order."""
    groups: dict[ProgramKey, ProgramGroup[T]] = {}
    for program, member in items:
        group = groups.get(program.key)
        if group is None:
            groups[program.key] = ProgramGroup(program, [member])
        else:
            group.members.append(member)
    return groups
