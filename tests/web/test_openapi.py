"""The OpenAPI document: every operation's errors documented, responses conform (schemathesis)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from starlette.exceptions import StarletteDeprecationWarning

from calfcare.settings import Settings
from calfcare.web.app import create_app
from tests.web.conftest import TestClient

# Schemathesis calls the app as "testserver"; the bind host is always an accepted Host.
APP = create_app(Settings(data_dir=Path("/nonexistent-calfcare-test"), host="testserver"))
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any) -> None:
    """No 5xx, every status documented, every body matching its schema."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StarletteDeprecationWarning)
        case.call_and_validate()


def test_openapi_documents_every_error_status(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    operations = {
        (path, method): op for path, item in doc["paths"].items() for method, op in item.items()
    }
    assert set(operations) == {
        ("/api/screening", "post"),
        ("/api/screening/questions", "get"),
        ("/api/learn", "get"),
        ("/api/sources", "get"),
    }, "only the JSON API is in the schema, never the HTML pages"
    screening = operations[("/api/screening", "post")]
    assert {"200", "400", "415", "422"} <= set(screening["responses"])
    body = screening["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["legs", "general", "left", "right"]
    assert body["properties"]["general"]["properties"]["pe_signs"]["enum"] == [
        True,
        False,
        "unsure",
    ]
    error = doc["components"]["schemas"]["ErrorBody"]
    assert error["required"] == ["error", "problems"]


@pytest.mark.parametrize("path", ["/openapi.json"])
def test_the_schema_names_no_external_docs(client: TestClient, path: str) -> None:
    assert "cdn" not in client.get(path).text.lower()
