"""A whole number typed as text, read the one safe way.

``str.isdigit`` alone is not enough: it accepts "²" and other digits that ``int`` refuses
(a ValueError, once a 500), and any length (``int`` refuses more than 4,300 digits, and a
huge number is never a count, an id or a port). Every edge that reads a number from text a
person or a client sent (a query string, a form field, a header, a terminal reply, a
setting) goes through `whole_number`.
"""

from __future__ import annotations


def whole_number(text: str, max_digits: int) -> int | None:
    """``text`` as a whole number when it is 1 to ``max_digits`` of the ASCII digits 0-9,
    else None (no sign, no spaces, no "²")."""
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None
