"""The bare Starlette endpoint (`web_load.bare_app`) in worker processes arranged as
`calfcare serve --workers N` arranges its own (`calfcare.web.workers.run_workers`: uvicorn's
supervisor, each worker listening on a socket of its own), so that bench/multi_person.py
compares calfcare with the bare endpoint on the same workers.

    python bench/bare_workers.py PORT WORKERS
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the workers inherit it

from calfcare.web.workers import run_workers

if __name__ == "__main__":
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    options = {"host": "127.0.0.1", "port": port, "log_level": "warning", "server_header": False}
    run_workers(options, workers, factory="web_load:bare_app")
