"""`calfcare screen` through a real subprocess, as the contract specifies it."""

from __future__ import annotations

import json
from collections.abc import Set
from pathlib import Path
from typing import Any

import pytest

from calfcare.core.levels import LEVEL_WORDS, Level
from tests.conftest import load_vignettes, run_cli

VIGNETTES = load_vignettes()


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_json_output_matches_contract(case: dict[str, Any], tmp_path: Path) -> None:
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(case["input"]))
    done = run_cli("screen", "--answers", str(answers), "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["contract"] == 1
    assert report["verdict"] == case["expect"]["verdict"]
    assert report["legs"] == case["expect"]["legs"]
    assert report["advice"]
    for finding in report["findings"]:
        assert finding["message"] and finding["sources"]
        assert finding["leg"] in (None, "left", "right")


@pytest.mark.parametrize(
    "bad", VIGNETTES["bad_inputs"], ids=[b["why"] for b in VIGNETTES["bad_inputs"]]
)
def test_bad_input_exits_2_with_problems(bad: dict[str, Any]) -> None:
    done = run_cli("screen", "--answers", "-", "--json", stdin=json.dumps(bad["input"]))
    assert done.returncode == 2
    body = json.loads(done.stdout)
    assert set(body) == {"error", "problems"}
    assert body["problems"]
    assert "verdict" not in done.stdout
    for problem in body["problems"]:
        assert set(problem) == {"field", "message"}
        assert problem["field"] in done.stderr


def test_malformed_json_exits_2() -> None:
    done = run_cli("screen", "--answers", "-", "--json", stdin="{not json")
    assert done.returncode == 2
    assert json.loads(done.stdout)["problems"][0]["field"] == "--answers"
    assert "not valid JSON" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_exits_2_without_traceback() -> None:
    done = run_cli("screen", "--answers", "/nonexistent/answers.json")
    assert done.returncode == 2
    assert "no such file" in done.stderr
    assert "Traceback" not in done.stderr


def test_urgent_verdict_panel_cannot_be_missed() -> None:
    case = VIGNETTES["cases"][2]  # left calf suddenly swollen
    done = run_cli("screen", "--answers", "-", stdin=json.dumps(case["input"]))
    assert done.returncode == 0
    assert "URGENT" in done.stdout
    assert "GET MEDICAL ATTENTION TODAY" in done.stdout
    assert "swollen" in done.stdout


def _interactive_script(legs: str, yes: Set[str], unsure: Set[str] = frozenset()) -> str:
    """Answers in the questionnaire's order: everything no except the named ids."""
    from calfcare.core.answers import Answer
    from calfcare.core.levels import Leg
    from calfcare.core.questionnaire import Questionnaire

    q = Questionnaire(legs=(Leg.LEFT, Leg.RIGHT))
    lines = [legs]
    while (ref := q.next_question()) is not None:
        value: Answer = True if ref.field in yes else "unsure" if ref.field in unsure else False
        q.answer(ref, value)
        lines.append({True: "y", False: "n", "unsure": "u"}[value])
    return "\n".join(lines) + "\n"


def test_interactive_screening_asks_and_decides() -> None:
    script = _interactive_script(
        "b", {"left.pain", "left.pain_after_exercise", "right.pain"}, {"right.pain_after_exercise"}
    )
    done = run_cli("screen", "--json", stdin=script)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    # Right calf: pain, not clearly after exercise -> unexplained in one calf -> urgent.
    assert report["verdict"] == "urgent"
    assert report["legs"]["right"]["level"] == "urgent"
    assert "Did that pain in your left calf start" in done.stderr


def test_interactive_skips_pain_after_exercise_without_pain() -> None:
    done = run_cli("screen", "--json", stdin=_interactive_script("l", set()))
    assert done.returncode == 0, done.stderr
    assert "Did that pain" not in done.stderr
    assert json.loads(done.stdout)["verdict"] == "ok"


def test_interactive_why_we_ask_and_retry() -> None:
    script = _interactive_script("r", set())
    lines = script.splitlines()
    lines.insert(1, "?")
    lines.insert(2, "perhaps")
    done = run_cli("screen", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    assert "Why we ask:" in done.stderr
    assert "Please answer y (yes), n (no) or u (unsure)" in done.stderr


def test_interactive_prompts_show_their_answer_keys_as_written() -> None:
    """Rich markup once swallowed "[b]oth" and "[y/n/u/?]" ("oth, eft, ight"): the prompts
    are checked here as a person reads them, with a question's "why" too."""
    done = run_cli("screen", "--json", stdin="b\n?\nn\n", env={"COLUMNS": "200"})
    assert "Which calves do you want to massage? [b]oth, [l]eft, [r]ight: " in done.stderr
    assert "or have you fainted? [y/n/u/?] " in done.stderr
    assert "Why we ask: Leg pain or swelling" in done.stderr


def test_interactive_emergency_stops_at_once() -> None:
    done = run_cli("screen", "--json", stdin="b\ny\n")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["verdict"] == "emergency"
    assert "emergency" in done.stderr.lower()


def test_interactive_end_of_input_gives_no_verdict() -> None:
    done = run_cli("screen", stdin="b\nn\nn\n")
    assert done.returncode == 2
    assert "no verdict" in done.stderr
    assert "OK" not in done.stdout


@pytest.mark.parametrize("case", VIGNETTES["cases"], ids=[c["story"] for c in VIGNETTES["cases"]])
def test_piped_verdict_is_plain_lines_with_everything_the_panel_shows(case: dict[str, Any]) -> None:
    """Not a terminal: no box drawing, no wrapping, and nothing of the panel left out."""
    done = run_cli("screen", "--answers", "-", stdin=json.dumps(case["input"]))
    assert done.returncode == 0
    report = json.loads(
        run_cli("screen", "--answers", "-", "--json", stdin=json.dumps(case["input"])).stdout
    )
    lines = done.stdout.splitlines()
    assert not set(done.stdout) & set("╭╮╰╯│─")
    assert lines[0].endswith(report["headline"]) and lines[0].startswith(
        report["verdict"].upper() + ":"
    )
    assert report["advice"] in lines
    for finding in report["findings"]:
        assert any(finding["message"] in line and "sources:" in line for line in lines)
    for leg, status in report["legs"].items():
        assert f"{leg} calf: {LEVEL_WORDS[Level(status['level'])]} (" in done.stdout
    if report["verdict"] in ("urgent", "emergency"):
        assert report["headline"].upper() in lines
