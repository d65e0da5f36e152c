"""Persistent cache of execution outcomes, keyed by everything that decides a verdict.

Key = sha256(image id, language spec, limits, worker runtime, program bytes): a new image, a
changed lang.toml or limit, or a new worker misses the cache instead of answering wrongly.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

from sandboxes.spec import LanguageSpec, canonical_json, runtime_sha256
from sandboxes.verdict import Outcome, Status

#: Statuses never cached: they say nothing lasting about the program.
UNCACHED = frozenset({Status.INFRA_ERROR})


def default_cache_dir() -> Path:
    explicit = os.environ.get("POLYPASS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "polypass"


def context_key(spec: LanguageSpec, image_id: str) -> str:
    """Hash of everything but the program that decides an outcome."""
    context = {
        "image": image_id,
        "spec": spec.spec_sha256,
        "limits": spec.limits.to_dict(),
        "runtime": runtime_sha256(),
    }
    return hashlib.sha256(canonical_json(context).encode()).hexdigest()


def cache_key(context: str, program_digest: str) -> str:
    return hashlib.sha256(f"{context}:{program_digest}".encode()).hexdigest()


class ResultCache:
    """A SQLite file of outcomes; safe to share between threads and between processes.

    A cache must never answer wrongly: every row carries a digest of its key and outcome, and a
    row that does not match it (or does not parse) is dropped and its program runs again. A file
    that is not a readable database is moved aside (`<name>.corrupt`) and the cache starts empty.
    """

    def __init__(self, path: Path | None = None):
        self.path = path or default_cache_dir() / "executions.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        #: rows dropped because they failed their digest, and files moved aside, since opening
        self.dropped_rows = 0
        self.rebuilt = 0
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            _reraise_unless_corrupt(exc)
            self._move_aside()
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("DROP TABLE IF EXISTS outcomes")  # written by earlier versions, without digests
            db.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} "
                       "(key TEXT PRIMARY KEY, outcome TEXT NOT NULL, digest TEXT NOT NULL, created REAL)")
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    def _move_aside(self) -> None:
        """Move an unreadable file (and its journal) aside: the cache starts empty in its place."""
        self.rebuilt += 1
        os.replace(self.path, self.path.with_name(self.path.name + ".corrupt"))
        for suffix in ("-wal", "-shm"):
            self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)

    def _rebuild(self) -> sqlite3.Connection:
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._move_aside()
        return self._open()

    def get(self, key: str) -> Outcome | None:
        with self._lock:
            try:
                row = self._db.execute(f"SELECT outcome, digest FROM {TABLE} WHERE key = ?", (key,)).fetchone()
            except sqlite3.DatabaseError as exc:
                _reraise_unless_corrupt(exc)
                self._db = self._rebuild()
                return None
            if row is None:
                return None
            outcome = _verified(key, *row)
            if outcome is None:
                self.dropped_rows += 1
                self._db.execute(f"DELETE FROM {TABLE} WHERE key = ?", (key,))
                self._db.commit()
            return outcome

    def put(self, key: str, outcome: Outcome) -> None:
        self.put_many([(key, outcome)])

    def put_many(self, entries: list[tuple[str, Outcome]]) -> None:
        """Several outcomes in one transaction: one commit per batch, not per verdict, for a
        driver taking a whole cluster's verdicts. Infra errors are never stored."""
        rows = [_row(key, outcome) for key, outcome in entries if outcome.status not in UNCACHED]
        if not rows:
            return
        with self._lock:
            try:
                self._db.executemany(f"INSERT OR REPLACE INTO {TABLE} VALUES (?, ?, ?, ?)", rows)
                self._db.commit()
            except sqlite3.DatabaseError as exc:
                _reraise_unless_corrupt(exc)
                self._db = self._rebuild()

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _reraise_unless_corrupt(exc: sqlite3.DatabaseError) -> None:
    """A busy or locked database is not a corrupt one: only real corruption is rebuilt."""
    if isinstance(exc, sqlite3.OperationalError):
        raise exc


#: The table of verdicts with digests (the earlier `outcomes` table had none and is not read).
TABLE = "verified_outcomes"


def _digest(key: str, outcome_json: str) -> str:
    return hashlib.sha256(f"{key}\n{outcome_json}".encode()).hexdigest()


def _row(key: str, outcome: Outcome) -> tuple[str, str, str, float]:
    text = json.dumps(outcome.to_dict())
    return (key, text, _digest(key, text), time.time())


def _verified(key: str, outcome_json: str, digest: str) -> Outcome | None:
    """The stored outcome, or None when the row is not what was written for this key."""
    if _digest(key, outcome_json) != digest:
        return None
    try:
        return Outcome.from_dict(json.loads(outcome_json))
    except (ValueError, TypeError, KeyError):
        return None
