"""Start the real `calfcare serve` for browser tests and screenshots (no pytest needed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from calfcare.web.workers import listening_sockets

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
    },
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def wait_for_port(
    port: int, process: subprocess.Popen[bytes], timeout: float = 90.0, sockets: int = 1
) -> None:
    """Until ``port`` accepts connections and ``sockets`` sockets listen on it (one per
    worker: `calfcare serve --workers N` gives each its own)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"calfcare serve exited with {process.returncode}")
        with socket.socket() as probe:
            accepting = probe.connect_ex(("127.0.0.1", port)) == 0
        if accepting and (sockets <= 1 or listening_sockets(port) >= sockets):
            return
        time.sleep(0.05)
    raise RuntimeError(f"calfcare serve did not listen on port {port} within {timeout} s")


@contextmanager
def running_server(data_dir: Path, *options: str) -> Iterator[str]:
    """``calfcare serve --no-browser`` (and ``options``, e.g. ``--server``) on a free
    loopback port; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "calfcare",
            "serve",
            "--no-browser",
            "--port",
            str(port),
            *options,
        ],
        env={**os.environ, "CALFCARE_DATA_DIR": str(data_dir)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=60)
