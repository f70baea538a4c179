"""The article's guidance as calfcare teaches it (``data/learn.toml``), every item sourced."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from calfcare.content.load import load_model
from calfcare.content.sources import check_sources
from calfcare.core.errors import ContentError

FILENAME = "learn.toml"


class LearnItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    kind: Literal["claim", "not_claimed"] = "claim"
    text: str = Field(min_length=10)
    quotes: list[str] = Field(min_length=1)
    sources: list[str]


class LearnSection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    item: list[LearnItem]


class _LearnFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    section: list[LearnSection]


def article_text() -> str:
    """The source article, shipped with the package so every quote can be checked."""
    return (resources.files("calfcare.content") / "data" / "article.txt").read_text("utf-8")


@cache
def load_learn() -> tuple[LearnSection, ...]:
    """The guidance; each item cites known sources and quotes the article word for word."""
    data = load_model(FILENAME, _LearnFile)
    article = article_text()
    for section in data.section:
        for item in section.item:
            where = f"section.{section.id}.item.{item.id}"
            check_sources(FILENAME, f"{where}.sources", item.sources)
            for n, quote in enumerate(item.quotes):
                if quote not in article:
                    raise ContentError(
                        f"content file {FILENAME} is malformed: {where}.quotes.{n} "
                        "is not in the article word for word"
                    )
    return tuple(data.section)
