"""`calfcare learn`: the article's guidance, with its sources and how strong the evidence is."""

from __future__ import annotations

import json
from typing import Any

import typer

from calfcare.cli import db as cli_db
from calfcare.cli.errors import reporting

TOPICS = ("benefits", "technique", "safety", "evidence")


def register(app: typer.Typer) -> None:
    app.command(name="learn")(learn)


def learn(
    topic: str | None = typer.Argument(
        None, help="benefits, technique, safety or evidence (default: all)."
    ),
    json_output: bool = cli_db.json_option("Print the guidance as JSON."),
) -> None:
    """What calf self-massage does and does not do, how to do it, when not to, and how
    strong the evidence is for each claim."""
    with reporting(json_output=json_output):
        from calfcare.content.learn import grade_json, load_grades, load_learn
        from calfcare.content.sources import load_sources
        from calfcare.core.errors import InvalidInput, Problem

        if topic is not None and topic not in TOPICS:
            raise InvalidInput(
                [Problem("topic", f"unknown topic {topic!r}; use {', '.join(TOPICS)}")]
            )
        sections = tuple(s for s in load_learn() if topic in (None, s.id))
        grades = load_grades() if topic in (None, "evidence", "benefits", "safety") else ()
        if topic in ("benefits", "safety"):
            named = {g for s in sections for i in s.item for g in i.grades}
            grades = tuple(g for g in grades if g.id in named)
        sources = load_sources()
        if json_output:
            cited = sorted(
                {sid for s in sections for i in s.item for sid in i.sources}
                | {sid for g in grades for sid in g.sources}
            )
            print(
                json.dumps(
                    {
                        "sections": [s.model_dump() for s in sections],
                        "grades": [grade_json(g) for g in grades],
                        "sources": {sid: sources[sid].model_dump() for sid in cited},
                    },
                    indent=2,
                )
            )
            return
        _print(sections, grades, sources)


def _print(sections: Any, grades: Any, sources: Any) -> None:
    import textwrap

    from rich.markup import escape

    from calfcare.cli.console import Console
    from calfcare.content.learn import GRADE_WORDS

    console = Console(highlight=False)
    width = console.width
    by_id = {g.id: g for g in grades}
    cited_in_order: list[str] = []

    def refs(ids: list[str]) -> str:
        for sid in ids:
            if sid not in cited_in_order:
                cited_in_order.append(sid)
        return ", ".join(str(cited_in_order.index(sid) + 1) for sid in ids)

    for section in sections:
        console.rule(f"[bold]{section.title}")
        for item in section.item:
            text = escape(item.text)
            if item.kind == "not_claimed":
                text = f"[bold red]{text}[/bold red]"
            mark = "✗" if item.kind == "not_claimed" else "•"
            console.print(f"{mark} {text} [dim]\\[{refs(item.sources)}][/dim]")
            words = [by_id[g].word.lower() for g in item.grades if g in by_id]
            if words:
                console.print(f"[dim]  Evidence: {escape('; '.join(words))}[/dim]")
        console.print()
    if grades:
        console.rule("[bold]How strong is the evidence?")
        for grade in grades:
            names = ", ".join(sources[sid].short for sid in grade.sources)
            refs(grade.sources)
            word = GRADE_WORDS[grade.grade].upper()
            head = f"{grade.claim}: {word}{f' ({grade.qualifier})' if grade.qualifier else ''}."
            for n, line in enumerate(textwrap.wrap(f"{head} {grade.effect} ({names})", width - 2)):
                shown = escape(line)
                if n == 0:
                    shown = shown.replace(escape(head), f"[bold]{escape(head)}[/bold]", 1)
                console.print(("• " if n == 0 else "  ") + shown)
        console.print()
    console.rule("[bold]Sources")
    for n, sid in enumerate(cited_in_order, 1):
        source = sources[sid]
        console.print(
            f"[dim]{n}.[/dim] {escape(source.citation)}" + (f" {source.url}" if source.url else "")
        )
