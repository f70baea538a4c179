"""A prescription's sessions as an iCalendar document (RFC 5545), for a calendar feed or an
``.ics`` download.

The week's sessions are spread over it from the start day (3 a week: days 0, 2 and 4 of each
week), each an all-day event that repeats weekly for the prescription's weeks (``RRULE``
with ``COUNT``), so a calendar shows exactly the prescribed sessions and nothing after. Pure:
the prescription's id and creation time make the UIDs and ``DTSTAMP`` (no clock here), so the
same prescription gives the same bytes. Built with the ``icalendar`` package.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from calfcare.core.prescription import Prescription, prescription_words

PRODUCT = "-//calfcare//prescribed sessions//EN"


def session_offsets(per_week: int) -> tuple[int, ...]:
    """The days (0-6 from the week's first) of ``per_week`` sessions, spread evenly."""
    return tuple(sorted({(i * 7) // per_week for i in range(per_week)}))


def session_days(p: Prescription) -> list[date]:
    """Every prescribed session's day, in order."""
    return [
        p.start_day + timedelta(weeks=w, days=d)
        for w in range(p.weeks)
        for d in session_offsets(p.sessions_per_week)
    ]


def prescription_calendar(p: Prescription, prescription_id: int, created_at: datetime) -> bytes:
    """The calendar of ``p`` as iCalendar bytes."""
    from icalendar import Calendar, Event, vRecur

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Calf massage")
    words = prescription_words(p)
    for offset in session_offsets(p.sessions_per_week):
        event = Event()
        day = p.start_day + timedelta(days=offset)
        event.add("uid", f"calfcare-{prescription_id}-{offset}@calfcare")
        event.add("dtstamp", created_at)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", "Calf massage")
        event.add("description", f"{words}\n{p.note}".strip())
        event.add("rrule", vRecur(freq="weekly", count=p.weeks))
        calendar.add_component(event)
    return bytes(calendar.to_ical())
