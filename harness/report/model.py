"""Pure: scored runs -> the view model of the report (leaderboard, trends, changes, ...).

No I/O and no HTML here, so every number on the page is testable as data and the HTML and
Markdown renderers only lay it out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from harness.report.compare import PairedDelta, compare_language
from harness.report.fingerprints import differences, group_id
from harness.report.runs import Estimate, LanguageKey, RunScores, latest_first
from sandboxes.verdict import Status

#: Failure categories of the breakdown, in display order: (label, statuses).
FAILURE_CATEGORIES: tuple[tuple[str, tuple[Status, ...]], ...] = (
    ("wrong answer", (Status.FAIL,)),
    ("compile error", (Status.COMPILE_ERROR,)),
    ("runtime error", (Status.RUNTIME_ERROR,)),
    ("timeout", (Status.TIMEOUT,)),
    ("resource limit", (Status.OOM, Status.OUTPUT_LIMIT)),
)


@dataclass(frozen=True)
class Column:
    key: LanguageKey
    label: str


@dataclass(frozen=True)
class Cell:
    estimate: Estimate | None
    clean: Estimate | None = None
    note: str = ""  # why there is no number (refused k, language not run)
    incomparable: tuple[str, ...] = ()  # sandbox differences vs the reference run


@dataclass(frozen=True)
class LeaderRow:
    run: RunScores
    rank: int | None
    average: float | None
    covered: int
    cells: tuple[Cell, ...]
    incomparable: tuple[str, ...]  # run-wide differences vs the reference run
    group: str


@dataclass(frozen=True)
class Leaderboard:
    k: int
    columns: tuple[Column, ...]
    rows: tuple[LeaderRow, ...]


@dataclass(frozen=True)
class TrendPoint:
    x: float
    x_label: str
    estimate: float
    ci_low: float
    ci_high: float
    run: str


@dataclass(frozen=True)
class Trend:
    family: str
    axis: str  # "step" or "date"
    series: tuple[tuple[str, tuple[TrendPoint, ...]], ...]  # (language label | "average", points)


@dataclass(frozen=True)
class Change:
    title: str
    candidate: RunScores
    baseline: RunScores
    incomparable: tuple[str, ...]
    deltas: tuple[tuple[Column, PairedDelta | None, tuple[str, ...]], ...]  # column, delta, sandbox diffs


@dataclass(frozen=True)
class FailureRow:
    column: Column
    total: int
    counts: tuple[tuple[str, int], ...]  # ("pass", n), then FAILURE_CATEGORIES
    truncated: int
    infra_errors: int


@dataclass(frozen=True)
class InfraRow:
    run: str
    column: Column
    infra_errors: int
    missing: int
    verdicts: int


@dataclass(frozen=True)
class CleanRow:
    column: Column
    full: Estimate | None
    clean: Estimate | None
    excluded: int


@dataclass(frozen=True)
class FingerprintRow:
    run: RunScores
    group: str
    incomparable: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]


@dataclass
class Report:
    title: str
    generated: datetime
    head: RunScores
    runs: list[RunScores]
    leaderboards: list[Leaderboard]
    trends: list[Trend]
    changes: list[Change]
    failures: list[FailureRow]
    infra: list[InfraRow]
    clean: list[CleanRow]
    fingerprints: list[FingerprintRow]
    notes: list[str] = field(default_factory=list)

    @property
    def has_clean(self) -> bool:
        return any(row.clean is not None for row in self.clean)


def columns_of(runs: Sequence[RunScores]) -> list[Column]:
    """Benchmark x language columns; labelled by language unless two benchmarks share one."""
    keys = sorted({key for run in runs for key in run.language_keys()}, key=lambda k: (k[1], k[0]))
    languages = [lang for _, lang in keys]
    return [
        Column(key, key[1] if languages.count(key[1]) == 1 else f"{key[1]} ({key[0]})") for key in keys
    ]


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_leaderboard(runs: Sequence[RunScores], reference: RunScores, columns: Sequence[Column], k: int) -> Leaderboard:
    """Rows ranked by the average over languages; runs not comparable with `reference` get no rank.

    Runs that cover all of the reference run's languages rank above runs that cover fewer,
    so a one-language run can't top the board on its best language.
    """
    wanted = {c.key for c in columns if reference.result(c.key) is not None}
    rows = []
    for run in runs:
        run_diffs = tuple(differences(run.fingerprint, reference.fingerprint))
        cells = []
        for column in columns:
            result = run.result(column.key)
            if result is None:
                cells.append(Cell(None, note="not run"))
                continue
            clean = run.result(column.key, "clean")
            sandbox = tuple(
                d for d in differences(run.fingerprint, reference.fingerprint, column.key[1]) if d not in run_diffs
            ) if reference.result(column.key) is not None else ()
            cells.append(Cell(
                estimate=result.pass_at_k.get(k),
                clean=clean.pass_at_k.get(k) if clean else None,
                note=result.refused_k.get(k, "" if k in result.pass_at_k else f"pass@{k} not computed"),
                incomparable=sandbox,
            ))
        values = [c.estimate.estimate for c in cells if c.estimate is not None]
        rows.append((run, _mean(values), len(values), tuple(cells), run_diffs))
    def complete(run: RunScores) -> bool:
        return all(run.result(key) is not None for key in wanted)

    ranked = sorted(
        (r for r in rows if not r[4] and r[1] is not None),
        key=lambda r: (not complete(r[0]), -(r[1] or 0.0), r[0].name),
    )
    ranks = {id(r[0]): i for i, r in enumerate(ranked, start=1)}
    ordered = ranked + sorted((r for r in rows if id(r[0]) not in ranks), key=lambda r: -(r[1] or -1.0))
    return Leaderboard(k, tuple(columns), tuple(
        LeaderRow(run, ranks.get(id(run)), avg, covered, cells, diffs, group_id(run.fingerprint))
        for run, avg, covered, cells, diffs in ordered
    ))


def _x_of(run: RunScores, by_step: bool) -> tuple[float, str]:
    if by_step:
        return float(run.step or 0), f"step {run.step}"
    if run.created is None:
        return 0.0, "undated"
    return run.created.timestamp(), run.created.strftime("%Y-%m-%d %H:%M")


def build_trends(runs: Sequence[RunScores], columns: Sequence[Column], k: int = 1) -> list[Trend]:
    """pass@k over steps (when every run of the family has one) or dates, per family and language."""
    families: dict[str, list[RunScores]] = defaultdict(list)
    for run in runs:
        families[run.family].append(run)
    trends = []
    for family, members in sorted(families.items()):
        by_step = all(run.step is not None for run in members)
        members = sorted(members, key=lambda r: (r.step or 0, r.sort_time) if by_step else (r.sort_time, r.name))

        series = []
        averages: dict[str, list[float]] = defaultdict(list)
        for column in columns:
            points = []
            for run in members:
                result = run.result(column.key)
                value = result.pass_at_k.get(k) if result else None
                if value is None:
                    continue
                x, x_label = _x_of(run, by_step)
                points.append(TrendPoint(x, x_label, value.estimate, value.ci_low, value.ci_high, run.label))
                averages[run.name].append(value.estimate)
            if points:
                series.append((column.label, tuple(points)))
        average_points = []
        for run in members:
            if averages.get(run.name):
                avg = sum(averages[run.name]) / len(averages[run.name])
                x, x_label = _x_of(run, by_step)
                average_points.append(TrendPoint(x, x_label, avg, avg, avg, run.label))
        if series:
            trends.append(Trend(family, "step" if by_step else "date", (("average", tuple(average_points)), *series)))
    return trends


def build_change(
    title: str, candidate: RunScores, baseline: RunScores, columns: Sequence[Column], resamples: int = 2000
) -> Change:
    run_diffs = tuple(differences(candidate.fingerprint, baseline.fingerprint))
    deltas = []
    for column in columns:
        if candidate.result(column.key) is None and baseline.result(column.key) is None:
            continue
        sandbox = tuple(
            d for d in differences(candidate.fingerprint, baseline.fingerprint, column.key[1]) if d not in run_diffs
        )
        deltas.append((column, compare_language(candidate, baseline, column.key, 1, resamples), sandbox))
    return Change(title, candidate, baseline, run_diffs, tuple(deltas))


def previous_run(runs: Sequence[RunScores], head: RunScores) -> RunScores | None:
    """The newest run older than `head`, preferring the same model family."""
    older = [r for r in latest_first(runs) if r is not head and r.sort_time <= head.sort_time]
    same_family = [r for r in older if r.family == head.family]
    return (same_family or older or [None])[0]


def build_failures(run: RunScores, columns: Sequence[Column]) -> list[FailureRow]:
    rows = []
    for column in columns:
        result = run.result(column.key)
        if result is None:
            continue
        counts = result.status_counts
        model_total = sum(v for s, v in counts.items() if s != Status.INFRA_ERROR)
        cells = [(str(Status.PASS), counts.get(Status.PASS, 0))]
        cells += [(label, sum(counts.get(s, 0) for s in statuses)) for label, statuses in FAILURE_CATEGORIES]
        rows.append(FailureRow(column, model_total, tuple(cells), result.truncated, result.infra_errors))
    return rows


def build_infra(runs: Sequence[RunScores], columns: Sequence[Column]) -> list[InfraRow]:
    """Every (run, language) where the sandbox failed or verdicts are missing."""
    rows = []
    for run in runs:
        for column in columns:
            result = run.result(column.key)
            if result and (result.infra_errors or result.missing):
                rows.append(InfraRow(run.label, column, result.infra_errors, result.missing, result.verdicts))
    return rows


def build_clean(run: RunScores, columns: Sequence[Column], k: int = 1) -> list[CleanRow]:
    rows = []
    for column in columns:
        full, clean = run.result(column.key), run.result(column.key, "clean")
        if full is None:
            continue
        rows.append(CleanRow(
            column, full.pass_at_k.get(k), clean.pass_at_k.get(k) if clean else None,
            len(clean.excluded) if clean else 0,
        ))
    return rows


def _fingerprint_fields(run: RunScores) -> tuple[tuple[str, str], ...]:
    fp = run.fingerprint
    gen = run.generation
    bench = fp.get("benchmark") if isinstance(fp.get("benchmark"), dict) else {}
    params = gen.get("params") if isinstance(gen.get("params"), dict) else {}
    sandboxes = fp.get("sandboxes") if isinstance(fp.get("sandboxes"), dict) else {}
    host = fp.get("host") if isinstance(fp.get("host"), dict) else {}
    toolchains = ", ".join(
        f"{lang}: {info.get('toolchain', '?')}" for lang, info in sorted(sandboxes.items()) if isinstance(info, dict)
    )
    fields = [
        ("model", run.model),
        ("checkpoint source", str(gen.get("model") or "—")),
        ("revision", run.revision or "—"),
        ("checkpoint", str(gen.get("checkpoint_sha256") or "—")[:16]),
        ("backend", " ".join(str(gen.get(k)) for k in ("backend", "backend_version") if gen.get(k)) or "—"),
        ("generation", ", ".join(f"{k}={v}" for k, v in sorted(params.items())) or "—"),
        ("benchmark", " ".join(str(bench.get(k)) for k in ("name", "source") if bench.get(k)) or "—"),
        ("toolchains", toolchains or "—"),
        ("polypass", str((fp.get("polypass") or {}).get("version", "—")) if isinstance(fp.get("polypass"), dict) else "—"),
        ("host", str(host.get("cpu", "—"))),
    ]
    return tuple(fields)


def build_report(
    runs: Sequence[RunScores], *, title: str = "polypass leaderboard", head_name: str | None = None,
    baseline_name: str | None = None, generated: datetime | None = None, resamples: int = 2000,
) -> Report:
    """The whole report; `head` is the newest run unless named, `baseline` a run name or None."""
    from harness.errors import UsageError

    if not runs:
        raise UsageError("no scored runs to report (give run directories with scores.json, or --db)")
    ordered = latest_first(runs)
    by_name = {run.name: run for run in ordered}
    for flag, name in (("--head", head_name), ("--baseline", baseline_name)):
        if name is not None and name not in by_name:
            raise UsageError(f"{flag}: no run named {name!r} (known: {', '.join(sorted(by_name))})")
    head = by_name[head_name] if head_name else ordered[0]
    columns = columns_of(ordered)
    ks = sorted({k for run in ordered for k in run.ks} or {1})
    changes = []
    previous = previous_run(ordered, head)
    if previous is not None:
        changes.append(build_change(f"since the previous run ({previous.label})", head, previous, columns, resamples))
    if baseline_name:
        baseline = by_name[baseline_name]
        changes.append(build_change(f"since the baseline ({baseline.label})", head, baseline, columns, resamples))
    notes = []
    incomparable = [r for r in ordered if differences(r.fingerprint, head.fingerprint)]
    if incomparable:
        notes.append(
            f"{len(incomparable)} run(s) differ from {head.label} in benchmark or generation settings: "
            "they are listed unranked and marked ≠."
        )
    return Report(
        title=title,
        generated=generated or datetime.now().astimezone(),
        head=head,
        runs=ordered,
        leaderboards=[build_leaderboard(ordered, head, columns, k) for k in ks],
        trends=build_trends(ordered, columns),
        changes=changes,
        failures=build_failures(head, columns),
        infra=build_infra(ordered, columns),
        clean=build_clean(head, columns),
        fingerprints=[
            FingerprintRow(run, group_id(run.fingerprint), tuple(differences(run.fingerprint, head.fingerprint)),
                           _fingerprint_fields(run))
            for run in ordered
        ],
        notes=notes,
    )
