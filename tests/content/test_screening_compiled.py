"""The compiled screening wording is the TOML, validated: never stale, never Pydantic at run time.

On a failure of the first test, regenerate it:
`.venv/bin/python -m calfcare.content.screening_wording --write`.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from calfcare.content import screening_compiled, screening_wording
from calfcare.content.screening import load_screening_text
from calfcare.content.screening_wording import (
    HERE,
    content_key,
    load_compiled,
    load_screening_wording,
    render_compiled,
)
from calfcare.core.levels import Level


def test_compiled_module_is_what_the_toml_compiles_to() -> None:
    """Fails after any edit of screening.toml until the module is regenerated."""
    on_disk = (HERE / screening_wording.COMPILED_MODULE).read_text(encoding="utf-8")
    assert on_disk == render_compiled(), (
        "regenerate: python -m calfcare.content.screening_wording --write"
    )


def test_compiled_wording_equals_the_validated_wording() -> None:
    compiled = load_compiled()
    assert compiled is not None
    validated = load_screening_text()
    assert compiled.general == validated.general
    assert compiled.leg == validated.leg
    assert compiled.pain_rules == validated.pain_rules
    assert compiled.unsure_note == validated.unsure_note
    for level in Level:
        assert compiled.advice(level) == validated.advice(level)


def test_an_edited_toml_is_never_answered_from_the_stale_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    edited = screening_wording._read_toml_bytes().replace(b"calfcare counts", b"we count")
    monkeypatch.setattr(screening_wording, "_read_toml_bytes", lambda: edited)
    assert load_compiled() is None
    load_screening_wording.cache_clear()
    try:
        assert load_screening_wording() is load_screening_text()
    finally:
        load_screening_wording.cache_clear()


def test_the_key_covers_the_toml_and_the_rule_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    toml = screening_wording._read_toml_bytes()
    key = content_key(toml)
    assert key == screening_compiled.KEY
    assert content_key(toml + b"\n") != key
    monkeypatch.setattr(screening_wording, "LEG_QUESTION_IDS", ("swelling",))
    assert content_key(toml) != key


def test_run_time_wording_imports_no_pydantic_and_no_toml_parser() -> None:
    code = (
        "import sys\n"
        "from calfcare.content.screening_wording import load_screening_wording\n"
        "text = load_screening_wording()\n"
        "assert text.unsure_note\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules = {name.split(".")[0] for name in done.stdout.split()}
    assert not modules & {"pydantic", "pydantic_core", "tomllib"}
