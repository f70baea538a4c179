"""What the clinician's list reads and keeps, for many people in a few queries: their stored
lines (`read_lines`, `keep_lines`: table ``person_summaries``, migration 0009) and the
records their red flags read (`flag_records`), which keep the red flags current on every
list whatever is stored. `calfcare.storage.clinic.ClinicTransaction` calls these.

The red flags' records, for each person: every clearance and pain check, every screening or
follow-up at the level that holds massage (urgent or emergency) or taken since a day, and
every session stopped for sharp pain or done since that day. The safety state's hold is the
same from these screenings as from all of them (the others change only which screening is
the latest, not the hold), its sharp-pain stops read only the stopped sessions and the pain
checks, and an unanswered next-day follow-up reads the sessions and follow-ups of its window
(`core.clinic_list .red_flags`); `tests/storage/test_list_flags.py` checks the flags equal
those from every record.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Select, bindparam, delete, null, select

from calfcare.core.days import day_start_utc
from calfcare.core.levels import Level
from calfcare.core.records import RecordSet
from calfcare.core.safety_state import HOLD_FROM
from calfcare.core.timeline import Outcome
from calfcare.storage import convert
from calfcare.storage.queries import TABLES, select_columns
from calfcare.storage.tables import PERSON_SUMMARIES as SUMMARIES

if TYPE_CHECKING:  # only a type here: a person's write reads shares, not lines
    from calfcare.core.clinic_list import PersonSummary


@dataclass(frozen=True)
class SummaryKey:
    """What a stored line of the clinician's list was computed for: the person's data
    version, the prescription in force (its id) and the day (stored: the first of the
    consecutive days a row holds lines for). Any other: recompute."""

    version: int
    prescription_id: int | None
    day: date


@dataclass(frozen=True)
class StoredLine:
    """A person's stored line for the day asked: ``current`` when it was computed for exactly
    the key asked (the same records, prescription and day: what computing it again gives);
    otherwise the line of an older key (``line`` None: none readable), whose records were
    read on ``as_of`` (its trends and split-leg result are from then)."""

    line: PersonSummary | None
    current: bool
    as_of: date
    same_records: bool
    """Computed for the same data version and prescription (only the day may differ)."""


def read_lines(session: Connection, wanted: Mapping[int, SummaryKey]) -> dict[int, StoredLine]:
    """The stored lines of the people in ``wanted``, in one query, each read back whole
    (`day_from_text`) and only if it is that person's. A row for the person's data version and
    prescription holds lines for its day and the days after it: the day asked is current;
    past them, its last line is older (as of that day); a row of an older data version or
    prescription gives its first line, as of its day. A person without a row has no entry."""
    from calfcare.core.summary_json import day_from_text, days_from_text  # a list, not a write

    rows = session.execute(
        select(SUMMARIES.c.person_id, SUMMARIES.c.data_version, SUMMARIES.c.prescription_id,
               SUMMARIES.c.day, SUMMARIES.c.body)
        .where(SUMMARIES.c.person_id.in_(list(wanted)))
    )  # fmt: skip
    found: dict[int, StoredLine] = {}
    for pid, version, rx, first, body in rows:
        pid = int(pid)
        want = wanted[pid]
        first = first if isinstance(first, date) else date.fromisoformat(str(first))
        same = (int(version), None if rx is None else int(rx)) == (
            want.version, want.prescription_id)  # fmt: skip
        index = (want.day - first).days
        line = day_from_text(body, index) if same and index >= 0 else None
        if line is not None:
            current = True
        else:
            current = False
            days = days_from_text(body) if same and index > 0 else None
            if days is not None:  # past the days computed: the last of them
                index = len(days) - 1
                line = days[index]
            else:
                index = 0
                line = day_from_text(body, 0)
        if line is not None and line.person_id != pid:
            line = None
        found[pid] = StoredLine(
            line, current and line is not None, first + timedelta(days=index), same
        )
    return found


def keep_lines(
    session: Connection, lines: Mapping[int, tuple[SummaryKey, Sequence[PersonSummary]]]
) -> None:
    """Store each person's lines (for the key's day and the days after it, in order) under its
    key, replacing the ones stored before, unless those are for a newer data version (a slower
    refresh or list that read older records never undoes a newer one, whichever process or
    worker stores last)."""
    if not lines:
        return
    from calfcare.core.summary_json import days_to_text

    values = [
        {"person_id": pid, "data_version": key.version, "prescription_id": key.prescription_id,
         "day": key.day, "body": days_to_text(days)}
        for pid, (key, days) in lines.items()
    ]  # fmt: skip
    from sqlalchemy.dialects import postgresql, sqlite  # each dialect imported when used

    dialect = postgresql if session.dialect.name == "postgresql" else sqlite
    query = dialect.insert(SUMMARIES).values(values)
    session.execute(
        query.on_conflict_do_update(
            index_elements=[SUMMARIES.c.person_id],
            set_={c: query.excluded[c] for c in ("data_version", "prescription_id", "day",
                                                 "body")},
            where=SUMMARIES.c.data_version <= query.excluded.data_version,
        )
    )  # fmt: skip


def forget_line(session: Connection, person_id: int) -> None:
    """Delete the person's stored line (they share with nobody now)."""
    session.execute(delete(SUMMARIES).where(SUMMARIES.c.person_id == person_id))


HOLD_LEVELS = tuple(level.value for level in Level if level >= HOLD_FROM)
"""The stored verdicts that hold massage."""

_CHILDREN = (
    ("session_calves", convert.CALF_COLUMNS),
    ("session_holds", convert.HOLD_COLUMNS),
)
"""What a red flag reads of a session besides its own row: its calves and their holds (the
massaged time, what was done, where a sharp-pain stop ended). Not its tender spots, nor its
plan: no red flag, nor this week's adherence, reads them, so these sessions have none."""


def flag_records(
    session: Connection, person_ids: Collection[int], since: date
) -> dict[int, RecordSet]:
    """Each person's records a red flag reads (see the module), ``since`` being the first day
    of the recent ones; every person in ``person_ids`` has an entry. The queries are built
    once (`_queries`) and run with the ids and days as parameters."""
    ids = list(person_ids)
    if not ids:
        return {}
    early = day_start_utc(since - timedelta(days=1))  # a time in UTC; a session's day is local
    values = {"ids": ids, "since": since, "early": early}
    q = _queries()

    def rows(name: str) -> dict[int, list[Any]]:
        found: dict[int, list[Any]] = {pid: [] for pid in ids}
        for row in session.execute(q[name], values).all():
            found[row[0]].append(tuple(row)[1:])
        return found

    screenings = rows("recent screenings")
    for pid, held in rows("holds").items():  # two queries, each on an index (not an OR)
        have = {row[0] for row in screenings[pid]}
        screenings[pid] += [row for row in held if row[0] not in have]
    clearances, pain_checks = rows("clearances"), rows("pain checks")
    sessions: dict[int, list[Any]] = {pid: [] for pid in ids}
    children: list[dict[int, list[Any]]] = [{pid: [] for pid in ids} for _ in _CHILDREN]
    seen: set[str] = set()
    for which in ("recent", "stopped"):  # sessions from ``since``, and every sharp-pain stop
        parents = session.execute(q[f"{which} sessions"], values).all()
        owner = {row[1]: row[0] for row in parents if row[1] not in seen}  # id -> person
        for row in parents:
            if row[1] in owner:
                sessions[row[0]].append(tuple(row)[1:])
        for (name, _), kept in zip(_CHILDREN, children, strict=True):
            if owner:
                for row in session.execute(q[f"{which} {name}"], values).all():
                    if row[0] in owner:
                        kept[owner[row[0]]].append(row)
        seen.update(owner)
    return {
        pid: RecordSet(
            screenings=tuple(convert.screening_records(screenings[pid])),
            sessions=tuple(
                convert.session_records(sessions[pid], children[0][pid], children[1][pid], ())
            ),
            clearances=tuple(convert.clearance_records(clearances[pid])),
            pain_checks=tuple(convert.pain_check_records(pain_checks[pid])),
        ).sorted()
        for pid in ids
    }


@cache
def _queries() -> dict[str, Select[Any]]:
    """`flag_records`' queries, built once, with the parameters ``ids`` (a list), ``since``
    (a day) and ``early`` (a time)."""
    ids: Any = bindparam("ids", expanding=True)

    def of(name: str, columns: Sequence[str]) -> Select[Any]:
        table = TABLES[name]
        return select(table.c.person_id, *select_columns(table, columns).selected_columns).where(
            table.c.person_id.in_(ids)
        )

    screenings, sessions = TABLES["screenings"], TABLES["sessions"]
    chosen = {
        "recent": sessions.c.person_id.in_(ids) & (sessions.c.day >= bindparam("since")),
        "stopped": sessions.c.person_id.in_(ids)
        & (sessions.c.outcome == Outcome.STOPPED_SHARP_PAIN.value),  # (its own index)
    }
    columns = [  # the plan (JSON, the costliest column to read) is not read (`_CHILDREN`)
        null().label(name) if name == "plan" else sessions.c[name]
        for name in convert.SESSION_COLUMNS
    ]
    queries = {
        "recent screenings": of("screenings", convert.SCREENING_COLUMNS).where(
            screenings.c.taken_at >= bindparam("early")
        ),
        "holds": of("screenings", convert.SCREENING_COLUMNS).where(
            screenings.c.verdict.in_(HOLD_LEVELS)  # on its own: the planner takes its index
        ),
        "clearances": of("clearances", convert.CLEARANCE_COLUMNS),
        "pain checks": of("pain_checks", convert.PAIN_CHECK_COLUMNS),
    }
    for which, where in chosen.items():
        queries[f"{which} sessions"] = select(sessions.c.person_id, *columns).where(where)
        picked = select(sessions.c.id).where(where).scalar_subquery()
        for name, names in _CHILDREN:  # by a subquery on the sessions' index
            child = TABLES[name]
            queries[f"{which} {name}"] = select_columns(child, names).where(
                child.c.session_id.in_(picked)
            )
    return queries


def split_leg_people(session: Connection, person_ids: Collection[int]) -> set[int]:
    """Which of ``person_ids`` have split-leg coins or experiments (their line costs most)."""
    ids = list(person_ids)
    found: set[int] = set()
    if not ids:
        return found
    for name in ("split_leg_days", "split_leg_experiments"):
        table = TABLES[name]
        query = select(table.c.person_id).where(table.c.person_id.in_(ids)).distinct()
        found.update(int(pid) for pid in session.execute(query).scalars())
    return found
