"""The history page's charts: soreness per calf, knee-to-wall, sessions a week; each with a
title, a description in words and its numbers as a table (`calfcare.web.charts` draws them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from calfcare import services
from calfcare.core.day_words import day_text
from calfcare.core.records import RecordSet
from calfcare.core.report_series import Line
from calfcare.web import charts


def history_charts(records: RecordSet) -> list[dict[str, Any]]:
    """The charts for the history page: soreness per calf, knee-to-wall, sessions a week;
    each with a title, a description in words and its numbers as table rows."""
    out: list[dict[str, Any]] = []
    # "right after" read as the right calf on the left calf's chart: "just after" instead.
    moments = (("before", "before a session"), ("after", "just after"), ("next_day", "next day"))
    for leg in ("left", "right"):
        by: dict[str, dict[date, list[int]]] = defaultdict(lambda: defaultdict(list))
        for item in records.soreness:
            r = item.record
            if r.leg.value == leg:
                by[r.moment.value][r.day].append(r.score)
        series = [
            Line(label, tuple((d, sum(v) / len(v)) for d, v in sorted(by[m].items())))
            for m, label in moments
        ]
        if any(s.points for s in series):
            out.append(
                _chart_entry(
                    f"chart-soreness-{leg}",
                    f"{leg.capitalize()} calf soreness (0 to 10)",
                    series,
                    "points",
                    y_min=0,
                    y_max=10,
                )
            )
    mob: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for test in records.mobility:
        t = test.record
        key = f"{t.leg.value}, {'after a session' if t.moment.value == 'after' else 'rested'}"
        mob[key][t.day].append(t.distance_cm)
    keys = ("left, rested", "right, rested", "left, after a session", "right, after a session")
    series = [
        Line(k, tuple((d, sum(v) / len(v)) for d, v in sorted(mob[k].items())))
        for k in keys
        if mob.get(k)
    ]
    if series:
        out.append(
            _chart_entry(
                "chart-knee-to-wall", "Knee-to-wall distance (cm, big toe to wall)", series, "cm"
            )
        )
    weeks = services.stats(records).sessions_per_week
    if weeks:
        bars = [charts.Bar(w.split("-")[1], n) for w, n in weeks.items()]
        desc = f"Sessions per ISO week, {len(weeks)} weeks: " + ", ".join(
            f"{w}: {n}" for w, n in weeks.items()
        )
        out.append(
            {
                "id": "chart-sessions",
                "title": "Sessions per week",
                "svg": charts.bar_chart(
                    "chart-sessions", "Sessions per week", desc, bars, unit="sessions"
                ),
                "columns": ["week", "sessions"],
                "rows": [[w, str(n)] for w, n in weeks.items()],
            }
        )
    return out


def _chart_entry(
    chart_id: str,
    title: str,
    series: list[Line],
    unit: str,
    *,
    y_min: float | None = None,
    y_max: float | None = None,
) -> dict[str, Any]:
    days = sorted({d for s in series for d, _ in s.points})
    parts = []
    for s in series:
        if s.points:
            first, last = s.points[0], s.points[-1]
            parts.append(
                f"{s.label}: {len(s.points)} days, from {first[1]:.1f} on {day_text(first[0])} "
                f"to {last[1]:.1f} on {day_text(last[0])}"
            )
    desc = f"{title} from {day_text(days[0])} to {day_text(days[-1])}. " + "; ".join(parts) + "."
    values = {s.label: dict(s.points) for s in series}
    rows = [
        [day_text(d)]
        + [
            "" if d not in values[s.label] else f"{values[s.label][d]:.1f}".removesuffix(".0")
            for s in series
        ]
        for d in days
    ]
    svg = charts.line_chart(chart_id, title, desc, series, unit=unit, y_min=y_min, y_max=y_max)
    return {
        "id": chart_id,
        "title": title,
        "svg": svg,
        "columns": ["day", *[s.label for s in series]],
        "rows": rows,
    }
