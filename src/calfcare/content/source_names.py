"""Sources named for people ("the source article, on safety; NHS on DVT"), never by id.

The terminal's fast paths (`calfcare screen` piped, ``--help``) import no Pydantic and no
TOML reader, so the short names are compiled into ``source_names_compiled.py`` from
``data/sources.toml`` (as the screening wording is): ``python -m calfcare.content.source_names
--write`` regenerates it, and tests/content/test_source_names.py fails while it is stale. An id
the compiled names lack (a stale module) is looked up in the registry itself.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
COMPILED_MODULE = "source_names_compiled.py"


def source_names(ids: list[str] | tuple[str, ...]) -> str:
    """The sources' short names, joined with "; " (an unknown id: "an unknown source")."""
    from calfcare.content.source_names_compiled import NAMES

    names = []
    for source_id in ids:
        name = NAMES.get(source_id)
        if name is None:
            from calfcare.content.sources import load_sources

            known = load_sources().get(source_id)
            name = "an unknown source" if known is None else known.short or known.title
        names.append(name)
    return "; ".join(names)


def render_compiled() -> str:
    """The source of ``source_names_compiled.py`` for the registry as it is now."""
    import pprint

    from calfcare.content.sources import load_sources

    names = {s.id: s.short or s.title for s in load_sources().values()}
    return (
        '"""Generated from data/sources.toml by `python -m calfcare.content.source_names'
        ' --write`.\n\nDo not edit: edit the TOML and regenerate (see source_names.py)."""\n'
        "# fmt: off\n\n"
        f"NAMES: dict[str, str] = {pprint.pformat(names, width=100, sort_dicts=False)}\n"
    )


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m calfcare.content.source_names --write")
    (HERE / COMPILED_MODULE).write_text(render_compiled(), encoding="utf-8")
