"""The run directory: its file names, readers and writers, for every stage.

A run directory has one owner at a time: the process that generates or executes into it takes
an exclusive lock (`flock` on `owner.lock`, released by the kernel when the process dies), and a
second writer is refused with one line (exit 2) instead of interleaving lines. Readers never
write: they read complete lines only, so `score` or `report` can run while the owner appends.
Only the owner repairs a torn last line (left by a writer killed mid-line), when it takes the
lock. Data-parallel ranks each own their shard (the shard file itself is locked while written);
rank 0 owns the directory.

| file | writer | what |
|---|---|---|
| run.json | owner (atomic replace) | the fingerprint |
| generations.jsonl | owner (append, flushed per line) | one sample per line |
| generations.rank-R-of-W.jsonl | rank R (append) | rank R's samples until rank 0 merges them |
| executions.jsonl | owner (append) | one verdict per line; later lines supersede |
| scores.json | `score` (atomic replace) | pass@k; derived, so any process may rewrite it |
| owner.lock | owner | the lock; holds the owner's pid, host and command |
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import socket
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from harness.errors import UsageError
from harness.fingerprint import base_sections
from harness.samples import Sample, SampleKey
from sandboxes.verdict import Status

RUN_JSON = "run.json"
GENERATIONS = "generations.jsonl"
EXECUTIONS = "executions.jsonl"
SCORES = "scores.json"
LOCK = "owner.lock"
SHARD_RE = re.compile(r"^generations\.rank-(\d+)-of-(\d+)\.jsonl$")
#: append-only files the owner repairs when it takes the lock.
APPENDED = (GENERATIONS, EXECUTIONS)


def shard_name(rank: int, world_size: int) -> str:
    return f"generations.rank-{rank}-of-{world_size}.jsonl"


class RunDirBusy(UsageError):
    """Another live process writes this run directory (exit 2: wait for it, or use another --out)."""


# ---------------------------------------------------------------- readers (never write)


def _complete_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) of each complete line; a torn last line is skipped, never cut."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return
    end = data.rfind(b"\n") + 1
    for number, line in enumerate(data[:end].split(b"\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise UsageError(f"{path}:{number}: not a JSON line ({exc})") from None
        if not isinstance(record, dict):
            raise UsageError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
        yield number, record


def read_records(path: Path) -> list[dict[str, Any]]:
    """Records of an append-only run file that a live writer may be appending to."""
    return [record for _, record in _complete_lines(path)]


def _samples(path: Path) -> Iterator[Sample]:
    for number, record in _complete_lines(path):
        try:
            yield Sample.from_dict(record)
        except TypeError as exc:
            raise UsageError(f"{path}:{number}: not a sample ({exc})") from None


def has_generations(run_dir: Path) -> bool:
    return (run_dir / GENERATIONS).is_file()


def read_generations(run_dir: Path) -> list[Sample]:
    path = run_dir / GENERATIONS
    if not path.exists():
        raise UsageError(f"{path}: no generations in this run dir (run `polypass generate` first)")
    return list(_samples(path))


def shard_paths(run_dir: Path) -> list[Path]:
    """Rank shards of data-parallel generation, by world size then rank."""
    if not run_dir.is_dir():
        return []
    found = [(tuple(int(x) for x in m.groups()[::-1]), p)
             for p in run_dir.iterdir() if (m := SHARD_RE.match(p.name))]
    return [p for _, p in sorted(found)]


def existing_samples(run_dir: Path) -> dict[SampleKey, Sample]:
    """Samples in generations.jsonl and in rank shards (the first of a key wins)."""
    samples: dict[SampleKey, Sample] = {}
    for path in (run_dir / GENERATIONS, *shard_paths(run_dir)):
        for sample in _samples(path):
            samples.setdefault(sample.key, sample)
    return samples


def latest_verdicts(run_dir: Path) -> dict[SampleKey, dict[str, Any]]:
    """The last verdict line per (benchmark, language, name, sample); later lines supersede.

    `status` is a `Status`; a line with an unknown status is an error naming the line.
    """
    path = run_dir / EXECUTIONS
    verdicts = {}
    for number, record in _complete_lines(path):
        try:
            key = (record.get("benchmark", "humaneval"), record["language"], record["name"], record["sample"])
            record["status"] = Status(record["status"])
        except (KeyError, ValueError) as exc:
            raise UsageError(f"{path}:{number}: not a verdict ({type(exc).__name__}: {exc})") from None
        verdicts[key] = record
    return verdicts


def has_verdicts(run_dir: Path) -> bool:
    return (run_dir / EXECUTIONS).is_file()


def read_run_json(run_dir: Path) -> dict[str, Any]:
    """The fingerprint so far ({} before the first stage wrote it)."""
    path = run_dir / RUN_JSON
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        record = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: invalid JSON ({exc})") from None
    if not isinstance(record, dict):
        raise UsageError(f"{path}: expected a JSON object")
    return record


def has_scores(run_dir: Path) -> bool:
    return (run_dir / SCORES).is_file()


def read_scores(run_dir: Path) -> dict[str, Any]:
    """The raw scores.json object; missing or malformed is a UsageError saying what to do."""
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: no such run directory")
    path = run_dir / SCORES
    if not path.is_file():
        raise UsageError(f"{run_dir}: no {SCORES} (run `polypass score {run_dir}` first)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: invalid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: expected a JSON object")
    return data


# ---------------------------------------------------------------- ownership


@dataclass
class _Held:
    handle: TextIO
    depth: int


#: run dirs this process owns (resolved path -> lock), so nested stages reuse the lock.
_HELD: dict[Path, _Held] = {}


def _try_flock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES):
            return False
        raise
    return True


def _who(lock: Path) -> str:
    try:
        text = lock.read_text(encoding="utf-8").strip()
    except OSError:
        text = ""
    return f" ({text})" if text else ""


def owns(run_dir: Path) -> bool:
    return run_dir.resolve() in _HELD


@contextmanager
def own(run_dir: Path, command: str) -> Iterator[None]:
    """Own `run_dir` for the block: lock it, or refuse with RunDirBusy; repair torn last lines.

    Re-entrant within a process (`run` owns the dir across generate, execute and score).
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    key = run_dir.resolve()
    held = _HELD.get(key)
    if held is not None:
        held.depth += 1
        try:
            yield
        finally:
            held.depth -= 1
        return
    lock = run_dir / LOCK
    handle = lock.open("a+", encoding="utf-8")
    try:
        if not _try_flock(handle.fileno()):
            raise RunDirBusy(
                f"{run_dir}: another polypass process is writing this run directory{_who(lock)}; "
                "wait for it to finish or use another --out"
            )
        handle.truncate(0)
        handle.write(f"pid {os.getpid()} on {socket.gethostname()}, `{command}` since "
                     f"{time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        for name in APPENDED:
            _repair(run_dir / name)
        _HELD[key] = _Held(handle, 1)
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        handle.close()  # releases the lock


def _require_owner(run_dir: Path) -> None:
    if not owns(run_dir):
        raise RuntimeError(f"{run_dir}: written without owning it (wrap the stage in rundir.own)")


def _repair(path: Path, handle: Any = None) -> int:
    """Cut a torn last line (a writer killed mid-line); returns the bytes cut. Owner only."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return 0
    end = data.rfind(b"\n") + 1
    if end == len(data):
        return 0
    if handle is not None:
        handle.truncate(end)
    else:
        with path.open("r+b") as out:
            out.truncate(end)
    return len(data) - end


# ---------------------------------------------------------------- writers (the owner only)


class JsonlAppender:
    """Appends one record per line and flushes it, so a kill loses at most the line in flight."""

    def __init__(self, path: Path, handle: TextIO | None = None):
        self.path = path
        self._handle: TextIO = handle or path.open("a", encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._handle.flush()

    def sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def append(run_dir: Path, name: str) -> JsonlAppender:
    """An appender to generations.jsonl or executions.jsonl of a run dir this process owns."""
    if name not in APPENDED:
        raise ValueError(f"{name} is not an append-only run file")
    _require_owner(run_dir)
    return JsonlAppender(run_dir / name)


def append_shard(run_dir: Path, name: str) -> JsonlAppender:
    """An appender to this rank's shard: the shard is locked while open and repaired first."""
    if not SHARD_RE.match(name):
        raise ValueError(f"{name} is not a rank shard name")
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / name
    handle = path.open("a", encoding="utf-8")
    if not _try_flock(handle.fileno()):
        handle.close()
        raise RunDirBusy(f"{path}: another process is writing this shard; wait for it or use another --out")
    _repair(path, handle)
    return JsonlAppender(path, handle)


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _sample_line(sample: Sample) -> str:
    return json.dumps(sample.to_dict(), ensure_ascii=False) + "\n"


def write_generations(run_dir: Path, samples: Sequence[Sample]) -> None:
    """Store given samples (`execute --samples`) once; a rerun must bring the same ones."""
    _require_owner(run_dir)
    path = run_dir / GENERATIONS
    lines = "".join(_sample_line(s) for s in samples)
    if path.exists():
        if path.read_text(encoding="utf-8") != lines:
            raise UsageError(
                f"{path}: this run dir already holds different samples; use a new --out to start another run"
            )
        return
    _write_atomically(path, lines)


def update_run_json(run_dir: Path, section: str, data: Any) -> dict[str, Any]:
    """Merge one top-level section into run.json (written atomically); returns the whole record."""
    _require_owner(run_dir)
    record = read_run_json(run_dir) or base_sections()
    current = record.get(section)
    if isinstance(current, dict) and isinstance(data, dict):
        current.update(data)
    else:
        record[section] = data
    _write_atomically(run_dir / RUN_JSON, json.dumps(record, indent=2, sort_keys=True) + "\n")
    return record


def write_scores(run_dir: Path, scores: dict[str, Any]) -> Path:
    """scores.json, replaced atomically: derived from the other files, so no ownership needed."""
    path = run_dir / SCORES
    _write_atomically(path, json.dumps(scores, indent=2) + "\n")
    return path


def merge_shards(run_dir: Path, order: Callable[[SampleKey], Any]) -> int:
    """Append the shards' samples missing from generations.jsonl, sorted by `order`; remove the shards.

    Crash-safe: the main file is synced before any shard is removed, and samples already in it
    are skipped, so a merge that dies is finished by the next one. A shard some live process is
    still writing is refused (RunDirBusy). Returns the samples added.
    """
    _require_owner(run_dir)
    shards = shard_paths(run_dir)
    if not shards:
        return 0
    locks = []
    try:
        for shard in shards:
            handle = shard.open("a", encoding="utf-8")
            locks.append(handle)
            if not _try_flock(handle.fileno()):
                raise RunDirBusy(f"{shard}: another process is writing this shard; wait for it to finish")
        seen = {sample.key for sample in _samples(run_dir / GENERATIONS)}
        new: dict[SampleKey, Sample] = {}
        for shard in shards:
            for sample in _samples(shard):
                if sample.key not in seen:
                    new.setdefault(sample.key, sample)
        ranked = sorted(new.values(), key=lambda s: order(s.key))
        with append(run_dir, GENERATIONS) as out:
            for sample in ranked:
                out.write(sample.to_dict())
            out.sync()
        for shard in shards:
            shard.unlink(missing_ok=True)
    finally:
        for handle in locks:
            handle.close()
    return len(ranked)
