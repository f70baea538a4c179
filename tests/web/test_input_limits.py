"""Issue 13, at the web edge: bodies capped before parsing, JSON that cannot be read, reads
at the ends of the calendar, record-day bounds, and 503 bodies that give advice only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from fastapi import FastAPI

from calfcare import services
from calfcare.core import export_format
from calfcare.settings import Settings
from calfcare.web import limits
from calfcare.web.app import create_app
from calfcare.web.deps import app_store
from tests.storage.test_store import clear
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.forms import post_form

JSON = {"content-type": "application/json"}
WRITES = [
    "/api/screening",
    "/api/plan",
    "/api/checkins/soreness",
    "/api/checkins/mobility",
    "/api/notes",
    "/api/manual-sessions",
    "/api/sessions",
    "/api/import",
]


def version(app: FastAPI) -> int:
    return app_store(app).data_version()


def assert_error_shape(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"error", "problems"} and body["problems"], body
    return body


@pytest.mark.parametrize("path", WRITES)
def test_a_body_over_the_limit_is_a_413_before_it_is_read(
    app: FastAPI, client: TestClient, path: str
) -> None:
    before = version(app)
    limit = limits.body_limit(path)
    declared = client.post(path, content=b"{}", headers={**JSON, "content-length": str(limit + 1)})
    assert "at most" in assert_error_shape(declared, 413)["error"]
    if limit <= limits.SESSION_BYTES:  # sent for real, without a length (chunked)
        chunks = (b" " * 4096 for _ in range(limit // 4096 + 1))
        assert_error_shape(client.post(path, content=chunks, headers=JSON), 413)
    assert version(app) == before


def test_an_import_larger_than_an_ordinary_body_is_read(app: FastAPI, client: TestClient) -> None:
    notes = [
        {"id": f"n{i}", "day": "2025-06-01", "written_at": "2025-06-01T08:00:00+00:00",
         "text": "x" * 900}
        for i in range(100)
    ]  # fmt: skip
    document = {"format": "calfcare-export", "version": 1, "notes": notes}
    body = json.dumps(document).encode()
    assert limits.JSON_BYTES < len(body) < limits.IMPORT_BYTES
    response = client.post("/api/import", content=body, headers=JSON)
    assert response.status_code == 200, response.text
    assert response.json()["added"]["notes"] == 100


def test_a_form_over_the_limit_is_a_413_and_saves_nothing(app: FastAPI, client: TestClient) -> None:
    token = csrf_token(client.get("/checkins").text)
    before = version(app)
    text = "x" * (limits.FORM_BYTES + 1)
    response = post_form(client, "/checkins/note", [("csrftoken", token), ("text", text)])
    assert_error_shape(response, 413)
    assert version(app) == before


def test_only_the_import_form_takes_multipart(client: TestClient) -> None:
    token = csrf_token(client.get("/checkins").text)
    response = client.post(
        "/checkins/note", data={"csrftoken": token, "text": "hello"}, files={"f": ("a", b"b")}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/screening", b"[" * 3000),
        ("/api/plan", b'{"tool": "ball", "screening": ' + b"[" * 3000 + b"]" * 3000 + b"}"),
        ("/api/checkins/soreness", b'{"moment": "after", "left": 1e999}'),
        ("/api/notes", b'{"text": NaN}'),
        ("/api/sessions", b'{"id": "x",\n "plan": }'),
        ("/api/import", b"\xff\xfe{}"),
        ("/api/manual-sessions", b'{"tool": "ball", "seconds": ' + b"1" * 5000 + b"}"),
    ],
)
def test_json_that_cannot_be_read_is_a_400_saying_where(
    app: FastAPI, client: TestClient, path: str, body: bytes
) -> None:
    before = version(app)
    problem = assert_error_shape(client.post(path, content=body, headers=JSON), 400)
    assert "line " in problem["problems"][0]["message"] or "at most" in str(problem)
    assert version(app) == before


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/notes", '{"text": "a\\ud800b"}', "text"),
        ("/api/checkins/soreness", '{"moment": "after", "\\udc00": 1}', "\\udc00"),
        ("/api/plan", '{"tool": "ball", "screening": {"\\ud800": 1}}', "screening.\\ud800"),
        ("/api/screening", '{"legs": ["\\ud800"]}', "legs.0"),
        ("/api/sessions", '{"id": "\\udfff"}', "id"),
        ("/api/import", '{"format": "\\ud800"}', "format"),
    ],
)
def test_a_lone_surrogate_is_a_422_naming_the_field(
    app: FastAPI, client: TestClient, path: str, body: str, field: str
) -> None:
    before = version(app)
    response = client.post(path, content=body.encode(), headers=JSON)
    fields = [p["field"] for p in assert_error_shape(response, 422)["problems"]]
    assert field in fields
    assert version(app) == before


def test_the_plan_form_names_garbled_answers(client: TestClient) -> None:
    token = csrf_token(client.get("/plan").text)
    for answers in ("[" * 3000, '{"\\ud800": true}', "{"):
        pairs = [("csrftoken", token), ("tool", "ball"), ("screening", answers)]
        response = post_form(client, "/plan", pairs, headers={"accept": "application/json"})
        body = assert_error_shape(response, 422)  # a form: its problems, whatever the class
        assert body["problems"][0]["field"].startswith("screening")


READS = ["/api/records", "/api/stats", "/api/export", "/history", "/api/insights", "/insights"]
ENDS = [
    "since=0001-01-01",
    "until=9999-12-31",
    "since=0001-01-01&until=9999-12-31",
    "since=9999-12-31",
    "until=0001-01-01",
    "limit=1000000",
]


@pytest.fixture
def with_records(app: FastAPI, client: TestClient) -> TestClient:
    for day in ("2000-01-01", "2025-06-01"):
        assert client.post("/api/notes", json={"text": "x", "day": day}).status_code == 201
        assert (
            client.post("/api/checkins/soreness", json={"moment": "after", "left": 2, "day": day})
        ).status_code == 201
    return client


@pytest.mark.parametrize("query", ENDS)
@pytest.mark.parametrize("path", READS)
def test_reads_at_the_ends_of_the_calendar_work(
    with_records: TestClient, path: str, query: str
) -> None:
    response = with_records.get(f"{path}?{query}")
    assert response.status_code == 200, response.text


def test_the_ends_of_the_calendar_read_everything_or_nothing(with_records: TestClient) -> None:
    everything = with_records.get("/api/records?since=0001-01-01&until=9999-12-31").json()
    assert everything == with_records.get("/api/records").json() and len(everything) == 4
    assert with_records.get("/api/records?since=9999-12-31").json() == []
    assert with_records.get("/api/records?until=0001-01-01").json() == []
    assert with_records.get("/api/records?limit=1").json() == everything[-1:]


@pytest.mark.parametrize("limit", ["0", "1000001", "99999999999999999999", "-1", "1e3", " "])
def test_a_limit_out_of_range_names_the_maximum(with_records: TestClient, limit: str) -> None:
    body = assert_error_shape(with_records.get("/api/records", params={"limit": limit}), 422)
    assert "1000000" in body["problems"][0]["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "9999-12-31"])
@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/notes", {"text": "x"}),
        ("/api/checkins/soreness", {"moment": "after", "left": 2}),
        ("/api/checkins/mobility", {"left": 9}),
        ("/api/manual-sessions", {"tool": "ball"}),
    ],
)
def test_a_record_day_outside_the_bounds_is_a_422_naming_day(
    app: FastAPI, client: TestClient, path: str, body: dict[str, Any], day: str
) -> None:
    before = version(app)
    response = client.post(path, json={**body, "day": day})
    assert "day" in [p["field"] for p in assert_error_shape(response, 422)["problems"]]
    assert version(app) == before


def test_a_form_refuses_a_day_before_the_first(client: TestClient) -> None:
    page = client.get("/checkins/knee-to-wall").text
    pairs = [("csrftoken", csrf_token(page)), ("day", "1999-12-31"), ("left", "9")]
    response = post_form(client, "/checkins/knee-to-wall", pairs)
    assert response.status_code == 422 and "before 2000-01-01" in response.text


def test_a_503_gives_advice_not_the_database_path(tmp_path: Path) -> None:
    garbage = tmp_path / "not-a-database.sqlite3"
    garbage.write_bytes(b"this is not a database file " * 100)
    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{garbage}"))
    with TestClient(app, base_url=BASE_URL) as client:
        for response in (
            client.get("/api/records"),
            client.post("/api/notes", json={"text": "x"}),
            client.get("/history", headers={"accept": "text/html"}),
        ):
            assert response.status_code == 503
            assert str(tmp_path) not in response.text and "sqlite" not in response.text
            assert "not-a-database" not in response.text
            assert "database" in response.text.lower() and "try again" in response.text.lower()


def test_an_import_recomputes_every_screening_report(app: FastAPI, client: TestClient) -> None:
    signs = {"swelling": True, "redness": False, "warmth": False}
    no = {"swelling": False, "redness": False, "warmth": False}
    saved = client.post(
        "/api/checkins/soreness",
        json={
            "moment": "next_day",
            "left": 3,
            "followup": {"left": signs, "right": no, "pe_signs": False},
        },
    )
    assert saved.json()["escalated"] is True
    document = client.get("/api/export").json()
    [followup] = document["screenings"]
    true_report = followup["report"]
    store = app_store(app)
    for bad in ({}, {**true_report, "headline": "Keep massaging", "verdict": "ok"}, {"x": [1]}):
        clear(store)  # an empty database: the import adds everything
        tampered = json.loads(json.dumps(document))
        tampered["screenings"][0]["report"] = bad
        response = client.post("/api/import", json=tampered)
        assert response.status_code == 200, response.text
        with store.reading() as tx:
            [stored] = tx.screenings()
        assert dict(stored.report) == true_report
        page = client.get(f"/checkins/follow-up/{stored.id}")
        assert page.status_code == 200 and "Keep massaging" not in page.text


def test_the_follow_up_page_never_shows_a_damaged_stored_report(
    app: FastAPI, client: TestClient
) -> None:
    no = {"swelling": False, "redness": False, "warmth": False}
    client.post(
        "/api/checkins/soreness",
        json={
            "moment": "next_day",
            "left": 3,
            "followup": {"left": no, "right": no, "pe_signs": False},
        },
    )
    store = app_store(app)
    with store.reading() as tx:
        [record] = tx.screenings()
    with store.engine.begin() as connection:  # damaged before this release (now impossible)
        connection.execute(sqlalchemy.text("UPDATE screenings SET report = '{\"findings\": [{}]}'"))
    page = client.get(f"/checkins/follow-up/{record.id}")
    assert page.status_code == 200
    assert services.stored_report(record)["headline"] in page.text


def test_the_export_format_limits_are_the_web_limits() -> None:
    assert limits.IMPORT_BYTES == export_format.MAX_BYTES
    assert limits.body_limit("/import") == limits.body_limit("/api/import")
