"""Pure rules from a job's step results to one status (MultiPL-E's conventions, our statuses)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spec.py uses Status for its default failure
    from sandboxes.spec import VerdictRules


class Status(str, Enum):
    """The status of one program's verdict; the only place these names are spelled.

    A `str`, so JSON records, cache entries and comparisons with plain strings keep working;
    `str()` and f-strings give the value (`pass`), on every Python from 3.10.
    """

    PASS = "pass"
    FAIL = "fail"  # the tests ran and failed
    COMPILE_ERROR = "compile_error"
    RUNTIME_ERROR = "runtime_error"
    TIMEOUT = "timeout"
    OOM = "oom"
    OUTPUT_LIMIT = "output_limit"
    INFRA_ERROR = "infra_error"  # the sandbox failed, not the model: retried, never counted

    def __str__(self) -> str:
        return self.value

    @property
    def is_model_verdict(self) -> bool:
        """Whether it says something about the program (everything but infra_error)."""
        return self is not Status.INFRA_ERROR


#: Every status, in report order.
STATUSES: tuple[Status, ...] = tuple(Status)


@dataclass(frozen=True)
class StepResult:
    """What the worker reports for one step (compile or run) of a job."""

    name: str
    exit_code: int | None
    signal: int | None
    timed_out: bool
    output_exceeded: bool
    oom: bool
    duration_s: float
    stdout: str
    stderr: str
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    #: CPU seconds the step's processes used, and which limit stopped it ("cpu", "wall").
    cpu_s: float = 0.0
    limit: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Outcome:
    """The sandbox's answer for one program, before it is tied to a sample."""

    status: Status
    exit_code: int | None
    duration_s: float
    stdout: str
    stderr: str
    detail: str = ""
    #: CPU seconds of every step (compile and run): what the time limits count.
    cpu_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        fields["status"] = Status(fields["status"])
        return cls(**fields)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.MULTILINE)


def _matches(patterns: tuple[str, ...], text: str) -> bool:
    return any(_compiled(p).search(text) for p in patterns)


def _strip_nonce(text: str, nonce: str | None) -> tuple[str, bool]:
    if not nonce:
        return text, False
    marker = "\n" + nonce + "\n"
    if marker in text:
        return text.replace(marker, ""), True
    return text, False


def _exit_code(step: StepResult) -> int | None:
    if step.exit_code is not None:
        return step.exit_code
    return 128 + step.signal if step.signal else None


_LIMIT_NAMES = {"cpu": "CPU time limit", "wall": "wall-clock limit"}


def classify(rules: VerdictRules, steps: list[StepResult], nonce: str | None = None) -> Outcome:
    """Status of a job from its steps; the last step is the run, earlier ones compile."""
    if not steps:
        return Outcome(Status.INFRA_ERROR, None, 0.0, "", "", "worker returned no step")
    duration = round(sum(s.duration_s for s in steps), 4)
    cpu = round(sum(s.cpu_s for s in steps), 4)
    last = steps[-1]
    stdout, nonce_seen = _strip_nonce(last.stdout, nonce if rules.require_nonce else None)

    def outcome(status: Status, detail: str = "") -> Outcome:
        return Outcome(status, _exit_code(last), duration, stdout, last.stderr, detail, cpu)

    for step in steps:
        if step.output_exceeded:
            return outcome(Status.OUTPUT_LIMIT, f"{step.name} wrote {step.stdout_bytes + step.stderr_bytes}+ bytes")
        if step.oom:
            return outcome(Status.OOM, f"{step.name} was killed by the memory limit")
        if step.timed_out:
            limit = _LIMIT_NAMES.get(step.limit or "", "time limit")
            return outcome(Status.TIMEOUT, f"{step.name} ran past its {limit}")
    # The worker stops at a failed compile step, so the last step is not always the run.
    for step in steps if last.name != "run" else steps[:-1]:
        if step.exit_code != 0:
            return outcome(Status.COMPILE_ERROR, f"{step.name} exited {_exit_code(step)}")

    text = last.stderr + ("\n" + stdout if rules.search_stdout else "")
    succeeded = last.exit_code == 0
    if succeeded:
        if rules.require_nonce and nonce and not nonce_seen:
            return outcome(Status.RUNTIME_ERROR, "the program stopped before its tests finished")
        if _matches(rules.fail_on_success, text):
            return outcome(Status.FAIL, "a test failure was reported on a zero exit")
        if rules.pass_requires_empty_stderr and last.stderr.strip():
            return outcome(Status.FAIL, "stderr is not empty")
        if rules.pass_requires_stdout and not _compiled(rules.pass_requires_stdout).search(stdout):
            return outcome(Status.FAIL, "the expected success output is missing")
        return outcome(Status.PASS)
    if _matches(rules.compile_error, text):
        return outcome(Status.COMPILE_ERROR)
    if _matches(rules.oom, text):
        return outcome(Status.OOM)
    if _matches(rules.fail, text):
        return outcome(Status.FAIL)
    return outcome(rules.default_failure)
