from __future__ import annotations

import json

from tests.conftest import run_cli


def test_learn_shows_guidance_with_sources() -> None:
    done = run_cli("learn")
    assert done.returncode == 0, done.stderr
    assert "does NOT clear lactate" in done.stdout
    assert "30 to 60 seconds" in done.stdout
    assert "Sources" in done.stdout and "doi:" in done.stdout


def test_learn_json_and_bad_topic() -> None:
    done = run_cli("learn", "safety", "--json")
    assert done.returncode == 0
    body = json.loads(done.stdout)
    assert [s["id"] for s in body["sections"]] == ["safety"]
    assert "nhs-dvt" in body["sources"]
    bad = run_cli("learn", "astrology", "--json")
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["problems"][0]["field"] == "topic"
