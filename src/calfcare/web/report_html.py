"""The one-page report as HTML: the web page's part and a standalone document.

`report_view` turns a `calfcare.core.period_report.PeriodReport` into what the template
``_report.html`` shows (words, day lists, inline SVG); the web page (``/report``) and
``calfcare report --format html`` both render that template, so they are the same page.
Only Jinja2 and MarkupSafe are imported here (no FastAPI): the CLI uses it too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from calfcare.content.sources import Source
from calfcare.core.adherence import ADHERENCE_NOTE
from calfcare.core.day_words import day_list, day_text
from calfcare.core.period_report import PeriodReport
from calfcare.core.prescription import routine_words
from calfcare.core.report_series import MOBILITY_NOTE, SORENESS_NOTE
from calfcare.web.report_svg import calf_diagram, measure_chart

HERE = Path(__file__).parent
CSS = HERE / "static" / "report.css"


@dataclass(frozen=True, slots=True)
class SafetyRow:
    label: str
    days: str
    headline: str
    details: tuple[str, ...]
    attention: bool


def minutes(seconds: float) -> str:
    """Time in whole minutes, or seconds under a minute."""
    return f"{round(seconds / 60)} min" if seconds >= 60 else f"{round(seconds)} s"


def report_view(
    report: PeriodReport, registry: Mapping[str, Source], made_on: date
) -> dict[str, Any]:
    """The template's context: everything already in words."""
    charts = [(c, measure_chart(c, report.first, report.last)) for c in report.charts]
    return {
        "report": report,
        "made_on": day_text(made_on),
        "safety": [
            SafetyRow(i.label, day_list(i.days), i.headline, i.details, i.attention)
            for i in report.safety
        ],
        "calves": [
            {
                "name": f"{c.leg.value.capitalize()} calf",
                "sessions": c.sessions,
                "time": minutes(c.active_seconds),
                "planned": minutes(c.planned_seconds) if c.planned_seconds else "-",
                "holds": c.holds,
            }
            for c in report.calves
        ],
        "diagram": calf_diagram(report.spots),
        "charts": charts,
        "notes": [SORENESS_NOTE, MOBILITY_NOTE]
        + ([report.between_legs_note] if report.between_legs_note else []),
        "split_leg": list(report.split_leg_lines),
        "adherence_note": ADHERENCE_NOTE,
        "prescribed": None
        if report.prescription is None
        else {
            "words": f"Prescribed from {day_text(report.prescription.start_day)}: "
            + routine_words(report.prescription),
            "weeks": [w.words for w in report.adherence],
        },
        "sources": [registry[s] for s in report.sources if s in registry],
    }


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_document(report: PeriodReport, registry: Mapping[str, Source], made_on: date) -> str:
    """A self-contained HTML file of the report (its stylesheet inlined), to print or send."""
    css = Markup(CSS.read_text(encoding="utf-8"))  # our own static file
    template = _environment().get_template("report_document.html")
    return template.render(css=css, **report_view(report, registry, made_on))
