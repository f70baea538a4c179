#!/usr/bin/env python3
"""Set up and run calfcare with nothing but Python 3.11+.

    python3 tasks.py app     create .venv on first use, then start the web app
    python3 tasks.py test    create .venv on first use, then run every check and test
    python3 tasks.py explore run the Hypothesis tests with new random examples, and more
    python3 tasks.py https [POSTGRES_URL]
                             calfcare on PostgreSQL behind Caddy (HTTPS, `tls internal`), and
                             the phone's and the clinician's browser flows through it
                             (docs/deployment.md)

The virtual environment is rebuilt only when pyproject.toml or constraints.txt change (a
stamp file holds their hash). Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".calfcare-installed"


def _wanted_stamp() -> str:
    digest = hashlib.sha256()
    for name in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def ensure_venv() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (this file runs before any check)
        sys.exit(f"calfcare needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    wanted = _wanted_stamp()
    if STAMP.exists() and STAMP.read_text() == wanted and (BIN / "calfcare").exists():
        return
    if not (BIN / "python").exists():
        print("Creating the virtual environment in .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing calfcare and its dependencies (first run only) ...", file=sys.stderr)
    subprocess.run(
        [
            str(BIN / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "-c",
            str(ROOT / "constraints.txt"),
            "-e",
            f"{ROOT}[dev]",
        ],
        check=True,
    )
    STAMP.write_text(wanted)


def run(*cmd: str) -> None:
    print("$ " + " ".join(cmd), file=sys.stderr, flush=True)
    result = subprocess.run(cmd, cwd=ROOT)
    if result.returncode != 0:
        sys.exit(result.returncode)


def app(args: list[str]) -> None:
    ensure_venv()
    os.execv(str(BIN / "calfcare"), [str(BIN / "calfcare"), "serve", *args])


def ensure_chromium() -> None:
    """The browser tests drive Debian's Chromium; install it when missing and we can."""
    if shutil.which("chromium") or Path("/usr/bin/chromium").exists():
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Chromium for the browser tests (apt-get) ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        # Wait for another apt/dpkg run (e.g. a second test run starting at the same time).
        lock = ["-o", "DPkg::Lock::Timeout=600"]
        steps = (["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "chromium"])
        for step in steps:
            if subprocess.run(["apt-get", *lock, *step], env=env).returncode != 0:
                break
        else:
            return
        if Path("/usr/bin/chromium").exists():  # installed meanwhile by a concurrent run
            return
        sys.exit(
            "Installing Chromium with apt-get failed (see its message above). The browser\n"
            "tests need /usr/bin/chromium: install Debian's chromium package and run again."
        )
    sys.exit(
        "The browser tests need Chromium at /usr/bin/chromium. Install it with\n"
        "  sudo apt-get install -y --no-install-recommends chromium\n"
        "(calfcare never downloads a browser itself)."
    )


def ensure_caddy() -> bool:
    """The HTTPS test runs behind Debian's Caddy; install it when missing and we can. Never
    fatal here: without it that one test skips saying why (and fails when CI=true)."""
    if shutil.which("caddy") or Path("/usr/bin/caddy").exists():
        return True
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing Caddy for the HTTPS test (apt-get) ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        lock = ["-o", "DPkg::Lock::Timeout=600"]  # wait for another apt/dpkg run
        steps = (["update", "-qq"], ["install", "-y", "-qq", "--no-install-recommends", "caddy"])
        for step in steps:
            if subprocess.run(["apt-get", *lock, *step], env=env).returncode != 0:
                break
        if Path("/usr/bin/caddy").exists():
            return True
        print("Installing Caddy with apt-get failed (see its message above).", file=sys.stderr)
    print(
        "The HTTPS test needs Debian's caddy: sudo apt-get install -y caddy\n"
        "(without it that test is skipped, or fails when CI=true).",
        file=sys.stderr,
    )
    return False


PARALLEL = ("-n", "2", "--dist", "load")
"""`test` runs pytest in two worker processes (pytest-xdist): about half the time on two
cores. ``load``, not ``loadfile``: the schemathesis tests have one node id for many cases,
and the scope schedulers would run only the first of them. Arguments given after `test`
come later and win (``-n 0``: one process, e.g. for ``--pdb``)."""


def test(args: list[str]) -> None:
    ensure_venv()
    if (ROOT / "tests" / "web").exists():
        ensure_chromium()
        ensure_caddy()
    py = str(BIN / "python")
    if not args:
        code = [p for p in ("src", "tests", "bench", "tasks.py") if (ROOT / p).exists()]
        run(py, "-m", "ruff", "check", *code)
        run(py, "-m", "ruff", "format", "--check", *code)
        run(py, "-m", "mypy")
        run(str(BIN / "lint-imports"))
    run(py, "-m", "pytest", *PARALLEL, *args)


def explore(args: list[str]) -> None:
    """The Hypothesis tests with new random examples (`tests/conftest.py`'s "explore"
    profile: 500 where a test does not set its own number), ``--rounds N`` times (default 3),
    each round with a new seed. `test` is deterministic; this is where new bugs are found.
    A failure prints the seed and a ``@reproduce_failure`` blob to replay it."""
    ensure_venv()
    rounds = 3
    if args[:1] == ["--rounds"] and len(args) > 1 and args[1].isdigit():
        rounds, args = int(args[1]), args[2:]
    files = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "tests").rglob("test_*.py")
        if "hypothesis" in path.read_text(encoding="utf-8")
    )
    for _ in range(rounds):
        run(str(BIN / "python"), "-m", "pytest", "--hypothesis-profile=explore", *files, *args)


def https(args: list[str]) -> None:
    """Two `calfcare serve --workers 2` on PostgreSQL behind Caddy with `tls internal`, and
    the browser flows of a phone through it: install, a session offline halfway, a check-in
    offline, both synced (tests/web/browser/test_https_pwa.py); and in server mode, sign up,
    screen, plan, a session offline, synced, and a second person who sees none of it
    (test_server_phone_flow.py); and a clinician on a desktop with a person on a phone:
    invite, accept, prescribe, a red flag first, stop sharing (test_clinic_flow.py).
    Each test starts and stops it all.
    The database URL: the argument, else CALFCARE_TEST_POSTGRES_URL; each run uses a new
    schema and drops it."""
    ensure_venv()
    ensure_chromium()
    if not ensure_caddy():
        sys.exit(1)
    url = args[0] if args and not args[0].startswith("-") else None
    url = url or os.environ.get("CALFCARE_TEST_POSTGRES_URL")
    if not url:
        sys.exit(
            "usage: python3 tasks.py https postgresql+psycopg://user@host/db\n"
            "(or set CALFCARE_TEST_POSTGRES_URL)"
        )
    os.environ.update({"CALFCARE_TEST_POSTGRES_URL": url, "CI": "true"})  # no silent skip
    rest = args[1:] if args and args[0] == url else args
    names = ("test_https_pwa", "test_server_phone_flow", "test_clinic_flow")
    tests = [f"tests/web/browser/{name}.py" for name in names]
    run(str(BIN / "python"), "-m", "pytest", "-v", *tests, *rest)


COMMANDS = {"app": app, "test": test, "explore": explore, "https": https}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: python3 tasks.py {{{'|'.join(COMMANDS)}}} [args...]")
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
