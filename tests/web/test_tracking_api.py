"""The tracking JSON API: the same validation, errors and serialisation as the CLI."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from calfcare.core.screening_rules import GENERAL_QUESTION_IDS, LEG_QUESTION_IDS
from tests.web.conftest import TestClient

NO_SIGNS: dict[str, object] = {
    **{leg: {"swelling": False, "redness": False, "warmth": False} for leg in ("left", "right")},
    "pe_signs": False,
}


def _answers(**left: object) -> dict[str, object]:
    leg = {i: False for i in LEG_QUESTION_IDS if i != "pain_after_exercise"}
    return {
        "contract": 1,
        "legs": ["left", "right"],
        "general": dict.fromkeys(GENERAL_QUESTION_IDS, False),
        "left": {**leg, **left},
        "right": dict(leg),
    }


def _problems(response: object) -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) >= {"error", "problems"}
    return {p["field"] for p in body["problems"]}


def test_plan_is_the_cli_plan_json(client: TestClient) -> None:
    from calfcare.cli.plan import make_plan
    from calfcare.core.plan_json import plan_to_json

    response = client.post(
        "/api/plan", json={"tool": "ball", "legs": ["right"], "seconds_per_calf": 160}
    )
    assert response.status_code == 200
    expected = plan_to_json(
        make_plan({"tool": "ball", "legs": "right", "seconds_per_calf": "160"}, None)
    )
    assert response.json() == expected


def test_plan_errors_name_every_field(client: TestClient) -> None:
    response = client.post(
        "/api/plan",
        json={"tool": "spoon", "seconds_per_calf": 150.0, "legs": "middle", "colour": "red"},
    )
    assert response.status_code == 422
    assert _problems(response) == {"colour"}  # unknown keys are refused first
    response = client.post(
        "/api/plan", json={"tool": "spoon", "seconds_per_calf": 150.5, "legs": "middle"}
    )
    assert _problems(response) == {"tool", "seconds_per_calf", "legs"}


def test_plan_with_a_screening(client: TestClient) -> None:
    gentle = client.post(
        "/api/plan",
        json={
            "tool": "hands",
            "intensity": "deep",
            "screening": {
                **_answers(),
                "general": {**dict.fromkeys(GENERAL_QUESTION_IDS, False), "anticoagulants": True},
            },
        },
    )
    assert gentle.status_code == 200 and gentle.json()["intensity"] == "gentle"
    blocked = client.post("/api/plan", json={"tool": "ball", "screening": _answers(swelling=True)})
    assert blocked.status_code == 409
    body = blocked.json()
    assert body["verdict"] == "urgent" and body["planned"] is False and body["error"]
    bad = client.post("/api/plan", json={"tool": "ball", "screening": {"legs": []}})
    assert bad.status_code == 422
    assert all(f.startswith("screening.") for f in _problems(bad))


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        ("{", {"content-type": "application/json"}, 400),
        ("{}", {"content-type": "text/plain"}, 415),
        ("[]", {"content-type": "application/json"}, 422),
    ],
)
def test_bodies_are_json_objects(
    client: TestClient, body: str, headers: dict[str, str], status: int
) -> None:
    for path in (
        "/api/plan",
        "/api/checkins/soreness",
        "/api/checkins/mobility",
        "/api/notes",
        "/api/manual-sessions",
        "/api/split-leg/days",
    ):
        response = client.post(path, content=body, headers=headers)
        assert response.status_code == status, path
        _problems(response)


def test_soreness_after_and_next_day_with_the_follow_up(client: TestClient) -> None:
    after = client.post("/api/checkins/soreness", json={"moment": "after", "left": 3})
    assert after.status_code == 201
    assert after.json()["followup"] is None and after.json()["escalated"] is False
    assert after.json()["saved"][0]["day"] == date.today().isoformat()
    missing = client.post("/api/checkins/soreness", json={"moment": "next_day", "left": 3})
    assert missing.status_code == 422 and _problems(missing) == {"followup"}
    calm = client.post(
        "/api/checkins/soreness", json={"moment": "next_day", "right": 2, "followup": NO_SIGNS}
    )
    assert calm.status_code == 201 and calm.json()["followup"]["verdict"] == "ok"
    assert calm.json()["saved"][0]["day"] == (date.today() - timedelta(days=1)).isoformat()
    signs = json.loads(json.dumps(NO_SIGNS))
    signs["left"]["warmth"] = "unsure"
    urgent = client.post(
        "/api/checkins/soreness", json={"moment": "next_day", "left": 5, "followup": signs}
    )
    assert urgent.status_code == 201
    assert urgent.json()["escalated"] is True
    assert urgent.json()["followup"]["verdict"] == "urgent"
    no_pe = {k: v for k, v in NO_SIGNS.items() if k != "pe_signs"}
    refused = client.post(
        "/api/checkins/soreness", json={"moment": "next_day", "left": 1, "followup": no_pe}
    )
    assert refused.status_code == 422 and _problems(refused) == {"followup.pe_signs"}
    for answer in (True, "unsure"):
        emergency = client.post(
            "/api/checkins/soreness",
            json={"moment": "next_day", "left": 1, "followup": {**NO_SIGNS, "pe_signs": answer}},
        )
        assert emergency.status_code == 201
        report = emergency.json()["followup"]
        assert report["verdict"] == "emergency"
        assert report["advice"].startswith("Call your local emergency number now")
        assert report["findings"][0]["rule"] == "pe_signs"


def test_soreness_names_every_problem_at_once(client: TestClient) -> None:
    response = client.post(
        "/api/checkins/soreness",
        json={
            "moment": "next_day",
            "day": "someday",
            "left": 11,
            "right": True,
            "followup": {"left": {"swelling": "maybe"}},
        },
    )
    assert response.status_code == 422
    fields = _problems(response)
    assert {
        "day",
        "left.score",
        "right.score",
        "followup.left.swelling",
        "followup.right",
        "followup.pe_signs",
    } <= fields
    assert client.get("/api/records").json() == []


def test_mobility_notes_and_manual_sessions(client: TestClient) -> None:
    mob = client.post("/api/checkins/mobility", json={"left": 9.5, "right": 10, "moment": "before"})
    assert mob.status_code == 201 and [s["distance_cm"] for s in mob.json()["saved"]] == [9.5, 10]
    bad = client.post("/api/checkins/mobility", json={"left": 9.55, "moment": "later"})
    assert bad.status_code == 422 and _problems(bad) == {"left.distance_cm", "moment"}
    note = client.post("/api/notes", json={"text": "new shoes"})
    assert note.status_code == 201 and note.json()["saved"]["day"] == date.today().isoformat()
    assert client.post("/api/notes", json={"text": ""}).status_code == 422
    session = client.post(
        "/api/manual-sessions",
        json={
            "tool": "hands",
            "legs": ["left"],
            "seconds": 90,
            "tender_spots": ["left:upper:outer"],
        },
    )
    assert session.status_code == 201
    bad = client.post(
        "/api/manual-sessions", json={"tool": "hands", "legs": "left", "tender_spots": [1]}
    )
    assert bad.status_code == 422 and _problems(bad) == {"legs", "tender_spots"}
    bad = client.post(
        "/api/manual-sessions",
        json={
            "tool": "pan",
            "legs": ["left"],
            "seconds": 200,
            "tender_spots": ["right:upper:outer"],
        },
    )
    assert _problems(bad) == {"tool", "seconds", "tender_spot.0"}


def test_minus_zero_cm_is_saved_as_zero(client: TestClient) -> None:
    response = client.post("/api/checkins/mobility", content=b'{"left": -0.0, "moment": "other"}',
                           headers={"Content-Type": "application/json"})  # fmt: skip
    assert response.status_code == 201
    assert '"distance_cm":0.0' in response.text.replace(" ", "")


def test_records_are_the_cli_history_rows_with_filters(client: TestClient) -> None:
    client.post("/api/checkins/soreness", json={"moment": "before", "left": 1, "right": 2})
    client.post("/api/notes", json={"text": "hello"})
    rows = client.get("/api/records").json()
    assert [r["kind"] for r in rows] == ["soreness", "soreness", "note"]
    assert set(rows[0]) == {"day", "kind", "leg", "what", "id"}
    assert len(client.get("/api/records?kind=soreness&leg=right").json()) == 1
    assert len(client.get("/api/records?limit=1").json()) == 1
    bad = client.get("/api/records?since=tomorrow&kind=x&leg=both&limit=-1")
    assert bad.status_code == 422 and _problems(bad) == {"since", "kind", "leg", "limit"}


def test_stats_insights_and_split_leg(client: TestClient) -> None:
    stats = client.get("/api/stats").json()
    assert stats["counts"]["soreness"] == 0 and stats["first_day"] is None
    assert client.get("/api/stats?until=nope").status_code == 422
    insights = client.get("/api/insights").json()
    assert insights["split_leg"] == [] and insights["split_leg_experiments"] == []
    assert {i["kind"] for i in insights["insights"]} == {
        "soreness_after_massage_days",
        "mobility_before_after",
        "mobility_trend",
    }
    assert client.get("/api/split-leg/days").json() == {"days": [], "today": None}
    # The split-leg flow itself (plan, before-ratings, coin) is tests/web/test_split_leg.py.
    refused = client.post("/api/split-leg/days", json={})
    assert refused.status_code == 422 and _problems(refused) == {"experiment"}


def test_export_and_import_round_trip(client: TestClient) -> None:
    client.post("/api/notes", json={"text": "=SUM(A1)"})
    exported = client.get("/api/export")
    assert exported.status_code == 200 and exported.json()["format"] == "calfcare-export"
    assert "'=SUM(A1)" in client.get("/api/export?format=csv").text
    assert client.get("/api/export?format=xml").status_code == 422
    again = client.post(
        "/api/import", content=exported.content, headers={"content-type": "application/json"}
    )
    assert again.status_code == 200
    assert sum(again.json()["added"].values()) == 0
    assert again.json()["already_there"]["notes"] == 1
    doc = exported.json()
    doc["notes"][0]["text"] = "other"
    clash = client.post("/api/import", json=doc)
    assert clash.status_code == 422 and "notes" in next(iter(_problems(clash)))
    assert (
        client.post(
            "/api/import", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 400  # not JSON at all: 400, as on every endpoint (issue 13)
    )
    assert (
        client.post("/api/import", content=b"{}", headers={"content-type": "text/csv"}).status_code
        == 415
    )


def test_every_new_operation_documents_its_errors(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    expected = {
        ("/api/plan", "post"): {"400", "409", "415", "422"},
        ("/api/checkins/soreness", "post"): {"400", "415", "422", "503"},
        ("/api/checkins/mobility", "post"): {"400", "415", "422", "503"},
        ("/api/notes", "post"): {"400", "415", "422", "503"},
        ("/api/manual-sessions", "post"): {"400", "415", "422", "503"},
        ("/api/records", "get"): {"422", "503"},
        ("/api/stats", "get"): {"422", "503"},
        ("/api/insights", "get"): {"503"},
        ("/api/split-leg", "get"): {"503"},
        ("/api/split-leg/days", "get"): {"503"},
        ("/api/split-leg/days", "post"): {"400", "415", "422", "503"},
        ("/api/split-leg/experiments", "post"): {"400", "415", "422", "503"},
        ("/api/split-leg/stop", "post"): {"400", "415", "422", "503"},
        ("/api/split-leg/massaged", "post"): {"400", "415", "422", "503"},
        ("/api/safety", "get"): {"503"},
        ("/api/safety/clearances", "post"): {"400", "409", "415", "422", "503"},
        ("/api/safety/pain-checks", "post"): {"400", "409", "415", "422", "503"},
        ("/api/screenings", "post"): {"400", "415", "422", "503"},
        ("/api/export", "get"): {"422", "503"},
        ("/api/import", "post"): {"413", "415", "422", "503"},
    }
    for (path, method), statuses in expected.items():
        responses = doc["paths"][path][method]["responses"]
        assert statuses <= set(responses), (path, method)
        for status in statuses:
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref.endswith("/ErrorBody")


CACHED_READS = (
    "/api/records",
    "/api/records?kind=note&limit=5",
    "/api/stats",
    "/api/insights",
    "/api/export",
    "/api/export?format=csv",
    "/api/split-leg/days",
    "/history",
    "/insights",
    "/export",
)


def test_a_write_from_another_process_invalidates_the_cached_reads(
    client: TestClient, app: object
) -> None:
    """The read cache keys on the database's data version, so a write through another
    store on the same database (the CLI beside the server) shows at once."""
    from datetime import UTC, datetime

    from calfcare.core.records import Note
    from calfcare.storage import open_store
    from calfcare.web.deps import app_read_cache, app_store

    client.post("/api/notes", json={"text": "from the web"})
    before = {path: client.get(path).content for path in CACHED_READS}
    cache = app_read_cache(app)  # type: ignore[arg-type]
    hits = cache.hits
    assert {path: client.get(path).content for path in CACHED_READS} == before
    assert cache.hits > hits  # the second round came from the cache

    other = open_store(app_store(app).engine.url)  # type: ignore[arg-type]
    try:
        with other.transaction() as tx:
            tx.add_note(Note("fromcli", date.today(), datetime.now(UTC), "from the CLI"))
    finally:
        other.close()
    after = {path: client.get(path).content for path in CACHED_READS}
    assert b"from the CLI" in after["/api/records"] and b"from the CLI" in after["/api/export"]
    assert json.loads(after["/api/stats"])["counts"]["notes"] == 2
    assert b"fromcli" in after["/api/records?kind=note&limit=5"]
    changed = {path for path in CACHED_READS if after[path] != before[path]}
    assert changed >= {"/api/records", "/api/stats", "/api/export", "/history", "/export"}


def test_reads_agree_with_an_uncached_computation(client: TestClient, app: object) -> None:
    from calfcare import services
    from calfcare.core.insight_report import analyse_records
    from calfcare.core.record_views import history_rows
    from calfcare.web.deps import app_store

    client.post("/api/notes", json={"text": "one"})
    client.post("/api/checkins/mobility", json={"left": 9.5, "moment": "before"})
    store = app_store(app)  # type: ignore[arg-type]
    records = services.load_records(store)
    kinds = {"session", "soreness", "mobility", "note", "screening"}
    for _ in range(2):  # a miss, then a hit
        assert client.get("/api/records").json() == history_rows(records, kinds, None)
        assert client.get("/api/stats").json() == services.stats(records).to_json()
        insights = client.get("/api/insights").json()
        assert insights == json.loads(json.dumps(analyse_records(records, date.today()).to_json()))
        assert client.get("/api/export").content == services.export_bytes(store, "json")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/notes", {"text": "new shoes"}),
        ("/api/checkins/mobility", {"left": 9.5}),
        ("/api/checkins/soreness", {"moment": "after", "left": 3}),
        ("/api/manual-sessions", {"tool": "hands"}),
    ],
)
def test_an_empty_day_is_refused_and_a_missing_day_is_today(
    client: TestClient, path: str, body: dict[str, object]
) -> None:
    """The schema says ``format: date``: ``""`` is a client bug, not "today" (a 422 that
    names the field, nothing saved); leaving the field out is what means today."""
    for empty in ("", " "):
        refused = client.post(path, json={**body, "day": empty})
        assert refused.status_code == 422 and _problems(refused) == {"day"}
        assert "calendar date" in refused.json()["problems"][0]["message"]
    assert client.get("/api/records").json() == []
    saved = client.post(path, json=body)
    assert saved.status_code == 201
    assert date.today().isoformat() in saved.text


def test_plan_refuses_a_null_screening(client: TestClient) -> None:
    """``screening`` is optional, not nullable (the schema has no null): leave it out for a
    plan without one. A null would otherwise pass for "no screening" when a client meant to
    send answers, and a plan would skip the rules it asked for."""
    response = client.post("/api/plan", json={"tool": "hands", "screening": None})
    assert response.status_code == 422 and _problems(response) == {"screening"}
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/plan"]["post"]["requestBody"]["content"]["application/json"]
    assert "null" not in json.dumps(body["schema"]["properties"]["screening"].get("type", ""))
    assert client.post("/api/plan", json={"tool": "hands"}).status_code == 200


@pytest.mark.parametrize("method", ["HEAD", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_a_405_on_the_split_leg_days_names_both_methods(client: TestClient, method: str) -> None:
    response = client.request(method, "/api/split-leg/days")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
