"""Today's safety state, as the plan builder, the live session page and the home page obey
it (issue 11): one read per request, kept in the app's read cache until the data changes,
under the one key ``/api/safety`` shares (`calfcare.services.safety.safety_key`).

- **Blocked**: a hold is on, or a clinician's clearance waits for a new safety check. The
  pages then show the hold (or the call for a new check) instead of a plan or Start.
- **A pain check first**: a calf of the plan whose last session stopped for sharp pain asks
  whether the pain has gone or been checked before any plan or session with it.
- **The screening that governs**: today's recorded safety check (the latest that counts).
  Every check done on the web is recorded, so it is the one the person just did; a plan
  carrying answers, or a session link naming a stored check, is used only when none is
  recorded today. It can never override a hold.

The rules and the decisions are the core's (`calfcare.core.safety_state`: the state;
`calfcare.core.safe_plan`: blocked or not, the pain checks due), the same the CLI obeys; this
module only reads them for a request and says what a page may offer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse

from calfcare.core import safe_plan
from calfcare.core.levels import Leg
from calfcare.core.records import RecordSet, ScreeningRecord
from calfcare.core.safety_state import PainCheckDue, SafetyState
from calfcare.services import safety as safety_services
from calfcare.web.deps import app_read_cache, opened_read_cache
from calfcare.web.templating import Pages


@dataclass(frozen=True, slots=True)
class Gate:
    """Today's safety state and the screening record it names."""

    state: SafetyState
    screening: ScreeningRecord | None
    key: str
    """The state as canonical JSON: what a cached page that shows it varies on."""

    @property
    def blocked(self) -> bool:
        """No plan and no session today: a hold, or a new safety check is needed first
        (the core's decision: `calfcare.core.safe_plan.blocked`)."""
        return safe_plan.blocked(self.state)

    def pain_checks(self, legs: Iterable[Leg]) -> list[PainCheckDue]:
        """The pending sharp-pain checks of ``legs``, in the order given (the page asks
        them before a plan or session with those calves)."""
        return safe_plan.pain_checks_due(self.state, legs)

    @property
    def answers(self) -> dict[str, Any] | None:
        """Today's recorded screening's answers (contract v1), or None."""
        return None if self.screening is None else dict(self.screening.answers)


def read_gate(app: FastAPI, records: RecordSet | None = None, read_at: int | None = None) -> Gate:
    """Today's gate (call it in a worker thread: it may read the database; an ``async``
    route calls `request_gate`), from the read cache's one safety state
    (`safety_services.safety_key`, shared with ``/api/safety``); on a miss from ``records``
    when the caller read the safety state's records already in its own snapshot, at data
    version ``read_at`` (read before that snapshot; after a write since, read again)."""
    from calfcare.web.api.common import now

    cache = app_read_cache(app)
    read = safety_services.safety_read(cache.store, now(), cache, records=records, read_at=read_at)
    return Gate(read.state, read.screening, read.key)


def cached_gate(app: FastAPI) -> Gate | None:
    """The gate if the read cache holds it at the person's data version, else None (safe on
    the event loop: reads nothing but the data version, `ReadCache.peek`)."""
    from calfcare.web.api.common import now

    cache = opened_read_cache(app)
    if cache is None:
        return None
    _, found = cache.peek(safety_services.safety_key(now()))
    if not isinstance(found, safety_services.SafetyRead):
        return None
    return Gate(found.state, found.screening, found.key)


async def request_gate(request: Request) -> Gate:
    """`read_gate` for an ``async`` route: a gate the read cache holds at the person's
    current data version is answered on the event loop (`ReadCache.peek`: the one small
    data-version query, the same signal that invalidates it after any safety-changing write,
    from any worker or process); only a miss, or a store not opened yet, goes to a worker
    thread. The thread hop cost more than the rest of a cached page (docs/performance.md)."""
    found = cached_gate(request.app)
    if found is not None:
        return found
    return await run_in_threadpool(read_gate, request.app)


def gate_context(gate: Gate, legs: Iterable[Leg], *, back: str) -> dict[str, Any]:
    """What ``_safety_first.html`` shows before a plan or a session: the hold, the call
    for a new safety check, or the pain checks of ``legs`` (``back``: where the pain-check
    form returns to)."""
    return {
        "hold": gate.state.hold,
        "needs_screening": gate.state.needs_screening,
        "pain_checks": [] if gate.blocked else gate.pain_checks(legs),
        "back": back,
        "today": gate.state.day.isoformat(),
    }


def safety_first_page(
    request: Request,
    pages: Pages,
    gate: Gate,
    legs: Iterable[Leg],
    *,
    what: str,
    back: str,
    alternatives: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The page shown instead of a plan or a session (``what``: "routine" or "session"):
    the hold or the call for a new check (``No routine today``), or the pain checks of
    ``legs`` (``Before this routine``), with ``alternatives`` (url, words): another way on
    without the calf that hurt."""
    title = f"No {what} today" if gate.blocked else f"Before this {what}"
    return pages.render(
        request,
        "safety_first_page.html",
        status=status,
        title=title,
        alternatives=alternatives or [],
        **gate_context(gate, legs, back=back),
    )


def stops(gate: Gate, legs: Iterable[Leg]) -> bool:
    """True when a plan or session of ``legs`` may not go on yet."""
    return gate.blocked or bool(gate.pain_checks(legs))
