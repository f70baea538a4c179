"""Records to the export document (`calfcare.core.export_format`): canonical JSON, records in
`RecordSet.sorted` order, times in UTC ISO 8601 with microseconds, knee-to-wall in cm at
0.1 cm, so export, import and export again gives the same bytes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from calfcare.core.export_shape import FORMAT, VERSION
from calfcare.core.records import RecordSet, SessionRecord
from calfcare.core.split_leg_design import SplitLegExperiment


def to_document(records: RecordSet) -> dict[str, Any]:
    """The canonical export document of ``records``."""
    r = records.sorted()
    return {
        "format": FORMAT,
        "version": VERSION,
        "screenings": [s.fields(_time) for s in r.screenings],
        "sessions": [_session_json(s) for s in r.sessions],
        "soreness": [
            {
                "id": item.id,
                "recorded_at": _time(item.recorded_at),
                "day": item.record.day.isoformat(),
                "leg": item.record.leg.value,
                "moment": item.record.moment.value,
                "score": item.record.score,
                "session_id": item.record.session_id,
            }
            for item in r.soreness
        ],
        "mobility": [
            {
                "id": item.id,
                "recorded_at": _time(item.recorded_at),
                "day": item.record.day.isoformat(),
                "leg": item.record.leg.value,
                "moment": item.record.moment.value,
                "distance_cm": item.record.distance_cm,
                "session_id": item.record.session_id,
            }
            for item in r.mobility
        ],
        "notes": [
            {
                "id": n.id,
                "day": n.day.isoformat(),
                "written_at": _time(n.written_at),
                "text": n.text,
            }
            for n in r.notes
        ],
        "split_leg_days": [
            {
                "day": d.day.isoformat(),
                "massaged": d.massaged.value,
                "drawn_at": None if d.drawn_at is None else _time(d.drawn_at),
                "experiment_id": d.experiment_id,
                "reported": None if d.reported is None else d.reported.value,
            }
            for d in r.split_leg_days
        ],
        "split_leg_experiments": [_experiment_json(e) for e in r.split_leg_experiments],
        "clearances": [
            {"id": c.id, "day": c.day.isoformat(), "recorded_at": _time(c.recorded_at)}
            for c in r.clearances
        ],
        "pain_checks": [
            {
                "id": p.id,
                "day": p.day.isoformat(),
                "leg": p.leg.value,
                "recorded_at": _time(p.recorded_at),
            }
            for p in r.pain_checks
        ],
    }


def _experiment_json(e: SplitLegExperiment) -> dict[str, Any]:
    return {
        "id": e.id,
        "registered_at": _time(e.registered_at),
        "start_day": e.start_day.isoformat(),
        "planned_days": e.planned_days,
        "outcome": e.outcome.value,
        "stopped_at": None if e.stopped_at is None else _time(e.stopped_at),
    }


def dumps(document: dict[str, Any]) -> str:
    """The document as canonical JSON text (sorted keys, so equal data gives equal bytes)."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _session_json(s: SessionRecord) -> dict[str, Any]:
    return {
        "id": s.id,
        "day": s.day.isoformat(),
        "started_at": _time(s.started_at),
        "source": s.source.value,
        "tool": s.tool.value,
        "intensity": s.intensity.value if s.intensity else None,
        "outcome": s.outcome.value,
        "duration_seconds": s.duration_seconds,
        "calves": [
            {
                "leg": c.leg.value,
                "planned_seconds": c.planned_seconds,
                "active_seconds": c.active_seconds,
                "holds": [{"start": h.start, "end": h.end, "seconds": h.seconds} for h in c.holds],
            }
            for c in s.calves
        ],
        "tender_spots": [
            {"leg": t.leg.value, "height": t.height.value, "side": t.side.value}
            for t in s.tender_spots
        ],
        "plan": dict(s.plan) if s.plan is not None else None,
        "screening_id": s.screening_id,
    }
