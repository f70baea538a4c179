"""The site navigation, and the hook later pages plug into.

An entry is shown only when the app has a route of that name, so the nav never links to a
page that does not exist. To add a page to the nav: give its route ``name="..."`` and list
that name here, in the order it should appear. Entries for the pages other people are
building (plan, session, check-ins, history, insights, export) are already listed: they
appear the moment their routes are registered with those names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
)

SERVER_ONLY = frozenset({"account", "sharing", "clinic"})
"""Entries whose pages exist only in server mode (personal mode has no accounts)."""
CLINICIAN_ONLY = frozenset({"clinic"})
"""Entries shown only to a signed-in clinician (the pages refuse everyone else)."""


def visible(
    route_names: Iterable[str], nav: tuple[NavEntry, ...] = NAV, *, clinician: bool = False
) -> list[NavEntry]:
    """The entries whose route is among ``route_names``, in nav order (the clinician's
    entries only for a ``clinician``)."""
    names = set(route_names)
    return [entry for entry in nav if entry.route in names
            and (clinician or entry.route not in CLINICIAN_ONLY)]  # fmt: skip
