"""A small closed-loop HTTP/1.1 load generator (standard library only, asyncio protocols).

    python bench/loadgen.py --port 8000 --path /api/learn [--method POST --body-file F]
                            [--connections 32] [--seconds 3] [--warmup 0.5]
    python bench/loadgen.py --port 8000 --scripts FILE     (one connection per script)

``--connections`` keep-alive connections each send one request, wait for the whole
response, and send the next (no pipelining), so it measures what a browser or API client
sees. Only responses completed after the warm-up count. Prints one JSON object: requests,
seconds, throughput (req/s), latency percentiles in ms, the statuses seen, and bytes.

Run as its own process (bench/web_load.py does) so the generator never shares the
server's interpreter or GIL. Plain asyncio ``Protocol`` callbacks keep the client's cost
per request low; on a 2-core machine the client and the server each get one core.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from collections import Counter
from pathlib import Path


class _Conn(asyncio.Protocol):
    """One keep-alive connection sending its ``requests`` in turn, the next each time a
    response is done (one request: the same again)."""

    def __init__(self, run: _Run, requests: list[bytes]) -> None:
        self.run = run
        self.requests = requests
        self.turn = 0
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.sent_at = 0.0
        self.in_flight = False
        self.waiting = False
        """A request is due but the connection is being opened again (see `connection_lost`)."""
        self.closed = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        first = self.transport is None and self.turn == 0
        self.transport = transport
        if first or self.waiting:
            self.waiting = False
            self._send()

    def _send(self) -> None:
        if self.transport is None:  # reconnecting: connection_made sends it
            self.waiting = True
            return
        if time.perf_counter() >= self.run.stop_at:
            self.transport.close()
            return
        self.sent_at = time.perf_counter()
        self.in_flight = True
        self.transport.write(self.requests[self.turn % len(self.requests)])
        self.turn += 1

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            size = _response_size(self.buffer)
            if size is None:
                return
            status = int(self.buffer[9:12])
            del self.buffer[:size]
            self.in_flight = False
            self.run.done(self.sent_at, status, size)
            if self.run.think:
                # A person reading the page: the next request after about ``think`` s.
                pause = self.run.think * random.uniform(0.5, 1.5)
                asyncio.get_running_loop().call_later(pause, self._send)
                return
            self._send()
            if not self.buffer:
                return

    def connection_lost(self, exc: Exception | None) -> None:
        self.transport = None
        if time.perf_counter() < self.run.stop_at:
            self.buffer.clear()
            self.waiting = self.waiting or self.in_flight  # a lost request: send the next
            # The server closed an idle keep-alive connection (uvicorn does after 5 s, so
            # with long pauses most people's would end): open another, as a browser does.
            asyncio.get_running_loop().create_task(self._reconnect())
            return
        if not self.closed.done():
            self.closed.set_result(None)

    async def _reconnect(self) -> None:
        try:
            await asyncio.get_running_loop().create_connection(
                lambda: self, "127.0.0.1", self.run.port
            )
        except OSError:
            if not self.closed.done():
                self.closed.set_result(None)


def _response_size(buffer: bytearray) -> int | None:
    """The length of the first complete response in ``buffer``, or None if incomplete."""
    end = buffer.find(b"\r\n\r\n")
    if end < 0:
        return None
    head = bytes(buffer[:end]).lower()
    start = end + 4
    at = head.find(b"\r\ncontent-length:")
    if at >= 0:
        line_end = head.find(b"\r\n", at + 2)
        length = int(head[at + 17 : line_end if line_end >= 0 else None])
        return start + length if len(buffer) >= start + length else None
    if b"transfer-encoding: chunked" in head:
        tail = buffer.find(b"\r\n0\r\n\r\n", start - 2)
        return tail + 7 if tail >= 0 else None
    return start  # no body (e.g. 204/304)


class _Run:
    def __init__(
        self, warm_until: float, stop_at: float, think: float = 0.0, port: int = 0
    ) -> None:
        self.think = think
        self.port = port
        self.warm_until = warm_until
        self.stop_at = stop_at
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.bytes = 0
        self.first = 0.0
        self.last = 0.0
        self.all = 0
        """Every response, the warm-up's included (what the server did in all)."""

    def done(self, sent_at: float, status: int, size: int) -> None:
        now = time.perf_counter()
        self.all += 1
        if sent_at < self.warm_until:
            return
        if not self.latencies:
            self.first = self.warm_until
        self.latencies.append(now - sent_at)
        self.statuses[status] += 1
        self.bytes += size
        self.last = now


def build_request(
    method: str,
    path: str,
    port: int,
    body: bytes = b"",
    content_type: str = "application/json",
    headers: dict[str, str] | None = None,
) -> bytes:
    lines = [
        f"{method} {path} HTTP/1.1",
        f"Host: 127.0.0.1:{port}",
        "User-Agent: calfcare-bench",
        "Accept: */*",
    ]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body or method not in ("GET", "HEAD"):
        lines += [f"Content-Type: {content_type}", f"Content-Length: {len(body)}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of already sorted values."""
    if not sorted_values:
        return float("nan")
    rank = max(1, round(q / 100 * len(sorted_values) + 0.5 - 1e-9))
    return sorted_values[min(rank, len(sorted_values)) - 1]


async def load(
    port: int, scripts: list[list[bytes]], seconds: float, warmup: float, think: float = 0.0
) -> dict[str, object]:
    """Run one connection per script (its requests in turn) for ``seconds`` after
    ``warmup``, with about ``think`` s between a response and the next request (0: none,
    a closed loop); the figures of the responses after the warm-up."""
    loop = asyncio.get_running_loop()
    start = time.perf_counter()
    run = _Run(start + warmup, start + warmup + seconds, think, port)
    conns = []
    for script in scripts:
        _, proto = await loop.create_connection(
            lambda script=script: _Conn(run, script), "127.0.0.1", port
        )
        conns.append(proto)
    await asyncio.gather(*(c.closed for c in conns))
    lat = sorted(run.latencies)
    elapsed = (run.last - run.first) if lat else 0.0
    return {
        "requests": len(lat),
        "all_responses": run.all,
        "seconds": round(elapsed, 3),
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(lat, 50) * 1000, 2),
        "p99_ms": round(percentile(lat, 99) * 1000, 2),
        "max_ms": round(lat[-1] * 1000, 2) if lat else float("nan"),
        "statuses": {str(k): v for k, v in sorted(run.statuses.items())},
        "bytes_per_response": round(run.bytes / len(lat)) if lat else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", default="/")
    parser.add_argument("--method", default="GET")
    parser.add_argument("--body-file", type=Path)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=0.5)
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="seconds between a response and the next "
        "request on a connection, about (0.5-1.5x, at random; default 0: a closed loop)",
    )
    parser.add_argument(
        "--scripts",
        type=Path,
        help="a JSON list of scripts, one connection each: lists of {method, path, body, "
        "headers} sent in turn (instead of --path, --method, --body-file, --connections)",
    )
    args = parser.parse_args()
    if args.scripts:
        scripts = [
            [
                build_request(
                    step.get("method", "GET"),
                    step["path"],
                    args.port,
                    step.get("body", "").encode(),
                    headers=step.get("headers"),
                )
                for step in script
            ]
            for script in json.loads(args.scripts.read_text())
        ]
    else:
        body = args.body_file.read_bytes() if args.body_file else b""
        scripts = [[build_request(args.method, args.path, args.port, body)]] * args.connections
    result = asyncio.run(load(args.port, scripts, args.seconds, args.warmup, args.think))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
