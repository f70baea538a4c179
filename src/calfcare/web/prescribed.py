"""The signed-in person's prescription where the person meets it (server mode): the home
page leads with it, and the plan builder starts from it.

The safety state always wins (`core.prescription.under_safety`): during a hold, before a
new safety check, or when the screening allows no massage, the home page shows the safety
message first and the prescription as paused; when the screening only narrows it (fewer
calves, gentle), it says so. The plan builder starts from the prescription's calves, time
and firmness (`options_of`), never plans firmer than its cap (`capped`), and the safety
gate still decides the plan.

Personal mode has no prescriptions: `prescribed_for` answers None there without reading
anything or leaving the event loop, so personal mode's pages stay as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, cast

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool

from calfcare import services
from calfcare.core.adherence import WeekAdherence, this_week
from calfcare.core.day_words import day_text
from calfcare.core.prescription import (
    Prescription,
    capped,
    options_of,
    prescription_words,
    under_safety,
)
from calfcare.core.records import SessionRecord
from calfcare.core.routine import Intensity
from calfcare.services import MISSING, clinic
from calfcare.storage.clinic import Prescribed
from calfcare.web import deps
from calfcare.web.safety_gate import read_gate


def wanted(app: FastAPI) -> bool:
    """Whether this request has a prescription to read: a signed-in person on a server."""
    return bool(app.state.settings.server) and deps.PERSON.get() is not None


def prescribed(app: FastAPI) -> Prescribed | None:
    """The request's person's prescription in force (call it in a worker thread): the one
    this request read already (`keep`), else read now."""
    person = deps.PERSON.get()
    if not app.state.settings.server or person is None:
        return None
    found = deps.kept_read("prescription")
    if found is not MISSING:
        return cast(Prescribed | None, found)
    return clinic.prescription_of(deps.base_store(app), person)


def keep(
    app: FastAPI,
    found: Prescribed | None,
    today: date,
    month: tuple[date, Sequence[SessionRecord]],
    *,
    read_at: int,
) -> None:
    """Keep the prescription a page's snapshot read for the rest of the request, and this
    week's adherence from that snapshot's sessions (``month``: since when, and the sessions
    up to ``today``, read at data version ``read_at``), so the home page's lead reads
    nothing more."""
    deps.keep_read("prescription", found)
    if found is not None:
        app_week(app, found, today, month, read_at=read_at)


async def prescribed_for(request: Request) -> Prescribed | None:
    """`prescribed`, without a thread hop in personal mode (where there is none)."""
    if not request.app.state.settings.server or deps.PERSON.get() is None:
        return None
    return await run_in_threadpool(prescribed, request.app)


def home_lead(app: FastAPI) -> dict[str, Any] | None:
    """What the home page leads with: the prescription in words, whether the safety state
    pauses or narrows it today (and why), and this week's sessions against it."""
    found = prescribed(app)
    if found is None:
        return None
    from calfcare.content.safety import load_safety_wording

    p = found.prescription
    state = read_gate(app).state
    today = state.day
    now = under_safety(p, state, load_safety_wording())
    week = app_week(app, found, today)
    return {
        "words": prescription_words(p),
        "note": p.note,
        "paused": now.options is None,
        "changed": now.overridden and now.options is not None,
        "hold": state.hold is not None,
        "notes": list(now.notes),
        "week": None if week is None else week.words,
        "starts": day_text(p.start_day) if today < p.start_day else None,
        "ended": day_text(p.end_day) if today > p.end_day else None,
    }


def app_week(
    app: FastAPI,
    found: Prescribed,
    today: date,
    month: tuple[date, Sequence[SessionRecord]] | None = None,
    *,
    read_at: int | None = None,
) -> WeekAdherence | None:
    """This week's adherence (None outside the prescription), kept in the read cache under
    the data version, the prescription and the day; from ``month`` (since when, and the
    sessions from then to ``today``, as read at data version ``read_at``) when it covers
    the week and was read at the version it is kept under, else read."""
    p = found.prescription
    week = p.week_of(today)
    if week is None:
        return None
    cache = deps.app_read_cache(app)
    first = p.start_day + timedelta(weeks=week - 1)

    def compute(version: int) -> WeekAdherence | None:
        if month is not None and month[0] <= first and read_at == version:
            sessions: Sequence[SessionRecord] = [s for s in month[1] if first <= s.day <= today]
        else:
            sessions = services.load_records(cache.store, first, today, kinds=["sessions"]).sessions
        return this_week(p, sessions, today)

    return cache.get_for_version(("prescription_week", found.id, today), compute)[1]


async def lead_for(request: Request) -> dict[str, Any] | None:
    """`home_lead` for the home page (the ``prescription_lead`` hook)."""
    if deps.PERSON.get() is None:
        return None
    return await run_in_threadpool(home_lead, request.app)


def plan_values(p: Prescription) -> dict[str, str]:
    """The plan form's starting values: the prescription's first tool, calves, time and
    firmness."""
    options = options_of(p)
    return {
        "tool": options.tool.value,
        "legs": ",".join(leg.value for leg in options.legs),
        "seconds_per_calf": str(options.seconds_per_calf),
        "intensity": options.intensity.value,
    }


def cap_intensity(raw: dict[str, object], p: Prescription) -> str | None:
    """Keep the asked firmness within the prescription's cap (an unknown value is left for
    the planner to refuse): the words saying so when it was lowered, else None."""
    asked = raw.get("intensity", Intensity.STANDARD.value)
    if asked not in {i.value for i in Intensity}:
        return None
    kept = capped(Intensity(str(asked)), p.intensity_cap)
    raw["intensity"] = kept.value
    if kept.value == asked:
        return None
    return f"Your physio's routine keeps the firmness at {kept.value} or lighter: planned so."
