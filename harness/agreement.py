"""Agreement with verdicts another evaluator recorded (``polypass agreement``).

A team moving from MultiPL-E has result files: ``<problem>.results.json(.gz)``, each
``{"name", "language", "prompt", "tests", "stop_tokens", ..., "results": [{"program",
"status", "exit_code", "stdout", "stderr", "timestamp"}, ...]}``, or records of the kind in
``real-completions.jsonl`` (one JSON object a line: ``language``, ``name``, ``program`` or
``prompt`` + ``completion`` + ``tests``, and the recorded ``ref_status`` / ``ref_exit_code``,
``status`` / ``exit_code`` or ``ref_pass``). Every program runs, exactly as recorded, in
polypass's sandboxes; per language we count where our pass/fail agrees with the recorded one
(``status == "OK" and exit_code == 0``, MultiPL-E's own rule). Languages polypass does not run
(OCaml ``ml``, ...) are counted as not run, never dropped from the table.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.multiple import short_language
from benchmarks.problem import LANGUAGES
from harness.errors import InfraError, UsageError
from harness.jsonl import read_jsonl
from sandboxes import engine
from sandboxes.bootstrap import BootstrapError
from sandboxes.cache import ResultCache
from sandboxes.images import ImageError
from sandboxes.program import Program, group_by_program
from sandboxes.service import ExecutionService, ProgramResult
from sandboxes.verdict import Status

RESULTS_SUFFIXES = (".results.json", ".results.json.gz")
RECORD_SUFFIXES = (".jsonl", ".jsonl.gz")


@dataclass(frozen=True)
class Recorded:
    """One program and the verdict another evaluator recorded for it."""

    where: str  # file:line, or file results[i]
    language: str  # our short name, or the file's own value for a language we don't run
    supported: bool
    name: str
    program: str
    recorded_pass: bool
    recorded_status: str


@dataclass(frozen=True)
class Judged:
    """A recorded program with our verdict (``None`` for a language we don't run)."""

    record: Recorded
    status: str | None
    detail: str = ""

    @property
    def agrees(self) -> bool | None:
        if self.status is None or self.status == Status.INFRA_ERROR:
            return None
        return (self.status == Status.PASS) == self.record.recorded_pass


@dataclass(frozen=True)
class LanguageAgreement:
    language: str
    supported: bool
    records: int
    recorded_pass: int
    agree: int = 0
    ours_pass_theirs_fail: int = 0
    ours_fail_theirs_pass: int = 0
    infra_errors: int = 0

    @property
    def judged(self) -> int:
        return self.agree + self.ours_pass_theirs_fail + self.ours_fail_theirs_pass


# --- reading -------------------------------------------------------------------------------

def recorded_pass(status: Any, exit_code: Any) -> bool:
    """MultiPL-E's rule: a program passed when its status is OK and it exited 0."""
    return status == "OK" and exit_code == 0


def _language(value: Any, where: str) -> tuple[str, bool]:
    if not isinstance(value, str) or not value:
        raise UsageError(f"{where}: missing field 'language'")
    short = short_language(value)
    return (short, True) if short else (value, False)


def _load_json(path: Path) -> Any:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from None


def read_results_file(path: Path) -> Iterator[Recorded]:
    """The programs of one MultiPL-E ``.results.json(.gz)`` file."""
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise UsageError(f"{path}: not a MultiPL-E results file (no 'results' list)")
    language, supported = _language(data.get("language"), str(path))
    name = str(data.get("name", path.name.removesuffix(".gz").removesuffix(".results.json")))
    for index, result in enumerate(data["results"]):
        where = f"{path} results[{index}]"
        if not isinstance(result, dict) or not isinstance(result.get("program"), str):
            raise UsageError(f"{where}: no 'program' string")
        if "status" not in result or "exit_code" not in result:
            raise UsageError(f"{where}: missing field 'status' or 'exit_code'")
        yield Recorded(where, language, supported, name, result["program"],
                       recorded_pass(result["status"], result["exit_code"]), f"{result['status']} ({result['exit_code']})")


def _program(record: dict[str, Any], where: str) -> str:
    if isinstance(record.get("program"), str):
        return record["program"]
    parts = [record.get(k) for k in ("prompt", "completion", "tests")]
    if all(isinstance(p, str) for p in parts):
        prompt, completion, tests = parts
        return f"{prompt}{completion}\n{tests}"  # MultiPL-E's assembly
    raise UsageError(f"{where}: no 'program' (or 'prompt', 'completion' and 'tests') strings")


def _verdict(record: dict[str, Any], where: str) -> tuple[bool, str]:
    for status_key, code_key in (("ref_status", "ref_exit_code"), ("status", "exit_code")):
        if status_key in record and code_key in record:
            status, code = record[status_key], record[code_key]
            return recorded_pass(status, code), f"{status} ({code})"
    if isinstance(record.get("ref_pass"), bool):
        return record["ref_pass"], "pass" if record["ref_pass"] else "fail"
    raise UsageError(f"{where}: no recorded verdict ('ref_status' and 'ref_exit_code', 'status' and "
                     "'exit_code', or 'ref_pass')")


def read_records_file(path: Path) -> Iterator[Recorded]:
    """Records of the ``real-completions.jsonl`` kind, one a line."""
    for number, record in read_jsonl(path):
        where = f"{path}:{number}"
        language, supported = _language(record.get("language"), where)
        passed, status = _verdict(record, where)
        yield Recorded(where, language, supported, str(record.get("name", "?")), _program(record, where), passed, status)


def read_recorded(paths: Iterable[Path]) -> list[Recorded]:
    """Every recorded program under `paths`: folders (searched for ``*.results.json(.gz)``),
    results files, and ``.jsonl(.gz)`` record files."""
    found: list[Recorded] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.name.endswith(RESULTS_SUFFIXES))
            if not files:
                raise UsageError(f"{path}: no .results.json or .results.json.gz files in this folder")
        elif path.is_file():
            files = [path]
        else:
            raise UsageError(f"{path}: no such file or folder")
        for file in files:
            if file.name.endswith(RESULTS_SUFFIXES):
                found.extend(read_results_file(file))
            elif file.name.endswith(RECORD_SUFFIXES):
                found.extend(read_records_file(file))
            else:
                raise UsageError(f"{file}: neither a MultiPL-E .results.json(.gz) file nor a .jsonl(.gz) of records")
    if not found:
        raise UsageError(f"no recorded programs in {', '.join(str(p) for p in paths)}")
    return found


# --- judging and counting --------------------------------------------------------------------

def judge(
    records: Sequence[Recorded], *, use_cache: bool = True, pool_size: int | None = None,
    on_result: Callable[[int], None] = lambda _n: None,
) -> list[Judged]:
    """Run every program of a language we run in its sandbox (each distinct program once, the
    result cache first); `on_result(n)` after each distinct program, n records judged by it."""
    groups = group_by_program(
        (Program(record.language, record.program), index) for index, record in enumerate(records) if record.supported
    )
    verdicts: dict[int, tuple[str, str]] = {}
    if groups:
        try:
            client = engine.connect()
        except engine.EngineUnavailable as exc:
            raise InfraError(str(exc)) from None
        cache = ResultCache() if use_cache else None

        def record_result(result: ProgramResult) -> None:
            indices = groups[result.key].members
            for index in indices:
                verdicts[index] = (result.outcome.status, result.outcome.detail)
            on_result(len(indices))

        try:
            with ExecutionService(client, cache=cache, pool_size=pool_size) as service:
                service.run([group.program for group in groups.values()], record_result)
        except (ImageError, BootstrapError) as exc:
            raise InfraError(str(exc)) from None
    judged = []
    for index, record in enumerate(records):
        status, detail = verdicts.get(index, (None, ""))
        judged.append(Judged(record, None if status is None else str(status), detail))
    return judged


def tally(judged: Iterable[Judged]) -> list[LanguageAgreement]:
    """Per language (ours in MultiPL-E order, then the ones we don't run): how many agree."""
    counts: dict[str, Counter[str]] = {}
    supported: dict[str, bool] = {}
    for item in judged:
        language = item.record.language
        supported[language] = item.record.supported
        count = counts.setdefault(language, Counter())
        count["records"] += 1
        count["recorded_pass"] += item.record.recorded_pass
        if item.status == Status.INFRA_ERROR:
            count["infra_errors"] += 1
        elif item.agrees is True:
            count["agree"] += 1
        elif item.agrees is False:
            count["ours_pass_theirs_fail" if item.status == Status.PASS else "ours_fail_theirs_pass"] += 1
    order = sorted(counts, key=lambda lang: (not supported[lang], LANGUAGES.index(lang) if supported[lang] else 0, lang))
    return [LanguageAgreement(language=lang, supported=supported[lang], **counts[lang]) for lang in order]
