"""`calfcare log soreness|mobility|note|session`: record what happened, from the terminal.

Each command validates everything, then saves in one transaction (`calfcare.services`), and
prints the saved ids (or, with ``--json``, the records). A next-day soreness check-in also asks
about new swelling, redness or warmth, screened by the real rules: an urgent result is shown
as the screening shows it, and the check-in is still saved.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import typer

from calfcare.cli.db import db_option, json_option, now, open_cli_store, parse_day
from calfcare.cli.errors import reporting
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    from calfcare.core.followup import FollowUpAnswers

log_app = typer.Typer(
    help="Record soreness, knee-to-wall tests, notes and sessions done without the coach.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

SIGN_CHOICES = ("no", "left", "right", "both", "unsure")
SIGN_HELP = "New since the session, without an injury: no, left, right, both or unsure."
PE_CHOICES = ("no", "yes", "unsure")
PE_HELP = (
    "Next day (required there): sudden breathlessness, chest pain worse on breathing in, "
    "coughing up blood or fainting? no, yes or unsure."
)


def register(app: typer.Typer) -> None:
    app.add_typer(log_app, name="log")


@log_app.command("soreness")
def soreness(
    moment: str = typer.Option(
        ..., "--moment", help="before or after the session, or next_day (the day after it)."
    ),
    left: int | None = typer.Option(None, "--left", help="Left calf soreness, 0 (none) to 10."),
    right: int | None = typer.Option(None, "--right", help="Right calf soreness, 0 to 10."),
    day: str | None = typer.Option(
        None, "--day", help="The session's day (YYYY-MM-DD, today, yesterday); default today."
    ),
    session: str | None = typer.Option(None, "--session", help="The session id it belongs to."),
    swelling: str | None = typer.Option(None, "--swelling", help=SIGN_HELP),
    redness: str | None = typer.Option(None, "--redness", help=SIGN_HELP),
    warmth: str | None = typer.Option(None, "--warmth", help=SIGN_HELP),
    pe_signs: str | None = typer.Option(None, "--pe-signs", help=PE_HELP),
    no_new_signs: bool = typer.Option(
        False,
        "--no-new-signs",
        help="Next day: no new swelling, redness or warmth in either calf, and no "
        "breathlessness or chest pain (answers no to all four questions).",
    ),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Record calf soreness, 0 (none) to 10 (worst imaginable), for one or both calves.

    A next_day check-in is filed under the session's day (default: yesterday) and asks
    about new swelling, redness or warmth in a calf (a yes or unsure means get medical
    attention today) and about breathlessness or chest pain (--pe-signs; a yes or unsure
    means call the emergency number now), exactly as the screening says.
    """
    from calfcare import services
    from calfcare.core.record_views import SORENESS_WORDS

    with reporting(json_output=json_output):
        moment = moment.replace("-", "_")
        next_day = moment == "next_day"
        the_day = parse_day(day if day is not None or not next_day else "yesterday")
        scores = {k: v for k, v in (("left", left), ("right", right)) if v is not None}
        followup = None
        problems: list[Problem] = []
        if next_day:
            try:
                followup = _followup(swelling, redness, warmth, pe_signs, no_new_signs)
            except InvalidInput as error:
                problems += error.problems
        try:
            services.soreness_records(
                day=the_day, scores=scores, moment=moment, now=now(), session_id=session
            )
        except InvalidInput as error:
            problems = error.problems + problems
        if problems:
            raise InvalidInput(problems, "The check-in is not valid; nothing was saved.")
        with open_cli_store(db) as store:
            result = services.log_soreness(
                store,
                day=the_day,
                scores=scores,
                moment=moment,
                now=now(),
                session_id=session,
                followup=followup,
            )
        if json_output:
            print(json.dumps({"saved": [_soreness_json(i) for i in result.items],
                              "followup": result.followup}, indent=2))  # fmt: skip
        else:
            for item in result.items:
                r = item.record
                when = SORENESS_WORDS[r.moment]
                print(f"saved {item.id}: {r.leg.value} calf {r.score}/10 {when} ({r.day})")
        if result.followup is not None:
            _show_followup(result.followup, json_output)


@log_app.command("mobility")
def mobility(
    left: float | None = typer.Option(None, "--left", help="Left leg: big toe to wall, cm."),
    right: float | None = typer.Option(None, "--right", help="Right leg: big toe to wall, cm."),
    moment: str = typer.Option(
        "other", "--moment", help="before or after a session, or other (default)."
    ),
    day: str | None = typer.Option(None, "--day", help="YYYY-MM-DD, today or yesterday."),
    session: str | None = typer.Option(None, "--session", help="The session id it belongs to."),
    how: bool = typer.Option(False, "--how", help="Show how to do the knee-to-wall test."),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Record a knee-to-wall (weight-bearing lunge) test: the greatest big-toe-to-wall
    distance, in cm to 0.1 cm, with the heel down and the knee just touching the wall.

    Run with --how for step-by-step instructions.
    """
    from calfcare import services

    with reporting(json_output=json_output):
        if how:
            print(knee_to_wall_instructions())
            return
        distances = {k: v for k, v in (("left", left), ("right", right)) if v is not None}
        the_day = parse_day(day)
        with open_cli_store(db) as store:
            items = services.log_mobility(
                store, day=the_day, distances=distances, moment=moment, now=now(),
                session_id=session,
            )  # fmt: skip
        if json_output:
            print(json.dumps({"saved": [_mobility_json(i) for i in items]}, indent=2))
        else:
            for item in items:
                r = item.record
                print(f"saved {item.id}: {r.leg.value} leg {r.distance_cm:.1f} cm ({r.day})")


@log_app.command("note")
def note(
    text: str = typer.Argument(..., help="The note, e.g. 'ran 10 km' or 'new shoes'."),
    day: str | None = typer.Option(None, "--day", help="YYYY-MM-DD, today or yesterday."),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Record a free note for a day."""
    from calfcare import services

    with reporting(json_output=json_output):
        the_day = parse_day(day)
        with open_cli_store(db) as store:
            saved = services.add_note(store, day=the_day, text=text, now=now())
        if json_output:
            print(json.dumps({"saved": {"id": saved.id, "day": saved.day.isoformat()}}))
        else:
            print(f"saved {saved.id}: note for {saved.day}")


@log_app.command("session")
def session_command(
    tool: str = typer.Option(..., "--tool", help="foam-roller, ball or hands."),
    legs: str = typer.Option("left,right", "--legs", help="The calves massaged: left,right."),
    seconds: float = typer.Option(150, "--seconds", help="Seconds per calf (at most 180)."),
    tender: list[str] = typer.Option(  # noqa: B008 (Typer's way of declaring options)
        [], "--tender", help="A tender spot as leg:height:side, e.g. left:middle:inner; repeat."
    ),
    day: str | None = typer.Option(None, "--day", help="YYYY-MM-DD, today or yesterday."),
    db: str | None = db_option(),
    json_output: bool = json_option(),
) -> None:
    """Record a session done without the coach (sessions run by the coach are saved by it).

    Tender spots: height lower, middle or upper calf; side inner or outer.
    """
    from calfcare import services

    with reporting(json_output=json_output):
        the_day = parse_day(day)
        with open_cli_store(db) as store:
            saved = services.log_session(
                store, day=the_day, tool=tool, legs=[x.strip() for x in legs.split(",") if x],
                seconds_per_calf=seconds, now=now(), tender_spots=tender,
            )  # fmt: skip
        if json_output:
            print(json.dumps({"saved": {"id": saved.id, "day": saved.day.isoformat()}}))
        else:
            calves = ", ".join(c.leg.value for c in saved.calves)
            print(f"saved {saved.id}: {saved.tool.value} session on {saved.day} ({calves})")


def knee_to_wall_instructions() -> str:
    """The guide's steps, numbered (content/data/mobility.toml, sourced)."""
    from calfcare.content.mobility import load_mobility

    guide = load_mobility()
    lines = [f"{guide.title}: {guide.subtitle}"]
    lines += [f"  {i}. {step.text}" for i, step in enumerate(guide.step, start=1)]
    lines += [f"  Note: {n.text}" for n in guide.note]
    return "\n".join(lines)


def _followup(
    swelling: str | None,
    redness: str | None,
    warmth: str | None,
    pe_signs: str | None,
    none: bool,
) -> FollowUpAnswers:
    """The follow-up from the options, or asked on the terminal, or an error naming them."""
    from calfcare.core.followup import SIGNS, FollowUpAnswers, followup_answers

    given = {"swelling": swelling, "redness": redness, "warmth": warmth}
    if none and any(v is not None for v in (*given.values(), pe_signs)):
        raise InvalidInput(
            [Problem("--no-new-signs", "give either --no-new-signs or the signs, not both")]
        )
    if none:
        return FollowUpAnswers.none()
    if pe_signs is None and sys.stdin.isatty():
        pe_signs = _ask_pe_signs()
    if any(v is None for v in given.values()) and sys.stdin.isatty():
        given = {k: v or _ask_sign(k) for k, v in given.items()}
    problems = []
    pe_value = (pe_signs or "").strip().lower()
    if pe_value not in PE_CHOICES:
        shown = "missing" if not pe_value else f"{pe_value!r} is not allowed"
        problems.append(
            Problem(
                "--pe-signs",
                f"{shown}; a next-day check-in asks about sudden breathlessness, chest pain, "
                f"coughing up blood or fainting: {', '.join(PE_CHOICES)} (or --no-new-signs)",
            )
        )
    sections: dict[str, dict[str, Any]] = {"left": {}, "right": {}}
    for sign in SIGNS:
        value = (given[sign] or "").strip().lower()
        if value not in SIGN_CHOICES:
            shown = "missing" if not value else f"{value!r} is not allowed"
            problems.append(
                Problem(
                    f"--{sign}",
                    f"{shown}; a next-day check-in asks about new {sign}: "
                    f"{', '.join(SIGN_CHOICES)} (or --no-new-signs)",
                )
            )
            continue
        for leg in ("left", "right"):
            sections[leg][sign] = "unsure" if value == "unsure" else value in (leg, "both")
    if problems:
        raise InvalidInput(problems, "The next-day check-in needs the follow-up questions.")
    pe: object = "unsure" if pe_value == "unsure" else pe_value == "yes"
    return followup_answers({**sections, "pe_signs": pe})


def _ask_pe_signs() -> str:
    from calfcare.content.screening import load_screening_text

    question = load_screening_text().question("general", "pe_signs").question
    print(f"{question} [{'/'.join(PE_CHOICES)}] ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def _ask_sign(sign: str) -> str:
    print(
        f"Since the session, any new {sign} in a calf that an injury does not explain? "
        f"[{'/'.join(SIGN_CHOICES)}] ",
        end="",
        file=sys.stderr,
        flush=True,
    )
    return sys.stdin.readline().strip()


def _show_followup(report: dict[str, Any], json_output: bool) -> None:
    from calfcare.core.levels import Level

    if Level(report["verdict"]) >= Level.URGENT:
        print(f"calfcare: {report['headline']}: {report['advice']}", file=sys.stderr)
        if not json_output:
            from calfcare.cli.verdict_text import show_verdict

            show_verdict(report)
    elif not json_output:
        print(
            "follow-up: no new swelling, redness or warmth reported, "
            "and no breathlessness or chest pain."
        )


def _soreness_json(item: Any) -> dict[str, Any]:
    r = item.record
    return {"id": item.id, "day": r.day.isoformat(), "leg": r.leg.value,
            "moment": r.moment.value, "score": r.score, "session_id": r.session_id}  # fmt: skip


def _mobility_json(item: Any) -> dict[str, Any]:
    r = item.record
    return {"id": item.id, "day": r.day.isoformat(), "leg": r.leg.value,
            "moment": r.moment.value, "distance_cm": r.distance_cm}  # fmt: skip
