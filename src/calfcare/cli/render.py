"""Rich renderings shared by commands. Imported only inside commands (Rich costs start-up)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from calfcare.cli.verdict_words import LEVEL_MARK, calf_status, said_again
from calfcare.content.source_names import source_names

LEVEL_STYLE = {
    "ok": "green",
    "caution": "yellow",
    "avoid": "dark_orange",
    "urgent": "bold white on red",
    "emergency": "bold white on red",
}


def verdict_panel(report: dict[str, Any]) -> Panel:
    """The verdict: impossible to miss when urgent or an emergency (red, full width)."""
    verdict = report["verdict"]
    severe = verdict in ("urgent", "emergency")
    title = Text(f" {LEVEL_MARK[verdict]}: {report['headline']} ", style=LEVEL_STYLE[verdict])
    body: list[Text] = []
    if severe:
        body.append(Text(report["headline"].upper(), style="bold red"))
        body.append(Text(""))
    body.append(Text(report["advice"]))
    if report["findings"]:
        body.append(Text(""))
        body.append(Text("Why:", style="bold"))
        for finding in report["findings"]:
            mark = LEVEL_MARK[finding["level"]]
            body.append(
                Text.assemble(
                    ("  • ", ""),
                    (f"[{mark}] ", LEVEL_STYLE[finding["level"]].replace("on red", "")),
                    finding["message"],
                    (f"  (sources: {source_names(finding['sources'])})", "dim"),
                )
            )
    body.append(Text(""))
    calves = ", ".join(
        f"{leg} calf: {calf_status(status)}" for leg, status in report["legs"].items()
    )
    body.append(Text(calves, style="dim"))
    body.append(Text(f"Advice sources: {source_names(report['advice_sources'])}", style="dim"))
    return Panel(
        Group(*body),
        title=title,
        border_style="red" if severe else LEVEL_STYLE[verdict].split()[-1],
        expand=True,
        padding=(1, 2),
    )


def print_verdict(
    report: dict[str, Any], say_again: bool = False, console: Console | None = None
) -> None:
    """The panel; ``say_again``: the advice's first sentence once more under it, in red."""
    from calfcare.cli.console import Console as CliConsole

    console = console or CliConsole()
    console.print(verdict_panel(report))
    if say_again:
        console.print(Text(said_again(report), style="bold red"))
