"""`calfcare split-leg` and `calfcare insights` through real subprocesses."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from calfcare import services
from calfcare.core.followup import FollowUpAnswers
from calfcare.core.levels import Leg
from calfcare.core.tracking import SplitLegDay
from calfcare.settings import Settings
from calfcare.storage import open_store
from tests.conftest import run_cli


def env(tmp_path: Path) -> dict[str, str]:
    return {"CALFCARE_DATA_DIR": str(tmp_path)}


def test_the_coin_is_drawn_once_and_kept(tmp_path: Path) -> None:
    first = run_cli("split-leg", "today", "--json", env=env(tmp_path))
    assert first.returncode == 0, first.stderr
    drawn = json.loads(first.stdout)
    assert drawn["drawn_now"] is True
    assert {drawn["massaged"], drawn["control"]} == {"left", "right"}
    again = json.loads(run_cli("split-leg", "--json", env=env(tmp_path)).stdout)
    assert again["drawn_now"] is False
    assert again["massaged"] == drawn["massaged"]
    listed = json.loads(run_cli("split-leg", "list", "--json", env=env(tmp_path)).stdout)
    assert listed == [{k: drawn[k] for k in ("day", "massaged", "control")}]
    text = run_cli("split-leg", env=env(tmp_path)).stdout
    assert f"massage your {drawn['massaged']} calf only" in text


def test_unknown_action_exits_2(tmp_path: Path) -> None:
    done = run_cli("split-leg", "redraw", "--json", env=env(tmp_path))
    assert done.returncode == 2
    assert json.loads(done.stdout)["problems"][0]["field"] == "action"


def _seed_experiment(tmp_path: Path, days: int, effect: int) -> None:
    """``days`` split-leg days where the massaged calf is ``effect`` points less sore."""
    rng = random.Random(7)
    store = open_store(Settings(data_dir=tmp_path))
    start = date(2026, 10, 1)
    try:
        for n in range(days):
            day = start + timedelta(days=n)
            massaged = rng.choice([Leg.LEFT, Leg.RIGHT])
            with store.transaction() as tx:
                tx.add_split_leg_day(SplitLegDay(day, massaged))
            now = datetime(2026, 11, 20, tzinfo=UTC)
            base = {"left": 5, "right": 5}
            services.log_soreness(store, day=day, scores=base, moment="before", now=now)
            later = {leg.value: 4 - (effect if leg is massaged else 0) for leg in Leg}
            services.log_soreness(
                store, day=day, scores=later, moment="next_day", now=now,
                followup=FollowUpAnswers.none(),
            )  # fmt: skip
    finally:
        store.close()


def test_insights_report_the_split_leg_analysis(tmp_path: Path) -> None:
    _seed_experiment(tmp_path, days=10, effect=2)
    done = run_cli("insights", "--json", env=env(tmp_path))
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    primary = report["split_leg"][0]
    assert primary["outcome"] == "next_day_soreness"
    assert primary["days"] == 10
    assert primary["mean_difference"] == -2.0
    assert primary["p_value"] is not None and primary["p_value"] < 0.05
    text = run_cli("insights", env=env(tmp_path)).stdout
    assert "Split-leg experiment" in text
    assert "progress" not in text.lower()


def test_too_few_days_gives_no_p_value_and_says_how_many_more(tmp_path: Path) -> None:
    _seed_experiment(tmp_path, days=3, effect=2)
    report = json.loads(run_cli("insights", "--json", env=env(tmp_path)).stdout)
    primary = report["split_leg"][0]
    assert primary["p_value"] is None
    assert primary["more_days"] >= 3
    assert "more days" in primary["headline"] or any("more days" in f for f in primary["figures"])
