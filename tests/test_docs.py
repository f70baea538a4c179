"""Docs that tests keep true: every setting, command and exit status is documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from calfcare.cli import app
from calfcare.cli import errors as cli_errors
from calfcare.settings import SETTING_NAMES, Settings

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text()
    assert set(SETTING_NAMES) == set(Settings.__dataclass_fields__)
    for name in SETTING_NAMES:
        assert f"`{name}`" in text, name
        assert f"CALFCARE_{name.upper()}" in text, name


COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_and_has_help(name: str) -> None:
    command = typer.main.get_command(app).commands[name]  # type: ignore[attr-defined]
    assert command.help, f"{name} has no help text"
    assert re.search(rf"`calfcare {name}\b", (DOCS / "cli.md").read_text()), name


def test_every_exit_status_is_documented() -> None:
    table = (DOCS / "cli.md").read_text()
    codes = {v for k, v in vars(cli_errors).items() if k.startswith("EXIT_") and isinstance(v, int)}
    for code in codes:
        assert re.search(rf"^\| {code} \|", table, re.M), code
