"""The split-leg experiment's use cases: register, draw today's coin, say which calves were
massaged, stop early. One transaction each, so a state read and the write it allows are one
step (two tabs drawing at once get the same coin).

The rules are pure (`calfcare.core.split_leg_today`); this module only reads what they need
(the experiments, and the latest experiment's records from its start day, not years of
history), applies them and writes. The CLI and the web pages and API call these.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from calfcare.core.days import day_problems
from calfcare.core.errors import InvalidInput
from calfcare.core.records import RecordSet
from calfcare.core.split_leg_design import Outcome, SplitLegExperiment, experiment
from calfcare.core.split_leg_power import default_days
from calfcare.core.split_leg_today import (
    Today,
    build_today,
    draw_problems,
    latest_experiment,
    report_problems,
    start_problems,
    stop_problems,
)
from calfcare.core.tracking import MassagedCalves, SplitLegDay, draw_split_leg_day
from calfcare.services.common import new_id, today_of
from calfcare.services.person_lines import writing
from calfcare.storage import Store, Transaction

KINDS = ("sessions", "soreness", "mobility", "split_leg_days", "split_leg_experiments")


def _records(tx: Transaction, today: date) -> RecordSet:
    """The experiments, and every record from the latest experiment's start (and yesterday)."""
    experiments = tx.split_leg_experiments()
    latest = latest_experiment(RecordSet(split_leg_experiments=tuple(experiments)))
    since = today - timedelta(days=1)
    if latest is not None:
        since = min(since, latest.start_day)
    kinds = KINDS[:-1]
    found = tx.records(since, None, kinds=kinds)
    return RecordSet(
        sessions=found.sessions,
        soreness=found.soreness,
        mobility=found.mobility,
        split_leg_days=found.split_leg_days,
        split_leg_experiments=tuple(experiments),
    )


def split_leg_today(store: Store, *, now: datetime) -> Today:
    """Where the latest experiment stands today, and the next step."""
    today = today_of(now)
    with store.reading() as tx:
        return build_today(_records(tx, today), today)


def start_experiment(
    store: Store, *, days: object = None, outcome: object = None, now: datetime
) -> SplitLegExperiment:
    """Register a new experiment starting today (``days`` defaults to the power table's
    length for ``outcome``, default next-day soreness); refused while one runs."""
    today = today_of(now)
    chosen = "next_day_soreness" if outcome is None else outcome
    if days is None and chosen in [o.value for o in Outcome]:
        days = default_days(Outcome(str(chosen)))
    with writing(store, now) as tx:
        problems = start_problems(build_today(_records(tx, today), today))
        try:
            record = experiment(id=new_id(), days=days, outcome=chosen, now=now, today=today)
        except InvalidInput as error:
            problems += error.problems
        if problems:
            raise InvalidInput(problems, "The experiment was not started; nothing was saved.")
        tx.add_split_leg_experiment(record)
    return record


def stop_experiment(store: Store, *, now: datetime) -> SplitLegExperiment:
    """Stop the running experiment early: it ends without a result."""
    today = today_of(now)
    with writing(store, now) as tx:
        state = build_today(_records(tx, today), today)
        problems = stop_problems(state)
        if problems or state.experiment is None:
            raise InvalidInput(problems, "Nothing was stopped.")
        tx.stop_split_leg_experiment(state.experiment.id, now)
        exp = state.experiment
    return SplitLegExperiment(
        exp.id, exp.registered_at, exp.start_day, exp.planned_days, exp.outcome, now
    )


def draw_coin(
    store: Store, *, now: datetime, day: object = None, rng: random.Random | None = None
) -> tuple[SplitLegDay, bool]:
    """Today's coin: the stored one, or a fresh fair toss stored at once with its time.

    Returns ``(coin, drawn_now)``. Refused (`InvalidInput`) for any other day, with no
    experiment running, or before today's before-measures of both calves are in. ``rng``
    defaults to `random.SystemRandom` (tests pass a seeded one)."""
    today = today_of(now)
    wanted = today if day is None else day
    bad_day = day_problems(wanted, today)  # (`calfcare.core.days`: every record's bounds)
    if bad_day:
        raise InvalidInput(bad_day, "No coin was drawn.")
    assert isinstance(wanted, date)
    with writing(store, now) as tx:
        state = build_today(_records(tx, today), today)
        problems = draw_problems(state, wanted)
        if problems:
            raise InvalidInput(problems, "No coin was drawn.")
        if state.coin is not None:
            return state.coin, False
        assert state.experiment is not None
        coin = draw_split_leg_day(
            today,
            rng or random.SystemRandom(),
            today=today,
            drawn_at=now,
            experiment_id=state.experiment.id,
        )
        tx.add_split_leg_day(coin)
    return coin, True


def record_massaged(
    store: Store, *, calves: object, now: datetime, day: object = None
) -> SplitLegDay:
    """Record which calves were massaged on a coin's day when no session says so (once)."""
    today = today_of(now)
    wanted = today if day is None else day
    with writing(store, now) as tx:
        records = _records(tx, today)
        both = RecordSet()
        if not day_problems(wanted, today):  # (`calfcare.core.days`: a coin's day bounds)
            assert isinstance(wanted, date)
            extra = tx.records(wanted, wanted, kinds=("sessions", "split_leg_days"))
            both = RecordSet(sessions=extra.sessions, split_leg_days=extra.split_leg_days)
        problems = report_problems(build_today(records, today), wanted, calves, both)
        if problems:
            raise InvalidInput(problems, "Nothing was saved.")
        said = MassagedCalves(str(calves))
        assert isinstance(wanted, date)
        tx.set_split_leg_reported(wanted, said)
        coin = both.split_leg_days[0]
    return SplitLegDay(coin.day, coin.massaged, coin.drawn_at, coin.experiment_id, said)
