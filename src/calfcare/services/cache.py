"""The read cache: results derived from the records, kept while the data version stays."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar, cast

from calfcare.storage import Store

T = TypeVar("T")
MISSING: Any = object()
"""`ReadCache.peek`'s answer when nothing is cached for the key."""


class ReadCache:
    """Results derived from the records (insights, stats, history rows, export bytes), kept
    for as long as the database's data version (`Store.data_version`) stays the same.

    Records are only ever added and every write adds one to the version in its own
    transaction, so a result computed at version *v* is right until the version moves. The
    version is read from the database on every `get` (one small query), so a write from
    another process, such as the CLI beside the web app, invalidates the cache as surely as
    a write from this one. When it moves, every entry is dropped: only one version's results
    are ever held. At most ``max_entries`` are kept, and encoded bodies (``bytes``) of at
    most ``max_bytes`` in all (an unfiltered export of five years is 5.5 MB, and a query
    string can ask for many different row sets); the least recently used goes first.

    Thread-safe (the web app's sync routes run in a thread pool), and one computation per
    key: when 32 requests miss the same key at once, one computes and the others wait for its
    result instead of loading five years of records 32 times. Values are shared between
    callers: treat them as read-only. No globals: the web app keeps one on ``app.state``.
    """

    def __init__(self, store: Store, max_entries: int = 64, max_bytes: int = 64 * 2**20) -> None:
        self.store = store
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._version: int | None = None
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._pending: dict[Hashable, Future[object]] = {}
        self.hits = 0
        self.misses = 0

    def peek(self, key: Hashable) -> tuple[int, Any]:
        """``(data version, the cached value or MISSING)``, computing nothing: an async web
        route answers a hit without a thread hop and sends a miss to a worker thread."""
        version = self.store.data_version()
        with self._lock:
            self._move_to(version)
            value = self._entries.get((version, key), MISSING)
            if value is not MISSING:
                self._entries.move_to_end((version, key))
                self.hits += 1
        return version, value

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for ``key`` at the current data version, or ``compute()``'s."""
        return self.get_at(key, compute)[1]

    def get_at(self, key: Hashable, compute: Callable[[], T]) -> tuple[int, T]:
        """`get`, with the data version the value is kept under (for a page cache that
        must vary with it)."""
        version = self.store.data_version()
        full_key = (version, key)
        with self._lock:
            self._move_to(version)
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                self.hits += 1
                return version, cast(T, self._entries[full_key])
            self.misses += 1
            waiting = self._pending.get(full_key)
            if waiting is None:
                future: Future[object] = Future()
                self._pending[full_key] = future
        if waiting is not None:
            return version, cast(T, waiting.result())
        try:
            value = compute()
        except BaseException as error:
            with self._lock:
                self._pending.pop(full_key, None)
            future.set_exception(error)
            raise
        with self._lock:
            self._pending.pop(full_key, None)
            if self._version == version and full_key not in self._entries:
                self._entries[full_key] = value
                self._bytes += _size(value)
                while self._entries and (
                    len(self._entries) > self.max_entries or self._bytes > self.max_bytes
                ):
                    _, dropped = self._entries.popitem(last=False)
                    self._bytes -= _size(dropped)
        future.set_result(value)
        return version, value

    def _move_to(self, version: int) -> None:
        """Drop everything kept for another version (call with the lock held)."""
        if version != self._version:
            self._version = version
            self._entries.clear()
            self._bytes = 0
            self._pending.clear()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
            self._version = None


def _size(value: object) -> int:
    """What a cached value counts against ``max_bytes``: encoded bodies only."""
    return len(value) if isinstance(value, bytes) else 0
