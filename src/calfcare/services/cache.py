"""The read cache: results derived from the records, kept while the data version stays."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from calfcare.storage import Store

T = TypeVar("T")
MAX_ENTRIES = 4096
"""Results kept, everyone's together: a server's 200 people each keep a few (stats, the
home page's summary, the safety state, …), and 64, the bound this replaced, made every one
of them miss under bench/multi_person.py. The values are small (encoded bodies are bounded
in bytes as well)."""
MISSING: Any = object()
"""`ReadCache.peek`'s answer when nothing is cached for the key."""


class ReadCache:
    """Results derived from the records (insights, stats, history rows, export bytes), kept
    for as long as the person's data version (`Store.data_version`) stays the same.

    Records are only ever added and every write adds one to its person's version in its own
    transaction, so a result computed at version *v* is right until the version moves. The
    version is read from the database on every `get` (one small query), so a write from
    another process, such as the CLI beside the web app, invalidates the cache as surely as
    a write from this one. Entries are kept per person, under ``(person, version, key)``:
    when a person's version moves, that person's entries are dropped, and nobody else's.
    At most ``max_entries`` (`MAX_ENTRIES`) are kept, and encoded bodies (``bytes``) of at most
    ``max_bytes`` in all (an unfiltered export of five years is 5.5 MB, and a query string
    can ask for many different row sets); the least recently used goes first, whoever's.

    `for_person` gives the same cache for another person's store (`Store.for_person`):
    what a server makes per request. ``store`` is the person's store the values are
    computed from.

    Thread-safe (the web app's sync routes run in a thread pool), and one computation per
    key: when 32 requests miss the same key at once, one computes and the others wait for its
    result instead of loading five years of records 32 times. Values are shared between
    callers: treat them as read-only. No globals: the web app keeps one on ``app.state``.
    """

    def __init__(
        self, store: Store, max_entries: int = MAX_ENTRIES, max_bytes: int = 64 * 2**20
    ) -> None:
        self.store = store
        self._kept = _Kept(max_entries, max_bytes)

    def for_person(self, store: Store) -> ReadCache:
        """This cache (its entries and limits, shared) for ``store``'s person."""
        view = object.__new__(ReadCache)
        view.store = store
        view._kept = self._kept
        return view

    @property
    def hits(self) -> int:
        return self._kept.hits

    @property
    def misses(self) -> int:
        return self._kept.misses

    def peek(self, key: Hashable) -> tuple[int, Any]:
        """``(data version, the cached value or MISSING)``, computing nothing: an async web
        route answers a hit without a thread hop and sends a miss to a worker thread."""
        person, version = self.store.person_id, self.store.data_version()
        kept = self._kept
        full_key = (person, version, key)
        with kept.lock:
            kept.move_to(person, version)
            value = kept.entries.get(full_key, MISSING)
            if value is not MISSING:
                kept.entries.move_to_end(full_key)
                kept.hits += 1
        return version, value

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key`` at the current data version, or ``compute()``'s."""
        return self.get_at(key, compute)[1]

    def get_at(self, key: Hashable, compute: Callable[[], T]) -> tuple[int, T]:
        """`get`, with the data version the value is kept under (for a page cache that
        must vary with it)."""
        return self.get_for_version(key, lambda _version: compute())

    def get_for_version(self, key: Hashable, compute: Callable[[int], T]) -> tuple[int, T]:
        """`get_at`, telling ``compute`` the data version its value will be kept under,
        read before it runs. A value must never be older than its version: one made from
        records read earlier, in another snapshot, is right for that version only if they
        were read at it (`calfcare.services.safety.safety_read`'s ``read_at``); else it
        reads them again."""
        person, version = self.store.person_id, self.store.data_version()
        kept = self._kept
        full_key = (person, version, key)
        with kept.lock:
            kept.move_to(person, version)
            if full_key in kept.entries:
                kept.entries.move_to_end(full_key)
                kept.hits += 1
                return version, cast(T, kept.entries[full_key])
            kept.misses += 1
            waiting = kept.pending.get(full_key)
            if waiting is None:
                future: Future[object] = Future()
                kept.pending[full_key] = future
        if waiting is not None:
            return version, cast(T, waiting.result())
        try:
            value = compute(version)
        except BaseException as error:
            with kept.lock:
                kept.pending.pop(full_key, None)
            future.set_exception(error)
            raise
        with kept.lock:
            kept.pending.pop(full_key, None)
            if kept.versions.get(person) == version and full_key not in kept.entries:
                kept.add(full_key, value)
        future.set_result(value)
        return version, value

    def clear(self) -> None:
        """Forget everything kept, for every person."""
        with self._kept.lock:
            self._kept.clear()


class _Kept:
    """What every person's view of one `ReadCache` shares (use with ``lock`` held).

    ``entries`` is one LRU order for everyone; ``keys`` indexes it by person, so that a
    write drops that person's entries without walking everyone's (a server with hundreds of
    people keeps thousands of entries)."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.lock = threading.Lock()
        self.bytes = 0
        self.versions: dict[int, int] = {}
        self.entries: OrderedDict[tuple[int, int, Hashable], object] = OrderedDict()
        self.keys: dict[int, set[tuple[int, int, Hashable]]] = {}
        self.pending: dict[tuple[int, int, Hashable], Future[object]] = {}
        self.hits = 0
        self.misses = 0

    def move_to(self, person: int, version: int) -> None:
        """Drop everything kept for another version of ``person``'s records."""
        if self.versions.get(person) == version:
            return
        self.versions[person] = version
        for full_key in self.keys.pop(person, ()):
            self.bytes -= _size(self.entries.pop(full_key))
        for full_key in [k for k in self.pending if k[0] == person]:
            del self.pending[full_key]

    def add(self, full_key: tuple[int, int, Hashable], value: object) -> None:
        self.entries[full_key] = value
        self.keys.setdefault(full_key[0], set()).add(full_key)
        self.bytes += _size(value)
        while self.entries and (
            len(self.entries) > self.max_entries or self.bytes > self.max_bytes
        ):
            dropped_key, dropped = self.entries.popitem(last=False)
            self.bytes -= _size(dropped)
            own = self.keys[dropped_key[0]]
            own.discard(dropped_key)
            if not own:
                del self.keys[dropped_key[0]]

    def clear(self) -> None:
        self.entries.clear()
        self.keys.clear()
        self.pending.clear()
        self.versions.clear()
        self.bytes = 0


def _size(value: object) -> int:
    """What a cached value counts against ``max_bytes``: encoded bodies only."""
    return len(value) if isinstance(value, bytes) else 0
