"""The server-rendered pages that only show content: home, learn, the knee-to-wall guide.

Each route is a few lines: load content, render. The screening's form pages are in
`calfcare.web.screening_pages`.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import FileResponse, HTMLResponse

from calfcare.content.learn import load_learn
from calfcare.content.mobility import load_mobility
from calfcare.web.templating import STATIC_DIR, PagesDep

router = APIRouter(include_in_schema=False)


@router.get("/", name="home")
def home(request: Request, pages: PagesDep) -> HTMLResponse:
    """What to do next: the safety check, then a routine, then a session."""
    safety = next(s for s in load_learn() if s.id == "safety")
    emergency = next(i for i in safety.item if i.id == "pe-emergency")
    return pages.render(request, "home.html", emergency=emergency)


# Pages that only render fixed content are async (no thread hop per request); the home page
# stays a plain def because its template reads the database (recent records, what is due).


@router.get("/learn", name="learn")
async def learn(request: Request, pages: PagesDep) -> HTMLResponse:
    """The article's guidance in calfcare's words, with numbered sources."""
    return pages.render(request, "learn.html", sections=load_learn())


@router.get("/mobility/knee-to-wall", name="mobility")
async def mobility(request: Request, pages: PagesDep) -> HTMLResponse:
    """How to do the knee-to-wall test at home, and how far to trust the number."""
    return pages.render(request, "mobility.html", guide=load_mobility())


@router.get("/favicon.ico", name="favicon")
def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says; answer it (no 404)."""
    return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")
