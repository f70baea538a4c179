"""What the live coach draws: one full-screen frame from the engine's `SessionView`.

Pure rendering: everything shown is computed from the view handed in (itself computed by the
engine from the monotonic clock), so a frame never depends on how many frames came before.
The layout fits 80x24: a header, the step and its big countdown, the cue, the pace guide,
progress for each calf and the whole session, a hint line, the keys, and a red
"x = SHARP PAIN" line that is always on screen.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from rich.console import Console, Group, RenderableType
from rich.text import Text

from calfcare.core.records import CalfRecord
from calfcare.core.routine import Plan, Step, StepKind
from calfcare.core.timeline import HOLD_MAX_MS, HOLD_MAY_RELEASE_MS, SessionView

CALF_MAX_SECONDS = 180
HOLD_MAY_RELEASE_SECONDS = HOLD_MAY_RELEASE_MS // 1000
HOLD_MAX_SECONDS = HOLD_MAX_MS // 1000

KIND_TITLE = {
    StepKind.POSITION: "GET READY",
    StepKind.SWITCH: "SWITCH LEGS",
    StepKind.PASSES: "ROLLING PASSES",
    StepKind.HOLD: "HOLD",
    StepKind.ACTIVE_RELEASE: "ACTIVE RELEASE",
    StepKind.PRESSURE: "PRESSURE",
    StepKind.STROKES: "STROKES",
}
HOLD_CUE = (
    "Stop rolling and stay on this tender spot, keeping the pressure. Breathe slowly. "
    "Tender is fine; sharp pain is not: press x."
)
KIND_NAME = {kind: title.lower() for kind, title in KIND_TITLE.items()}

# -- the big countdown ---------------------------------------------------------------------

_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
BIG_ROWS = 5
_PIXEL = "██"
_GAP = "  "


def _glyph_rows(char: str) -> list[str]:
    return [row.replace("#", _PIXEL).replace(" ", "  ") for row in _GLYPHS[char]]


BIG_FONT = {char: _glyph_rows(char) for char in _GLYPHS}


def big_text(text: str) -> list[str]:
    """``text`` (digits and ':') as 5 rows of block characters, glyphs two columns apart."""
    rows = [""] * BIG_ROWS
    for i, char in enumerate(text):
        for r, part in enumerate(BIG_FONT[char]):
            rows[r] += (_GAP if i else "") + part
    return rows


def read_big(rows: Sequence[str]) -> str | None:
    """Read back what `big_text` drew (rows starting where the first glyph starts).

    Used by the tests and the drift benchmark to read the countdown off a captured screen.
    """
    if len(rows) < BIG_ROWS:
        return None
    rows = [row.ljust(200) for row in rows[:BIG_ROWS]]
    out = ""
    pos = 0
    while True:
        for char in "0123456789:":
            glyph = BIG_FONT[char]
            width = len(glyph[0])
            if all(rows[r][pos : pos + width] == glyph[r] for r in range(BIG_ROWS)):
                out += char
                pos += width + len(_GAP)
                break
        else:
            return out or None


def clock_text(seconds: float) -> str:
    """Whole seconds as m:ss."""
    whole = max(0, int(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def shown_seconds(left: float) -> int:
    """A countdown shows whole seconds rounded up: 3 from 3.000 down to 2.001, then 2."""
    return max(0, math.ceil(round(left, 3)))


# -- frame content ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Frame:
    """Everything one screen shows (the coach builds it; `render_frame` draws it)."""

    plan: Plan
    view: SessionView
    calves: tuple[CalfRecord, ...]
    """Each calf's part so far (planned seconds always given: a coached session's)."""
    message: str = ""
    voice: bool = False


def countdown(view: SessionView) -> tuple[float, str]:
    """The big number (seconds left, not yet rounded) and what it counts down to."""
    calf_left = CALF_MAX_SECONDS - view.calf_elapsed
    if view.holding:
        if not view.may_release:
            left = min(HOLD_MAY_RELEASE_SECONDS - view.hold_seconds, calf_left)
            return left, "until you may release"
        left = min(HOLD_MAX_SECONDS - view.hold_seconds, calf_left)
        return left, "until the hold ends"
    return view.step_left, "left in this step"


def hint(view: SessionView) -> tuple[str, str]:
    """The line that says what to do now, and its style."""
    step = view.step
    if view.outcome is not None:
        return "The session has ended.", "bold"
    if view.paused:
        return "PAUSED. Press p to go on (the time stands still).", "bold black on yellow"
    if view.holding:
        if view.may_release:
            return (
                "You may release now: press SPACE. The hold ends by itself at 60 s.",
                "bold green",
            )
        return "Stay still on the tender spot. You may release at 30 s.", "bold cyan"
    if step is not None and step.kind is StepKind.PASSES:
        return "Found a tender spot? Press SPACE to stop there and hold it.", "cyan"
    if step is not None and not step.kind.counted:
        return "Get into place. The next step starts by itself.", "cyan"
    return "Follow the cue. The next step starts by itself.", "cyan"


def _bar(fraction: float, width: int, style: str) -> Text:
    fraction = min(max(fraction, 0.0), 1.0)
    full = round(fraction * width)
    return Text.assemble(("━" * full, style), ("─" * (width - full), "grey35"))


def pace_line(view: SessionView, width: int) -> Text:
    """The pace guide: a marker moving ankle → knee → ankle at the plan's pace."""
    step = view.step
    if view.holding:
        return Text("  Hold still: no rolling during a hold.", style="cyan")
    if view.pace_position is None or step is None or not step.pace_per_minute:
        return Text("")
    strokes = step.kind is StepKind.STROKES  # strokes go up only: back with the hands lifted
    track = max(10, width - 38 - (6 if strokes else 0))
    at = round(view.pace_position * (track - 1))
    arrow = "→ up" if view.pace_direction == "up" else "← down"
    if strokes:
        arrow = "→ stroke" if view.pace_direction == "up" else "← lift hands"
    line = Text("  pace  ankle ", style="bold")
    line.append("─" * at, style="grey50")
    line.append("●", style="bold yellow")
    line.append("─" * (track - 1 - at), style="grey50")
    line.append(" knee  ", style="bold")
    line.append(arrow, style="yellow")
    return line


def _header(frame: Frame, width: int) -> Text:
    plan, view = frame.plan, frame.view
    left = f" calfcare coach · {plan.tool.value.replace('-', ' ')} · {plan.intensity.value}"
    if view.step_index is not None and view.leg is not None:
        total = sum(len(calf.steps) for calf in plan.calves)
        right = f"{view.leg.value.upper()} CALF · step {view.step_index + 1} of {total} "
    else:
        right = "finished "
    state = " PAUSED " if view.paused else ""
    gap = max(1, width - len(left) - len(right) - len(state))
    text = Text(left + " " * gap, style="bold white on blue")
    text.append(state, style="bold black on yellow")
    text.append(right, style="bold white on blue")
    return text


def _step_title(view: SessionView) -> Text:
    step = view.step
    if step is None:
        return Text("")
    title = KIND_TITLE[step.kind]
    leg = view.leg.value if view.leg else ""
    if view.holding:
        title = "HOLD THE TENDER SPOT"
    text = Text(f" {title}", style="bold magenta" if view.holding else "bold")
    text.append(f"  {leg} calf", style="bold")
    return text


def _big_block(view: SessionView, width: int) -> list[Text]:
    left, label = countdown(view)
    shown = shown_seconds(left)
    rows = big_text(clock_text(shown))
    if view.paused:
        style = "yellow"
    elif view.holding:
        style = "bold magenta"
    elif shown <= 3:
        style = "bold red"
    else:
        style = "bold green"
    side: list[tuple[str, str]] = [("", ""), (label, "bold"), ("", "")]
    if view.holding:
        side.append((f"held {int(view.hold_seconds)} s (30 to 60 s)", ""))
    elif view.step is not None:
        side.append((f"of {view.step.seconds} s", "dim"))
    if view.paused:
        side.append(("PAUSED", "bold black on yellow"))
    out = []
    for r, row in enumerate(rows):
        line = Text("  ")
        line.append(row, style=style)
        if r < len(side) and side[r][0]:
            line.append("    ")
            line.append(side[r][0], style=side[r][1])
        out.append(line)
    return out


def _cue(view: SessionView, width: int, lines: int) -> list[Text]:
    step = view.step
    if step is None:
        return [Text("")] * lines
    cue = HOLD_CUE if view.holding else step.cue
    wrapped = Text(cue).wrap(_console_for_wrap(width - 4), width - 4)
    texts = [Text("  ") + line for line in wrapped]
    texts = texts[:lines]
    return texts + [Text("")] * (lines - len(texts))


@cache
def _console_for_wrap(width: int) -> Console:
    return Console(width=width, color_system=None, file=io.StringIO())


def _next_line(view: SessionView) -> Text:
    if view.holding:
        return Text(
            f"  then: back to rolling passes, {shown_seconds(view.step_left)} s left", style="dim"
        )
    following: Step | None = view.next_step
    if following is None:
        return Text("  next: the end of the session", style="dim")
    name = KIND_NAME[following.kind]
    where = f" ({following.leg.value} calf)" if following.leg is not None else ""
    return Text(f"  next: {name}{where}, {following.seconds} s", style="dim")


def _progress(frame: Frame, width: int) -> list[Text]:
    view = frame.view
    bar_width = max(10, width - 34)
    out = []
    for calf in frame.calves:
        current = view.leg == calf.leg
        mark = "▶" if current else " "
        line = Text(f" {mark} {calf.leg.value:<5} calf ", style="bold" if current else "")
        active, planned = calf.active_seconds, calf.planned_seconds or 0
        done = active >= planned
        line += _bar(active / planned if planned else 1.0, bar_width, "green")
        line.append(f" {clock_text(active):>5} of {clock_text(planned)}")
        if done and not current:
            line.append("  done", style="green")
        out.append(line)
    planned = view.session_planned
    line = Text("   session    ")
    line += _bar(view.session_elapsed / planned if planned else 1.0, bar_width, "blue")
    line.append(f" {clock_text(view.session_elapsed):>5} of {clock_text(planned)}")
    out.append(line)
    return out


def _keys(view: SessionView) -> Text:
    space = "release" if view.holding else "tender spot"
    p = "resume" if view.paused else "pause"
    text = Text(" ")
    n = "end the hold" if view.holding else "skip step"
    for key, what in (("SPACE", space), ("p", p), ("n", n), ("q", "quit")):
        text.append(f" {key} ", style="reverse bold")
        text.append(f" {what}   ")
    return text


def sharp_pain_line(width: int) -> Text:
    label = " x = SHARP PAIN: stop now "
    return Text(label.ljust(min(width, 80) - 1), style="bold white on red")


def render_frame(frame: Frame, width: int = 80, height: int = 24) -> RenderableType:
    """One screen for ``frame``: at most ``height`` lines, each at most ``width`` wide."""
    view = frame.view
    message, message_style = (frame.message, "bold yellow") if frame.message else hint(view)
    lines: list[Text] = [_header(frame, width), Text(""), _step_title(view)]
    lines += _big_block(view, width)
    lines.append(Text(""))
    lines += _cue(view, width, 3)
    lines.append(pace_line(view, width))
    lines.append(_next_line(view))
    lines.append(Text(""))
    lines += _progress(frame, width)
    lines.append(Text(""))
    lines.append(Text(f" {message}", style=message_style))
    lines.append(_keys(view))
    lines.append(sharp_pain_line(width))
    if len(lines) > height:
        # Short terminals: drop the spacer lines first, then the next-step line.
        lines = [line for line in lines if line.plain.strip() or line is lines[-1]]
    for line in lines:
        line.no_wrap = True
        line.overflow = "crop"
    return Group(*lines[:height])


def render_start(
    plan: Plan,
    notes: Sequence[str],
    *,
    voice: bool,
    tick: bool,
    width: int = 80,
    voice_missing: bool = False,
) -> RenderableType:
    """The screen before the clock starts: what is coming, the keys, how to start;
    ``voice_missing``: ``--voice`` was asked for but espeak-ng is not installed (said here,
    before the session, not after it)."""
    lines: list[Text] = [
        Text(
            f" calfcare coach · {plan.tool.value.replace('-', ' ')} · {plan.intensity.value}".ljust(
                width
            ),
            style="bold white on blue",
        ),
        Text(""),
    ]
    for calf in plan.calves:
        steps = ", ".join(f"{KIND_NAME[s.kind]} {s.seconds} s" for s in calf.steps)
        line = Text(f" {calf.leg.value} calf ({calf.seconds} s): ", style="bold")
        line.append(steps)
        lines.append(line)
    total = sum(s.seconds for c in plan.calves for s in c.steps)
    lines.append(Text(f" about {clock_text(total)} in all (more if you hold tender spots)"))
    lines.append(Text(""))
    for note in notes:
        lines.append(Text(f" Note: {note}", style="yellow"))
    if notes:
        lines.append(Text(""))
    lines += [
        Text(" Keys during the session:", style="bold"),
        Text("   SPACE  tender spot: stop rolling and hold it (SPACE again to release)"),
        Text("   p      pause / resume        n  skip this step        q  quit"),
        Text("   x      SHARP PAIN: stops the session at once", style="bold red"),
        Text(""),
        Text(
            " Sound: "
            + ("spoken cues" if voice else "text cues and the terminal bell")
            + (", a tick at each end of a pass" if tick else ""),
            style="dim",
        ),
        *(
            [Text(" --voice: espeak-ng is not installed, so the cues are text only.", "yellow")]
            if voice_missing
            else []
        ),
        Text(""),
        Text(" Press SPACE to start (q to leave).", style="bold green"),
    ]
    for line in lines:
        line.no_wrap = False
    return Group(*lines)
