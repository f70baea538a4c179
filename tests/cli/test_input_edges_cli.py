"""Issue 13 at the command line: arguments that are not UTF-8, JSON files that cannot be read
(both ways `screen --answers` is answered), calendar ends on reads, record-day bounds."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_screen_fast_path import FAST, TYPER, assert_same
from tests.conftest import run_cli

UNREADABLE = {
    "deep.json": b"[" * 3000 + b"]" * 3000,
    "surrogate-key.json": b'{"contract": 1, "\\ud800": true}',
    "surrogate-value.json": b'{"contract": 1, "legs": ["\\udfff"]}',
    "not-utf8.json": b'{"contract": 1,\n "legs": ["\xff"]}',
    "nan.json": b'{"contract": NaN}',
    "huge.json": b'{"contract": 1e999}',
}


@pytest.mark.parametrize("name", UNREADABLE)
def test_unreadable_answers_are_exit_2_both_ways(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(UNREADABLE[name])
    for extra in ([], ["--json"]):
        status, out, err = assert_same(["screen", "--answers", str(path), *extra])
        assert status == 2, err
        assert "internal error" not in err and str(path) in err
        if extra:
            assert json.loads(out)["problems"]


def run_bytes(prefix: list[str], args: list[str], stdin: bytes) -> tuple[int, bytes, bytes]:
    done = subprocess.run(
        [*prefix, *args], input=stdin, capture_output=True, timeout=60, check=False
    )
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("name", ["deep.json", "not-utf8.json", "surrogate-key.json"])
def test_unreadable_standard_input_is_exit_2_both_ways(name: str) -> None:
    args = ["screen", "--answers", "-", "--json", "--no-save"]
    fast = run_bytes(FAST, args, UNREADABLE[name])
    assert fast == run_bytes(TYPER, args, UNREADABLE[name])
    assert fast[0] == 2 and b"standard input" in fast[2]


def test_a_plan_with_unreadable_screening_is_exit_2(tmp_path: Path) -> None:
    for name, raw in UNREADABLE.items():
        path = tmp_path / name
        path.write_bytes(raw)
        done = run_cli("plan", "--tool", "ball", "--screening", str(path))
        assert done.returncode == 2, (name, done.stderr)
        assert str(path) in done.stderr and "internal error" not in done.stderr


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["log", "note", "\udcff"], "argument 3"),
        (["log", "note", "hi", "--day", "2026\udcfe"], "--day"),
        (["history", "--since=\udcff"], "--since"),
        (["screen", "--answers", "\udcffx.json"], "--answers"),
        (["\udcff"], "argument 1"),
    ],
)
def test_an_argument_that_is_not_utf8_is_exit_2_naming_it(
    args: list[str], field: str, tmp_path: Path
) -> None:
    env = {**os.environ, "CALFCARE_DATA_DIR": str(tmp_path)}
    for prefix in (FAST, TYPER):
        done = subprocess.run(
            [*prefix, *args], capture_output=True, timeout=60, env=env, check=False
        )
        assert done.returncode == 2, done.stderr
        err = done.stderr.decode()
        assert f"  - {field}: '" in err and "\\x" in err and "not UTF-8" in err
    assert not (tmp_path / "calfcare.sqlite3").exists()  # refused before anything ran


def test_reads_at_the_ends_of_the_calendar_work(tmp_path: Path) -> None:
    env = {"CALFCARE_DATA_DIR": str(tmp_path)}
    assert run_cli("log", "note", "hi", "--day", "2000-01-01", env=env).returncode == 0
    for command in ("history", "stats", "insights"):
        for ends in (["--since", "0001-01-01"], ["--until", "9999-12-31"]):
            done = run_cli(command, *ends, "--json", env=env)
            assert done.returncode == 0, (command, done.stderr)
    rows = json.loads(run_cli("history", "--until", "9999-12-31", "--json", env=env).stdout)
    assert [r["kind"] for r in rows] == ["note"]
    huge = run_cli("history", "--limit", "99999999999999999999", env=env)
    assert huge.returncode == 2 and "1000000" in huge.stderr


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
def test_a_record_day_outside_the_bounds_is_exit_2(day: str, tmp_path: Path) -> None:
    env = {"CALFCARE_DATA_DIR": str(tmp_path)}
    done = run_cli("log", "soreness", "--moment", "after", "--left", "3", "--day", day, env=env)
    assert done.returncode == 2 and "day" in done.stderr and day in done.stderr
    rows = run_cli("history", "--json", env=env)
    assert json.loads(rows.stdout or "[]") == []
