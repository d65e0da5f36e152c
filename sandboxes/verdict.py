"""Pure rules from a job's step results to one status (MultiPL-E's conventions, our statuses)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from sandboxes.spec import VerdictRules

STATUSES: tuple[str, ...] = (
    "pass", "fail", "compile_error", "runtime_error", "timeout", "oom", "output_limit", "infra_error",
)


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StepResult:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class Outcome:
    """The sandbox's answer for one program, before it is tied to a sample."""

    status: str
    exit_code: int | None
    duration_s: float
    stdout: str
    stderr: str
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Outcome:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


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


def classify(rules: VerdictRules, steps: list[StepResult], nonce: str | None = None) -> Outcome:
    """Status of a job from its steps; the last step is the run, earlier ones compile."""
    if not steps:
        return Outcome("infra_error", None, 0.0, "", "", "worker returned no step")
    duration = round(sum(s.duration_s for s in steps), 4)
    last = steps[-1]
    stdout, nonce_seen = _strip_nonce(last.stdout, nonce if rules.require_nonce else None)

    def outcome(status: str, detail: str = "") -> Outcome:
        return Outcome(status, _exit_code(last), duration, stdout, last.stderr, detail)

    for step in steps:
        if step.output_exceeded:
            return outcome("output_limit", f"{step.name} wrote {step.stdout_bytes + step.stderr_bytes}+ bytes")
        if step.oom:
            return outcome("oom", f"{step.name} was killed by the memory limit")
        if step.timed_out:
            return outcome("timeout", f"{step.name} ran past its time limit")
    # The worker stops at a failed compile step, so the last step is not always the run.
    for step in steps if last.name != "run" else steps[:-1]:
        if step.exit_code != 0:
            return outcome("compile_error", f"{step.name} exited {_exit_code(step)}")

    text = last.stderr + ("\n" + stdout if rules.search_stdout else "")
    succeeded = last.exit_code == 0
    if succeeded:
        if rules.require_nonce and nonce and not nonce_seen:
            return outcome("runtime_error", "the program stopped before its tests finished")
        if _matches(rules.fail_on_success, text):
            return outcome("fail", "a test failure was reported on a zero exit")
        if rules.pass_requires_empty_stderr and last.stderr.strip():
            return outcome("fail", "stderr is not empty")
        if rules.pass_requires_stdout and not _compiled(rules.pass_requires_stdout).search(stdout):
            return outcome("fail", "the expected success output is missing")
        return outcome("pass")
    if _matches(rules.compile_error, text):
        return outcome("compile_error")
    if _matches(rules.oom, text):
        return outcome("oom")
    if _matches(rules.fail, text):
        return outcome("fail")
    return outcome(rules.default_failure)
