"""CLI start-up cost as a ratio to a bare interpreter, measured in the same run.

    .venv/bin/python bench/cli_startup.py [--runs N]

Prints one line per command and a summary line. Absolute times are context only: these
machines are noisy, so the ratio to `python -c pass` measured alongside is what counts
(target: at most 5x, docs/performance.md). Commands are timed interleaved, one run of each
in turn, so a burst of load from elsewhere hits all of them alike.

The target covers every command measured ("worst"): `--version`, `--help`, and `screen
--answers -` with `--json` and as text (stdout a pipe: plain lines, no Rich; on a terminal
the coloured panel costs about 26 ms more for Rich). Both screenings are recorded, as a
person's are, in a database in a temporary folder (the warm-up run creates it, so the timed
runs open a current schema).

The commands run with bytecode caching on, even when the calling shell sets
``PYTHONDONTWRITEBYTECODE`` (as these dev machines do), so the warm-up run writes calfcare's
``__pycache__``: an installed calfcare always has its bytecode (pip compiles it at install),
so compiling every module from source on every run is not what a user waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSWERS = ROOT / "tests" / "data" / "screening_vignettes.json"
TEXT = "calfcare screen --answers - (text)"


def timed(
    commands: dict[str, tuple[list[str], str | None]], runs: int, env: dict[str, str]
) -> dict[str, float]:
    """Median wall time of each command over ``runs`` interleaved runs, after a warm-up
    (which also writes the bytecode, unless ``env`` forbids it)."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for i in range(runs + 1):
        for name, (cmd, stdin) in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, input=stdin, capture_output=True, text=True, check=False, env=env)
            if i:
                samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(times) for name, times in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONDONTWRITEBYTECODE", "CALFCARE_DATABASE_URL")
    }
    answers = json.dumps(json.loads(ANSWERS.read_text())["cases"][0]["input"])
    exe = str(Path(sys.executable).with_name("calfcare"))
    with tempfile.TemporaryDirectory() as data_dir:
        env["CALFCARE_DATA_DIR"] = data_dir  # the screenings are recorded here, not in yours
        times = timed(
            {
                "bare": ([sys.executable, "-c", "pass"], None),
                "calfcare --version": ([exe, "--version"], None),
                "calfcare --help": ([exe, "--help"], None),
                "calfcare screen --answers - --json": (
                    [exe, "screen", "--answers", "-", "--json"],
                    answers,
                ),
                TEXT: ([exe, "screen", "--answers", "-"], answers),
            },
            args.runs,
            env,
        )
    bare = times.pop("bare")
    for name, seconds in times.items():
        print(f"{name:40s} {seconds * 1000:7.1f} ms  {seconds / bare:5.1f}x bare")
    worst = max(times.values()) / bare
    print(
        f"cli_startup: bare python {bare * 1000:.1f} ms; "
        + "; ".join(f"{k.split(' ', 1)[1]} {v / bare:.1f}x" for k, v in times.items())
        + f"; worst {worst:.1f}x (target <= 5x)"
    )


if __name__ == "__main__":
    main()
