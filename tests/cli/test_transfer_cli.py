"""Done means: a new user logs a week from the CLI, sees the history, stats and a report,
exports, imports into an empty database and gets identical data back (SQLite and
PostgreSQL). Plus: hostile import files exit 2 and change nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.storage.backends import BACKENDS, database_url


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> Iterator[str]:
    (tmp_path / "a").mkdir()
    yield from database_url(backend, tmp_path / "a")


@pytest.fixture
def empty_url(backend: str, tmp_path: Path) -> Iterator[str]:
    (tmp_path / "b").mkdir()
    yield from database_url(backend, tmp_path / "b")


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path / "data")})
    return done.returncode, done.stdout, done.stderr


def ok(tmp_path: Path, *args: str) -> str:
    code, out, err = cli(tmp_path, *args)
    assert code == 0, (args, out, err)
    return out


@pytest.mark.slow
def test_a_week_round_trips(tmp_path: Path, db_url: str, empty_url: str) -> None:
    today = date.today()
    days = 7 if "sqlite" in db_url else 3  # PostgreSQL: the same path in fewer days (time)
    db = ("--db", db_url)
    ok(tmp_path, "log", "note", "new shoes, 5 km run", *db)  # creates the schema first
    commands = [
        ("log", "mobility", "--left", "9.5", "--right", "10.1", "--day",
         (today - timedelta(days=days)).isoformat(), *db),
        ("log", "mobility", "--left", "10.5", "--right", "10.4", *db),
        ("log", "soreness", "--moment", "before", "--left", "4", "--right", "3", *db),
    ]  # fmt: skip
    for n in range(days, 0, -1):
        day = (today - timedelta(days=n)).isoformat()
        commands.append(("log", "session", "--tool", "foam-roller", "--day", day,
                         "--tender", "left:middle:inner", *db))  # fmt: skip
        commands.append(("log", "soreness", "--moment", "next_day", "--day", day,
                         "--left", str(n % 5), "--right", "2", "--no-new-signs", *db))  # fmt: skip
    # Several processes at once, as a person with the web app open might: each write waits
    # its turn (SQLite: WAL, BEGIN IMMEDIATE, busy_timeout) and none is lost.
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda args: ok(tmp_path, *args), commands))

    rows = json.loads(ok(tmp_path, "history", "--json", *db))
    assert sum(r["kind"] == "session" for r in rows) == days
    assert json.loads(ok(tmp_path, "stats", "--json", *db))["mobility"]["left"]["change_cm"] == 1.0
    assert "left calf, middle, inner side" in ok(tmp_path, "history", "--kind", "session", *db)
    report = tmp_path / "report.png"
    ok(tmp_path, "report", "--output", str(report), *db)
    assert report.stat().st_size > 20_000

    exported = tmp_path / "export.json"
    ok(tmp_path, "export", "--output", str(exported), *db)
    document = json.loads(exported.read_text())
    assert len(document["sessions"]) == days and len(document["screenings"]) == days
    out = ok(tmp_path, "import", str(exported), "--json", "--db", empty_url)
    assert sum(json.loads(out)["added"].values()) == sum(len(v) for v in document.values()
                                                         if isinstance(v, list))  # fmt: skip
    again = ok(tmp_path, "export", "--db", empty_url)
    assert again == exported.read_text()
    out = ok(tmp_path, "import", str(exported), "--json", "--db", empty_url)
    assert sum(json.loads(out)["added"].values()) == 0
    assert ok(tmp_path, "export", "--db", empty_url) == again
    csv_text = ok(tmp_path, "export", "--format", "csv", *db)
    assert csv_text.splitlines()[0].startswith("kind,id,day")
    assert "'=cmd" not in csv_text


def test_hostile_import_exits_2_and_changes_nothing(tmp_path: Path, db_url: str) -> None:
    db = ("--db", db_url)
    ok(tmp_path, "log", "note", "=HYPERLINK(1)", *db)
    before = ok(tmp_path, "export", *db)
    assert "'=HYPERLINK" in ok(tmp_path, "export", "--format", "csv", *db)
    document = json.loads(before)
    document["notes"].append({**document["notes"][0], "id": "n2", "day": "2999-01-01"})
    document["soreness"] = [{"id": "s", "score": 99}]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(document))
    code, out, err = cli(tmp_path, "import", str(bad), "--json", *db)
    assert code == 2, err
    fields = {p["field"] for p in json.loads(out)["problems"]}
    assert {"notes.1.day", "soreness.0.score", "soreness.0.leg"} <= fields
    assert "nothing was imported" in err
    for text, field in (("{not json", "(file)"), ("[" * 100_000, "(file)")):
        bad.write_text(text)
        code, out, err = cli(tmp_path, "import", str(bad), "--json", *db)
        assert code == 2 and json.loads(out)["problems"][0]["field"] == field
    code, _, err = cli(tmp_path, "import", str(tmp_path / "missing.json"), *db)
    assert code == 2 and "no such file" in err
    assert ok(tmp_path, "export", *db) == before
