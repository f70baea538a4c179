"""The screening verdict as plain text, for output that is not a terminal.

On a terminal the verdict is Rich's coloured panel (`calfcare.cli.render`), impossible to
miss. Piped into a file, a log or another program, a box of line-drawing characters and
hard-wrapped lines only get in the way, and importing Rich costs more than the whole rest of
`calfcare screen --answers` (about 26 ms: docs/performance.md). So non-terminal output gets
the same content as plain lines: the mark and headline, the advice, each finding with its
level and sources, each calf's status, the advice's sources.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any, TextIO

from calfcare.cli.verdict_words import LEVEL_MARK, calf_status, said_again
from calfcare.content.source_names import source_names
from calfcare.core.day_words import day_text
from calfcare.core.levels import LEVEL_WORDS

if TYPE_CHECKING:
    from calfcare.services.safety import AfterScreening


def verdict_lines(report: dict[str, Any], *, say_again: bool = False) -> list[str]:
    """The panel's content, line by line, without styling or wrapping (``say_again``: the
    advice's first sentence again, last)."""
    verdict = report["verdict"]
    lines = [f"{LEVEL_MARK[verdict]}: {report['headline']}", ""]
    if verdict in ("urgent", "emergency"):
        lines += [report["headline"].upper(), ""]
    lines.append(report["advice"])
    if report["findings"]:
        lines += ["", "Why:"]
        for finding in report["findings"]:
            lines.append(
                f"  • [{LEVEL_MARK[finding['level']]}] {finding['message']}"
                f"  (sources: {source_names(finding['sources'])})"
            )
    lines.append("")
    calves = (f"{leg} calf: {calf_status(status)}" for leg, status in report["legs"].items())
    lines.append(", ".join(calves))
    lines.append(f"Advice sources: {source_names(report['advice_sources'])}")
    if say_again:
        lines += ["", said_again(report)]
    return lines


def state_lines(after: AfterScreening, verdict: str) -> list[str]:
    """What governs next, after the verdict of a recorded screening: a hold it started, a
    hold still on (a check with nothing found does not lift it), or a calf's sharp-pain stop
    still to be answered; nothing when none of these, and nothing after an emergency (the
    number to call stays the last line on the screen: nothing else matters until then)."""
    hold = after.hold
    if verdict == "emergency":
        return []
    lifts = "only a clinician ruling out a clot does. What lifts it: calfcare safety"
    if hold is not None and verdict == "urgent":
        started = (
            "A hold on massage of both calves is now on: calfcare offers no routine and no "
            f"session until it is lifted. A new safety check does not lift it; {lifts}"
        )
        return ["", started]
    if hold is not None:
        still = (
            f"A HOLD ON MASSAGE IS STILL ON ({LEVEL_WORDS[hold.level]}), since "
            f"{day_text(hold.since)}. This safety check does not lift it; {lifts}"
        )
        return ["", still]
    lines = []
    for leg, day in after.pain_stops.items():
        lines += [
            "",
            f"Your {leg} calf stopped a session for sharp pain on {day_text(day)}; calfcare asks "
            "about it before the next plan. When the pain has gone or been checked: calfcare "
            f"safety pain-checked --leg {leg}",
        ]
    return lines


def show_verdict(
    report: dict[str, Any], say_again: bool = False, stream: TextIO | None = None
) -> None:
    """Print the verdict: Rich's panel on a terminal, plain lines anywhere else."""
    out = stream or sys.stdout
    if out.isatty():
        from calfcare.cli.render import print_verdict

        print_verdict(report, say_again)
    else:
        out.write("\n".join(verdict_lines(report, say_again=say_again)) + "\n")
