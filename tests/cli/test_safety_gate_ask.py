"""`ask_pain_checks` asks through the one prompt helper (`calfcare.cli.prompt.ask`): the
question shown as written (its ``[y/N]`` not eaten as Rich markup), on the line where the
answer is typed; only yes confirms a calf, and the end of input is a no."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from types import MappingProxyType

import pytest

from calfcare.cli.console import Console
from calfcare.cli.safety_gate import ask_pain_checks
from calfcare.core.levels import Leg
from calfcare.core.safety_state import LegSafety, PainCheckDue, SafetyState

DAY = date(2026, 12, 3)
QUESTION = "Has the pain gone, or been checked? [y/N] "


def state_with_pain_checks(*legs: Leg) -> SafetyState:
    def leg_safety(leg: Leg) -> LegSafety:
        pain = None
        if leg in legs:
            pain = PainCheckDue(
                leg, DAY, "s1", f"[bold]Sharp pain[/bold] in your {leg} calf?", "Seek advice.", ()
            )
        return LegSafety(True, True, pain)

    return SafetyState(
        day=DAY,
        screening_id=None,
        legs=MappingProxyType({leg: leg_safety(leg) for leg in Leg}),
        hold=None,
        needs_screening=None,
    )


def lines(*replies: str) -> Iterator[str]:
    yield from replies
    while True:
        yield ""  # the end of input


def ask(state: SafetyState, *replies: str) -> tuple[list[Leg], str]:
    out = io.StringIO()
    console = Console(file=out, highlight=False, soft_wrap=True, force_terminal=False)
    answers = lines(*replies)
    confirmed = ask_pain_checks(
        state, list(Leg), db=None, save=False, console=console, read_line=lambda: next(answers)
    )
    return confirmed, out.getvalue()


@pytest.mark.parametrize(
    ("replies", "confirmed"),
    [
        (("y\n", "n\n"), [Leg.LEFT]),
        (("YES\n", "yes\n"), [Leg.LEFT, Leg.RIGHT]),
        (("n\n", "Y\n"), [Leg.RIGHT]),
        (("maybe\n", ""), []),
        ((), []),
    ],
)
def test_only_yes_confirms_a_calf(replies: tuple[str, ...], confirmed: list[Leg]) -> None:
    got, shown = ask(state_with_pain_checks(Leg.LEFT, Leg.RIGHT), *replies)
    assert got == confirmed
    for leg in Leg:
        left_out = f"Your {leg} calf is left out today."
        assert (left_out in shown) is (leg not in confirmed)


def test_the_question_is_shown_as_written_on_the_answer_line() -> None:
    _, shown = ask(state_with_pain_checks(Leg.RIGHT), "n\n")
    assert "[bold]Sharp pain[/bold] in your right calf?\nSeek advice.\n" in shown
    assert f"\n{QUESTION}Your right calf is left out today.\n" in shown, shown


def test_the_end_of_input_ends_the_question_line() -> None:
    _, shown = ask(state_with_pain_checks(Leg.LEFT))
    assert f"{QUESTION}\nYour left calf is left out today.\n" in shown, shown


def test_a_calf_without_a_pending_check_is_not_asked_about() -> None:
    confirmed, shown = ask(state_with_pain_checks(Leg.LEFT), "y\n")
    assert confirmed == [Leg.LEFT]
    assert shown.count(QUESTION) == 1
    assert "right calf" not in shown
