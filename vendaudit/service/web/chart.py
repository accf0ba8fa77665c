"""The history chart: an inline SVG of verdict counts per run, one panel per target."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from vendaudit.model import Verdict
from vendaudit.report.svg import VERDICT_COLORS
from vendaudit.service.store import RunSummary

__all__ = ["CHART_VERDICTS", "render_history_chart"]

CHART_VERDICTS = (Verdict.SATISFIED, Verdict.OUTDATED, Verdict.MISSING, Verdict.UNKNOWN)
"""The series drawn: what builds, what needs an update, what needs packaging, what is unknown."""

_W, _H, _PAD_L, _PAD_R, _PAD_T, _PAD_B = 640, 180, 44, 12, 22, 26


def _panel(target: str, runs: Sequence[RunSummary]) -> str:
    """One target's panel; ``runs`` oldest first."""
    points: dict[Verdict, list[int]] = {v: [] for v in CHART_VERDICTS}
    for r in runs:
        c = r.counts_for(target)
        for v in CHART_VERDICTS:
            points[v].append(c.count(v) if c else 0)
    top = max([1, *(n for series in points.values() for n in series)])
    n = len(runs)
    inner_w, inner_h = _W - _PAD_L - _PAD_R, _H - _PAD_T - _PAD_B

    def x(i: int) -> float:
        return _PAD_L + (inner_w * i / (n - 1) if n > 1 else inner_w / 2)

    def y(value: int) -> float:
        return _PAD_T + inner_h - inner_h * value / top

    parts = [
        f'<svg class="history" role="img" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-label="verdict counts per run in {escape(target)}">',
        f"<title>{escape(target)}: verdict counts over {n} runs</title>",
        f'<text x="{_PAD_L}" y="14" class="t">{escape(target)}</text>',
        f'<line x1="{_PAD_L}" y1="{_PAD_T + inner_h}" x2="{_W - _PAD_R}" '
        f'y2="{_PAD_T + inner_h}" stroke="#d1d9e0"/>',
        f'<text x="{_PAD_L - 6}" y="{_PAD_T + 4}" text-anchor="end" class="a">{top}</text>',
        f'<text x="{_PAD_L - 6}" y="{_PAD_T + inner_h}" text-anchor="end" class="a">0</text>',
    ]
    if runs:
        parts.append(
            f'<text x="{_PAD_L}" y="{_H - 6}" class="a">{escape(runs[0].started_at[:10])}</text>'
            f'<text x="{_W - _PAD_R}" y="{_H - 6}" text-anchor="end" class="a">'
            f"{escape(runs[-1].started_at[:10])}</text>"
        )
    for v in CHART_VERDICTS:
        series = points[v]
        if not series:
            continue
        coords = " ".join(f"{x(i):.1f},{y(val):.1f}" for i, val in enumerate(series))
        color = VERDICT_COLORS[v]
        parts.append(
            f'<polyline class="series" data-verdict="{v.value}" fill="none" stroke="{color}" '
            f'stroke-width="2" points="{coords}"><title>{v.value}: {series[-1]} now</title>'
            "</polyline>"
        )
        if n == 1:
            parts.append(f'<circle cx="{x(0):.1f}" cy="{y(series[0]):.1f}" r="3" fill="{color}"/>')
    parts.append("</svg>")
    return "".join(parts)


def render_history_chart(targets: Sequence[str], runs: Sequence[RunSummary]) -> str:
    """The chart for ``runs`` (newest first, as the store returns them), or a note."""
    ok = [r for r in reversed(runs) if r.status == "ok"]
    if not ok:
        return '<p class="muted">No successful run yet.</p>'
    legend = "".join(
        f'<span><i style="border-color:{VERDICT_COLORS[v]}"></i>{v.value}</span>'
        for v in CHART_VERDICTS
    )
    panels = "".join(_panel(t, ok) for t in targets)
    return (
        f'<figure id="history" class="chart">{panels}'
        f'<figcaption class="legend">{legend}</figcaption></figure>'
    )
