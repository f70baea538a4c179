"""The site navigation, and the hook later pages plug into.

An entry is shown only when the app has a route of that name, so the nav never links to a
page that does not exist. To add a page to the nav: give its route ``name="..."`` and list
that name here, in the order it should appear. Entries for the pages other people are
building (plan, session, check-ins, history, insights, export) are already listed: they
appear the moment their routes are registered with those names.

On a phone the nav is one row of the most used entries (`PRIMARY`) and a "More" disclosure
(a ``<details>``, no script) with the rest; on a wide screen every entry is in view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

Viewer = Literal["personal", "anonymous", "person", "clinician"]
"""Who a page is for: anyone on a personal install (no accounts), or on a server an
anonymous visitor, a signed-in person or a signed-in clinician. Cached pages vary on it."""


@dataclass(frozen=True, slots=True)
class NavEntry:
    """One nav link: the route's name (as in ``name=`` on the route) and its label."""

    route: str
    label: str


NAV: tuple[NavEntry, ...] = (
    NavEntry("home", "Home"),
    NavEntry("screening", "Safety check"),
    NavEntry("plan", "Plan"),
    NavEntry("session", "Session"),
    NavEntry("checkins", "Check-in"),
    NavEntry("history", "History"),
    NavEntry("insights", "Insights"),
    NavEntry("learn", "Learn"),
    NavEntry("mobility", "Knee-to-wall test"),
    NavEntry("report", "Report"),
    NavEntry("export", "Export"),
    NavEntry("sharing", "Sharing"),
    NavEntry("clinic", "Your people"),
    NavEntry("account", "Account"),
    NavEntry("sign_in", "Sign in"),
)

SERVER_ONLY = frozenset({"account", "sharing", "clinic", "sign_in"})
"""Entries whose pages exist only in server mode (personal mode has no accounts)."""
CLINICIAN_ONLY = frozenset({"clinic"})
"""Entries shown only to a signed-in clinician (the pages refuse everyone else)."""
ANONYMOUS_ONLY = frozenset({"sign_in"})
"""Entries shown only to an anonymous visitor of a server."""


def visible(
    route_names: Iterable[str],
    nav: tuple[NavEntry, ...] = NAV,
    *,
    viewer: Viewer = "personal",
    public: Callable[[str], bool] = lambda route: True,
) -> list[NavEntry]:
    """The entries whose route is among ``route_names``, in nav order, that ``viewer`` can
    open: the clinician's only for a clinician; for an anonymous visitor only the routes
    that are ``public`` (the rest would send them to sign in) and "Sign in", which nobody
    else sees."""
    names = set(route_names)

    def shown(route: str) -> bool:
        if route in CLINICIAN_ONLY:
            return viewer == "clinician"
        if viewer == "anonymous":
            return route in ANONYMOUS_ONLY or public(route)
        return route not in ANONYMOUS_ONLY

    return [entry for entry in nav if entry.route in names and shown(entry.route)]


PRIMARY = ("home", "clinic", "session", "checkins", "history", "screening", "sign_in", "learn")
"""The entries kept one tap away on a phone, most wanted first: the first `MAX_PRIMARY` of
these that a viewer has. A person gets Home, Session, Check-in and History; a clinician
"Your people" before Check-in; an anonymous visitor the safety check, Learn and Sign in."""
MAX_PRIMARY = 4
"""How many fit on one row of a 390 px wide phone next to "More" (the longest labels)."""


@dataclass(frozen=True, slots=True)
class NavLinks:
    """A viewer's nav: ``primary`` always in view, ``more`` behind "More" on a phone; each
    in nav order. Iterating gives every entry (primary first)."""

    primary: tuple[NavEntry, ...]
    more: tuple[NavEntry, ...]

    def __iter__(self) -> Iterator[NavEntry]:
        return iter(self.primary + self.more)


def split(entries: Iterable[NavEntry]) -> NavLinks:
    """``entries`` (as `visible` gives them) split into the phone's row and its "More"."""
    shown = list(entries)
    routes = {entry.route for entry in shown}
    first = set([route for route in PRIMARY if route in routes][:MAX_PRIMARY])
    return NavLinks(
        primary=tuple(e for e in shown if e.route in first),
        more=tuple(e for e in shown if e.route not in first),
    )
