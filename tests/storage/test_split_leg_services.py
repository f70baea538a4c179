"""The split-leg use cases on a real database: plan, rate, draw (today only, after both
before-ratings, never redrawn), say what was massaged, stop; and a database from before
experiments existed keeps its coins as not pre-registered."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import text

from calfcare import services
from calfcare.core.errors import InvalidInput
from calfcare.core.followup import FollowUpAnswers
from calfcare.core.insight_report import split_leg_results
from calfcare.core.split_leg_result import Status
from calfcare.core.split_leg_today import Step
from calfcare.services import split_leg as split_leg_services
from calfcare.storage import Store, open_store
from calfcare.storage.engine import make_engine
from calfcare.storage.migrate import upgrade

DAY1 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def problems(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {p.field: p.message for p in error.value.problems}


def rate(store: Store, now: datetime, moment: str = "before", day: date | None = None) -> None:
    followup = FollowUpAnswers.none() if moment == "next_day" else None
    services.log_soreness(
        store, day=day or services.today_of(now), scores={"left": 4, "right": 3},
        moment=moment, now=now, followup=followup,
    )  # fmt: skip


def test_a_day_of_the_experiment_in_order(store: Store) -> None:
    with pytest.raises(InvalidInput) as no_experiment:
        split_leg_services.draw_coin(store, now=DAY1)
    assert "start one first" in problems(no_experiment)["experiment"]
    exp = split_leg_services.start_experiment(store, days=6, now=DAY1)
    assert exp.planned_days == 6 and exp.outcome == "next_day_soreness"
    with pytest.raises(InvalidInput) as again:
        split_leg_services.start_experiment(store, now=DAY1)
    assert "an experiment is running (day 0 of 6)" in problems(again)["experiment"]
    state = split_leg_services.split_leg_today(store, now=DAY1)
    assert state.step is Step.RATE_BEFORE
    with pytest.raises(InvalidInput) as not_rated:
        split_leg_services.draw_coin(store, now=DAY1)
    assert "still missing: left and right" in problems(not_rated)["before"]
    rate(store, DAY1)
    assert split_leg_services.split_leg_today(store, now=DAY1).step is Step.DRAW
    with pytest.raises(InvalidInput) as other_day:
        split_leg_services.draw_coin(store, now=DAY1, day=date(2026, 11, 1))
    assert "only today (2026-11-02)" in problems(other_day)["day"]
    coin, drawn = split_leg_services.draw_coin(store, now=DAY1, rng=random.Random(1))
    assert drawn and coin.drawn_at == DAY1 and coin.experiment_id == exp.id
    same, drawn_again = split_leg_services.draw_coin(store, now=DAY1 + timedelta(hours=1))
    assert same == coin and not drawn_again
    assert split_leg_services.split_leg_today(store, now=DAY1).step is Step.MASSAGE
    said = split_leg_services.record_massaged(store, calves="both", now=DAY1)
    assert said.reported == "both"
    with pytest.raises(InvalidInput) as twice:
        split_leg_services.record_massaged(store, calves="left", now=DAY1)
    assert "already answered" in problems(twice)["day"]
    assert split_leg_services.split_leg_today(store, now=DAY1).step is Step.RATE_AFTER
    csv = services.export_bytes(store, "csv").decode()
    assert f"split_leg_day,{exp.id},2026-11-02,2026-11-02T08:00:00+00:00" in csv
    assert "reported=both" in csv and f"split_leg_experiment,{exp.id},2026-11-02," in csv


def test_the_result_comes_after_the_planned_days_and_stop_ends_without_one(store: Store) -> None:
    split_leg_services.start_experiment(store, days=6, now=DAY1)
    for n in range(6):
        now = DAY1 + timedelta(days=n)
        rate(store, now)
        split_leg_services.draw_coin(store, now=now, rng=random.Random(n))
        nxt = now + timedelta(days=1)
        state = split_leg_services.split_leg_today(store, now=nxt)
        if n < 5:
            assert state.next_day_due == services.today_of(now)
        rate(store, nxt, "next_day", day=services.today_of(now))
    later = DAY1 + timedelta(days=7)
    records = services.load_records(store, kinds=services.INSIGHT_KINDS)
    result = split_leg_results(records, services.today_of(later))[-1]
    assert result.status is Status.COMPLETE and result.primary.days == 6
    assert result.primary.p_value is not None
    with pytest.raises(InvalidInput) as finished:
        split_leg_services.draw_coin(store, now=later)
    assert "has all its days" in problems(finished)["experiment"]
    with pytest.raises(InvalidInput):
        split_leg_services.stop_experiment(store, now=later)  # nothing is running
    second = split_leg_services.start_experiment(store, days=10, outcome="knee_to_wall", now=later)
    stopped = split_leg_services.stop_experiment(store, now=later + timedelta(hours=1))
    assert stopped.id == second.id and stopped.stopped_at is not None
    records = services.load_records(store, kinds=services.INSIGHT_KINDS)
    results = split_leg_results(records, services.today_of(later))
    assert [r.status for r in results] == [Status.COMPLETE, Status.STOPPED]


def test_coins_from_before_experiments_survive_the_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0002")
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO split_leg_days (day, massaged) VALUES (:d, 'left')"),
                {"d": date(2025, 6, 1)},
            )
    finally:
        engine.dispose()
    store = open_store(db_url)  # upgrades to the head revision
    try:
        with store.reading() as tx:
            (coin,) = tx.split_leg_days()
        assert coin.drawn_at is None and coin.experiment_id is None and coin.reported is None
        records = services.load_records(store, kinds=services.INSIGHT_KINDS)
        (legacy,) = split_leg_results(records)
        assert legacy.experiment is None and legacy.status is Status.NOT_PRE_REGISTERED
    finally:
        store.close()


def test_the_report_shows_each_experiment_of_its_period_whole(store: Store) -> None:
    """The one-page report reads the days of an experiment's coins outside its period too:
    its split-leg line is what the insights say of the whole experiment, never a result of
    the days that happen to fall in the period."""
    split_leg_services.start_experiment(store, days=6, now=DAY1)
    for n in range(6):
        now = DAY1 + timedelta(days=n)
        rate(store, now)
        split_leg_services.draw_coin(store, now=now, rng=random.Random(n))
        if n == 2:  # a report made while it runs: its progress only
            running = services.period_report(store, since=None, until=None, now=now)
            assert [h for _, h in running.split_leg_lines] == [
                "Day 2 of 6: the result comes on day 6, so that looking early cannot fool you."
            ]
        rate(store, now + timedelta(days=1), "next_day", day=services.today_of(now))
    later = DAY1 + timedelta(days=9)
    today = services.today_of(later)
    last_two = services.today_of(DAY1 + timedelta(days=4))
    report = services.period_report(store, since=last_two, until=today, now=later)
    records = services.load_records(store, kinds=services.INSIGHT_KINDS)
    (whole,) = split_leg_results(records, today)
    assert whole.status is Status.COMPLETE and whole.primary.days == 6
    assert report.split_leg == (whole,)
    assert report.split_leg_lines[0] == (
        f"Next-day soreness: 6 days planned from {DAY1.day} Nov 2026",
        whole.primary.headline,
    )
    # The soreness charts still show only the period's days.
    soreness_days = {d for c in report.charts for line in c.lines for d, _ in line.points}
    assert soreness_days and min(soreness_days) >= last_two
