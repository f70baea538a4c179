"""Years of daily calfcare use, deterministic, for the benchmarks (not a script); and the
record builders the tests share (`tests/month_records.py`, `tests/storage/strategies.py`).

    from seed import daily_use, seed_store
    records = daily_use(years=5)          # a RecordSet
    seed_store("sqlite:///tmp/x.sqlite3", records)

The tests import it as ``bench.seed``; it needs nothing but calfcare, so the benchmarks run
on their own.

One simulated person who does everything every day: a split-leg coin, one hand-logged
session on the massaged calf, soreness before / after / next day on both calves, a
knee-to-wall test before and after on both legs, a note every week and a screening every
month. That is about 13 records a day, far more than real use, so the figures are an upper
bound.
"""

from __future__ import annotations

import importlib.util
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if importlib.util.find_spec("calfcare") is None:  # run from a fresh clone without installing
    sys.path.insert(0, str(ROOT / "src"))

from calfcare.core.answers import parse_answers  # noqa: E402
from calfcare.core.levels import Leg  # noqa: E402
from calfcare.core.records import (  # noqa: E402
    CalfRecord,
    Logged,
    Note,
    RecordSet,
    ScreeningKind,
    ScreeningRecord,
    SessionRecord,
    SessionSource,
    SpotHeight,
    SpotSide,
    TenderSpot,
)
from calfcare.core.routine import Tool  # noqa: E402
from calfcare.core.screening import screen  # noqa: E402
from calfcare.core.screening_rules import (  # noqa: E402
    CONTRACT_VERSION,
    GENERAL_QUESTION_IDS,
    LEG_QUESTION_IDS,
    PAIN_AFTER_EXERCISE,
)
from calfcare.core.timeline import Outcome  # noqa: E402
from calfcare.core.tracking import (  # noqa: E402
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)

LAST_DAY = date(2026, 6, 30)


def screening_answers(**general: object) -> dict[str, Any]:
    """A complete screening input (the contract's question ids) answering no to every
    question that is asked (``pain_after_exercise`` follows only a yes to ``pain``), with
    ``general`` answers changed."""
    leg = dict.fromkeys(LEG_QUESTION_IDS, False)
    del leg[PAIN_AFTER_EXERCISE]
    return {
        "legs": ["left", "right"],
        "general": dict.fromkeys(GENERAL_QUESTION_IDS, False) | general,
        "left": leg,
        "right": dict(leg),
    }


def screening_record(
    rid: str, kind: ScreeningKind, at: datetime, data: dict[str, Any]
) -> ScreeningRecord:
    """The record of screening input ``data`` taken at ``at``: its verdict and report
    worked out as the services do."""
    from calfcare.content.screening_wording import load_screening_wording
    from calfcare.core.report import screening_report

    answers = parse_answers(data)
    result = screen(answers)
    report = screening_report(result, load_screening_wording())
    return ScreeningRecord(
        rid, kind, at, CONTRACT_VERSION, result.verdict, answers.to_json(), report
    )


def daily_use(years: float = 5, *, seed: int = 1, last_day: date = LAST_DAY) -> RecordSet:
    """``years`` of full daily use ending on ``last_day``, the same for the same seed."""
    rng = random.Random(seed)
    days = round(365.25 * years)
    first = last_day - timedelta(days=days - 1)
    answers = screening_answers()
    screenings, sessions, soreness, mobility, notes, coins = [], [], [], [], [], []
    base = {leg: rng.uniform(8, 12) for leg in Leg}
    for i in range(days):
        day = first + timedelta(days=i)
        at = datetime.combine(day, time(18, 0), UTC)
        coin = SplitLegDay(day, rng.choice(list(Leg)))
        coins.append(coin)
        sid = f"s{i:05d}"
        if i % 30 == 0:
            screenings.append(
                screening_record(
                    f"scr{i:05d}", ScreeningKind.SCREENING, at - timedelta(minutes=5), answers
                )
            )
        sessions.append(
            SessionRecord(
                id=sid,
                day=day,
                started_at=at,
                source=SessionSource.MANUAL,
                tool=Tool.FOAM_ROLLER,
                intensity=None,
                outcome=Outcome.COMPLETED,
                duration_seconds=90.0,
                calves=(CalfRecord(coin.massaged, None, 90.0),),
                tender_spots=(TenderSpot(coin.massaged, SpotHeight.MIDDLE, SpotSide.INNER),),
            )
        )
        for leg in Leg:
            before = rng.randint(1, 6)
            moments = [(SorenessMoment.BEFORE, before), (SorenessMoment.AFTER, before)]
            if day < last_day:
                moments.append((SorenessMoment.NEXT_DAY, min(10, before + rng.randint(-2, 2))))
            for moment, score in moments:
                soreness.append(
                    Logged(
                        f"so{i:05d}{leg.value[0]}{moment.value[0]}",
                        at,
                        SorenessCheckIn(day, leg, moment, max(0, score), sid),
                    )
                )
            cm = base[leg] + i / days * 1.5 + rng.gauss(0, 0.8)
            for m_moment, delta in ((MobilityMoment.BEFORE, 0.0), (MobilityMoment.AFTER, 0.4)):
                mobility.append(
                    Logged(
                        f"mo{i:05d}{leg.value[0]}{m_moment.value[0]}",
                        at,
                        MobilityTest(day, leg, m_moment, round(max(0.0, cm + delta), 1), sid),
                    )
                )
        if i % 7 == 0:
            notes.append(Note(f"n{i:05d}", day, at, f"Ran {rng.randint(3, 15)} km; legs fine."))
    return RecordSet(
        screenings=tuple(screenings),
        sessions=tuple(sessions),
        soreness=tuple(soreness),
        mobility=tuple(mobility),
        notes=tuple(notes),
        split_leg_days=tuple(coins),
    ).sorted()


def seed_store(url: str, records: RecordSet) -> dict[str, int]:
    """Create (migrate) the database at ``url`` and bulk-insert ``records`` in one
    transaction, as ``calfcare import`` does; returns the stored counts."""
    from calfcare.storage import open_store

    store = open_store(url)
    try:
        with store.transaction() as tx:
            tx.add_all(records)
        with store.transaction() as tx:
            return tx.counts()
    finally:
        store.close()
