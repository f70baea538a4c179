"""The one-page report's pictures as inline SVG: the calf diagram and the measure charts.

Black, white and greys only, told apart by dash and marker shape, so a black-and-white
printout reads as well as the screen. Presentation attributes only (the CSP allows no inline
``style``); every text is escaped. `calf_cells` is the diagram's layout, shared with the
PDF/PNG drawing (`calfcare.web.report_figure`), so both put each spot in the same place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

from calfcare.core.day_words import day_text
from calfcare.core.levels import Leg
from calfcare.core.period_report import SpotCount
from calfcare.core.records import SpotHeight, SpotSide
from calfcare.core.report_series import MeasureChart

ROWS = (SpotHeight.UPPER, SpotHeight.MIDDLE, SpotHeight.LOWER)
COLUMNS = {
    # Seen from behind: the left leg is on the left, its inner side towards the middle.
    Leg.LEFT: (SpotSide.OUTER, SpotSide.INNER),
    Leg.RIGHT: (SpotSide.INNER, SpotSide.OUTER),
}
DASH = ("", "5 3")
CW, CH, X0, Y0, GAP = 38, 44, 16, 34, 28
"""The diagram's geometry, in its own units: cell width and height, margins, the gap
between the legs."""
DIAGRAM_SIZE = (X0 * 2 + 4 * CW + GAP, Y0 + 3 * CH + 30)


@dataclass(frozen=True, slots=True)
class Cell:
    """Where one spot goes: column 0-3 across both legs (a gap between 1 and 2), row 0-2
    from the knee down."""

    leg: Leg
    height: SpotHeight
    side: SpotSide
    column: int
    row: int


def calf_cells() -> tuple[Cell, ...]:
    return tuple(
        Cell(leg, height, side, 2 * i + COLUMNS[leg].index(side), ROWS.index(height))
        for i, leg in enumerate(Leg)
        for height in ROWS
        for side in COLUMNS[leg]
    )


def cell_box(cell: Cell) -> tuple[float, float]:
    """The top-left corner of a cell (y down, as in SVG)."""
    return X0 + cell.column * CW + (GAP if cell.column >= 2 else 0), Y0 + cell.row * CH


def leg_left(i: int) -> float:
    """Where the ``i``-th leg's cells start."""
    return X0 + i * (2 * CW + GAP)


def grey(count: int, most: int) -> str:
    """White for none, darker for more (at most a mid grey, so a number stays readable)."""
    if count == 0 or most == 0:
        return "#ffffff"
    level = round(235 - 120 * count / most)
    return f"#{level:02x}{level:02x}{level:02x}"


def calf_diagram(spots: Sequence[SpotCount]) -> Markup:
    """Both calves seen from behind, each in upper/middle/lower x inner/outer; each cell
    says how many sessions held a tender spot there."""
    counts = {(s.leg, s.height, s.side): s.count for s in spots}
    most = max(counts.values(), default=0)
    cw, ch, y0 = CW, CH, Y0
    body = []
    for i, leg in enumerate(Leg):
        left = leg_left(i)
        body.append(
            f'<text x="{left + cw}" y="16" text-anchor="middle" font-weight="bold">'
            f"{leg.value.upper()}</text>"
            f'<text x="{left + cw}" y="28" text-anchor="middle" font-size="9">knee</text>'
            f'<text x="{left + cw}" y="{y0 + 3 * ch + 12}" text-anchor="middle" '
            f'font-size="9">ankle</text>'
        )
        for j, side in enumerate(COLUMNS[leg]):
            body.append(
                f'<text x="{left + j * cw + cw / 2}" y="{y0 + 3 * ch + 24}" '
                f'text-anchor="middle" font-size="9">{side.value}</text>'
            )
    for cell in calf_cells():
        n = counts.get((cell.leg, cell.height, cell.side), 0)
        x, y = cell_box(cell)
        body.append(
            f'<rect x="{x}" y="{y}" width="{cw}" height="{ch}" fill="{grey(n, most)}" '
            f'stroke="#000" stroke-width="1"/>'
        )
        if n:
            body.append(
                f'<text x="{x + cw / 2}" y="{y + ch / 2 + 5}" text-anchor="middle" '
                f'font-size="14" font-weight="bold">{n}</text>'
            )
    width, height = DIAGRAM_SIZE
    total = sum(counts.values())
    desc = (
        f"Tender spots held in {total} places over the period: "
        + "; ".join(
            f"{s.leg.value} {s.height.value} {s.side.value}: {s.count}" for s in spots if s.count
        )
        if total
        else "No tender spots were recorded in this period."
    )
    return _svg("calf-diagram", "Where tender spots were held, seen from behind", desc,
                width, height, body)  # fmt: skip


def _svg(
    svg_id: str, title: str, desc: str, width: float, height: float, body: list[str]
) -> Markup:
    return Markup(
        f'<svg class="report-svg" id="{escape(svg_id)}" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'role="img" aria-labelledby="{escape(svg_id)}-t {escape(svg_id)}-d" '
        f'font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{escape(svg_id)}-t">{escape(title)}</title>'
        f'<desc id="{escape(svg_id)}-d">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def _marker(kind: int, x: float, y: float) -> str:
    if kind == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.2" fill="#000"/>'
    return (
        f'<path d="M{x:.1f} {y - 4.2:.1f}L{x + 4:.1f} {y + 3:.1f}L{x - 4:.1f} '
        f'{y + 3:.1f}Z" fill="#fff" stroke="#000" stroke-width="1.2"/>'
    )


def measure_chart(chart: MeasureChart, first: date, last: date) -> Markup:
    """One leg's measure over the period, with its band around the first value."""
    w, h, left, right, top, bottom = 300, 190, 34, 10, 52, 24
    lo, hi = chart.y_range
    span_days = max(1, (last - first).days)

    def x_of(d: date) -> float:
        return left + (w - left - right) * (d - first).days / span_days

    def y_of(v: float) -> float:
        clipped = min(max(v, lo), hi)
        return top + (h - top - bottom) * (1 - (clipped - lo) / ((hi - lo) or 1))

    body = []
    if chart.band is not None and chart.baseline is not None:
        y1, y2 = y_of(chart.band[1]), y_of(chart.band[0])
        body.append(
            f'<rect x="{left}" y="{y1:.1f}" width="{w - left - right}" height="{y2 - y1:.1f}" '
            f'fill="#dcdcdc" stroke="#666" stroke-width="0.6"/>'
            f'<line x1="{left}" x2="{w - right}" y1="{y_of(chart.baseline):.1f}" '
            f'y2="{y_of(chart.baseline):.1f}" stroke="#444" stroke-dasharray="1 2"/>'
        )
    step = 2.0 if hi - lo <= 12 else 5.0
    tick = lo
    while tick <= hi + 1e-9:
        y = y_of(tick)
        body.append(
            f'<line x1="{left - 3}" x2="{left}" y1="{y:.1f}" y2="{y:.1f}" stroke="#000"/>'
            f'<text x="{left - 5}" y="{y + 4.5:.1f}" text-anchor="end" font-size="13">'
            f"{tick:g}</text>"
        )
        tick += step
    body.append(f'<path d="M{left} {top}V{h - bottom}H{w - right}" fill="none" stroke="#000"/>')
    for d, anchor in ((first, "start"), (last, "end")):
        body.append(
            f'<text x="{x_of(d):.1f}" y="{h - 5}" text-anchor="{anchor}" font-size="13">'
            f"{d.day} {d:%b}</text>"
        )
    for i, line in enumerate(chart.lines):
        ly = 12 + 19 * i
        dash = f' stroke-dasharray="{DASH[i]}"' if DASH[i] else ""
        body.append(
            f'<line x1="4" x2="26" y1="{ly}" y2="{ly}" stroke="#000"{dash}/>'
            f"{_marker(i, 15, ly)}"
            f'<text x="32" y="{ly + 4.5}" font-size="13">{escape(line.label)}</text>'
        )
        if not line.points:
            continue
        path = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in line.points)
        body.append(
            f'<polyline points="{path}" fill="none" stroke="#000" stroke-width="1.5"{dash}/>'
        )
        body.extend(_marker(i, x_of(d), y_of(v)) for d, v in line.points)
    if chart.empty:
        body.append(
            f'<text x="{w / 2}" y="{h / 2 + 4}" text-anchor="middle" font-size="14">'
            "nothing recorded yet</text>"
        )
    desc = "; ".join(
        f"{line.label}: " + (", ".join(f"{day_text(d)} {v:g}" for d, v in line.points) or "none")
        for line in chart.lines
    )
    return _svg(chart.key, chart.title, desc, w, h, body)
