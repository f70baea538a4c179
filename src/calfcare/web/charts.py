"""Small charts as inline SVG, built by pure functions (no JavaScript, no matplotlib).

Each chart is ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that say in words what
it shows; the page puts the same numbers in a table next to it. Series differ by colour
*and* by marker shape and dash pattern, so they can be told apart without colour. Only
presentation attributes and classes are used (the CSP allows no inline ``style``); every text
is escaped. Colours come from ``calfcare.css`` (``.chart .series-N``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from calfcare.core.day_words import MONTHS
from calfcare.core.report_series import Line

WIDTH, HEIGHT = 600, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 32, 40
LEGEND_ROW = 26
DASHES = ("", "6 4", "2 4", "10 4 2 4")


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float


def _num(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _marker(kind: int, x: float, y: float) -> str:
    shape = kind % 4
    if shape == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5"/>'
    if shape == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8"/>'
    if shape == 2:
        return (
            f'<path d="M{x:.1f} {y - 5.5:.1f}L{x + 5:.1f} {y + 4:.1f}L{x - 5:.1f} {y + 4:.1f}Z"/>'
        )
    return f'<path d="M{x:.1f} {y - 5.5:.1f}L{x + 5.5:.1f} {y:.1f}L{x:.1f} {y + 5.5:.1f}L{x - 5.5:.1f} {y:.1f}Z"/>'  # noqa: E501


def _frame(chart_id: str, title: str, desc: str, body: list[str]) -> Markup:
    t, d = f"{chart_id}-title", f"{chart_id}-desc"
    head = (
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{escape(t)} {escape(d)}" '
        f'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(t)}">{escape(title)}</title>'
        f'<desc id="{escape(d)}">{escape(desc)}</desc>'
    )
    return Markup(head + "".join(body) + "</svg>")


def _y_axis(y_min: float, y_max: float, ticks: Sequence[float], unit: str, top: float) -> list[str]:
    out = ['<g class="axis">']
    for tick in ticks:
        y = _y(tick, y_min, y_max, top)
        out.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_num(tick))}</text>'
        )
    # The unit starts at the left edge: anchored at the axis like the ticks, a long one
    # ("sessions") ran off the chart.
    out.append(f'<text x="4" y="{top - 14}" text-anchor="start">{escape(unit)}</text>')
    out.append("</g>")
    return out


def _y(value: float, y_min: float, y_max: float, top: float) -> float:
    span = (y_max - y_min) or 1.0
    return top + (HEIGHT - top - BOTTOM) * (1 - (value - y_min) / span)


def _legend_top(count: int) -> float:
    """Where the plot starts: below the legend's rows (two entries a row)."""
    return TOP + LEGEND_ROW * ((count + 1) // 2)


def _legend(labels: Sequence[str]) -> list[str]:
    out = ['<g class="legend">']
    for i, label in enumerate(labels):
        x = LEFT + (WIDTH - LEFT - RIGHT) / 2 * (i % 2)
        y = 16 + LEGEND_ROW * (i // 2)
        dash = f' stroke-dasharray="{DASHES[i % 4]}"' if DASHES[i % 4] else ""
        out.append(
            f'<g class="series-{i % 4}">'
            f'<line x1="{x:.0f}" x2="{x + 28:.0f}" y1="{y}" y2="{y}"{dash}/>'
            f"{_marker(i, x + 14, y)}"
            f'<text x="{x + 36:.0f}" y="{y + 6}">{escape(label)}</text></g>'
        )
    out.append("</g>")
    return out


def nice_ticks(y_min: float, y_max: float, count: int = 5) -> list[float]:
    """Round tick values covering [y_min, y_max]."""
    span = y_max - y_min
    if span <= 0:
        return [y_min]
    raw = span / (count - 1)
    step = next(s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 50, 100) if s >= raw)
    first = step * int(y_min / step)
    ticks = []
    tick = first
    while tick <= y_max + 1e-9:
        if tick >= y_min - 1e-9:
            ticks.append(round(tick, 2))
        tick += step
    return ticks


def line_chart(
    chart_id: str,
    title: str,
    desc: str,
    series: Sequence[Line],
    *,
    unit: str,
    y_min: float | None = None,
    y_max: float | None = None,
) -> Markup:
    """Lines with markers over calendar days; the y range is fixed when given (0 to 10)."""
    values = [v for s in series for _, v in s.points]
    days = sorted({d for s in series for d, _ in s.points})
    lo = y_min if y_min is not None else (min(values) - 1 if values else 0.0)
    hi = y_max if y_max is not None else (max(values) + 1 if values else 1.0)
    if y_min is None:
        lo = float(int(lo))
    if y_max is None:
        hi = float(int(hi) + 1)
    top = _legend_top(len(series))
    body = _legend([s.label for s in series]) + _y_axis(lo, hi, nice_ticks(lo, hi, 6), unit, top)
    if days:
        first, last = days[0], days[-1]
        span = (last - first).days or 1

        def x_of(d: date) -> float:
            if first == last:
                return (LEFT + WIDTH - RIGHT) / 2
            return LEFT + 8 + (WIDTH - LEFT - RIGHT - 16) * (d - first).days / span

        labels = {first, last} | ({days[len(days) // 2]} if len(days) > 4 else set())
        body.append('<g class="axis">')
        for d in sorted(labels):
            anchor = "start" if d == first and first != last else "end" if d == last else "middle"
            if first == last:
                anchor = "middle"
            body.append(
                f'<text x="{x_of(d):.1f}" y="{HEIGHT - 12}" text-anchor="{anchor}">'
                f"{d.day} {MONTHS[d.month - 1]}</text>"
            )
        body.append("</g>")
        for i, s in enumerate(series):
            if not s.points:
                continue
            coords = [(x_of(d), _y(v, lo, hi, top)) for d, v in s.points]
            dash = f' stroke-dasharray="{DASHES[i % 4]}"' if DASHES[i % 4] else ""
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            body.append(f'<g class="series-{i % 4}"><polyline points="{path}"{dash}/>')
            body.extend(_marker(i, x, y) for x, y in coords)
            body.append("</g>")
    return _frame(chart_id, title, desc, body)


def bar_chart(chart_id: str, title: str, desc: str, bars: Sequence[Bar], *, unit: str) -> Markup:
    """Vertical bars (e.g. sessions per ISO week), labelled under each bar when room."""
    hi = float(max((b.value for b in bars), default=1) or 1)
    ticks = nice_ticks(0, hi)
    hi = max(hi, ticks[-1])
    body = _y_axis(0, hi, ticks, unit, TOP)
    if bars:
        slot = (WIDTH - LEFT - RIGHT) / len(bars)
        every = max(1, int(len(bars) / 6 + 0.999))
        for i, bar in enumerate(bars):
            x = LEFT + slot * i + slot * 0.15
            y = _y(bar.value, 0, hi, TOP)
            body.append(
                f'<rect class="bar" x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" '
                f'height="{HEIGHT - BOTTOM - y:.1f}"/>'
            )
            if i % every == 0:
                body.append(
                    f'<text class="axis" x="{x + slot * 0.35:.1f}" y="{HEIGHT - 12}" '
                    f'text-anchor="middle">{escape(bar.label)}</text>'
                )
    return _frame(chart_id, title, desc, body)
