"""The score stage: verdicts -> scores.json (pass@k with bootstrap CIs per benchmark x language)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from harness import rundir
from harness.errors import UsageError
from harness.naming import model_name
from harness.rundir import EXECUTIONS
from harness.scoring import bootstrap_ci, pass_at_k, refusal
from sandboxes.verdict import Status

CI_SETTINGS = {"method": "bootstrap over problems", "level": 0.95, "resamples": 1000, "seed": 0}

ProblemKey = tuple[str, str, str]


def problem_counts(run_dir: Path) -> dict[ProblemKey, dict[str, Any]]:
    """Per problem: n (samples with a model verdict), c (passes), statuses, truncated, missing."""
    samples = rundir.read_generations(run_dir)
    verdicts = rundir.latest_verdicts(run_dir)
    if not verdicts:
        raise UsageError(f"{run_dir / EXECUTIONS}: no verdicts yet (run `polypass execute` first)")
    table: dict[ProblemKey, dict[str, Any]] = {}
    for sample in samples:
        row = table.setdefault(
            sample.problem_key, {"n": 0, "c": 0, "statuses": Counter(), "truncated": 0, "missing": 0}
        )
        if sample.finish_reason == "length":
            row["truncated"] += 1
        verdict = verdicts.get(sample.key)
        if verdict is None:
            row["missing"] += 1
            continue
        status = verdict["status"]
        row["statuses"][status] += 1
        if not status.is_model_verdict:
            continue  # the sandbox failed, not the model: not a sample of the model's skill
        row["n"] += 1
        row["c"] += status == Status.PASS
    return table


def _group_result(
    benchmark: str, language: str, rows: dict[ProblemKey, dict[str, Any]], ks: Sequence[int],
    subset: str, excluded: list[str],
) -> dict[str, Any]:
    scored = [row for row in rows.values() if row["n"] > 0]
    fewest = min((row["n"] for row in scored), default=0)
    statuses: Counter[str] = Counter()
    for row in rows.values():
        statuses.update(row["statuses"])
    result: dict[str, Any] = {
        "benchmark": benchmark, "language": language, "subset": subset,
        "problems": len(scored), "samples_per_problem": fewest,
        "pass_at_k": {}, "refused_k": {},
        "status_counts": dict(sorted(statuses.items())),
        "infra_errors": statuses.get(Status.INFRA_ERROR, 0),
        "missing": sum(row["missing"] for row in rows.values()),
        "truncated": sum(row["truncated"] for row in rows.values()),
        "excluded": excluded,
    }
    for k in ks:
        reason = refusal(k, fewest) if scored else f"pass@{k}: no problem has a verdict"
        if reason:
            result["refused_k"][str(k)] = reason
            continue
        per_problem = [pass_at_k(row["n"], row["c"], k) for row in scored]
        low, high = bootstrap_ci(per_problem, CI_SETTINGS["level"], CI_SETTINGS["resamples"], CI_SETTINGS["seed"])
        result["pass_at_k"][str(k)] = {
            "estimate": sum(per_problem) / len(per_problem), "ci_low": low, "ci_high": high,
        }
    return result


def compute_scores(
    table: dict[ProblemKey, dict[str, Any]], ks: Sequence[int], flagged: set[ProblemKey] | None = None,
) -> dict[str, Any]:
    """Pure: per benchmark x language results (plus clean subsets when `flagged` is given)."""
    groups: dict[tuple[str, str], dict[ProblemKey, dict[str, Any]]] = defaultdict(dict)
    for key, row in table.items():
        groups[(key[0], key[1])][key] = row
    results = []
    for (benchmark, language), rows in sorted(groups.items()):
        results.append(_group_result(benchmark, language, rows, ks, "all", []))
        if flagged is not None:
            dirty = sorted(key[2] for key in rows if key in flagged)
            clean = {key: row for key, row in rows.items() if key not in flagged}
            results.append(_group_result(benchmark, language, clean, ks, "clean", dirty))
    problems = [
        {"benchmark": b, "language": lang, "name": name, "n": row["n"], "c": row["c"],
         "statuses": dict(sorted(row["statuses"].items())), "truncated": row["truncated"]}
        for (b, lang, name), row in sorted(table.items())
    ]
    return {"k": list(ks), "ci": dict(CI_SETTINGS), "results": results, "problems": problems}


def score_run(run_dir: Path, ks: Sequence[int], exclude: Path | None = None) -> dict[str, Any]:
    """Score a run dir and write its scores.json (also while another process still executes it)."""
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: no such run directory")
    flagged = None
    if exclude is not None:
        from decontam.report import ReportError, load_flagged

        if not exclude.is_file():
            raise UsageError(f"{exclude}: no such contamination report")
        try:
            flagged = load_flagged(exclude)
        except ReportError as exc:
            raise UsageError(str(exc)) from None
    scores = compute_scores(problem_counts(run_dir), ks, flagged)
    scores = {
        "run": run_dir.name,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "polypass_version": metadata.version("polypass"),
        "fingerprint": rundir.read_run_json(run_dir),
        **scores,
    }
    if exclude is not None:
        scores["contamination_report"] = str(exclude)
    rundir.write_scores(run_dir, scores)
    return scores


def _percent(value: float) -> str:
    return f"{100 * value:.1f}"


def render_scores(scores: dict[str, Any], console: Console) -> None:
    """A rich table: one row per benchmark x language (x subset), pass@k with its CI."""
    ks = [str(k) for k in scores["k"]]
    generation = (scores.get("fingerprint") or {}).get("generation") or {}
    model = generation.get("name") or (model_name(str(generation["model"])) if generation.get("model") else "")
    title = f"polypass scores: {model} (run {scores.get('run', '')})" if model else f"polypass scores: {scores.get('run', '')}"
    table = Table(title=title, title_justify="left")
    for column in ("benchmark", "language", "subset", "problems", "n"):
        table.add_column(column, justify="right" if column in ("problems", "n") else "left")
    for k in ks:
        table.add_column(f"pass@{k} (95% CI)", justify="right")
    table.add_column("statuses")
    refusals: set[str] = set()
    for result in scores["results"]:
        cells = []
        for k in ks:
            value = result["pass_at_k"].get(k)
            if value is None:
                cells.append("—")
                refusals.add(result["refused_k"][k])
            else:
                cells.append(f"{_percent(value['estimate'])} [{_percent(value['ci_low'])}, {_percent(value['ci_high'])}]")
        counts = " ".join(f"{s}={c}" for s, c in result["status_counts"].items())
        table.add_row(result["benchmark"], result["language"], result["subset"], str(result["problems"]),
                      str(result["samples_per_problem"]), *cells, counts)
    console.print(table)
    for reason in sorted(refusals):
        console.print(f"[yellow]not computed:[/yellow] {reason}")
