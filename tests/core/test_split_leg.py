"""The split-leg analysis: registered experiments, concealment checks, the verdict table,
missing days, intention to treat beside per protocol, and the words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calfcare.core.insight_report import split_leg_results
from calfcare.core.levels import Leg
from calfcare.core.records import CalfRecord, Logged, RecordSet, SessionRecord, SessionSource
from calfcare.core.routine import Tool
from calfcare.core.split_leg_design import Outcome, SplitLegExperiment
from calfcare.core.split_leg_result import ExperimentResult, Status
from calfcare.core.split_leg_stats import Conclusion
from calfcare.core.split_leg_words import CARRY_OVER, NOT_PRE_REGISTERED, SPILL_OVER, UNBLINDED
from calfcare.core.timeline import Outcome as SessionOutcome
from calfcare.core.tracking import (
    MassagedCalves,
    MobilityMoment,
    MobilityTest,
    SorenessCheckIn,
    SorenessMoment,
    SplitLegDay,
)

START = date(2026, 11, 2)
BANNED = re.compile(r"progress|works|proves", re.IGNORECASE)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), UTC)


@dataclass
class Diary:
    """A person's records, day by day, as the app would store them."""

    experiment: SplitLegExperiment | None = None
    coins: list[SplitLegDay] = field(default_factory=list)
    soreness: list[Logged[SorenessCheckIn]] = field(default_factory=list)
    mobility: list[Logged[MobilityTest]] = field(default_factory=list)
    sessions: list[SessionRecord] = field(default_factory=list)

    @classmethod
    def registered(cls, days: int, outcome: Outcome = Outcome.NEXT_DAY_SORENESS) -> Diary:
        return cls(SplitLegExperiment("exp-1", at(START, 7), START, days, outcome))

    def rate(
        self, day: date, moment: SorenessMoment, left: int, right: int, when: datetime
    ) -> None:
        for leg, score in ((Leg.LEFT, left), (Leg.RIGHT, right)):
            item = Logged(f"s{len(self.soreness)}", when, SorenessCheckIn(day, leg, moment, score))
            self.soreness.append(item)

    def day(
        self, n: int, massaged: Leg, before: tuple[int, int], next_day: tuple[int, int] | None,
        *, drawn: bool = True, coin_hour: int = 9, reported: MassagedCalves | None = None,
    ) -> date:  # fmt: skip
        """Day ``n``: before-ratings at 8:00, the coin at ``coin_hour``, next-day ratings."""
        day = START + timedelta(days=n)
        self.rate(day, SorenessMoment.BEFORE, *before, at(day, 8))
        eid = None if self.experiment is None else self.experiment.id
        when = at(day, coin_hour) if drawn and eid is not None else None
        self.coins.append(SplitLegDay(day, massaged, when, eid, reported))
        if next_day is not None:
            self.rate(day, SorenessMoment.NEXT_DAY, *next_day, at(day + timedelta(days=1), 8))
        return day

    def session(self, day: date, legs: set[Leg]) -> None:
        self.sessions.append(
            SessionRecord(f"x{len(self.sessions)}", day, at(day, 10), SessionSource.MANUAL,
                          Tool.HANDS, None, SessionOutcome.COMPLETED, 60.0,
                          tuple(_calf(leg) for leg in sorted(legs)))
        )  # fmt: skip

    def analyse(self, today: date | None = None) -> ExperimentResult:
        records = RecordSet(
            sessions=tuple(self.sessions),
            soreness=tuple(self.soreness),
            mobility=tuple(self.mobility),
            split_leg_days=tuple(self.coins),
            split_leg_experiments=(self.experiment,) if self.experiment else (),
        )
        return split_leg_results(records, today)[-1]


def _calf(leg: Leg) -> CalfRecord:
    return CalfRecord(leg, None, 60.0)


def better_days(diary: Diary, n: int, gap: int = 2) -> None:
    """``n`` days on which the massaged calf is ``gap`` points less sore the next day."""
    for i in range(n):
        leg = Leg.LEFT if i % 2 else Leg.RIGHT
        nxt = (4 - gap, 4) if leg is Leg.LEFT else (4, 4 - gap)
        diary.day(i, leg, (4, 4), nxt)


def test_registered_result_is_computed_once_the_planned_days_are_in() -> None:
    diary = Diary.registered(6)
    better_days(diary, 6)
    result = diary.analyse(START + timedelta(days=10))
    primary = result.primary
    assert result.status is Status.COMPLETE and primary.days == 6
    assert primary.differences == (-2.0,) * 6
    assert primary.p_value == pytest.approx(1 / 32)
    assert primary.interval == (-2.0, -2.0)
    assert primary.conclusion is Conclusion.MASSAGED_BETTER_MEANINGFUL
    assert primary.headline == (
        "Your massaged calf came out less sore the next day than the other calf, by more "
        "than the 1.4 points that matter."
    )


def test_before_the_planned_days_only_progress_is_shown() -> None:
    diary = Diary.registered(20)
    better_days(diary, 9)
    diary.day(9, Leg.LEFT, (4, 4), None)  # today's: the next-day rating is still to come
    result = diary.analyse(START + timedelta(days=9))
    primary = result.primary
    assert result.status is Status.RUNNING and len(result.results) == 1
    assert primary.conclusion is Conclusion.NOT_YET_DUE
    assert primary.p_value is None and primary.interval is None
    assert primary.mean_difference is None and primary.differences == ()
    assert primary.headline == (
        "Day 9 of 20: the result comes on day 20, so that looking early cannot fool you."
    )
    assert primary.pending == 1 and not primary.missing
    text = " ".join((*primary.figures, primary.headline))
    assert "p =" not in text and "interval" not in text.replace("No average, interval", "")


def test_stopping_early_ends_without_a_result() -> None:
    diary = Diary.registered(20)
    better_days(diary, 12)
    assert diary.experiment is not None
    diary.experiment = SplitLegExperiment(
        "exp-1", at(START, 7), START, 20, Outcome.NEXT_DAY_SORENESS, at(START + timedelta(13), 9)
    )
    result = diary.analyse(START + timedelta(days=14))
    assert result.status is Status.STOPPED
    assert result.primary.conclusion is Conclusion.NOT_YET_DUE and result.primary.p_value is None
    assert result.primary.headline.startswith("You stopped this experiment after 12 of 20 days")
    assert "without a result" in result.primary.headline


def test_a_rating_added_after_the_result_was_due_does_not_change_it() -> None:
    diary = Diary.registered(6)
    better_days(diary, 7)
    missing = START + timedelta(days=2)
    diary.soreness = [
        i for i in diary.soreness if not (i.record.day == missing and i.record.moment == "next_day")
    ]
    first = diary.analyse(START + timedelta(days=9)).primary
    assert first.days == 6 and [d.day for d in first.missing] == [missing]
    # Much later, the missing day's next-day rating is typed in, the other way round:
    diary.rate(missing, SorenessMoment.NEXT_DAY, 0, 9, at(START + timedelta(days=30), 8))
    again = diary.analyse(START + timedelta(days=31)).primary
    assert again.differences == first.differences and again.interval == first.interval
    assert "after the result was due" in again.missing[0].reason


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"drawn": False}, "no time is stored"),
        ({"coin_hour": 7}, "recorded after the coin was drawn"),
    ],
)
def test_unverified_coins_are_left_out_with_the_reason(
    change: dict[str, object], reason: str
) -> None:
    diary = Diary.registered(6)
    for i in range(7):
        leg = Leg.LEFT if i % 2 else Leg.RIGHT
        nxt = (2, 4) if leg is Leg.LEFT else (4, 2)
        diary.day(i, leg, (4, 4), nxt, **(change if i == 3 else {}))  # type: ignore[arg-type]
    result = diary.analyse(START + timedelta(days=10)).primary
    assert result.days == 6 and START + timedelta(days=3) not in [d.day for d in result.missing]
    assert [d.day for d in result.left_out] == [START + timedelta(days=3)]
    assert reason in result.left_out[0].reason
    assert any("Left out: 1 day whose coin could not be checked" in f for f in result.figures)


def test_coins_from_before_experiments_are_analysed_as_not_pre_registered() -> None:
    diary = Diary()
    better_days(diary, 8)
    result = diary.analyse()
    assert result.experiment is None and result.status is Status.NOT_PRE_REGISTERED
    assert result.primary.days == 8 and result.primary.p_value is not None
    assert NOT_PRE_REGISTERED in result.primary.caveats
    assert any("allocation could not be verified" in c for c in result.primary.caveats)


def test_missing_days_are_counted_and_warned_about_above_a_fifth() -> None:
    diary = Diary.registered(6)
    for i in range(8):
        leg = Leg.LEFT if i % 2 else Leg.RIGHT
        diary.day(i, leg, (4, 4), None if i in (1, 3) else (3, 4))
    result = diary.analyse(START + timedelta(days=20)).primary
    assert result.days == 6 and len(result.missing) == 2
    assert result.missing_share == pytest.approx(0.25)
    assert any(f.startswith("Warning: 2 of 8 days (25%) are missing") for f in result.figures)
    assert any(
        f.startswith("Missing: 2 days (calfcare never guesses a missing rating): ")
        for f in result.figures
    )


def test_intention_to_treat_beside_per_protocol() -> None:
    diary = Diary.registered(8)
    better_days(diary, 8)
    wrong = START + timedelta(days=1)  # the coin said left; both calves were massaged
    diary.session(wrong, {Leg.LEFT, Leg.RIGHT})
    diary.coins[2] = SplitLegDay(
        diary.coins[2].day, diary.coins[2].massaged, diary.coins[2].drawn_at, "exp-1",
        MassagedCalves.NEITHER,
    )  # fmt: skip
    for i in range(3, 8):
        day = START + timedelta(days=i)
        diary.session(day, {diary.coins[i].massaged})
    result = diary.analyse(START + timedelta(days=12)).primary
    assert result.days == 8  # by the coin: every day counts
    assert result.per_protocol is not None and result.per_protocol.days == 5
    assert any(f.startswith("Counting only the 5 days you massaged just") for f in result.figures)


def test_knee_to_wall_higher_is_better_and_names_swap() -> None:
    diary = Diary.registered(6, Outcome.KNEE_TO_WALL)
    for i in range(6):
        day = START + timedelta(days=i)
        massaged = Leg.LEFT if i % 2 else Leg.RIGHT
        for leg, gain in ((massaged, 2.0), (massaged.other, 0.1 * (i % 3))):
            for moment, cm, hour in (
                (MobilityMoment.BEFORE, 9.0, 8),
                (MobilityMoment.AFTER, 9.0 + gain, 10),
            ):
                diary.mobility.append(Logged(f"m{len(diary.mobility)}", at(day, hour),
                                             MobilityTest(day, leg, moment, cm)))  # fmt: skip
        diary.coins.append(SplitLegDay(day, massaged, at(day, 9), "exp-1"))
    result = diary.analyse(START + timedelta(days=8)).primary
    assert result.outcome is Outcome.KNEE_TO_WALL and result.unit == "cm"
    assert result.conclusion is Conclusion.MASSAGED_BETTER_MEANINGFUL
    assert "gained more knee-to-wall distance" in result.headline


HEADLINES = {
    Conclusion.MASSAGED_BETTER_MEANINGFUL: "by more than the 1.4 points that matter",
    Conclusion.MASSAGED_BETTER_SIZE_UNCLEAR: "but we can't tell whether by enough to matter",
    Conclusion.MASSAGED_WORSE_MEANINGFUL: "more sore the next day than the other calf, by more",
    Conclusion.MASSAGED_WORSE_SIZE_UNCLEAR: "more sore the next day than the other calf, but",
    Conclusion.NO_MEANINGFUL_DIFFERENCE: "No difference that matters",
    Conclusion.INCONCLUSIVE: "This can't tell",
    Conclusion.TOO_FEW_DAYS: "Too few complete days to tell",
}

rows = st.lists(st.tuples(st.booleans(), *[st.integers(0, 10)] * 4), min_size=6, max_size=24)


@given(rows)
@settings(max_examples=80, deadline=None)
def test_every_sentence_says_what_its_verdict_says(
    data: list[tuple[bool, int, int, int, int]],
) -> None:
    diary = Diary.registered(6)
    for i, (left, mb, mn, cb, cn) in enumerate(data):
        leg = Leg.LEFT if left else Leg.RIGHT
        before = (mb, cb) if leg is Leg.LEFT else (cb, mb)
        after = (mn, cn) if leg is Leg.LEFT else (cn, mn)
        diary.day(i, leg, before, after)
    assert diary.experiment is not None
    diary.experiment = SplitLegExperiment("exp-1", at(START, 7), START, len(data),
                                          Outcome.NEXT_DAY_SORENESS)  # fmt: skip
    r = diary.analyse(START + timedelta(days=40)).primary
    assert r.conclusion in HEADLINES and HEADLINES[r.conclusion] in r.headline
    assert r.caveats[:3] == (SPILL_OVER, CARRY_OVER, UNBLINDED)
    assert not BANNED.search(" ".join((r.headline, *r.figures, *r.caveats, *r.details)))
    assert r.interval is not None and r.mean_difference is not None
    assert r.interval[0] - 1e-9 <= r.mean_difference <= r.interval[1] + 1e-9
    jargon = re.compile(r"p =|p <|exact-dp|sign-flip|randomisation|invert", re.IGNORECASE)
    assert not jargon.search(" ".join((r.headline, *r.figures)))  # only in the details
    assert any("sign-flip" in d for d in r.details)


def test_a_coin_without_an_experiment_id_of_a_stored_experiment_is_not_analysed() -> None:
    diary = Diary.registered(6)
    better_days(diary, 6)
    diary.coins.append(SplitLegDay(START + timedelta(days=9), Leg.LEFT, at(START, 9), "other"))
    assert diary.analyse(START + timedelta(days=10)).coin_days == 6
