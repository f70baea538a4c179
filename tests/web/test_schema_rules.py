"""The OpenAPI description says what the code enforces (schemathesis ST202 once found it
looser): for each rule, the schema states it and the endpoint refuses what breaks it."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from calfcare import services
from calfcare.core.record_views import KINDS
from calfcare.web.api import common, reads
from tests.web.conftest import TestClient


@pytest.fixture
def doc(client: TestClient) -> dict[str, Any]:
    result: dict[str, Any] = client.get("/openapi.json").json()
    return result


def _body(doc: dict[str, Any], path: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["paths"][path]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]
    if "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
    return schema


def _query(doc: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    (param,) = [p for p in doc["paths"][path]["get"]["parameters"] if p["name"] == name]
    schema: dict[str, Any] = param["schema"]
    return schema


def test_export_format_is_the_enum_the_code_reads(doc: dict[str, Any], client: TestClient) -> None:
    assert _query(doc, "/api/export", "format")["enum"] == list(services.EXPORT_FORMATS)
    refused = client.get("/api/export?format=xml")
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "format"


def test_history_kind_is_a_list_of_the_kinds_the_code_reads(
    doc: dict[str, Any], client: TestClient
) -> None:
    pattern = re.compile(_query(doc, "/api/records", "kind")["pattern"])
    for kind in KINDS:
        assert pattern.match(kind) and pattern.match(f"{kind}, {KINDS[0]}")
    assert not pattern.match("bogus") and not pattern.match("session;note")
    assert client.get("/api/records?kind=bogus").status_code == 422
    assert client.get("/api/records?kind=session,note").status_code == 200
    assert _query(doc, "/api/records", "kind")["pattern"] == reads.KIND_PATTERN


def test_an_import_needs_format_and_version(doc: dict[str, Any], client: TestClient) -> None:
    body = _body(doc, "/api/import")
    assert {"format", "version"} <= set(body["required"])
    assert body["properties"]["format"] == {"const": "calfcare-export"}
    for missing in ({"version": 2}, {"format": "calfcare-export"}, {}):
        assert client.post("/api/import", json=missing).status_code == 422, missing


def test_a_session_id_may_not_be_empty(doc: dict[str, Any], client: TestClient) -> None:
    soreness = _body(doc, "/api/checkins/soreness")["properties"]["session_id"]
    assert soreness["minLength"] == 1
    refused = client.post(
        "/api/checkins/soreness", json={"moment": "after", "left": 2, "session_id": ""}
    )
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["session_id"]
    upload = _body(doc, "/api/sessions")["properties"]["id"]
    assert upload["pattern"] == "^[A-Za-z0-9_-]{1,64}$" and not re.match(upload["pattern"], "")


def test_a_coin_is_drawn_for_today_only(doc: dict[str, Any], client: TestClient) -> None:
    day = _body(doc, "/api/split-leg/days")["properties"]["day"]
    assert "must be today" in day["description"]
    yesterday = (services.today_of(common.now()) - timedelta(days=1)).isoformat()
    refused = client.post("/api/split-leg/days", json={"day": yesterday})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["field"] == "day"
