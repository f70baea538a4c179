"""`calfcare screen`: the safety screening, interactive or from an answers file.

Every completed screening is recorded (it governs today's plans and sessions: `calfcare
safety`), unless ``--no-save``. Typer is imported only inside `register`: `calfcare.launcher`
runs `run_screen` for `screen --answers FILE --no-save [--json]` without the CLI framework
(docs/cli.md, "Start-up"), and the Typer command below calls the very same function, so both
say exactly the same thing.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from calfcare.cli.errors import report_error
from calfcare.core.answers import Answer
from calfcare.core.errors import InvalidInput, Problem

if TYPE_CHECKING:
    import typer

    from calfcare.services.safety import AfterScreening

ANSWER_WORDS: dict[str, Answer] = {
    "y": True,
    "yes": True,
    "n": False,
    "no": False,
    "u": "unsure",
    "unsure": "unsure",
    "not sure": "unsure",
    "dont know": "unsure",
    "don't know": "unsure",
}


def register(app: typer.Typer) -> None:
    import typer

    from calfcare.cli import db as cli_db

    def screen(
        answers: str | None = typer.Option(
            None,
            "--answers",
            metavar="FILE",
            help="Screening answers as JSON (screening contract v1); '-' reads standard input. "
            "Without it, the questions are asked one at a time.",
        ),
        json_output: bool = cli_db.json_option(),
        no_save: bool = typer.Option(
            False, "--no-save", help="Do not record this screening (it then governs nothing)."
        ),
        db: str | None = cli_db.db_option("Database URL (default: the settings')."),
    ) -> None:
        """Check for reasons not to massage your calves (above all, a possible blood clot).

        The result is recorded and governs today's plans and sessions (calfcare safety),
        unless --no-save. Exit status 0 whenever a verdict was given, whatever it is; 2 for
        bad input.
        """
        status = run_screen(answers, json_output=json_output, save=not no_save, db=db)
        if status:
            raise typer.Exit(status)

    app.command(name="screen")(screen)


def run_screen(
    answers_source: str | None, *, json_output: bool, save: bool = False, db: str | None = None
) -> int:
    """The whole command: screen, record it (``save``), print the verdict (or the error),
    return the exit status.

    Without Typer, for `calfcare.launcher`'s fast path (``--no-save`` only); errors go
    through `report_error`, as `cli.errors.reporting` sends them for every other command.
    """
    try:
        report, questionnaire = screen_report(answers_source)
        unsaved: Exception | None = None
        state = None
        if save:
            try:
                screening_id, state = _record(report, db)
                report = {**report, "screening_id": screening_id}
            except Exception as error:  # the verdict is shown all the same, then the error
                unsaved = error
        if json_output:
            print(json.dumps(report, indent=2))
        else:
            from calfcare.cli.verdict_text import show_verdict, state_lines

            show_verdict(*shown_report(report, questionnaire))
            if state is not None:  # what governs next: a hold outlives a check like this one
                lines = state_lines(state, report["verdict"])
                if lines:
                    print("\n".join(lines))
        if unsaved is not None:
            raise unsaved
    except (Exception, KeyboardInterrupt) as error:
        status = report_error(error, json_output=json_output)
        if status is None:
            raise
        return status
    return 0


def _record(report: dict[str, Any], db: str | None) -> tuple[str, AfterScreening]:
    """Keep the screening (`calfcare.services.record_screening`); its id, and what is in
    force after it (a hold it started or one still on, a sharp-pain stop to answer)."""
    from calfcare import services
    from calfcare.cli.db import now, open_cli_store
    from calfcare.services.safety import after_screening

    with open_cli_store(db) as store:
        moment = now()
        record = services.record_screening(store, report, moment)
        return record.id, after_screening(store, moment)


def screen_report(answers_source: str | None) -> tuple[dict[str, Any], Any]:
    """Run the screening from a file or interactively; return the contract report and, when
    the questions were asked here, the `Questionnaire` (None for a file)."""
    from calfcare.content.screening_wording import load_screening_wording
    from calfcare.core.answers import parse_answers
    from calfcare.core.report import screening_report
    from calfcare.core.screening import screen as run_screening

    text = load_screening_wording()
    if answers_source is not None:
        from calfcare.cli.inputs import read_json

        parsed = parse_answers(read_json(answers_source, "--answers"))
        questionnaire = None
    else:
        questionnaire = ask_interactively(text)
        parsed = questionnaire.answers()
    return screening_report(run_screening(parsed), text), questionnaire


def shown_report(report: dict[str, Any], questionnaire: Any) -> tuple[dict[str, Any], bool]:
    """The report as the person sees it, and whether to say the advice again last: after an
    emergency stop, only the findings of the questions asked (`Questionnaire.shown_findings`,
    as the web shows them), and the number to call both first and last, so it is on the
    screen when the command ends. The verdict is the same; ``--json`` prints it whole."""
    if questionnaire is None or not questionnaire.stopped_for_emergency():
        return report, False
    return {**report, "findings": questionnaire.shown_findings(report["findings"])}, True


def ask_interactively(text: Any) -> Any:
    """One plain-language question at a time on the terminal ('?' shows why we ask); returns
    the `Questionnaire` (its ``answers()`` are the contract answers)."""
    from calfcare.cli.console import Console
    from calfcare.core.levels import Leg
    from calfcare.core.questionnaire import Questionnaire

    console = Console(stderr=True, highlight=False)
    console.print(
        "[bold]calfcare safety check[/bold]: a few questions before you massage your calves.\n"
        "Answer [bold]y[/bold] (yes), [bold]n[/bold] (no) or [bold]u[/bold] (unsure — counted "
        "as yes, to be safe). Type [bold]?[/bold] to see why we ask.\n"
    )
    legs = _ask_legs(console)
    questionnaire = Questionnaire(legs=tuple(Leg(leg) for leg in legs))
    current_scope = ""
    while (ref := questionnaire.next_question()) is not None:
        if ref.scope != current_scope:
            current_scope = ref.scope
            heading = "About you" if ref.scope == "general" else f"Your {ref.scope} calf"
            console.rule(heading)
        question = text.question("general" if ref.scope == "general" else "leg", ref.id)
        wording = question.question.replace("{calf}", f"{ref.scope} calf")
        questionnaire.answer(ref, _ask_one(console, wording, question.why))
    if questionnaire.stopped_for_emergency():
        console.print("[bold red]Stop here: this is an emergency.[/bold red]")
    return questionnaire


def _read_line(console: Any, prompt: str) -> str:
    from calfcare.cli.prompt import ask

    line = ask(console, prompt)
    if line is None:
        raise InvalidInput(
            [Problem("answers", "the questions ended before every one was answered")],
            "Screening stopped early: no verdict was given. Run `calfcare screen` again.",
        )
    return line


def _ask_legs(console: Any) -> list[str]:
    while True:
        reply = _read_line(
            console, "Which calves do you want to massage? [b]oth, [l]eft, [r]ight: "
        )
        choice = {
            "b": ["left", "right"],
            "both": ["left", "right"],
            "": ["left", "right"],
            "l": ["left"],
            "left": ["left"],
            "r": ["right"],
            "right": ["right"],
        }
        if reply in choice:
            return choice[reply]
        console.print("  Please type b, l or r.")


def _ask_one(console: Any, question: str, why: str) -> Answer:
    while True:
        reply = _read_line(console, f"{question} [y/n/u/?] ")
        if reply in ANSWER_WORDS:
            return ANSWER_WORDS[reply]
        if reply in ("?", "why", "h", "help"):
            from rich.text import Text

            console.print(Text.assemble(("  Why we ask: ", "cyan"), why))
            continue
        console.print("  Please answer y (yes), n (no) or u (unsure), or ? to see why we ask.")
