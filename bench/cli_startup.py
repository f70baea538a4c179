"""CLI start-up cost as a ratio to a bare interpreter, measured in the same run.

    .venv/bin/python bench/cli_startup.py [--runs N]

Prints one line per command and a summary line. Absolute times are context only: these
machines are noisy, so the ratio to `python -c pass` measured alongside is what counts
(target: at most 5x, docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "data" / "screening_vignettes.json"


def timed(cmd: list[str], stdin: str | None, runs: int) -> float:
    """Median wall time of ``runs`` runs, after one warm-up run."""
    samples = []
    for i in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False)
        if i:
            samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    answers = json.dumps(json.loads(ANSWERS.read_text())["cases"][0]["input"])
    exe = str(Path(sys.executable).with_name("calfcare"))
    with tempfile.TemporaryDirectory():
        bare = timed([sys.executable, "-c", "pass"], None, args.runs)
        rows = {
            "calfcare --version": timed([exe, "--version"], None, args.runs),
            "calfcare --help": timed([exe, "--help"], None, args.runs),
            "calfcare screen --answers - --json": timed(
                [exe, "screen", "--answers", "-", "--json"], answers, args.runs
            ),
        }
    for name, seconds in rows.items():
        print(f"{name:40s} {seconds * 1000:7.1f} ms  {seconds / bare:5.1f}x bare")
    worst = max(rows.values()) / bare
    print(
        f"cli_startup: bare python {bare * 1000:.1f} ms; "
        + "; ".join(f"{k.split(' ', 1)[1]} {v / bare:.1f}x" for k, v in rows.items())
        + f"; worst {worst:.1f}x (target <= 5x)"
    )


if __name__ == "__main__":
    main()
