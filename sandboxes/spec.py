"""Language specs: how a language's programs are compiled, run, limited and judged (lang.toml)."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from sandboxes.verdict import Status

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SANDBOXES_DIR = Path(__file__).resolve().parent
RUNTIME_DIR = SANDBOXES_DIR / "runtime"


class SpecError(ValueError):
    """A lang.toml that can't be used; the message names the file and field."""


@dataclass(frozen=True)
class Limits:
    """Resource bounds of one job. Part of the cache key: a change re-runs programs.

    Time is CPU time (every process of the step counts), so a loaded machine does not turn
    a correct program into a timeout; `wall_factor` × the CPU limit is the wall-clock
    backstop for programs that sleep or block. The CPU limits are calibrated per language
    from its reference solutions (perf/calibrate_limits.py; README "Time limits").
    """

    memory_mb: int = 512
    pids: int = 128
    tmpfs_mb: int = 256
    file_size_mb: int = 64
    max_output_bytes: int = 8 * 1024 * 1024
    tail_bytes: int = 8192
    run_cpu_s: float = 10.0
    compile_cpu_s: float = 60.0
    wall_factor: float = 10.0

    def wall_s(self, cpu_s: float) -> float:
        return cpu_s * self.wall_factor

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VerdictRules:
    """MultiPL-E-style rules turning exit codes and output into a status.

    Patterns are Python regexes searched (multi-line) in the run step's stderr, or in
    stdout and stderr when ``search_stdout`` is set.
    """

    require_nonce: bool = False
    pass_requires_empty_stderr: bool = False
    pass_requires_stdout: str | None = None
    search_stdout: bool = False
    compile_error: tuple[str, ...] = ()
    oom: tuple[str, ...] = ()
    fail: tuple[str, ...] = ()
    fail_on_success: tuple[str, ...] = ()
    default_failure: Status = Status.RUNTIME_ERROR


@dataclass(frozen=True)
class Guard:
    """Code put after a program's tests that prints the worker's nonce (read from stdin).

    A completion that exits with status 0 before the tests have run never reaches it, so
    that exit is not a pass. `code` goes right before the last match of `anchor` (a regex
    searched in the whole program; `\\Z` appends, a closing-brace pattern puts it at the end
    of `main`). A program without a match runs unguarded, as MultiPL-E runs it.
    """

    code: str
    anchor: str = r"\Z"

    def apply(self, program: str) -> str | None:
        """The guarded program, or None when the anchor is not in it."""
        matches = list(re.finditer(self.anchor, program))
        if not matches:
            return None
        at = matches[-1].start()
        return program[:at] + self.code + program[at:]


@dataclass(frozen=True)
class CompileServer:
    """A resident compiler the worker keeps up between jobs, instead of a cold one per job.

    The compile command's words after `compiler` (the word that names the compiler; by
    default its first word) go to `argv`'s process; `outputs` (glob patterns) name the files
    it makes that the run step needs. It only saves time: when it can't answer,
    the worker runs the compile command itself (sandboxes/runtime/worker.py). `max_jobs`
    bounds what one server process compiles before a fresh one starts; `env` is added to
    its environment (it must leave nothing in the scratch dirs, which the job user empties).
    """

    argv: tuple[str, ...]
    outputs: tuple[str, ...]
    max_jobs: int = 256
    env: tuple[tuple[str, str], ...] = ()
    compiler: str | None = None

    def arguments(self, compile_command: tuple[str, ...]) -> list[str]:
        """The compile command's arguments, as the server gets them."""
        at = compile_command.index(self.compiler) if self.compiler else 0
        return list(compile_command[at + 1:])

    def to_step(self, compile_command: tuple[str, ...]) -> dict[str, Any]:
        return {"argv": list(self.argv), "arguments": self.arguments(compile_command),
                "outputs": list(self.outputs), "max_jobs": self.max_jobs, "env": dict(self.env)}


@dataclass(frozen=True)
class LanguageSpec:
    name: str
    display_name: str
    file_name: str
    run: tuple[str, ...]
    compile: tuple[str, ...] | None = None
    toolchain_version: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    verdict: VerdictRules = field(default_factory=VerdictRules)
    guard: Guard | None = None
    compile_server: CompileServer | None = None
    folder: Path = SANDBOXES_DIR
    spec_sha256: str = ""

    @property
    def dockerfile(self) -> Path:
        return self.folder / "Dockerfile"

    def with_limits(self, **changes: Any) -> LanguageSpec:
        return replace(self, limits=replace(self.limits, **changes))

    def fingerprint(self) -> dict[str, Any]:
        return {"spec_sha256": self.spec_sha256, "limits": self.limits.to_dict()}


_RENAMED_LIMITS = {"run_timeout_s": "run_cpu_s", "compile_timeout_s": "compile_cpu_s"}
_STATUSES_FOR_DEFAULT = frozenset({Status.RUNTIME_ERROR, Status.FAIL})


def _tuple_of_str(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"{where}: expected a list of strings")
    return tuple(value)


def parse_spec(path: Path) -> LanguageSpec:
    raw_bytes = path.read_bytes()
    try:
        data = tomllib.loads(raw_bytes.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: {exc}") from None
    where = str(path)
    try:
        limits_data = dict(data.get("limits", {}))
        for old, new in _RENAMED_LIMITS.items():
            if old in data or old in limits_data:
                raise SpecError(f"{where}: {old} is now {new} (CPU seconds; the wall-clock limit is "
                                f"{new} × limits.wall_factor)")
        for key in ("run_cpu_s", "compile_cpu_s"):
            if key in data:
                limits_data[key] = float(data[key])
        limits = Limits(**limits_data)
        verdict_data = dict(data.get("verdict", {}))
        for key in ("compile_error", "oom", "fail", "fail_on_success"):
            if key in verdict_data:
                verdict_data[key] = _tuple_of_str(verdict_data[key], f"{where}: verdict.{key}")
        if "default_failure" in verdict_data:
            if verdict_data["default_failure"] not in _STATUSES_FOR_DEFAULT:
                raise SpecError(f"{where}: verdict.default_failure must be fail or runtime_error")
            verdict_data["default_failure"] = Status(verdict_data["default_failure"])
        verdict = VerdictRules(**verdict_data)
        compile_cmd = data.get("compile")
        guard = _guard(data.get("guard"), where)
        if guard and not verdict.require_nonce:
            raise SpecError(f"{where}: a [guard] needs verdict.require_nonce = true")
        compile_server = _compile_server(data.get("compile_server"), where)
        if compile_server and not compile_cmd:
            raise SpecError(f"{where}: a [compile_server] needs a compile command")
        if compile_server and compile_server.compiler and compile_server.compiler not in compile_cmd:
            raise SpecError(f"{where}: compile_server.compiler: {compile_server.compiler!r} is not a word "
                            f"of the compile command")
        return LanguageSpec(
            name=data["name"],
            display_name=data.get("display_name", data["name"]),
            file_name=data["file_name"],
            run=_tuple_of_str(data["run"], f"{where}: run"),
            compile=_tuple_of_str(compile_cmd, f"{where}: compile") if compile_cmd else None,
            toolchain_version=_tuple_of_str(data.get("toolchain_version", []), f"{where}: toolchain_version"),
            env=dict(data.get("env", {})),
            limits=limits,
            verdict=verdict,
            guard=guard,
            compile_server=compile_server,
            folder=path.parent,
            spec_sha256=hashlib.sha256(raw_bytes).hexdigest(),
        )
    except KeyError as exc:
        raise SpecError(f"{where}: missing field {exc.args[0]!r}") from None
    except TypeError as exc:
        raise SpecError(f"{where}: {exc}") from None


def _guard(data: Any, where: str) -> Guard | None:
    if data is None:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        raise SpecError(f"{where}: guard.code: expected a string")
    anchor = data.get("anchor", r"\Z")
    try:
        re.compile(anchor)
    except (re.error, TypeError) as exc:
        raise SpecError(f"{where}: guard.anchor: not a regex: {exc}") from None
    return Guard(code=data["code"], anchor=anchor)


def _compile_server(data: Any, where: str) -> CompileServer | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SpecError(f"{where}: compile_server: expected a table")
    max_jobs = data.get("max_jobs", 256)
    if not isinstance(max_jobs, int) or max_jobs < 1:
        raise SpecError(f"{where}: compile_server.max_jobs: expected a positive integer")
    return CompileServer(argv=_tuple_of_str(data.get("argv"), f"{where}: compile_server.argv"),
                         outputs=_tuple_of_str(data.get("outputs", []), f"{where}: compile_server.outputs"),
                         max_jobs=max_jobs, compiler=data.get("compiler"), env=tuple(sorted(_str_table(data.get("env", {}),
                                                                        f"{where}: compile_server.env").items())))


def _str_table(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise SpecError(f"{where}: expected a table of strings")
    return value


def available_languages() -> list[str]:
    return sorted(p.parent.name for p in SANDBOXES_DIR.glob("*/lang.toml"))


def load_spec(language: str) -> LanguageSpec:
    path = SANDBOXES_DIR / language / "lang.toml"
    if not path.is_file():
        known = ", ".join(available_languages())
        raise SpecError(f"no sandbox for language {language!r} (have: {known})")
    return parse_spec(path)


def runtime_sha256() -> str:
    """Hash of the in-container worker and runners; part of every cache key."""
    digest = hashlib.sha256()
    for path in sorted(RUNTIME_DIR.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def canonical_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
