"""Sources are named for people; the compiled names are the registry's (never stale)."""

from __future__ import annotations

from calfcare.content.source_names import COMPILED_MODULE, HERE, render_compiled, source_names
from calfcare.content.sources import load_sources


def test_compiled_names_are_what_the_registry_compiles_to() -> None:
    on_disk = (HERE / COMPILED_MODULE).read_text(encoding="utf-8")
    assert on_disk == render_compiled(), (
        "regenerate: python -m calfcare.content.source_names --write"
    )


def test_every_source_has_a_short_name_and_ids_are_never_shown() -> None:
    sources = load_sources()
    assert all(s.short for s in sources.values())
    said = source_names(("seed-safety", "nhs-dvt", "not-a-source"))
    assert said == "the source article, on safety; NHS on DVT; an unknown source"
