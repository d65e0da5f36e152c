"""Persistent cache of execution outcomes, keyed by everything that decides a verdict.

Key = sha256(image id, language spec, limits, worker runtime, program bytes): a new image, a
changed lang.toml or limit, or a new worker misses the cache instead of answering wrongly.
"""

from __future__ import annotations

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
    """A SQLite file of outcomes; safe to share between threads and between processes."""

    def __init__(self, path: Path | None = None):
        self.path = path or default_cache_dir() / "executions.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS outcomes (key TEXT PRIMARY KEY, outcome TEXT NOT NULL, created REAL)"
        )
        self._db.commit()

    def get(self, key: str) -> Outcome | None:
        with self._lock:
            row = self._db.execute("SELECT outcome FROM outcomes WHERE key = ?", (key,)).fetchone()
        return Outcome.from_dict(json.loads(row[0])) if row else None

    def put(self, key: str, outcome: Outcome) -> None:
        if outcome.status in UNCACHED:
            return
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO outcomes VALUES (?, ?, ?)",
                (key, json.dumps(outcome.to_dict()), time.time()),
            )
            self._db.commit()

    def put_many(self, entries: list[tuple[str, Outcome]]) -> None:
        """Several outcomes in one transaction: one commit per batch, not per verdict, for a
        driver taking a whole cluster's verdicts. Falls back to `put` one by one if the table
        is not the one `_row` writes."""
        rows = [self._row(key, outcome) for key, outcome in entries if outcome.status not in UNCACHED]
        if not rows:
            return
        marks = ", ".join("?" * len(rows[0]))
        with self._lock:
            try:
                self._db.executemany(f"INSERT OR REPLACE INTO outcomes VALUES ({marks})", rows)
                self._db.commit()
                return
            except sqlite3.DatabaseError:
                self._db.rollback()
        for key, outcome in entries:
            self.put(key, outcome)

    @staticmethod
    def _row(key: str, outcome: Outcome) -> tuple[object, ...]:
        """One row of the outcomes table, as `put` writes it."""
        return (key, json.dumps(outcome.to_dict()), time.time())

    def close(self) -> None:
        with self._lock:
            self._db.close()
