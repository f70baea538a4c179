"""Hypothesis strategies for every kind of stored record (valid ones only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from bench.seed import screening_record
from calfcare.core.levels import Leg
from calfcare.core.records import (
    CalfRecord,
    Clearance,
    Hold,
    Logged,
    Note,
    PainCheck,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.routine import Intensity, Tool
from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_RULES
from calfcare.core.split_leg_design import REGISTRABLE, SplitLegExperiment
from calfcare.core.timeline import Outcome
from calfcare.core.tracking import (
    MassagedCalves,
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)

TODAY = date(2026, 1, 1)
ids = st.text("abcdef0123456789-_", min_size=1, max_size=64)
days = st.dates(min_value=date(2000, 1, 1), max_value=TODAY)
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8))]
)
times = st.datetimes(
    min_value=datetime(2000, 1, 2), max_value=datetime(2025, 12, 30), timezones=zones
)
legs = st.sampled_from(list(Leg))
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200).filter(
    str.strip
)
seconds = st.floats(min_value=0, max_value=86_400, allow_nan=False)
json_leaf = st.none() | st.booleans() | st.integers(-(2**53), 2**53) | text
json_objects = st.dictionaries(
    st.text("abcxyz_", min_size=1, max_size=8),
    st.recursive(json_leaf, lambda inner: st.lists(inner, max_size=3), max_leaves=6),
    max_size=4,
)
answer = st.sampled_from([True, False, "unsure"])
session_ids = st.none() | ids


@st.composite
def screenings(draw: st.DrawFn) -> ScreeningRecord:
    leg_ids = (*LEG_RULES, "pain", "pain_after_exercise")
    data: dict[str, Any] = {
        "legs": draw(st.sampled_from([["left"], ["right"], ["left", "right"]])),
        "general": {k: draw(answer) for k in GENERAL_QUESTION_IDS},
        "left": {k: draw(answer) for k in leg_ids},
        "right": {k: draw(answer) for k in leg_ids},
    }
    # the verdict and report are derived from the answers (issue 13)
    return screening_record(
        draw(ids), draw(st.sampled_from(list(ScreeningKind))), draw(times), data
    )


@st.composite
def sessions(draw: st.DrawFn) -> SessionRecord:
    chosen = draw(
        st.sampled_from([[Leg.LEFT], [Leg.RIGHT], [Leg.LEFT, Leg.RIGHT], [Leg.RIGHT, Leg.LEFT]])
    )
    calves = []
    for leg in chosen:
        holds = []
        for _ in range(draw(st.integers(0, 2))):
            a, b = sorted((draw(seconds), draw(seconds)))
            holds.append(Hold(a, b, draw(seconds)))
        calves.append(
            CalfRecord(leg, draw(st.none() | st.integers(0, 180)), draw(seconds), tuple(holds))
        )
    spots = draw(
        st.lists(
            st.builds(TenderSpot, st.sampled_from(chosen), st.sampled_from(list(SpotHeight)),
                      st.sampled_from(list(SpotSide))),
            max_size=3,
        )
    )  # fmt: skip
    return SessionRecord(
        id=draw(ids),
        day=draw(days),
        started_at=draw(times),
        source=draw(st.sampled_from(list(SessionSource))),
        tool=draw(st.sampled_from(list(Tool))),
        intensity=draw(st.none() | st.sampled_from(list(Intensity))),
        outcome=draw(st.sampled_from(list(Outcome))),
        duration_seconds=draw(seconds),
        calves=tuple(calves),
        tender_spots=tuple(spots),
        plan=draw(st.none() | json_objects),
        screening_id=None,
    )


soreness = st.builds(
    Logged,
    ids,
    times,
    st.builds(SorenessCheckIn, days, legs, st.sampled_from(list(SorenessMoment)),
              st.integers(0, 10), session_ids),
)  # fmt: skip
mobility = st.builds(
    Logged,
    ids,
    times,
    st.builds(MobilityTest, days, legs, st.sampled_from(list(MobilityMoment)),
              st.integers(0, 300).map(lambda mm: mm / 10), session_ids),
)  # fmt: skip
notes = st.builds(Note, ids, days, times, text)
split_leg_days = st.builds(SplitLegDay, days, legs)
experiments = st.builds(
    SplitLegExperiment, ids, times, days, st.integers(6, 60), st.sampled_from(REGISTRABLE),
    st.none() | times,
)  # fmt: skip


@st.composite
def split_leg_parts(
    draw: st.DrawFn,
) -> tuple[tuple[SplitLegExperiment, ...], tuple[SplitLegDay, ...]]:
    """Experiments, and coins (old ones without a draw time, or of those experiments)."""
    exps = _unique(draw(st.lists(experiments, max_size=2)), lambda e: e.id)
    coins = []
    for _ in range(draw(st.integers(0, 3))):
        eid = draw(st.none() | st.sampled_from([e.id for e in exps])) if exps else None
        said = draw(st.none() | st.sampled_from(list(MassagedCalves)))
        drawn = None if eid is None else draw(st.none() | times)
        coins.append(SplitLegDay(draw(days), draw(legs), drawn, eid, said))
    return exps, _unique(coins, lambda c: c.day)


def _unique(items: list[Any], key: Any) -> tuple[Any, ...]:
    seen: dict[Any, Any] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


clearances = st.builds(Clearance, ids, days, times)
pain_checks = st.builds(PainCheck, ids, legs, days, times)
record_sets = st.builds(
    lambda sc, se, so, mo, no, sp, cl, pc: RecordSet(
        _unique(sc, lambda r: r.id), _unique(se, lambda r: r.id), _unique(so, lambda r: r.id),
        _unique(mo, lambda r: r.id), _unique(no, lambda r: r.id), sp[1], sp[0],
        _unique(cl, lambda r: r.id), _unique(pc, lambda r: r.id),
    ).sorted(),
    st.lists(screenings(), max_size=3),
    st.lists(sessions(), max_size=3),
    st.lists(soreness, max_size=5),
    st.lists(mobility, max_size=5),
    st.lists(notes, max_size=3),
    split_leg_parts(),
    st.lists(clearances, max_size=2),
    st.lists(pain_checks, max_size=2),
)  # fmt: skip
