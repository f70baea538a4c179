"""The JSON API: the contract's verdicts, its error shape, and the same data as the CLI."""

from __future__ import annotations

import json
from typing import Any

import pytest

from calfcare.core.levels import Leg
from calfcare.core.questionnaire import Questionnaire
from tests.conftest import load_vignettes, run_cli
from tests.web.conftest import TestClient

VIGNETTES = load_vignettes()


def _contract_part(report: dict[str, Any]) -> dict[str, Any]:
    return {"verdict": report["verdict"], "legs": report["legs"]}


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_every_vignette_gets_exactly_the_contract_verdict(
    client: TestClient, case: dict[str, Any]
) -> None:
    response = client.post("/api/screening", json=case["input"])
    assert response.status_code == 200
    report = response.json()
    assert _contract_part(report) == case["expect"]
    assert report["contract"] == 1
    for finding in report["findings"]:
        assert set(finding) == {"rule", "leg", "level", "message", "sources"}
        assert finding["sources"]


@pytest.mark.parametrize(
    "bad", VIGNETTES["bad_inputs"], ids=[b["why"] for b in VIGNETTES["bad_inputs"]]
)
def test_every_bad_input_is_a_422_in_the_contract_shape(
    client: TestClient, bad: dict[str, Any]
) -> None:
    response = client.post("/api/screening", json=bad["input"])
    assert response.status_code == 422
    body = response.json()
    assert set(body) == {"error", "problems"}
    assert body["problems"]
    for problem in body["problems"]:
        assert set(problem) == {"field", "message"}
        assert problem["field"] and problem["message"]


def test_the_api_answers_exactly_what_the_cli_answers(client: TestClient) -> None:
    case = VIGNETTES["cases"][3]["input"]
    done = run_cli("screen", "--answers", "-", "--json", stdin=json.dumps(case))
    assert done.returncode == 0
    assert client.post("/api/screening", json=case).json() == json.loads(done.stdout)


def test_every_problem_is_named_at_once(client: TestClient) -> None:
    response = client.post(
        "/api/screening",
        json={"contract": 2, "legs": [], "general": {"pe_signs": "no"}, "extra": 1},
    )
    fields = {p["field"] for p in response.json()["problems"]}
    assert {"contract", "legs", "extra", "general.pe_signs", "left", "right"} <= fields
    assert "general.clot_suspected" in fields


@pytest.mark.parametrize(
    ("body", "field"),
    [(b"[]", "(root)"), (b"null", "(root)"), (b'"x"', "(root)"), (b"1", "(root)")],
)
def test_json_that_is_not_an_object_is_a_422(client: TestClient, body: bytes, field: str) -> None:
    response = client.post(
        "/api/screening", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == field


@pytest.mark.parametrize("body", [b"", b"{", b"{'a': 1}", b"\xff\xfe", b"NaN-ish"])
def test_an_unparseable_body_is_a_400_in_the_contract_shape(
    client: TestClient, body: bytes
) -> None:
    response = client.post(
        "/api/screening", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()["error"].startswith("The body is not valid JSON")
    assert response.json()["problems"] == []


def test_a_body_that_is_not_json_is_a_415(client: TestClient) -> None:
    response = client.post("/api/screening", content=b"legs=left")
    assert response.status_code == 415
    assert set(response.json()) == {"error", "problems"}


def test_a_wrong_method_is_a_405_in_the_contract_shape(client: TestClient) -> None:
    response = client.get("/api/screening")
    assert response.status_code == 405
    assert response.json() == {"error": "This address does not accept that method.", "problems": []}


def test_questions_come_in_the_order_they_are_asked(client: TestClient) -> None:
    body = client.get("/api/screening/questions").json()
    order = [ref.field for ref in Questionnaire(legs=(Leg.LEFT, Leg.RIGHT)).order()]
    assert [q["field"] for q in body["questions"]] == order
    first = body["questions"][0]
    assert first["field"] == "general.pe_signs" and first["stops_for_emergency"] is True
    follow_up = next(q for q in body["questions"] if q["field"] == "left.pain_after_exercise")
    assert follow_up["asked_when"] == "left.pain is true or unsure"
    assert all("{calf}" not in q["question"] for q in body["questions"])
    cited = {sid for q in body["questions"] for sid in q["sources"]}
    assert cited == set(body["sources"])


def test_learn_is_what_the_cli_prints(client: TestClient) -> None:
    done = run_cli("learn", "--json")
    assert done.returncode == 0
    assert client.get("/api/learn").json() == json.loads(done.stdout)


def test_sources_lists_the_registry(client: TestClient) -> None:
    sources = client.get("/api/sources").json()["sources"]
    assert {"seed", "nhs-dvt", "powden-2015"} <= set(sources)
    assert sources["nhs-dvt"]["url"].startswith("https://")
