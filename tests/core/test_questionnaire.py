"""`Questionnaire.shown_findings`: after an emergency stop, only the findings of questions the
person answered are shown (terminal and web alike); the verdict is never changed by it."""

from __future__ import annotations

from calfcare.content.screening import load_screening_text
from calfcare.core.levels import Leg
from calfcare.core.questionnaire import Questionnaire, QuestionRef
from calfcare.core.report import screening_report
from calfcare.core.screening import screen


def _report(questionnaire: Questionnaire) -> dict[str, object]:
    return screening_report(screen(questionnaire.answers()), load_screening_text())


def test_after_an_emergency_stop_only_the_answered_findings_are_shown() -> None:
    for answer in (True, "unsure"):
        q = Questionnaire(legs=(Leg.LEFT, Leg.RIGHT))
        q.answer(QuestionRef("general", "pe_signs"), answer)
        assert q.stopped_for_emergency() and q.next_question() is None
        report = _report(q)
        findings = report["findings"]
        assert isinstance(findings, list) and len(findings) > 20  # unasked count as unsure
        shown = q.shown_findings(findings)
        assert [(f["rule"], f["leg"]) for f in shown] == [("pe_signs", None)]
        assert report["verdict"] == "emergency"


def test_without_an_emergency_stop_every_finding_is_shown() -> None:
    q = Questionnaire(legs=(Leg.LEFT,))
    while (ref := q.next_question()) is not None:
        q.answer(ref, "unsure" if ref.id in ("swelling", "long_journey") else False)
    findings = _report(q)["findings"]
    assert isinstance(findings, list) and findings
    assert len(findings) >= 2 and q.shown_findings(findings) == findings
