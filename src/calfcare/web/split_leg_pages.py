"""The insights page and the split-leg experiment's page, with its forms.

``/split-leg`` walks a person through the day in the order that keeps the coin concealed:
plan the experiment (once), rate both calves before the session, draw the coin, massage only
that calf (or say which calves were massaged), rate both right after and the next day. Every
form posts with its CSRF token to the same use cases as the CLI
(`calfcare.services.split_leg`); a refused form is shown again (422) with every problem
named, and a saved one redirects (303) back to the page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fastapi import Request
from starlette.responses import HTMLResponse, Response

from calfcare import services
from calfcare.core.errors import InvalidInput, Problem
from calfcare.core.split_leg_design import MAX_PLANNED_DAYS, MIN_PLANNED_DAYS, REGISTRABLE
from calfcare.core.split_leg_power import default_days
from calfcare.core.split_leg_words import plan_sentence
from calfcare.core.whole_number import whole_number
from calfcare.services import split_leg as split_leg_services
from calfcare.web.api import common
from calfcare.web.api.common import cached
from calfcare.web.api.insights import insights_report
from calfcare.web.deps import ReadCacheDep, StoreDep
from calfcare.web.forms import client_id, form_page, number, submit, then_see
from calfcare.web.route_index import Router
from calfcare.web.templating import Pages, PagesDep

router = Router(include_in_schema=False)

OUTCOME_TITLES = {
    "next_day_soreness": "Next-day soreness",
    "same_session_soreness": "Soreness right after the session",
    "knee_to_wall": "Knee-to-wall gain over the session",
}
OUTCOME_CHOICES = (
    ("next_day_soreness", "Next-day soreness", "how sore each calf is the day after"),
    ("knee_to_wall", "Knee-to-wall", "how far each ankle bends, before and after the session"),
)
SAVED = {
    "started": "Your experiment is planned. Day 1 starts with today's before-session rating.",
    "before": "Both before-session ratings are saved. Now draw today's coin.",
    "drawn": "Today's coin is drawn and stored.",
    "massaged": "Saved: which calves you massaged today.",
    "stopped": "The experiment is stopped. It ends without a result.",
}
FIELD_IDS = {
    "days": "days",
    "outcome": "outcome-0",
    "experiment": "top",
    "before": "left-score",
    "left": "left-score",
    "right": "right-score",
    "left.score": "left-score",
    "right.score": "right-score",
    "left.distance_cm": "left-cm",
    "right.distance_cm": "right-cm",
    "calves": "calves-0",
    "confirm": "confirm",
    "day": "top",
}


@router.get("/insights", name="insights")
async def insights(request: Request, pages: PagesDep, cache: ReadCacheDep) -> HTMLResponse:
    """Is it helping? Plain words first, then the figures; the statistics in a detail."""
    today = services.today_of(common.now())
    version, report = await cached(
        cache, ("insights_report", today), lambda: insights_report(cache, today)
    )
    return pages.render_cached(
        request,
        "insights.html",
        vary=("data", version, today),
        ordinary=report.ordinary,
        latest=report.current,
        earlier=report.experiments[:-1],
        outcome_titles=OUTCOME_TITLES,
    )


@router.get("/split-leg", name="split_leg")
def split_leg(request: Request, pages: PagesDep, store: StoreDep) -> HTMLResponse:
    """The experiment today: what is done, what comes next, and the form for it."""
    return _page(request, pages, store, saved=SAVED.get(request.query_params.get("saved", "")))


def _page(
    request: Request,
    pages: Pages,
    store: Any,
    *,
    saved: str | None = None,
    problems: list[Problem] | None = None,
    values: Mapping[str, str] | None = None,
) -> HTMLResponse:
    state = split_leg_services.split_leg_today(store, now=common.now())
    with store.reading() as tx:  # only this experiment's coins, for the table
        coins = [c for c in tx.split_leg_days() if state.experiment is None
                 or c.experiment_id == state.experiment.id]  # fmt: skip
    plans = {o.value: (default_days(o), plan_sentence(o, default_days(o))) for o in REGISTRABLE}
    return form_page(
        request,
        pages,
        "split_leg.html",
        values=dict(values or {}),
        problems=problems or [],
        field_ids=FIELD_IDS,
        state=state,
        coins=list(reversed(coins)),
        saved=saved,
        plans=plans,
        outcome_choices=OUTCOME_CHOICES,
        min_days=MIN_PLANNED_DAYS,
        max_days=MAX_PLANNED_DAYS,
        scores=tuple(range(11)),
    )


async def _submit(
    request: Request,
    pages: Pages,
    store: Any,
    save: Callable[[dict[str, str]], object],
    saved: str,
) -> Response:
    """A split-leg form: saved, back to the page saying so; refused, the page again (422)."""
    return await submit(
        request,
        save,
        refused=lambda values, problems: _page(
            request, pages, store, problems=problems, values=values
        ),
        done=then_see(request, "split_leg", saved=saved),
    )


@router.post("/split-leg/start", name="split_leg_start")
async def split_leg_start(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    def save(values: dict[str, str]) -> None:
        raw = values.get("days", "").strip()
        number = whole_number(raw, 4)
        days = number if number is not None else raw or None
        outcome = values.get("outcome") or None
        split_leg_services.start_experiment(store, days=days, outcome=outcome, now=common.now())

    return await _submit(request, pages, store, save, "started")


def _save_before(store: Any, values: dict[str, str]) -> None:
    """Today's before-session measure of both calves (soreness, or knee-to-wall when that is
    the experiment's outcome), saved once however often the form is sent (its client id)."""
    when = common.now()
    state = split_leg_services.split_leg_today(store, now=when)
    knee = state.experiment is not None and state.experiment.outcome == "knee_to_wall"
    missing = [leg for leg in ("left", "right") if not values.get(leg, "").strip()]
    if missing:
        raise InvalidInput([Problem(leg, "give a value for both calves") for leg in missing])
    measured = {leg: number(values[leg]) for leg in ("left", "right")}
    today = services.today_of(when)
    once = client_id(values)
    if knee:
        services.log_mobility(
            store, day=today, distances=measured, moment="before", now=when, client_id=once
        )
    else:
        services.log_soreness(
            store, day=today, scores=measured, moment="before", now=when, client_id=once
        )


@router.post("/split-leg/before", name="split_leg_before")
async def split_leg_before(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    """Today's before-session measure of both calves, then back to draw the coin."""
    return await _submit(request, pages, store, lambda v: _save_before(store, v), "before")


@router.post("/split-leg", name="split_leg_draw")
async def split_leg_draw(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    """Draw and store today's coin (or keep the stored one), then show it."""

    def save(values: dict[str, str]) -> object:
        return split_leg_services.draw_coin(store, now=common.now())

    return await _submit(request, pages, store, save, "drawn")


@router.post("/split-leg/massaged", name="split_leg_massaged")
async def split_leg_massaged(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    def save(values: dict[str, str]) -> object:
        calves = values.get("calves", "")
        return split_leg_services.record_massaged(store, calves=calves, now=common.now())

    return await _submit(request, pages, store, save, "massaged")


@router.post("/split-leg/stop", name="split_leg_stop")
async def split_leg_stop(request: Request, pages: PagesDep, store: StoreDep) -> Response:
    def save(values: dict[str, str]) -> object:
        if values.get("confirm") != "yes":
            message = "tick the box: stopping ends the experiment without a result"
            raise InvalidInput([Problem("confirm", message)])
        return split_leg_services.stop_experiment(store, now=common.now())

    return await _submit(request, pages, store, save, "stopped")
