"""The per-problem contamination report (``contamination.json``) and reading it back."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from decontam.index import BenchmarkIndex
from decontam.scan import Match, ShardResult

REPORT_FORMAT = "polypass-contamination/1"

#: keys that differ between two runs over the same input without meaning anything
VOLATILE_KEYS: tuple[str, ...] = ("created", "engine", "seconds")


class ReportError(ValueError):
    """A report file that cannot be used; the message names the file."""


def _version() -> str:
    try:
        return metadata.version("polypass")
    except metadata.PackageNotFoundError:
        return "unknown"


def _match_dict(match: Match) -> dict[str, Any]:
    return {
        "shard": match.shard, "row": match.row, "id": match.doc_id, "offset": match.offset,
        "containment": match.containment, "longest_run": match.longest_run,
        "jaccard": match.jaccard, "snippet": match.snippet,
    }


def build_report(index: BenchmarkIndex, results: Sequence[ShardResult], *, engine: str,
                 benchmarks: Sequence[str], languages: Sequence[str] | None,
                 seconds: float) -> dict[str, Any]:
    """Fold shard results into one report; deterministic whatever the order of ``results``."""
    params = index.params
    by_item: dict[int, list[Match]] = {}
    good = [r for r in results if r.error is None]
    bad = sorted((r for r in results if r.error is not None), key=lambda r: r.shard)
    for result in good:
        for match in result.matches:
            by_item.setdefault(match.item, []).append(match)

    problems: dict[tuple[str, str, str], dict[str, Any]] = {
        key: {"benchmark": key[0], "language": key[1], "name": key[2], "flagged": False,
              "fields": {}}
        for key in index.problems
    }
    for number, item in enumerate(index.items):
        matches = sorted(by_item.get(number, []),
                         key=lambda m: (-m.containment, -m.longest_run, m.shard, m.row))
        entry: dict[str, Any] = {"shingles": item.shingles, "whitelisted": item.whitelisted,
                                 **({"joins": list(item.joins)} if item.joins else {}),
                                 "containment": 0.0, "longest_run": 0, "best_jaccard": 0.0,
                                 "documents": len(matches),
                                 "matches": [_match_dict(m) for m in matches[: params.max_matches]]}
        if matches:
            entry["containment"] = max(m.containment for m in matches)
            entry["longest_run"] = max(m.longest_run for m in matches)
            entry["best_jaccard"] = max(m.jaccard for m in matches)
        problem = problems[item.problem_key]
        problem["fields"][item.field] = entry
        if item.whitelisted is None and entry["containment"] >= params.threshold:
            problem["flagged"] = True

    flagged = sum(p["flagged"] for p in problems.values())
    return {
        "format": REPORT_FORMAT,
        "polypass_version": _version(),
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "engine": engine,
        "benchmarks": list(benchmarks),
        "languages": list(languages) if languages else "all",
        "params": params.to_dict(),
        "index": {"digest": index.digest, "items": len(index.items),
                  "whitelisted_items": sum(i.whitelisted is not None for i in index.items),
                  "boilerplate_shingles": index.boilerplate_shingles},
        "shards": {"total": len(results), "scanned": len(good), "skipped_bad": len(bad),
                   "bad": [{"shard": r.shard, "error": r.error} for r in bad],
                   "documents": sum(r.documents for r in good),
                   "bytes": sum(r.bytes for r in good),
                   "windows": sum(r.windows for r in good),
                   "windows_signed": sum(r.windows_queried for r in good),
                   "windows_queried": sum(r.windows_lsh for r in good),
                   "candidates": sum(r.candidates for r in good)},
        "seconds": round(seconds, 3),
        "summary": {"problems": len(problems), "flagged": flagged, "clean": len(problems) - flagged},
        "problems": sorted(problems.values(),
                           key=lambda p: (p["benchmark"], p["language"], p["name"])),
    }


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the keys that change from run to run (time, engine)."""
    return {k: v for k, v in report.items() if k not in VOLATILE_KEYS}


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def read_report(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ReportError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ReportError(f"{path}: not a JSON contamination report ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != REPORT_FORMAT:
        raise ReportError(f"{path}: not a polypass contamination report (format {REPORT_FORMAT})")
    return data


def load_flagged(path: Path) -> set[tuple[str, str, str]]:
    """(benchmark, language, name) of every problem the report flags as contaminated."""
    data = read_report(path)
    try:
        return {(p["benchmark"], p["language"], p["name"]) for p in data["problems"] if p["flagged"]}
    except (KeyError, TypeError) as exc:
        raise ReportError(f"{path}: malformed problems list ({exc})") from None
