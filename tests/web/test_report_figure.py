"""The one-page report drawn with matplotlib (PDF, PNG): every word inside the page, one
page however much happened, and what does not fit summed up in words."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from calfcare.content.sources import load_sources
from calfcare.core.period_report import PeriodReport, build_report
from calfcare.core.records import RecordSet
from calfcare.web.report_figure import MARGIN, PAPERS, PNG_DPI, draw_page, render_page
from calfcare.web.report_text import text_width, wrap
from tests.month_records import a_busy_month, a_month, a_quiet_month

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 29)
MADE = date(2026, 4, 2)


def month_report(records: RecordSet, name: str | None = "Sam") -> PeriodReport:
    return build_report(records, FIRST, LAST, name, today=MADE)


def a_month_with_a_hold_still_on() -> RecordSet:
    """The longest safety lines: a hold lifted by a clearance, and one still on."""
    records = a_month()
    return replace(records, clearances=records.clearances[:1])


def texts_of(fig: Any) -> list[tuple[Text, Any]]:
    """Every drawn piece of text on the page, with its box in pixels, as the PNG sets it
    (the PDF sets text at the font's own widths, a little narrower)."""
    fig.set_dpi(PNG_DPI)
    FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return [
        (t, t.get_window_extent())
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    ]


MONTHS = {
    "hold still on": a_month_with_a_hold_still_on,
    "quiet": a_quiet_month,
    "busy": a_busy_month,
}


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("month", MONTHS)
def test_every_word_is_inside_the_page_and_the_text_inside_the_margins(
    month: str, paper: str
) -> None:
    """The bold hold lines ran past the right edge ("...until 8 Mar 2026, when" cut off)."""
    fig, _ = draw_page(month_report(MONTHS[month]()), load_sources(), MADE, paper)
    width, height = PAPERS[paper]
    texts = texts_of(fig)
    dpi = fig.dpi
    assert len(texts) > 60
    for text, box in texts:
        assert box.x0 >= 0 and box.y0 >= 0, text.get_text()
        assert box.x1 <= width * dpi and box.y1 <= height * dpi, text.get_text()
    for text in fig.texts:  # the paragraphs (not the charts): within the margins
        box = text.get_window_extent()
        inside = MARGIN * dpi - 1, (width - MARGIN) * dpi + 1
        assert inside[0] <= box.x0 and box.x1 <= inside[1], text.get_text()
        assert box.y0 >= MARGIN * dpi - 3, text.get_text()


def test_a_busy_month_stays_one_page_and_says_what_it_left_out() -> None:
    report = month_report(a_busy_month())
    fig, layout = draw_page(report, load_sources(), MADE, "letter")
    assert layout.items < len(report.safety)  # it would not fit whole
    words = " ".join(t.get_text() for t in fig.texts)
    left_out = report.safety[layout.items :]
    urgent = sum(item.attention for item in left_out)
    assert urgent > 0
    assert f"{len(left_out)} more safety items ({urgent} needing attention)" in words
    assert "lists every one" in words
    # The most serious come first, so what is shown is never less serious than what is not.
    shown = report.safety[: layout.items]
    assert min(i.rank for i in shown) >= max(i.rank for i in left_out)
    assert "Sources" in words and "4. Split-leg experiment" in words  # the page goes on
    for paper in PAPERS:
        pdf = render_page(report, load_sources(), MADE, "pdf", paper)
        assert len(re.findall(rb"/Type /Page\b", pdf)) == 1


def test_a_usual_month_is_whole_at_a_readable_size() -> None:
    for records in (a_month_with_a_hold_still_on(), a_quiet_month()):
        report = month_report(records)
        for paper in PAPERS:
            _, layout = draw_page(report, load_sources(), MADE, paper)
            assert layout.items == len(report.safety) and layout.scale >= 0.85


def test_a_name_with_dollar_signs_prints_as_typed() -> None:
    """matplotlib reads $...$ as mathematics by default: "$\\foo$" stopped the report."""
    report = month_report(a_quiet_month(), name="Sam $\\foo$ $x^2$")
    fig, _ = draw_page(report, load_sources(), MADE)
    assert "calfcare report: Sam $\\foo$ $x^2$" in [t.get_text() for t in fig.texts]
    assert render_page(report, load_sources(), MADE, "png").startswith(b"\x89PNG")


words = st.text(st.characters(codec="latin-1", exclude_categories=["Cc", "Zs"]), min_size=1)


@given(st.lists(words, max_size=40), st.floats(0.5, 7.0), st.sampled_from([6.0, 8.5, 14.0]))
def test_wrapped_lines_fit_and_keep_every_character(
    parts: list[str], width: float, size: float
) -> None:
    for bold in (False, True):
        lines = wrap(" ".join(parts), size, width, bold=bold)
        assert "".join(lines).replace(" ", "") == "".join(parts)
        for line in lines:
            assert len(line) == 1 or text_width(line, size, bold) <= width
