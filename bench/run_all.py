"""Run every benchmark and print each one's summary line (the one command of bench/README.md).

    .venv/bin/python bench/run_all.py [--quick]

Each script runs in its own process, one after the other (they would disturb each other's
timings). ``--quick`` shortens the web load (1 s per endpoint) and the repeat counts; the
session-timer run always takes the whole 130 s session. Exit status: the number of scripts
that missed a target or could not measure.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    runs = ["--runs", "3"] if args.quick else []
    scripts = [
        ["cli_startup.py", *(["--runs", "5"] if args.quick else [])],
        ["web_load.py", *(["--quick"] if args.quick else [])],
        ["insights_ten_years.py", *runs],
        ["session_page.py", *runs],
        ["session_timer.py"],
    ]
    misses = 0
    summaries = []
    for script, *rest in scripts:
        print(f"$ {Path(sys.executable).name} bench/{script} {' '.join(rest)}".rstrip(), flush=True)
        done = subprocess.run(
            [sys.executable, str(HERE / script), *rest], capture_output=True, text=True, check=False
        )
        print(done.stdout, end="", flush=True)
        lines = [line for line in done.stdout.splitlines() if line.strip()]
        summaries.append(lines[-1] if lines else f"{script}: no output: {done.stderr[-300:]}")
        misses += done.returncode != 0
    print("\n== summary ==")
    print("\n".join(summaries))
    sys.exit(misses)


if __name__ == "__main__":
    main()
