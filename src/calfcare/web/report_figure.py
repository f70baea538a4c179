"""The one-page report drawn with matplotlib: one page of PDF, PNG or SVG.

Why matplotlib and not WeasyPrint (docs/report.md has the figures): matplotlib is already a
dependency and needs no system library, its PDF and PNG are the same drawing, and its import
costs about what WeasyPrint's does (~0.35-0.45 s) - while WeasyPrint would add seven packages
and Debian's Pango, and cannot write PNG at all. The page is laid out top-down from the same
`PeriodReport` as the HTML page (`calfcare.web.report_html`); when it would overflow the
paper, it is drawn again denser (smaller type, fewer details) until it fits.

Matplotlib is imported inside `render_page` only, and with the object API (no pyplot): the
web app calls it from worker threads.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from calfcare.content.sources import Source
from calfcare.core.levels import Leg
from calfcare.core.period_report import PeriodReport
from calfcare.core.report_series import MeasureChart
from calfcare.web.report_html import report_view
from calfcare.web.report_svg import (
    CH,
    COLUMNS,
    CW,
    DIAGRAM_SIZE,
    Y0,
    calf_cells,
    cell_box,
    grey,
    leg_left,
)

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
MARGIN = 0.45
CHAR_EM = 0.55
"""Average character width of DejaVu Sans, in ems, for wrapping."""
DENSITIES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.72)


class Overflow(Exception):
    """The page is full at this density."""


class _Page:
    """A top-down text and axes cursor on one figure, in inches."""

    def __init__(self, fig: Any, width: float, height: float, scale: float) -> None:
        self.fig, self.width, self.height, self.scale = fig, width, height, scale
        self.y = height - MARGIN
        self.left = MARGIN
        self.text_width = width - 2 * MARGIN

    def _room(self, need: float) -> None:
        if self.y - need < MARGIN - 0.02:
            raise Overflow

    def text(self, s: str, size: float = 8.0, *, bold: bool = False, indent: float = 0.0,
             width: float | None = None, gap: float = 0.02) -> None:  # fmt: skip
        size *= self.scale
        usable = (width or self.text_width) - indent
        chars = max(20, int(usable * 72 / (size * CHAR_EM)))
        line_h = size * 1.3 / 72
        for line in textwrap.wrap(s, chars) or [""]:
            self._room(line_h)
            self.fig.text(
                (self.left + indent) / self.width, self.y / self.height, line, fontsize=size,
                va="top", ha="left", weight="bold" if bold else "normal",
            )  # fmt: skip
            self.y -= line_h
        self.y -= gap

    def heading(self, s: str) -> None:
        self.y -= 0.06
        self.text(s, 10.5, bold=True, gap=0.0)
        y = self.y / self.height
        self.fig.add_artist(_line(self.left / self.width, 1 - MARGIN / self.width, y))
        self.y -= 0.05

    def axes(self, left: float, width: float, height: float, top: float | None = None) -> Any:
        top = self.y if top is None else top
        if top - height < MARGIN - 0.02:
            raise Overflow
        rect = (left / self.width, (top - height) / self.height, width / self.width,
                height / self.height)  # fmt: skip
        return self.fig.add_axes(rect)


def _line(x0: float, x1: float, y: float) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([x0, x1], [y, y], color="black", linewidth=1.0)


def render_page(
    report: PeriodReport,
    registry: Mapping[str, Source],
    made_on: date,
    fmt: str = "pdf",
    paper: str = "a4",
) -> bytes:
    """The report as one page of ``fmt`` (pdf, png or svg) on ``paper`` (a4 or letter)."""
    fig, _ = draw_page(report, registry, made_on, paper)
    out = io.BytesIO()
    fig.savefig(out, format=fmt, dpi=150 if fmt == "png" else 100)
    return out.getvalue()


def draw_page(
    report: PeriodReport, registry: Mapping[str, Source], made_on: date, paper: str = "a4"
) -> tuple[Any, float]:
    """The page's figure, and the density it fits at (1.0 is full size; below 0.85 long
    safety details are cut to two per item). At the last density the page is drawn as far
    as it goes."""
    from matplotlib.figure import Figure

    view = report_view(report, registry, made_on)
    width, height = PAPERS[paper]
    for scale in DENSITIES:
        fig = Figure(figsize=(width, height))
        try:
            _draw(_Page(fig, width, height, scale), report, view, compact=scale < 0.85)
        except Overflow:
            if scale != DENSITIES[-1]:
                continue
        return fig, scale
    raise AssertionError("unreachable")  # pragma: no cover


def _draw(page: _Page, report: PeriodReport, view: dict[str, Any], *, compact: bool) -> None:
    title = "calfcare report" + (f": {report.name}" if report.name else "")
    page.text(title, 14, bold=True, gap=0.04)
    page.text(
        f"{report.period} · made {view['made_on']} · recorded by the person at home with "
        "calfcare; general guidance, not a diagnosis.", 8,
    )  # fmt: skip
    _safety(page, report, view, compact=compact)
    _sessions(page, report, view)
    _trends(page, report, view, compact=compact)
    page.heading("4. Split-leg experiment")
    if view["split_leg"]:
        page.text("Each day a coin chose which calf to massage; the other was the comparison.", 7.5)
        for what, headline in view["split_leg"]:
            page.text(f"{what}: {headline}", 8, gap=0.03)
    else:
        page.text("No split-leg experiment ran in this period.", 8)
    if view["sources"]:
        page.y -= 0.06
        page.text("Sources", 7.5, bold=True, gap=0.0)
        for n, source in enumerate(view["sources"], 1):
            page.text(f"{n}. {source.citation}", 6.2, gap=0.0)


def _safety(page: _Page, report: PeriodReport, view: dict[str, Any], *, compact: bool) -> None:
    page.heading("1. Safety")
    attention = report.attention
    page.text(
        f"{report.checks} safety checks and {report.follow_ups} next-day checks in the period. "
        + (f"{attention} {'item needs' if attention == 1 else 'items need'} attention (marked ▲)."
           if attention else "Nothing needed urgent attention."),
        8.5, bold=bool(attention),
    )  # fmt: skip
    if not view["safety"]:
        page.text("No safety check was recorded in this period.", 8.5)
    for row in view["safety"]:
        mark = "▲ " if row.attention else "•  "
        page.text(f"{mark}{row.label}, {row.days}: {row.headline}", 8.5, bold=row.attention,
                  indent=0.08, gap=0.0)  # fmt: skip
        details = row.details[:2] if compact else row.details
        for detail in details:
            page.text(f"- {detail}", 7.5, indent=0.3, gap=0.0)
        if len(details) < len(row.details):
            page.text(f"- and {len(row.details) - len(details)} more (see the HTML report)",
                      7.5, indent=0.3, gap=0.0)  # fmt: skip
        page.y -= 0.03


def _sessions(page: _Page, report: PeriodReport, view: dict[str, Any]) -> None:
    page.heading("2. Sessions")
    top = page.y
    side = 2.0 * page.scale
    diagram_h = side * DIAGRAM_SIZE[1] / DIAGRAM_SIZE[0]
    _diagram(page.axes(page.width - MARGIN - side, side, diagram_h, top), report)
    width = page.text_width - side - 0.2
    outcomes = ", ".join(f"{n} {words}" for words, n in report.outcomes)
    page.text(f"{report.sessions} sessions on {report.session_days} days"
              + (f": {outcomes}." if outcomes else "."), 8.5, width=width)  # fmt: skip
    columns = (("Calf", "name"), ("Sessions", "sessions"), ("Massaged", "time"),
               ("Planned", "planned"), ("Holds", "holds"))  # fmt: skip
    xs = [0.0, 0.85, 1.6, 2.45, 3.2]
    for row in [{k: h for h, k in columns}, *view["calves"]]:
        bold = row["name"] == "Calf"
        for x, (_, key) in zip(xs, columns, strict=True):
            page.fig.text((page.left + x * page.scale) / page.width, page.y / page.height,
                          str(row[key]), fontsize=8.5 * page.scale, va="top",
                          weight="bold" if bold else "normal")  # fmt: skip
        page.y -= 8.5 * page.scale * 1.45 / 72
    page.y -= 0.04
    page.text("Massaged: time actually spent on the calf (pauses not counted). Planned: what "
              "the coach's plan asked for, where there was one. Holds: tender spots held still. "
              "Right: where tender spots were held, number of sessions per place, calves seen "
              "from behind.", 7.2, width=width)  # fmt: skip
    page.y = min(page.y, top - diagram_h - 0.05)
    prescribed = view["prescribed"]
    if prescribed is not None:
        page.text("Sessions done against the prescription", 8.5, bold=True, gap=0.0)
        page.text(prescribed["words"], 8, gap=0.0)
        for week in prescribed["weeks"] or ["No week of it falls in this period."]:
            page.text(f"•  {week}", 8, indent=0.08, gap=0.0)
        page.text(view["adherence_note"], 7.2, gap=0.03)


def _diagram(ax: Any, report: PeriodReport) -> None:
    from matplotlib.patches import Rectangle

    counts = {(s.leg, s.height, s.side): s.count for s in report.spots}
    most = max(counts.values(), default=0)
    w, h = DIAGRAM_SIZE
    ax.set_xlim(0, w)
    ax.set_ylim(h, 0)
    ax.set_axis_off()
    for cell in calf_cells():
        x, y = cell_box(cell)
        n = counts[(cell.leg, cell.height, cell.side)]
        ax.add_patch(Rectangle((x, y), CW, CH, facecolor=grey(n, most), edgecolor="black", lw=0.8))
        if n:
            ax.text(x + CW / 2, y + CH / 2, str(n), ha="center", va="center", fontsize=9,
                    weight="bold")  # fmt: skip
    for i, leg in enumerate(Leg):
        left = leg_left(i)
        ax.text(left + CW, 12, leg.value.upper(), ha="center", fontsize=7.5, weight="bold")
        ax.text(left + CW, 27, "knee", ha="center", fontsize=6)
        ax.text(left + CW, Y0 + 3 * CH + 11, "ankle", ha="center", fontsize=6)
        for j, side in enumerate(COLUMNS[leg]):
            ax.text(left + j * CW + CW / 2, Y0 + 3 * CH + 23, side.value, ha="center", fontsize=6)


def _trends(page: _Page, report: PeriodReport, view: dict[str, Any], *, compact: bool) -> None:
    page.heading("3. Soreness and knee-to-wall")
    charts = list(report.charts)
    per_row = 4
    gap = 0.45
    chart_w = (page.text_width - gap * (per_row - 1) - 0.3) / per_row
    chart_h = 1.3 * page.scale
    for start in range(0, len(charts), per_row):
        page.y -= 0.18
        for k, chart in enumerate(charts[start : start + per_row]):
            left = page.left + 0.3 + k * (chart_w + gap)
            _chart(page.axes(left, chart_w, chart_h), chart, report.first, report.last,
                   page.scale)  # fmt: skip
        page.y -= chart_h + 0.5 * page.scale
    for note in view["notes"]:
        page.text(note, 7.5, gap=0.0)


def _chart(ax: Any, chart: MeasureChart, first: date, last: date, scale: float) -> None:
    size = 7 * scale
    lo, hi = chart.y_range
    if chart.band is not None and chart.baseline is not None:
        ax.axhspan(*chart.band, color="0.86", lw=0)
        ax.axhline(chart.baseline, color="0.45", lw=0.6, ls=":")
    styles = (
        {"ls": "-", "marker": "o", "mfc": "black"},
        {"ls": "--", "marker": "^", "mfc": "white"},
    )
    for line, style in zip(chart.lines, styles, strict=False):
        days = [d for d, _ in line.points]
        ax.plot(days, [v for _, v in line.points], color="black", lw=0.9, ms=3.2, mec="black",
                label=line.label, **style)  # fmt: skip
    if chart.empty:
        ax.text(0.5, 0.5, "nothing recorded yet", ha="center", va="center", fontsize=size,
                transform=ax.transAxes)  # fmt: skip
    half = timedelta(hours=12)
    ax.set_xlim(datetime.combine(first, time()) - half, datetime.combine(last, time()) + half)
    ax.set_ylim(lo, hi)
    ax.set_title(chart.title, fontsize=size + 0.5, loc="left", pad=3)
    middle = first + (last - first) / 2
    ticks = sorted({first, middle, last})
    ax.set_xticks(ticks, [f"{d.day} {d:%b}" for d in ticks])
    ax.tick_params(labelsize=size - 0.5, length=2, pad=1.5)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(fontsize=size - 0.8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2,
              frameon=False, handlelength=1.6, columnspacing=0.6, handletextpad=0.4)  # fmt: skip
