"""Records check themselves: ids, zones, text, session facts, tender spots."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from calfcare.core.errors import InvalidInput
from calfcare.core.levels import Leg
from calfcare.core.records import (
    CalfRecord,
    Hold,
    Note,
    RecordSet,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
    note,
    parse_tender_spot,
)
from calfcare.core.routine import Tool
from calfcare.core.timeline import Outcome

NOW = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
TODAY = date(2026, 1, 2)


def fields(error: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {p.field for p in error.value.problems}


def session(**changes: object) -> SessionRecord:
    values: dict[str, object] = {
        "id": "s1", "day": TODAY, "started_at": NOW, "source": SessionSource.MANUAL,
        "tool": Tool.BALL, "intensity": None, "outcome": Outcome.COMPLETED,
        "duration_seconds": 300.0,
        "calves": (CalfRecord(Leg.LEFT, 150, 150.0, (Hold(10, 40, 30),)),),
    }  # fmt: skip
    values.update(changes)
    return SessionRecord(**values)  # type: ignore[arg-type]


def test_note_builder_checks_every_field() -> None:
    with pytest.raises(InvalidInput) as error:
        note(id="n1", day=date(2026, 1, 3), text=" ", now=NOW, today=TODAY)
    assert fields(error) == {"day", "text"}
    assert note(id="n1", day=TODAY, text=" ran 5 km ", now=NOW, today=TODAY).text == "ran 5 km"


@pytest.mark.parametrize(
    ("text", "ok"), [("x" * 4000, True), ("x" * 4001, False), ("a\x00b", False), ("a\nb\tc", True)]
)
def test_note_text_limits(text: str, ok: bool) -> None:
    if ok:
        assert Note("n1", TODAY, NOW, text).text == text
    else:
        with pytest.raises(InvalidInput):
            Note("n1", TODAY, NOW, text)


@pytest.mark.parametrize("bad_id", ["", "x" * 65, "a b", "../x", "ü"])
def test_ids_are_plain(bad_id: str) -> None:
    with pytest.raises(InvalidInput) as error:
        Note(bad_id, TODAY, NOW, "text")
    assert fields(error) == {"id"}


def test_times_need_a_zone() -> None:
    with pytest.raises(InvalidInput) as error:
        Note("n1", TODAY, datetime(2026, 1, 1), "text")
    assert fields(error) == {"written_at"}


def test_session_facts_are_checked() -> None:
    assert session().legs == frozenset({Leg.LEFT})
    with pytest.raises(InvalidInput) as error:
        session(
            calves=(CalfRecord(Leg.LEFT, None, -1.0, (Hold(50, 40, 1),)),),
            tender_spots=(TenderSpot(Leg.RIGHT, SpotHeight.LOWER, SpotSide.OUTER),),
            duration_seconds=1e9,
        )
    assert fields(error) == {
        "calves.0.active_seconds", "calves.0.holds.0", "tender_spots.0.leg", "duration_seconds"
    }  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        session(calves=(CalfRecord(Leg.LEFT, None, 1.0), CalfRecord(Leg.LEFT, None, 1.0)))
    assert fields(error) == {"calves"}


def test_tender_spot_text() -> None:
    spot = parse_tender_spot("Left:Upper:Outer")
    assert spot == TenderSpot(Leg.LEFT, SpotHeight.UPPER, SpotSide.OUTER)
    assert spot.label == "left:upper:outer"
    for bad in ("left:upper", "middle:upper:inner", "left:top:inner"):
        with pytest.raises(InvalidInput):
            parse_tender_spot(bad)


def test_record_sets_sort_canonically() -> None:
    later = Note("a", TODAY, NOW, "later day")
    earlier = Note("b", date(2026, 1, 1), NOW, "earlier day")
    assert RecordSet(notes=(later, earlier)).sorted().notes == (earlier, later)
    assert RecordSet(notes=(later,)).counts()["notes"] == 1
