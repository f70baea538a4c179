"""`calfcare admin`: an account made and its password reset from the command line (prompted
twice, or from standard input), bad input named as the option with exit 2."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from typer.testing import CliRunner

from calfcare.cli import app
from calfcare.services import accounts
from calfcare.storage import open_store

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def _run(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    done = CliRunner().invoke(
        app, ["admin", *args], input=stdin, env={"CALFCARE_DATA_DIR": str(tmp_path)}
    )
    return done.exit_code, done.stdout, done.stderr


def _signs_in(tmp_path: Path, login: str, password: str) -> bool:
    store = open_store(f"sqlite:///{tmp_path / 'calfcare.sqlite3'}")
    try:
        accounts.sign_in(store, login, password, "127.0.0.1", NOW)
        return True
    except accounts.SignInRefused:
        return False
    finally:
        store.close()


def test_create_an_account_then_reset_its_password(tmp_path: Path) -> None:
    code, out, _ = _run(
        tmp_path, "create-account", "--login", "Dr.Who", "--role", "clinician",
        stdin="a long password 1\na long password 1\n",
    )  # fmt: skip
    assert code == 0 and "clinician account dr.who" in out
    assert _signs_in(tmp_path, "dr.who", "a long password 1")
    code, out, _ = _run(
        tmp_path, "reset-password", "--login", "dr.who", "--password-stdin",
        stdin="another password 2\n",
    )  # fmt: skip
    assert code == 0 and "dr.who" in out
    assert not _signs_in(tmp_path, "dr.who", "a long password 1")
    assert _signs_in(tmp_path, "dr.who", "another password 2")


def test_bad_input_is_exit_2_naming_the_option(tmp_path: Path) -> None:
    ok = "a long password 1\n"
    cases = [
        (["create-account", "--login", "x", "--password-stdin"], ok, "--login"),
        (["create-account", "--login", "jo.smith", "--role", "boss", "--password-stdin"], ok,
         "--role"),
        (["create-account", "--login", "jo.smith", "--password-stdin"], "short\n", "password"),
        (["create-account", "--login", "jo.smith"], "a long password 1\ndifferent one 22\n",
         "differ"),
        (["reset-password", "--login", "nobody", "--password-stdin"], ok, "no account"),
    ]  # fmt: skip
    for args, stdin, named in cases:
        code, _, err = _run(tmp_path, *args, stdin=stdin)
        assert code == 2, (args, err)
        assert named in err and "Traceback" not in err, (args, err)
    code, _, _ = _run(tmp_path, "create-account", "--login", "jo.smith", "--password-stdin",
                      stdin=ok)  # fmt: skip
    assert code == 0
    code, _, err = _run(tmp_path, "create-account", "--login", "JO.SMITH", "--password-stdin",
                        stdin=ok)  # fmt: skip
    assert code == 2 and "taken" in err
