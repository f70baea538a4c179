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
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from calfcare.content.sources import Source
from calfcare.core.day_words import day_list
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
from calfcare.web.report_text import wrap

PAPERS = {"a4": (8.27, 11.69), "letter": (8.5, 11.0)}
MARGIN = 0.45
PNG_DPI = 150
HANG = 0.14
"""Where a list item's text starts after its mark, in inches (at full size)."""


class Layout(NamedTuple):
    """How densely the page is drawn: type size (1.0 is full size), how many details of
    each safety item (None: all), how many safety items in full (the rest are summed up in
    one line with their days)."""

    scale: float
    details: int | None
    items: int


def layouts(items: int) -> list[Layout]:
    """The whole page from roomiest to densest; type never below 85 % (the sources then
    5.8 pt). After these, `draw_page` sums up safety items."""
    tries = [Layout(s, None, items) for s in (1.0, 0.95, 0.9)]
    return [*tries, Layout(0.9, 2, items), Layout(0.85, 2, items)]


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

    def put(self, x: float, s: str, size: float, *, bold: bool = False) -> None:
        """One line of text with its top-left corner at ``x`` inches and the cursor; no
        mathtext, so a typed name with dollar signs prints as typed."""
        self.fig.text(x / self.width, self.y / self.height, s, fontsize=size, va="top",
                      ha="left", weight="bold" if bold else "normal", parse_math=False)  # fmt: skip

    def text(self, s: str, size: float = 8.0, *, bold: bool = False, indent: float = 0.0,
             width: float | None = None, gap: float = 0.02, mark: str = "") -> None:  # fmt: skip
        """A paragraph wrapped to the text column (or ``width``); with a ``mark``, a list
        item: the mark at ``indent``, every line of the text hanging after it."""
        size *= self.scale
        hang = HANG * self.scale if mark else 0.0
        usable = (width or self.text_width) - indent - hang
        line_h = size * 1.3 / 72
        for n, line in enumerate(wrap(s, size, usable, bold=bold)):
            self._room(line_h)
            if mark and n == 0:
                self.put(self.left + indent, mark, size, bold=bold)
            self.put(self.left + indent + hang, line, size, bold=bold)
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
    fig.savefig(out, format=fmt, dpi=PNG_DPI if fmt == "png" else 100)
    return out.getvalue()


def draw_page(
    report: PeriodReport, registry: Mapping[str, Source], made_on: date, paper: str = "a4"
) -> tuple[Any, Layout]:
    """The page's figure, and the `Layout` it fits at: the first of `layouts` that fits
    (smaller type, then at most two details per safety item), else the most safety items
    in full that fit at the densest, the rest (the least serious) summed up in one line
    that gives their days and says where they all are. If not even that fits, the densest
    is drawn as far as it goes."""
    from matplotlib.figure import Figure

    view = report_view(report, registry, made_on)
    width, height = PAPERS[paper]

    def attempt(layout: Layout, *, as_far_as_it_goes: bool = False) -> Any:
        fig = Figure(figsize=(width, height))
        try:
            _draw(_Page(fig, width, height, layout.scale), report, view, layout)
        except Overflow:
            return fig if as_far_as_it_goes else None
        return fig

    tries = layouts(len(view["safety"]))
    for layout in tries:
        if (fig := attempt(layout)) is not None:
            return fig, layout
    best = tries[-1]._replace(items=0)
    low, high = 0, len(view["safety"]) - 1  # the most items that fit, by halving
    while low <= high:
        middle = (low + high) // 2
        if attempt(best._replace(items=middle)) is None:
            high = middle - 1
        else:
            best, low = best._replace(items=middle), middle + 1
    return attempt(best, as_far_as_it_goes=True), best


def _draw(page: _Page, report: PeriodReport, view: dict[str, Any], layout: Layout) -> None:
    title = "calfcare report" + (f": {report.name}" if report.name else "")
    page.text(title, 14, bold=True, gap=0.04)
    page.text(
        f"{report.period} · made {view['made_on']} · recorded by the person at home with "
        "calfcare; general guidance, not a diagnosis.", 8,
    )  # fmt: skip
    _safety(page, report, view, layout)
    _sessions(page, report, view)
    _trends(page, report, view)
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
            page.text(source.citation, 6.8, gap=0.0, mark=f"{n}.")


def _safety(page: _Page, report: PeriodReport, view: dict[str, Any], layout: Layout) -> None:
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
    rows = view["safety"]
    for row in rows[: layout.items]:
        page.text(f"{row.label}, {row.days}: {row.headline}", 8.5, bold=row.attention,
                  indent=0.08, gap=0.0, mark="▲" if row.attention else "•")  # fmt: skip
        details = row.details[: layout.details]
        for detail in details:
            page.text(detail, 7.5, indent=0.3, gap=0.0, mark="-")
        if len(details) < len(row.details):
            page.text(f"and {len(row.details) - len(details)} more (see the HTML report)",
                      7.5, indent=0.3, gap=0.0, mark="-")  # fmt: skip
        page.y -= 0.02
    rest = rows[layout.items :]
    if rest:
        urgent = sum(row.attention for row in rest)
        days = day_list(day for item in report.safety[layout.items :] for day in item.days)
        page.text(
            f"{len(rest)} more safety {'item' if len(rest) == 1 else 'items'}"
            + (f" ({urgent} needing attention)" if urgent else "")
            + f", on {days}, did not fit on this page: the HTML report (calfcare report "
            "--format html, or the Report page) lists every one.",
            8.5, bold=bool(urgent), indent=0.08, gap=0.03, mark="▲" if urgent else "•",
        )  # fmt: skip


def _sessions(page: _Page, report: PeriodReport, view: dict[str, Any]) -> None:
    page.heading("2. Sessions")
    top = page.y
    side = 1.8 * page.scale
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
            page.put(page.left + x * page.scale, str(row[key]), 8.5 * page.scale, bold=bold)
        page.y -= 8.5 * page.scale * 1.45 / 72
    page.y -= 0.04
    page.text("Massaged: time actually spent on the calf (pauses not counted). Planned: what "
              "the coach's plan asked for, where there was one. Holds: tender spots held still. "
              "Right: where tender spots were held, number of sessions per place, calves seen "
              "from behind.", 7.2, width=width)  # fmt: skip
    prescribed = view["prescribed"]
    if prescribed is not None:  # beside the diagram too, where there is room
        page.y -= 0.04
        page.text("Sessions done against the prescription", 8.5, bold=True, gap=0.0, width=width)
        page.text(prescribed["words"], 8, gap=0.0, width=width)
        for week in prescribed["weeks"] or ["No week of it falls in this period."]:
            page.text(week, 8, indent=0.08, gap=0.0, mark="•", width=width)
        page.text(view["adherence_note"], 7.2, gap=0.03, width=width)
    page.y = min(page.y, top - diagram_h - 0.05)


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


def _trends(page: _Page, report: PeriodReport, view: dict[str, Any]) -> None:
    page.heading("3. Soreness and knee-to-wall")
    charts = list(report.charts)
    per_row = 4
    gap = 0.45
    # 0.3 in for the first chart's scale, 0.15 in for the last chart's last date
    chart_w = (page.text_width - gap * (per_row - 1) - 0.3 - 0.15) / per_row
    chart_h = 1.3 * page.scale
    for start in range(0, len(charts), per_row):
        page.y -= 0.18
        row = charts[start : start + per_row]
        for k, chart in enumerate(row):
            left = page.left + 0.3 + k * (chart_w + gap)
            ax = page.axes(left, chart_w, chart_h)
            _chart(ax, chart, report.first, report.last, page.scale)
            # One legend under each run of charts that share their lines (left and right).
            if chart.lines and (k == 0 or _labels(row[k - 1]) != _labels(chart)):
                run = 1
                while k + run < len(row) and _labels(row[k + run]) == _labels(chart):
                    run += 1
                middle = (run * chart_w + (run - 1) * gap) / 2 / chart_w
                ax.legend(fontsize=7 * page.scale, loc="upper center", ncol=2, frameon=False,
                          bbox_to_anchor=(middle, -0.13), handlelength=1.8,
                          handletextpad=0.4, columnspacing=1.2, borderpad=0.2)  # fmt: skip
        page.y -= chart_h + 0.5 * page.scale  # the date ticks and the legend
    for note in view["notes"]:
        page.text(note, 7.5, gap=0.0)


def _chart(ax: Any, chart: MeasureChart, first: date, last: date, scale: float) -> None:
    size = 7.5 * scale
    lo, hi = chart.y_range
    if chart.band is not None and chart.baseline is not None:
        # The band's edges are drawn too: a light fill can vanish on a black-and-white
        # printer or a photocopy, its edges do not.
        ax.axhspan(*chart.band, facecolor="0.85", edgecolor="0.4", lw=0.5)
        ax.axhline(chart.baseline, color="0.3", lw=0.6, ls=":")
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


def _labels(chart: MeasureChart) -> tuple[str, ...]:
    return tuple(line.label for line in chart.lines)
