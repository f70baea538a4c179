"""The screening as HTML forms, walked page by page without JavaScript."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest

from calfcare.core.answers import parse_answers
from calfcare.core.levels import LEVEL_WORDS, Level
from calfcare.core.screening import screen
from tests.conftest import load_vignettes
from tests.web.conftest import TestClient
from tests.web.forms import form, forms, post_form, walk_screening

VIGNETTES = load_vignettes()
WORDS = {True: "yes", False: "no", "unsure": "unsure"}


def _verdict(html: str) -> str:
    match = re.search(r'<p class="level">([A-Z]+)</p>', html)
    assert match, "no verdict on the page"
    return match.group(1).lower()


def _answers_from(case_input: dict[str, Any]) -> dict[str, str]:
    return {
        f"{scope}.{rule}": WORDS[value]
        for scope in ("general", "left", "right")
        for rule, value in case_input[scope].items()
    }


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_every_vignette_walked_through_the_forms_gets_its_verdict(
    client: TestClient, case: dict[str, Any]
) -> None:
    data = case["input"]
    final, asked = walk_screening(client, ",".join(data["legs"]), _answers_from(data))
    assert _verdict(final.text) == case["expect"]["verdict"]
    for leg, status in case["expect"]["legs"].items():
        row = re.search(rf'<th scope="row">{leg.capitalize()}</th><td>([^<]+)</td>', final.text)
        assert row and row.group(1) == LEVEL_WORDS[Level(status["level"])], leg
    shown = {name for page in asked for name in page}
    for leg in ("left", "right"):
        pain_asked = f"{leg}.pain_after_exercise" in shown
        if data["general"]["pe_signs"] is False:
            assert pain_asked == (data[leg]["pain"] in (True, "unsure")), leg


def test_the_walk_to_urgent_shows_a_red_alert_banner_with_the_advice_first(
    client: TestClient,
) -> None:
    final, asked = walk_screening(client, "left,right", {"right.swelling": "yes"})
    html = final.text
    banner = re.search(
        r'<div class="banner banner-severe" role="alert" id="verdict">(.*?)</div>', html, re.S
    )
    assert banner, "urgent needs the full-width red alert banner"
    assert "Get medical attention today" in banner.group(1)
    assert banner.start() < html.index("<h2>Your calves</h2>") < html.index("<h2>Why</h2>")
    assert "(right calf)" in html and "Build your routine" not in html
    assert "Save my answers" not in html, "no route to a plan when massage is not allowed"
    assert [p[0] for p in asked][:2] == ["general.pe_signs", "general.clot_suspected"]
    # What to do next after a stop: the hold it started and what lifts it, not only "take
    # the safety check again" (which cannot lift it).
    now = re.search(r'<p id="hold-started">(.*?)</p>', html, re.S)
    assert now and 'href="/safety">What lifts the hold</a>' in now.group(1)
    assert "<td>URGENT</td>" in html, "the calf's level in words"
    # the calf with nothing found is still not massaged: the page says why, not only "ok"
    assert "<td>No concern</td><td>no massage (see the advice above)</td>" in html


def test_pe_signs_yes_or_unsure_goes_straight_to_the_emergency_verdict(client: TestClient) -> None:
    for word in ("yes", "unsure"):
        final, asked = walk_screening(client, "left", {"general.pe_signs": word})
        assert asked == [["general.pe_signs"]], "nothing else is asked in an emergency"
        assert _verdict(final.text) == "emergency"
        assert 'class="banner banner-severe" role="alert"' in final.text
        assert "Call your local emergency number now" in final.text


def test_the_emergency_question_is_alone_on_its_page(client: TestClient) -> None:
    page = post_form(
        client, "/screening", form(client.get("/screening").text).fill({"legs": "left"})
    )
    assert list(form(page.text).radios) == ["general.pe_signs"]
    assert "<details>" in page.text and "Why we ask" in page.text
    assert page.text.count('value="unsure"') == 1


def test_pain_after_exercise_is_a_follow_up_only_after_pain_yes_or_unsure(
    client: TestClient,
) -> None:
    for pain, follow_up in (("yes", True), ("unsure", True), ("no", False)):
        _, asked = walk_screening(client, "left,right", {"left.pain": pain})
        assert (["left.pain_after_exercise"] in asked) is follow_up, pain
        assert not any("right.pain_after_exercise" in page for page in asked)


def test_explained_soreness_is_ok_and_offers_the_answers_for_the_planner(
    client: TestClient,
) -> None:
    answers = {"left.pain": "yes", "left.pain_after_exercise": "yes"}
    final, _ = walk_screening(client, "left", answers)
    assert _verdict(final.text) == "ok"
    assert 'role="status"' in final.text and 'role="alert"' not in final.text
    download = [f for f in forms(final.text) if f.action == "/screening/answers.json"]
    assert download, "massage allowed: offer the answers for `calfcare plan --screening`"
    saved = post_form(client, download[0].action, download[0].fill({}))
    assert saved.status_code == 200
    assert "attachment" in saved.headers["content-disposition"]
    parsed = parse_answers(json.loads(saved.content))
    assert screen(parsed).verdict.value == "ok"
    assert parsed.left["pain_after_exercise"] is True


def test_unanswered_questions_are_asked_again_with_an_error(client: TestClient) -> None:
    page = post_form(
        client, "/screening", form(client.get("/screening").text).fill({"legs": "left"})
    )
    page = post_form(client, "/screening", form(page.text).fill({"general.pe_signs": "no"}))
    general = form(page.text)
    data = general.fill({"general.clot_suspected": "no"})
    again = post_form(client, "/screening", data)
    assert again.status_code == 422
    assert 'class="error-summary" role="alert"' in again.text
    still = list(form(again.text).radios)
    assert "general.clot_suspected" not in still and "general.previous_clot" in still
    assert len(still) == len(general.radios) - 1


def test_no_calves_chosen_is_asked_again(client: TestClient) -> None:
    page = post_form(client, "/screening", form(client.get("/screening").text).fill({}))
    assert page.status_code == 422
    assert "Please choose which calves" in page.text


@pytest.mark.parametrize(
    ("field", "value"),
    [("legs", "left,left"), ("legs", "middle"), ("general.pe_signs", "maybe")],
)
def test_a_tampered_form_is_rejected_naming_the_field(
    client: TestClient, field: str, value: str
) -> None:
    data = [(k, v) for k, v in form(client.get("/screening").text).fill({}) if k != field]
    if field != "legs":
        data.append(("legs", "left"))
    response = post_form(client, "/screening", [*data, (field, value)])
    assert response.status_code == 422
    assert response.json()["problems"][0]["field"] == field


def test_answers_cannot_be_downloaded_before_the_end(client: TestClient) -> None:
    data = form(client.get("/screening").text).fill({"legs": "left"})
    response = post_form(client, "/screening/answers.json", data)
    assert response.status_code == 422
    assert response.json()["problems"] == [
        {"field": "answers", "message": "the screening is not finished"}
    ]


def test_user_text_in_hidden_fields_is_escaped(client: TestClient) -> None:
    data = form(client.get("/screening").text).fill({"legs": "left"})
    page = post_form(client, "/screening", [*data, ("asked", '"><b>x')])
    assert page.status_code == 200 and "<b>x" not in page.text


def test_a_completed_safety_check_is_recorded_and_governs_today(client: TestClient) -> None:
    assert client.get("/api/safety").json()["screening_id"] is None
    walk_screening(client, "left,right", {"general.anticoagulants": "yes"})
    state = client.get("/api/safety").json()
    assert state["screening_id"] is not None and state["hold"] is None
    assert state["legs"]["left"]["deep_work_allowed"] is False
    walk_screening(client, "left,right", {"right.swelling": "yes"})
    assert client.get("/api/safety").json()["hold"]["level"] == "urgent"


def test_a_completed_safety_check_is_written_off_the_event_loop(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recording the check is a database write: done in a worker thread, other requests
    are served meanwhile (a write on the event loop stops every request of the worker)."""
    from calfcare import services

    record = services.record_screening
    threads: list[bool] = []

    def on_a_worker_thread(*args: Any) -> Any:
        try:
            asyncio.get_running_loop()
            threads.append(False)
        except RuntimeError:  # no loop running here: a worker thread
            threads.append(True)
        return record(*args)

    monkeypatch.setattr(services, "record_screening", on_a_worker_thread)
    walk_screening(client, "left", {})
    assert threads == [True]
    assert client.get("/api/safety").json()["screening_id"] is not None
