"""The nav shows each viewer only what they can open: on a server, an anonymous visitor the
public pages and "Sign in"; a person their pages; a clinician theirs and "Your people".
Cached pages vary on the viewer, so nothing leaks from one to another, in any order.
Personal mode (no accounts) keeps its whole nav."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calfcare.settings import Settings
from calfcare.web.app import create_app
from calfcare.web.nav import NAV, Viewer, split, visible
from tests.web.conftest import BASE_URL, TestClient
from tests.web.server_helpers import Browser, make_account, make_clinician, server_app

NAV_RE = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)
LINK_RE = re.compile(r'<a href="([^"]+)"[^>]*>([^<]+)</a>')
PUBLIC_PAGES = ("/sign-in", "/learn", "/screening", "/mobility/knee-to-wall")
"""Pages an anonymous visitor may open (cached and uncached ones)."""
ANONYMOUS_NAV = ["Safety check", "Learn", "Sign in", "Knee-to-wall test"]
"""In page order: the phone's row, then what is behind "More"."""


def nav_of(html: str) -> list[tuple[str, str]]:
    """The main nav's links, ``(href, label)`` in order."""
    match = NAV_RE.search(html)
    assert match, "the page has no main nav"
    return LINK_RE.findall(match.group(1))


def labels(html: str) -> list[str]:
    return [label for _, label in nav_of(html)]


def test_an_anonymous_visitor_sees_only_pages_they_can_open(tmp_path: Path) -> None:
    with TestClient(server_app(tmp_path), base_url=BASE_URL) as anonymous:
        for path in PUBLIC_PAGES:
            page = anonymous.get(path)
            assert page.status_code == 200, path
            assert labels(page.text) == ANONYMOUS_NAV, path
            for href, label in nav_of(page.text):  # every link opens, none asks to sign in
                opened = anonymous.get(href, follow_redirects=False)
                assert opened.status_code == 200, (path, label, opened.status_code)


def test_the_nav_never_leaks_between_viewers_of_a_cached_page(tmp_path: Path) -> None:
    app = server_app(tmp_path)
    make_account(app, "anna")
    make_clinician(app, "dr.kim")
    anna, kim, anonymous = Browser(app), Browser(app), Browser(app)
    try:
        assert anna.sign_in("anna").status_code == 303
        assert kim.sign_in("dr.kim").status_code == 303
        for _ in range(2):  # each viewer first and after the others, on cached pages
            for path in ("/learn", "/mobility/knee-to-wall", "/screening"):
                seen = labels(anonymous.client.get(path).text)
                assert seen == ANONYMOUS_NAV
                person = labels(anna.client.get(path).text)
                assert {"History", "Account", "Sharing"} <= set(person)
                assert "Sign in" not in person and "Your people" not in person
                physio = labels(kim.client.get(path).text)
                assert "Your people" in physio and "Sign in" not in physio
        assert anna.form("/sign-out").status_code == 303  # signed out: anonymous again
        assert labels(anna.client.get("/learn").text) == ANONYMOUS_NAV
    finally:
        for browser in (anna, kim, anonymous):
            browser.close()


def test_personal_mode_keeps_its_whole_nav(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as personal:
        for path in ("/", "/learn", "/history"):
            seen = labels(personal.get(path).text)
            assert {"Home", "Plan", "History", "Learn", "Export"} <= set(seen), path
            assert "Sign in" not in seen and "Account" not in seen


VIEWERS: list[Viewer] = ["personal", "anonymous", "person", "clinician"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_visible_entries_by_viewer(viewer: Viewer) -> None:
    every = [e.route for e in NAV]
    shown = {e.route for e in visible(every, viewer=viewer, public=lambda r: r == "learn")}
    assert ("clinic" in shown) is (viewer == "clinician")
    assert ("sign_in" in shown) is (viewer == "anonymous")
    if viewer == "anonymous":
        assert shown == {"learn", "sign_in"}
    else:
        assert {"home", "history", "learn", "account"} <= shown


ROW = {
    "personal": ["Home", "Session", "Check-in", "History"],
    "person": ["Home", "Session", "Check-in", "History"],
    "clinician": ["Home", "Session", "Check-in", "Your people"],
    "anonymous": ["Safety check", "Learn", "Sign in"],
}
"""The phone's row of links, by viewer (the rest is behind "More")."""


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_phone_keeps_the_most_used_entries_one_tap_away(viewer: Viewer) -> None:
    public = {"screening", "learn", "mobility"}
    entries = visible([e.route for e in NAV], viewer=viewer, public=public.__contains__)
    links = split(entries)
    assert [e.label for e in links.primary] == ROW[viewer]
    assert [e.route for e in links.more] == [e.route for e in entries if e not in links.primary]
    assert list(links) == [*links.primary, *links.more]


def test_more_is_a_disclosure_marked_when_the_current_page_is_in_it(tmp_path: Path) -> None:
    with TestClient(create_app(Settings(data_dir=tmp_path)), base_url=BASE_URL) as personal:
        home = NAV_RE.search(personal.get("/").text)
        learn = NAV_RE.search(personal.get("/learn").text)
        insights = NAV_RE.search(personal.get("/insights").text)
    assert home and learn and insights
    row, more = home.group(1).split('<details class="more">')
    assert LINK_RE.findall(row) == [
        ("/", "Home"), ("/session", "Session"), ("/checkins", "Check-in"), ("/history", "History")
    ]  # fmt: skip
    assert "<summary>More</summary>" in more and ">Learn</a>" in more
    assert 'aria-current="page">Home</a>' in row
    assert '<summary class="here">More</summary>' in learn.group(1)
    assert '<a href="/learn" aria-current="page">Learn</a>' in learn.group(1)
    assert '<a href="/insights" aria-current="page">Insights</a>' in insights.group(1)
