"""The app as uvicorn's worker processes build it: `calfcare serve --workers N`.

uvicorn starts each worker in a new process, so it needs the app as an import string, not
an object: `app_from_environment` is the factory it names. The command hands its settings
over as ``CALFCARE_*`` variables (`calfcare.settings.environment_of`), including one
``CALFCARE_SECRET_KEY`` for all the workers, so that a form made by one worker is accepted
by another. Nothing else that matters is kept per process: the stored records and the read
caches' data version are in the database (docs/deployment.md).

**Each worker listens on a socket of its own** (`OwnListeners`, Linux). uvicorn's own way
binds one socket in the parent and hands it to every worker, which then race to accept: one
idle worker takes a whole burst of new connections and keeps them (a keep-alive connection
stays with the worker that accepted it). Measured with 200 people connecting at once to
4 workers: all 200 connections on one worker, throughput 0.89x one worker's. With
``SO_REUSEPORT`` the kernel spreads new connections over the workers' sockets by a hash of
the addresses (what nginx's ``reuseport`` does). Elsewhere (macOS, Windows) the shared
socket stays.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from fastapi import FastAPI

from calfcare.settings import load_settings
from calfcare.web.app import create_app

FACTORY = "calfcare.web.workers:app_from_environment"
"""The import string uvicorn is given."""


def app_from_environment() -> FastAPI:
    """The web app for the ``CALFCARE_*`` variables of this process."""
    return create_app(load_settings(), serving=True)


def balances_by_kernel() -> bool:
    """Whether sockets sharing a port with ``SO_REUSEPORT`` get its connections spread over
    them (Linux since 3.9); macOS and the BSDs hand them all to one."""
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


class TcpRow(NamedTuple):
    local_port: int
    remote_port: int
    listening: bool
    inode: str


def tcp_rows() -> Iterator[TcpRow]:
    """This machine's TCP sockets, IPv4 and IPv6 (Linux /proc; none elsewhere)."""
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            local, remote = (int(a.rsplit(":", 1)[1], 16) for a in fields[1:3])
            yield TcpRow(local, remote, fields[3] == "0A", fields[9])


def listening_sockets(port: int) -> int:
    """How many sockets listen on ``port`` on this machine (Linux /proc; 0 elsewhere): one
    per worker, each having its own. Tests and bench/ wait for all of them before
    connecting, since a worker that binds late misses the first burst of connections."""
    return sum(row.listening and row.local_port == port for row in tcp_rows())


class OwnListeners(list[socket.socket]):
    """The socket list uvicorn's supervisor passes to each worker it starts (and restarts),
    empty in the parent: pickled to a new worker process, it arrives there as a list of one
    listening socket bound by that worker with ``SO_REUSEPORT`` (`listen_alone`). The
    parent holds no listening socket, so no connection waits in a queue nobody accepts."""

    def __init__(self, host: str, port: int, backlog: int) -> None:
        super().__init__()
        self.address = (host, port, backlog)

    def __reduce__(self) -> tuple[Any, ...]:
        return (listen_alone, self.address)


def listen_alone(host: str, port: int, backlog: int) -> list[socket.socket]:
    """A socket bound to ``host:port`` with ``SO_REUSEPORT``, listening, in a list (what a
    worker unpickles `OwnListeners` into). A port that cannot be bound ends the worker with
    uvicorn's start-up failure status, so the supervisor stops instead of restarting it."""
    from uvicorn.config import STARTUP_FAILURE

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        sock.listen(backlog)
    except OSError as error:
        sock.close()
        logging.getLogger("uvicorn.error").error("cannot listen on %s:%s: %s", host, port, error)
        sys.exit(STARTUP_FAILURE)
    return [sock]


def run_workers(options: dict[str, Any], workers: int, factory: str = FACTORY) -> None:
    """Serve the app with uvicorn's ``options`` in ``workers`` processes until Ctrl-C or
    SIGTERM, under uvicorn's supervisor (it restarts a worker that dies). ``factory``: the
    app's import string (bench/bare_workers.py serves its reference endpoint the same way)."""
    import uvicorn

    if not balances_by_kernel():
        uvicorn.run(factory, factory=True, workers=workers, **options)
        return
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(factory, factory=True, workers=workers, **options)
    Multiprocess(config, sockets=OwnListeners(config.host, config.port, config.backlog)).run()
