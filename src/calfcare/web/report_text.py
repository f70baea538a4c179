"""Text set by its font's own widths, for the report drawn with matplotlib
(`calfcare.web.report_figure`): how wide a line is, and a paragraph wrapped to a width.

matplotlib has no paragraph wrapping that knows the page; guessing an average character
width let bold lines run past the margin. Widths come from the glyphs of the font
matplotlib uses (DejaVu Sans, regular and bold), cached per character: measuring whole
strings with matplotlib takes milliseconds each, this microseconds.
"""

from __future__ import annotations

from functools import lru_cache

FIT = 0.95
"""Share of the line a wrapped line may fill, by the font's own widths: the 150 dpi PNG's
hinting sets small type up to 4.5 % wider (the PDF is set at the font's widths)."""


@lru_cache(maxsize=512)
def _advance(char: str, bold: bool) -> float:
    """A character's advance width in DejaVu Sans (or the font matplotlib would use), in
    points at 1 pt type."""
    from matplotlib.font_manager import FontProperties, findfont, get_font
    from matplotlib.ft2font import LoadFlags

    font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
    font.set_size(100, 72)
    glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
    return float(glyph.linearHoriAdvance) / 65536 / 100


def text_width(s: str, size: float, bold: bool = False) -> float:
    """The width of ``s`` set in ``size`` pt type, in inches."""
    return sum(_advance(c, bold) for c in s) * size / 72


def wrap(s: str, size: float, width: float, *, bold: bool = False) -> list[str]:
    """``s`` broken into lines at most ``width`` inches wide at ``size`` pt, measured with
    the font's own widths; a word longer than a line is broken where it must be."""
    limit = width * FIT
    lines: list[str] = []
    line = ""
    for word in s.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate, size, bold) <= limit:
            line = candidate
            continue
        if line:
            lines.append(line)
        while text_width(word, size, bold) > limit and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut], size, bold) > limit:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    return [*lines, line] if line or not lines else lines
