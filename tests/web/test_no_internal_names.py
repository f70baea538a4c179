"""Every page, and the terminal's history and stats, with a realistic month of records: what a
person reads has no internal names (snake_case identifiers, raw source ids, file paths) and no
long decimal seconds ("stopped_sharp_pain, left 4.468 s", "sources: seed, nhs-dvt",
"(content/data/article.txt)", "follow_up: ok" were all once shown).

Only what is read counts: text outside ``<script>``, ``<style>`` and ``<code>`` (commands to
type are shown as typed), plus the attributes read aloud or shown (aria-label, title, alt,
placeholder, the SVG charts' <title>/<desc>)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI

from calfcare.content.sources import load_sources
from calfcare.core.records import CalfRecord, RecordSet, ScreeningKind
from calfcare.core.routine import Tool
from calfcare.web.deps import app_store
from tests.conftest import run_cli
from tests.month_records import LAST_DAY, a_month
from tests.web.conftest import TestClient, csrf_token
from tests.web.forms import post_form, walk_screening

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
PATH = re.compile(r"\b[\w-]+/[\w./-]*\.(?:txt|toml|py|json|sqlite3?)\b")
LONG_SECONDS = re.compile(r"\b\d+\.\d{2,}\s*s\b")
SOURCE_IDS = sorted(
    (sid for sid in load_sources() if "-" in sid or any(ch.isdigit() for ch in sid)),
    key=len,
    reverse=True,
)
SOURCE_ID = re.compile(r"(?<![\w/.-])(?:" + "|".join(map(re.escape, SOURCE_IDS)) + r")(?![\w-])")
SPOKEN_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}
SKIPPED = {"script", "style", "code"}


class _Readable(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skip += 1
        self.parts += [v for k, v in attrs if k in SPOKEN_ATTRIBUTES and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def readable(html: str) -> str:
    parser = _Readable()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def internal_tokens(text: str) -> list[str]:
    found = SNAKE.findall(text) + PATH.findall(text) + LONG_SECONDS.findall(text)
    return found + SOURCE_ID.findall(text)


def _records() -> RecordSet:
    month = a_month()
    sessions = list(month.sessions)
    # A session with every step skipped, and a hands session, as the coach saves them.
    first = sessions[-1]
    skipped = replace(
        first,
        id="skipped-all",
        started_at=first.started_at + timedelta(hours=5),
        calves=tuple(CalfRecord(c.leg, 150, 4.468) for c in first.calves),
        tender_spots=(),
    )
    hands = replace(first, id="hands-one", tool=Tool.HANDS, started_at=first.started_at
                    + timedelta(hours=7))  # fmt: skip
    return replace(month, sessions=(*sessions, skipped, hands))


@pytest.fixture
def month(app: FastAPI, client: TestClient) -> TestClient:
    with app_store(app).transaction() as tx:
        tx.add_all(_records())
    return client


def _pages(records: RecordSet) -> list[str]:
    period = f"since={LAST_DAY - timedelta(days=27)}&until={LAST_DAY}"
    follow_ups = [s.id for s in records.screenings if s.kind is ScreeningKind.FOLLOW_UP]
    return [
        "/",
        "/learn",
        "/mobility/knee-to-wall",
        "/screening",
        "/plan",
        "/session",
        "/session?tool=hands&legs=left,right&seconds=150&intensity=deep",
        "/session?tool=foam-roller&legs=right&seconds=180&intensity=deep",
        "/session?tool=ball&legs=left,right&seconds=150&intensity=gentle",
        f"/report?{period}",
        "/insights",
        "/split-leg",
        "/checkins",
        "/checkins/soreness",
        "/checkins/next-day",
        "/checkins/knee-to-wall",
        "/checkins/session",
        f"/history?{period}",
        "/history",
        "/export",
        *(f"/checkins/follow-up/{sid}" for sid in follow_ups[:3]),
    ]


def test_no_page_shows_an_internal_name(month: TestClient) -> None:
    shown: dict[str, list[str]] = {}
    for path in _pages(_records()):
        page = month.get(path)
        assert page.status_code == 200, (path, page.status_code)
        tokens = internal_tokens(readable(page.text))
        if tokens:
            shown[path] = sorted(set(tokens))
    assert not shown, shown


REFUSED_FORMS = [
    ("/checkins/soreness", [("moment", "after"), ("left", "11"), ("right", "x"),
                            ("day", "2999-01-01")]),
    ("/checkins/next-day", [("left", "4"), ("followup.left.swelling", "maybe")]),
    ("/checkins/knee-to-wall", [("left", "9.55"), ("right", "31"), ("moment", "later")]),
    ("/checkins/session", [("tool", "spoon"), ("legs", "both"), ("seconds", "abc"),
                           ("tender", "left:top:front")]),
    ("/checkins/note", [("text", ""), ("day", "someday")]),
    ("/plan", [("tool", "spoon"), ("legs", "middle"), ("seconds_per_calf", "300"),
               ("intensity", "hard"), ("pace_per_minute", "abc")]),
    ("/split-leg/start", [("days", "3")]),
    ("/split-leg/stop", []),
    ("/safety/pain-checked", [("leg", "middle")]),
    ("/safety/clearance", [("day", "someday")]),
]  # fmt: skip


@pytest.mark.parametrize(("path", "fields"), REFUSED_FORMS, ids=[p for p, _ in REFUSED_FORMS])
def test_a_refused_form_names_its_fields_in_words(
    client: TestClient, path: str, fields: list[tuple[str, str]]
) -> None:
    """The error summary of every page form says "Left calf, soreness", not ``left.score``
    (the values are what a person can type or leave out; a tampered choice is answered in
    the JSON API's terms)."""
    token = csrf_token(client.get("/checkins").text)
    page = post_form(client, path, [("csrftoken", token), *fields])
    assert page.status_code == 422, (path, page.status_code)
    assert 'class="error-summary"' in page.text
    tokens = internal_tokens(readable(page.text))
    assert not tokens, (path, tokens)


REFUSED_FILTERS = [
    "/history?since=yesterday&kind=bogus&limit=0&leg=middle",
    "/report?since=03/02/2026&until=2026-02-30&name=" + "x" * 81,
]


@pytest.mark.parametrize("path", REFUSED_FILTERS)
def test_a_refused_filter_names_its_fields_in_words(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 422 and 'class="error-summary"' in page.text
    assert not internal_tokens(readable(page.text)), internal_tokens(readable(page.text))


def test_the_history_says_what_a_skipped_session_was(month: TestClient) -> None:
    text = readable(month.get("/history").text)
    assert "mostly skipped: left calf 0:04 of 2:30" in text
    assert "Next-day check:" in text and "follow_up" not in text


def test_the_terminal_history_and_stats_show_words(app: FastAPI, month: TestClient) -> None:
    data_dir = str(app.state.settings.data_dir)
    env = {"CALFCARE_DATA_DIR": data_dir}
    for args in (("history", "--since", "2026-01-01"), ("stats",)):
        done = run_cli(*args, env=env)
        assert done.returncode == 0, done.stderr
        assert not internal_tokens(done.stdout), (args, internal_tokens(done.stdout))


def test_the_scan_catches_what_it_is_for() -> None:
    for bad in ("follow_up: ok", "stopped_sharp_pain, left 4.468 s", "sources: seed, nhs-dvt",
                "(content/data/article.txt)"):  # fmt: skip
        assert internal_tokens(bad), bad
    assert not internal_tokens("Next-day check: no warning signs; left calf 0:04 of 2:30")


RAW_KIND = re.compile(r"<(td|span)[^>]*>(session|soreness|mobility|note|screening)</\1>")


def test_records_and_levels_are_named_in_words(client: TestClient) -> None:
    """The history's Kind column and its filter, the home page's latest records, the safety
    check's Level column and the export's counts say "Knee-to-wall", "No concern", never the
    stored kind or level (``mobility``, ``ok``: single words, which the scan above cannot
    tell from English)."""
    final, _ = walk_screening(client, "left,right", {})
    assert "<td>No concern</td>" in final.text and "<td>ok</td>" not in final.text
    post_form(client, "/checkins/knee-to-wall",
              [("csrftoken", csrf_token(client.get("/checkins").text)), ("left", "9.5"),
               ("moment", "before")])  # fmt: skip
    history = client.get("/history").text
    assert not RAW_KIND.findall(history), RAW_KIND.findall(history)
    assert ">Knee-to-wall</td>" in history and "<span>Safety check</span>" in history
    home = readable(client.get("/").text)
    assert "Knee-to-wall 9.5 cm before the session (left)" in home, home
    assert "Safety check: No concern — " in home and "mobility (left)" not in home
    export = readable(client.get("/export").text)
    assert "2 records: 1 safety or next-day check, 1 knee-to-wall test." in export, export


def test_an_error_page_names_fields_in_words(client: TestClient) -> None:
    """The generic error page says "Tool: unknown tool", not the field's name in code
    (``tool``, which the scan skips as a command to type); opening a form's address says
    what to do instead of "that method"."""
    html = client.get("/session?tool=spoon&legs=middle", headers={"accept": "text/html"}).text
    assert "<li>Tool: unknown tool" in html and "<li>Calves: unknown leg" in html, html
    assert "<code>" not in html
    page = client.get("/checkins/note", headers={"accept": "text/html"})
    assert page.status_code == 405 and "This address only receives a form." in page.text
