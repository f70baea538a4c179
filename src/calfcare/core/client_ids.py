"""Client ids: how a retried write is recognised and saved once (idempotency).

A client (the web forms, an API caller) may name a note or a check-in with an id of its
own, made before it sends it, as the live session page names a session. A repeat with the
same id and the same content is the same record: nothing is written and the stored record is
returned. The same id with other content is a `ClientIdConflict` (HTTP 409): an id names one
record forever.

The id becomes the stored record's id, so it is exported and imported with it like any id:
a note's id, and a session's logged by hand, is the client id itself; a check-in stores one
record per calf, ``<id>-left`` and ``<id>-right``, and a next-day check-in's follow-up
screening is ``<id>-follow-up``.
Content is compared without the time it was recorded at (a retry is sent later).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from calfcare.core.errors import Problem
from calfcare.core.levels import Leg
from calfcare.core.records import Logged, Note, ScreeningRecord, SessionRecord

CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,48}")
"""Short enough that every derived id fits the 64 characters of a record id (a UUID's 32
hex digits or 36 characters fit)."""
FOLLOW_UP_SUFFIX = "-follow-up"


def client_id_problems(value: object, field: str = "client_id") -> list[Problem]:
    """What is wrong with ``value`` as a client id (None, no id, is fine)."""
    if value is None or (isinstance(value, str) and CLIENT_ID.fullmatch(value)):
        return []
    return [Problem(field, "an id is 1 to 48 letters, digits, '-' or '_' (e.g. a UUID)")]


def leg_id(client_id: str, leg: Leg | str) -> str:
    """The id of one calf's record of a check-in."""
    return f"{client_id}-{Leg(leg).value}"


def follow_up_id(client_id: str) -> str:
    """The id of a next-day check-in's follow-up screening."""
    return f"{client_id}{FOLLOW_UP_SUFFIX}"


def same_logged(stored: Sequence[Logged[Any]], new: Sequence[Logged[Any]]) -> bool:
    """Whether the stored records of a check-in are the new ones (ids and records; the
    times they were recorded at may differ)."""
    by_id = {item.id: item.record for item in stored}
    return len(by_id) == len(new) and all(by_id.get(item.id) == item.record for item in new)


def same_note(stored: Note, new: Note) -> bool:
    return (stored.id, stored.day, stored.text) == (new.id, new.day, new.text)


def same_session(stored: SessionRecord, new: SessionRecord) -> bool:
    """Whether a stored session logged by hand is the new one (all but when it was
    recorded: a hand-logged session's ``started_at`` is the moment it was sent)."""
    return replace(stored, started_at=new.started_at) == new


def same_follow_up(stored: ScreeningRecord | None, new: ScreeningRecord | None) -> bool:
    """Whether a stored follow-up screening has the new one's answers (or both are none)."""
    if stored is None or new is None:
        return stored is new
    return (stored.id, stored.kind, dict(stored.answers)) == (new.id, new.kind, dict(new.answers))
