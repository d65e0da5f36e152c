"""The execute stage: samples in a run dir -> verdicts in executions.jsonl, resumably."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from benchmarks.problem import Problem
from harness.errors import InfraError, UsageError
from harness.fingerprint import update_run_json
from harness.jsonl import JsonlAppender, read_complete_lines
from harness.samples import Sample
from sandboxes import engine
from sandboxes.bootstrap import BootstrapError
from sandboxes.cache import ResultCache, program_sha256
from sandboxes.executors import Executor, ExecutorUnavailable, open_executor
from sandboxes.images import ImageError
from sandboxes.service import ProgramResult
from sandboxes.spec import SpecError, load_spec

GENERATIONS = "generations.jsonl"
EXECUTIONS = "executions.jsonl"


@dataclass
class ExecutionSummary:
    total: int = 0
    already_done: int = 0
    executed: int = 0
    from_cache: int = 0
    status_counts: Counter[str] = field(default_factory=Counter)


def verdict_record(sample: Sample, result: ProgramResult, cached: bool) -> dict[str, Any]:
    outcome = result.outcome
    return {
        "benchmark": sample.benchmark,
        "name": sample.name,
        "language": sample.language,
        "sample": sample.sample,
        "status": outcome.status,
        "exit_code": outcome.exit_code,
        "duration_s": outcome.duration_s,
        "stdout": outcome.stdout,
        "stderr": outcome.stderr,
        "program_sha256": result.program_sha256,
        "image": result.image_id,
        "cached": cached,
    }


def verdict_key(record: dict[str, Any]) -> tuple[str, str, str, int]:
    return (record.get("benchmark", "humaneval"), record["language"], record["name"], record["sample"])


def latest_verdicts(run_dir: Path) -> dict[tuple[str, str, str, int], dict[str, Any]]:
    """The last verdict line per (benchmark, language, name, sample); later lines supersede."""
    verdicts = {}
    for record in read_complete_lines(run_dir / EXECUTIONS):
        verdicts[verdict_key(record)] = record
    return verdicts


def _resolve_benchmarks(samples: Sequence[Sample], problems: Sequence[Problem]) -> list[Sample]:
    """Give samples that name no known benchmark the only one their (language, name) has."""
    keys = {(p.benchmark, p.language, p.name) for p in problems}
    owners: dict[tuple[str, str], set[str]] = {}
    for benchmark, language, name in keys:
        owners.setdefault((language, name), set()).add(benchmark)
    resolved = []
    for sample in samples:
        candidates = owners.get((sample.language, sample.name), set())
        if sample.problem_key not in keys and len(candidates) == 1:
            sample = replace(sample, benchmark=next(iter(candidates)))
        resolved.append(sample)
    return resolved


def write_generations(run_dir: Path, samples: Sequence[Sample]) -> None:
    """Store the samples in the run dir once; a rerun must bring the same ones."""
    path = run_dir / GENERATIONS
    lines = "".join(_sample_line(s) for s in samples)
    if path.exists():
        if path.read_text(encoding="utf-8") != lines:
            raise UsageError(
                f"{path}: this run dir already holds different samples; use a new --out to start another run"
            )
        return
    tmp = path.with_suffix(".jsonl.tmp")
    tmp.write_text(lines, encoding="utf-8")
    tmp.replace(path)


def _sample_line(sample: Sample) -> str:
    return json.dumps(sample.to_dict(), ensure_ascii=False) + "\n"


def read_generations(run_dir: Path) -> list[Sample]:
    path = run_dir / GENERATIONS
    if not path.exists():
        raise UsageError(f"{path}: no generations in this run dir (run `polypass generate` first)")
    return [Sample.from_dict(record) for record in read_complete_lines(path)]


def _sandbox_fingerprint(service: Executor, languages: set[str]) -> dict[str, Any]:
    section = {}
    for language in sorted(languages):
        entry = service.prepare(language)
        section[language] = {
            "image": entry.image.tag,
            "image_id": entry.image.id,
            "toolchain": entry.image.toolchain,
            "spec_sha256": entry.spec.spec_sha256,
            "limits": entry.spec.limits.to_dict(),
        }
    return section


def execute_run(
    run_dir: Path,
    problems: Sequence[Problem],
    samples: Sequence[Sample] | None = None,
    *,
    use_cache: bool = True,
    pool_size: int | None = None,
    console: Console | None = None,
    ray: str | None = None,
    ray_resource: str | None = None,
) -> ExecutionSummary:
    """Execute every sample of the run that has no verdict yet (infra_errors are retried).

    `ray`: a Ray cluster's address ("auto", "host:port", "ray://host:port") to execute on its
    Docker nodes instead of this machine's engine; the verdicts land here the same way.
    """
    console = console or Console(stderr=True)
    run_dir.mkdir(parents=True, exist_ok=True)
    if samples is not None:
        write_generations(run_dir, samples)
    else:
        samples = read_generations(run_dir)
    by_key = {(p.benchmark, p.language, p.name): p for p in problems}
    samples = _resolve_benchmarks(samples, problems)
    for sample in samples:
        if sample.problem_key not in by_key:
            raise UsageError(
                f"{run_dir / GENERATIONS}: sample for unknown problem {sample.name!r} "
                f"({sample.benchmark}, {sample.language})"
            )
    done = latest_verdicts(run_dir)
    todo = [
        s for s in samples
        if done.get((*s.problem_key, s.sample), {}).get("status", "infra_error") == "infra_error"
    ]
    summary = ExecutionSummary(total=len(samples), already_done=len(samples) - len(todo))
    for record in done.values():
        if record["status"] != "infra_error":
            summary.status_counts[record["status"]] += 1
    languages = {s.language for s in samples}
    try:
        for language in languages:
            load_spec(language)
    except SpecError as exc:
        raise UsageError(str(exc)) from None

    cache = ResultCache() if use_cache else None
    try:
        with open_executor(ray_address=ray, ray_resource=ray_resource, languages=languages, cache=cache,
                           pool_size=pool_size, log=lambda m: console.print(m, markup=False, highlight=False)
                           ) as service:
            update_run_json(run_dir, "sandboxes", _sandbox_fingerprint(service, languages))
            if todo:
                _execute_samples(run_dir, todo, by_key, service, summary, console)
    except (ImageError, BootstrapError, engine.EngineUnavailable, ExecutorUnavailable) as exc:
        if cache is not None:
            cache.close()
        raise InfraError(str(exc)) from None
    return summary


def _execute_samples(
    run_dir: Path,
    todo: Sequence[Sample],
    by_key: dict[tuple[str, str, str], Problem],
    service: Executor,
    summary: ExecutionSummary,
    console: Console,
) -> None:
    waiting: dict[tuple[str, str], list[Sample]] = {}
    programs: list[tuple[str, str]] = []
    for sample in todo:
        program = by_key[sample.problem_key].program(sample.completion)
        key = (sample.language, program_sha256(program))
        if key not in waiting:
            programs.append((sample.language, program))
        waiting.setdefault(key, []).append(sample)

    progress = Progress(
        TextColumn("[bold]executing"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeRemainingColumn(), console=console, transient=False,
    )
    with JsonlAppender(run_dir / EXECUTIONS) as out, progress:
        task = progress.add_task("executing", total=len(todo), status="")

        def on_result(result: ProgramResult) -> None:
            group = waiting[(result.language, result.program_sha256)]
            for index, sample in enumerate(group):
                cached = result.cached or index > 0
                out.write(verdict_record(sample, result, cached))
                summary.status_counts[result.outcome.status] += 1
                if cached:
                    summary.from_cache += 1
                else:
                    summary.executed += 1
            progress.update(task, advance=len(group), status=_short_counts(summary.status_counts))

        service.run(programs, on_result)


def _short_counts(counts: Counter[str]) -> str:
    return " ".join(f"{status}={count}" for status, count in counts.most_common(4))


def samples_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
