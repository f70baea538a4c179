"""The report page in a real Chromium: a month of data (a hold still on at its end, and a
prescription) prints on one A4 or Letter page, with no console error, no sideways scrolling
on a phone, and no serious axe violation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from calfcare.settings import Settings
from calfcare.storage import open_store
from tests.month_records import a_month, prescribe_the_month
from tests.web.browser.conftest import axe_violations
from tests.web.browser.server import VIEWPORTS, running_server

URL = "/report?since=2026-03-02&until=2026-03-29&name=Sam"


@pytest.fixture(scope="module")
def month_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("report-month")
    store = open_store(Settings(data_dir=data))
    records = a_month()  # the longest lines: a hold still on at the end, and a prescription
    with store.transaction() as tx:
        tx.add_all(replace(records, clearances=records.clearances[:1]))
    prescribe_the_month(store)
    store.close()
    with running_server(data) as url:
        yield url


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_report_page_reads_and_prints_on_one_page(
    chromium: Browser, month_server: str, viewport: str, tmp_path: Path
) -> None:
    context = chromium.new_context(base_url=month_server, **VIEWPORTS[viewport])
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(URL)
    assert response is not None and response.status == 200
    assert page.locator("h1").inner_text() == "calfcare report: Sam"
    assert axe_violations(page) == []
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"
    if viewport == "desktop":
        for paper in ("A4", "Letter"):
            pdf = page.pdf(format=paper, print_background=True)
            assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1, paper
    context.close()
    assert errors == []
