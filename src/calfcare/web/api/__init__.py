"""The JSON API under ``/api/``, one module per resource; the same functions and
serialisation as the CLI's ``--json``.

`common` holds the request plumbing every module shares (the clock, the `DirectRoute` fast
path for cached reads, the JSON body reader, the documented error statuses); `schemas` the
shared OpenAPI models. `ROUTERS` lists the resource routers in the order the app includes
them: routes are tried in order, so the cheap cached reads come first.
"""

from __future__ import annotations

from fastapi import APIRouter

from calfcare.web.api import (
    checkins,
    content,
    insights,
    plan,
    reads,
    safety,
    screening,
    sessions,
    split_leg,
    transfer,
)

ROUTERS: tuple[APIRouter, ...] = (
    screening.router,
    content.router,
    reads.router,
    transfer.router,
    insights.router,
    split_leg.router,
    safety.router,
    plan.router,
    checkins.router,
    sessions.router,
)
