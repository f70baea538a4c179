"""The installable web app (issue 15): the manifest, its icons and the service worker.

- ``GET /manifest.webmanifest``: the manifest every page links to (``base.html``), with PNG
  icons of 192 and 512 pixels and a maskable one (``static/icons/``), and the colours of
  the style sheet.
- ``GET /sw.js``: the service worker (``static/sw.js``), served from the root so that it may
  control every page, with its lists filled in: the app shell's files and pages, the
  check-in forms it keeps while offline, and a version made from calfcare's version and
  the bytes of every file it keeps, so that a changed file makes a new worker with a new
  cache (docs/pwa.md). The same files give the same version in every worker process.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from starlette.responses import Response

from calfcare import __version__
from calfcare.web.route_index import Router
from calfcare.web.security import CONTENT_SECURITY_POLICY
from calfcare.web.templating import STATIC_DIR

router = Router()

THEME_COLOUR = "#0b5d4b"
"""The style sheet's ``--brand`` (``static/calfcare.css``)."""
BACKGROUND_COLOUR = "#ffffff"
"""The style sheet's ``--bg``."""

ICONS: tuple[dict[str, str], ...] = (
    {"src": "icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
    {"src": "icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
    {
        "src": "icons/icon-maskable-512.png",
        "sizes": "512x512",
        "type": "image/png",
        "purpose": "maskable",
    },
)
"""Paths under ``/static/``; ``tests/web/test_pwa.py`` checks each file's size."""

SHELL_FILES: tuple[str, ...] = (
    "calfcare.css",
    "session/session.css",
    "session/engine.js",
    "session/app.js",
    "session/outbox.js",
    "offline.js",
    "favicon.svg",
    *(icon["src"] for icon in ICONS),
)
"""The app shell's files under ``/static/``, kept by the worker when it is installed."""

SHELL_PAGES = ("/", "/plan", "/session", "/checkins", "/checkins/session")
"""The pages kept for offline use when the worker is installed, or once signed in (live
session pages are kept as they are opened)."""

CHECK_IN_FORMS = ("/checkins/note", "/checkins/soreness", "/checkins/knee-to-wall")
"""Check-ins: nothing in them changes the safety state, so sending one leaves the kept live
session pages alone. Every other write throws them away (docs/pwa.md, "Safety offline")."""

QUEUED_FORMS = (*CHECK_IN_FORMS, "/checkins/session")
"""The forms kept on the device while offline and sent later: the check-ins and a session
logged by hand. Each carries a client id, so a form sent twice is saved once. Not the
next-day check-in: it asks about signs of a clot, which calfcare must judge when it is
sent."""


def manifest_json() -> dict[str, Any]:
    """The web app manifest."""
    return {
        "id": "/",
        "name": "calfcare",
        "short_name": "calfcare",
        "description": "Calf self-massage, safely: a coach that talks you through it.",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND_COLOUR,
        "theme_color": THEME_COLOUR,
        "icons": [{**icon, "src": f"/static/{icon['src']}"} for icon in ICONS],
    }


@cache
def worker_version() -> str:
    """12 hex digits from calfcare's version, the worker's script and the shell's files."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(json.dumps(manifest_json()).encode())
    for name in ("sw.js", *SHELL_FILES):
        digest.update(name.encode() + b"\0" + (STATIC_DIR / name).read_bytes())
    return digest.hexdigest()[:12]


@cache
def worker_script() -> bytes:
    """``static/sw.js`` with its version and lists filled in."""
    fills = {
        "'__VERSION__'": worker_version(),
        "'__FILES__'": [f"/static/{name}" for name in SHELL_FILES] + ["/manifest.webmanifest"],
        "'__PAGES__'": list(SHELL_PAGES),
        "'__QUEUED__'": list(QUEUED_FORMS),
        "'__CHECK_INS__'": list(CHECK_IN_FORMS),
        "'__CSP__'": CONTENT_SECURITY_POLICY,
    }
    text = (STATIC_DIR / "sw.js").read_text(encoding="utf-8")
    for placeholder, value in fills.items():
        assert text.count(placeholder) == 1, placeholder
        text = text.replace(placeholder, json.dumps(value))
    return text.encode("utf-8")


@router.get("/manifest.webmanifest", name="manifest", include_in_schema=False)
def manifest() -> Response:
    """The web app manifest."""
    return Response(
        json.dumps(manifest_json(), separators=(",", ":")),
        media_type="application/manifest+json",
        headers={"cache-control": "no-cache"},
    )


@router.get("/sw.js", name="service_worker", include_in_schema=False)
def service_worker() -> Response:
    """The service worker, from the root so that it may control every page."""
    return Response(
        worker_script(),
        media_type="text/javascript",
        headers={"cache-control": "no-cache", "service-worker-allowed": "/"},
    )


__all__ = ["manifest_json", "router", "worker_script", "worker_version"]
