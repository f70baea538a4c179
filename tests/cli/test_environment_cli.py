"""Issue 13: problems of the computer, not of calfcare, get clear words and documented exit
statuses (docs/cli.md), never "internal error ... This is a bug": an ``--output`` folder that
is missing or not a folder, an impossible ``--db`` path, a bad ``CALFCARE_PORT``, any other
refusal of the operating system, and a standard output whose reader has gone (a closed pipe,
`calfcare stats | head -1`). The read-only file system is in `tests/faults` (it mounts one)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from calfcare.cli.errors import report_error
from tests.conftest import run_cli
from tests.fuzz.test_input_classes import run_into_a_closed_pipe

SCREENING = Path(__file__).parent.parent / "data" / "plans" / "screening_ok_both.json"


def cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    done = run_cli(*args, env={"CALFCARE_DATA_DIR": str(tmp_path / "data"), **(env or {})})
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("command", [["export"], ["report", "--format", "html"]])
def test_an_output_file_that_cannot_be_written_is_exit_2_naming_output(
    tmp_path: Path, command: list[str]
) -> None:
    cli(tmp_path, "log", "note", "kept")
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cases = {
        tmp_path / "missing" / "out.json": "the folder",
        a_file / "out.json": "not a folder",
        tmp_path: "is a folder",
    }
    for target, words in cases.items():
        status, _, err = cli(tmp_path, *command, "--output", str(target))
        assert status == 2, err
        assert "--output" in err and words in err, err
    assert not (tmp_path / "missing").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "data"]  # no leftovers


def test_an_export_is_written_whole_with_an_ordinary_mode(tmp_path: Path) -> None:
    cli(tmp_path, "log", "note", "kept")
    target = tmp_path / "out.json"
    status, _, err = cli(tmp_path, "export", "--output", str(target))
    assert status == 0, err
    assert [n["text"] for n in json.loads(target.read_text())["notes"]] == ["kept"]
    assert target.stat().st_mode & 0o777 == 0o666 & ~_umask()


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize("parent", ["/dev/null", "/proc/no-such-folder"])
def test_an_impossible_db_path_is_exit_1_saying_why(tmp_path: Path, parent: str) -> None:
    status, _, err = cli(tmp_path, "history", "--db", f"sqlite:///{parent}/calfcare.sqlite3")
    assert status == 1
    assert "cannot be used" in err and "folder" in err and parent in err, err


@pytest.mark.parametrize("value", ["abc", "0", "65536", "\uff18\uff10"])  # last: full-width
def test_a_bad_port_setting_is_exit_2_naming_it(tmp_path: Path, value: str) -> None:
    for command in (["serve", "--no-browser"], ["history"]):
        status, _, err = cli(tmp_path, *command, env={"CALFCARE_PORT": value})
        assert status == 2, err
        assert "CALFCARE_PORT" in err and "1 to 65535" in err, err


def test_any_other_refusal_of_the_system_is_said_plainly_not_as_a_bug(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CALFCARE_DEBUG", raising=False)
    error = PermissionError(13, "Permission denied", "/somewhere/file")
    assert report_error(error) == 1
    err = capsys.readouterr().err
    assert err == "calfcare: cannot use /somewhere/file: Permission denied\n"


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["screen", "--answers", "-", "--json"], SCREENING.read_text()),  # the fast path
        (["screen", "--answers", "-"], SCREENING.read_text()),
        (["screen", "--json"], "b\ny\n"),  # interactive: the questions go to stderr
        (["--help"], ""),
        (["history", "--help"], ""),
    ],
)
def test_a_closed_pipe_is_quiet_and_exits_141(tmp_path: Path, args: list[str], stdin: str) -> None:
    done = run_into_a_closed_pipe(args, tmp_path, stdin=stdin)
    assert done.returncode == 141, done.stderr
    for bad in ("Traceback", "Exception ignored", "internal error", "Broken pipe"):
        assert bad not in done.stderr
    if args[0] != "screen" or "--answers" in args:
        assert done.stderr == ""


def test_python_itself_would_have_complained() -> None:
    """The check above means something: without calfcare's handling, Python says
    "Exception ignored ... BrokenPipeError" on a closed pipe."""
    import os
    import subprocess

    read_end, write_end = os.pipe()
    os.close(read_end)
    done = subprocess.run(
        [sys.executable, "-c", "print('x' * 10)"],
        stdout=write_end,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        check=False,
    )
    os.close(write_end)
    assert "BrokenPipeError" in done.stderr
