"""`calfcare serve`: the web app on this computer (uvicorn serving `create_app(settings)`).

FastAPI and uvicorn are imported inside the command, after the options are checked, so
`calfcare --help` stays fast (tests/cli/test_startup.py). The app binds to loopback by
default: in personal mode there are no accounts, so anyone who can reach the address can see
and change the data. Another address needs ``--allow-remote``, and gets a warning, unless
``--server`` (server mode: every person's records need a sign-in, docs/server.md), which
warns instead when its database is SQLite (PostgreSQL is recommended for a server). A wildcard
address (0.0.0.0, ::) also needs the host names other computers use (``--allowed-host``):
the app answers only to those and its own, which keeps DNS-rebinding pages out.

``--workers N`` runs N processes (`calfcare.web.workers`), sharing one signing key, each
listening on a socket of its own so that the kernel spreads connections over them; behind
a reverse proxy on this computer (Caddy, docs/deployment.md) uvicorn trusts the proxy's
``X-Forwarded-Proto`` and ``X-Forwarded-For`` from ``--forwarded-allow-ips`` (default
127.0.0.1), so the app knows a request came over HTTPS and marks its cookies ``Secure``.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
import sys
import threading
import time
from typing import Any

import typer

from calfcare.cli.errors import EXIT_BAD_INPUT, reporting


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``: addresses only this computer reaches."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_allowed_hosts(names: tuple[str, ...]) -> None:
    """`InvalidInput` (exit 2) naming each allowed host that is not a host name or address."""
    from calfcare.core.errors import InvalidInput, Problem
    from calfcare.web.limits import is_host_name

    bad = [Problem("--allowed-host", f"{n!r}: give a host name or an IP address") for n in names]
    bad = [p for p, n in zip(bad, names, strict=True) if not is_host_name(n)]
    if bad:
        raise InvalidInput(bad, "The allowed host names are not valid.")


def port_free(host: str, port: int) -> bool:
    """Whether ``host:port`` can be bound now (checked first, to say what to do instead)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host.strip("[]"), port))
        except OSError:
            return False
    return True


def url_for(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def serve(
    host: str | None = typer.Option(
        None,
        "--host",
        metavar="HOST",
        help="Address to bind to (default 127.0.0.1, or CALFCARE_HOST).",
    ),
    port: int | None = typer.Option(
        None,
        "--port",
        metavar="PORT",
        min=1,
        max=65535,
        help="Port (default 8000, or CALFCARE_PORT).",
    ),
    no_browser: bool = typer.Option(
        False, "--no-browser", help="Do not open the app in a web browser."
    ),
    allow_remote: bool = typer.Option(
        False,
        "--allow-remote",
        help="Allow an address other computers can reach (personal mode has no accounts).",
    ),
    server: bool = typer.Option(
        False,
        "--server",
        help="Serve several people: accounts, each signed in to their own records "
        "(default CALFCARE_SERVER).",
    ),
    allow_sign_up: bool = typer.Option(
        False,
        "--allow-sign-up",
        help="With --server: let anyone who reaches it make an account (default off: "
        "accounts come from calfcare admin create-account).",
    ),
    allowed_host: list[str] = typer.Option(  # noqa: B008 (Typer's way of declaring options)
        [],
        "--allowed-host",
        metavar="NAME",
        help="A host name or address other computers use to reach this one (repeatable; "
        "default CALFCARE_ALLOWED_HOSTS). Needed to serve on 0.0.0.0 or ::.",
    ),
    workers: int = typer.Option(
        1, "--workers", metavar="N", min=1, max=64, help="Worker processes (default 1)."
    ),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1",
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="Comma-separated addresses of the reverse proxies whose X-Forwarded-* headers "
        "are trusted (default 127.0.0.1: a proxy on this computer).",
    ),
) -> None:
    """Start the web app on this computer and open it in your browser."""
    with reporting():
        from calfcare.settings import load_settings
        from calfcare.web.limits import WILDCARD_HOSTS, allowed_hosts_for

        settings = load_settings(
            host=host,
            port=port,
            allowed_hosts=tuple(allowed_host) or None,
            server=server or None,
            allow_sign_up=allow_sign_up or None,
        )
        if settings.allow_sign_up and not settings.server:
            print(
                "calfcare: --allow-sign-up needs --server (personal mode has no accounts).",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        if settings.server and settings.effective_database_url.startswith("sqlite"):
            print(
                "calfcare: WARNING: server mode on SQLite "
                f"({settings.effective_database_url}). It works for a few people; for a "
                "server, PostgreSQL is recommended (CALFCARE_DATABASE_URL=postgresql+psycopg://"
                "…; docs/deployment.md).",
                file=sys.stderr,
            )
        check_allowed_hosts(settings.allowed_hosts)
        if (
            (allow_remote or settings.server)
            and settings.host in WILDCARD_HOSTS
            and not settings.allowed_hosts
        ):
            print(
                f"calfcare: refusing to serve on {settings.host or 'every address'} without "
                "host names: answering to any name would let a web page you visit reach your "
                "data (DNS rebinding). Name each host name or address other computers use to "
                "reach this one: --allowed-host 192.168.1.20 (repeat it for each), or set "
                "CALFCARE_ALLOWED_HOSTS=name1,name2.",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        if not is_loopback(settings.host) and settings.server:
            names = sorted(allowed_hosts_for(settings.host, settings.allowed_hosts))
            print(
                f"calfcare: serving on {settings.host} for the host names {', '.join(names)}; "
                "every person's records need a sign-in.",
                file=sys.stderr,
            )
        elif not is_loopback(settings.host):
            if not allow_remote:
                print(
                    f"calfcare: refusing to serve on {settings.host}: other computers could "
                    "reach it, and calfcare has no accounts yet, so anyone could see and change "
                    "your data. Use --host 127.0.0.1, or add --allow-remote if you mean it.",
                    file=sys.stderr,
                )
                raise typer.Exit(EXIT_BAD_INPUT)
            names = sorted(allowed_hosts_for(settings.host, settings.allowed_hosts))
            print(
                f"calfcare: WARNING: serving on {settings.host}, answering to the host names "
                f"{', '.join(names)} (others are refused). calfcare has no accounts yet: "
                "anyone who can reach this address can see and change your data.",
                file=sys.stderr,
            )
        if not port_free(settings.host, settings.port):
            print(
                f"calfcare: {settings.host}:{settings.port} is already in use; "
                "choose another port with --port.",
                file=sys.stderr,
            )
            raise typer.Exit(EXIT_BAD_INPUT)
        if workers > 1:
            _run_workers(settings, workers, forwarded_allow_ips, open_browser=not no_browser)
        else:
            _run(settings, forwarded_allow_ips, open_browser=not no_browser)


def _run(settings: Any, forwarded_allow_ips: str, *, open_browser: bool) -> None:
    import uvicorn

    from calfcare.web.app import create_app

    app = create_app(settings, serving=True)
    config = uvicorn.Config(app, **_uvicorn_options(settings, forwarded_allow_ips))
    server = uvicorn.Server(config)
    url = url_for(settings.host, settings.port)
    print(f"calfcare is running at {url} (press Ctrl-C to stop)", file=sys.stderr)
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    server.run()


def _run_workers(
    settings: Any, workers: int, forwarded_allow_ips: str, *, open_browser: bool
) -> None:
    """N worker processes; they read the settings back from ``CALFCARE_*`` variables, with
    one signing key for all (made here when none is set)."""
    import dataclasses

    from calfcare.settings import environment_of
    from calfcare.web.workers import run_workers

    if settings.secret_key is None:
        settings = dataclasses.replace(settings, secret_key=secrets.token_urlsafe(32))
    os.environ.update(environment_of(settings))
    url = url_for(settings.host, settings.port)
    print(
        f"calfcare is running at {url} with {workers} workers (press Ctrl-C to stop)",
        file=sys.stderr,
    )
    if open_browser:
        threading.Thread(target=_open_when_listening, args=(settings, url), daemon=True).start()
    run_workers(_uvicorn_options(settings, forwarded_allow_ips), workers)


def _uvicorn_options(settings: Any, forwarded_allow_ips: str) -> dict[str, Any]:
    """What one server and N workers share: the address, quiet logs, no ``Server`` header,
    and the proxy headers of the trusted addresses only."""
    return {
        "host": settings.host.strip("[]"),
        "port": settings.port,
        "log_level": "warning",
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
    }


def _open_when_listening(settings: Any, url: str, timeout: float = 30.0) -> None:
    import webbrowser

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not port_free(settings.host, settings.port):
            webbrowser.open(url)
            return
        time.sleep(0.1)


def _open_when_started(server: Any, url: str, timeout: float = 10.0) -> None:
    """Open the browser once uvicorn is listening (never before: it would show an error)."""
    import webbrowser

    deadline = time.monotonic() + timeout
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    if server.started:
        webbrowser.open(url)
