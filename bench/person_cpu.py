"""CPU a response of each request of bench/multi_person.py's script, in-process: the app
called as ASGI (no uvicorn, no sockets), so only calfcare's own work and the database
driver's are counted (PostgreSQL's own CPU is another process's).

    .venv/bin/python bench/person_cpu.py [--people 5] [--rounds 20] [--url postgresql+psycopg://…]
                                         [--profile FILE] [--statements]

Signs up ``--people`` people in a schema of its own (as multi_person.py does), then runs
their scripts round after round, person after person, and prints the median and mean
``time.process_time`` of each request kind (the first round left out: it warms the
caches and compiles statements). ``--profile FILE`` writes a cProfile of the measured
rounds for ``python -m pstats``. ``--statements`` also prints how many SQL statements each
kind of request sent to the database (median per response, from a ``before_cursor_execute``
listener).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from multi_person import DEFAULT_URL, own_database, person_script, sign_up_people  # noqa: E402


async def call(app: Any, step: dict[str, Any]) -> int:
    """Send one step of a script to ``app`` (ASGI); the response's status."""
    path, _, query = step["path"].partition("?")
    body = step.get("body", "").encode()
    headers = [(b"host", b"127.0.0.1"), (b"accept", b"*/*")]
    headers += [(k.lower().encode(), v.encode()) for k, v in step["headers"].items()]
    if body:
        headers += [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
        "method": step.get("method", "GET"), "scheme": "http", "path": path,
        "raw_path": path.encode(), "query_string": query.encode(), "root_path": "",
        "headers": headers, "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
    }  # fmt: skip
    sent = False
    status = 0

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


def label(step: dict[str, Any]) -> str:
    return f"{step.get('method', 'GET')} {step['path'].split('?tool')[0]}"


class StatementCount:
    """Counts what this process asks the database: statements through SQLAlchemy
    (``before_cursor_execute``), transactions (``begin``: on psycopg each adds a ``BEGIN``
    and a ``COMMIT``/``ROLLBACK`` round trip) and single statements on the data version's
    own connection (`VersionReader.one`: the sign-in and data-version reads)."""

    def __init__(self) -> None:
        from sqlalchemy import event
        from sqlalchemy.engine import Engine

        from calfcare.storage.version import VersionReader

        self.statements = self.transactions = self.side = 0
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "begin", self._transaction)
        one = VersionReader.one

        def counted(reader: VersionReader, *args: Any, **kwargs: Any) -> Any:
            self.side += 1
            return one(reader, *args, **kwargs)

        VersionReader.one = counted  # type: ignore[method-assign]

    def _statement(self, *_: object) -> None:
        self.statements += 1

    def _transaction(self, *_: object) -> None:
        self.transactions += 1

    def now(self) -> tuple[int, int, int]:
        return self.statements, self.transactions, self.side


async def run(
    app: Any,
    scripts: list[list[dict[str, Any]]],
    rounds: int,
    profile: Any,
    counter: StatementCount | None = None,
) -> Any:
    times: dict[str, list[float]] = defaultdict(list)
    statements: dict[str, list[tuple[int, ...]]] = defaultdict(list)
    async with _lifespan(app):
        for turn in range(rounds):
            if turn == 1 and profile is not None:
                profile.enable()
            for script in scripts:
                for number, step in enumerate(script, 1):
                    before = counter.now() if counter else (0, 0, 0)
                    started = time.process_time()
                    status = await call(app, step)
                    spent = time.process_time() - started
                    if not 200 <= status < 300:
                        raise SystemExit(f"{label(step)}: {status}")
                    if turn:
                        times[label(step)].append(spent * 1e3)
                        if counter:
                            after = counter.now()
                            statements[f"{number:2d}. {label(step)}"].append(
                                tuple(a - b for a, b in zip(after, before, strict=True))
                            )
    if profile is not None:
        profile.disable()
    return times, statements


class _lifespan:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __aenter__(self) -> None:
        self.ctx = self.app.router.lifespan_context(self.app)
        await self.ctx.__aenter__()

    async def __aexit__(self, *exc: object) -> None:
        await self.ctx.__aexit__(None, None, None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--url", default=os.environ.get("CALFCARE_TEST_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--statements", action="store_true")
    args = parser.parse_args()
    from calfcare.settings import Settings
    from calfcare.web.app import create_app

    profile = cProfile.Profile(time.process_time) if args.profile else None
    if profile is not None:  # worker threads' work in the profile too: run it inline
        import anyio.to_thread

        async def inline(func: Any, *call_args: Any, **_: Any) -> Any:
            return func(*call_args)

        anyio.to_thread.run_sync = inline  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as tmp, own_database(args.url) as url:
        tokens = sign_up_people(url, args.people)
        app = create_app(Settings(data_dir=Path(tmp), database_url=url, server=True))
        counter = StatementCount() if args.statements else None
        scripts = [person_script(t) for t in tokens]
        times, statements = asyncio.run(run(app, scripts, args.rounds, profile, counter))
    if profile is not None:
        profile.dump_stats(args.profile)
    every = [t for ts in times.values() for t in ts]
    print(f"{'request':<34} {'median':>7} {'mean':>7}  (ms of CPU, {len(every)} responses)")
    print(f"{'all':<34} {statistics.median(every):7.2f} {statistics.fmean(every):7.2f}")
    for name, spent in times.items():
        print(f"{name:<34} {statistics.median(spent):7.2f} {statistics.fmean(spent):7.2f}")
    if counter is not None:
        print("\nstep of the script: SQL statements + transactions (BEGIN and COMMIT/ROLLBACK")
        print("each) + sign-in/data-version reads = round trips (medians per response)")
        for name, counts in statements.items():
            sql, tx, side = (round(statistics.median(c[i] for c in counts)) for i in range(3))
            print(f"{name:<34} {sql:3d} + 2x{tx} + {side} = {sql + 2 * tx + side}")


if __name__ == "__main__":
    main()
