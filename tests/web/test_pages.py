"""Every content page renders, cites its sources, escapes its text and loads nothing external."""

from __future__ import annotations

import re

import pytest

from calfcare.content.learn import load_learn
from calfcare.content.mobility import load_mobility
from calfcare.content.sources import load_sources
from calfcare.core.insights import MOBILITY_MDC_CM
from calfcare.web.nav import NAV, NavEntry, visible
from tests.web.conftest import TestClient

PAGES = ["/", "/screening", "/learn", "/mobility/knee-to-wall"]
HEALTH_PAGES = ["/", "/learn", "/mobility/knee-to-wall"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_as_html_with_nav_and_no_script(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert '<html lang="en">' in html and '<nav aria-label="Main">' in html
    assert "<script" not in html, "pages work without JavaScript"
    assert " style=" not in html and "<style" not in html, "CSP allows no inline style"
    assert html.count('aria-current="page"') <= 1


@pytest.mark.parametrize("path", PAGES)
def test_nothing_loads_from_outside_the_machine(client: TestClient, path: str) -> None:
    html = client.get(path).text
    for attr, url in re.findall(r'\b(src|href)="([^"]*)"', html):
        if url.startswith(("http:", "https:", "//")):
            # Only plain links to cited sources may point outside, and they load nothing.
            assert attr == "href"
            link = re.search(rf'<a href="{re.escape(url)}"[^>]*>', html)
            assert link and 'rel="noopener noreferrer external"' in link.group(0), url
    assert "<link" not in html.replace('<link rel="stylesheet" href="/static/', "").replace(
        '<link rel="icon" href="/static/', ""
    )


@pytest.mark.parametrize("path", HEALTH_PAGES)
def test_every_health_page_lists_the_sources_it_cites(client: TestClient, path: str) -> None:
    html = client.get(path).text
    cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', html)}
    listed = {int(n) for n in re.findall(r'<li id="source-(\d+)"', html)}
    assert cited, "a health page cites at least one source"
    assert cited == listed == set(range(1, len(listed) + 1))


def test_learn_shows_every_item_and_its_sources(client: TestClient) -> None:
    html = client.get("/learn").text
    sources = load_sources()
    for section in load_learn():
        assert section.title in html
        for item in section.item:
            assert _escaped(item.text) in html, item.id
            for sid in item.sources:
                assert _escaped(sources[sid].citation) in html, sid
    assert "Not claimed:" in html


def test_the_knee_to_wall_guide_shows_steps_and_caveats(client: TestClient) -> None:
    html = client.get("/mobility/knee-to-wall").text
    guide = load_mobility()
    for item in [*guide.about, *guide.step, *guide.note]:
        assert _escaped(item.text) in html, item.id
    assert html.count('<ol class="steps">') == 1
    assert "1.6 cm" in html and "1.9 cm" in html


def test_the_guide_uses_the_same_real_change_threshold_as_insights() -> None:
    assert load_mobility().mdc_cm == MOBILITY_MDC_CM


def test_home_says_what_to_do_next_and_the_emergency_signs(client: TestClient) -> None:
    html = client.get("/").text
    assert 'href="/screening"' in html
    assert "call your local emergency number now" in html
    # Each next step links to its page, or names the CLI command while that page is missing.
    assert "calfcare plan" in html or 'href="/plan"' in html
    assert "calfcare session" in html or 'href="/session"' in html


def test_text_is_escaped(client: TestClient) -> None:
    html = client.get("/learn").text
    assert "&#34;lactic acid&#34;" in html or "&quot;lactic acid&quot;" in html
    assert '"lactic acid"' not in html


def test_nav_shows_only_pages_that_exist(client: TestClient) -> None:
    html = client.get("/").text
    nav = html[html.index('<nav aria-label="Main">') : html.index("</nav>")]
    labels = re.findall(r'<li><a href="[^"]+"(?: aria-current="page")?>([^<]+)</a></li>', nav)
    assert labels == [e.label for e in NAV]  # every listed page exists now
    assert visible({"plan", "home"}) == [NavEntry("home", "Home"), NavEntry("plan", "Plan")]
    assert {e.route for e in NAV} >= {"plan", "session", "checkins", "history", "insights"}


def test_a_later_page_joins_the_nav_by_its_route_name(client: TestClient) -> None:
    app = client.app

    @app.get("/history", name="history")  # type: ignore[attr-defined, untyped-decorator]
    def history() -> dict[str, str]:
        return {}

    assert ">History</a>" in client.get("/").text


def test_favicon_and_css_are_served(client: TestClient) -> None:
    assert client.get("/favicon.ico").headers["content-type"] == "image/svg+xml"
    css = client.get("/static/calfcare.css")
    assert css.status_code == 200 and len(css.content) < 10_000
    assert "@import" not in css.text and "url(" not in css.text


def test_a_missing_page_is_404_as_html_for_a_browser_and_json_otherwise(
    client: TestClient,
) -> None:
    browser = client.get("/nope", headers={"accept": "text/html"})
    assert browser.status_code == 404 and "There is no page at this address." in browser.text
    plain = client.get("/nope")
    assert plain.json() == {"error": "There is no page at this address.", "problems": []}


def test_no_swagger_or_redoc_pages(client: TestClient) -> None:
    for path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        assert client.get(path).status_code == 404


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))
