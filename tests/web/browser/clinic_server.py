"""A clinic on a real `calfcare serve --server`, for the clinician's browser test and
screenshots: a clinician (``dr.kim``) and four people who share with them, with records.

- anna.m: a routine of 3 a week, two sessions done this week, then an urgent next-day
  follow-up (a hold: the red flag, and the routine overridden today);
- bert.k: the same routine, one session done;
- carla.r: four weeks of varied records (trends) and the routine;
- dan.o: nothing yet.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from calfcare.services import clinic
from calfcare.web import deps
from tests.month_records import a_month
from tests.web.browser.server import running_server
from tests.web.server_helpers import Browser, make_account, make_clinician, server_app, share
from tests.web.test_safety_api import NO

PEOPLE = ("anna.m", "bert.k", "carla.r", "dan.o")
URGENT_NEXT_DAY = {
    "moment": "next_day",
    "left": 2,
    "followup": {"left": {**NO, "warmth": "unsure"}, "right": NO, "pe_signs": False},
}
SESSION = {"tool": "foam-roller", "legs": ["left", "right"]}


def make_clinic(data_dir: Path) -> dict[str, int]:
    """The clinic's accounts and records in ``data_dir``; each person's id."""
    app = server_app(data_dir)
    store, now = deps.base_store(app), datetime.now(UTC)
    kim = make_clinician(app, "dr.kim")
    ids = {name: make_account(app, name) for name in PEOPLE}
    yesterday = date.today() - timedelta(days=1)
    with store.for_person(ids["carla.r"]).transaction() as tx:  # (its ids are fixed: once)
        tx.add_all(a_month(3, yesterday))
    for name in PEOPLE:
        share(app, kim, ids[name])
    for name in ("anna.m", "bert.k", "carla.r"):
        clinic.prescribe(
            store, kim, ids[name], calves=["left", "right"], tools=["foam-roller"],
            intensity_cap="gentle", seconds_per_calf=150, sessions_per_week=3, weeks=4,
            start_day=date.today(), note="Slow passes; stop if it hurts.", now=now,
        )  # fmt: skip
    for name, sessions in (("anna.m", 2), ("bert.k", 1)):
        person = Browser(app)
        assert person.sign_in(name).status_code == 303
        for _ in range(sessions):
            assert person.client.post("/api/manual-sessions", json=SESSION).status_code == 201
        if name == "anna.m":
            answer = person.client.post("/api/checkins/soreness", json=URGENT_NEXT_DAY)
            assert answer.status_code == 201, answer.text
        person.close()
    deps.close_store(app)
    return ids


def clinic_server(data_dir: Path) -> AbstractContextManager[str]:
    """``calfcare serve --server`` on ``data_dir`` on a free loopback port: its base URL."""
    return running_server(data_dir, "--server")
