"""POST /api/sessions (TestClient): saving a finished live session, idempotent on the
client's id; the page (the manifest and the service worker: test_pwa.py)."""

from __future__ import annotations

import copy
import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

import jinja2
import pytest
from fastapi import FastAPI

from calfcare.content.routines import load_routines
from calfcare.core.answers import parse_answers
from calfcare.core.plan_json import parse_plan, plan_to_json
from calfcare.core.planner import parse_plan_options, plan
from calfcare.core.replay import parse_events, replay
from calfcare.core.screening import screen
from calfcare.services import load_records, record_screening
from calfcare.web import deps, session_pages
from tests.web.conftest import BASE_URL, TestClient

VIGNETTES = Path(__file__).parents[1] / "data" / "screening_vignettes.json"

EVENTS = [
    {"t": 20.0, "event": "tender_spot"},
    {"t": 52.5, "event": "release"},
    {"t": 80.0, "event": "pause"},
    {"t": 95.0, "event": "resume"},
    {"t": 130.25, "event": "sharp_pain"},
]


def _plan() -> dict[str, Any]:
    options = parse_plan_options({"tool": "ball", "legs": "left,right"})
    return plan_to_json(plan(options, load_routines()))


def upload(events: list[dict[str, Any]] | None = None, **extra: Any) -> dict[str, Any]:
    """A valid upload: the result is the Python engine's replay (the JS engine's equal)."""
    plan_json = _plan()
    script = EVENTS if events is None else events
    result = replay(
        parse_plan(plan_json),
        parse_events(script),
        sharp_pain_advice=load_routines().sharp_pain_advice,
    )
    ended = datetime.now(UTC) - timedelta(minutes=1)
    body = {
        "id": str(uuid.uuid4()),
        "plan": plan_json,
        "events": script,
        "result": json.loads(json.dumps(result)),
        "ended_at": ended.isoformat(),
        "screening_id": None,
    }
    body.update(extra)
    return body


def post(client: TestClient, body: Any) -> Any:
    return client.post("/api/sessions", json=body)


def test_save_then_retry_is_not_stored_twice(client: TestClient, app: FastAPI) -> None:
    body = upload()
    first = post(client, body)
    assert first.status_code == 201, first.text
    saved = first.json()
    assert saved["id"] == body["id"] and saved["created"] is True
    assert saved["outcome"] == "stopped_sharp_pain"
    again = post(client, body)
    assert again.status_code == 200 and again.json()["created"] is False
    sessions = load_records(deps.app_store(app)).sessions
    assert [s.id for s in sessions] == [body["id"]]
    stored = sessions[0]
    assert stored.outcome.value == "stopped_sharp_pain"
    assert stored.duration_seconds == 130.25
    assert stored.calves[0].holds[0].seconds == 32.5
    assert stored.plan is not None and stored.plan["tool"] == "ball"


def test_same_id_with_another_session_is_a_conflict(client: TestClient) -> None:
    body = upload()
    assert post(client, body).status_code == 201
    other = upload(events=[{"t": 10.0, "event": "quit"}], id=body["id"])
    response = post(client, other)
    assert response.status_code == 409
    assert set(response.json()) >= {"error", "problems"}


def test_a_completed_session_plays_out(client: TestClient) -> None:
    response = post(client, upload(events=[]))
    assert response.status_code == 201
    assert response.json()["outcome"] == "completed"
    assert response.json()["duration_seconds"] == 320  # 300 s of massage, 20 s of set-up


def _problems(response: Any) -> dict[str, str]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert set(body) == {"error", "problems"}
    return {p["field"]: p["message"] for p in body["problems"]}


def test_a_result_that_is_not_the_replay_is_refused(client: TestClient) -> None:
    body = upload()
    body["result"]["calves"][0]["active_seconds"] = 200.0  # a calf over 180 s
    fields = _problems(post(client, body))
    assert list(fields) == ["result.calves.0.active_seconds"]
    assert "200.0" in fields["result.calves.0.active_seconds"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda b: b.__setitem__("id", "has space"), "id"),
        (lambda b: b.pop("id"), "id"),
        (lambda b: b["plan"]["calves"][0].__setitem__("seconds", 400), "plan"),
        (lambda b: b["plan"].__setitem__("tool", "hammer"), "plan.tool"),
        (lambda b: b["events"].__setitem__(0, {"t": -1, "event": "tender_spot"}), "events.0.t"),
        (lambda b: b["events"].__setitem__(1, {"t": 60, "event": "dance"}), "events.1.event"),
        (lambda b: b.__setitem__("ended_at", "yesterday"), "ended_at"),
        (lambda b: b.__setitem__("ended_at", "2026-01-01T10:00:00"), "ended_at"),
        (lambda b: b.__setitem__("ended_at", "2999-01-01T10:00:00+00:00"), "ended_at"),
        (lambda b: b.__setitem__("result", []), "result"),
        (lambda b: b["result"].__setitem__("outcome", "completed"), "result.outcome"),
        (lambda b: b["result"].__setitem__("extra", 1), "result.extra"),
        (lambda b: b["result"].__setitem__("duration_seconds", True), "result.duration_seconds"),
        (lambda b: b.__setitem__("screening_id", 5), "screening_id"),
    ],
)
def test_bad_input_names_the_field(client: TestClient, change: Any, field: str) -> None:
    body = copy.deepcopy(upload())
    change(body)
    fields = _problems(post(client, body))
    assert any(f == field or f.startswith(field + ".") for f in fields), fields


def test_a_calf_over_the_limit_in_the_plan_is_named(client: TestClient) -> None:
    body = upload()
    body["plan"]["calves"][0]["seconds"] = 181
    fields = _problems(post(client, body))
    assert any(f.startswith("plan.calves.0") or f.startswith("plan") for f in fields), fields


def test_an_unknown_screening_cannot_be_linked(client: TestClient) -> None:
    response = post(client, upload(screening_id="nope"))
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["screening_id"]


def test_json_only_and_no_csrf_needed(client: TestClient) -> None:
    body = json.dumps(upload())
    form = client.post(
        "/api/sessions", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 415 and set(form.json()) == {"error", "problems"}
    broken = client.post(
        "/api/sessions", content=b"{", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400
    assert client.post("/api/sessions", json=[1]).status_code == 422
    ok = client.post("/api/sessions", content=body, headers={"content-type": "application/json"})
    assert ok.status_code == 201  # no CSRF cookie or token: /api/ takes JSON only


def test_documented_in_openapi(client: TestClient) -> None:
    op = client.get("/openapi.json").json()["paths"]["/api/sessions"]["post"]
    assert {"201", "200", "400", "409", "413", "415", "422", "503"} <= set(op["responses"])
    schema = op["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["id", "plan", "events", "result", "ended_at"]


# -- the page and the offline files ------------------------------------------------------------

QUERY = "/session?tool=ball&legs=left,right&seconds=150&intensity=standard&pace=15"


def test_the_page_embeds_the_plan_as_data(client: TestClient) -> None:
    response = client.get(QUERY)
    assert response.status_code == 200
    html = response.text
    assert '<script type="module" src="/static/session/app.js"></script>' in html
    start = html.index('<script type="application/json" id="session-data">')
    data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
    assert parse_plan(data["plan"]).tool.value == "ball"
    assert data["advice"] == load_routines().sharp_pain_advice
    assert data["save_url"] == "/api/sessions"
    assert " style=" not in html and "<style" not in html
    assert 'aria-current="page"' in html  # the nav's "Session" entry


def _cached_sessions(app: FastAPI) -> list[bytes]:
    """The query strings of the live pages in the app's one page cache, oldest first."""
    return [key[2] for key in app.state.pages.cache.held() if key[0] == "session.html"]


def test_the_live_page_is_rendered_once_per_query_and_announces_its_files(
    client: TestClient, app: FastAPI
) -> None:
    """One cached page per full query string (the app's `Pages.render_cached`), gzipped by
    the middleware, and a ``Link`` header naming the files Start needs, so the browser
    fetches them before it has parsed the page."""
    first = client.get(QUERY)
    again = client.get(QUERY)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert first.headers["content-encoding"] == "gzip"
    assert first.headers["content-type"] == "text/html; charset=utf-8"
    assert "no-store" in first.headers["cache-control"]
    assert (
        first.headers["link"]
        == again.headers["link"]
        == (
            "</static/calfcare.css>; rel=preload; as=style, "
            "</static/session/session.css>; rel=preload; as=style, "
            "</static/session/engine.js>; rel=modulepreload, "
            "</static/session/app.js>; rel=modulepreload"
        )
    )
    for url in re.findall(r"<([^>]+)>", first.headers["link"]):
        assert client.get(url).status_code == 200
    plain = client.get(QUERY, headers={"accept-encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == first.content
    assert plain.headers["link"] == first.headers["link"]
    other = client.get(QUERY.replace("pace=15", "pace=20"))
    key = json.loads(re.findall(r'id="session-data">(.*?)</script>', other.text)[0])["key"]
    assert key == QUERY.split("?", 1)[1].replace("pace=15", "pace=20")
    assert len(_cached_sessions(app)) == 2
    assert not hasattr(app.state, "session_pages"), "one page cache, not two"


def test_a_cached_live_page_computes_no_plan(
    client: TestClient, app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hit is a bytes join: the plan is computed only when the page is rendered."""
    first = client.get(QUERY)

    def no_plan(request: object) -> NoReturn:
        raise AssertionError("planned again")

    monkeypatch.setattr(session_pages, "_plan_from_query", no_plan)
    assert client.get(QUERY).content == first.content


def test_the_page_cache_is_bounded(client: TestClient, app: FastAPI) -> None:
    app.state.pages.cache.max_entries = 3
    for n in range(1, 6):
        assert client.get(f"/session?tool=ball{'&pace=' * n}").status_code == 200
    assert _cached_sessions(app) == [f"tool=ball{'&pace=' * n}".encode() for n in (3, 4, 5)]
    long = "/session?tool=ball" + "&pace=" * 100
    response = client.get(long)
    assert response.status_code == 200 and len(app.state.pages.cache) == 3
    assert response.headers["link"].startswith("</static/calfcare.css>")


def test_a_page_naming_a_screening_is_never_cached(client: TestClient, app: FastAPI) -> None:
    answers = json.loads(VIGNETTES.read_text())["cases"][0]["input"]
    verdict = screen(parse_answers(answers)).verdict.value
    report = {"verdict": verdict, "answers": answers}
    record = record_screening(deps.app_store(app), report, datetime.now(UTC))
    page = client.get(f"{QUERY}&screening={record.id}")
    assert page.status_code == 200
    assert f'"screening_id":"{record.id}"' in page.text
    assert "No safety check goes with this session" not in page.text
    assert page.headers["link"].startswith("</static/calfcare.css>")
    assert client.get("/session?tool=ball&screening=missing").status_code == 422
    assert client.get("/session?tool=hammer").status_code == 422
    assert not _cached_sessions(app)


def test_a_cached_page_that_prints_the_csrf_token_gives_each_browser_its_own(
    client: TestClient, app: FastAPI
) -> None:
    """Today's page has no form to post; if it ever gets one, the cache stores it with the
    marker and fills in each request's own token, so no one's token is served to another."""
    pages = app.state.pages
    pages.env.loader = jinja2.ChoiceLoader(
        [jinja2.DictLoader({"session.html": "<p>{{ csrftoken }}</p>"}), pages.env.loader]
    )
    first = client.get(QUERY)
    token = client.cookies.get("calfcare_csrftoken")
    assert token and first.text == f"<p>{token}</p>"
    assert client.get(QUERY).text == first.text
    with TestClient(app, base_url=BASE_URL) as other:
        theirs = other.get(QUERY)
        their_token = other.cookies.get("calfcare_csrftoken")
    assert their_token and their_token != token and theirs.text == f"<p>{their_token}</p>"
    assert len(_cached_sessions(app)) == 1


def test_the_page_without_a_plan_offers_a_form(client: TestClient) -> None:
    html = client.get("/session").text
    assert '<form class="choose" method="get" action="/session">' in html
    # The form works without script; the one script is the offline helper (docs/pwa.md).
    assert re.findall(r"<script[^>]*>", html) == ['<script type="module" src="/static/offline.js">']


def test_bad_options_name_the_query_parameter(client: TestClient) -> None:
    response = client.get("/session?tool=hammer&seconds=999&x=1")
    fields = {p["field"] for p in response.json()["problems"]}
    assert response.status_code == 422 and fields == {"tool", "seconds", "x"}


def test_an_unknown_screening_is_named(client: TestClient) -> None:
    response = client.get("/session?tool=ball&screening=missing")
    assert response.status_code == 422
    assert [p["field"] for p in response.json()["problems"]] == ["screening"]


def test_tender_spot_locations_are_saved(client: TestClient, app: FastAPI) -> None:
    """Where the tender spots were (issue 4), as the person said after the session."""
    body = upload(tender_spots=["left:middle:outer"])
    assert post(client, body).status_code == 201
    saved = load_records(deps.app_store(app)).sessions
    assert [spot.label for s in saved for spot in s.tender_spots] == ["left:middle:outer"]
    assert post(client, body).status_code == 200  # a retry with the same spots


@pytest.mark.parametrize(
    ("spots", "field"),
    [
        (["left:middle"], "tender_spots.0"),
        (["left:knee:outer"], "tender_spots.0"),
        ([3], "tender_spots.0"),
        ("left:middle:outer", "tender_spots"),
    ],
)
def test_bad_tender_spots_are_named(client: TestClient, spots: Any, field: str) -> None:
    response = post(client, upload(tender_spots=spots))
    assert response.status_code == 422
    assert field in _problems(response)


def test_a_tender_spot_on_a_calf_outside_the_plan_is_refused(client: TestClient) -> None:
    body = upload(events=[], tender_spots=["right:lower:inner"])
    one_calf = parse_plan_options({"tool": "ball", "legs": "left"})
    body["plan"] = plan_to_json(plan(one_calf, load_routines()))
    body["result"] = json.loads(json.dumps(replay(
        parse_plan(body["plan"]), [], sharp_pain_advice=load_routines().sharp_pain_advice
    )))  # fmt: skip
    response = post(client, body)
    assert response.status_code == 422
    assert "tender_spots.0" in _problems(response)
