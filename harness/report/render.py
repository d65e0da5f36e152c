"""Lay the report's view model out as a self-contained index.html and a leaderboard.md."""

from __future__ import annotations

import math
from pathlib import Path

import jinja2

from harness.report.model import FAILURE_CATEGORIES, Report
from harness.report.runs import Estimate
from harness.report.svg import trend_chart
from sandboxes.verdict import Status

TEMPLATES = Path(__file__).parent / "templates"


def pct(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{100 * value:.1f}"


def signed(value: float) -> str:
    return f"{100 * value:+.1f}"


def pvalue(value: float) -> str:
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def ci(estimate: Estimate) -> str:
    return f"[{100 * estimate.ci_low:.1f}, {100 * estimate.ci_high:.1f}]"


def md(text: str) -> str:
    """Escape what would break a Markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=autoescape,
        trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
    )
    env.filters.update(pct=pct, signed=signed, ci=ci, md=md, pvalue=pvalue)
    return env


def render_html(report: Report) -> str:
    trends = [
        {"family": t.family, "axis": t.axis, "charts": [trend_chart(label, points, t.axis) for label, points in t.series]}
        for t in report.trends
    ]
    template = _environment(True).get_template("index.html.j2")
    return template.render(
        report=report, trends=trends, failure_labels=[str(Status.PASS), *(label for label, _ in FAILURE_CATEGORIES)]
    )


def render_markdown(report: Report) -> str:
    return _environment(False).get_template("leaderboard.md.j2").render(report=report)


def write_site(report: Report, out: Path) -> list[Path]:
    """Write index.html and leaderboard.md into `out` (created); returns the paths."""
    out.mkdir(parents=True, exist_ok=True)
    html, markdown = out / "index.html", out / "leaderboard.md"
    html.write_text(render_html(report), encoding="utf-8")
    markdown.write_text(render_markdown(report), encoding="utf-8")
    return [html, markdown]
