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
JSON = {"content-type": "application/json"}


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
    done = run_cli("screen", "--answers", "-", "--json", "--no-save", stdin=json.dumps(case))
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
    [problem] = response.json()["problems"]  # says where it broke (issue 13)
    assert problem["field"] == "(body)" and "line 1, column" in problem["message"]


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


# -- the screening answer cache ---------------------------------------------------------------


def test_every_vignette_gets_the_same_bytes_with_and_without_the_cache(
    client: TestClient,
) -> None:
    from calfcare.web.api.screening import _screen_body, _screening_body

    _screening_body.cache_clear()
    for case in VIGNETTES["cases"]:
        body = json.dumps(case["input"]).encode()
        uncached = _screen_body(body)
        headers = {"content-type": "application/json"}
        miss = client.post("/api/screening", content=body, headers=headers)
        hit = client.post("/api/screening", content=body, headers=headers)
        assert miss.status_code == hit.status_code == 200
        assert miss.content == hit.content == uncached, case["story"]
        assert _contract_part(hit.json()) == case["expect"]
        assert miss.headers["content-type"] == "application/json"
    info = _screening_body.cache_info()
    assert info.currsize == len(VIGNETTES["cases"])
    assert info.hits == len(VIGNETTES["cases"])


def test_the_same_answers_written_differently_get_the_same_verdict(client: TestClient) -> None:
    case = VIGNETTES["cases"][3]
    compact = json.dumps(case["input"], separators=(",", ":"))
    spaced = json.dumps(case["input"], indent=2)
    first = client.post("/api/screening", content=compact, headers=JSON)
    second = client.post("/api/screening", content=spaced, headers=JSON)
    assert first.json() == second.json()
    assert _contract_part(first.json()) == case["expect"]


def test_bad_input_is_never_cached_and_is_refused_every_time(client: TestClient) -> None:
    from calfcare.web.api.screening import _screening_body

    _screening_body.cache_clear()
    bad = json.dumps(VIGNETTES["bad_inputs"][0]["input"])
    for _ in range(2):
        assert client.post("/api/screening", content=bad, headers=JSON).status_code == 422
        assert client.post("/api/screening", content=b"{", headers=JSON).status_code == 400
    assert _screening_body.cache_info().currsize == 0


def test_the_screening_cache_is_bounded_and_skips_large_bodies(client: TestClient) -> None:
    from calfcare.web.api.screening import MAX_CACHED_BODY, _screening_body

    assert _screening_body.cache_info().maxsize == 512
    _screening_body.cache_clear()
    case = VIGNETTES["cases"][0]
    padded = json.dumps(case["input"]) + " " * MAX_CACHED_BODY  # valid JSON, just long
    response = client.post("/api/screening", content=padded, headers=JSON)
    assert response.status_code == 200
    assert _contract_part(response.json()) == case["expect"]
    assert _screening_body.cache_info().currsize == 0


def test_a_direct_route_refuses_an_endpoint_it_would_not_feed() -> None:
    from fastapi import APIRouter

    from calfcare.web.api.common import DirectRoute

    router = APIRouter(route_class=DirectRoute)

    async def with_a_parameter(request: Any, limit: int) -> None:
        return None

    def not_async(request: Any) -> None:
        return None

    for endpoint in (with_a_parameter, not_async):
        with pytest.raises(TypeError, match="DirectRoute"):
            router.add_api_route("/x", endpoint)
