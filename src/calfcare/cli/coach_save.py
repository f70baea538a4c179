"""After a live session: ask where the tender spots were and how sore each calf is, then
save everything — the screening (audit trail), the session and the check-ins.

Kept apart from the coach loop so the loop stays a pure adapter over the engine. The session
is saved whatever its outcome (a quit or a sharp-pain stop is exactly what a person, or their
physiotherapist, needs to see later). Questions are plain line input: the coach has already
given the terminal back.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from rich.console import Console

from calfcare.cli.prompt import ReadLine, ask
from calfcare.core.levels import Leg
from calfcare.core.whole_number import whole_number

HEIGHTS = {"l": "lower", "m": "middle", "u": "upper"}
SIDES = {"i": "inner", "o": "outer"}


def _read(console: Console, prompt: str, read_line: ReadLine) -> str | None:
    """The answer, or None at the end of input (stop asking, keep what was answered)."""
    return ask(console, prompt, read_line)


def ask_soreness(
    console: Console, legs: Iterable[Leg], when: str, read_line: ReadLine = sys.stdin.readline
) -> dict[str, int]:
    """0-10 per calf; Enter skips a calf (nothing is ever filled in for the person)."""
    scores: dict[str, int] = {}
    for leg in legs:
        while True:
            reply = _read(
                console,
                f"How sore is your {leg.value} calf {when}? 0 (none) to 10 (worst), "
                "Enter to skip: ",
                read_line,
            )
            if reply is None:
                return scores
            if reply == "":
                break
            score = whole_number(reply, 3)
            if score is not None and score <= 10:
                scores[leg.value] = score
                break
            console.print("  Please type a whole number from 0 to 10, or press Enter to skip.")
    return scores


def ask_tender_spots(
    console: Console, result: dict[str, Any], read_line: ReadLine = sys.stdin.readline
) -> list[Any]:
    """Where each held tender spot was: lower/middle/upper and inner/outer (optional)."""
    from calfcare.core.records import SpotHeight, SpotSide, TenderSpot

    spots: list[TenderSpot] = []
    for calf in result.get("calves", []):
        for hold in calf.get("holds", []):
            minutes, seconds = divmod(int(hold["start"]), 60)
            while True:
                reply = _read(
                    console,
                    f"Tender spot on your {calf['leg']} calf at {minutes}:{seconds:02d} — where? "
                    "[l]ower/[m]iddle/[u]pper + [i]nner/[o]uter (e.g. 'mo'), Enter to skip: ",
                    read_line,
                )
                if reply is None:
                    return spots
                if reply == "":
                    break
                if len(reply) == 2 and reply[0] in HEIGHTS and reply[1] in SIDES:
                    spots.append(
                        TenderSpot(
                            Leg(calf["leg"]),
                            SpotHeight(HEIGHTS[reply[0]]),
                            SpotSide(SIDES[reply[1]]),
                        )
                    )
                    break
                console.print("  Two letters: l, m or u, then i or o (for example 'lo').")
    return spots


def session_result_words(result: dict[str, Any], ended: str) -> str:
    """How the session ended (``ended``), or "mostly skipped" when no calf got half its
    planned time (`calfcare.core.session_effort`, the rule the web page and history use)."""
    from calfcare.core.session_effort import MOSTLY_SKIPPED_WORDS, result_skipped

    if not result_skipped(result):
        return ended
    if result.get("outcome") == "completed":
        return f"{MOSTLY_SKIPPED_WORDS}: less than half the planned time on every calf"
    return f"{ended}, {MOSTLY_SKIPPED_WORDS}"


def save_live_session(
    store: Any,
    *,
    plan: Any,
    result: dict[str, Any],
    screening_report: dict[str, Any] | None,
    before: dict[str, int],
    console: Console,
    now: Callable[[], datetime],
    read_line: ReadLine = sys.stdin.readline,
    screening_id: str | None = None,
) -> Any:
    """Ask the after-session questions and save it all; returns the session record. The
    screening is recorded from ``screening_report``, or was already (``screening_id``)."""
    from calfcare import services
    from calfcare.core.tracking import SorenessMoment

    spots = ask_tender_spots(console, result, read_line)
    legs = [Leg(calf["leg"]) for calf in result.get("calves", [])]
    after = ask_soreness(console, legs, "now, after the session", read_line)
    ended = now()
    if screening_report is not None:
        screening_id = services.record_screening(store, screening_report, ended).id
    record = services.session_from_result(plan, result, ended, spots, screening_id=screening_id)
    services.save_session(store, record, ended)
    for moment, scores in ((SorenessMoment.BEFORE, before), (SorenessMoment.AFTER, after)):
        if scores:
            services.log_soreness(
                store,
                day=record.day,
                scores=scores,
                moment=moment,
                now=ended,
                session_id=record.id,
            )
    console.print(
        f"[green]Saved[/green] the session ({record.id[:8]}) and your check-in. Tomorrow, "
        "record next-day soreness with [bold]calfcare log soreness --moment next_day[/bold]."
    )
    return record
