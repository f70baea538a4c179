"""The words a form field is shown with in an error summary: "Left calf, soreness", not
``left.score`` (a person reads the page; the field names are the JSON API's). Registered as
the templates' ``field_words`` filter (`calfcare.web.templating`)."""

from __future__ import annotations

FIELD_WORDS = {
    "day": "Day",
    "moment": "When",
    "left": "Left calf",
    "right": "Right calf",
    "score": "Soreness",
    "distance_cm": "Knee-to-wall distance",
    "text": "Note",
    "tool": "Tool",
    "legs": "Calves",
    "leg": "Calf",
    "seconds": "Seconds per calf",
    "seconds_per_calf": "Seconds per calf",
    "intensity": "Intensity",
    "pace_per_minute": "Pace",
    "tender": "Tender spots",
    "tender_spot": "Tender spots",
    "tender_spots": "Tender spots",
    "followup": "New signs since the session",
    "login": "Login name",
    "password": "Password",
    "current_password": "Current password",
    "new_password": "New password",
    "confirm_password": "New password again",
    "passkey": "Passkey",
    "pe_signs": "Breathlessness or chest pain",
    "swelling": "new swelling",
    "redness": "new redness",
    "warmth": "new warmth",
    "session_id": "Session",
    "since": "From",
    "until": "Until",
    "kind": "Kinds of record",
    "limit": "Rows",
    "days": "Days",
    "outcome": "Outcome",
    "experiment": "Experiment",
    "before": "Before-session rating",
    "calves": "Calves massaged",
    "confirm": "Stop the experiment",
    "hold": "Hold",
    "split_leg": "Split-leg day",
    "screening": "Safety check answers",
    "document": "Pasted export",
    "file": "Export file",
    "name": "Name",
    "format": "Format",
    "client_id": "Form",
    "tools": "Tools",
    "intensity_cap": "How firm, at most",
    "sessions_per_week": "Sessions a week",
    "weeks": "Weeks",
    "start_day": "First day",
    "note": "Note",
}
"""The words each form field is shown with in an error summary."""

CALVES = {"left": "Left calf", "right": "Right calf"}


def field_words(field: str) -> str:
    """A problem's field as a person reads it: ``left.score`` → "Left calf, soreness",
    ``followup.left.warmth`` → "Left calf, new warmth", ``tender_spots.2`` → "Tender spot
    3"; a field not listed reads as its parts in words."""
    if field in FIELD_WORDS:
        return FIELD_WORDS[field]
    parts = field.split(".")
    if parts[0] == "followup" and len(parts) > 1:
        parts = parts[1:]
    if parts[0] in CALVES and len(parts) > 1:
        rest = " ".join(_word(p) for p in parts[1:])
        return f"{CALVES[parts[0]]}, {rest[:1].lower()}{rest[1:]}"
    if len(parts) == 2 and parts[1].isdigit() and parts[0].endswith("s"):
        return f"{_word(parts[0])[:-1]} {int(parts[1]) + 1}"
    return ", ".join(_word(p) for p in parts)


def _word(part: str) -> str:
    return FIELD_WORDS.get(part, part.replace("_", " ").capitalize())
