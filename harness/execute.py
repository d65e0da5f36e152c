"""The execute stage: samples in a run dir -> verdicts in executions.jsonl, resumably."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from benchmarks.problem import Problem
from harness import rundir
from harness.errors import InfraError, UsageError
from harness.rundir import EXECUTIONS, GENERATIONS
from harness.samples import Sample
from sandboxes import engine
from sandboxes.bootstrap import BootstrapError
from sandboxes.cache import ResultCache
from sandboxes.executors import Executor, ExecutorUnavailable, open_executor
from sandboxes.images import ImageError
from sandboxes.program import Program, group_by_program
from sandboxes.service import ProgramResult
from sandboxes.spec import SpecError, load_spec
from sandboxes.verdict import Status


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
        "cpu_s": outcome.cpu_s,
        "stdout": outcome.stdout,
        "stderr": outcome.stderr,
        "program_sha256": result.program_sha256,
        "image": result.image_id,
        "cached": cached,
    }


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

    Owns the run dir meanwhile: a second writer is refused (rundir.RunDirBusy). `ray`: a Ray
    cluster's address ("auto", "host:port", "ray://host:port") to execute on its Docker nodes
    instead of this machine's engine (`ray_resource`: only nodes offering that resource); the
    verdicts land here the same way.
    """
    with rundir.own(run_dir, "execute"):
        return _execute_run(run_dir, problems, samples, use_cache, pool_size,
                            console or Console(stderr=True), ray, ray_resource)


def _execute_run(
    run_dir: Path, problems: Sequence[Problem], samples: Sequence[Sample] | None,
    use_cache: bool, pool_size: int | None, console: Console, ray: str | None, ray_resource: str | None,
) -> ExecutionSummary:
    if samples is not None:
        rundir.write_generations(run_dir, samples)
    else:
        samples = rundir.read_generations(run_dir)
    by_key = {(p.benchmark, p.language, p.name): p for p in problems}
    samples = _resolve_benchmarks(samples, problems)
    for sample in samples:
        if sample.problem_key not in by_key:
            raise UsageError(
                f"{run_dir / GENERATIONS}: sample for unknown problem {sample.name!r} "
                f"({sample.benchmark}, {sample.language})"
            )
    done = rundir.latest_verdicts(run_dir)
    todo = [s for s in samples if done.get(s.key, {}).get("status", Status.INFRA_ERROR) == Status.INFRA_ERROR]
    summary = ExecutionSummary(total=len(samples), already_done=len(samples) - len(todo))
    for record in done.values():
        if record["status"].is_model_verdict:
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
            rundir.update_run_json(run_dir, "sandboxes", _sandbox_fingerprint(service, languages))
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
    groups = group_by_program(
        (Program(s.language, by_key[s.problem_key].program(s.completion)), s) for s in todo
    )

    progress = Progress(
        TextColumn("[bold]executing"), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[status]}"), TimeRemainingColumn(), console=console, transient=False,
    )
    with rundir.append(run_dir, EXECUTIONS) as out, progress:
        task = progress.add_task("executing", total=len(todo), status="")

        def on_result(result: ProgramResult) -> None:
            group = groups[result.key].members
            for index, sample in enumerate(group):
                cached = result.cached or index > 0
                out.write(verdict_record(sample, result, cached))
                summary.status_counts[result.outcome.status] += 1
                if cached:
                    summary.from_cache += 1
                else:
                    summary.executed += 1
            progress.update(task, advance=len(group), status=_short_counts(summary.status_counts))

        service.run([group.program for group in groups.values()], on_result)


def _short_counts(counts: Counter[str]) -> str:
    return " ".join(f"{status}={count}" for status, count in counts.most_common(4))


def samples_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
