"""Plain views of stored records: history rows and spreadsheet CSV.

Shared by `calfcare history` / `calfcare export --format csv` and the web app's history page
and export, so both edges show the same rows. Pure: records in, rows or text out.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from calfcare.core.levels import Level
from calfcare.core.records import RecordSet, ScreeningKind, TenderSpot
from calfcare.core.session_effort import calf_words, session_words
from calfcare.core.tracking import MobilityMoment, SorenessMoment

KINDS = ("session", "soreness", "mobility", "note", "screening")
RECORD_KIND = {
    "session": "sessions",
    "soreness": "soreness",
    "mobility": "mobility",
    "note": "notes",
    "screening": "screenings",
}
"""Each history kind's field of `RecordSet`."""
KIND_WORDS = {
    "session": "Session",
    "soreness": "Soreness",
    "mobility": "Knee-to-wall",
    "note": "Note",
    "screening": "Safety check",
}
"""Each history kind as people read it (the history table, its filter, the home page)."""
COUNT_WORDS = {
    "screenings": ("safety or next-day check", "safety and next-day checks"),
    "sessions": ("session", "sessions"),
    "soreness": ("soreness rating", "soreness ratings"),
    "mobility": ("knee-to-wall test", "knee-to-wall tests"),
    "notes": ("note", "notes"),
    "split_leg_days": ("split-leg day", "split-leg days"),
    "split_leg_experiments": ("split-leg experiment", "split-leg experiments"),
    "clearances": ("clearance", "clearances"),
    "pain_checks": ("pain check", "pain checks"),
}
"""Each count of `Transaction.counts` in words, one and many (`calfcare stats`, the export
page; ``--json`` keeps the field names)."""


def count_words(kind: str, n: int) -> str:
    """A count in words: "1 note", "56 knee-to-wall tests"."""
    one, many = COUNT_WORDS.get(kind, (kind.replace("_", " "),) * 2)
    return f"{n} {one if n == 1 else many}"


MAX_LIMIT = 1_000_000
"""The largest number of history rows one read may ask for (``limit``, ``--limit``): decades
of daily records are about 100,000 rows, so a larger number is a typo, refused by name."""
CSV_COLUMNS = ("kind", "id", "day", "time", "leg", "moment", "value", "unit", "details")

# The history's words (shown to people: no internal names, no long decimals).
TOOL_WORDS = {"foam-roller": "Foam roller", "ball": "Ball", "hands": "Hands"}
SORENESS_WORDS = {
    SorenessMoment.BEFORE: "before the session",
    SorenessMoment.AFTER: "after the session",
    SorenessMoment.NEXT_DAY: "the next day",
}
MOBILITY_WORDS = {
    MobilityMoment.BEFORE: "before the session",
    MobilityMoment.AFTER: "right after the session",
    MobilityMoment.OTHER: "on a day without a session",
}
SCREENING_WORDS = {
    ScreeningKind.SCREENING: "Safety check",
    ScreeningKind.FOLLOW_UP: "Next-day check",
}
VERDICT_WORDS = {
    Level.OK: "no warning signs",
    Level.CAUTION: "caution",
    Level.AVOID: "do not massage",
    Level.URGENT: "URGENT: get medical help",
    Level.EMERGENCY: "EMERGENCY: call for help",
}


def spot_words(spot: TenderSpot) -> str:
    """A tender spot in words: "left calf, middle, outer side"."""
    return f"{spot.leg.value} calf, {spot.height.value}, {spot.side.value} side"


def record_kinds(kinds: set[str]) -> tuple[str, ...]:
    """The `RecordSet` fields the history rows of ``kinds`` are made from (only those need
    reading)."""
    return tuple(RECORD_KIND[k] for k in KINDS if k in kinds)


def history_rows(records: RecordSet, kinds: set[str], leg: str | None) -> list[dict[str, Any]]:
    """One row per record (a session is one row): day, kind, calf, what, id; by day."""
    rows: list[tuple[Any, dict[str, Any]]] = []

    def add(sort_key: Any, row: dict[str, Any]) -> None:
        if row["kind"] in kinds and (leg is None or leg in row["leg"].split(",")):
            rows.append((sort_key, row))

    for s in records.sessions:
        spots = "; ".join(spot_words(t) for t in s.tender_spots)
        what = f"{TOOL_WORDS[s.tool.value]}, {session_words(s.outcome, s.mostly_skipped)}: "
        what += ", ".join(calf_words(c.leg.value, c.planned_seconds, c.active_seconds)
                          for c in s.calves)  # fmt: skip
        add((s.day, s.started_at), {"day": s.day.isoformat(), "kind": "session",
            "leg": ",".join(c.leg.value for c in s.calves),
            "what": what + (f"; tender spots: {spots}" if spots else ""), "id": s.id})  # fmt: skip
    for i in records.soreness:
        r = i.record
        add((r.day, i.recorded_at), {"day": r.day.isoformat(), "kind": "soreness",
            "leg": r.leg.value, "what": f"{r.score}/10 {SORENESS_WORDS[r.moment]}",
            "id": i.id})  # fmt: skip
    for m in records.mobility:
        t = m.record
        add((t.day, m.recorded_at), {"day": t.day.isoformat(), "kind": "mobility",
            "leg": t.leg.value,
            "what": f"knee-to-wall {t.distance_cm:.1f} cm {MOBILITY_WORDS[t.moment]}",
            "id": m.id})  # fmt: skip
    for n in records.notes:
        add((n.day, n.written_at), {"day": n.day.isoformat(), "kind": "note", "leg": "",
            "what": n.text, "id": n.id})  # fmt: skip
    for sc in records.screenings:
        local = sc.taken_at.astimezone()
        add((local.date(), sc.taken_at), {"day": local.date().isoformat(), "kind": "screening",
            "leg": "", "what": f"{SCREENING_WORDS[sc.kind]}: {VERDICT_WORDS[sc.verdict]}",
            "id": sc.id})  # fmt: skip
    rows.sort(key=lambda pair: (pair[0][0], pair[0][1].timestamp()))
    return [row for _, row in rows]


def to_csv(records: RecordSet) -> str:
    """One row per measurement, session or note, in the canonical order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in records.sessions:
        details = f"tool={s.tool.value}; tender={' '.join(t.label for t in s.tender_spots)}"
        for c in s.calves:
            writer.writerow(_safe(["session", s.id, s.day, s.started_at.isoformat(), c.leg.value,
                                   s.outcome.value, c.active_seconds, "s", details]))  # fmt: skip
    for i in records.soreness:
        r = i.record
        writer.writerow(_safe(["soreness", i.id, r.day, i.recorded_at.isoformat(), r.leg.value,
                               r.moment.value, r.score, "0-10", r.session_id or ""]))  # fmt: skip
    for m in records.mobility:
        t = m.record
        writer.writerow(
            _safe(
                [
                    "mobility",
                    m.id,
                    t.day,
                    m.recorded_at.isoformat(),
                    t.leg.value,
                    t.moment.value,
                    t.distance_cm,
                    "cm",
                    t.session_id or "",
                ]
            )
        )
    for n in records.notes:
        writer.writerow(_safe(["note", n.id, n.day, n.written_at.isoformat(), "", "", "", "",
                               n.text]))  # fmt: skip
    for sc in records.screenings:
        writer.writerow(_safe(["screening", sc.id, sc.taken_at.date(), sc.taken_at.isoformat(),
                               "", sc.kind.value, sc.verdict.value, "", ""]))  # fmt: skip
    for d in records.split_leg_days:
        drawn = d.drawn_at.isoformat() if d.drawn_at else ""
        said = f"reported={d.reported.value}" if d.reported else ""
        writer.writerow(_safe(["split_leg_day", d.experiment_id or "", d.day, drawn,
                               d.massaged.value, "", "", "", said]))  # fmt: skip
    for e in records.split_leg_experiments:
        stopped = f"; stopped={e.stopped_at.isoformat()}" if e.stopped_at else ""
        writer.writerow(_safe(["split_leg_experiment", e.id, e.start_day,
                               e.registered_at.isoformat(), "", e.outcome.value, e.planned_days,
                               "days", stopped.lstrip("; ")]))  # fmt: skip
    for cleared in records.clearances:
        writer.writerow(_safe(["clearance", cleared.id, cleared.day,
                               cleared.recorded_at.isoformat(), "", "", "", "",
                               "clinician ruled out a clot"]))  # fmt: skip
    for check in records.pain_checks:
        at = check.recorded_at.isoformat()
        writer.writerow(_safe(["pain_check", check.id, check.day, at, check.leg.value, "", "",
                               "", "sharp pain gone or checked"]))  # fmt: skip
    return out.getvalue()


def _safe(cells: list[Any]) -> list[str]:
    text = [str(c) for c in cells]
    return ["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in text]
