"""`calfcare history` and `stats`: filters, JSON, and bad filters exit 2."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path)})
    return done.returncode, done.stdout, done.stderr


def test_history_filters(tmp_path: Path) -> None:
    code, out, _ = cli(tmp_path, "history")
    assert code == 0 and "Nothing recorded yet" in out
    cli(tmp_path, "log", "soreness", "--moment", "before", "--left", "2", "--right", "5")
    cli(tmp_path, "log", "note", "easy day", "--day", "yesterday")
    code, out, _ = cli(tmp_path, "history", "--json")
    rows = json.loads(out)
    assert [r["kind"] for r in rows] == ["note", "soreness", "soreness"]
    code, out, _ = cli(tmp_path, "history", "--leg", "right", "--kind", "soreness", "--json")
    assert [r["what"] for r in json.loads(out)] == ["5/10 before the session"]
    code, out, _ = cli(tmp_path, "history", "--limit", "1")
    assert code == 0 and "soreness" in out and "easy day" not in out
    code, out, _ = cli(tmp_path, "history", "--leg", "middle", "--kind", "naps", "--json")
    assert code == 2
    assert {p["field"] for p in json.loads(out)["problems"]} == {"--leg", "--kind"}
    code, out, _ = cli(tmp_path, "stats", "--json")
    assert json.loads(out)["soreness_mean"] == {"left": {"before": 2}, "right": {"before": 5}}
    code, out, _ = cli(tmp_path, "stats")
    assert code == 0 and "mean soreness, right calf" in out


def test_stats_say_counts_weeks_and_moments_in_words(tmp_path: Path) -> None:
    """Counts as things ("1 note", "2 soreness ratings"), a week as the day it starts, and
    the soreness means in the order of a day (before, after, next day), not alphabetical."""
    cli(tmp_path, "log", "soreness", "--moment", "after", "--left", "1", "--day", "2026-03-04")
    cli(tmp_path, "log", "soreness", "--moment", "before", "--left", "3", "--day", "2026-03-04")
    cli(tmp_path, "log", "note", "easy day", "--day", "2026-03-04")
    cli(tmp_path, "log", "session", "--tool", "ball", "--day", "2026-03-04")
    code, out, _ = cli(tmp_path, "stats")
    assert code == 0, out
    assert "2 soreness ratings, 0 knee-to-wall tests, 1 note," in out
    assert "mean soreness, left calf (0-10): before 3, after 1" in out
    assert "sessions done in the week of 2 Mar 2026: 1" in out  # a Wednesday's week
    assert "0 pain checks" in out and "split leg" not in out and "-W" not in out
