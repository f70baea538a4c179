"""The use cases' public surface is locked: adding or removing a name is a deliberate change
here (as Starlette locks its ``__all__``), and every name resolves from the package."""

from __future__ import annotations

import subprocess
import sys

import pytest

from calfcare import services

EXPECTED = {
    "accept_invite",
    "accept_invite_new",
    "audit_log",
    "clinician_revoke",
    "create_feed",
    "feed_calendar",
    "invite",
    "invite_qr_svg",
    "open_person",
    "people_of",
    "prescribe",
    "prescription_of",
    "revoke_feeds",
    "shares_of",
    "stop_sharing",
    "clinician_list",
    "EXPORT_FORMATS",
    "EXPORT_MEDIA_TYPES",
    "EXPORT_SUFFIXES",
    "INSIGHT_KINDS",
    "MISSING",
    "REPORT_KINDS",
    "HistoryRows",
    "ImportSummary",
    "Progress",
    "ReadCache",
    "SorenessLogged",
    "Stats",
    "add_note",
    "confirm_pain_checked",
    "draw_coin",
    "export_bytes",
    "export_document",
    "export_text",
    "fhir_text",
    "followup_report",
    "import_document",
    "import_file",
    "load_records",
    "log_mobility",
    "log_session",
    "log_soreness",
    "new_id",
    "newest_history_rows",
    "period_report",
    "read_stats",
    "record_clearance",
    "record_massaged",
    "record_screening",
    "record_screening_answers",
    "safety_document",
    "safety_records",
    "safety_state",
    "save_session",
    "session_from_result",
    "soreness_records",
    "split_leg_today",
    "start_experiment",
    "state_of",
    "stats",
    "stop_experiment",
    "stored_report",
    "today_of",
}


def test_public_names_are_locked() -> None:
    assert set(services.__all__) == EXPECTED
    assert len(services.__all__) == len(EXPECTED)


def test_every_public_name_resolves() -> None:
    for name in services.__all__:
        assert getattr(services, name) is not None, name


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_use_case"):
        services.no_such_use_case  # noqa: B018


def test_importing_the_package_imports_no_use_case() -> None:
    """The names load on first use, so ``import calfcare.services`` costs nothing."""
    code = (
        "import sys, calfcare.services\n"
        "heavy = ('calfcare.services.', 'calfcare.storage', 'sqlalchemy')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
