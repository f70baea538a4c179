"""Today in a split-leg experiment: what is done, what comes next, and what may be done.

The rules that keep the allocation concealed live here, pure: an experiment is registered
before its first coin; a coin is drawn only for today, only while the experiment runs, and
only after today's "before" measure of both calves for the registered outcome (soreness
ratings, or knee-to-wall tests), so that no before-measure can be coloured by knowing the
coin; a coin is never redrawn. Which calves were massaged comes from the day's sessions, or
the person's answer when no session was recorded (once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from calfcare.core.days import day_problems
from calfcare.core.errors import Problem
from calfcare.core.insight_report import experiment_record_json, session_days, skipped_days
from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet
from calfcare.core.split_leg import analyse_experiments
from calfcare.core.split_leg_days import index_ratings
from calfcare.core.split_leg_design import SPECS, SplitLegExperiment
from calfcare.core.split_leg_result import ExperimentResult, Status
from calfcare.core.tracking import MassagedCalves, SplitLegDay


class Step(StrEnum):
    """The next thing to do today."""

    START = "start"  # no experiment running: register one
    RATE_BEFORE = "rate_before"  # rate (or test) both calves before the session
    DRAW = "draw"  # draw today's coin
    MASSAGE = "massage"  # massage only the coin's calf (or say what was massaged)
    RATE_AFTER = "rate_after"  # rate both calves right after
    DONE_TODAY = "done_today"  # come back tomorrow for the next-day rating


@dataclass(frozen=True, slots=True)
class Today:
    today: date
    experiment: SplitLegExperiment | None
    result: ExperimentResult | None  # of ``experiment``
    coin: SplitLegDay | None
    before: frozenset[Leg]  # calves with today's before-measure of the registered outcome
    after: frozenset[Leg]  # calves rated (or tested) right after today
    massaged: frozenset[Leg] | None  # from today's sessions (None: no session)
    next_day_due: date | None  # a coin day whose next-day rating is still to come
    step: Step

    @property
    def running(self) -> bool:
        return self.result is not None and self.result.status is Status.RUNNING


def latest_experiment(records: RecordSet) -> SplitLegExperiment | None:
    found = sorted(records.split_leg_experiments, key=lambda e: (e.registered_at, e.id))
    return found[-1] if found else None


def build_today(records: RecordSet, today: date) -> Today:
    """The state of the latest experiment on ``today``. ``records`` must hold every coin,
    rating and session of that experiment (from its start day) and the experiments."""
    exp = latest_experiment(records)
    result = None
    if exp is not None:
        mine = RecordSet(
            sessions=records.sessions,
            soreness=records.soreness,
            mobility=records.mobility,
            split_leg_days=tuple(d for d in records.split_leg_days if d.experiment_id == exp.id),
            split_leg_experiments=(exp,),
        )
        ratings = index_ratings(
            mine.soreness,
            mine.mobility,
            session_days(records),
            skipped_days(records),
        )
        results = analyse_experiments((exp,), mine.split_leg_days, ratings, today=today)
        result = results[-1]
    coin = next((d for d in records.split_leg_days if d.day == today), None)
    kind = SPECS[exp.outcome].kind if exp is not None else "soreness"
    items = records.soreness if kind == "soreness" else records.mobility
    before = frozenset(
        i.record.leg for i in items if i.record.day == today and i.record.moment == "before"
    )
    after = frozenset(
        i.record.leg for i in items if i.record.day == today and i.record.moment == "after"
    )
    legs = [s.legs for s in records.sessions if s.day == today]
    massaged = frozenset().union(*legs) if legs else None
    yesterday = today - timedelta(days=1)
    rated_next = {
        i.record.leg
        for i in records.soreness
        if i.record.day == yesterday and i.record.moment == "next_day"
    }
    coin_yesterday = exp is not None and any(
        d.day == yesterday and d.experiment_id == exp.id for d in records.split_leg_days
    )
    due = yesterday if coin_yesterday and len(rated_next) < 2 else None
    state = Today(today, exp, result, coin, before, after, massaged, due, Step.START)
    return Today(today, exp, result, coin, before, after, massaged, due, _step(state))


def _step(t: Today) -> Step:
    if t.coin is None:
        if not t.running:
            return Step.START
        return Step.DRAW if len(t.before) == 2 else Step.RATE_BEFORE
    if t.massaged is None and t.coin.reported is None:
        return Step.MASSAGE
    return Step.RATE_AFTER if len(t.after) < 2 else Step.DONE_TODAY


def start_problems(t: Today) -> list[Problem]:
    if t.running and t.result is not None:
        done = t.result.complete_days
        return [
            Problem(
                "experiment",
                f"an experiment is running (day {done} of {t.result.primary.planned_days}): "
                "finish it, or stop it first (it then ends without a result)",
            )
        ]
    return []


def stop_problems(t: Today) -> list[Problem]:
    if not t.running:
        return [Problem("experiment", "no split-leg experiment is running")]
    return []


def draw_problems(t: Today, day: date) -> list[Problem]:
    """Why a coin may not be drawn for ``day`` now (empty: it may)."""
    if day != t.today:
        return [
            Problem(
                "day",
                f"only today ({t.today.isoformat()}): a coin is drawn on its day, before the "
                "session, never for another day",
            )
        ]
    if t.coin is not None:
        return []  # the stored coin is shown again, never redrawn
    if t.experiment is None or t.result is None or t.result.status is not Status.RUNNING:
        finished = t.result is not None and t.result.status is Status.COMPLETE
        why = (
            "the experiment has all its days: its result is in the insights; start a new one "
            "for more"
            if finished
            else "no split-leg experiment is running: start one first"
        )
        return [Problem("experiment", why)]
    if len(t.before) < 2:
        kind = SPECS[t.experiment.outcome].kind
        missing = " and ".join(leg.value for leg in Leg if leg not in t.before)
        what = "rate the soreness of" if kind == "soreness" else "do the knee-to-wall test of"
        return [
            Problem(
                "before",
                f"first {what} both calves before the session (still missing: {missing}); the "
                "coin comes after, so that knowing it cannot colour those",
            )
        ]
    return []


def report_problems(t: Today, day: object, calves: object, records: RecordSet) -> list[Problem]:
    """Why the calves massaged on ``day`` may not be recorded now (empty: they may). A day
    outside the bounds of every record's day (`calfcare.core.days`) is named as such."""
    problems: list[Problem] = []
    if not isinstance(calves, str) or calves not in [c.value for c in MassagedCalves]:
        allowed = ", ".join(c.value for c in MassagedCalves)
        problems.append(Problem("calves", f"{calves!r:.60} is not one of: {allowed}"))
    bad_day = day_problems(day, t.today)
    if bad_day or not isinstance(day, date):
        return problems + bad_day
    coin = next((d for d in records.split_leg_days if d.day == day), None)
    if coin is None:
        problems.append(Problem("day", f"no split-leg coin was drawn on {day.isoformat()}"))
    elif coin.reported is not None:
        problems.append(
            Problem("day", f"already answered for {day.isoformat()}: {coin.reported.value}")
        )
    elif any(s.day == day for s in records.sessions):
        problems.append(
            Problem("day", f"a session recorded on {day.isoformat()} already says which calves")
        )
    return problems


def coin_json(coin: SplitLegDay) -> dict[str, Any]:
    return {
        "day": coin.day.isoformat(),
        "massaged": coin.massaged.value,
        "control": coin.control.value,
        "drawn_at": None if coin.drawn_at is None else coin.drawn_at.isoformat(),
        "experiment_id": coin.experiment_id,
        "reported": None if coin.reported is None else coin.reported.value,
    }


def today_json(state: Today) -> dict[str, Any]:
    result = state.result
    return {
        "today": state.today.isoformat(),
        "experiment": experiment_record_json(state.experiment),
        "status": None if result is None else result.status.value,
        "complete_days": None if result is None else result.complete_days,
        "coin": None if state.coin is None else coin_json(state.coin),
        "rated_before": sorted(leg.value for leg in state.before),
        "rated_after": sorted(leg.value for leg in state.after),
        "next_day_due": None if state.next_day_due is None else state.next_day_due.isoformat(),
        "next_step": state.step.value,
        "headline": None if result is None else result.primary.headline,
    }
