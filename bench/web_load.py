"""Web throughput and latency, as a ratio to a bare Starlette endpoint served the same way.

    .venv/bin/python bench/web_load.py [--seconds 3] [--connections 32] [--years 5] [--quick]

1. Seeds a temporary SQLite database with ``--years`` of full daily use (bench/seed.py:
   about 22,000 records for five years) by bulk insert, as ``calfcare import`` does.
2. Starts the real app with ``python -m calfcare serve --no-browser`` on a free loopback
   port with that data directory, and a bare Starlette app (one JSON route, no middleware)
   under the same uvicorn settings (`calfcare serve`'s: log level warning, no server header).
3. For each endpoint, runs bench/loadgen.py in a second process: ``--connections`` keep-alive
   connections, closed loop, ``--seconds`` after a 0.5 s warm-up. The bare endpoint is
   measured first and last; the ratio uses their mean (both are printed, so drift shows).

Endpoints: every HTML page that answers GET with 200 (the known ones, plus plan, session,
check-ins, history, insights and export when they exist), every parameterless GET in
/openapi.json, and ``POST /api/screening`` with a real screening input.

Targets (docs/performance.md): JSON API >= 0.5x the bare throughput and p99 < 25 ms at 32
connections; HTML pages >= 0.25x. Exit status 1 when one is missed (``--no-fail`` to only
report).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

JSON_RATIO, HTML_RATIO, JSON_P99_MS = 0.5, 0.25, 25.0
PAGES = ["/", "/screening", "/learn", "/mobility/knee-to-wall"]
MAYBE_PAGES = ["/plan", "/session", "/checkins", "/history", "/insights", "/export"]
VIGNETTES = ROOT / "tests" / "data" / "screening_vignettes.json"


BULK_BYTES = 64 * 1024
"""Bodies bigger than this are also measured against a bare endpoint sending as many bytes."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_listening(
    port: int, process: subprocess.Popen[bytes], timeout: float = 30, sockets: int = 1
) -> None:
    """Until ``port`` accepts a connection and (where /proc tells) ``sockets`` sockets
    listen on it: a worker that binds late would otherwise miss the first burst of
    connections, and keep-alive connections stay where they land."""
    from calfcare.web.workers import listening_sockets

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode} before listening")
        with socket.socket() as probe:
            accepting = probe.connect_ex(("127.0.0.1", port)) == 0
        if accepting and (sockets <= 1 or listening_sockets(port) in (0, sockets)):
            return
        time.sleep(0.05)
    raise SystemExit(f"server did not listen on {port} within {timeout} s")


def bare_app() -> Any:
    """The reference: Starlette, one JSON route, no middleware (``bytes/N``: a body of N
    bytes). A factory, so that uvicorn's worker processes can build it
    (``uvicorn web_load:bare_app --factory --app-dir bench``: bench/multi_person.py)."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    async def hello(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    bodies: dict[int, bytes] = {}

    async def sized(request: Request) -> Response:
        """A fixed JSON body of the asked size: the floor for an endpoint that big."""
        size = int(request.path_params["size"])
        if size not in bodies:
            bodies[size] = b'"' + b"x" * max(0, size - 2) + b'"'
        return Response(bodies[size], media_type="application/json")

    return Starlette(routes=[Route("/", hello), Route("/bytes/{size:int}", sized)])


def serve_bare(port: int) -> None:
    """`bare_app` under the same uvicorn settings as `calfcare serve`."""
    import uvicorn

    config = uvicorn.Config(
        bare_app(), host="127.0.0.1", port=port, log_level="warning", server_header=False
    )
    uvicorn.Server(config).run()


def seed(url: str, years: float, src: Path) -> dict[str, int]:
    """Seed the database with the calfcare being measured (``--src``), in its own process,
    so that its schema is the one that calfcare serves (a newer schema would be refused)."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); from seed import daily_use, "
        "seed_store; print(json.dumps(seed_store(sys.argv[2], daily_use(float(sys.argv[3])))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(HERE), url, str(years)],
        env={**os.environ, "PYTHONPATH": str(src.resolve())},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    counts: dict[str, int] = json.loads(out)
    return counts


def start(
    cmd: list[str], port: int, env: dict[str, str], sockets: int = 1
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        cmd, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    wait_listening(port, process, sockets=sockets)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def fetch(port: int, path: str, body: bytes | None = None) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json"} if body is not None else {},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def only(args: argparse.Namespace) -> set[str] | None:
    """The paths ``--only`` names, or None for every endpoint."""
    if not args.only:
        return None
    return {p.strip() for p in args.only.split(",") if p.strip()}


def endpoints(port: int, body_file: Path, wanted: set[str] | None = None) -> list[dict[str, Any]]:
    """What to measure on the real app: (kind, method, path, body file); with ``wanted``,
    only those paths."""
    found: list[dict[str, Any]] = []
    for path in PAGES + MAYBE_PAGES:
        if wanted is not None and path not in wanted:
            continue
        if fetch(port, path) == 200:
            found.append({"kind": "html", "method": "GET", "path": path})
        elif path in PAGES:
            raise SystemExit(f"GET {path} did not answer 200")
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=30) as r:
        doc = json.load(r)
    for path, item in sorted(doc["paths"].items()):
        get = item.get("get")
        if get is None or "{" in path or any(p.get("required") for p in get.get("parameters", [])):
            continue
        if wanted is not None and path not in wanted:
            continue
        if fetch(port, path) == 200:
            found.append({"kind": "json", "method": "GET", "path": path})
    if wanted is None or "/api/screening" in wanted:
        found.append(
            {"kind": "json", "method": "POST", "path": "/api/screening", "body": body_file}
        )
    return found


def cpu_seconds(pid: int) -> float | None:
    """CPU time used so far by ``pid`` (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_idle(pid: int, limit: float = 60.0) -> None:
    """Wait until the server has finished the requests still queued from the last run (a
    slow endpoint leaves work behind when the clients stop), so it cannot slow the next."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(0.25)
        after = cpu_seconds(pid)
        if before is None or after is None or after - before < 0.025:
            return


def measure(
    port: int, ep: dict[str, Any], args: argparse.Namespace, pid: int | None = None
) -> dict[str, Any]:
    """bench/loadgen.py's figures; with the server's ``pid``, also its CPU time per
    response (``cpu_us``): unlike req/s, it hardly moves when other work shares the cores."""
    cmd = [
        sys.executable,
        str(HERE / "loadgen.py"),
        "--port",
        str(port),
        "--path",
        ep["path"],
        "--method",
        ep["method"],
        "--connections",
        str(args.connections),
        "--seconds",
        str(args.seconds),
    ]
    if ep.get("body"):
        cmd += ["--body-file", str(ep["body"])]
    before = cpu_seconds(pid) if pid else None
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    after = cpu_seconds(pid) if pid else None
    result: dict[str, Any] = json.loads(out)
    if before is not None and after is not None and result.get("all_responses"):
        result["cpu_us"] = round((after - before) / result["all_responses"] * 1e6, 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--quick", action="store_true", help="1 s per endpoint")
    parser.add_argument("--no-fail", action="store_true")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    parser.add_argument(
        "--only",
        help="measure only these paths, comma-separated (e.g. /history,/api/records); "
        "the bare endpoint is always measured",
    )
    parser.add_argument(
        "--src",
        type=Path,
        default=ROOT / "src",
        help="serve calfcare from this source tree "
        "(to measure a patched copy against the same bare endpoint)",
    )
    parser.add_argument("--bare-server", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:
        serve_bare(args.bare_server)
        return
    if args.quick:
        args.seconds = 1.0

    with tempfile.TemporaryDirectory(prefix="calfcare-bench-") as tmp:
        data = Path(tmp)
        counts = seed(f"sqlite:///{data / 'calfcare.sqlite3'}", args.years, args.src)
        body_file = data / "screening.json"
        body_file.write_text(json.dumps(json.loads(VIGNETTES.read_text())["cases"][0]["input"]))
        env = {"CALFCARE_DATA_DIR": str(data), "PYTHONPATH": str(args.src.resolve())}
        real_port, bare_port = free_port(), free_port()
        real = start(
            [sys.executable, "-m", "calfcare", "serve", "--no-browser", "--port", str(real_port)],
            real_port,
            env,
        )
        bare = start([sys.executable, __file__, "--bare-server", str(bare_port)], bare_port, env)
        try:
            eps = endpoints(real_port, body_file, only(args))
            bare_ep = {"kind": "bare", "method": "GET", "path": "/"}
            first = measure(bare_port, bare_ep, args, bare.pid)
            rows = []
            for ep in eps:
                result = measure(real_port, ep, args, real.pid)
                wait_idle(real.pid)
                if result["bytes_per_response"] > BULK_BYTES:
                    # What a bare endpoint manages with a body this big, for context: past
                    # ~100 KB the bytes, not the app, set the pace (docs/performance.md).
                    size_ep = {"kind": "bare", "method": "GET"}
                    size_ep["path"] = f"/bytes/{result['bytes_per_response']}"
                    result["same_size_bare_rps"] = measure(bare_port, size_ep, args)["rps"]
                rows.append((ep, result))
            last = measure(bare_port, bare_ep, args, bare.pid)
        finally:
            stop(real)
            stop(bare)
    report(args, counts, first, last, rows)


def cpu_note(bare_cpu: float, cpu: float) -> str:
    """The server's CPU per response, and the bare one's over it: what the throughput ratio
    comes to when the server has a core to itself (the figure to compare on a busy machine)."""
    return f"  CPU {cpu:.0f} µs ({bare_cpu / cpu:.2f}x)"


def report(
    args: argparse.Namespace,
    counts: dict[str, int],
    first: dict[str, Any],
    last: dict[str, Any],
    rows: list[tuple[dict[str, Any], dict[str, Any]]],
) -> None:
    bare_rps = (first["rps"] + last["rps"]) / 2
    print(
        f"database: {sum(counts.values())} records ({args.years:g} years of daily use); "
        f"{args.connections} connections, {args.seconds:g} s per endpoint"
    )
    bare_cpu = min((r["cpu_us"] for r in (first, last) if r.get("cpu_us")), default=None)
    print(
        f"{'bare starlette GET /':34s} {first['rps']:8.0f} / {last['rps']:.0f} req/s (first/last)"
        f"  p50 {first['p50_ms']:6.2f}  p99 {first['p99_ms']:6.2f} ms"
        + (f"  server CPU {bare_cpu:.0f} µs/response" if bare_cpu else "")
    )
    failures: list[str] = []
    figures = []
    for ep, r in rows:
        ratio = r["rps"] / bare_rps if bare_rps else 0.0
        need = JSON_RATIO if ep["kind"] == "json" else HTML_RATIO
        ok = ratio >= need and set(r["statuses"]) <= {"200"}
        if ep["kind"] == "json":
            ok = ok and r["p99_ms"] < JSON_P99_MS
        name = f"{ep['kind']:4s} {ep['method']} {ep['path']}"
        if not ok:
            failures.append(name)
        figures.append({"endpoint": name, "ratio": round(ratio, 3), **r})
        print(
            f"{name:34s} {r['rps']:8.0f} req/s  {ratio:5.2f}x bare  p50 {r['p50_ms']:6.2f}  "
            f"p99 {r['p99_ms']:6.2f} ms  {r['bytes_per_response']:6d} B  "
            f"{'ok' if ok else 'MISS'}{'' if set(r['statuses']) <= {'200'} else r['statuses']}"
            + (cpu_note(bare_cpu, r["cpu_us"]) if bare_cpu and r.get("cpu_us") else "")
        )
        if r.get("same_size_bare_rps"):
            print(
                f"{'':34s} a bare endpoint sending as many bytes: "
                f"{r['same_size_bare_rps']:.0f} req/s, so "
                f"{r['rps'] / r['same_size_bare_rps']:.2f}x of that"
            )
    jsons = [f for f in figures if f["endpoint"].startswith("json")]
    htmls = [f for f in figures if f["endpoint"].startswith("html")]
    parts = []
    if jsons:
        worst_json = min(jsons, key=lambda f: f["ratio"])
        worst_p99 = max(jsons, key=lambda f: f["p99_ms"])
        parts.append(
            f"JSON worst {worst_json['ratio']:.2f}x ({worst_json['endpoint'][5:]}; target >= "
            f"{JSON_RATIO}), p99 worst {worst_p99['p99_ms']:.1f} ms "
            f"({worst_p99['endpoint'][5:]}; target < {JSON_P99_MS:g})"
        )
    if htmls:
        worst_html = min(htmls, key=lambda f: f["ratio"])
        parts.append(
            f"HTML worst {worst_html['ratio']:.2f}x ({worst_html['endpoint'][5:]}; "
            f"target >= {HTML_RATIO})"
        )
    print(
        f"web_load: bare {bare_rps:.0f} req/s; {'; '.join(parts)}; "
        f"{'PASS' if not failures else 'MISS: ' + ', '.join(failures)}"
    )
    if args.json:
        args.json.write_text(
            json.dumps({"bare": [first, last], "endpoints": figures, "counts": counts}, indent=2)
        )
    if failures and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()
