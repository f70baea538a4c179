"""The tracking pages as one group, and the home page's summary of them.

`install` includes the group's routers (check-ins: `calfcare.web.checkin_pages`; logging by
hand: `calfcare.web.log_pages`; history: `calfcare.web.history_pages`; export and import:
`calfcare.web.transfer_pages`) and gives ``home.html`` its summary hooks: what is due and
the latest records, read once per data version from the read cache.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI

from calfcare import services
from calfcare.core.errors import CalfcareError
from calfcare.core.levels import LEVEL_WORDS
from calfcare.core.records import RecordSet
from calfcare.services.reads import page_reads
from calfcare.web import checkin_pages, history_pages, log_pages, prescribed, transfer_pages
from calfcare.web.api.common import now
from calfcare.web.api.reads import KINDS, history_rows
from calfcare.web.deps import app_read_cache, opened_read_cache
from calfcare.web.safety_gate import cached_gate, read_gate

ROUTERS = (checkin_pages.router, log_pages.router, history_pages.router, transfer_pages.router)


def install(app: FastAPI) -> None:
    """Include these pages and give ``home.html`` its summary (recent records, next step)."""
    for router in ROUTERS:
        app.include_router(router)
    hooks = app.state.pages.env.globals
    hooks["tracking_summary"] = lambda: home_summary(app)
    hooks["tracking_summary_peek"] = lambda: peek_home_summary(app)


HomeSummary = tuple[dict[str, Any] | None, str]
"""What to do next and the latest records (None when the database cannot be used: the home
page then shows only the static next steps), and its ``repr``: the page cache's ``vary``,
kept with the summary so that a cached home page costs no ``repr`` per request."""

NO_SUMMARY: HomeSummary = (None, repr(None))


def home_summary(app: FastAPI) -> HomeSummary:
    """The home page's summary, computed on a miss: call it in a worker thread (it may open
    the database and reads a month of records). A miss reads the month, the safety state
    (unless the read cache holds it) and, on a server, the prescription the page leads with,
    in one snapshot (`services.reads.page_reads`): one transaction, not three."""
    try:
        cache = app_read_cache(app)
        today = services.today_of(now())

        def compute(version: int) -> HomeSummary:
            gate = cached_gate(app)
            lead = prescribed.wanted(app)
            since = today - timedelta(days=30)
            reads = page_reads(
                cache.store, since, today, kinds=HOME_KINDS, safety=gate is None, prescription=lead
            )  # read after ``version``: what it holds is at least that new
            if lead:
                month = (since, reads.records.sessions)
                prescribed.keep(app, reads.prescription, today, month, read_at=version)
            if gate is None:
                gate = read_gate(app, reads.safety, read_at=version)
            summary = _home_summary(reads.records, today)
            summary["safety"] = gate.state  # the home page leads with a hold
            return summary, repr(summary)

        return cache.get_for_version(("home_summary", today), compute)[1]
    except CalfcareError:
        return NO_SUMMARY


def peek_home_summary(app: FastAPI) -> object:
    """`home_summary` if the read cache holds it, else `services.MISSING`: safe on the
    event loop (one `Store.data_version` read, as the cached JSON reads do). Before the
    first use the store is not open yet, and opening it is a worker thread's job."""
    cache = opened_read_cache(app)
    if cache is None:
        return services.MISSING
    try:
        _, value = cache.peek(("home_summary", services.today_of(now())))
    except CalfcareError:
        return NO_SUMMARY
    return value


HOME_KINDS = ("sessions", "soreness", "mobility", "notes", "screenings", "split_leg_days")
"""What the home page reads of the last month: the kinds of its latest rows (`KINDS`), and
the split-leg days for today's coin (not the clearances, pain checks or experiments)."""


def _home_summary(records: RecordSet, today: date) -> dict[str, Any]:
    yesterday = today - timedelta(days=1)
    sessions_today = [s for s in records.sessions if s.day == today]
    sessions_yesterday = [s for s in records.sessions if s.day == yesterday]
    rated = {(i.record.day, i.record.moment.value) for i in records.soreness}
    coin = next((d for d in records.split_leg_days if d.day == today), None)
    todo: list[tuple[str, str, str]] = []
    if sessions_yesterday and (yesterday, "next_day") not in rated:
        todo.append(
            (
                "checkin_next_day",
                "",
                "Do yesterday's next-day check-in: soreness, and "
                "any new swelling, redness or warmth",
            )
        )
    if sessions_today and (today, "after") not in rated:
        todo.append(
            ("checkin_soreness", "moment=after", "Rate your soreness after today's session")
        )
    if coin is not None and not sessions_today:
        todo.append(
            (
                "plan",
                "split_leg=1",
                f"Split-leg day: massage only your {coin.massaged.value} calf today",
            )
        )
    rows = [_in_words(row, records) for row in history_rows(records, set(KINDS), None)[-5:]]
    return {"todo": todo, "recent": list(reversed(rows))}


SCREENING_KIND_WORDS = {"screening": "Safety check", "follow_up": "Next-day check"}


def _in_words(row: dict[str, Any], records: RecordSet) -> dict[str, Any]:
    """A safety check's row as the home page says it: "Next-day check: URGENT — Do not
    massage. Get medical attention today" (the level in words, then the screening's own
    headline for it)."""
    if row["kind"] != "screening":
        return row
    from calfcare.content.screening import load_screening_text

    record = next(s for s in records.screenings if s.id == row["id"])
    headline = load_screening_text().advice(record.verdict).headline
    kind = SCREENING_KIND_WORDS[record.kind.value]
    return {**row, "what": f"{kind}: {LEVEL_WORDS[record.verdict]} — {headline}"}
