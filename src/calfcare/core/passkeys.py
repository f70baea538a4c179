"""Passkeys' rules, pure (time comes in as an argument): a passkey's name, how long a
ceremony's challenge lives, the authenticator's counter, and which address a passkey can be
made for.

The service that applies them is `calfcare.services.passkeys` (with the WebAuthn library);
docs/accounts.md is the security model.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum

from calfcare.core.errors import InvalidInput, Problem

CHALLENGE_LIFETIME = timedelta(minutes=5)
"""How long a ceremony's challenge can be answered (and its cookie kept)."""
OPEN_SIGN_INS = 1000
"""At most this many passkey sign-ins under way (begun, not yet answered, for anyone): a
new one beyond it drops the oldest, so the stored challenges stay bounded whatever comes
from however many addresses (the per-address limit is `core.accounts.PASSKEY_BEGINS`)."""
NAME_LENGTH = 64
REFUSED = "That passkey could not be used to sign in. Try again or use your password."
"""The one answer to every passkey sign-in that fails, whatever the reason."""
NOT_ADDED = "That passkey could not be added. Try again."
THROTTLE_LOGIN = "(passkey)"
"""The login name a refused passkey sign-in is counted under (no login name can be it: the
throttle counts passkey sign-ins per address only)."""


class Ceremony(StrEnum):
    """What a challenge was given for."""

    ADD = "add"
    SIGN_IN = "sign-in"


def passkey_name(text: str) -> str:
    """The name a person gives a passkey, tidied (NFKC, spaces collapsed, no control
    characters); `InvalidInput` naming ``name`` when empty or longer than 64."""
    spaced = "".join(" " if c.isspace() else c for c in unicodedata.normalize("NFKC", text))
    cleaned = "".join(c for c in spaced if unicodedata.category(c)[0] != "C")
    name = " ".join(cleaned.split())
    if not name:
        raise InvalidInput([Problem("name", "Give the passkey a name, for example My phone.")])
    if len(name) > NAME_LENGTH:
        raise InvalidInput([Problem("name", f"Use at most {NAME_LENGTH} characters.")])
    return name


def challenge_alive(expires_at: datetime, now: datetime) -> bool:
    """Whether a challenge can still be answered."""
    return now < expires_at


def counter_moves_on(stored: int, reported: int) -> bool:
    """Whether the authenticator's counter is believable: it goes up at every use, or it is
    never kept (0 both times). A counter that stays or goes back (when either is not 0) may be
    a copied key: refused."""
    if stored == 0 and reported == 0:
        return True
    return reported > stored


def relying_party_id(host: str) -> str | None:
    """The name a passkey is made for, from this site's host name (no port), or None when
    passkeys cannot work here: browsers refuse an IP address (``127.0.0.1``; ``localhost``
    works)."""
    name = host.strip("[]").lower()
    if not name:
        return None
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name
    return None
