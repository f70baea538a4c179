"""The safety API: ``GET /api/safety`` is the CLI's object; a next-day check-in with a sign
holds until ``POST /api/safety/clearances`` and a new ``POST /api/screenings``;
``POST /api/screening`` stays pure."""

from __future__ import annotations

from typing import Any

from tests.conftest import screening_answers
from tests.web.conftest import TestClient

NO = {"swelling": False, "redness": False, "warmth": False}


def fields(response: Any) -> set[str]:
    body = response.json()
    assert set(body) >= {"error", "problems"}
    return {p["field"] for p in body["problems"]}


def safety(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/safety")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["contract"] == 1
    return body


def test_the_state_starts_without_a_hold(client: TestClient) -> None:
    body = safety(client)
    assert body["hold"] is None and body["screening_id"] is None
    assert body["screened_today"] is False
    assert body["legs"]["left"]["massage_allowed"] is True


def test_screening_is_pure_and_screenings_records(client: TestClient) -> None:
    pure = client.post("/api/screening", json=screening_answers(anticoagulants=True))
    assert pure.status_code == 200 and "screening_id" not in pure.json()
    assert safety(client)["screening_id"] is None
    saved = client.post("/api/screenings", json=screening_answers(anticoagulants=True))
    assert saved.status_code == 201 and saved.json()["verdict"] == "caution"
    body = safety(client)
    assert body["screening_id"] == saved.json()["screening_id"]
    assert body["legs"]["left"] == {
        "massage_allowed": True,
        "deep_work_allowed": False,
        "pain_check_pending": False,
    }
    bad = client.post("/api/screenings", json={"contract": 1, "legs": []})
    assert bad.status_code == 422 and fields(bad)
    assert client.post("/api/screenings", content=b"{}").status_code == 415


def test_an_urgent_follow_up_holds_until_a_clearance_and_a_new_screening(
    client: TestClient,
) -> None:
    refused = client.post("/api/safety/clearances", json={"clinician_ruled_out_clot": True})
    assert refused.status_code == 422 and fields(refused) == {"hold"}
    sign = {**NO, "warmth": "unsure"}
    checkin = client.post(
        "/api/checkins/soreness",
        json={"moment": "next_day", "left": 2, "followup": {"left": sign, "right": NO,
                                                           "pe_signs": False}},
    )  # fmt: skip
    assert checkin.status_code == 201
    hold = safety(client)["hold"]
    assert hold["level"] == "urgent" and hold["sources"] and hold["advice"]
    client.post("/api/screenings", json=screening_answers())
    body = safety(client)
    assert body["hold"] is not None and body["screened_today"] is True
    assert not any(leg["massage_allowed"] for leg in body["legs"].values())
    no_word = client.post("/api/safety/clearances", json={"clinician_ruled_out_clot": False})
    assert no_word.status_code == 422 and fields(no_word) == {"clinician_ruled_out_clot"}
    future = client.post(
        "/api/safety/clearances", json={"clinician_ruled_out_clot": True, "day": "2999-01-01"}
    )
    assert future.status_code == 422 and "day" in fields(future)
    unknown = client.post("/api/safety/clearances", json={"clinician": True})
    assert unknown.status_code == 422
    body = {"clinician_ruled_out_clot": True, "client_id": "clear-1"}
    first = client.post("/api/safety/clearances", json=body)
    assert first.status_code == 201, first.text
    assert first.json()["safety"]["hold"] is None
    assert first.json()["safety"]["needs_screening"] is True
    assert first.json()["safety"]["screening_id"] is None
    again = client.post("/api/safety/clearances", json=body)
    assert again.status_code == 200 and again.json()["clearance"] == first.json()["clearance"]
    clash = client.post("/api/safety/clearances", json={**body, "day": "2001-01-01"})
    assert clash.status_code == 409
    assert not any(leg["massage_allowed"] for leg in safety(client)["legs"].values())
    screened = client.post("/api/screenings", json=screening_answers())
    body = safety(client)
    assert body["screening_id"] == screened.json()["screening_id"]
    assert body["legs"]["right"]["deep_work_allowed"] is True


def test_a_pain_check_needs_a_stop(client: TestClient) -> None:
    response = client.post("/api/safety/pain-checks", json={"leg": "left"})
    assert response.status_code == 422 and fields(response) == {"leg"}
    response = client.post("/api/safety/pain-checks", json={"leg": "middle"})
    assert response.status_code == 422 and fields(response) == {"leg"}
