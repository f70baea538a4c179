"""Client ids (issue 13): a note, check-in or session logged by hand sent twice is saved
once; the same id with other content is a 409; the id is stored (as the record's id) and
exported."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI

from calfcare.web.deps import app_store
from tests.web.conftest import TestClient, csrf_token
from tests.web.forms import post_form

NO = {"swelling": False, "redness": False, "warmth": False}
YES = {"swelling": True, "redness": False, "warmth": False}
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    ("/api/notes", {"text": "ran 10 km"}, {"text": "ran 5 km"}, "notes"),
    (
        "/api/checkins/soreness",
        {"moment": "after", "left": 3, "right": 4},
        {"right": 5},
        "soreness",
    ),
    ("/api/checkins/mobility", {"left": 9.5}, {"left": 9.6}, "mobility"),
    ("/api/manual-sessions", {"tool": "ball", "seconds": 120}, {"seconds": 90}, "sessions"),
    (
        "/api/checkins/soreness",
        {
            "moment": "next_day",
            "left": 3,
            "followup": {"left": YES, "right": NO, "pe_signs": False},
        },
        {"followup": {"left": NO, "right": NO, "pe_signs": False}},
        "soreness",
    ),
]


def counts(app: FastAPI) -> dict[str, int]:
    with app_store(app).reading() as tx:
        return tx.counts()


@pytest.mark.parametrize(("path", "body", "change", "kind"), CASES)
def test_a_repeat_is_saved_once_and_answered_with_the_stored_record(
    app: FastAPI, client: TestClient, path: str, body: dict[str, Any], change: Any, kind: str
) -> None:
    sent = {**body, "client_id": "c0ffee-1"}
    first = client.post(path, json=sent)
    assert first.status_code == 201, first.text
    stored = counts(app)
    again = client.post(path, json=sent)
    assert again.status_code == 200, again.text
    assert again.json() == first.json()
    assert counts(app) == stored
    clash = client.post(path, json={**sent, **change})
    assert clash.status_code == 409, clash.text
    assert "c0ffee-1" in clash.json()["error"]
    assert counts(app) == stored
    exported = client.get("/api/export").json()[kind]
    assert all(r["id"].startswith("c0ffee-1") for r in exported)


def test_a_next_day_repeat_returns_the_stored_follow_up_once(
    app: FastAPI, client: TestClient
) -> None:
    body = {
        "moment": "next_day",
        "left": 3,
        "followup": {"left": YES, "right": NO, "pe_signs": False},
        "client_id": "nd-1",
    }
    first = client.post("/api/checkins/soreness", json=body)
    again = client.post("/api/checkins/soreness", json=body)
    assert again.json()["escalated"] is True
    assert again.json()["followup"] == first.json()["followup"]
    screenings = client.get("/api/export").json()["screenings"]
    assert [s["id"] for s in screenings] == ["nd-1-follow-up"]


@pytest.mark.parametrize("client_id", ["", "a" * 49, "a b", "../x", 7, None])
def test_a_bad_client_id_is_named(app: FastAPI, client: TestClient, client_id: object) -> None:
    response = client.post("/api/notes", json={"text": "x", "client_id": client_id})
    assert response.status_code == 422
    assert "client_id" in [p["field"] for p in response.json()["problems"]]
    assert counts(app)["notes"] == 0


def test_without_a_client_id_every_post_is_a_new_record(app: FastAPI, client: TestClient) -> None:
    for _ in range(2):
        assert client.post("/api/notes", json={"text": "x"}).status_code == 201
    assert counts(app)["notes"] == 2


CLIENT_ID = re.compile(r'name="client_id" value="([^"]+)"')


@pytest.mark.parametrize(
    ("page", "fields", "kind"),
    [
        ("/checkins", [("text", "new shoes")], "notes"),
        ("/checkins/soreness", [("moment", "after"), ("left", "3")], "soreness"),
        ("/checkins/knee-to-wall", [("left", "9.5")], "mobility"),
        ("/checkins/session", [("tool", "hands"), ("legs", "left"), ("seconds", "60")], "sessions"),
        (
            "/checkins/next-day",
            [("left", "2")]
            + [(f"followup.{leg}.{s}", "no") for leg in ("left", "right") for s in NO]
            + [("followup.pe_signs", "no")],
            "soreness",
        ),
    ],
)
def test_a_form_sent_twice_is_saved_once(
    app: FastAPI, client: TestClient, page: str, fields: list[tuple[str, str]], kind: str
) -> None:
    html = client.get(page).text
    [client_id] = CLIENT_ID.findall(html)
    action = re.search(r'<form method="post" action="([^"]+)"', html)
    assert action is not None
    pairs = [("csrftoken", csrf_token(html)), ("client_id", client_id), *fields]
    first = post_form(client, action.group(1), pairs, follow_redirects=False)
    stored = counts(app)
    second = post_form(client, action.group(1), pairs, follow_redirects=False)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert counts(app) == stored and stored[kind] >= 1
    assert CLIENT_ID.findall(client.get(page).text) != [client_id]  # the next form: a new id


def test_a_cached_form_page_gets_a_new_client_id_each_time(client: TestClient) -> None:
    ids = {CLIENT_ID.findall(client.get("/checkins").text)[0] for _ in range(3)}
    assert len(ids) == 3


def test_a_refused_form_keeps_its_client_id(client: TestClient) -> None:
    html = client.get("/checkins/soreness").text
    [client_id] = CLIENT_ID.findall(html)
    pairs = [("csrftoken", csrf_token(html)), ("client_id", client_id), ("moment", "after")]
    refused = post_form(client, "/checkins/soreness", pairs)
    assert refused.status_code == 422
    assert CLIENT_ID.findall(refused.text) == [client_id]


@pytest.mark.parametrize("scores", [[("left", "11")], []])
def test_the_soreness_form_names_every_bad_field_at_once(
    app: FastAPI, client: TestClient, scores: list[tuple[str, str]]
) -> None:
    html = client.get("/checkins/soreness").text
    pairs = [
        ("csrftoken", csrf_token(html)),
        ("moment", "sometime"),
        ("day", "1999-12-31"),
        *scores,
    ]
    response = post_form(client, "/checkins/soreness", pairs)
    assert response.status_code == 422
    rating = "outside 0 to 10" if scores else "give a rating for at least one calf"
    for said in ("choose before or right after", "before 2000-01-01", rating):
        assert said in response.text, said
    assert counts(app)["soreness"] == 0
