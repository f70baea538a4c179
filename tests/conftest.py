"""Shared test helpers: the contract's vignettes and running the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

DATA = Path(__file__).parent / "data"

# CI runs each property with a seed derived from the test, so a submission's result does not
# depend on the luck of the draw; local runs keep exploring new examples (that is how the
# import parser's bug in abb43b6 was found). `--hypothesis-seed` still overrides both.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")

# A CLI run by a test without a data folder of its own (`calfcare screen` records every
# screening) writes into a throw-away folder, never the person's real database.
if "CALFCARE_DATA_DIR" not in os.environ and "CALFCARE_DATABASE_URL" not in os.environ:
    os.environ["CALFCARE_DATA_DIR"] = tempfile.mkdtemp(prefix="calfcare-tests-")


def load_vignettes() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / "screening_vignettes.json").read_text())
    return data


def run_cli(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m calfcare`` in a real subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "calfcare", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "COLUMNS": "100", **(env or {})},
        check=False,
    )


@pytest.fixture(scope="session")
def vignettes() -> dict[str, Any]:
    return load_vignettes()
