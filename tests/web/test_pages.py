"""Every content page renders, cites its sources, escapes its text and loads nothing external;
the page cache gives each browser its own token and never one URL's page for another."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
import pytest
from markupsafe import escape
from starlette.requests import Request

import calfcare.web
from calfcare.content.learn import load_grades, load_learn
from calfcare.content.mobility import load_mobility
from calfcare.content.sources import load_sources
from calfcare.core.insights import MOBILITY_MDC_CM
from calfcare.web.nav import NAV, SERVER_ONLY, NavEntry, visible
from calfcare.web.templating import MAX_CACHED_QUERY, PageCache, Pages
from tests.web.conftest import OFFLINE_HELPER, TestClient

PAGES = ["/", "/screening", "/learn", "/mobility/knee-to-wall"]
HEALTH_PAGES = ["/", "/learn", "/mobility/knee-to-wall"]


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_as_html_with_nav_and_no_script(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    html = response.text
    assert '<html lang="en">' in html and '<nav aria-label="Main">' in html
    assert "<script" not in html.replace(OFFLINE_HELPER, ""), "pages work without JavaScript"
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
    local = (
        '<link rel="stylesheet" href="/static/',
        '<link rel="icon" href="/static/',
        '<link rel="manifest" href="/manifest',
        '<link rel="apple-touch-icon" href="/static/',
    )
    for start in local:
        html = html.replace(start, "")
    assert "<link" not in html


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
    # every listed page exists now, but the account page (server mode only); the phone's
    # row first, then the rest in nav order (behind "More" on a phone)
    personal = [e.label for e in NAV if e.route not in SERVER_ONLY]
    assert labels[:4] == ["Home", "Session", "Check-in", "History"]
    assert sorted(labels) == sorted(personal)
    assert labels[4:] == [label for label in personal if label not in labels[:4]]
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


# -- the page cache (Pages.render_cached) ----------------------------------------------------

CACHED_PAGES = ["/", "/screening", "/learn", "/mobility/knee-to-wall", "/plan"]


def _pages(client: TestClient) -> Pages:
    pages = client.app.state.pages  # type: ignore[attr-defined]
    assert isinstance(pages, Pages)
    return pages


def _request(app: Any, path: str, query: bytes = b"", token: str = "") -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "query_string": query,
        "headers": [],
        "app": app,
        "state": {"csrftoken": token},
    }
    return Request(scope)


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_a_cached_page_is_the_page_a_fresh_render_gives(client: TestClient, path: str) -> None:
    pages = _pages(client)
    first = client.get(path)  # rendered, and stored with a marker for the token
    second = client.get(path)  # the same browser: from the cache
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert len(pages.cache) >= 1
    pages.cache.clear()
    assert client.get(path).content == first.content


@pytest.mark.parametrize(
    ("template", "context"),
    [
        (
            "learn.html",
            {"sections": load_learn(), "grades": load_grades(), "sources": load_sources()},
        ),
        ("mobility.html", {"guide": load_mobility()}),
    ],
)
def test_the_cached_render_is_byte_for_byte_the_plain_render(
    client: TestClient, template: str, context: dict[str, Any]
) -> None:
    pages = _pages(client)
    for token in ("one-browser.sig", "another-browser.sig"):
        request = _request(client.app, "/x", token=token)
        plain = pages.render(request, template, **context).body
        assert pages.render_cached(request, template, **context).body == plain


def test_the_cache_never_serves_one_urls_page_for_another(client: TestClient) -> None:
    learn, mobility = client.get("/learn").text, client.get("/mobility/knee-to-wall").text
    assert learn != mobility
    assert client.get("/learn").text == learn
    assert client.get("/mobility/knee-to-wall").text == mobility
    ball = client.get("/plan?tool=ball").text
    hands = client.get("/plan?tool=hands").text
    plain = client.get("/plan").text
    checked = re.compile(r'value="([\w-]+)"(?: id="[^"]+")? checked')
    assert "ball" in checked.findall(ball) and "ball" not in checked.findall(hands)
    assert "hands" in checked.findall(hands) and "hands" not in checked.findall(plain)
    assert client.get("/plan?tool=ball").text == ball
    assert '<a href="/learn" aria-current="page">' in learn
    assert '<a href="/mobility/knee-to-wall" aria-current="page">' in mobility


def test_a_reflected_query_value_stays_escaped_in_a_cached_page(client: TestClient) -> None:
    evil = '"><script>alert(1)</script>'
    for _ in range(2):  # the render, then the cached copy
        html = client.get("/plan", params={"seconds_per_calf": evil}).text
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


def _add_template(pages: Pages, name: str, source: str) -> None:
    loader = pages.env.loader
    assert loader is not None
    pages.env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({name: source}), loader])


def test_the_token_filled_into_a_cached_page_is_escaped(client: TestClient) -> None:
    pages = _pages(client)
    _add_template(pages, "token.html", '<input name="csrftoken" value="{{ csrftoken }}">')
    for token in ("first", 'a"><b>', "first"):
        html = bytes(
            pages.render_cached(_request(client.app, "/t", token=token), "token.html").body
        )
        assert html == f'<input name="csrftoken" value="{escape(token)}">'.encode()
    assert len(pages.cache) == 1


def test_the_cache_is_bounded_and_drops_the_least_recently_served() -> None:
    cache = PageCache(max_entries=3)
    keys = [("t.html", f"/p{i}", b"", ()) for i in range(5)]
    for i, key in enumerate(keys[:3]):
        cache.put(key, (f"page {i}".encode(),))
    assert cache.get(keys[0]) == (b"page 0",)  # now the most recently served
    cache.put(keys[3], (b"page 3",))
    cache.put(keys[4], (b"page 4",))
    assert len(cache) == 3
    assert cache.get(keys[1]) is None and cache.get(keys[2]) is None
    assert cache.get(keys[0]) == (b"page 0",)


def test_the_cache_is_bounded_in_bytes_too() -> None:
    cache = PageCache(max_entries=100, max_bytes=4000)
    for i in range(10):
        cache.put(("t.html", f"/p{i}", b"", ()), (b"x" * 500, b"y" * 300))
    assert cache.size_bytes <= 4000 and len(cache) == 5
    assert cache.get(("t.html", "/p9", b"", ())) is not None
    assert cache.get(("t.html", "/p4", b"", ())) is None
    cache.put(("t.html", "/big", b"", ()), (b"z" * 1001,))  # over a quarter: never stored
    assert cache.get(("t.html", "/big", b"", ())) is None and len(cache) == 5
    cache.put(("t.html", "/p9", b"", ()), (b"short",))  # replacing an entry frees its bytes
    assert cache.size_bytes == 4 * 800 + 5
    cache.clear()
    assert cache.size_bytes == 0 and len(cache) == 0


def test_attacker_chosen_query_strings_cannot_grow_the_cache(client: TestClient) -> None:
    pages = _pages(client)
    pages.cache.max_entries = 20
    for i in range(60):
        assert client.get(f"/learn?x={i}").status_code == 200
    assert len(pages.cache) == 20
    long_query = "x=" + "a" * MAX_CACHED_QUERY
    pages.cache.clear()
    assert client.get(f"/learn?{long_query}").status_code == 200
    assert len(pages.cache) == 0, "a long query string is rendered, never stored"


def test_a_cached_render_gets_no_request_so_per_browser_state_cannot_leak(
    client: TestClient,
) -> None:
    pages = _pages(client)
    _add_template(pages, "peek.html", "{{ request.cookies }}")
    request = _request(client.app, "/peek")
    assert b"{}" in bytes(pages.render(request, "peek.html").body)
    with pytest.raises(jinja2.UndefinedError):
        pages.render_cached(request, "peek.html")


def test_the_home_page_shows_a_new_record_at_once(client: TestClient) -> None:
    before = client.get("/").text
    assert "sore after hill repeats" not in before
    assert client.get("/").text == before  # cached while nothing changes
    saved = client.post("/api/notes", json={"text": "sore after hill repeats"})
    assert saved.status_code == 201
    after = client.get("/").text
    assert "sore after hill repeats" in after
    assert "Recently" in after


def test_templates_print_the_token_only_as_it_is() -> None:
    """The cache finds the token by its marker: a filter or a slice on ``csrftoken`` would
    change the marker, store the page without the token and never fill it in."""
    templates = Path(calfcare.web.__file__).parent / "templates"
    for path in templates.glob("*.html"):
        text = path.read_text()
        uses = re.findall(r"\{\{[^}]*csrftoken[^}]*\}\}|\{%[^%]*csrftoken[^%]*%\}", text)
        assert set(uses) <= {"{{ csrftoken }}"}, path.name


def test_template_links_are_the_routes_own_paths_remembered(client: TestClient) -> None:
    from starlette.routing import NoMatchFound

    pages: Pages = client.app.state.pages  # type: ignore[attr-defined]
    app = client.app
    for name, params in (("home", {}), ("plan", {}), ("static", {"path": "app.css"})):
        expected = str(app.url_path_for(name, **params))  # type: ignore[attr-defined]
        assert pages.url(name, **params) == expected
        assert pages.url(name, **params) == expected  # the remembered answer
    assert pages.url("static", path="a.js") == "/static/a.js"  # parameters are in the key
    with pytest.raises(NoMatchFound):
        pages.url("no_such_route")
