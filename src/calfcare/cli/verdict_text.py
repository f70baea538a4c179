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
from typing import Any, TextIO

from calfcare.cli.verdict_words import LEVEL_MARK, said_again
from calfcare.content.source_names import source_names


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
    calves = (f"{leg} calf: {_calf(status)}" for leg, status in report["legs"].items())
    lines.append(", ".join(calves))
    lines.append(f"Advice sources: {source_names(report['advice_sources'])}")
    if say_again:
        lines += ["", said_again(report)]
    return lines


def _calf(status: dict[str, Any]) -> str:
    if status["deep_work_allowed"]:
        allowed = "massage ok"
    elif status["massage_allowed"]:
        allowed = "gentle only"
    else:
        allowed = "no massage"
    return f"{status['level']} ({allowed})"


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
