"""The split-leg part of the one-page report: each experiment that ran in the period, analysed
whole as registered (never cut to the report's dates), in the insights' own words."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from calfcare.core.insight_report import split_leg_results
from calfcare.core.period_report import build_report
from calfcare.core.records import RecordSet
from calfcare.core.report_split_leg import experiments_in_period, split_leg_span
from calfcare.core.split_leg_result import Status
from calfcare.core.split_leg_stats import Conclusion
from tests.core.test_split_leg import START, Diary, at, better_days


def records_of(diary: Diary) -> RecordSet:
    return RecordSet(
        sessions=tuple(diary.sessions),
        soreness=tuple(diary.soreness),
        mobility=tuple(diary.mobility),
        split_leg_days=tuple(diary.coins),
        split_leg_experiments=(diary.experiment,) if diary.experiment else (),
    )


def test_a_running_experiment_shows_its_progress_only() -> None:
    diary = Diary.registered(14)
    better_days(diary, 9)
    today = START + timedelta(days=10)
    report = build_report(records_of(diary), START, today, today=today)
    assert report.split_leg_lines == (
        (
            "Next-day soreness: 14 days planned from 2 Nov 2026",
            "Day 9 of 14: the result comes on day 14, so that looking early cannot fool you.",
        ),
    )
    (result,) = report.split_leg
    assert result.status is Status.RUNNING
    assert result.primary.conclusion is Conclusion.NOT_YET_DUE
    assert result.primary.p_value is None and result.primary.interval is None


def test_a_finished_experiment_is_analysed_whole_even_when_the_period_cuts_it() -> None:
    diary = Diary.registered(6)
    better_days(diary, 6)
    records = records_of(diary)
    today = START + timedelta(days=20)
    whole = split_leg_results(records, today)[-1]
    assert whole.primary.conclusion is Conclusion.MASSAGED_BETTER_MEANINGFUL
    # A period holding only the last two coin days: the registered result, not two days' one.
    tail = build_report(records, START + timedelta(days=4), today, today=today)
    assert tail.split_leg == (whole,)
    assert tail.split_leg_lines[0][1] == (
        "Your massaged calf came out less sore the next day than the other calf, by more "
        "than the 1.4 points that matter."
    )
    assert set(whole.primary.sources) <= set(tail.sources)
    # Periods before it started, or after it ended with no coin in them: not shown.
    before = START - timedelta(days=10)
    assert build_report(records, before, START - timedelta(days=1), today=today).split_leg == ()
    after = START + timedelta(days=12)
    assert build_report(records, after, today, today=today).split_leg == ()


def test_a_running_experiment_counts_in_a_period_without_its_coins() -> None:
    diary = Diary.registered(14)
    better_days(diary, 3)
    records = records_of(diary)
    today = START + timedelta(days=30)
    quiet = START + timedelta(days=20)  # no coin since day 3, still running
    shown = experiments_in_period(records, quiet, today, today=today)
    assert [e.status for e in shown] == [Status.RUNNING]
    assert shown[0].primary.headline.startswith("Day 3 of 14: the result comes on day 14")


def test_a_stopped_experiment_says_it_ends_without_a_result() -> None:
    diary = Diary.registered(14)
    better_days(diary, 4)
    assert diary.experiment is not None
    stop = START + timedelta(days=5)
    diary.experiment = replace(diary.experiment, stopped_at=at(stop, 12))
    records = records_of(diary)
    today = START + timedelta(days=30)
    (result,) = experiments_in_period(records, stop, stop, today=today)
    assert result.primary.headline == (
        "You stopped this experiment after 4 of 14 days, so it ends without a result: part "
        "of an experiment can mislead."
    )
    assert experiments_in_period(records, stop + timedelta(days=1), today, today=today) == ()


def test_the_span_covers_the_coin_days_of_each_experiment_that_may_have_run() -> None:
    diary = Diary.registered(6)
    better_days(diary, 6)
    assert diary.experiment is not None
    exp, coins = diary.experiment, diary.coins
    last_coin = START + timedelta(days=5)
    # The period holds one coin: every coin day of the experiment is needed.
    span = split_leg_span([exp], coins, last_coin, last_coin + timedelta(days=3))
    assert span == (START, last_coin)
    # The latest experiment may still be running: needed for any period after its start.
    later = last_coin + timedelta(days=40)
    assert split_leg_span([exp], coins, later, later) == (START, last_coin)
    earlier = START - timedelta(days=9)
    assert split_leg_span([exp], coins, earlier, START - timedelta(days=1)) is None
    # Coins from before experiments: only when one of them is in the period.
    old = [replace(c, day=c.day - timedelta(days=100), drawn_at=None, experiment_id=None)
           for c in coins[:2]]  # fmt: skip
    assert split_leg_span([], old, START, START) is None
    assert split_leg_span([], old, old[1].day, old[1].day) == (old[0].day, old[1].day)
