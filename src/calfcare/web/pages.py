"""The server-rendered pages that only show content: home, learn, the knee-to-wall guide.

Each route is a few lines: load content, render. The screening's form pages are in
`calfcare.web.screening_pages`. Every page here comes from the page cache
(`Pages.render_cached`): learn and the guide depend only on fixed content (and are
``async``: no thread hop), the home page on fixed content and the tracking summary.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse

from calfcare.content.learn import load_learn
from calfcare.content.mobility import load_mobility
from calfcare.web.templating import STATIC_DIR, Pages, PagesDep

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request, pages: PagesDep) -> HTMLResponse:
    """What to do next: the safety check, then a routine, then a session; and what is due
    and the latest records when the tracking pages are installed.

    A plain ``def`` (run in a worker thread) because the summary reads the database. The
    page is a function of that summary alone, so it is cached per summary (``vary``): the
    same records give the same page, and a new record gives a new summary, hence a new key.
    """
    safety = next(s for s in load_learn() if s.id == "safety")
    emergency = next(i for i in safety.item if i.id == "pe-emergency")
    summary = _tracking_summary(pages)
    return pages.render_cached(
        request, "home.html", vary=repr(summary), emergency=emergency, summary=summary
    )


def _tracking_summary(pages: Pages) -> Any:
    """What is due and the latest records, from the ``tracking_summary`` hook that
    `calfcare.web.tracking_pages.install` registers (None without it, or without a usable
    database). Its values are plain data (days, kinds, texts), so their ``repr`` is a
    faithful key."""
    summarise = pages.env.globals.get("tracking_summary")
    return summarise() if callable(summarise) else None


# Pages that only render fixed content are async (no thread hop per request).


@router.get("/learn", name="learn")
async def learn(request: Request, pages: PagesDep) -> HTMLResponse:
    """The article's guidance in calfcare's words, with numbered sources."""
    return pages.render_cached(request, "learn.html", sections=load_learn())


@router.get("/mobility/knee-to-wall", name="mobility")
async def mobility(request: Request, pages: PagesDep) -> HTMLResponse:
    """How to do the knee-to-wall test at home, and how far to trust the number."""
    return pages.render_cached(request, "mobility.html", guide=load_mobility())


@router.get("/favicon.ico", name="favicon")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer it (no 404)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
