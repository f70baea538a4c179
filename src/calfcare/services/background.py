"""Work done after the answer: one worker thread per process runs jobs queued by `later`.

What the clinician's list keeps up to date goes here (`calfcare.services.person_lines
.refresh_later`): a person's line after their write, a new prescription or a new share, and
the lines a list found stale. A job has a key; queuing a key already waiting replaces its
job (the newer one is what is wanted), so a burst of writes costs one refresh. A job that
raises is logged and dropped: nothing here is the only copy of anything.

Inside a web request (`deferred`, the web app's `calfcare.web.after_response`), jobs are held
until the response has been sent and only then queued, so they never delay it. `wait_idle`
waits for the queue to be empty (tests, the bench, and a command line that exits: `atexit`).
"""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

log = logging.getLogger(__name__)

Job = Callable[[], object]

_held: ContextVar[dict[Hashable, Job] | None] = ContextVar("calfcare_held_jobs", default=None)
_lock = threading.Condition()
_queue: dict[Hashable, Job] = {}
_busy = False
_worker: threading.Thread | None = None


def later(key: Hashable, job: Job) -> None:
    """Run ``job`` after the answer (in a request: once its response went out), in the
    worker thread; a job already waiting under ``key`` is replaced."""
    held = _held.get()
    if held is not None:
        held.pop(key, None)
        held[key] = job
        return
    _submit({key: job})


@contextmanager
def deferred() -> Iterator[None]:
    """Hold the jobs queued inside the block and queue them when it ends (its response has
    been sent), even when it raised; inside another such block, they join its jobs."""
    held: dict[Hashable, Job] = {}
    token = _held.set(held)
    try:
        yield
    finally:
        _held.reset(token)
        outer = _held.get()
        if outer is not None:
            for key, job in held.items():
                outer.pop(key, None)
                outer[key] = job
        elif held:
            _submit(held)


def wait_idle(timeout: float = 60.0) -> bool:
    """Wait until no job is waiting or running (True), or ``timeout`` seconds (False)."""
    with _lock:
        return _lock.wait_for(lambda: not _queue and not _busy, timeout)


def _submit(jobs: dict[Hashable, Job]) -> None:
    global _worker
    with _lock:
        for key, job in jobs.items():
            _queue.pop(key, None)
            _queue[key] = job
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="calfcare-after", daemon=True)
            _worker.start()
        _lock.notify_all()


def _run() -> None:
    global _busy
    while True:
        with _lock:
            _lock.wait_for(lambda: bool(_queue))
            key = next(iter(_queue))
            job = _queue.pop(key)
            _busy = True
        try:
            job()
        except Exception:  # logged; the list works out what a job failed to keep
            log.exception("A background job (%r) failed", key)
        finally:
            with _lock:
                _busy = False
                _lock.notify_all()


atexit.register(wait_idle, 30.0)
