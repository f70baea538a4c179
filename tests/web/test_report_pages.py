"""``/report`` and its downloads, and the FHIR export through the web app."""

from __future__ import annotations

import json
import re

import pytest
from fastapi import FastAPI
from fhir.resources.R4B.bundle import Bundle
from markupsafe import escape

from calfcare.core.insight_report import split_leg_results
from calfcare.web.deps import app_store
from tests.month_records import a_month
from tests.web.conftest import TestClient

PERIOD = "since=2026-03-02&until=2026-03-29"


@pytest.fixture
def month(app: FastAPI, client: TestClient) -> TestClient:
    with app_store(app).transaction() as tx:
        tx.add_all(a_month())
    return client


def test_the_report_page_shows_safety_first_and_every_section(month: TestClient) -> None:
    page = month.get(f"/report?{PERIOD}&name=Sam+%3Cb%3E")
    assert page.status_code == 200
    text = page.text
    assert "calfcare report: Sam &lt;b&gt;" in text  # typed, printed, escaped
    order = [text.index(h) for h in ("1. Safety", "2. Sessions", "3. Soreness", "4. Split-leg")]
    assert order == sorted(order)
    safety = text[order[0] : order[1]]
    assert "5 items need attention" in safety  # 2 urgent results, their 2 holds, 1 stop
    assert "until 15 Mar 2026, when a clinician ruled out a clot" in safety
    assert safety.index("URGENT: Next-day check") < safety.index("No concern")
    assert "8 Mar 2026" in safety and "Session stopped for sharp pain" in safety
    assert 'id="calf-diagram"' in text and 'id="soreness-left"' in text
    assert "1.4 points" in text and "1.9 cm" in text and "Chisholm 2012" in text
    # The split-leg line is the insights' own headline of the whole experiment (its coins
    # are from before experiments were registered, so it is marked not pre-registered).
    (experiment,) = split_leg_results(a_month())
    split = text[text.index("4. Split-leg") :]
    assert str(escape(experiment.primary.headline)) in split
    assert "days from before experiments were planned (not pre-registered)" in split
    assert re.search(r'href="/report/download\?[^"]*format=pdf"', text)
    assert 'href="/static/report.css"' in text


def test_the_default_period_is_the_last_28_days(client: TestClient) -> None:
    page = client.get("/report")
    assert page.status_code == 200 and "(28 days)" in page.text
    assert "No safety check was recorded in this period." in page.text
    assert "No split-leg experiment ran in this period." in page.text


def test_bad_values_are_named_and_nothing_breaks(client: TestClient) -> None:
    page = client.get("/report?since=03/02/2026&until=2026-02-30&name=" + "x" * 81)
    assert page.status_code == 422
    for field, words in (("since", "From"), ("until", "Until"), ("name", "Name")):
        assert f'href="#report-{field}">{words}</a>' in page.text  # the field in words
    backwards = client.get("/report?since=2026-03-10&until=2026-03-01")
    assert backwards.status_code == 422 and "is after" in backwards.text
    assert client.get(f"/report/download?{PERIOD}&format=doc").status_code == 422


def test_downloads_are_one_page_files(month: TestClient) -> None:
    pdf = month.get(f"/report/download?{PERIOD}&name=Sam")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(re.findall(rb"/Type /Page\b", pdf.content)) == 1
    assert "calfcare-report-2026-03-02-2026-03-29.pdf" in pdf.headers["content-disposition"]
    png = month.get(f"/report/download?{PERIOD}&format=png")
    assert png.content.startswith(b"\x89PNG")
    html = month.get(f"/report/download?{PERIOD}&format=html")
    assert html.text.startswith("<!doctype html>") and "<style>" in html.text
    assert "URGENT: Next-day check" in html.text


def test_fhir_export_through_the_api_and_the_export_page(month: TestClient) -> None:
    answer = month.get("/api/export?format=fhir")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/fhir+json"
    assert answer.headers["content-disposition"].endswith('.fhir.json"')
    bundle = json.loads(answer.content)
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    assert month.get("/export/download?format=fhir").content == answer.content
    assert 'href="/export/download?format=fhir"' in month.get("/export").text


def test_a_running_experiment_shows_its_progress_in_the_insights_words(
    client: TestClient,
) -> None:
    from tests.web.split_leg_helpers import draw_todays_coin

    draw_todays_coin(client, days=14)
    page = client.get("/report")
    assert page.status_code == 200
    split = page.text[page.text.index("4. Split-leg") :]
    assert "Next-day soreness: 14 days planned from " in split
    assert (
        "Day 0 of 14: the result comes on day 14, so that looking early cannot fool you." in split
    )
    assert "p =" not in split and "interval" not in split


def test_a_prescription_shows_the_sessions_done_against_it(app: FastAPI, month: TestClient) -> None:
    from datetime import UTC, date, datetime

    from calfcare.core.accounts import Role
    from calfcare.core.prescription import prescription
    from calfcare.core.routine import Intensity, Tool

    assert "against the prescription" not in month.get(f"/report?{PERIOD}").text
    store = app_store(app)
    at = datetime(2026, 3, 1, tzinfo=UTC)
    rx = prescription(calves=["left"], tools=[Tool.FOAM_ROLLER], intensity_cap=Intensity.GENTLE,
                      seconds_per_calf=150, sessions_per_week=4, weeks=2,
                      start_day=date(2026, 3, 9))  # fmt: skip
    with store.accounts() as accounts:
        physio = accounts.add_account("physio", "not-a-hash", Role.CLINICIAN, at)
    with store.clinic() as clinic:
        clinic.add_prescription(store.person_id, physio.id, rx, at)
    text = month.get(f"/report?{PERIOD}").text  # a new prescription is not an old page
    part = text[text.index("Sessions done against the prescription") : text.index("3. Sor")]
    assert "Prescribed from 9 Mar 2026: 4 times a week" in part
    assert re.findall(r"<li>Week (\d): \d+ of 4 sessions \(left \d+:\d\d\)</li>", part) == [
        "1",
        "2",
    ]
    assert "mostly skipped session is not counted" in part
