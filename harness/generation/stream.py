"""Drive a backend over a run's problems, streaming samples to generations.jsonl.

Every finished sample is appended (and flushed) at once, so a killed run loses at most the
samples in flight; a rerun reads what is there and generates only the missing
(problem, sample) slots, with the same per-sample seeds. At temperature 0 every sample of a
problem is the same, so one is generated and copied to the other slots.

Under `torchrun` / `accelerate launch` (WORLD_SIZE > 1) each rank generates its share into its
own shard and rank 0 merges the shards at the end (see `parallel`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from benchmarks.problem import Problem
from harness import rundir
from harness.errors import UsageError
from harness.generation.base import Backend, GenerationParams, Job
from harness.generation.parallel import DistEnv, ProcessGroup
from harness.generation.seeds import sample_seed
from harness.naming import model_name
from harness.rundir import GENERATIONS
from harness.samples import Sample, SampleKey

#: run.json `generation` keys that must match for new samples to join old ones.
IDENTITY_KEYS = ("backend", "model", "revision", "checkpoint_sha256", "peft", "gguf_file", "dtype", "params")



@dataclass
class GenerateSummary:
    total: int = 0
    already_done: int = 0
    generated: int = 0
    copied: int = 0
    tokens: int = 0
    seconds: float = 0.0
    finish_reasons: Counter[str] = field(default_factory=Counter)
    merged: int = 0  # samples moved from rank shards into generations.jsonl

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


def check_same_generation(run_dir: Path, section: dict[str, Any], has_samples: bool) -> None:
    """Refuse to mix samples of different models or parameters in one run directory."""
    previous = rundir.read_run_json(run_dir).get("generation")
    if not previous or not has_samples:
        return
    for key in IDENTITY_KEYS:
        if previous.get(key) != section.get(key):
            raise UsageError(
                f"{run_dir}: holds samples made with a different {key} "
                f"({previous.get(key)!r}, now {section.get(key)!r}); use a new --out"
            )


def plan_jobs(
    problems: Sequence[Problem], backend: Backend, params: GenerationParams, done: dict[SampleKey, Sample],
    dist: DistEnv | None = None,
) -> tuple[list[Job], dict[tuple[str, str, str], list[tuple[int, int]]], list[Sample], int]:
    """(jobs, greedy copies to make per problem, copies ready now, total slots) of this rank's share.

    Units of work are numbered in problem order, whatever is already done, and rank r of w owns
    units r, r + w, ...: a whole problem when its samples are greedy copies, else one sample.
    """
    dist = dist or DistEnv()
    jobs: list[Job] = []
    copies: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    ready: list[Sample] = []
    total = 0
    unit = 0
    for problem in problems:
        available = backend.available(problem)
        n = params.n_samples if params.n_samples is not None else (available or 1)  # None: all there are
        if available is not None:
            n = min(n, available)
        greedy_copies = params.greedy and backend.copies_greedy
        if greedy_copies:
            mine = list(range(n)) if dist.owns(unit) else []
            unit += 1
        else:
            mine = [i for i in range(n) if dist.owns(unit + i)]
            unit += n
        total += len(mine)
        pkey = (problem.benchmark, problem.language, problem.name)
        slots = [
            (i, sample_seed(params.seed, *pkey, i)) for i in mine if (*pkey, i) not in done
        ]
        if not slots:
            continue
        if greedy_copies:
            model = next((done[(*pkey, i)] for i in range(n) if (*pkey, i) in done), None)
            if model is not None:
                ready.extend(_copy(model, slots))
                continue
            copies[pkey] = slots[1:]
            slots = slots[:1]
        jobs.append(Job(problem, backend.render(problem, params), tuple(slots)))
    return jobs, copies, ready, total


def _copy(model: Sample, slots: Sequence[tuple[int, int]]) -> list[Sample]:
    return [
        Sample(name=model.name, language=model.language, sample=index, completion=model.completion,
               finish_reason=model.finish_reason, tokens=model.tokens, seed=seed, benchmark=model.benchmark)
        for index, seed in slots
    ]


def generate_run(
    run_dir: Path,
    problems: Sequence[Problem],
    backend: Backend,
    params: GenerationParams,
    *,
    name: str | None = None,
    console: Console | None = None,
) -> GenerateSummary:
    """Generate every missing sample of `problems` into `run_dir/generations.jsonl`; `name` is
    how the model is called in run.json (default: derived from the backend's model).

    Under torchrun / accelerate launch (WORLD_SIZE > 1): this rank's share, into its shard;
    after a barrier rank 0 merges all shards into generations.jsonl. The process (rank 0) owns
    the run dir meanwhile: a second writer is refused (rundir.RunDirBusy).
    """
    dist = DistEnv.from_env()
    with rundir.own(run_dir, "generate") if dist.is_main else nullcontext():
        if not dist.enabled:
            return _generate(run_dir, problems, backend, params, name, console, dist)
        with ProcessGroup(dist) as group:
            summary = _generate(run_dir, problems, backend, params, name, console, dist)
            group.barrier()
            if dist.is_main:
                summary.merged = _merge_shards(run_dir, problems)
    return summary


def _merge_shards(run_dir: Path, problems: Sequence[Problem]) -> int:
    """Merge rank shards into generations.jsonl in problem order, then sample order."""
    order = {(p.benchmark, p.language, p.name): i for i, p in enumerate(problems)}
    return rundir.merge_shards(run_dir, lambda key: (order.get(key[:3], len(order)), key))


def _generate(
    run_dir: Path, problems: Sequence[Problem], backend: Backend, params: GenerationParams,
    name: str | None, console: Console | None, dist: DistEnv,
) -> GenerateSummary:
    console = console or Console(stderr=True)
    merged = 0
    if not dist.enabled:
        merged = _merge_shards(run_dir, problems)  # shards a parallel run left behind
    done = rundir.existing_samples(run_dir)
    relevant = {(p.benchmark, p.language, p.name) for p in problems}
    backend.prepare(problems, params)
    described = backend.describe()
    section = {"name": name or model_name(str(described.get("model") or "")), **described,
               "params": params.to_dict(), "data_parallel": dist.world_size}
    check_same_generation(run_dir, section, any(k[:3] in relevant for k in done))
    if dist.is_main:
        rundir.update_run_json(run_dir, "generation", section)

    jobs, copies, ready, total = plan_jobs(problems, backend, params, done, dist)
    summary = GenerateSummary(total=total, merged=merged)
    todo = sum(len(j.slots) for j in jobs) + sum(len(c) for c in copies.values())
    summary.already_done = total - todo - len(ready)
    title = f"[bold]generating ({dist.label})" if dist.enabled else "[bold]generating"
    progress = Progress(
        TextColumn(title), BarColumn(), MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"), TimeRemainingColumn(), console=console,
        disable=not dist.is_main,
    )
    started = time.monotonic()
    out_file = rundir.append_shard(run_dir, dist.shard_name) if dist.enabled else rundir.append(run_dir, GENERATIONS)
    with out_file as out, progress:
        task = progress.add_task("generating", total=todo + len(ready), rate="")

        def write(sample: Sample, copied: bool) -> None:
            out.write(sample.to_dict())
            if copied:
                summary.copied += 1
            else:
                summary.generated += 1
                summary.tokens += sample.tokens or 0
            if sample.finish_reason:
                summary.finish_reasons[sample.finish_reason] += 1
            elapsed = time.monotonic() - started
            rate = f"{summary.tokens / elapsed:.0f} tok/s" if elapsed > 0 and summary.tokens else ""
            progress.update(task, advance=1, rate=rate)

        for sample in ready:
            write(sample, copied=True)

        def emit(sample: Sample) -> None:
            write(sample, copied=False)
            for copy in _copy(sample, copies.pop((sample.benchmark, sample.language, sample.name), [])):
                write(copy, copied=True)

        if jobs:
            backend.generate(jobs, params, emit)
    summary.seconds = time.monotonic() - started
    return summary
