"""`calfcare report`: the one-page report as PNG (the default), PDF, SVG or HTML, even with
no data yet; bad options exit 2 naming the option. `calfcare export --format fhir`."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fhir.resources.R4B.bundle import Bundle

from tests.conftest import run_cli
from tests.month_records import a_month, prescribe_the_month


def cli(tmp_path: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path / "data")})
    return done.returncode, done.stdout, done.stderr


def march_pdf_and_html(tmp_path: Path, url: str) -> str:
    """The report of March 2026 from ``url``: checks its PDF is one page; its HTML."""
    period = ("--since", "2026-03-02", "--until", "2026-03-29", "--db", url)
    pdf = tmp_path / "r.pdf"
    code, _, err = cli(tmp_path, "report", *period, "-o", str(pdf))
    assert code == 0, err
    assert len(re.findall(rb"/Type /Page\b", pdf.read_bytes())) == 1
    code, _, err = cli(tmp_path, "report", *period, "--format", "html", "-o", str(tmp_path / "r"))
    assert code == 0, err
    return (tmp_path / "r").read_text()


def test_report_png_and_svg(tmp_path: Path) -> None:
    code, _, err = cli(tmp_path, "report", "--output", str(tmp_path / "empty.svg"))
    assert code == 0, err
    assert "nothing recorded yet" in (tmp_path / "empty.svg").read_text()
    cli(tmp_path, "log", "soreness", "--moment", "before", "--left", "2", "--right", "5")
    cli(tmp_path, "log", "mobility", "--left", "9.5")
    code, _, err = cli(tmp_path, "report", "-o", str(tmp_path / "r.png"))
    assert code == 0, err
    data = (tmp_path / "r.png").read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
    code, _, err = cli(tmp_path, "report", "-o", str(tmp_path / "r.gif"))
    assert code == 2 and "--output" in err


def test_a_month_as_one_pdf_page_and_as_html(tmp_path: Path) -> None:
    from calfcare.storage import open_store

    url = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    store = open_store(url)
    with store.transaction() as tx:
        tx.add_all(a_month())
    store.close()
    period = ("--since", "2026-03-02", "--until", "2026-03-29", "--db", url)
    for paper in ("a4", "letter"):
        pdf = tmp_path / f"{paper}.pdf"
        code, _, err = cli(tmp_path, "report", *period, "--name", "Sam", "--paper", paper,
                           "-o", str(pdf))  # fmt: skip
        assert code == 0, err
        assert "2 Mar 2026 to 29 Mar 2026" in err
        assert len(re.findall(rb"/Type /Page\b", pdf.read_bytes())) == 1
    code, _, err = cli(tmp_path, "report", *period, "--format", "html", "-o", str(tmp_path / "r"))
    assert code == 0, err
    html = (tmp_path / "r").read_text()
    assert "URGENT: Safety check" in html and "Split-leg experiment" in html


def test_a_month_with_a_prescription_shows_the_sessions_done_against_it(tmp_path: Path) -> None:
    from calfcare.storage import open_store

    url = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    store = open_store(url)
    with store.transaction() as tx:
        tx.add_all(a_month())
    prescribe_the_month(store)
    store.close()
    html = march_pdf_and_html(tmp_path, url)
    assert "Sessions done against the prescription" in html
    assert "Prescribed from 2 Mar 2026: 3 times a week" in html
    weeks = re.findall(r"<li>Week (\d): (\d+) of 3 sessions", html)
    assert [w for w, _ in weeks] == ["1", "2", "3", "4"]


def test_bad_options_exit_2_naming_the_option(tmp_path: Path) -> None:
    for args, option in (
        (("--format", "doc"), "--format"),
        (("--paper", "a3"), "--paper"),
        (("--since", "2026-03-10", "--until", "2026-03-01"), "--since"),
        (("--until", "29/03/2026"), "--until"),
        (("--name", "x" * 81), "name"),
    ):
        code, _, err = cli(tmp_path, "report", *args, "-o", str(tmp_path / "x.pdf"))
        assert code == 2 and option in err, (args, err)
        assert not (tmp_path / "x.pdf").exists()


def test_export_fhir(tmp_path: Path) -> None:
    cli(tmp_path, "log", "soreness", "--moment", "before", "--left", "2", "--right", "5")
    code, out, err = cli(tmp_path, "export", "--format", "fhir")
    assert code == 0, err
    bundle = json.loads(out)
    Bundle.model_validate(bundle)
    codes = [
        e["resource"].get("code", {}).get("coding", [{}])[0].get("code") for e in bundle["entry"]
    ]
    assert codes.count("72514-3") == 2
    code, _, err = cli(tmp_path, "export", "--format", "xml")
    assert code == 2 and "json, csv or fhir" in err


def test_a_month_with_a_hold_still_on_fits_one_page_with_its_dates(tmp_path: Path) -> None:
    """Issue 11: holds, the clearance that lifted one, the pain check after a sharp-pain
    stop, each with its date; a hold still on at the end says what lifts it."""
    from dataclasses import replace

    from calfcare.storage import open_store

    records = a_month()
    url = f"sqlite:///{tmp_path / 'month.sqlite3'}"
    store = open_store(url)
    with store.transaction() as tx:
        tx.add_all(replace(records, clearances=records.clearances[:1]))
    store.close()
    html = march_pdf_and_html(tmp_path, url)
    assert "URGENT: Hold on massage</strong>, 8 Mar 2026" in html
    assert "until 8 Mar 2026, when a clinician ruled out a clot (recorded 8 Mar 2026)" in html
    assert "since 14 Mar 2026 (started by a safety check); still on" in html
    assert "Said to have gone or been checked (left calf) on 12 Mar 2026" in html
