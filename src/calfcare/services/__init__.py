"""Use cases that need the core and storage together: one transaction each.

The CLI, the terminal coach and the web app call these same functions, so a check-in is
validated, safety-checked and saved the same way whichever face it came through. One module
per use case (docs/architecture.md): `safety` (screenings and the safety state), `checkins`
(soreness, knee-to-wall tests, notes), `sessions`, `transfer` (export and import), `reads`
(records and the summary numbers), `history` (history rows and the one-page report),
`split_leg` (the experiment), `cache` (the read cache), `person_lines` (a sharing person's
line on the clinician's list, stored again after each of their writes), and `common` (what
they share).

``from calfcare import services; services.log_soreness(...)`` works for every public name
below. The names are loaded on first use (PEP 562), so importing this package costs nothing:
``calfcare --help`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from calfcare.services.cache import MISSING, ReadCache
    from calfcare.services.checkins import (
        SorenessLogged,
        add_note,
        log_mobility,
        log_soreness,
        soreness_records,
    )
    from calfcare.services.clinic import (
        accept_invite,
        accept_invite_new,
        audit_log,
        clinician_revoke,
        create_feed,
        feed_calendar,
        invite,
        invite_qr_svg,
        open_person,
        people_of,
        prescribe,
        prescription_of,
        revoke_feeds,
        shares_of,
        stop_sharing,
    )
    from calfcare.services.clinic_list import clinician_list
    from calfcare.services.common import Progress, new_id, today_of
    from calfcare.services.history import (
        REPORT_KINDS,
        HistoryRows,
        newest_history_rows,
        period_report,
    )
    from calfcare.services.reads import INSIGHT_KINDS, Stats, load_records, read_stats, stats
    from calfcare.services.safety import (
        confirm_pain_checked,
        followup_report,
        record_clearance,
        record_screening,
        record_screening_answers,
        safety_document,
        safety_records,
        safety_state,
        state_of,
        stored_report,
    )
    from calfcare.services.sessions import (
        log_session,
        save_session,
        session_from_result,
    )
    from calfcare.services.split_leg import (
        draw_coin,
        record_massaged,
        split_leg_today,
        start_experiment,
        stop_experiment,
    )
    from calfcare.services.transfer import (
        EXPORT_FORMATS,
        EXPORT_MEDIA_TYPES,
        EXPORT_SUFFIXES,
        ImportSummary,
        export_bytes,
        export_document,
        export_text,
        fhir_text,
        import_document,
        import_file,
    )

_HOMES = {
    "cache": ("MISSING", "ReadCache"),
    "checkins": ("SorenessLogged", "add_note", "log_mobility", "log_soreness", "soreness_records"),
    "clinic": (
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
    ),
    "clinic_list": ("clinician_list",),
    "common": ("Progress", "new_id", "today_of"),
    "history": ("REPORT_KINDS", "HistoryRows", "newest_history_rows", "period_report"),
    "reads": ("INSIGHT_KINDS", "Stats", "load_records", "read_stats", "stats"),
    "safety": (
        "confirm_pain_checked",
        "followup_report",
        "record_clearance",
        "record_screening",
        "record_screening_answers",
        "safety_document",
        "safety_records",
        "safety_state",
        "state_of",
        "stored_report",
    ),
    "sessions": ("log_session", "save_session", "session_from_result"),
    "split_leg": (
        "draw_coin",
        "record_massaged",
        "split_leg_today",
        "start_experiment",
        "stop_experiment",
    ),
    "transfer": (
        "EXPORT_FORMATS",
        "EXPORT_MEDIA_TYPES",
        "EXPORT_SUFFIXES",
        "ImportSummary",
        "export_bytes",
        "export_document",
        "export_text",
        "fhir_text",
        "import_document",
        "import_file",
    ),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = [
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
    "accept_invite",
    "accept_invite_new",
    "add_note",
    "audit_log",
    "clinician_list",
    "clinician_revoke",
    "confirm_pain_checked",
    "create_feed",
    "draw_coin",
    "export_bytes",
    "export_document",
    "export_text",
    "feed_calendar",
    "fhir_text",
    "followup_report",
    "import_document",
    "import_file",
    "invite",
    "invite_qr_svg",
    "load_records",
    "log_mobility",
    "log_session",
    "log_soreness",
    "new_id",
    "newest_history_rows",
    "open_person",
    "people_of",
    "period_report",
    "prescribe",
    "prescription_of",
    "read_stats",
    "record_clearance",
    "record_massaged",
    "record_screening",
    "record_screening_answers",
    "revoke_feeds",
    "safety_document",
    "safety_records",
    "safety_state",
    "save_session",
    "session_from_result",
    "shares_of",
    "soreness_records",
    "split_leg_today",
    "start_experiment",
    "state_of",
    "stats",
    "stop_experiment",
    "stop_sharing",
    "stored_report",
    "today_of",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its use case's module on first use."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'calfcare.services' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"calfcare.services.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
