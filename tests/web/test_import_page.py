"""The import page (issue 13): a file upload beside the paste box (multipart, size-capped,
CSRF-checked), all or nothing, and a refused import loses nothing the person typed."""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from markupsafe import escape

from calfcare.web.deps import app_store
from tests.web.conftest import TestClient, csrf_token
from tests.web.forms import post_form


def document(n: int, text: str = "x" * 900) -> dict[str, Any]:
    notes = [
        {"id": f"n{i}", "day": "2025-06-01", "written_at": "2025-06-01T08:00:00+00:00",
         "text": text}
        for i in range(n)
    ]  # fmt: skip
    return {"format": "calfcare-export", "version": 1, "notes": notes}


def notes(app: FastAPI) -> int:
    with app_store(app).reading() as tx:
        return tx.counts()["notes"]


def upload(client: TestClient, data: bytes, *, token: str | None, pasted: str = "") -> Any:
    fields = {"document": pasted} | ({"csrftoken": token} if token is not None else {})
    return client.post(
        "/import",
        data=fields,
        files={"file": ("calfcare-export.json", data, "application/json")},
        follow_redirects=False,
    )


def test_a_file_of_three_weeks_and_more_imports(app: FastAPI, client: TestClient) -> None:
    token = csrf_token(client.get("/export").text)
    body = json.dumps(document(150)).encode()
    assert len(body) > 123_000  # the size of a three-week export (issue 13)
    response = upload(client, body, token=token)
    assert response.status_code == 303, response.text
    assert notes(app) == 150
    assert "Imported 150 records" in client.get(response.headers["location"]).text


def test_an_upload_needs_the_csrf_token(app: FastAPI, client: TestClient) -> None:
    client.get("/export")
    body = json.dumps(document(1)).encode()
    assert upload(client, body, token=None).status_code == 403
    assert upload(client, body, token="forged").status_code == 403
    assert notes(app) == 0


def test_a_refused_file_is_named_and_nothing_is_imported(app: FastAPI, client: TestClient) -> None:
    token = csrf_token(client.get("/export").text)
    bad = document(3)
    bad["notes"][2]["day"] = "1999-12-31"
    response = upload(client, json.dumps(bad).encode(), token=token)
    assert response.status_code == 422
    assert "calfcare-export.json" in response.text and "notes.2.day" in response.text
    assert notes(app) == 0


def test_a_refused_paste_keeps_the_pasted_text(app: FastAPI, client: TestClient) -> None:
    token = csrf_token(client.get("/export").text)
    pasted = json.dumps(document(80))[:-2]  # cut short: not JSON any more
    assert len(pasted) > 64 * 1024  # more than the old paste-only form took
    response = post_form(client, "/import", [("csrftoken", token), ("document", pasted)])
    assert response.status_code == 422
    assert "not valid JSON" in response.text
    assert str(escape(pasted)) in response.text  # as Jinja escapes it in the textarea
    assert notes(app) == 0


def test_a_file_and_a_paste_at_once_is_refused_keeping_the_paste(client: TestClient) -> None:
    token = csrf_token(client.get("/export").text)
    response = upload(client, json.dumps(document(1)).encode(), token=token, pasted="{ mine }")
    assert response.status_code == 422
    assert "not both" in response.text and "{ mine }" in response.text


def test_nothing_chosen_says_what_to_do(client: TestClient) -> None:
    token = csrf_token(client.get("/export").text)
    response = post_form(client, "/import", [("csrftoken", token), ("document", "  ")])
    assert response.status_code == 422 and "choose an export file" in response.text
