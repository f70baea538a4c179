"""What `calfcare plan` and the live coach ask of today's recorded safety state (issue 11).

The rules are pure (`calfcare.core.safe_plan`); here the state is read, the sharp-pain check
is asked, and a refusal gets the commands that change it:

- a hold, or a clearance not yet followed by a new screening: exit 3, the advice first and
  what lifts it (with ``--json``, the routine contract's exit-3 object plus ``blocked_by``
  and ``safety``);
- a calf whose last session stopped for sharp pain: in a terminal the person is asked
  whether the pain has gone or been checked, with the session's advice repeated; yes is
  recorded (as `calfcare safety pain-checked`) and the calf is planned. Without a terminal
  (or with ``--json``) nobody can be asked, so the calf is left out with a note naming
  `calfcare safety pain-checked --leg L`; no calf left is exit 3.

Reading the state never creates a database: with no database file yet, nothing is recorded
and the state is that of no records (both calves, any intensity).
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from calfcare.cli.prompt import ReadLine
from calfcare.core.levels import Leg

if TYPE_CHECKING:
    from calfcare.core.routine import Plan, PlanOptions
    from calfcare.core.safe_plan import SafetyBlocked
    from calfcare.core.safety_state import SafetyState

YES = {"y", "yes"}


def current_state(db: str | None) -> SafetyState:
    """Today's safety state in the database named by ``--db`` (or the settings)."""
    from calfcare.cli.db import now, open_cli_store
    from calfcare.core.records import RecordSet
    from calfcare.services import safety as safety_services
    from calfcare.settings import load_settings

    settings = load_settings(database_url=db)
    if not settings.database_url and not (settings.data_dir / "calfcare.sqlite3").exists():
        return safety_services.state_of(RecordSet(), now())
    with open_cli_store(db) as store:
        return safety_services.safety_state(store, now())


def interactive() -> bool:
    """Whether a person is there to answer (standard input and output are terminals)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def ask_pain_checks(
    state: SafetyState,
    legs: Collection[Leg],
    *,
    db: str | None,
    save: bool = True,
    console: Any = None,
    read_line: ReadLine | None = None,
) -> list[Leg]:
    """Ask about each calf in ``legs`` whose sharp-pain check is pending, repeating the
    session's advice; the calves the person says yes for (recorded, unless ``save`` is off).
    The question is asked with `calfcare.cli.prompt.ask`; the end of input is a no."""
    from rich.text import Text

    from calfcare.cli.console import Console
    from calfcare.cli.prompt import ask
    from calfcare.core.safe_plan import pending_pain_checks

    out = console or Console(highlight=False, soft_wrap=True)

    def say(line: str) -> None:
        out.print(Text(line))

    confirmed: list[Leg] = []
    for leg in pending_pain_checks(state, legs):
        check = state.legs[leg].pain_check
        assert check is not None
        say("")
        say(check.question)
        say(check.advice)
        reply = ask(out, "Has the pain gone, or been checked? [y/N] ", read_line)
        if reply not in YES:
            say(f"Your {leg.value} calf is left out today.")
            continue
        if save:
            _record_pain_check(db, leg)
            say(f"Recorded: the sharp pain in your {leg.value} calf has gone or been checked.")
        confirmed.append(leg)
    return confirmed


def _record_pain_check(db: str | None, leg: Leg) -> None:
    from calfcare.cli.db import now, open_cli_store
    from calfcare.services import safety as safety_services

    with open_cli_store(db) as store:
        safety_services.confirm_pain_checked(store, leg=leg.value, now=now())


def pain_check_hints(
    state: SafetyState, legs: Collection[Leg], confirmed: Collection[Leg]
) -> list[str]:
    """For each calf left out for a pending pain check: the command that says it is fine."""
    from calfcare.core.safe_plan import pending_pain_checks

    return [
        f"When the sharp pain in your {leg.value} calf has gone or been checked, say so: "
        f"calfcare safety pain-checked --leg {leg.value}"
        for leg in pending_pain_checks(state, legs)
        if leg not in confirmed
    ]


def told_for_cli(error: SafetyBlocked, hints: Collection[str] = ()) -> SafetyBlocked:
    """The block with the commands that change it, for a person at the command line."""
    from calfcare.core.safe_plan import HOLD, NEEDS_SCREENING

    lines = [error.message]
    if error.blocked_by == HOLD:
        lines.append(
            "When a clinician has ruled out a clot: "
            "calfcare safety clear --clinician-ruled-out-clot --day YYYY-MM-DD, "
            "then a new safety check (calfcare screen)."
        )
    elif error.blocked_by == NEEDS_SCREENING:
        lines.append("Do it with: calfcare screen")
    lines += hints
    return error.with_message("\n".join(lines))


def coach_gate(
    report: dict[str, Any], *, db: str | None, save: bool
) -> tuple[SafetyState, str | None]:
    """The live coach, once its screening is done: record it (unless ``save`` is off) and
    read the state it leaves (a new urgent verdict starts a hold now: `SafetyBlocked`, with
    the commands). The state and the recorded screening's id."""
    from calfcare.core.safe_plan import SafetyBlocked, check_not_held

    screening_id = None
    if save:
        from calfcare import services
        from calfcare.cli.db import now, open_cli_store

        with open_cli_store(db) as store:
            screening_id = services.record_screening(store, report, now()).id
    state = current_state(db)
    try:
        check_not_held(state)
    except SafetyBlocked as error:
        raise told_for_cli(error) from None
    return state, screening_id


def refuse_during_hold(db: str | None) -> None:
    """Exit 3 (`SafetyBlocked`, with the commands) when a hold on massage is on."""
    from calfcare.core.safe_plan import HOLD, SafetyBlocked, check_not_held

    try:
        check_not_held(current_state(db))
    except SafetyBlocked as error:
        if error.blocked_by == HOLD:
            raise told_for_cli(error) from None


def plan_under_state(
    made: PlanOptions | Plan, state: SafetyState, confirmed: Collection[Leg]
) -> tuple[Any, list[str]]:
    """Options, or a plan from a file, under ``state`` (`calfcare.core.safe_plan`): the same
    kind back, with the notes and a hint naming `calfcare safety pain-checked` for each calf
    left out for it."""
    from calfcare.content.safety import load_safety_wording
    from calfcare.core.routine import Plan
    from calfcare.core.safe_plan import SafetyBlocked, options_under_safety, plan_under_safety

    wording = load_safety_wording()
    legs = [c.leg for c in made.calves] if isinstance(made, Plan) else list(made.legs)
    hints = pain_check_hints(state, legs, confirmed)
    try:
        if isinstance(made, Plan):
            return_plan, notes = plan_under_safety(made, state, wording, confirmed=confirmed)
            return return_plan, [*notes, *hints]
        options, notes = options_under_safety(made, state, wording, confirmed=confirmed)
    except SafetyBlocked as error:
        raise told_for_cli(error, hints) from None
    return options, [*notes, *hints]
