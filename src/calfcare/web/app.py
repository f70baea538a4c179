"""`create_app(settings)`: the whole web app, built on demand (nothing at import time).

The app is assembled from small parts: routers (pages, screening pages, API), one error
table (`calfcare.web.errors`), one security middleware (`calfcare.web.security`), static
files, and a `Pages` renderer on ``app.state``. FastAPI's Swagger and ReDoc pages are off:
they load scripts from a CDN, and nothing in calfcare loads from outside the machine; the
schema is at ``/openapi.json``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from calfcare import __version__
from calfcare.settings import Settings
from calfcare.web import (
    account_pages,
    api,
    auth,
    clinic_pages,
    deps,
    errors,
    pages,
    passkey_pages,
    plan_pages,
    pwa,
    report_pages,
    safety_pages,
    screening_pages,
    session_pages,
    session_save,
    sharing_pages,
    split_leg_pages,
    tracking_pages,
)
from calfcare.web.after_response import AfterResponse
from calfcare.web.compression import CompressWhenAccepted
from calfcare.web.csrf import secret_from
from calfcare.web.limits import allowed_hosts_for
from calfcare.web.security import SecurityMiddleware
from calfcare.web.templating import STATIC_DIR, Pages


def create_app(
    settings: Settings, *, secret: bytes | None = None, serving: bool = False
) -> FastAPI:
    """The calfcare web app for ``settings``. ``secret`` signs CSRF tokens (default: from
    ``settings.secret_key``, shared by every worker; without one a new random secret, so
    tokens end when the server stops). ``serving``: the app is what this process serves
    until it stops (`calfcare serve`, each worker), so start-up ends with `settle`."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        warm(app)
        if serving:
            settle()
        yield
        deps.close_store(app)

    app = FastAPI(
        lifespan=lifespan,
        title="calfcare",
        version=__version__,
        summary="Calf self-massage, safely: the screening and guidance as a JSON API.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        debug=settings.debug,
    )
    app.state.settings = settings
    app.state.pages = Pages(app)
    errors.install(app)
    # The JSON API first: routes are tried in order, and its cached answers are cheap
    # enough that matching past the page routes was a tenth of their time (docs/web.md).
    for router in api.ROUTERS:
        app.include_router(router)
    app.include_router(pages.router)
    app.include_router(screening_pages.router)
    app.include_router(plan_pages.router)
    app.include_router(safety_pages.router)
    tracking_pages.install(app)
    app.include_router(split_leg_pages.router)
    app.include_router(session_pages.router)
    app.include_router(session_save.router)
    app.include_router(report_pages.router)
    app.include_router(pwa.router)
    if settings.server:
        account_pages.install(app)  # accounts: every person's records need a sign-in
        passkey_pages.install(app)  # passkeys: another way to sign in
        clinic_pages.install(app)  # the clinician's pages (issue 16)
        sharing_pages.install(app)  # the person's invitations, sharing and calendar
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Compress what is worth compressing (pages, CSS, JS): the live session page goes from
    # about 50 KB to about 20 KB on a phone. Small JSON answers are left alone. Level 6, not
    # Starlette's 9: the same size on every page and file here (within 0.2 %), for up to a
    # third less CPU on the larger ones (docs/web.md, "Performance"). Only for clients that
    # accept gzip: the others skip the middleware altogether.
    app.state.signing_secret = secret or secret_from(settings.secret_key)
    app.add_middleware(CompressWhenAccepted, minimum_size=1000, compresslevel=6)
    app.add_middleware(
        SecurityMiddleware,
        secret=app.state.signing_secret,
        allowed_hosts=allowed_hosts_for(settings.host, settings.allowed_hosts),
        error_response=errors.error_response,
        debug=settings.debug,
        # server mode: a form token is bound to the sign-in session (`calfcare.web.csrf`)
        session_of=auth.session_token if settings.server else None,
    )
    app.add_middleware(AfterResponse)  # outermost: background jobs once the response went out
    return app


def settle() -> None:
    """Collect once, then freeze every object left out of the garbage collector's passes
    (`gc.freeze`): what exists once the app is built and warm (modules, content, templates,
    routes: about 100,000 objects) lives as long as the process, and each full pass walked
    all of it while every request waited. With 200 people on one worker
    (bench/multi_person.py) full passes took 33-84 ms, the slowest responses' time; after
    this, 11-16 ms. Not for an app built in a longer-lived process (the tests make one
    each): what it leaves behind would be frozen too."""
    import gc

    gc.collect()
    gc.freeze()


def warm(app: FastAPI) -> None:
    """Do at start-up what the first page would pay for: load the content files the pages
    and the live session read (with the modules they import lazily) and compile every
    template (docs/web.md, "Performance"). Before this, the first `/session` after `calfcare
    serve` started took 65-90 ms instead of 2. It runs before the server listens, once per
    app; content and compiled templates are kept per process, so a second app (each test
    makes one) pays a few ms. It never opens the database (nor reads the clock or a
    request): a page that needs the database still opens it on first use."""
    from calfcare.content.learn import load_learn
    from calfcare.content.mobility import load_mobility
    from calfcare.content.routines import load_routines
    from calfcare.content.safety import load_safety_wording
    from calfcare.content.screening import load_screening_text
    from calfcare.content.sources import load_sources
    from calfcare.core import planner  # noqa: F401  (imported by the live page's first plan)

    for load in (load_sources, load_routines, load_screening_text, load_learn, load_mobility,
                 load_safety_wording):  # fmt: skip
        load()
    pages = app.state.pages
    assert isinstance(pages, Pages)
    pages.warm()
