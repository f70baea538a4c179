"""`calfcare log`: bad input exits 2 naming the field and saves nothing; the next-day
check-in asks the follow-up and shows the screening's urgent advice."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_cli


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path)})
    return done.returncode, done.stdout, done.stderr


def stored(tmp_path: Path) -> str:
    code, out, _ = cli(tmp_path, "export")
    assert code == 0
    return out


def test_bad_input_names_the_field_and_saves_nothing(tmp_path: Path) -> None:
    cli(tmp_path, "log", "note", "first")
    before = stored(tmp_path)
    future = (date.today() + timedelta(days=3)).isoformat()
    cases = [
        (("log", "soreness", "--moment", "before", "--left", "11", "--right", "3"), "left.score"),
        (("log", "soreness", "--moment", "later", "--left", "1"), "moment"),
        (("log", "mobility", "--left", "31", "--day", future), "day"),
        (("log", "session", "--tool", "ball", "--legs", "middle", "--tender", "x"), "legs"),
        (("log", "note", "  "), "text"),
    ]
    for args, field in cases:
        code, out, err = cli(tmp_path, *args, "--json")
        assert code == 2, (args, err)
        assert field in {p["field"] for p in json.loads(out)["problems"]}, (args, out)
        assert field in err
    assert stored(tmp_path) == before


def test_next_day_asks_the_follow_up_and_escalates(tmp_path: Path) -> None:
    code, out, err = cli(tmp_path, "log", "soreness", "--moment", "next_day", "--left", "3")
    assert code == 2 and "--swelling" in err and "--no-new-signs" in err
    assert "--pe-signs" in err
    code, out, err = cli(
        tmp_path, "log", "soreness", "--moment", "next-day", "--left", "3",
        "--swelling", "left", "--redness", "no", "--warmth", "no", "--json",
    )  # fmt: skip
    assert code == 2 and "--pe-signs" in err
    code, out, err = cli(
        tmp_path, "log", "soreness", "--moment", "next-day", "--left", "3",
        "--swelling", "left", "--redness", "no", "--warmth", "no", "--pe-signs", "no", "--json",
    )  # fmt: skip
    assert code == 0, err
    result = json.loads(out)
    assert result["followup"]["verdict"] == "urgent"
    assert result["saved"][0]["day"] == (date.today() - timedelta(days=1)).isoformat()
    assert "medical attention" in err.lower()
    code, out, _ = cli(tmp_path, "log", "soreness", "--moment", "next_day", "--left", "1",
                       "--no-new-signs")  # fmt: skip
    assert code == 0 and "no new swelling" in out


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_next_day_breathlessness_is_an_emergency_with_its_advice_first(
    tmp_path: Path, answer: str
) -> None:
    code, _, err = cli(
        tmp_path, "log", "soreness", "--moment", "next_day", "--left", "1",
        "--swelling", "no", "--redness", "no", "--warmth", "no", "--pe-signs", answer,
    )  # fmt: skip
    assert code == 0, err
    assert err.startswith("calfcare: Call your local emergency number now")
    code, _, err = cli(
        tmp_path, "log", "soreness", "--moment", "next_day", "--left", "1", "--no-new-signs",
        "--pe-signs", "no",
    )  # fmt: skip
    assert code == 2 and "--no-new-signs" in err


def test_knee_to_wall_instructions(tmp_path: Path) -> None:
    code, out, _ = cli(tmp_path, "log", "mobility", "--how")
    assert code == 0
    assert "heel" in out.lower() and "wall" in out.lower()


def test_minus_zero_cm_is_saved_and_shown_as_zero(tmp_path: Path) -> None:
    code, out, err = cli(tmp_path, "log", "mobility", "--left", "-0")
    assert code == 0, err
    assert "leg 0.0 cm" in out and "-0.0" not in out
    assert '"distance_cm": -0' not in stored(tmp_path)


@pytest.mark.parametrize(
    ("moment", "extra", "words"),
    [
        ("before", (), "before the session"),
        ("after", (), "after the session"),
        ("next_day", ("--no-new-signs",), "the next day"),
    ],
)
def test_a_saved_rating_says_when_in_words(
    tmp_path: Path, moment: str, extra: tuple[str, ...], words: str
) -> None:
    code, out, err = cli(tmp_path, "log", "soreness", "--moment", moment, "--left", "2", *extra)
    assert code == 0, err
    saved = next(line for line in out.splitlines() if line.startswith("saved "))
    assert f"left calf 2/10 {words} (" in saved, saved
    assert f"({moment}," not in saved and "_" not in saved, saved  # no internal name
