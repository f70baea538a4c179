"""`calfcare screen --answers` answered by `calfcare.launcher` (no Typer) must be
indistinguishable from the Typer command: same stdout, stderr and exit status, byte for byte,
and, when the screening is recorded (no ``--no-save``), the same stored screening and so the
same safety state (the screening's new id aside, which is random either way).

The fast path is `python -m calfcare` (the launcher, as the console script runs it); the
reference is the Typer app itself, `python -c "from calfcare.cli import main; main()"`.
"""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from calfcare import services
from calfcare.launcher import ScreenArgs, fast_screen_args
from calfcare.storage import open_store
from tests.conftest import load_vignettes

VIGNETTES = load_vignettes()
FAST = [sys.executable, "-m", "calfcare"]
TYPER = [sys.executable, "-c", "from calfcare.cli import main; main()"]


def run(
    prefix: list[str],
    args: list[str],
    stdin: str = "",
    columns: str = "100",
    data_dir: Path | None = None,
) -> tuple[int, str, str]:
    env = {**os.environ, "COLUMNS": columns}
    if data_dir is not None:
        env["CALFCARE_DATA_DIR"] = str(data_dir)
        env.pop("CALFCARE_DATABASE_URL", None)
    done = subprocess.run(
        [*prefix, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def assert_same(
    args: list[str], stdin: str = "", columns: str = "100", *, save: bool = False
) -> tuple[int, str, str]:
    """Both paths alike, with ``--no-save`` added to a screening unless ``save`` (these
    compare what is said; `assert_same_recorded` also what is stored)."""
    if args[:1] == ["screen"] and not save:
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


def stored(data_dir: Path) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
    """What a run left in ``data_dir``'s database: its screenings (each as a dict with its
    random id), the data version, and the safety state now, where each screening's id is
    written as its place in the list (``<screening 0>``), so two databases compare."""
    with open_store(f"sqlite:///{data_dir / 'calfcare.sqlite3'}") as store:
        with store.reading() as tx:
            rows = [
                {"id": r.id, "kind": r.kind, "contract": r.contract_version,
                 "verdict": r.verdict, "answers": r.answers, "report": r.report}
                for r in tx.screenings()
            ]  # fmt: skip
        state = json.dumps(services.safety_document(store, datetime.now().astimezone()))
        for n, row in enumerate(rows):
            state = state.replace(str(row["id"]), f"<screening {n}>")
        return rows, store.data_version(), json.loads(state)


def assert_same_recorded(
    args: list[str], stdin: str, tmp_path: Path, runs: int = 1
) -> tuple[int, str, str]:
    """Both paths, each in a database of its own, ``runs`` times: the same output (the new
    screening's id, which each prints with ``--json``, is the one it stored) and the same
    stored screenings, data version and safety state."""
    outputs, states = [], []
    for name, prefix in (("fast", FAST), ("typer", TYPER)):
        data_dir = tmp_path / name
        said = [run(prefix, args, stdin, data_dir=data_dir) for _ in range(runs)]
        rows, version, state = stored(data_dir)
        ids = iter([row.pop("id") for row in rows])
        if "--json" in args:
            said = [
                (code, out.replace(next(ids), "<id>") if code == 0 else out, err)
                for code, out, err in said
            ]
        outputs.append(said)
        states.append((rows, version, state))
    assert outputs[0] == outputs[1]
    assert states[0] == states[1]
    return outputs[0][-1]


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_recorded_screening_same_both_ways(case: dict[str, Any], tmp_path: Path) -> None:
    """The verdict is recorded by either path, with the same effect on the safety state."""
    answers = json.dumps(case["input"])
    status, out, _ = assert_same_recorded(["screen", "--answers", "-", "--json"], answers,
                                          tmp_path / "json", runs=2)  # fmt: skip
    assert status == 0
    assert json.loads(out)["screening_id"] == "<id>"
    rows, version, _ = stored(tmp_path / "json" / "fast")
    assert [r["verdict"] for r in rows] == [case["expect"]["verdict"]] * 2 and version == 2
    status, out, _ = assert_same_recorded(["screen", "--answers", "-"], answers,
                                          tmp_path / "text")  # fmt: skip
    assert status == 0 and out


def test_recorded_bad_input_and_database_same_both_ways(tmp_path: Path) -> None:
    """Bad answers store nothing; a --db that cannot be used gives the same error and exit
    status after the same verdict."""
    bad = json.dumps(VIGNETTES["bad_inputs"][0]["input"])
    status, _, _ = assert_same_recorded(["screen", "--answers", "-", "--json"], bad,
                                        tmp_path / "bad")  # fmt: skip
    assert status == 2
    assert stored(tmp_path / "bad" / "fast")[:2] == ([], 0)
    (tmp_path / "file").write_text("")
    unusable = f"sqlite:///{tmp_path / 'file' / 'db.sqlite3'}"
    good = json.dumps(VIGNETTES["cases"][0]["input"])
    for extra in ([], ["--json"]):
        status, out, err = assert_same(["screen", "--answers", "-", "--db", unusable, *extra],
                                       good, save=True)  # fmt: skip
        assert status == 1 and out and err.startswith("calfcare: ")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["screen", "--answers", "-", "--no-save"], ScreenArgs("-", False, False)),
        (
            ["screen", "--no-save", "--json", "--answers", "a.json"],
            ScreenArgs("a.json", True, False),
        ),
        (["screen", "--answers=a.json", "--json", "--no-save"], ScreenArgs("a.json", True, False)),
        (["screen", "--answers", "", "--no-save"], ScreenArgs("", False, False)),
        (["screen", "--answers", "-"], ScreenArgs("-")),  # recorded, in the default store
        (["screen", "--answers", "-", "--json"], ScreenArgs("-", True)),
        (["screen", "--db", "sqlite:///x", "--answers", "-"], ScreenArgs("-", db="sqlite:///x")),
        (["screen", "--answers", "-", "--db=sqlite:///x"], ScreenArgs("-", db="sqlite:///x")),
        (["screen", "--answers", "-", "--db=", "--json"], ScreenArgs("-", True, db="")),
        (["screen", "--answers", "-", "--db", "--json"], None),
        (["screen", "--answers", "-", "--db"], None),
        (["screen", "--answers", "-", "--db", "a", "--db", "b"], None),
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
    args: list[str], expected: ScreenArgs | None
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


@pytest.mark.parametrize("json_flag", [["--json"], []], ids=["json", "text-piped"])
def test_recorded_fast_path_imports_only_the_storage_it_needs(
    json_flag: list[str], tmp_path: Path
) -> None:
    """Recording a screening needs SQLAlchemy Core, the tables and the write; not the CLI
    framework, Pydantic, Alembic (the schema is current), SQLAlchemy's ORM (the tables are
    Core tables), the PostgreSQL dialect (this is SQLite), the accounts or the clinician's
    list (nobody is shared with)."""
    code = (
        "import sys\n"
        f"sys.argv = ['calfcare', 'screen', '--answers', '-', *{json_flag!r}]\n"
        "from calfcare.launcher import main\n"
        "main()\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "CALFCARE_DATA_DIR": str(tmp_path)}
    env.pop("CALFCARE_DATABASE_URL", None)
    answers = json.dumps(VIGNETTES["cases"][0]["input"])
    for _ in range(2):  # the first run creates the database (Alembic); the second is the test
        done = subprocess.run([sys.executable, "-c", code], input=answers, capture_output=True,
                              text=True, check=True, env=env)  # fmt: skip
    modules = set(done.stderr.split())
    assert not {name.split(".")[0] for name in modules} & {
        "typer",
        "click",
        "rich",
        "pydantic",
        "pydantic_core",
        "alembic",
    }
    assert not modules & {
        "sqlalchemy.orm",
        "sqlalchemy.dialects.postgresql",
        "calfcare.storage.accounts",
        "calfcare.core.clinic_list",
        "calfcare.core.insight_report",
        "calfcare.core.record_views",
    }
    assert "calfcare.storage.writes" in modules  # it did record, through the store
    assert stored(tmp_path)[1] == 2
