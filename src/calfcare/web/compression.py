"""Gzip for the clients that ask for it, and nothing at all in the way of those that do not.

Starlette's `GZipMiddleware` wraps every response, also when the request does not accept
gzip: it then parses the response headers and adds ``Vary: Accept-Encoding``, about 20 µs a
request, a third of a cached JSON answer's whole cost (docs/performance.md). A response sent
without compression is right for every client, so a cache that keeps it without a ``Vary``
can never hand anyone bytes they cannot read; the compressed responses, which do need the
header, still get it from `GZipMiddleware`.
"""

from __future__ import annotations

from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class CompressWhenAccepted:
    """`GZipMiddleware` for requests whose ``Accept-Encoding`` names gzip; the app itself
    for every other request."""

    def __init__(self, app: ASGIApp, *, minimum_size: int, compresslevel: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=compresslevel)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _accepts_gzip(scope):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding" and b"gzip" in value.lower():
            return True
    return False
