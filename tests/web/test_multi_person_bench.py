"""bench/multi_person.py does not rot: its people sign in, every request of a person's day is
answered (2xx) for that person only, and a tiny run against SQLite reports (no timing is
checked: the figures are the bench's, docs/performance.md)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from calfcare.settings import Settings
from calfcare.web.app import create_app
from tests.web.conftest import BASE_URL, TestClient

BENCH = Path(__file__).parents[2] / "bench"


def bench_module() -> ModuleType:
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("multi_person", BENCH / "multi_person.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_persons_day_is_answered_for_that_person_only(tmp_path: Path) -> None:
    bench = bench_module()
    url = f"sqlite:///{tmp_path / 'people.sqlite3'}"
    with bench.own_database(url) as own:
        tokens = bench.sign_up_people(own, 2)
    app = create_app(Settings(data_dir=tmp_path, database_url=url, server=True))
    with TestClient(app, base_url=BASE_URL) as client:
        for step in bench.person_script(tokens[0]):
            response = client.request(
                step.get("method", "GET"),
                step["path"],
                content=step.get("body"),
                headers={**step["headers"], "Content-Type": "application/json"},
            )
            assert 200 <= response.status_code < 300, (step["path"], response.text[:300])
        mine = client.get("/api/records", headers={"Cookie": f"calfcare_session={tokens[0]}"})
        other = client.get("/api/records", headers={"Cookie": f"calfcare_session={tokens[1]}"})
    assert mine.status_code == other.status_code == 200
    assert mine.json() and other.json() == []


@pytest.mark.slow
def test_a_tiny_run_on_sqlite_reports(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "multi_person.py"),
            "--url",
            f"sqlite:///{tmp_path / 'people.sqlite3'}",
            "--people",
            "3",
            "--workers",
            "1,2",
            "--seconds",
            "0.5",
            "--think",
            "0.1",
            "--no-fail",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("3 people, one connection each, on SQLite")
    assert [line.split(":")[0] for line in lines[1:3]] == ["1 worker(s)", "2 worker(s)"]
    assert "statuses" not in done.stdout  # every answer a 2xx
    assert lines[-1].startswith("multi_person: ")
