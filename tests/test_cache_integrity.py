"""The result cache never serves a wrong verdict: tampered rows, a damaged file and garbage in
place of the database are detected, dropped or rebuilt, and the program runs again."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import humaneval
from sandboxes.cache import TABLE, ResultCache
from sandboxes.verdict import Outcome, Status

FAILED = Outcome(Status.FAIL, 1, 0.2, "", "AssertionError")


def _cache_with(path: Path, entries: dict[str, Outcome]) -> None:
    cache = ResultCache(path)
    cache.put_many(list(entries.items()))
    cache.close()


def _tamper(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(sql)


def test_a_row_changed_behind_the_cache_is_dropped_not_served(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    _cache_with(path, {"k1": FAILED, "k2": FAILED})
    _tamper(path, f"UPDATE {TABLE} SET outcome = replace(outcome, '\"fail\"', '\"pass\"') WHERE key = 'k1'")
    _tamper(path, f"UPDATE {TABLE} SET outcome = '{{not json' WHERE key = 'k2'")
    cache = ResultCache(path)
    assert cache.get("k1") is None
    assert cache.get("k2") is None
    assert cache.dropped_rows == 2
    cache.put("k1", FAILED)
    assert cache.get("k1") == FAILED
    cache.close()


def test_a_row_moved_to_another_key_is_not_that_keys_answer(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    _cache_with(path, {"wrong-program": Outcome(Status.PASS, 0, 0.1, "", "")})
    _tamper(path, f"UPDATE {TABLE} SET key = 'other-program'")
    cache = ResultCache(path)
    assert cache.get("other-program") is None
    cache.close()


def test_garbage_in_place_of_the_database_is_moved_aside_and_the_cache_works(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not a database\n" * 500)
    cache = ResultCache(path)
    assert cache.rebuilt == 1
    assert cache.get("k") is None
    cache.put("k", FAILED)
    assert cache.get("k") == FAILED
    cache.close()
    assert (tmp_path / "c.sqlite.corrupt").read_bytes().startswith(b"this is not a database")


def test_a_damaged_database_file_is_rebuilt_on_first_read(tmp_path: Path):
    path = tmp_path / "c.sqlite"
    _cache_with(path, {f"k{i}": FAILED for i in range(2000)})
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096:] = b"\xff" * (len(data) - 4096)  # every page after the first one
    path.write_bytes(bytes(data))
    cache = ResultCache(path)
    assert cache.get("k7") is None
    assert cache.rebuilt == 1
    cache.put("k7", FAILED)
    assert cache.get("k7") == FAILED
    cache.close()


@pytest.mark.docker
def test_execute_with_a_tampered_cache_gives_the_real_verdicts(tmp_path: Path, docker_client):
    problems = humaneval.load()[:3]
    samples = tmp_path / "s.jsonl"
    samples.write_text("".join(
        json.dumps({"task_id": p.extra["task_id"], "completion": "    return None\n"}) + "\n" for p in problems))
    env = {**os.environ, "POLYPASS_CACHE_DIR": str(tmp_path / "cache")}

    def execute(out: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "harness", "execute", "--samples", str(samples),
                               "--out", str(tmp_path / out)], capture_output=True, text=True, env=env, timeout=600)
        assert done.returncode == 0, done.stderr
        records = [json.loads(line) for line in (tmp_path / out / "executions.jsonl").read_text().splitlines()]
        return [r["status"] for r in records]

    assert execute("first") == ["fail"] * 3
    _tamper(tmp_path / "cache" / "executions.sqlite",
            f"UPDATE {TABLE} SET outcome = replace(outcome, '\"fail\"', '\"pass\"')")
    assert execute("second") == ["fail"] * 3
