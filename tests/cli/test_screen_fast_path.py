"""`calfcare screen --answers --no-save` answered by `calfcare.launcher` (no Typer) must be
indistinguishable from the Typer command: same stdout, stderr and exit status, byte for byte.
(Without ``--no-save`` the screening is recorded, which needs storage: Typer's path.)

The fast path is `python -m calfcare` (the launcher, as the console script runs it); the
reference is the Typer app itself, `python -c "from calfcare.cli import main; main()"`.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from calfcare.launcher import fast_screen_args
from tests.conftest import load_vignettes

VIGNETTES = load_vignettes()
FAST = [sys.executable, "-m", "calfcare"]
TYPER = [sys.executable, "-c", "from calfcare.cli import main; main()"]


def run(
    prefix: list[str], args: list[str], stdin: str = "", columns: str = "100"
) -> tuple[int, str, str]:
    done = subprocess.run(
        [*prefix, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": columns},
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def assert_same(args: list[str], stdin: str = "", columns: str = "100") -> tuple[int, str, str]:
    if args[:1] == ["screen"]:
        args = ["screen", "--no-save", *args[1:]]
    fast = run(FAST, args, stdin, columns)
    typer = run(TYPER, args, stdin, columns)
    assert fast == typer
    return fast


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_every_vignette_same_both_ways(case: dict[str, Any], tmp_path: Path) -> None:
    answers = json.dumps(case["input"])
    path = tmp_path / "answers.json"
    path.write_text(answers)
    status, out, _ = assert_same(["screen", "--answers", "-", "--json"], answers)
    assert status == 0
    assert json.loads(out)["verdict"] == case["expect"]["verdict"]
    status, out, _ = assert_same(["screen", "--answers", str(path)])
    assert status == 0
    assert out


@pytest.mark.parametrize(
    "bad", VIGNETTES["bad_inputs"], ids=[b["why"] for b in VIGNETTES["bad_inputs"]]
)
def test_every_bad_input_same_both_ways(bad: dict[str, Any]) -> None:
    answers = json.dumps(bad["input"])
    assert assert_same(["screen", "--answers", "-", "--json"], answers)[0] == 2
    assert assert_same(["screen", "--answers", "-"], answers)[0] == 2


def test_file_errors_same_both_ways(tmp_path: Path) -> None:
    not_utf8 = tmp_path / "latin1.json"
    not_utf8.write_bytes(b'{"contract": 1, "legs": ["l\xe9ft"]}')
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    for source in (str(tmp_path / "missing.json"), str(tmp_path), str(not_utf8), str(bad_json)):
        for extra in ([], ["--json"]):
            status, _, err = assert_same(["screen", "--answers", source, *extra])
            assert status == 2
            assert err.startswith("calfcare: ")
    for stdin in ("{not json", "", "[]"):
        for extra in ([], ["--json"]):
            assert assert_same(["screen", "--answers", "-", *extra], stdin)[0] == 2


def test_argument_shapes_same_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(VIGNETTES["cases"][0]["input"]))
    shapes = [
        ["--json", "--answers", str(path)],
        [f"--answers={path}", "--json"],
        [f"--answers={path}"],
        ["--answers="],
        ["--answers", ""],
        # Left to Typer (fast_screen_args says None), listed to pin that they still work:
        ["--answers", str(path), "--answers", str(path)],
        ["--answers", str(path), "--json", "--json"],
        ["--answers", "--json"],
        ["--answers"],
        ["--answers", str(path), "extra"],
        ["--answers", str(path), "--jsn"],
        ["--answers", str(path), "--help"],
    ]
    for shape in shapes:
        assert_same(["screen", *shape])


@pytest.mark.parametrize("columns", ["50", "80", "132"])
def test_text_verdict_same_at_any_width(columns: str) -> None:
    for case in VIGNETTES["cases"][:6]:
        assert_same(["screen", "--answers", "-"], json.dumps(case["input"]), columns)


def _in_a_terminal(prefix: list[str], args: list[str], stdin: str) -> tuple[int, bytes, str]:
    """Run with stdout on a pty (Rich styles it), stdin and stderr piped."""
    leader, follower = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    with subprocess.Popen(
        [*prefix, *args],
        stdin=subprocess.PIPE,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    ) as child:
        os.close(follower)
        assert child.stdin is not None and child.stderr is not None
        child.stdin.write(stdin.encode())
        child.stdin.close()
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        err = child.stderr.read().decode()
        status = child.wait(timeout=60)
    os.close(leader)
    return status, out, err


@pytest.mark.skipif(os.name != "posix", reason="needs a pty")
def test_styled_verdict_on_a_terminal_same_both_ways() -> None:
    case = VIGNETTES["cases"][2]  # urgent: red, bold
    args = ["screen", "--answers", "-", "--no-save"]
    fast = _in_a_terminal(FAST, args, json.dumps(case["input"]))
    assert fast == _in_a_terminal(TYPER, args, json.dumps(case["input"]))
    assert b"\x1b[" in fast[1]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["screen", "--answers", "-", "--no-save"], ("-", False)),
        (["screen", "--no-save", "--json", "--answers", "a.json"], ("a.json", True)),
        (["screen", "--answers=a.json", "--json", "--no-save"], ("a.json", True)),
        (["screen", "--answers", "", "--no-save"], ("", False)),
        (["screen", "--answers", "-"], None),  # recorded: Typer's path, with storage
        (["screen", "--answers", "-", "--json"], None),
        (["screen", "--answers", "-", "--no-save", "--no-save"], None),
        (["screen", "--answers", "-", "--json", "--json"], None),
        (["screen", "--answers", "a", "--answers", "b"], None),
        (["screen", "--answers", "--json"], None),
        (["screen", "--answers"], None),
        (["screen", "--json"], None),
        (["screen"], None),
        (["screen", "--answers", "a", "--help"], None),
        (["screen", "--answers", "a", "x"], None),
        (["screen", "--answers", "a", "--json=1"], None),
        (["--answers", "a", "screen"], None),
        (["plan", "--answers", "a"], None),
        ([], None),
    ],
)
def test_fast_path_recognises_only_what_it_answers(
    args: list[str], expected: tuple[str, bool] | None
) -> None:
    assert fast_screen_args(args) == expected


@pytest.mark.parametrize("json_flag", [["--json"], []], ids=["json", "text-piped"])
def test_fast_path_imports_no_framework_and_no_pydantic(json_flag: list[str]) -> None:
    """Also for the text verdict when the output is not a terminal (plain lines, no Rich)."""
    code = (
        "import sys\n"
        f"sys.argv = ['calfcare', 'screen', '--answers', '-', '--no-save', *{json_flag!r}]\n"
        "from calfcare.launcher import main\n"
        "main()\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        input=json.dumps(VIGNETTES["cases"][0]["input"]),
        capture_output=True,
        text=True,
        check=True,
    )
    modules = {name.split(".")[0] for name in done.stderr.split()}
    assert not modules & {"typer", "click", "rich", "pydantic", "pydantic_core", "tomllib"}
    verdict = VIGNETTES["cases"][0]["expect"]["verdict"]
    if json_flag:
        assert json.loads(done.stdout)["verdict"] == verdict
    else:
        assert done.stdout.startswith(verdict.upper() + ": ")
