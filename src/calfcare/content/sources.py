"""The source registry: every user-facing claim names ids that resolve here."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.core.errors import ContentError


class Source(ContentModel):
    """One published source (or the article, or the contract itself)."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    title: str = Field(min_length=3)
    citation: str = Field(min_length=10)
    url: str | None = None
    short: str | None = Field(default=None, min_length=3)
    """A short name for lists ("Guo 2017"), shown to people instead of the id."""
    seen: Literal["seen", "secondary"]


class _SourceFile(ContentModel):
    source: list[Source]


@cache
def load_sources() -> dict[str, Source]:
    """All sources by id; duplicate ids are a content error."""
    sources: dict[str, Source] = {}
    for source in load_model("sources.toml", _SourceFile).source:
        if source.id in sources:
            raise ContentError(f"content file sources.toml is malformed: duplicate id {source.id}")
        sources[source.id] = source
    return sources


def check_sources(filename: str, where: str, ids: list[str] | tuple[str, ...]) -> None:
    """Fail loudly when a content item cites nothing, or an id that is not in the registry."""
    if not ids:
        raise ContentError(f"content file {filename} is malformed: {where}: names no source")
    known = load_sources()
    for source_id in ids:
        if source_id not in known:
            raise ContentError(
                f"content file {filename} is malformed: {where}: unknown source {source_id!r}"
            )
