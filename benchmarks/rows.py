"""Reading problem files line by line, with errors that name the file and line.

Shared by the official-schema loader (``benchmarks.multiple``) and the HumanEval-style loader
(``benchmarks.problem_file``); neither may import ``harness``, so the error type lives here.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class ProblemsError(ValueError):
    """A problem source that can't be read or used; the message is one line for the user."""


class SourceUnreachable(ProblemsError):
    """The hub (or another remote source) could not be reached: the machinery failed, not the input."""


def jsonl_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a ``.jsonl`` or ``.jsonl.gz`` file."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ProblemsError(f"{path}:{number}: not JSON: {exc.msg} (column {exc.colno})") from None
                if not isinstance(row, dict):
                    raise ProblemsError(f"{path}:{number}: not a JSON object")
                yield number, row
    except UnicodeDecodeError as exc:
        raise ProblemsError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except (gzip.BadGzipFile, EOFError) as exc:
        raise ProblemsError(f"{path}: not a readable gzip file ({exc})") from None
    except OSError as exc:
        raise ProblemsError(f"{path}: cannot read ({exc.strerror or exc})") from None
