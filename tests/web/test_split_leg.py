"""The split-leg experiment on the web: the API and the page, walked through day by day with
an injected clock, and the insights page's words."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

import calfcare.web.api.common as api_common
import calfcare.web.plan_pages as plan_pages
import calfcare.web.tracking_pages as tracking_pages
from tests.web.conftest import TestClient, csrf_token
from tests.web.forms import post_form

DAY1 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
BANNED = re.compile(r"\b(progress|works|proves)\b", re.IGNORECASE)


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = DAY1
        for module in (api_common, tracking_pages, plan_pages):
            monkeypatch.setattr(module, "now", lambda: self.now)

    def day(self, n: int) -> str:
        self.now = DAY1 + timedelta(days=n)
        return self.now.date().isoformat()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


def fields(response: Any) -> set[str]:
    return {p["field"] for p in response.json()["problems"]}


def test_the_api_in_the_order_that_keeps_the_coin_concealed(
    client: TestClient, clock: Clock
) -> None:
    assert client.get("/api/split-leg").json()["next_step"] == "start"
    assert fields(client.post("/api/split-leg/days", json={})) == {"experiment"}
    started = client.post("/api/split-leg/experiments", json={"days": 6})
    assert started.status_code == 201 and started.json()["planned_days"] == 6
    assert fields(client.post("/api/split-leg/experiments", json={})) == {"experiment"}
    refused = client.post("/api/split-leg/days", json={})
    assert refused.status_code == 422 and fields(refused) == {"before"}
    client.post("/api/checkins/soreness", json={"moment": "before", "left": 4, "right": 4})
    other_day = client.post("/api/split-leg/days", json={"day": "2026-11-01"})
    assert fields(other_day) == {"day"} and "only today" in other_day.text
    drawn = client.post("/api/split-leg/days", json={})
    assert drawn.status_code == 201 and drawn.json()["drawn_at"].startswith("2026-11-02T08:00")
    again = client.post("/api/split-leg/days")
    assert again.status_code == 200 and again.json()["massaged"] == drawn.json()["massaged"]
    said = client.post("/api/split-leg/massaged", json={"calves": "neither"})
    assert said.status_code == 200 and said.json()["reported"] == "neither"
    assert fields(client.post("/api/split-leg/massaged", json={"calves": "up"})) == {
        "calves",
        "day",
    }
    state = client.get("/api/split-leg").json()
    assert state["next_step"] == "rate_after" and state["coin"]["reported"] == "neither"
    stopped = client.post("/api/split-leg/stop")
    assert stopped.status_code == 200 and stopped.json()["stopped_at"] is not None
    insights = client.get("/api/insights").json()
    assert insights["split_leg"][0]["status"] == "stopped"
    assert "ends without a result" in insights["split_leg"][0]["headline"]


def test_the_openapi_says_the_coin_is_for_today_only(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    draw = doc["paths"]["/api/split-leg/days"]["post"]
    day = draw["requestBody"]["content"]["application/json"]["schema"]["properties"]["day"]
    assert "must be today" in day["description"]
    assert "only today" in draw["summary"] and "before-ratings" in draw["summary"]


def rate_day(client: TestClient, clock: Clock, n: int, token: str, better: bool) -> str:
    """Day ``n`` on the page: both before-ratings, the coin, yesterday's next-day rating."""
    clock.day(n)
    if n:
        coin = client.get("/api/split-leg/days").json()["days"][-1]["massaged"]
        low = "2" if better else "4"
        scores = {coin: low, "left" if coin == "right" else "right": "4"}
        next_day = client.post(
            "/api/checkins/soreness",
            json={"moment": "next_day", **{k: int(v) for k, v in scores.items()},
                  "followup": {**{leg: {"swelling": False, "redness": False, "warmth": False}
                                  for leg in ("left", "right")}, "pe_signs": False}},
        )  # fmt: skip
        assert next_day.status_code == 201, next_day.text
    page = str(client.get("/split-leg").text)
    if "Save both" not in page:
        return page
    saved = post_form(client, "/split-leg/before",
                      [("csrftoken", token), ("left", "4"), ("right", "4")],
                      follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303 and saved.headers["location"] == "/split-leg?saved=before"
    assert "Draw today's coin" in client.get("/split-leg").text
    drawn = post_form(client, "/split-leg", [("csrftoken", token)], follow_redirects=False)
    assert drawn.headers["location"] == "/split-leg?saved=drawn"
    return str(client.get("/split-leg?saved=drawn").text)


def test_the_page_day_3_day_12_and_after_the_planned_end(client: TestClient, clock: Clock) -> None:
    page = client.get("/split-leg").text
    token = csrf_token(page)
    assert "Plan the experiment" in page and "give a chance of about" in page
    bad = post_form(client, "/split-leg/start", [("csrftoken", token), ("days", "3")])
    assert bad.status_code == 422 and "3: plan 6 to 60 days" in bad.text
    started = post_form(client, "/split-leg/start",
                        [("csrftoken", token), ("days", "12"), ("outcome", "next_day_soreness")],
                        follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    first = client.get("/split-leg").text
    assert "Day 0 of 12: the result comes on day 12" in first
    assert "Save both" in first and "Draw today" not in first
    for n in range(13):
        page = rate_day(client, clock, n, token, better=True)
        if n < 12:
            assert re.search(r"Massage only your (left|right) calf today", page)
        insights = client.get("/insights").text
        if n == 3:  # day 3: progress, never a figure that could be read early
            assert "Day 3 of 12: the result comes on day 12" in insights
            assert "95% interval" not in insights and "p = " not in insights
        if n == 12:  # day 12: the twelfth day's next-day rating completes the plan
            assert "Your last experiment" in page and "Save both" not in page
    result = client.get("/insights").text
    assert "came out less sore the next day than the other calf" in result
    assert "<summary>How this was worked out</summary>" in result
    lay = result.split("<details>")[0]
    assert "sign-flip" not in lay and "p = " not in lay  # jargon only inside the details
    assert not BANNED.search(result.replace("network", ""))
    for caveat in ("Rolling one leg also loosens", "Gains can last for days", "You knew which"):
        assert caveat in result
    clock.day(40)  # long after the planned end: the same result, and a new plan offered
    later = client.get("/insights").text
    assert "came out less sore the next day than the other calf" in later
    assert "Plan a new experiment" in later
    assert "Plan a new experiment" in client.get("/split-leg").text


def test_stop_needs_the_box_ticked(client: TestClient, clock: Clock) -> None:
    token = csrf_token(client.get("/split-leg").text)
    post_form(client, "/split-leg/start", [("csrftoken", token)])
    refused = post_form(client, "/split-leg/stop", [("csrftoken", token)])
    assert refused.status_code == 422 and "tick the box" in refused.text
    stopped = post_form(client, "/split-leg/stop", [("csrftoken", token), ("confirm", "yes")],
                        follow_redirects=False)  # fmt: skip
    assert stopped.headers["location"] == "/split-leg?saved=stopped"
    assert "You stopped this experiment after 0 of" in client.get("/split-leg").text


def test_insights_page_without_an_experiment(client: TestClient) -> None:
    html = client.get("/insights").text
    assert "Plan a split-leg experiment" in html
    assert "From your everyday records" in html


def test_the_before_form_sent_twice_is_saved_once(client: TestClient, clock: Clock) -> None:
    """The before-session rating is a check-in: its form carries a client id (issue 13), so
    a double click saves one rating per calf, not two (which could make the day unclear)."""
    page = client.get("/split-leg").text
    token = csrf_token(page)
    post_form(client, "/split-leg/start", [("csrftoken", token), ("days", "6")])
    page = client.get("/split-leg").text
    match = re.search(r'name="client_id" value="([A-Za-z0-9_-]+)"', page)
    assert match, "the before form carries a client id"
    form = [("csrftoken", token), ("client_id", match.group(1)), ("left", "4"), ("right", "5")]
    for _ in range(2):
        saved = post_form(client, "/split-leg/before", form, follow_redirects=False)
        assert saved.status_code == 303, saved.text
    rows = client.get("/api/records?kind=soreness").json()
    assert len(rows) == 2
    other = [*form[:3], ("left", "6"), ("right", "5")]
    assert post_form(client, "/split-leg/before", other).status_code == 409
    bad = post_form(client, "/split-leg/before", [*form[:1], ("client_id", "a b"), *form[2:]])
    assert bad.status_code == 422
