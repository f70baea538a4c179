"""`calfcare learn`: the article's guidance, with its sources."""

from __future__ import annotations

import json

import typer

from calfcare.cli.errors import reporting


def register(app: typer.Typer) -> None:
    app.command(name="learn")(learn)


def learn(
    topic: str | None = typer.Argument(
        None, help="benefits, technique or safety (default: all three)."
    ),
    json_output: bool = typer.Option(False, "--json", help="Print the guidance as JSON."),
) -> None:
    """What calf self-massage does and does not do, how to do it, and when not to."""
    with reporting(json_output=json_output):
        from calfcare.content.learn import load_learn
        from calfcare.content.sources import load_sources
        from calfcare.core.errors import InvalidInput, Problem

        sections = load_learn()
        if topic is not None:
            sections = tuple(s for s in sections if s.id == topic)
            if not sections:
                raise InvalidInput(
                    [
                        Problem(
                            "topic", f"unknown topic {topic!r}; use benefits, technique or safety"
                        )
                    ]
                )
        sources = load_sources()
        if json_output:
            cited = sorted({sid for s in sections for i in s.item for sid in i.sources})
            print(
                json.dumps(
                    {
                        "sections": [s.model_dump() for s in sections],
                        "sources": {sid: sources[sid].model_dump() for sid in cited},
                    },
                    indent=2,
                )
            )
            return
        from rich.console import Console
        from rich.markup import escape

        console = Console(highlight=False)
        cited_in_order: list[str] = []
        for section in sections:
            console.rule(f"[bold]{section.title}")
            for item in section.item:
                refs = []
                for sid in item.sources:
                    if sid not in cited_in_order:
                        cited_in_order.append(sid)
                    refs.append(str(cited_in_order.index(sid) + 1))
                text = escape(item.text)
                if item.kind == "not_claimed":
                    text = f"[bold red]{text}[/bold red]"
                mark = "✗" if item.kind == "not_claimed" else "•"
                console.print(f"{mark} {text} [dim]\\[{', '.join(refs)}][/dim]")
            console.print()
        console.rule("[bold]Sources")
        for n, sid in enumerate(cited_in_order, 1):
            source = sources[sid]
            console.print(
                f"[dim]{n}.[/dim] {escape(source.citation)}"
                + (f" {source.url}" if source.url else "")
            )
