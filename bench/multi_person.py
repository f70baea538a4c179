"""Many people on one server (issue 15): throughput and p99 against 1, 2 and 4 workers, as a
ratio to a bare Starlette endpoint served by as many workers.

    .venv/bin/python bench/multi_person.py [--people 200] [--workers 1,2,4] [--seconds 5]
                                           [--url postgresql+psycopg://…] [--quick]

1. Makes a schema of its own on the PostgreSQL server of ``--url`` (default
   CALFCARE_TEST_POSTGRES_URL, else postgresql+psycopg://postgres@127.0.0.1:5432/test),
   dropped at the end, so it never touches other data (``--url sqlite:///FILE`` also works,
   for trying it out). In it, ``--people`` accounts, each signed in (a session token).
2. For each worker count: starts ``calfcare serve --server --workers N`` on that database,
   waits until every worker listens, runs ``--warmup`` seconds of load untimed, then
   bench/loadgen.py with one keep-alive connection per person, each sending that
   person's day in turn (`person_script`: the safety state, home, plan and live pages, stats
   and records, and a knee-to-wall test and a session recorded); then a bare Starlette
   endpoint in as many workers arranged the same way (bench/bare_workers.py: each worker
   its own socket), with as many connections.
3. Prints req/s and p99 side by side, and each count's throughput over one worker's.

Targets (issue 15): p99 < 50 ms at 200 people; 4 workers >= 1.6x one worker (on a 2-core
machine the load generator and PostgreSQL share the cores with the workers: the report
says so). Exit status 1 when one is missed (``--no-fail`` to only report).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from web_load import cpu_seconds, free_port, start, stop  # noqa: E402

P99_MS, SCALE_4 = 50.0, 1.6
DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def person_script(token: str) -> list[dict[str, Any]]:
    """One person's requests, sent in turn on their connection: mostly reads, two writes in
    twelve (what someone does around a session, much faster)."""
    cookie = {"Cookie": f"calfcare_session={token}"}
    mobility = json.dumps({"left": 9.5, "right": 10, "moment": "before"})
    session = json.dumps({"tool": "hands", "legs": ["left"], "seconds": 90})
    steps: list[dict[str, Any]] = [
        {"path": "/api/safety"},
        {"path": "/"},
        {"path": "/plan"},
        {"method": "POST", "path": "/api/checkins/mobility", "body": mobility},
        {"path": "/session?tool=hands&legs=left&seconds=120"},
        {"path": "/api/stats"},
        {"path": "/api/records?limit=20"},
        {"method": "POST", "path": "/api/manual-sessions", "body": session},
        {"path": "/api/safety"},
        {"path": "/checkins"},
        {"path": "/api/stats"},
        {"path": "/"},
    ]
    return [{**step, "headers": cookie} for step in steps]


@contextmanager
def own_database(base: str) -> Iterator[str]:
    """A URL to an empty database of this run's own: a new schema on PostgreSQL (dropped
    afterwards), or the SQLite file named."""
    if base.startswith("sqlite"):
        yield base
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    schema = f"bench_people_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def sign_up_people(url: str, people: int) -> list[str]:
    """``people`` accounts on ``url`` (migrated first), each with a sign-in session; their
    tokens. One password hash for all (hashing 200 would take a minute and measure
    nothing)."""
    from calfcare.core.accounts import Role, new_session_times
    from calfcare.services.accounts import _hasher, token_hash
    from calfcare.storage import open_store

    store = open_store(url)
    now = datetime.now(UTC)
    shared_hash = str(_hasher().hash(secrets.token_urlsafe(16)))
    tokens = []
    try:
        with store.accounts() as tx:
            for number in range(people):
                account = tx.add_account(f"bench-{number}", shared_hash, Role.PERSON, now)
                token = secrets.token_urlsafe(32)
                tx.add_session(token_hash(token), account.id, new_session_times(now))
                tokens.append(token)
    finally:
        store.close()
    return tokens


def tree_cpu(pid: int) -> float:
    """CPU seconds used by ``pid`` and its children (uvicorn's workers)."""
    total = cpu_seconds(pid) or 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return total
    return total + sum(cpu_seconds(int(child)) or 0.0 for child in children)


def postgres_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL process on this machine (Linux /proc):
    the server's backends, this bench's among them (and any other client's). Only live
    processes count: a backend that ends during a run takes its CPU with it (other
    sessions' tests open and close them), so the difference can even be negative."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += cpu_seconds(int(entry.name)) or 0.0
            except OSError:
                continue
    return total


def run_load(
    port: int, scripts: Path, seconds: float, pid: int, think: float = 0.0
) -> dict[str, Any]:
    """bench/loadgen.py with one connection per script (``think``: its pause), and the
    server's CPU time per response (``cpu_ms``, the workers' included), the load
    generator's (``loadgen_ms``) and PostgreSQL's (``postgres_ms``)."""
    cmd = [sys.executable, str(HERE / "loadgen.py"), "--port", str(port)]
    cmd += ["--scripts", str(scripts), "--seconds", str(seconds), "--think", str(think)]
    before, pg_before = tree_cpu(pid), postgres_cpu()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    result: dict[str, Any] = json.loads(out)
    if responses := result.get("all_responses"):
        result["cpu_ms"] = round((tree_cpu(pid) - before) / responses * 1e3, 2)
        loadgen = done.ru_utime + done.ru_stime - children.ru_utime - children.ru_stime
        result["loadgen_ms"] = round(loadgen / responses * 1e3, 2)
        result["postgres_ms"] = round((postgres_cpu() - pg_before) / responses * 1e3, 2)
    return result


def measure(workers: int, url: str, data: Path, files: tuple[Path, Path], args: Any) -> Any:
    """``{"calfcare": …, "bare": …}`` with ``workers`` workers each: ``rps`` (a closed loop:
    each person's next request as soon as the answer is in) and ``paced`` (about
    ``args.think`` s between a person's requests: the p99 people see)."""
    env = {
        "CALFCARE_DATA_DIR": str(data),
        "CALFCARE_DATABASE_URL": url,
        "PYTHONPATH": str(HERE.parent / "src"),
    }
    port = free_port()
    serve = [sys.executable, "-m", "calfcare", "serve", "--server", "--no-browser"]
    serve += ["--port", str(port), "--workers", str(workers)]
    bare = [sys.executable, str(HERE / "bare_workers.py"), str(port), str(workers)]
    paced_seconds = max(args.seconds, 3 * args.think)
    figures = {}
    for name, cmd, scripts in (("calfcare", serve, files[0]), ("bare", bare, files[1])):
        server = start(cmd, port, env, sockets=workers)
        try:
            # Untimed first: every worker's caches and PostgreSQL's buffers warm, so that
            # the first worker count measured is not the one that pays for it.
            run_load(port, scripts, args.warmup, server.pid)
            figures[name] = {
                "rps": run_load(port, scripts, args.seconds, server.pid),
                "paced": run_load(port, scripts, paced_seconds, server.pid, args.think),
            }
        finally:
            stop(server)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4", help="worker counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--url", default=os.environ.get("CALFCARE_TEST_POSTGRES_URL", DEFAULT_URL))
    parser.add_argument(
        "--think", type=float, default=2.0, help="seconds between a person's requests, about"
    )
    parser.add_argument(
        "--warmup", type=float, default=3.0, help="seconds of untimed load on each server first"
    )
    parser.add_argument("--quick", action="store_true", help="2 s per run, 1 and 4 workers")
    parser.add_argument("--no-fail", action="store_true")
    args = parser.parse_args()
    counts = [int(n) for n in ("1,4" if args.quick else args.workers).split(",")]
    if args.quick:
        args.seconds, args.think, args.warmup = 2.0, 1.0, 1.0

    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="calfcare-people-") as tmp,
        own_database(args.url) as url,
    ):
        tokens = sign_up_people(url, args.people)
        scripts, bare = Path(tmp) / "scripts.json", Path(tmp) / "bare.json"
        scripts.write_text(json.dumps([person_script(token) for token in tokens]))
        bare.write_text(json.dumps([[{"path": "/"}]] * args.people))
        for workers in counts:
            rows.append((workers, measure(workers, url, Path(tmp), (scripts, bare), args)))
    report(args, rows)


def report(args: argparse.Namespace, rows: list[tuple[int, dict[str, Any]]]) -> None:
    one = rows[0][1]["calfcare"]["rps"]["rps"] if rows and rows[0][0] == 1 else None
    print(
        f"{args.people} people, one connection each, on "
        f"{'SQLite' if args.url.startswith('sqlite') else 'PostgreSQL'}; {os.cpu_count()} cores"
        " shared by the load generator, the database and the workers; throughput: a closed "
        f"loop; latency: about {args.think:g} s between a person's requests"
    )
    failures = []
    for workers, figures in rows:
        real, bare = figures["calfcare"]["rps"], figures["bare"]["rps"]
        paced, bare_paced = figures["calfcare"]["paced"], figures["bare"]["paced"]
        growth = f"  {real['rps'] / one:.2f}x one worker" if one else ""
        statuses = {**real["statuses"], **paced["statuses"]}
        bad = {k: v for k, v in statuses.items() if not k.startswith("2")}
        print(
            f"{workers} worker(s): {real['rps']:6.0f} req/s, bare {bare['rps']:6.0f}: "
            f"{real['rps'] / bare['rps']:.2f}x bare{growth}; CPU {real.get('cpu_ms', 0):.1f} ms"
            f" a response (bare {bare.get('cpu_ms', 0):.2f}), load generator "
            f"{real.get('loadgen_ms', 0):.2f}, PostgreSQL {real.get('postgres_ms', 0):.2f}"
            f" | at {paced['rps']:.0f} req/s: "
            f"p50 {paced['p50_ms']:.1f}, p99 {paced['p99_ms']:.1f} ms (bare p99 "
            f"{bare_paced['p99_ms']:.1f}){'  statuses ' + str(bad) if bad else ''}"
        )
        if paced["p99_ms"] >= P99_MS or bad:
            failures.append(f"{workers} worker(s): p99 {paced['p99_ms']:.0f} ms or errors")
        if workers == 4 and one and real["rps"] / one < SCALE_4:
            failures.append(f"4 workers {real['rps'] / one:.2f}x one")
    print(f"multi_person: {'PASS' if not failures else 'MISS: ' + '; '.join(failures)}")
    if failures and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
