"""The web pages obey today's safety state (issue 11): the home page leads with a hold and
offers no routine or session; /plan and /session show the hold instead of Start, until a
clinician's all-clear (the web form) and a new safety check; a calf stopped for sharp pain
asks first; today's recorded check carries into the plan and the session."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from calfcare.settings import Settings
from calfcare.web.app import create_app
from calfcare.web.deps import app_read_cache
from tests.conftest import screening_answers
from tests.web.conftest import BASE_URL, TestClient, csrf_token
from tests.web.forms import forms, post_form, walk_screening
from tests.web.test_session_api import upload

SIGNS = ("swelling", "redness", "warmth")
OFFERS = ("Build a routine", "Start a guided session", "Build your routine")
PAGES_THAT_OBEY = ("/", "/plan", "/session", "/session?tool=ball&legs=left")


def next_day(client: TestClient, **signs: str) -> Any:
    """The web next-day check-in (``left.swelling="yes"``, ``pe_signs="unsure"``, ...)."""
    pairs = [("csrftoken", csrf_token(client.get("/checkins").text)), ("left", "3")]
    for leg in ("left", "right"):
        for sign in SIGNS:
            pairs.append((f"followup.{leg}.{sign}", signs.get(f"{leg}.{sign}", "no")))
    pairs.append(("followup.pe_signs", signs.get("pe_signs", "no")))
    return post_form(client, "/checkins/next-day", pairs)


def clear(client: TestClient, day: str | None = None) -> Any:
    token = csrf_token(client.get("/checkins").text)
    fields = [("csrftoken", token)]
    if day is not None:
        fields.append(("day", day))
    return post_form(client, "/safety/clearance", fields, follow_redirects=False)


def state(client: TestClient) -> dict[str, Any]:
    body: dict[str, Any] = client.get("/api/safety").json()
    return body


def hold_on(client: TestClient) -> None:
    response = next_day(client, **{"left.swelling": "yes"})
    assert response.status_code in (200, 303), response.text[:300]
    assert state(client)["hold"]["level"] == "urgent"


def test_home_offers_routines_without_a_hold(client: TestClient) -> None:
    home = client.get("/").text
    assert "Build a routine" in home and "Start a guided session" in home
    assert 'id="hold"' not in home


def test_an_urgent_follow_up_leads_the_home_page_and_offers_no_routine(
    client: TestClient,
) -> None:
    hold_on(client)
    home = client.get("/").text
    lead = home.index('id="hold"')
    assert lead < home.index("Emergency:"), "the hold comes first"
    assert "URGENT · a hold on massage since" in home
    assert "Get medical attention today" in home
    assert "Your next-day check-in on" in home and "What lifts the hold" in home
    assert "A clinician has ruled out a clot" in home
    for offer in ("Build a routine", "Start a guided session"):
        assert offer not in home
    assert "Next-day check: URGENT — Do not massage" in home
    assert "follow_up: urgent" not in home and "screening: " not in home


@pytest.mark.parametrize(
    "path",
    [
        "/plan",
        "/plan?tool=ball",
        "/session",
        "/session?tool=ball&intensity=deep",
        "/session?tool=ball&legs=right&intensity=deep",
    ],
)
def test_plan_and_session_show_the_hold_instead_of_start(client: TestClient, path: str) -> None:
    hold_on(client)
    page = client.get(path)
    assert page.status_code == 200
    assert 'id="hold"' in page.text and "No " in page.text
    assert 'id="start"' not in page.text and "Show my plan" not in page.text
    assert 'id="session-data"' not in page.text


def test_building_a_plan_during_a_hold_is_refused_with_the_hold(client: TestClient) -> None:
    token = csrf_token(client.get("/checkins").text)
    hold_on(client)
    built = post_form(
        client, "/plan", [("csrftoken", token), ("tool", "ball"), ("intensity", "deep")]
    )
    assert built.status_code == 409 and 'id="hold"' in built.text
    assert "Start this session" not in built.text


def test_a_safety_check_with_nothing_found_does_not_lift_it(client: TestClient) -> None:
    hold_on(client)
    result, _ = walk_screening(client, "left,right", {})
    assert "A HOLD ON MASSAGE IS STILL ON" in result.text
    assert "Build your routine" not in result.text
    assert state(client)["hold"] is not None
    assert 'id="hold"' in client.get("/session?tool=ball").text


def test_the_clearance_form_then_a_new_check_lifts_the_hold(client: TestClient) -> None:
    refused = clear(client)
    assert refused.status_code == 422
    assert "nothing to clear" in refused.text and "nothing was saved" in refused.text
    hold_on(client)
    since = date.fromisoformat(state(client)["hold"]["since"])
    before = clear(client, (since - timedelta(days=1)).isoformat())
    assert before.status_code == 422 and "before the hold began" in before.text
    future = clear(client, (date.today() + timedelta(days=2)).isoformat())
    assert future.status_code == 422 and "after today" in future.text
    assert state(client)["hold"] is not None
    done = clear(client, since.isoformat())
    assert done.status_code == 303 and done.headers["location"] == "/"
    assert state(client)["hold"] is None and state(client)["needs_screening"] is True
    home = client.get("/").text
    assert "Do a new safety check before any massage" in home
    assert "Build a routine" not in home and "Start a guided session" not in home
    for path in ("/plan", "/session?tool=ball&intensity=deep"):
        page = client.get(path).text
        assert 'id="needs-screening"' in page and 'id="start"' not in page
    walk_screening(client, "left,right", {})
    page = client.get("/session?tool=ball&intensity=deep").text
    assert 'id="start"' in page and "Ball session, deep" in page
    assert "Build a routine" in client.get("/").text


def test_breathlessness_the_next_day_gives_the_emergency_advice_first(
    client: TestClient,
) -> None:
    response = next_day(client, pe_signs="unsure")
    assert response.status_code in (200, 303)
    assert state(client)["hold"]["level"] == "emergency"
    home = client.get("/").text
    assert home.index("Call your local emergency number now") < home.index("Emergency:")
    assert "EMERGENCY · a hold on massage" in home


def test_anticoagulants_carry_into_the_plan_and_the_session(client: TestClient) -> None:
    result, _ = walk_screening(client, "left,right", {"general.anticoagulants": "yes"})
    plan_form = next(f for f in forms(result.text) if f.action == "/plan/from-screening")
    page = post_form(client, plan_form.action, plan_form.hidden)
    carried = next(f for f in forms(page.text) if f.action == "/plan")
    built = post_form(client, "/plan", [*carried.hidden, ("tool", "ball"), ("intensity", "deep")])
    assert built.status_code == 200 and "Massage ball, gentle" in built.text
    assert "This plan follows today's safety check" in built.text
    link = re.search(r'href="(/session\?[^"]+)"', built.text)
    assert link and "screening=" not in link.group(1)
    session = client.get(link.group(1).replace("&amp;", "&")).text
    assert "No safety check goes with this session" not in session
    assert "Ball session, gentle" in session and 'id="start"' in session


def test_a_link_without_a_check_uses_todays_recorded_one(client: TestClient) -> None:
    assert (
        client.post("/api/screenings", json=screening_answers(anticoagulants=True)).status_code
        == 201
    )
    session = client.get("/session?tool=ball&intensity=deep").text
    assert "Ball session, gentle" in session
    assert "gentle work only, whatever firmness the link asked for" in session
    assert "No safety check goes with this session" not in session
    form_page = client.get("/plan").text
    assert "YOUR SAFETY CHECK" in form_page and "gentle work only" in form_page
    token = csrf_token(form_page)
    built = post_form(
        client, "/plan", [("csrftoken", token), ("tool", "hands"), ("intensity", "deep")]
    )
    assert built.status_code == 200 and "Hands, gentle" in built.text


def test_a_calf_the_check_rules_out_is_left_out_with_a_note(client: TestClient) -> None:
    ruled_out = screening_answers()
    ruled_out["left"]["open_wound"] = True
    assert client.post("/api/screenings", json=ruled_out).status_code == 201
    session = client.get("/session?tool=ball&legs=left,right").text
    assert "Right calf 150 s" in session and "Left calf" not in session.split("<ul")[0]
    assert "left calf is not in this plan" in session.lower() or "left" in session


def stop_for_sharp_pain(client: TestClient) -> str:
    body = upload(events=[{"t": 20, "event": "sharp_pain"}])
    assert client.post("/api/sessions", json=body).status_code == 201
    pending = state(client)["pain_checks"]
    assert len(pending) == 1
    leg: str = pending[0]["leg"]
    return leg


def test_a_sharp_pain_stop_asks_first_then_goes_on(client: TestClient) -> None:
    leg = stop_for_sharp_pain(client)
    other = "right" if leg == "left" else "left"
    home = client.get("/").text
    assert f'id="pain-check-{leg}"' in home and "professional advice" in home
    assert "Build a routine" in home, "the other calf may still be massaged"
    form_page = client.get("/plan").text
    assert f'id="pain-check-{leg}"' in form_page
    token = csrf_token(form_page)
    built = post_form(client, "/plan", [("csrftoken", token), ("tool", "ball")])
    assert built.status_code == 409 and "Before this routine" in built.text
    assert "professional advice" in built.text and "Start this session" not in built.text
    assert f"Plan the {other} calf only" in built.text
    session = client.get("/session?tool=ball&legs=left,right")
    assert "Before this session" in session.text and 'id="start"' not in session.text
    assert f"A session of the {other} calf only" in session.text
    only_other = client.get(f"/session?tool=ball&legs={other}").text
    assert 'id="start"' in only_other
    back = "/session?tool=ball&legs=left,right"
    checked = post_form(
        client,
        "/safety/pain-checked",
        [("csrftoken", token), ("leg", leg), ("back", back), ("client_id", "p1")],
        follow_redirects=False,
    )
    assert checked.status_code == 303 and checked.headers["location"] == back
    assert 'id="start"' in client.get(back).text
    assert state(client)["pain_checks"] == []


def test_the_plan_forms_safety_check_panel_does_not_contradict_a_pending_pain_check(
    client: TestClient,
) -> None:
    """Today's check allows both calves, but one stopped for sharp pain: the panel says so
    next to "massage allowed" (the question above it says not to massage that calf yet)."""
    assert client.post("/api/screenings", json=screening_answers()).status_code == 201
    leg = stop_for_sharp_pain(client)
    other = "right" if leg == "left" else "left"
    page = client.get("/plan").text
    waits = ", but its sharp pain comes first (the question above)"
    assert f"<strong>{leg.capitalize()} calf:</strong> massage allowed{waits}</li>" in page
    assert f"<strong>{other.capitalize()} calf:</strong> massage allowed</li>" in page


@pytest.mark.parametrize(
    "back", ["https://evil.example/", "//evil.example/x", "/history", "/\\evil", "/plan?x=1"]
)
def test_the_pain_check_form_only_goes_back_to_our_pages(client: TestClient, back: str) -> None:
    leg = stop_for_sharp_pain(client)
    token = csrf_token(client.get("/checkins").text)
    checked = post_form(
        client,
        "/safety/pain-checked",
        [("csrftoken", token), ("leg", leg), ("back", back)],
        follow_redirects=False,
    )
    assert checked.status_code == 303
    assert checked.headers["location"] == ("/plan?x=1" if back == "/plan?x=1" else "/")


def test_a_pain_check_without_a_stop_is_refused_on_the_page(client: TestClient) -> None:
    token = csrf_token(client.get("/checkins").text)
    refused = post_form(client, "/safety/pain-checked", [("csrftoken", token), ("leg", "left")])
    assert refused.status_code == 422 and "nothing was saved" in refused.text
    bad = post_form(client, "/safety/pain-checked", [("csrftoken", token), ("leg", "middle")])
    assert bad.status_code == 422


def test_a_session_saved_during_a_hold_is_kept_and_the_hold_stays(client: TestClient) -> None:
    """The pages never offer a session during a hold; a client that saves one anyway (a
    session run offline before the hold) is recorded: data is data, and the hold stays."""
    hold_on(client)
    assert client.post("/api/sessions", json=upload()).status_code == 201
    assert state(client)["hold"] is not None
    assert 'id="hold"' in client.get("/").text


def test_the_safety_page_says_the_state_in_words(client: TestClient) -> None:
    quiet = client.get("/safety")
    assert quiet.status_code == 200 and "No hold on massage is on" in quiet.text
    hold_on(client)
    page = client.get("/safety").text
    assert 'id="hold"' in page and "A clinician has ruled out a clot" in page


def test_a_hold_another_worker_writes_shows_at_once_where_the_gate_was_cached(
    tmp_path: Path,
) -> None:
    """The gate is answered from the read cache on the event loop while the person's data
    version stays; a hold written by another worker (here a second app on the same
    database) moves the version, so the very next page shows it."""
    first, second = (create_app(Settings(data_dir=tmp_path)) for _ in range(2))
    with TestClient(first, base_url=BASE_URL) as one, TestClient(second, base_url=BASE_URL) as two:
        for path in PAGES_THAT_OBEY:
            assert 'id="hold"' not in one.get(path).text
        hits = app_read_cache(first).hits
        for path in PAGES_THAT_OBEY:
            assert 'id="hold"' not in one.get(path).text
        assert app_read_cache(first).hits > hits, "the gate came from the cache"
        hold_on(two)
        for path in PAGES_THAT_OBEY:
            page = one.get(path).text
            assert 'id="hold"' in page, path
            assert 'id="start"' not in page and "Show my plan" not in page
