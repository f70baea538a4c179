"""`calfcare session --plan FILE --replay EVENTS --json` through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def _own_data_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty data folder: plans and the coach obey the safety state recorded there, and
    other tests record urgent screenings in the shared one."""
    monkeypatch.setenv("CALFCARE_DATA_DIR", str(tmp_path_factory.mktemp("data")))


VECTORS = Path(__file__).parent.parent / "data" / "session_vectors"


def _vector(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VECTORS / f"{name}.json").read_text())
    return data


@pytest.mark.parametrize("name", ["01-no-events", "08-pause-during-hold", "12-sharp-pain-in-hold"])
def test_replay_prints_the_vector_output(name: str, tmp_path: Path) -> None:
    vector = _vector(name)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(vector["plan"]))
    done = run_cli(
        "session",
        "--plan",
        str(plan),
        "--replay",
        "-",
        "--json",
        stdin=json.dumps(vector["events"]),
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == vector["expected"]


def test_sharp_pain_advice_also_goes_to_stderr(tmp_path: Path) -> None:
    vector = _vector("12-sharp-pain-in-hold")
    events = tmp_path / "events.json"
    events.write_text(json.dumps(vector["events"]))
    done = run_cli(
        "session", "--plan", "-", "--replay", str(events), stdin=json.dumps(vector["plan"])
    )
    assert done.returncode == 0, done.stderr
    assert "professional advice" in done.stderr
    assert "outcome: stopped_sharp_pain" in done.stdout


def test_plan_output_feeds_the_session(tmp_path: Path) -> None:
    plan = run_cli("plan", "--tool", "hands", "--legs", "right", "--json").stdout
    events = tmp_path / "e.json"
    events.write_text("[]")
    done = run_cli("session", "--plan", "-", "--replay", str(events), "--json", stdin=plan)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["outcome"] == "completed"
    assert out["calves"][0]["active_seconds"] == 150.0


def _broken_plans() -> list[tuple[str, Any, str]]:
    good = _vector("01-no-events")["plan"]

    def changed(edit: Any) -> Any:
        plan = json.loads(json.dumps(good))
        edit(plan)
        return plan

    def set_step(c: int, s: int, key: str, value: Any) -> Any:
        return changed(lambda p: p["calves"][c]["steps"][s].__setitem__(key, value))

    return [
        ("not an object", [], "(root)"),
        ("unknown tool", changed(lambda p: p.__setitem__("tool", "hammer")), "tool"),
        ("hold of 61 s", set_step(0, 2, "seconds", 61), "calves.0.steps.2.seconds"),
        ("steps do not sum", set_step(0, 1, "seconds", 50), "calves.0.steps"),
        (
            "calves differ",
            changed(
                lambda p: (
                    p["calves"][1].__setitem__("seconds", 150),
                    p.__setitem__("total_seconds", 270),
                )
            ),
            "calves.1.seconds",
        ),
        (
            "passes without ankle",
            changed(
                lambda p: [
                    s.__setitem__("cue", "Roll.")
                    for c in p["calves"]
                    for s in c["steps"]
                    if s["kind"] == "passes"
                ]
            ),
            "calves",
        ),
        ("unknown kind", set_step(0, 1, "kind", "kneading"), "calves.0.steps.1.kind"),
        ("float seconds", set_step(0, 1, "seconds", 45.0), "calves.0.steps.1.seconds"),
        (
            "position without leg",
            changed(lambda p: p["calves"][0]["steps"][0].pop("leg")),
            "calves.0.steps.0.leg",
        ),
        (
            "same calf twice",
            changed(lambda p: p["calves"][1].__setitem__("leg", "left")),
            "calves.1.leg",
        ),
        (
            "gentle with a hold and cross",
            changed(
                lambda p: (
                    p.__setitem__("intensity", "gentle"),
                    p["calves"][0]["steps"][1].__setitem__(
                        "cue", p["calves"][0]["steps"][1]["cue"] + " Cross your legs."
                    ),
                )
            ),
            "calves",
        ),
        ("blocked plan", {"contract": 1, "planned": False, "verdict": "urgent"}, "planned"),
    ]


@pytest.mark.parametrize(
    ("why", "plan", "field"), _broken_plans(), ids=[b[0] for b in _broken_plans()]
)
def test_plan_that_breaks_the_checks_exits_2(
    why: str, plan: Any, field: str, tmp_path: Path
) -> None:
    events = tmp_path / "events.json"
    events.write_text("[]")
    done = run_cli(
        "session", "--plan", "-", "--replay", str(events), "--json", stdin=json.dumps(plan)
    )
    assert done.returncode == 2, why
    body = json.loads(done.stdout)
    assert field in [p["field"] for p in body["problems"]], body
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ('[{"t": 5, "event": "pause"}, {"t": 4, "event": "resume"}]', "events.1.t"),
        ('[{"t": -1, "event": "pause"}]', "events.0.t"),
        ('[{"t": 1, "event": "jump"}]', "events.0.event"),
        ("{not json", "--replay"),
    ],
)
def test_bad_events_exit_2(events: str, field: str, tmp_path: Path) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(_vector("01-no-events")["plan"]))
    done = run_cli("session", "--plan", str(plan), "--replay", "-", "--json", stdin=events)
    assert done.returncode == 2
    assert field in [p["field"] for p in json.loads(done.stdout)["problems"]]
    assert field in done.stderr


def test_unreadable_plan_exits_2() -> None:
    done = run_cli("session", "--plan", "/nonexistent/plan.json", "--replay", "-", stdin="[]")
    assert done.returncode == 2
    assert "no such file" in done.stderr
