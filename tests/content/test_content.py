"""Content is data: every file loads, every item names a known source, and a malformed file
fails loudly naming the file and the field."""

from __future__ import annotations

import re
from typing import Any

import pytest

from calfcare.content import learn as learn_module
from calfcare.content.learn import article_text, load_grades, load_learn
from calfcare.content.load import parse_model
from calfcare.content.screening import _ScreeningFile, load_screening_text
from calfcare.content.sources import check_sources, load_sources
from calfcare.core.errors import ContentError
from calfcare.core.levels import Level
from calfcare.core.screening_rules import (
    GENERAL_QUESTION_IDS,
    GENERAL_RULES,
    LEG_QUESTION_IDS,
    LEG_RULES,
    PAIN_RULES,
)


def test_every_screening_question_is_worded_and_sourced() -> None:
    text = load_screening_text()
    sources = load_sources()
    for rule_id in GENERAL_QUESTION_IDS:
        question = text.question("general", rule_id)
        assert question.question.endswith("?")
        assert question.why and question.sources
        assert all(s in sources for s in question.sources)
    for rule_id in LEG_QUESTION_IDS:
        question = text.question("leg", rule_id)
        assert question.question.endswith("?")
        assert all(s in sources for s in question.sources)


def test_every_rule_and_finding_cites_a_known_source() -> None:
    sources = load_sources()
    rules: list[tuple[str, ...]] = [r.sources for r in GENERAL_RULES.values()]
    rules += [r.sources for r in LEG_RULES.values()] + [r.sources for r in PAIN_RULES]
    for rule_sources in rules:
        assert rule_sources
        assert all(s in sources for s in rule_sources), rule_sources


def test_every_level_has_advice_with_sources() -> None:
    text = load_screening_text()
    for level in Level:
        advice = text.advice(level)
        assert advice.headline and advice.text and advice.sources


def test_urgent_and_emergency_advice_say_what_to_do_now() -> None:
    text = load_screening_text()
    assert "emergency number now" in text.advice(Level.EMERGENCY).text
    assert "medical attention today" in text.advice(Level.URGENT).text
    assert "Do not massage" in text.advice(Level.URGENT).text


def test_learn_items_all_have_sources_and_quote_the_article() -> None:
    article = article_text()
    for section in load_learn():
        for item in section.item:
            check_sources("learn.toml", item.id, item.sources)
            assert all(q in article for q in item.quotes)


def test_every_sentence_of_the_article_is_taught() -> None:
    """Every rule, number and warning of the article is in the product (headings aside)."""
    quotes = [q for s in load_learn() for i in s.item for q in i.quotes]
    sentences = [x.strip() for x in re.split(r"(?<=[.?!])\s+|\n+", article_text()) if x.strip()]
    headings = {
        "Is It Good to Massage Your Calves?",
        "Understanding Muscle Tension and Circulation",
        "Step-by-Step Self-Massage Techniques",
        "Safety Considerations and Warning Signs",
    }
    uncovered = [s for s in sentences if s not in headings and not any(q in s for q in quotes)]
    assert not uncovered


def test_lactate_is_never_claimed() -> None:
    items = [i for s in load_learn() for i in s.item]
    not_claimed = [i for i in items if i.kind == "not_claimed"]
    assert any("lactate" in i.text and "NOT" in i.text for i in not_claimed)
    for item in items:
        if item.kind == "claim":
            assert not re.search(r"(clear|remov|flush)\w*[^.]*lactate", item.text, re.I), item.id


def test_malformed_content_names_file_and_field() -> None:
    with pytest.raises(ContentError, match=r"screening\.toml.*general\.0\.question"):
        parse_model(
            "screening.toml",
            {
                "general": [
                    {"id": "x", "question": 3, "why": "w" * 20, "finding": "f" * 20, "sources": []}
                ],
                "leg": [],
                "pain_rules": {},
                "unsure_note": "n",
                "advice": {},
            },
            _ScreeningFile,
        )


def test_unknown_source_fails_loudly() -> None:
    with pytest.raises(ContentError, match=r"learn\.toml.*unknown source 'nobody-2099'"):
        check_sources("learn.toml", "section.x.item.y.sources", ["nobody-2099"])


def test_uncited_item_fails_loudly() -> None:
    with pytest.raises(ContentError, match="names no source"):
        check_sources("learn.toml", "section.x.item.y.sources", [])


def test_misquoted_article_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learn_module, "article_text", lambda: "a different article")
    load_learn.cache_clear()
    try:
        with pytest.raises(ContentError, match=r"learn\.toml.*quotes\.0 is not in the article"):
            load_learn()
    finally:
        load_learn.cache_clear()


def test_every_health_claim_carries_an_evidence_grade() -> None:
    grades = {g.id: g for g in load_grades()}
    benefits = next(s for s in load_learn() if s.id == "benefits")
    for item in benefits.item:
        assert item.grades, f"benefits item {item.id} has no evidence grade"
    dvt = next(i for s in load_learn() for i in s.item if i.id == "dvt")
    assert dvt.grades == ["pe-risk"]
    named = {g for s in load_learn() for i in s.item for g in i.grades}
    assert named == set(grades), "every grade belongs to a claim calfcare makes"
    words = {g.grade for g in grades.values()}
    assert words == {"supported", "mixed", "not_supported", "no_good_evidence"}
    assert grades["lactate"].word == "Not supported (it slowed it)"
    sources = load_sources()
    for grade in grades.values():
        assert all(sources[sid].short for sid in grade.sources)
        assert len(grade.effect) <= 240, "one line, not a wall of citations"


def test_a_grade_the_items_name_must_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    real = learn_module.load_model  # type: ignore[attr-defined]

    def with_unknown(filename: str, model: type[Any]) -> Any:
        data = real(filename, model)
        item = data.section[0].item[0]
        data.section[0].item[0] = item.model_copy(update={"grades": ["nonsense"]})
        return data

    monkeypatch.setattr(learn_module, "load_model", with_unknown)
    load_learn.cache_clear()
    try:
        with pytest.raises(ContentError, match=r"learn\.toml.*grades: unknown grade 'nonsense'"):
            load_learn()
    finally:
        load_learn.cache_clear()


def test_a_grade_word_outside_the_four_fails_loudly() -> None:
    from calfcare.content.learn import _LearnFile

    grade = {"id": "x", "claim": "A claim of ten", "grade": "strong",
             "effect": "An effect line.", "sources": ["guo-2017"]}  # fmt: skip
    bad = {"section": [], "grade": [grade]}
    with pytest.raises(ContentError, match=r"learn\.toml.*grade\.0\.grade"):
        parse_model("learn.toml", bad, _LearnFile)
