"""The knee-to-wall test guide (``data/mobility.toml``): steps and caveats, every one sourced.

Kept as data, like ``learn.toml``, so the wording can be checked against the evidence file
(shared/evidence/FACTS.md rows 1a-1c) without reading code; the loader fails loudly when an
item cites nothing or an unknown source.
"""

from __future__ import annotations

from functools import cache

from pydantic import Field

from calfcare.content.load import ContentModel, load_model
from calfcare.content.sources import check_sources

FILENAME = "mobility.toml"


class MobilityItem(ContentModel):
    """One sentence or step of the guide, with the sources it rests on."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    text: str = Field(min_length=10)
    sources: list[str]


class MobilityGuide(ContentModel):
    """The whole guide: what the test is, how to do it, how far to trust the number."""

    title: str = Field(min_length=3)
    subtitle: str = Field(min_length=3)
    mdc_cm: float = Field(gt=0)
    about: list[MobilityItem] = Field(min_length=1)
    step: list[MobilityItem] = Field(min_length=1)
    note: list[MobilityItem] = Field(min_length=1)


@cache
def load_mobility() -> MobilityGuide:
    """The checked guide; a malformed file raises `ContentError` naming file and field."""
    guide = load_model(FILENAME, MobilityGuide)
    for part in ("about", "step", "note"):
        for item in getattr(guide, part):
            check_sources(FILENAME, f"{part}.{item.id}.sources", item.sources)
    return guide
