"""Check-ins, history, insights, the split-leg pages, export and import, without JavaScript:
forms with CSRF tokens, every bad field named (422, nothing saved), POST-redirect-GET."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from calfcare import services
from calfcare.core.day_words import day_text
from calfcare.web.deps import app_store
from calfcare.web.templating import day_words
from tests.web.conftest import OFFLINE_HELPER, TestClient, csrf_token
from tests.web.forms import post_form

PAGES = [
    "/checkins",
    "/checkins/soreness",
    "/checkins/next-day",
    "/checkins/knee-to-wall",
    "/checkins/session",
    "/history",
    "/insights",
    "/split-leg",
    "/export",
    "/plan",
]
SIGNS = ("swelling", "redness", "warmth")


def _token(client: TestClient) -> str:
    return csrf_token(client.get("/checkins").text)


def _next_day(client: TestClient, **signs: str) -> list[tuple[str, str]]:
    pairs = [("csrftoken", _token(client)), ("left", "4"), ("right", "2")]
    for leg in ("left", "right"):
        for sign in SIGNS:
            pairs.append((f"followup.{leg}.{sign}", signs.get(f"{leg}.{sign}", "no")))
    pairs.append(("followup.pe_signs", signs.get("pe_signs", "no")))
    return pairs


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_script_or_inline_style(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.text
    assert "<script" not in html.replace(OFFLINE_HELPER, "")
    assert " style=" not in html and "<style" not in html
    assert html.count('aria-current="page"') <= 1
    for url in re.findall(r'\b(?:src|href)="(https?:[^"]*)"', html):
        assert re.search(rf'<a href="{re.escape(url)}" rel="noopener noreferrer external"', html)


@pytest.mark.parametrize("path", ["/insights", "/checkins/follow-up"])
def test_health_pages_number_their_sources(client: TestClient, path: str) -> None:
    if path.endswith("follow-up"):
        saved = post_form(client, "/checkins/next-day", _next_day(client))
        html = saved.text
    else:
        html = client.get(path).text
    cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', html)}
    listed = {int(n) for n in re.findall(r'<li id="source-(\d+)"', html)}
    if path == "/insights":
        assert cited
    assert cited == listed == set(range(1, len(listed) + 1))


def test_nav_lists_the_new_pages(client: TestClient) -> None:
    html = client.get("/").text
    for label, href in (
        ("Plan", "/plan"),
        ("Check-in", "/checkins"),
        ("History", "/history"),
        ("Insights", "/insights"),
        ("Export", "/export"),
    ):
        assert f'<a href="{href}">{label}</a>' in html


def test_after_session_soreness_is_saved_then_redirected(client: TestClient) -> None:
    pairs = [("csrftoken", _token(client)), ("moment", "after"), ("left", "3"), ("right", "")]
    response = post_form(client, "/checkins/soreness", pairs, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/checkins?saved=soreness"
    page = client.get(response.headers["location"]).text
    assert "Your soreness rating is saved." in page
    rows = client.get("/api/records?kind=soreness").json()
    assert [(r["leg"], r["what"]) for r in rows] == [("left", "3/10 after the session")]


def test_soreness_with_no_rating_or_a_bad_one_saves_nothing(client: TestClient) -> None:
    token = _token(client)
    empty = post_form(client, "/checkins/soreness", [("csrftoken", token), ("moment", "after")])
    assert empty.status_code == 422 and "give a rating for at least one calf" in empty.text
    bad = post_form(
        client,
        "/checkins/soreness",
        [("csrftoken", token), ("moment", "after"), ("left", "11"), ("day", "2999-01-01")],
    )
    assert bad.status_code == 422
    assert ">Left calf, soreness</a>" in bad.text and ">Day</a>" in bad.text
    assert "left.score" not in bad.text, "the field in words, not its internal name"
    assert client.get("/api/records").json() == []


def test_a_form_without_its_csrf_token_is_refused(client: TestClient) -> None:
    client.get("/checkins")
    response = post_form(client, "/checkins/soreness", [("moment", "after"), ("left", "3")])
    assert response.status_code == 403


def test_next_day_without_new_signs_says_so(client: TestClient) -> None:
    response = post_form(client, "/checkins/next-day", _next_day(client), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/checkins/follow-up/")
    page = client.get(response.headers["location"]).text
    assert "No new swelling, redness or warmth" in page and 'role="alert"' not in page
    rows = client.get("/api/records?kind=soreness").json()
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert {(r["day"], r["what"]) for r in rows} == {
        (yesterday, "4/10 the next day"),
        (yesterday, "2/10 the next day"),
    }


@pytest.mark.parametrize("answer", ["yes", "unsure"])
def test_a_new_sign_the_next_day_is_escalated_like_the_screening(
    client: TestClient, answer: str
) -> None:
    pairs = _next_day(client, **{"right.redness": answer})
    page = post_form(client, "/checkins/next-day", pairs)
    assert page.status_code == 200
    html = page.text
    assert '<div class="banner banner-severe" role="alert" id="verdict">' in html
    assert "URGENT" in html and "Get medical attention today" in html
    assert "(right calf)" in html
    assert client.get("/api/stats").json()["urgent_followups"] == 1
    history = client.get("/history?kind=screening").text
    assert "Next-day check: URGENT: get medical help" in history and ">details</a>" in history


def test_the_next_day_form_asks_the_screenings_breathlessness_question(
    client: TestClient,
) -> None:
    from calfcare.content.screening import load_screening_text

    question = load_screening_text().question("general", "pe_signs").question
    assert question in client.get("/checkins/next-day").text
    missing = [p for p in _next_day(client) if p[0] != "followup.pe_signs"]
    response = post_form(client, "/checkins/next-day", missing)
    assert response.status_code == 422 and 'id="followup-pe_signs" class="missing"' in response.text
    page = post_form(client, "/checkins/next-day", _next_day(client, pe_signs="unsure"))
    assert page.status_code == 200
    assert "Call your local emergency number now" in page.text


def test_next_day_names_each_unanswered_sign(client: TestClient) -> None:
    pairs = [p for p in _next_day(client) if p[0] != "followup.left.warmth"]
    response = post_form(client, "/checkins/next-day", pairs)
    assert response.status_code == 422
    assert 'href="#followup-left-warmth-yes">Left calf, new warmth</a>' in response.text
    assert 'id="followup-left-warmth" class="missing"' in response.text
    assert 'value="4" checked' in response.text, "the ratings given are kept"
    assert client.get("/api/records").json() == []


def test_an_unknown_follow_up_is_a_404(client: TestClient) -> None:
    assert client.get("/checkins/follow-up/nope").status_code == 404


def test_knee_to_wall_is_logged_and_bad_values_named(client: TestClient) -> None:
    token = _token(client)
    bad = post_form(
        client,
        "/checkins/knee-to-wall",
        [("csrftoken", token), ("left", "9.55"), ("right", "31"), ("moment", "other")],
    )
    assert bad.status_code == 422
    assert ">Left calf, knee-to-wall distance</a>" in bad.text
    assert ">Right calf, knee-to-wall distance</a>" in bad.text
    assert 'href="/mobility/knee-to-wall"' in bad.text, "the guide is linked"
    good = post_form(
        client,
        "/checkins/knee-to-wall",
        [("csrftoken", token), ("left", "9,5"), ("moment", "before")],
        follow_redirects=False,
    )
    assert good.status_code == 303
    assert client.get("/api/records?kind=mobility").json()[0]["what"] == (
        "knee-to-wall 9.5 cm before the session"
    )


def test_a_session_and_a_note_are_logged(client: TestClient) -> None:
    token = _token(client)
    session = post_form(
        client,
        "/checkins/session",
        [
            ("csrftoken", token),
            ("tool", "ball"),
            ("legs", "left"),
            ("seconds", "120"),
            ("tender", "left:middle:inner"),
        ],
        follow_redirects=False,
    )
    assert session.status_code == 303
    bad = post_form(
        client,
        "/checkins/session",
        [
            ("csrftoken", token),
            ("tool", "ball"),
            ("legs", "left"),
            ("seconds", "999"),
            ("tender", "right:top:inner"),
        ],
    )
    assert bad.status_code == 422 and ">Seconds per calf</a>" in bad.text and "tender" in bad.text
    note = post_form(
        client,
        "/checkins/note",
        [("csrftoken", token), ("text", "ran 10 km")],
        follow_redirects=False,
    )
    assert note.status_code == 303
    empty = post_form(client, "/checkins/note", [("csrftoken", token), ("text", "  ")])
    assert empty.status_code == 422
    kinds = [r["kind"] for r in client.get("/api/records").json()]
    assert sorted(kinds) == ["note", "session"]


def test_history_filters_and_charts(client: TestClient, app: object) -> None:
    store = app_store(app)  # type: ignore[arg-type]
    from calfcare.web.api.common import now as web_now

    when = web_now()
    today = services.today_of(when)
    for i in range(4):
        day = today - timedelta(days=10 - i)
        services.log_session(
            store, day=day, tool="ball", legs=["left", "right"], seconds_per_calf=150, now=when
        )
        services.log_soreness(
            store, day=day, scores={"left": 2 + i, "right": 3}, moment="after", now=when
        )
        services.log_mobility(
            store, day=day, distances={"left": 9.0 + i / 2}, moment="before", now=when
        )
    html = client.get("/history").text
    assert html.count('<svg class="chart"') == 4  # left, right, knee-to-wall, sessions
    assert '<title id="chart-soreness-left-title">' in html and "<desc" in html
    assert "The numbers as a table" in html
    filtered = client.get("/history?kind=mobility&leg=left&limit=2").text
    assert filtered.count("knee-to-wall 1") == 2 and "/10 after" not in filtered
    bad = client.get("/history?since=yesterday&kind=bogus&limit=0")
    assert bad.status_code == 422
    for words in ("From", "Kinds of record", "Rows"):  # since, kind, limit in words
        assert f">{words}</a>" in bad.text


def test_export_downloads_and_import_round_trip(client: TestClient) -> None:
    token = _token(client)
    post_form(client, "/checkins/note", [("csrftoken", token), ("text", "=cmd")])
    exported = client.get("/export/download?format=json")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    csv = client.get("/export/download?format=csv")
    assert csv.headers["content-type"].startswith("text/csv") and "'=cmd" in csv.text
    same = post_form(
        client,
        "/import",
        [("csrftoken", token), ("document", exported.text)],
        follow_redirects=False,
    )
    assert same.status_code == 303 and same.headers["location"] == "/export?added=0&skipped=1"
    assert "Imported 0 records (1 already there)" in client.get(same.headers["location"]).text
    odd = client.get("/export?added=²&skipped=1")  # "²" is a digit, but no number
    assert odd.status_code == 200 and "Imported" not in odd.text
    doc = json.loads(exported.text)
    doc["notes"][0]["text"] = "changed"
    clash = post_form(client, "/import", [("csrftoken", token), ("document", json.dumps(doc))])
    assert clash.status_code == 422 and "stored with different content" in clash.text
    garbled = post_form(client, "/import", [("csrftoken", token), ("document", "{nope")])
    assert garbled.status_code == 422 and "not valid JSON" in garbled.text


def test_home_shows_what_is_due_and_recent_records(client: TestClient, app: object) -> None:
    assert "Recently" not in client.get("/").text
    store = app_store(app)  # type: ignore[arg-type]
    from calfcare.web.api.common import now as web_now

    when = web_now()
    services.log_session(
        store,
        day=services.today_of(when) - timedelta(days=1),
        tool="ball",
        legs=["left"],
        seconds_per_calf=150,
        now=when,
    )
    html = client.get("/").text
    assert "Do yesterday&#39;s next-day check-in" in html and 'href="/checkins/next-day"' in html
    assert "Recently" in html and "Ball, completed" in html


def test_charts_are_accessible_escaped_svg() -> None:
    from calfcare.core.report_series import Line
    from calfcare.web import charts

    day = date(2026, 1, 1)
    series = [
        Line("<left>", ((day, 2.0), (day + timedelta(days=3), 5.0))),
        Line("right", ()),
    ]
    svg = str(charts.line_chart("c1", "T & t", "D <d>", series, unit="points", y_min=0, y_max=10))
    assert svg.startswith('<svg class="chart" id="c1"') and 'role="img"' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">T &amp; t</title>' in svg and "D &lt;d&gt;" in svg
    assert "&lt;left&gt;" in svg and "<left>" not in svg and "style=" not in svg
    assert svg.count("<polyline") == 1
    assert charts.nice_ticks(0, 10, 6) == [0, 2, 4, 6, 8, 10]
    bars = str(charts.bar_chart("c2", "Weeks", "none", [charts.Bar("W01", 3)], unit="n"))
    assert '<rect class="bar"' in bars


def test_history_shows_the_newest_rows_and_offers_all(client: TestClient) -> None:
    for i in range(55):
        client.post("/api/notes", json={"text": f"note {i}"})
    html = client.get("/history").text
    assert "50 of 55 records" in html and 'href="/history?limit=55">Show all 55</a>' in html
    assert "55 of 55 records" in client.get("/history?limit=55").text


def _table_days(html: str) -> set[date]:
    """The days heading the charts' tables' rows ("5 Dec 2026")."""
    found = re.findall(r'<th scope="row">(\d{1,2} \w{3} \d{4})</th>', html)
    return {datetime.strptime(day, "%d %b %Y").date() for day in found}


def test_history_charts_cover_the_last_90_days_with_a_link_to_all(
    client: TestClient, app: object
) -> None:
    store = app_store(app)  # type: ignore[arg-type]
    from calfcare.web.api.common import now as web_now

    when = web_now()
    newest = services.today_of(when) - timedelta(days=30)  # a pause since: not up to today
    for back in range(0, 200, 10):
        services.log_mobility(
            store,
            day=newest - timedelta(days=back),
            distances={"left": 10.0},
            moment="before",
            now=when,
        )
    html = client.get("/history").text
    start = newest - timedelta(days=89)
    assert f"{day_text(start)} to {day_text(newest)}" in html  # days in words
    assert 'href="/history?charts=all">Show the charts for every day</a>' in html
    chart_days = _table_days(html.split("<h2>Records")[0])
    assert chart_days and min(chart_days) >= start
    every = client.get("/history?charts=all").text
    assert "Show the charts for every day" not in every
    all_days = _table_days(every.split("<h2>Records")[0])
    assert len(all_days) == 20 > len(chart_days)
    dated = client.get(f"/history?since={newest - timedelta(days=190)}").text
    assert "Show the charts for every day" not in dated


def test_a_blank_day_in_a_form_means_today(client: TestClient) -> None:
    """A browser sends every field, filled or not, so the form parser (only it) reads a
    blank day as left out; the JSON API refuses ``"day": ""``."""
    pairs = [("csrftoken", _token(client)), ("day", " "), ("text", "new shoes")]
    response = post_form(client, "/checkins/note", pairs, follow_redirects=False)
    assert response.status_code == 303
    rows = client.get("/api/records?kind=note").json()
    assert [r["day"] for r in rows] == [date.today().isoformat()]


def test_home_answers_a_cached_summary_on_the_loop(
    client: TestClient, app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only a miss reads the database in a worker thread; a hit (same data version, same
    day) is answered on the event loop, and a write from anywhere makes it a miss again."""
    from starlette.concurrency import run_in_threadpool as real

    hops: list[object] = []

    async def counting(func: Any, *args: Any) -> Any:
        hops.append(func)
        return await real(func, *args)

    monkeypatch.setattr("calfcare.web.pages.run_in_threadpool", counting)
    first = client.get("/").text
    assert client.get("/").text == first and len(hops) <= 1  # the first may open the store
    hops.clear()
    assert client.get("/").text == first and hops == []
    services.add_note(
        app_store(app),  # type: ignore[arg-type]
        day=date.today(),
        text="new shoes",
        now=datetime.now().astimezone(),
    )
    html = client.get("/").text
    assert len(hops) == 1 and "Recently" in html and "new shoes" in html


def test_pages_write_days_in_words_and_machines_get_iso(client: TestClient, app: object) -> None:
    """One way of writing a day for people ("5 Dec 2026") on the pages: the history's rows,
    its charts' window, tables and axis, the home page's latest records. The API, the date
    inputs and the links keep ISO 8601."""
    store = app_store(app)  # type: ignore[arg-type]
    from calfcare.web.api.common import now as web_now

    when = web_now()
    day = services.today_of(when) - timedelta(days=3)
    services.log_soreness(store, day=day, scores={"left": 4}, moment="before", now=when)
    words, iso = day_text(day), day.isoformat()
    history = client.get(f"/history?since={iso}").text
    assert f'<th scope="row" role="rowheader">{words}</th>' in history
    assert f"{words} to {words}" in history  # the charts' window
    assert f'<th scope="row">{words}</th>' in history  # the charts' table
    assert f"{day.day} {words.split()[1]}</text>" in history  # the axis, compact
    assert f'value="{iso}"' in history  # the filter's date input
    assert iso not in history.replace(f'value="{iso}"', "").replace(f"since={iso}", "")
    assert f"{words}</span>" in client.get("/").text
    assert client.get("/api/records").json()[0]["day"] == iso


def test_the_day_filter_takes_dates_datetimes_and_iso_strings(client: TestClient) -> None:
    day = day_words
    assert client.app.state.pages.env.filters["day"] is day_words  # type: ignore[attr-defined]
    assert day(date(2026, 12, 5)) == day("2026-12-05") == "5 Dec 2026"
    assert day(datetime(2027, 1, 9, 23, 59)) == "9 Jan 2027"
    assert [day(date(2026, m, 1)).split()[1] for m in (1, 5, 9)] == ["Jan", "May", "Sep"]
