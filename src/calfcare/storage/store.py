"""The store: one transaction per use case, core records in and out.

    with store.transaction() as tx:
        tx.add_note(note)
        ...

Everything inside the ``with`` commits together when the block ends, or not at all when it
raises, so a use case is never half-written. When ``transaction()`` returns, the commit is
durable (see `calfcare.storage.engine` for SQLite's settings). Reads return core dataclasses
in the canonical order of `RecordSet.sorted` (sorted in Python, because SQLite and
PostgreSQL order text differently), built from plain column tuples (`convert`), not ORM
entities, which cost more than everything else about a read.

People: a store is bound to one person (`Store.person_id`), and every read is filtered and
every write stamped with that person's id here, in storage, so no use case can forget it.
`open_store` gives the implicit person of personal mode (`PERSONAL`); `Store.for_person`
gives another person's view of the same database (sharing its engine and connections), and
`Store.add_person` makes a new person.

The data version: records are only ever added, so every transaction that wrote adds one to
the person's ``data_version`` row, last, in the same transaction (here, centrally, so that no
write path can forget it). A transaction that only read leaves it alone.
`Store.data_version` reads it in one small query, for this person only (another person's
writes leave it alone); caches of derived results key on it (`calfcare.services.ReadCache`).
Concurrent writers for one person serialise on that person's row at the end of their
transactions (SQLite already holds the write lock from ``BEGIN IMMEDIATE``; on PostgreSQL
``version = version + 1`` waits for the other writer and then adds to its committed number,
so no increment is lost and, taken last, it cannot deadlock).

`Store.reading` is a read-only transaction: on SQLite a deferred ``BEGIN`` (a WAL snapshot,
no write lock), so concurrent readers never queue behind each other or behind a writer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from calfcare.core.accounts import SessionTimes
from calfcare.core.errors import RecordIdTaken
from calfcare.storage import version
from calfcare.storage.engine import READ_ONLY, display_url
from calfcare.storage.errors import StorageError
from calfcare.storage.queries import insert_person
from calfcare.storage.tables import PERSONAL
from calfcare.storage.transaction import Transaction
from calfcare.storage.version import VersionReader

if TYPE_CHECKING:  # imported where used: a screening recorded on the CLI needs neither
    from calfcare.storage.accounts import Account, AccountTransaction
    from calfcare.storage.clinic import ClinicTransaction


class Store:
    """One person's records in a database. Build it with `calfcare.storage.open_store`."""

    def __init__(self, engine: Engine, person_id: int = PERSONAL) -> None:
        self.engine = engine
        self.person_id = person_id
        """Whose records this store reads and writes (`PERSONAL` in personal mode)."""
        self._reader = engine.execution_options(**{READ_ONLY: True})
        self._version_reader = VersionReader(self)
        self._owns_engine = True
        self._life = {"closed": False}  # shared with every `for_person` view

    def for_person(self, person_id: int) -> Store:
        """The same database as another person's store: same engine, connections and data
        version reader, nothing opened (cheap enough per request). Closing it closes nothing;
        close the store `open_store` gave. The id is not checked here: a person that does
        not exist has no records, and a write for it is refused by the database."""
        view = object.__new__(Store)
        view.__dict__.update(self.__dict__)
        view.person_id = person_id
        view._owns_engine = False
        return view

    def add_person(self, at: datetime | None = None) -> int:
        """Make a new person with no records (data version 0); returns their id."""
        created = (at or datetime.now(UTC)).astimezone(UTC)
        with self._errors(), self.engine.begin() as session:
            return insert_person(session, created)

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for messages (a database opened read-only is
        named by its file, as the person gave it, not by the ``file:...?mode=ro`` URI)."""
        return display_url(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One unit of work: commits at the end of the block, rolls back if it raises; adds
        one to the data version when it wrote anything."""
        tx: Transaction | None = None
        try:
            with self._errors(), self.engine.begin() as session:
                tx = Transaction(session, self.person_id)
                yield tx
                if tx.wrote:
                    tx.bump_version()
        finally:
            if tx is not None and tx.wrote:  # committed or not: read it again
                version.forget(self.person_id)

    @contextmanager
    def accounts(self, *, read_only: bool = False) -> Iterator[AccountTransaction]:
        """One transaction on the accounts, sign-in sessions and refused sign-ins (every
        person's: they are how a person is found, `calfcare.services.accounts`); with
        ``read_only`` a snapshot that takes no write lock, as `reading` does."""
        from calfcare.storage.accounts import AccountTransaction

        writer_or_reader = self._reader if read_only else self.engine
        with self._errors(), writer_or_reader.begin() as session:
            yield AccountTransaction(session)

    @contextmanager
    def clinic(self, *, read_only: bool = False) -> Iterator[ClinicTransaction]:
        """One transaction on invitations, shares, prescriptions, the audit log and calendar
        feeds (every person's: `calfcare.services.clinic` checks the share first)."""
        from calfcare.storage.clinic import ClinicTransaction

        writer_or_reader = self._reader if read_only else self.engine
        with self._errors(), writer_or_reader.begin() as session:
            yield ClinicTransaction(session)

    @contextmanager
    def reading(self) -> Iterator[Transaction]:
        """A transaction that only reads (its writes raise): one consistent snapshot, and on
        SQLite no write lock, so any number of readers run at once."""
        with self._errors(), self._reader.begin() as session:
            yield Transaction(session, self.person_id, read_only=True)

    def data_version(self) -> int:
        """The number every committed write of this person's increases (0: never written).

        Cheap enough to ask on every request (a few µs on SQLite): one query on a DBAPI
        connection kept for this alone (`calfcare.storage.version`), in autocommit mode so that each
        ask reads the newest commit. It never waits for the shared pool, so an async route
        may ask on the event loop even while worker threads hold every pooled connection.
        """
        reader = self._version_reader
        return version.kept(self.person_id, lambda: reader.read(self.person_id))

    def signed_in(self, token_hash: str) -> tuple[Account, SessionTimes] | None:
        """The account and times of the sign-in session stored under ``token_hash``, or
        None (whether it is alive is the accounts service's question). A server asks on
        every request, so it is one statement on the data version's connection, read
        fresh each time: a session revoked by any worker is seen at once."""
        from calfcare.storage.accounts import signed_in_query, signed_in_row

        reader = self._version_reader
        row = reader.one(signed_in_query(reader.placeholder), (token_hash,))
        found = signed_in_row(row)
        if found is not None:  # the person's data version came in the same statement
            version.keep(found[0].person_id, row[-1])
        return found

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except IntegrityError as error:
            # A record id (a client's uuid) is unique across people: one person's write can
            # clash with another's record, which this person's store cannot see.
            taken = "That id is already used by another record; nothing was saved."
            raise RecordIdTaken(
                f"The database refused the change ({type(error.orig).__name__}): {taken}",
                advice=f"{taken} Send the record with a new id.",
            ) from error
        except PoolTimeout as error:
            raise StorageError(
                f"The database at {self.display_url} is busy: every connection of this "
                "process stayed in use for 30 seconds.",
                advice="The server is busy; nothing was saved. Try again in a minute.",
            ) from error
        except DBAPIError as error:
            detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
            if "readonly" in detail:  # SQLite: "attempt to write a readonly database"
                raise StorageError(
                    f"The database at {self.display_url} is read-only (a read-only file "
                    "system, or a folder this user cannot write), so nothing was saved. "
                    "Reading and export still work.",
                    advice="The database is read-only, so nothing was saved; reading still "
                    "works. Whoever runs calfcare can make its data folder writable.",
                ) from error
            raise StorageError(
                f"The database at {self.display_url} cannot be used: {detail}"
            ) from error

    @property
    def closed(self) -> bool:
        """Whether the store `open_store` gave (this view's, for a view) was closed: work
        left for later (`calfcare.services.background`) skips it rather than open the
        database again."""
        return self._life["closed"]

    def close(self) -> None:
        """Close the database (a `for_person` view closes nothing)."""
        if self._owns_engine:
            self._life["closed"] = True
            self._version_reader.close()
            self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


__all__ = ["PERSONAL", "Store", "Transaction"]
