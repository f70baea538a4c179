"""Records validate their ranges, name every bad field, and refuse future dates."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from calfcare.core.errors import InvalidInput
from calfcare.core.levels import Leg
from calfcare.core.tracking import (
    MobilityMoment,
    MobilityTest,
    SessionDay,
    SorenessCheckIn,
    SorenessMoment,
    draw_split_leg_day,
    mobility_test,
    session_day,
    soreness_check_in,
    split_leg_day,
)

TODAY = date(2026, 11, 24)


def fields(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {p.field for p in exc.value.problems}


def test_valid_records_from_raw_values() -> None:
    c = soreness_check_in(
        day=date(2026, 11, 23), leg="left", moment="next_day", score=4, today=TODAY, session_id="s1"
    )
    assert c == SorenessCheckIn(date(2026, 11, 23), Leg.LEFT, SorenessMoment.NEXT_DAY, 4, "s1")
    m = mobility_test(day=TODAY, leg="right", moment="before", distance_cm=9.5, today=TODAY)
    assert m.distance_cm == 9.5 and m.moment is MobilityMoment.BEFORE
    assert split_leg_day(day=TODAY, massaged="right", today=TODAY).control is Leg.LEFT
    assert session_day(day=TODAY, legs=["left", "right"], today=TODAY).legs == frozenset(Leg)


def test_every_bad_field_is_named_at_once() -> None:
    with pytest.raises(InvalidInput) as exc:
        soreness_check_in(
            day=date(2026, 12, 1),
            leg="middle",
            moment="later",
            score=11,
            today=TODAY,
            session_id="",
        )
    assert fields(exc) == {"day", "leg", "moment", "score", "session_id"}


@pytest.mark.parametrize("score", [-1, 11, 3.0, True, "4", None])
def test_bad_scores(score: object) -> None:
    with pytest.raises(InvalidInput) as exc:
        soreness_check_in(day=TODAY, leg="left", moment="before", score=score, today=TODAY)
    assert fields(exc) == {"score"}


@pytest.mark.parametrize("distance", [-0.1, 30.1, 9.55, float("nan"), float("inf"), "9", True])
def test_bad_distances(distance: object) -> None:
    with pytest.raises(InvalidInput) as exc:
        mobility_test(day=TODAY, leg="left", moment="other", distance_cm=distance, today=TODAY)
    assert fields(exc) == {"distance_cm"}


def test_edges_are_allowed_and_distances_snap_to_the_grid() -> None:
    assert (
        mobility_test(
            day=TODAY, leg="left", moment="after", distance_cm=30, today=TODAY
        ).distance_cm
        == 30.0
    )
    assert (
        MobilityTest(TODAY, Leg.LEFT, MobilityMoment.AFTER, 0.30000000000000004).distance_cm == 0.3
    )
    assert (
        soreness_check_in(day=TODAY, leg="left", moment="before", score=0, today=TODAY).score == 0
    )


def test_dates() -> None:
    with pytest.raises(InvalidInput) as exc:
        soreness_check_in(day=TODAY, leg="left", moment="next_day", score=3, today=TODAY)
    assert fields(exc) == {"day"}
    for bad in ("2026-11-01", datetime(2026, 11, 1, 8, 0), date(2026, 11, 25)):
        with pytest.raises(InvalidInput) as exc:
            split_leg_day(day=bad, massaged="left", today=TODAY)
        assert fields(exc) == {"day"}


def test_direct_construction_checks_ranges() -> None:
    with pytest.raises(InvalidInput):
        SorenessCheckIn(TODAY, Leg.LEFT, SorenessMoment.BEFORE, 12)
    with pytest.raises(InvalidInput):
        SessionDay(TODAY, frozenset())
    with pytest.raises(InvalidInput) as exc:
        session_day(day=TODAY, legs=["left", "elbow"], today=TODAY)
    assert fields(exc) == {"legs[1]"}
    with pytest.raises(InvalidInput):
        session_day(day=TODAY, legs="left", today=TODAY)


def test_coin_is_fair_seeded_and_refuses_future_days() -> None:
    rng = random.Random(5)
    draws = [draw_split_leg_day(TODAY, rng, today=TODAY).massaged for _ in range(2000)]
    assert 900 < draws.count(Leg.LEFT) < 1100
    again = random.Random(5)
    assert draws[:20] == [draw_split_leg_day(TODAY, again, today=TODAY).massaged for _ in range(20)]
    with pytest.raises(InvalidInput):
        draw_split_leg_day(date(2026, 11, 25), rng, today=TODAY)


def test_a_datetime_day_is_refused_not_compared() -> None:
    """Hypothesis found it: a `datetime` is a `date`, and comparing one with ``today`` in the
    next-day check raised TypeError instead of naming the field."""
    with pytest.raises(InvalidInput) as exc:
        soreness_check_in(
            day=datetime(2026, 11, 1, 8, 0), leg="left", moment="next_day", score=3, today=TODAY
        )
    assert fields(exc) == {"day"}


def test_minus_zero_cm_is_stored_as_zero() -> None:
    """``calfcare log mobility --left -0`` (or ``-0.0`` in JSON) is 0.0 cm, never "-0.0 cm"."""
    for raw in (-0.0, -0):
        m = mobility_test(day=TODAY, leg="left", moment="other", distance_cm=raw, today=TODAY)
        assert str(m.distance_cm) == "0.0"
