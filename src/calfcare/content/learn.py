"""The article's guidance as calfcare teaches it (``data/learn.toml``), every item sourced,
and how strong the evidence is for each health claim it makes (``[[grade]]``: supported,
mixed, not supported or no good evidence, with the effect and its sources, from
shared/evidence/FACTS.md, "Evidence grades per claim")."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.content.sources import check_sources, load_sources
from calfcare.core.errors import ContentError

FILENAME = "learn.toml"


class LearnItem(ContentModel):
    id: str
    kind: Literal["claim", "not_claimed"] = "claim"
    text: str = Field(min_length=10)
    quotes: list[str] = Field(min_length=1)
    sources: list[str]
    grades: list[str] = Field(default_factory=list)
    """Ids of the evidence grades (``[[grade]]``) of the claims this item makes."""


GRADE_WORDS = {
    "supported": "Supported",
    "mixed": "Mixed",
    "not_supported": "Not supported",
    "no_good_evidence": "No good evidence",
}


class EvidenceGrade(ContentModel):
    """How strong the evidence is for one health claim: short and clear, not a wall of
    citations (a grade word, a one-line effect, the sources' short names)."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    claim: str = Field(min_length=10, max_length=100)
    grade: Literal["supported", "mixed", "not_supported", "no_good_evidence"]
    qualifier: str | None = Field(default=None, max_length=40)
    effect: str = Field(min_length=10, max_length=240)
    sources: list[str] = Field(min_length=1)

    @property
    def word(self) -> str:
        """The grade in words, with its qualifier: "Supported (small to moderate)"."""
        word = GRADE_WORDS[self.grade]
        return f"{word} ({self.qualifier})" if self.qualifier else word


class LearnSection(ContentModel):
    id: str
    title: str
    item: list[LearnItem]


class _LearnFile(ContentModel):
    section: list[LearnSection]
    grade: list[EvidenceGrade] = Field(min_length=1)


def article_text() -> str:
    """The source article, shipped with the package so every quote can be checked."""
    return (resources.files("calfcare.content") / "data" / "article.txt").read_text("utf-8")


@cache
def load_learn() -> tuple[LearnSection, ...]:
    """The guidance; each item cites known sources and quotes the article word for word,
    and names only known evidence grades."""
    data = load_model(FILENAME, _LearnFile)
    article = article_text()
    grades = {g.id for g in _checked(data.grade)}
    for section in data.section:
        for item in section.item:
            where = f"section.{section.id}.item.{item.id}"
            check_sources(FILENAME, f"{where}.sources", item.sources)
            for gid in item.grades:
                if gid not in grades:
                    raise ContentError(
                        f"content file {FILENAME} is malformed: {where}.grades: unknown grade "
                        f"{gid!r}"
                    )
            for n, quote in enumerate(item.quotes):
                if quote not in article:
                    raise ContentError(
                        f"content file {FILENAME} is malformed: {where}.quotes.{n} "
                        "is not in the article word for word"
                    )
    return tuple(data.section)


@cache
def load_grades() -> tuple[EvidenceGrade, ...]:
    """The evidence grade of each health claim; each cites known sources with short names."""
    return _checked(load_model(FILENAME, _LearnFile).grade)


def _checked(grades: list[EvidenceGrade]) -> tuple[EvidenceGrade, ...]:
    if len({g.id for g in grades}) != len(grades):
        raise ContentError(f"content file {FILENAME} is malformed: duplicate grade id")
    known = load_sources()
    for grade in grades:
        where = f"grade.{grade.id}.sources"
        check_sources(FILENAME, where, grade.sources)
        for sid in grade.sources:
            if known[sid].short is None:
                raise ContentError(
                    f"content file {FILENAME} is malformed: {where}: {sid!r} has no short name "
                    "in sources.toml"
                )
    return tuple(grades)


def grade_json(grade: EvidenceGrade) -> dict[str, object]:
    """A grade as ``calfcare learn --json`` and ``/api/learn`` give it: its fields, the grade
    in words, and its sources' short names."""
    sources = load_sources()
    return {
        **grade.model_dump(),
        "word": grade.word,
        "source_names": [sources[sid].short for sid in grade.sources],
    }
