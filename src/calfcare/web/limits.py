"""What the web app accepts before it reads a request: body sizes, body types, Host names.

`calfcare.web.security.SecurityMiddleware` applies these to every request, before any route
runs, so no endpoint parses a body it has not first bounded (413 in the one error shape) and
no route is reachable under a Host name that is not this server's (400).

Bodies, largest accepted (docs/api.md lists them):

| where | at most | why |
|---|---|---|
| a form (pages) | 64 KB | a check-in or a plan is under 2 KB |
| a JSON API body | 64 KB | the largest, a plan with its screening, is under 2 KB |
| ``POST /api/sessions`` | 512 KB | a live session's plan and events |
| ``POST /api/import``, ``POST /import`` | 64 MB | an export file (`export_format.MAX_BYTES`) |

Only ``POST /import`` (a file upload beside the paste box) takes ``multipart/form-data``.
"""

from __future__ import annotations

import re

from calfcare.core.export_format import MAX_BYTES

IMPORT_BYTES = MAX_BYTES
"""An import (an export file, `export_format.MAX_BYTES`)."""

FORM_BYTES = 64 * 1024
JSON_BYTES = 64 * 1024
SESSION_BYTES = 512 * 1024
BODY_LIMITS: dict[str, int] = {
    "/api/sessions": SESSION_BYTES,
    "/api/import": IMPORT_BYTES,
    "/import": IMPORT_BYTES,
}
"""Paths with their own limit; every other body gets `FORM_BYTES` or `JSON_BYTES`."""
UPLOAD_PATHS = frozenset({"/import"})
"""Form paths that also accept ``multipart/form-data`` (a file upload)."""

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})

_HOST = re.compile(
    r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?))"
    r"(?::[0-9]{1,5})?"
)
_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|[0-9A-Fa-f:.]+")


def body_limit(path: str) -> int:
    """The most bytes a request body to ``path`` may have."""
    if path in BODY_LIMITS:
        return BODY_LIMITS[path]
    return JSON_BYTES if path.startswith("/api/") else FORM_BYTES


def size_text(limit: int) -> str:
    """``65536`` → ``64 KB``; ``67108864`` → ``64 MB``."""
    return f"{limit // 2**20} MB" if limit >= 2**20 else f"{limit // 1024} KB"


def host_name(host_header: str) -> str | None:
    """The name in a Host header, lower case: ``127.0.0.1:8000`` → ``127.0.0.1``,
    ``[::1]:8000`` → ``::1``; None when the header is not a host and an optional port
    (``127.0.0.1:8000@evil.com``, ``127.0.0.1:evil``, ``a b``)."""
    match = _HOST.fullmatch(host_header)
    if match is None:
        return None
    return (match.group("ip6") or match.group("name")).lower()


def is_host_name(name: str) -> bool:
    """Whether ``name`` may be given as an allowed host: a DNS name or an IP address."""
    return _NAME.fullmatch(name.strip("[]")) is not None


def allowed_hosts_for(bind_host: str, extra: tuple[str, ...] = ()) -> frozenset[str]:
    """The Host names to accept when serving on ``bind_host``: this computer's loopback
    names, the bind address itself unless it is a wildcard (0.0.0.0, ::), and ``extra``
    (``--allowed-host``, ``CALFCARE_ALLOWED_HOSTS``). A wildcard never means "any name": that
    would let a DNS-rebinding page reach the data (`calfcare serve` asks for the names)."""
    names = set(LOOPBACK_HOSTS) | {name.strip("[]").lower() for name in extra}
    if bind_host not in WILDCARD_HOSTS:
        names.add(bind_host.strip("[]").lower())
    return frozenset(names)
