"""One error tree for the whole product.

Every error the domain raises is a `CalfcareError`; the adapters translate each class to an
exit status (``cli/errors.py``) or an HTTP status (``web/errors.py``) in one table each, so
the mapping lives in exactly one place per edge::

    CalfcareError
    ├── InvalidInput          bad input; names every offending field       exit 2, HTTP 422
    │   └── MalformedInput    unreadable: not UTF-8, not JSON, too deep     exit 2, HTTP 400
    ├── PlanBlocked           screening says: no plan today                exit 3, HTTP 409
    ├── SessionConflict, ClientIdConflict  an id already names another record     HTTP 409
    ├── NotAllowed            not this account's to see or do (no share)    exit 4, HTTP 403
    ├── TooManyTries          too many from one network: wait (retry_after)         HTTP 429
    ├── ContentError          a shipped content file is malformed           exit 1 (a bug)
    └── StorageError          the database could not be used                exit 1, HTTP 503

The class docstring is the default message (as Fava's ``FavaAPIError`` does). The JSON shape
of an error is the screening contract's ``{"error": ..., "problems": [...]}`` everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: a dotted path to the field and a plain message."""

    field: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class CalfcareError(Exception):
    """Something went wrong in calfcare."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or (type(self).__doc__ or "").strip()
        super().__init__(self.message)

    def to_json(self) -> dict[str, Any]:
        return {"error": self.message, "problems": []}


class InvalidInput(CalfcareError):
    """The input is not valid."""

    def __init__(self, problems: list[Problem], message: str | None = None) -> None:
        if not problems:
            raise ValueError("InvalidInput needs at least one problem")
        self.problems = list(problems)
        super().__init__(message)

    def to_json(self) -> dict[str, Any]:
        return {"error": self.message, "problems": [p.to_json() for p in self.problems]}

    def describe(self) -> str:
        """One human-readable block: the summary, then one line per problem."""
        lines = [self.message]
        lines += [f"  - {p.field}: {p.message}" for p in self.problems]
        return "\n".join(lines)


class MalformedInput(InvalidInput):
    """The input could not be read at all: not UTF-8, not JSON, or nested too deeply.

    Raised by `calfcare.core.json_input.parse_json`; its problem says where it broke (line
    and column). A kind of `InvalidInput` (exit 2, nothing written) that HTTP calls 400."""


class PlanBlocked(CalfcareError):
    """The screening answers rule out massage today, so no plan was made."""

    def __init__(self, verdict: str, advice: str, notes: list[str]) -> None:
        self.verdict = verdict
        self.advice = advice
        self.notes = list(notes)
        super().__init__(advice)

    def to_json(self) -> dict[str, Any]:
        return {
            "contract": 1,
            "planned": False,
            "verdict": self.verdict,
            "advice": self.advice,
            "notes": self.notes,
        }


class SessionConflict(CalfcareError):
    """A session with this id is already stored, with different content: an id names one
    session forever (a repeated upload of the same session is not a conflict)."""


class ClientIdConflict(CalfcareError):
    """A record with this client id is already stored with different content: a client id
    names one record forever (a repeat of the very same record is not a conflict)."""


class NotAllowed(CalfcareError):
    """That is not yours to see or change: the person does not share their records with you,
    or your account's role cannot do it. Nothing was read or changed."""


class TooManyTries(CalfcareError):
    """Too many tries from this network: try again later.

    Raised when an address has used up one of its limits (`calfcare.core.accounts.AddressLimit`);
    ``retry_after`` is how long until it may try again (the web's 429 and ``Retry-After``)."""

    def __init__(self, message: str, retry_after: timedelta) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ContentError(CalfcareError):
    """A content file shipped with calfcare is malformed."""


class StorageError(CalfcareError):
    """The database could not be used.

    Raised by ``calfcare.storage`` (which re-exports it) for a database that cannot be
    reached, is locked for too long, or was written by a newer calfcare. Bad input is never a
    `StorageError`: it is refused as `InvalidInput` before anything is written. Defined here so
    the adapters can map it without importing storage (and SQLAlchemy) at start-up.

    ``message`` may name the database's URL or file (for the person at the terminal, and the
    server's log); ``advice`` is what a web client is told instead: what to do, never where
    the database is.
    """

    DEFAULT_ADVICE = (
        "The database cannot be used right now; nothing was changed. Try again in a moment; "
        "if it keeps happening, the server's log says why."
    )

    def __init__(self, message: str | None = None, *, advice: str | None = None) -> None:
        super().__init__(message)
        self.advice = advice or self.DEFAULT_ADVICE


class RecordIdTaken(StorageError):
    """The database refused a write because a record id is already used, perhaps by another
    person's record, which this person's store cannot see: a conflict (the web's 409), not a
    broken database. A `StorageError` still, so that a write racing another with one client
    id looks again (`services.common.save_once`)."""
