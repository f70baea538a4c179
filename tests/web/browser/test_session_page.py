"""The live session page in Debian's Chromium, desktop and phone (docs/web-session.md).

Time is Playwright's clock: ``run_for`` plays time with every timer and frame, ``fast_forward``
jumps (timers fire at most once: a stalled main thread or a hidden tab). Speech is a stub that
records what would be said; visibility is faked with ``Object.defineProperty``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from calfcare.content.routines import load_routines
from calfcare.core.plan_json import parse_plan
from calfcare.core.session import SessionEngine
from calfcare.core.timeline import EventKind
from calfcare.services import load_records
from calfcare.settings import Settings
from calfcare.storage import open_store
from tests.web.browser.conftest import BrowserPage, axe_violations
from tests.web.browser.flows import QUERY, STUBS, kept_offline, kept_sessions, open_session, tap
from tests.web.browser.server import running_server


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("session-data")


@pytest.fixture(scope="module")
def live_server(data_dir: Path) -> Iterator[str]:
    """This module's own server, so the tests can read what it stored."""
    with running_server(data_dir) as url:
        yield url


@pytest.fixture(autouse=True)
def pain_checked(live_server: str) -> Iterator[None]:
    """After each test, the person's word that any sharp pain has gone (issue 11): a stop
    for sharp pain asks first before the next session of that calf, and these tests share
    one server."""
    yield
    state = httpx.get(f"{live_server}/api/safety", timeout=60).json()
    for check in state["pain_checks"]:
        response = httpx.post(
            f"{live_server}/api/safety/pain-checks", json={"leg": check["leg"]}, timeout=60
        )
        assert response.status_code == 201, response.text


def stored_ids(data_dir: Path) -> list[str]:
    with open_store(Settings(data_dir=data_dir)) as store:
        return [s.id for s in load_records(store).sessions]


def spoken(page: Page) -> list[str]:
    result: list[str] = page.evaluate("() => window.__spoken")
    return result


def session_state(page: Page) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate(
        "() => Object.entries(localStorage).filter(([k]) => k.startsWith('calfcare.live:'))"
        ".map(([, v]) => JSON.parse(v))[0] || null"
    )
    return state


def expected_clock(page: Page) -> str:
    """What the clock must show now, from the Python engine fed the page's own events."""
    state = session_state(page)
    t = (page.evaluate("() => Date.now()") - state["start"]) / 1000
    engine = SessionEngine(
        parse_plan(
            page.evaluate(
                "() => JSON.parse(document.getElementById('session-data').textContent).plan"
            )
        ),
        sharp_pain_advice="",
    )
    for e in state["events"]:
        engine.apply(EventKind(e["event"]), e["t"])
    view = engine.view(t)
    if view.holding:
        whole = math.floor(view.hold_seconds)
        return f"held {whole // 60}:{whole % 60:02d}"
    whole = math.ceil(view.step_left - 1e-9)
    return f"{whole // 60}:{whole % 60:02d}"


def test_live_session_tender_spot_pause_hidden_stall_reload_and_sharp_pain(
    browser_page: BrowserPage, data_dir: Path
) -> None:
    page = open_session(browser_page)
    page.set_default_timeout(10_000)
    uploads: list[str] = []
    page.on(
        "request",
        lambda r: uploads.append(r.post_data or "") if r.url.endswith("/api/sessions") else None,
    )
    tap(page, "#start")
    expect(page.locator("#live")).to_be_visible()
    expect(page.locator("#sharp")).to_be_visible()
    page.clock.run_for(10_500)  # the get-ready step and its 3-2-1
    said = spoken(page)
    assert said[0].startswith("Get ready.")
    assert said[1:4] == ["3", "2", "1"]
    assert page.evaluate("() => window.__locks") == 1
    assert len(page.evaluate("() => window.__beeps")) > 10, "beeps scheduled ahead"
    expect(page.locator("#pace")).to_be_visible()

    page.clock.run_for(2_000)  # t ≈ 12.5 s, passes
    page.keyboard.press("Space")  # tender spot
    expect(page.locator("#tender-label")).to_have_text("Release")
    page.clock.run_for(31_000)
    assert "You may release now." in spoken(page)
    expect(page.locator("#clock")).to_have_text(expected_clock(page))
    page.keyboard.press("Space")  # release
    expect(page.locator("#tender-label")).to_have_text("Tender spot")

    tap(page, "#pause")
    frozen = page.locator("#clock").text_content()
    page.clock.run_for(8_000)
    expect(page.locator("#clock")).to_have_text(frozen or "")
    tap(page, "#pause")  # resume
    assert spoken(page)[-2:] == ["Paused.", "Carry on."]

    # Hidden for 45 s, over a 3-2-1 and a step change: resynced, nothing said late.
    before = len(spoken(page))
    page.evaluate("() => window.__hide(true)")
    page.clock.fast_forward(45_000)
    page.evaluate("() => window.__hide(false)")
    page.clock.run_for(100)
    assert spoken(page)[before:] == [], "cues missed while hidden are not replayed late"
    assert page.evaluate("() => window.__locks") == 2, "wake lock taken again when visible"
    expect(page.locator("#clock")).to_have_text(expected_clock(page))

    # A 10 s main-thread stall (timers fire once, late): the next frame is right again.
    page.clock.fast_forward(10_000)
    page.clock.run_for(20)
    expect(page.locator("#clock")).to_have_text(expected_clock(page))

    # Reload mid-session: the same session carries on at the right time.
    state = session_state(page)
    page.reload()
    expect(page.locator("#live")).to_be_visible()
    page.clock.run_for(50)
    assert session_state(page)["id"] == state["id"]
    expect(page.locator("#clock")).to_have_text(expected_clock(page))

    tap(page, "#sharp")
    advice = load_routines().sharp_pain_advice
    expect(page.locator("#advice")).to_be_visible()
    expect(page.locator("#advice-text")).to_have_text(advice)
    assert spoken(page)[-1] == advice
    # What next: when this calf may be massaged again, not another session.
    expect(page.locator("#after-pain a")).to_have_attribute("href", "/safety")
    expect(page.locator("#another")).to_be_hidden()
    # The session had a tender-spot hold: where was it? The upload waits for the answer.
    expect(page.locator("#spots")).to_be_visible()
    assert state["id"] not in stored_ids(data_dir)
    page.select_option("#h0", "middle")
    page.select_option("#s0", "outer")
    page.click("#spots button[type=submit]")
    expect(page.locator("#save")).to_have_text("Saved.")
    assert state["id"] in stored_ids(data_dir)
    assert json.loads(uploads[0])["tender_spots"] == ["left:middle:outer"]

    # A retry of the same upload (as if the answer had been lost) is not stored twice.
    assert uploads and json.loads(uploads[0])["id"] == state["id"]
    retry = page.request.post(
        "/api/sessions", data=uploads[0], headers={"content-type": "application/json"}
    )
    assert retry.status == 200 and retry.json()["created"] is False
    assert stored_ids(data_dir).count(state["id"]) == 1


def test_axe_before_during_and_after(browser_page: BrowserPage) -> None:
    """axe-core (it needs real timers, so no fake clock here): no serious or critical issue."""
    page = browser_page.page
    page.add_init_script(STUBS)
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled()
    assert not axe_violations(page)
    page.click("#start")
    expect(page.locator("#live")).to_be_visible()
    assert not axe_violations(page)
    page.click("#sharp")
    expect(page.locator("#advice")).to_be_visible()
    assert not axe_violations(page)
    assert not axe_violations(_form(page))


def _form(page: Page) -> Page:
    page.goto("/session")
    return page


def test_offline_after_the_first_visit(browser_page: BrowserPage, data_dir: Path) -> None:
    page = open_session(browser_page)
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => caches.match(location.href).then(Boolean)")
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#start")).to_be_enabled()
    assert page.evaluate("() => !!navigator.serviceWorker.controller")
    tap(page, "#start")
    page.clock.run_for(330_000)
    expect(page.locator("#done-title")).to_have_text("Session complete")
    queued = list(kept_offline(page, timeout=5_000))
    assert len(queued) == 1 and queued[0] not in stored_ids(data_dir)
    page.context.set_offline(False)
    expect(page.locator("#save")).to_have_text("Saved.")
    assert stored_ids(data_dir).count(queued[0]) == 1
    assert kept_sessions(page) == {}


def test_page_weight_requests_and_ready_mark(browser_page: BrowserPage) -> None:
    page = browser_page.page
    sizes: list[tuple[str, int]] = []
    page.on("requestfinished", lambda r: sizes.append((r.url, _bytes(r))))
    page.goto(QUERY)
    expect(page.locator("#start")).to_be_enabled()
    page.evaluate("() => navigator.serviceWorker.ready")
    page.wait_for_function("() => caches.match(location.href).then(Boolean)")
    # The service worker's script and the manifest are fetched outside the page's own
    # requests: fetch them as the browser does, and count them too.
    for extra in ("/sw.js", "/manifest.webmanifest"):
        response = page.request.get(extra, headers={"accept-encoding": "gzip, deflate, br"})
        raw = response.headers_array
        head = sum(len(h["name"]) + len(h["value"]) + 4 for h in raw) + 17
        length = int(response.headers.get("content-length", len(response.body())))
        sizes.append((extra, head + length))
    total = sum(n for _, n in sizes)
    ready = page.evaluate("() => performance.getEntriesByName('start-ready')[0].startTime")
    print(
        f"\n{browser_page.viewport}: {len(sizes)} requests, {total} bytes,"
        f" start ready {ready:.0f} ms"
    )
    for url, n in sizes:
        print(f"  {n:6d} {url}")
    assert len(sizes) <= 8, sizes
    assert total < 50_000, sizes
    # The time goal (Start ready < 120 ms) is a speed goal: `bench/session_page.py` measures
    # it as a ratio to a bare static load (figures in docs/web-session.md); here only that
    # the page marks the moment Start is ready.
    assert isinstance(ready, (int, float)) and ready > 0


def _bytes(request: Any) -> int:
    s = request.sizes()
    return int(s["responseBodySize"] + s["responseHeadersSize"])


IN_VIEW = """(id) => { const r = document.getElementById(id).getBoundingClientRect();
  return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; }"""


def test_start_and_the_stop_are_on_the_first_screen(browser_page: BrowserPage) -> None:
    """Held in one hand with a ball in the other: what the session is, the safety notice and
    Start without scrolling; once running, the clock, the big button and the sharp-pain stop,
    and nothing wider than the screen (the pace marker once pushed the page sideways)."""
    page = open_session(browser_page)
    summary = page.locator("#setup .summary")
    expect(summary).to_contain_text("Left calf 150 s, then right calf 150 s")
    expect(summary).to_contain_text("5:20 in all")
    for element in ("start", "voice"):
        assert page.evaluate(IN_VIEW, element), f"#{element} is below the first screen"
    notice = page.locator("#setup .notice")
    expect(notice).to_contain_text("No safety check goes with this session")
    assert notice.evaluate("e => e.getBoundingClientRect().bottom <= window.innerHeight")
    assert notice.evaluate(
        "e => e.compareDocumentPosition(document.getElementById('start')) & 4"
    ), "the safety notice comes before Start"
    assert page.locator("#setup details").count() == 0, "no safety text folded away"
    expect(page.get_by_role("list", name="All 8 steps")).to_be_visible()

    tap(page, "#start")
    page.clock.run_for(14_000)  # into the passes: the pace marker near the knee end
    for element in ("clock", "tender", "sharp", "cue"):
        assert page.evaluate(IN_VIEW, element), f"#{element} is off the first screen"
    width = (page.viewport_size or {"width": 0})["width"]
    # A phone widens its layout viewport to fit what overflows (then everything shrinks).
    assert page.evaluate("() => [window.innerWidth, document.documentElement.scrollWidth]") == [
        width,
        width,
    ]
