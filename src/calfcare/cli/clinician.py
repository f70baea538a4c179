"""`calfcare clinician`: what a clinic needs from a terminal (issue 16).

    calfcare clinician people --login NAME            the list, red flags first
    calfcare clinician invite --login NAME [--base-url URL]
    calfcare clinician export --login NAME --person LOGIN [--format json|csv|fhir] [-o FILE]
    calfcare clinician revoke --login NAME (--person LOGIN | --code CODE | --invitations)
    calfcare clinician refresh                       every list line, ahead (nightly cron)

Whoever runs it already holds the database, so ``--login`` names the clinician's account
without a password (as `calfcare admin` does); every command still checks that it is a
clinician's account and, for a person, that the person shares with it now (exit 4 when not).
An export is recorded in the person's audit log. The services (and segno) are imported only
when a command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import named_as, reporting
from calfcare.cli.inputs import write_output
from calfcare.core.errors import InvalidInput, Problem

clinician_app = typer.Typer(
    help="A clinician's people: list, invite, export, revoke; refresh every list's lines.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
NAMES = {"login": "--login", "person": "--person", "code": "--code", "format": "--format"}
LOGIN_HELP = "The clinician's login name."


def register(app: typer.Typer) -> None:
    app.add_typer(clinician_app, name="clinician")


@clinician_app.command("people")
def people(
    login: str = cli_db.login_option(LOGIN_HELP),
    db: str | None = cli_db.db_option(),
) -> None:
    """The people who share with you, red flags first."""
    from calfcare import services
    from calfcare.services import background
    from calfcare.services.clinic import account_named

    with reporting(), named_as(NAMES), cli_db.open_cli_store(db) as store:
        clinician = account_named(store, login)
        lines = services.clinician_list(store, clinician, cli_db.now())
        background.wait_idle()  # the stale lines it found, worked out before the store closes
    if not lines:
        print("Nobody shares their records with you yet: `calfcare clinician invite`.")
    for line in lines:
        print(line.name)
        for words in line.flag_words:
            print(f"  RED FLAG: {words}")
        if line.week is not None:
            print(f"  {line.week.words}")
        elif not line.prescribed:
            print("  No routine prescribed now.")
        if line.pending:
            print("  Trends: being worked out; run it again in a moment.")
        elif line.as_of is not None:
            print(f"  Trends as of {line.as_of:%d %b} (being brought up to date):")
        for headline in line.trends:
            print(f"  {headline}")
        if line.split_leg:
            print(f"  Split-leg: {line.split_leg}")


@clinician_app.command("invite")
def invite(
    login: str = cli_db.login_option(LOGIN_HELP),
    base_url: str = typer.Option("", "--base-url", help="The server's address, for the link."),
    db: str | None = cli_db.db_option(),
) -> None:
    """A new invitation: a short code and a link for the person (shown once)."""
    from calfcare import services
    from calfcare.services.clinic import account_named

    with reporting(), named_as(NAMES), cli_db.open_cli_store(db) as store:
        made = services.invite(store, account_named(store, login), cli_db.now())
    print(f"Invitation code: {made.code}")
    print(f"Link: {base_url.rstrip('/')}{made.link_path}")
    print(f"It can be accepted once, until {made.expires_at:%Y-%m-%d %H:%M} UTC.")


@clinician_app.command("export")
def export(
    login: str = cli_db.login_option(LOGIN_HELP),
    person: str = typer.Option(..., "--person", help="The person's login name."),
    fmt: str = typer.Option("json", "--format", help="json, csv or fhir (FHIR R4)."),
    output: str = typer.Option("-", "--output", "-o", metavar="FILE", help="'-' is stdout."),
    db: str | None = cli_db.db_option(),
) -> None:
    """Export a person's records (only while they share with you; recorded in their log)."""
    from calfcare import services
    from calfcare.services.clinic import account_named

    with reporting(), named_as(NAMES):
        if fmt not in services.EXPORT_FORMATS:
            raise InvalidInput([Problem("format", f"{fmt!r}: use json, csv or fhir")])
        with cli_db.open_cli_store(db) as store:
            clinician = account_named(store, login)
            whose = account_named(store, person, "person")
            opened = services.open_person(store, clinician, whose.person_id, "export", cli_db.now())
            text = services.export_text(services.load_records(opened), fmt)
        if output == "-":
            sys.stdout.write(text)
        else:
            write_output(Path(output), text.encode("utf-8"))
            print(f"exported {whose.login}'s records to {output}", file=sys.stderr)


@clinician_app.command("revoke")
def revoke(
    login: str = cli_db.login_option(LOGIN_HELP),
    person: str | None = typer.Option(None, "--person", help="Stop sharing with this person."),
    code: str | None = typer.Option(None, "--code", help="Revoke this open invitation."),
    invitations: bool = typer.Option(False, "--invitations", help="Revoke every open one."),
    db: str | None = cli_db.db_option(),
) -> None:
    """Stop a share, or revoke an invitation (or all open ones)."""
    from calfcare import services
    from calfcare.services.clinic import account_named

    with reporting(), named_as(NAMES):
        if sum((person is not None, code is not None, invitations)) != 1:
            raise InvalidInput(
                [Problem("person", "Give one of --person, --code or --invitations.")]
            )
        with cli_db.open_cli_store(db) as store:
            clinician = account_named(store, login)
            pid = None if person is None else account_named(store, person, "person").person_id
            stopped = services.clinician_revoke(
                store, clinician, cli_db.now(), person_id=pid, code=code
            )
    what = "share" if person is not None else "invitation"
    print(f"Stopped {stopped} {what}{'' if stopped == 1 else 's'}.")


@clinician_app.command("refresh")
def refresh(db: str | None = cli_db.db_option()) -> None:
    """Work out every sharing person's list line for today and the week ahead (run nightly,
    e.g. from cron: lists then never find them all out of date at once)."""
    from calfcare.services.person_lines import refresh_all

    with reporting(), cli_db.open_cli_store(db) as store:
        count = refresh_all(store, cli_db.now())
    print(f"Worked out {count} {'line' if count == 1 else 'lines'}.")
