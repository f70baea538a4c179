"""Background work after the response (`calfcare.services.background`): the jobs a request
queues (a sharing person's line after their write, the lines a clinician's list found
stale) are held while it runs and handed to the worker thread once its response has been
sent, so they never delay it. The outermost middleware: the body has gone out when the
inner app returns.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from calfcare.services import background


class AfterResponse:
    """Hold a request's background jobs until its response was sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with background.deferred():
            await self.app(scope, receive, send)
