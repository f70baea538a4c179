"""`calfcare split-leg` and `calfcare insights`: a whole experiment walked through as a new
user would, with an injected clock (in process), and the real command in a subprocess."""

from __future__ import annotations

import json
import random
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

import calfcare.cli.db as cli_db
import calfcare.cli.log as cli_log
from calfcare.cli import app
from tests.conftest import run_cli

DAY1 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


class Person:
    """One person at a terminal; ``clock`` is what `calfcare.cli.db.now` says."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.env = {"CALFCARE_DATA_DIR": str(tmp_path), "COLUMNS": "80"}
        self.clock = DAY1
        monkeypatch.setattr(cli_db, "now", lambda: self.clock)
        monkeypatch.setattr(cli_log, "now", lambda: self.clock)
        self.runner = CliRunner()

    def run(self, *args: str, code: int = 0) -> str:
        """The command's standard output (its exit status checked)."""
        done = self.runner.invoke(app, list(args), env=self.env)
        assert done.exit_code == code, done.output
        return done.stdout

    def json(self, *args: str, code: int = 0) -> object:
        return json.loads(self.run(*args, "--json", code=code))

    def rate(self, moment: str, left: int, right: int, day: str | None = None) -> None:
        extra = ["--no-new-signs"] if moment == "next_day" else []
        self.run("log", "soreness", "--moment", moment, "--left", str(left),
                 "--right", str(right), *(["--day", day] if day else []), *extra)  # fmt: skip


@pytest.fixture
def person(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Person:
    return Person(tmp_path, monkeypatch)


def test_a_whole_experiment_as_a_new_user(person: Person) -> None:
    assert "No split-leg experiment yet" in person.run("split-leg")
    refused = person.json("split-leg", "draw", code=2)
    assert isinstance(refused, dict) and refused["problems"][0]["field"] == "experiment"
    planned = person.run("split-leg", "start", "--days", "12")
    planned = " ".join(planned.split())
    assert "Experiment planned: 12 complete days, asking about next-day soreness." in planned
    assert "typical day-to-day spread (1.5 points)" in planned
    assert "Day 0 of 12" in person.run("split-leg")
    not_yet = person.json("split-leg", "draw", code=2)
    assert isinstance(not_yet, dict) and not_yet["problems"][0]["field"] == "before"
    rng = random.Random(5)
    coins: list[str] = []
    for n in range(13):
        person.clock = DAY1 + timedelta(days=n)
        if coins:  # yesterday's next-day rating: the massaged calf 2 points less sore
            yesterday = (person.clock - timedelta(days=1)).date().isoformat()
            left, right = (2, 4) if coins[-1] == "left" else (4, 2)
            person.rate("next_day", left, right, day=yesterday)
        if n == 12:
            break
        person.rate("before", 4, 4)
        drawn = person.json("split-leg", "draw")
        assert isinstance(drawn, dict) and drawn["drawn_now"] is True
        coins.append(drawn["massaged"])
        person.run("split-leg", "massaged", drawn["massaged"] if rng.random() < 0.9 else "both")
        report = person.json("insights")
        assert isinstance(report, dict)
        primary = report["split_leg"][0]
        if n == 3:  # day 3: progress only, no figures that could be read early
            assert primary["conclusion"] == "not_yet_due" and primary["p_value"] is None
            assert primary["interval"] is None and primary["mean_difference"] is None
            assert primary["headline"] == (
                "Day 3 of 12: the result comes on day 12, so that looking early cannot fool you."
            )
    report = person.json("insights")
    assert isinstance(report, dict)
    primary = report["split_leg"][0]
    assert primary["status"] == "complete" and primary["days"] == 12
    assert primary["conclusion"] == "massaged_better_meaningful"
    assert primary["interval"][1] <= -1.4 and primary["p_value"] < 0.05
    assert primary["per_protocol"]["days"] <= 12
    text = " ".join(person.run("insights").split())
    assert "came out less sore the next day than the other calf, by more than" in text
    assert "p =" not in text and "sign-flip" not in text  # statistics only with --details
    detailed = " ".join(person.run("insights", "--details").split())
    assert "How this was worked out" in detailed and "sign-flip" in detailed
    assert "A new one: calfcare split-leg start" in " ".join(person.run("split-leg").split())


def test_stop_needs_a_yes_and_ends_without_a_result(person: Person) -> None:
    person.run("split-leg", "start")
    refused = person.json("split-leg", "stop", code=2)
    assert isinstance(refused, dict) and refused["problems"][0]["field"] == "--yes"
    assert "ends without a result" in person.run("split-leg", "stop", "--yes")
    assert "You stopped this experiment after 0 of" in " ".join(person.run("split-leg").split())


def test_every_line_fits_80_columns(person: Person) -> None:
    person.run("split-leg", "start", "--outcome", "knee_to_wall")
    first: list[tuple[str, ...]] = [
        ("split-leg",),
        ("insights",),
        ("split-leg", "start", "--days", "3"),
    ]
    for args in first:
        done = person.runner.invoke(app, list(args), env=person.env)
        for line in done.stdout.splitlines():  # (error messages are the shared reporter's)
            assert len(line) <= 80, line
    person.run("log", "mobility", "--moment", "before", "--left", "9.5", "--right", "9.0")
    for more in (("split-leg", "draw"), ("split-leg", "status")):
        for line in person.run(*more).splitlines():
            assert len(line) <= 80, line


def test_the_real_command(tmp_path: Path) -> None:
    env = {"CALFCARE_DATA_DIR": str(tmp_path)}
    started = run_cli("split-leg", "start", "--days", "7", "--json", env=env)
    assert started.returncode == 0, started.stderr
    assert json.loads(started.stdout)["planned_days"] == 7
    status = json.loads(run_cli("split-leg", "status", "--json", env=env).stdout)
    assert status["next_step"] == "rate_before" and status["coin"] is None
    bad = run_cli("split-leg", "start", "--days", "3", "--json", env=env)
    assert bad.returncode == 2
    assert {p["field"] for p in json.loads(bad.stdout)["problems"]} == {"experiment", "days"}
    report = json.loads(run_cli("insights", "--json", env=env).stdout)
    assert report["split_leg"][0]["conclusion"] == "not_yet_due"
    assert re.search(r"Day 0 of 7", run_cli("split-leg", env=env).stdout)
