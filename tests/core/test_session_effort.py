"""What a session actually did (core/session_effort.py): done calves, mostly skipped sessions,
and the words people see."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from calfcare import services
from calfcare.content.routines import load_routines
from calfcare.core.levels import Leg
from calfcare.core.planner import plan as make_plan
from calfcare.core.record_views import history_rows
from calfcare.core.records import RecordSet
from calfcare.core.replay import replay_json, run_replay
from calfcare.core.routine import PlanOptions, Tool
from calfcare.core.session_effort import (
    DONE_SHARE,
    calf_done,
    calf_words,
    clock,
    mostly_skipped,
    result_skipped,
    session_words,
)
from calfcare.core.timeline import Event, EventKind, Outcome

NOW = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
PLAN = make_plan(PlanOptions(tool=Tool.BALL, legs=(Leg.LEFT, Leg.RIGHT)), load_routines())
STEPS = sum(len(c.steps) for c in PLAN.calves)

planned = st.integers(1, 180)
calves = st.lists(
    st.tuples(st.none() | planned, st.floats(0, 180, allow_nan=False)), min_size=1, max_size=2
)


@given(calves)
def test_mostly_skipped_is_every_calf_under_half_its_plan(
    pairs: list[tuple[int | None, float]],
) -> None:
    under = [p is not None and m < DONE_SHARE * p for p, m in pairs]
    assert mostly_skipped(pairs) == all(under)


@given(planned, st.floats(0, 180, allow_nan=False))
def test_a_calf_is_done_from_half_its_plan(plan_s: int, massaged: float) -> None:
    assert calf_done(plan_s, massaged) == (massaged >= plan_s / 2)
    assert calf_done(None, massaged), "a hand-logged calf counts: the person says they did it"


@given(st.floats(0, 10_000, allow_nan=False))
def test_clock_words_have_no_decimals(seconds: float) -> None:
    text = clock(seconds)
    minutes, secs = text.split(":")
    assert minutes.isdigit() and len(secs) == 2 and secs.isdigit()


def _skip_all(t0: float = 0.5) -> dict[str, object]:
    events = [Event(t0 + i * 0.25, EventKind.SKIP) for i in range(STEPS)]
    return replay_json(run_replay(PLAN, events, sharp_pain_advice="stop"))


def test_skipping_every_step_is_mostly_skipped_not_well_done() -> None:
    result = _skip_all()
    assert result["outcome"] == "completed"  # the engine's outcome: how it ended
    assert result_skipped(result)
    assert session_words(Outcome.COMPLETED, True) == "mostly skipped"
    played = replay_json(run_replay(PLAN, [], sharp_pain_advice="stop"))
    assert not result_skipped(played)
    assert session_words(Outcome.COMPLETED, False) == "completed"
    assert session_words(Outcome.QUIT, True) == "ended early, mostly skipped"


def test_a_skipped_session_is_kept_but_not_counted(tmp_path: object) -> None:
    skipped = services.session_from_result(PLAN, _skip_all(), NOW)
    done = services.session_from_result(
        PLAN, replay_json(run_replay(PLAN, [], sharp_pain_advice="stop")), NOW
    )
    assert skipped.mostly_skipped and not skipped.legs
    assert done.done and done.legs == {Leg.LEFT, Leg.RIGHT}
    stats = services.stats(RecordSet(sessions=(skipped,)))
    assert stats.sessions_per_week == {} and stats.mostly_skipped_sessions == 1
    stats = services.stats(RecordSet(sessions=(skipped, done)))
    assert sum(stats.sessions_per_week.values()) == 1
    row = history_rows(RecordSet(sessions=(skipped,)), {"session"}, None)[0]
    assert row["what"].startswith("Ball, mostly skipped: left calf 0:01 of 2:30")


def test_calf_words() -> None:
    assert calf_words("left", 150, 4.468) == "left calf 0:04 of 2:30"
    assert calf_words("right", None, 120) == "right calf 2:00"


def test_a_mostly_skipped_day_is_not_massaged_as_the_coin_said() -> None:
    """Split-leg per-protocol: a coin day whose only session was mostly skipped counts as
    neither calf massaged, even when the person answered the coin's calf."""
    from calfcare.core.insight_report import session_days, skipped_days
    from calfcare.core.split_leg_days import actually_massaged, as_allocated, index_ratings
    from calfcare.core.tracking import MassagedCalves, SplitLegDay

    skipped = services.session_from_result(PLAN, _skip_all(), NOW)
    records = RecordSet(sessions=(skipped,))
    coin = SplitLegDay(skipped.day, Leg.LEFT, reported=MassagedCalves.LEFT)
    ratings = index_ratings((), (), session_days(records), skipped_days(records))
    assert actually_massaged(coin, ratings) is MassagedCalves.NEITHER
    assert not as_allocated(coin, ratings)
    no_session = index_ratings((), ())
    assert actually_massaged(coin, no_session) is MassagedCalves.LEFT  # the answer counts
