"""`calfcare --help` and `--version` must start fast: nothing heavy imported.

(`screen --answers`, the third fast path, is tested in test_screen_fast_path.py.)"""

from __future__ import annotations

import subprocess
import sys

from calfcare import __version__
from tests.conftest import run_cli

HEAVY = (
    "fastapi",
    "starlette",
    "sqlalchemy",
    "alembic",
    "matplotlib",
    "pydantic",
    "uvicorn",
    "psycopg",
    "jinja2",
    "rich",
    "webauthn",
    "cbor2",
)


def _imported_modules(*args: str) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = ['calfcare', *{list(args)!r}]\n"
        "from calfcare.cli import app\n"
        "try:\n    app()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    return {line.split(".")[0] for line in done.stderr.splitlines()}


def test_help_imports_nothing_heavy() -> None:
    modules = _imported_modules("--help")
    assert not modules & set(HEAVY), modules & set(HEAVY)


def test_version() -> None:
    done = run_cli("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"calfcare {__version__}"


def test_help_lists_commands() -> None:
    done = run_cli("--help")
    assert done.returncode == 0
    assert "screen" in done.stdout


def test_fast_help_is_what_typer_prints() -> None:
    """The fast path prints cli/help.txt; it must equal Typer's own rendering.

    On failure, regenerate it: `.venv/bin/python -m calfcare.launcher --write-help`.
    """
    from calfcare.launcher import HELP_FILE, render_help

    assert HELP_FILE.read_text(encoding="utf-8") == render_help()
    done = run_cli("--help")
    assert done.stdout == HELP_FILE.read_text(encoding="utf-8")


def test_fast_paths_import_no_cli_framework() -> None:
    for args in (["--help"], ["--version"]):
        code = (
            "import sys\n"
            f"sys.argv = ['calfcare', *{args!r}]\n"
            "from calfcare.launcher import main\n"
            "main()\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "COLUMNS": "100"},
        )
        modules = set(done.stderr.split())
        assert "typer" not in modules
        assert "click" not in modules


def test_importing_the_cli_package_builds_no_app() -> None:
    """The launcher's fast path imports `calfcare.cli.screen`; the package must stay light."""
    code = "import sys, calfcare.cli.screen; print(' '.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = {name.split(".")[0] for name in done.stdout.split()}
    assert not modules & {"typer", "click", "rich", "pydantic"}
    assert "calfcare.cli.history" not in done.stdout.split()
