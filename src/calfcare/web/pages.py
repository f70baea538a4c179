"""The server-rendered pages that only show content: home, learn, the knee-to-wall guide.

Each route is a few lines: load content, render. The screening's form pages are in
`calfcare.web.screening_pages`. Every page here comes from the page cache
(`Pages.render_cached`): learn and the guide depend only on fixed content (and are
``async``: no thread hop), the home page on fixed content and the tracking summary.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, HTMLResponse

from calfcare.content.learn import LearnItem, load_grades, load_learn
from calfcare.content.mobility import load_mobility
from calfcare.content.sources import load_sources
from calfcare.services import MISSING
from calfcare.web.templating import STATIC_DIR, Pages, PagesDep

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
async def home(request: Request, pages: PagesDep) -> HTMLResponse:
    """What to do next: the safety check, then a routine, then a session; and what is due
    and the latest records when the tracking pages are installed.

    The page is a function of the tracking summary alone, so it is cached per summary
    (``vary``): the same records give the same page, and a new record gives a new summary,
    hence a new key. ``async``: a summary the read cache holds is answered on the event loop
    (no thread hop); only a miss, which reads the database, goes to a worker thread.
    """
    summary, vary = await _tracking_summary(pages)
    lead = pages.env.globals.get("prescription_lead")  # server mode: `web.prescribed`
    prescribed = await lead(request) if callable(lead) else None
    return pages.render_cached(
        request, "home.html", vary=vary if prescribed is None else (vary, repr(prescribed)),
        emergency=_emergency(), summary=summary, prescribed=prescribed,
    )  # fmt: skip


@cache
def _emergency() -> LearnItem:
    """The emergency warning the home page leads with (fixed content)."""
    safety = next(s for s in load_learn() if s.id == "safety")
    return next(i for i in safety.item if i.id == "pe-emergency")


async def _tracking_summary(pages: Pages) -> tuple[Any, str]:
    """What is due and the latest records, and its ``repr`` (the page's ``vary``), from the
    hooks that `calfcare.web.tracking_pages.install` registers: ``tracking_summary_peek``
    (a cache hit, or `MISSING`) on the loop, else ``tracking_summary`` in a worker thread.
    ``(None, "None")`` without them, or without a usable database. The summary's values are
    plain data (days, kinds, texts), so their ``repr`` is a faithful key."""
    summarise = pages.env.globals.get("tracking_summary")
    if not callable(summarise):
        return None, repr(None)
    peek = pages.env.globals.get("tracking_summary_peek")
    found = peek() if callable(peek) else MISSING
    if found is MISSING:
        found = await run_in_threadpool(summarise)
    summary, vary = found
    return summary, vary


# Pages that only render fixed content are async (no thread hop per request).


@router.get("/learn", name="learn")
async def learn(request: Request, pages: PagesDep) -> HTMLResponse:
    """The article's guidance in calfcare's words, with numbered sources."""
    return pages.render_cached(
        request, "learn.html", sections=load_learn(), grades=load_grades(), sources=load_sources()
    )


@router.get("/mobility/knee-to-wall", name="mobility")
async def mobility(request: Request, pages: PagesDep) -> HTMLResponse:
    """How to do the knee-to-wall test at home, and how far to trust the number."""
    return pages.render_cached(request, "mobility.html", guide=load_mobility())


@router.get("/favicon.ico", name="favicon")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer it (no 404)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
