"""The live coach's adapters to the outside world: keys, sounds and the terminal's modes.

Each is small and replaceable, so the coach loop (`calfcare.cli.coach`) can be driven in tests
by a fake clock and a scripted key source, and records what it would have said.
"""

from __future__ import annotations

import os
import select
import shutil
import signal
import subprocess
import sys
import termios
import time
import tty
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, Protocol

Clock = Callable[[], float]
"""Seconds from a monotonic source; only differences matter."""


class KeysClosed(Exception):
    """The keyboard is gone (end of input, the terminal hung up)."""


class KeySource(Protocol):
    def read(self, timeout: float) -> str | None:
        """The next key pressed, waiting at most ``timeout`` seconds; None when none came."""


class Sounds(Protocol):
    def say(self, text: str) -> None: ...

    def bell(self) -> None: ...


class TerminalKeys:
    """Single keys from a terminal, without waiting for Enter and without echo.

    Use as a context manager: cbreak mode on entry, the saved terminal modes back on exit
    (whatever the exit: an error, Ctrl-C, SIGTERM). Ctrl-C keeps raising KeyboardInterrupt.
    Escape sequences (arrow keys and the like) are read whole and dropped.
    """

    def __init__(self, fd: int | None = None) -> None:
        self.fd = sys.stdin.fileno() if fd is None else fd
        self._saved: list[Any] | None = None
        self._pending: deque[str] = deque()

    def __enter__(self) -> TerminalKeys:
        self.enter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.restore()

    def enter(self) -> None:
        """Cbreak mode, no echo; keys typed before now (answers typed ahead) are dropped."""
        if self._saved is None:
            self._saved = termios.tcgetattr(self.fd)
            termios.tcflush(self.fd, termios.TCIFLUSH)
        tty.setcbreak(self.fd, termios.TCSANOW)
        mode = termios.tcgetattr(self.fd)
        mode[3] &= ~termios.ECHO
        termios.tcsetattr(self.fd, termios.TCSANOW, mode)

    def restore(self) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def read(self, timeout: float) -> str | None:
        if self._pending:
            return self._pending.popleft()
        ready, _, _ = select.select([self.fd], [], [], max(0.0, timeout))
        if not ready:
            return None
        data = os.read(self.fd, 64)
        if not data:
            raise KeysClosed()
        text = data.decode("utf-8", errors="replace")
        if text.startswith("\x1b"):
            return None
        self._pending.extend(text)
        return self._pending.popleft()


class ScriptedKeys:
    """Keys at given clock times, for tests and the benchmark: ``[(t, key), ...]``.

    ``read`` returns a key once the clock has reached its time; otherwise it moves a fake
    clock on (``advance``) up to the timeout or the next key, whichever comes first.
    """

    def __init__(
        self,
        script: Iterable[tuple[float, str]],
        clock: Clock,
        advance: Callable[[float], None] | None = None,
    ) -> None:
        self.script = deque(sorted(script, key=lambda item: item[0]))
        self.clock = clock
        self.advance = advance

    def read(self, timeout: float) -> str | None:
        now = self.clock()
        if self.script and self.script[0][0] <= now:
            return self.script.popleft()[1]
        wait = timeout if not self.script else min(timeout, self.script[0][0] - now)
        if self.advance is not None:
            self.advance(wait)
        else:
            time.sleep(max(0.0, wait))
        if self.script and self.script[0][0] <= self.clock():
            return self.script.popleft()[1]
        return None


class FakeClock:
    """A clock that moves only when told to (tests)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += max(0.0, seconds)


class RecordedSounds:
    """Remembers what would have been said or rung (tests)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock = clock
        self.events: list[tuple[float, str, str]] = []

    def _t(self) -> float:
        return self.clock() if self.clock else 0.0

    def say(self, text: str) -> None:
        self.events.append((self._t(), "say", text))

    def bell(self) -> None:
        self.events.append((self._t(), "bell", ""))

    def said(self) -> list[str]:
        return [text for _, kind, text in self.events if kind == "say"]


class TerminalSounds:
    """The terminal bell, and speech through espeak-ng when asked for and installed.

    Speech never blocks: each utterance is its own espeak-ng process, and a new one cuts off
    the one still speaking (the newer cue is the one that matters). espeak-ng's exit status
    says nothing about whether audio played, so it is not looked at.
    """

    def __init__(
        self,
        write: Callable[[str], None],
        *,
        voice: bool,
        command: str | None = "espeak-ng",
    ) -> None:
        self.write = write
        self.program = shutil.which(command) if (voice and command) else None
        self._speaking: subprocess.Popen[bytes] | None = None

    @property
    def speaking_enabled(self) -> bool:
        return self.program is not None

    def say(self, text: str) -> None:
        if self.program is None:
            return
        self.stop()
        try:
            self._speaking = subprocess.Popen(
                [self.program, "-s", "155", text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except OSError:
            self.program = None

    def bell(self) -> None:
        self.write("\a")

    def stop(self) -> None:
        speaking = self._speaking
        if speaking is not None and speaking.poll() is None:
            speaking.terminate()
        self._speaking = None


@contextmanager
def terminal_guard(on_suspend: Callable[[], None], on_resume: Callable[[], None]) -> Iterator[None]:
    """Keep the terminal sane whatever happens while the coach owns it.

    SIGTERM and SIGHUP become `SystemExit` (so every ``finally`` runs and the terminal is
    restored); Ctrl-C is `KeyboardInterrupt` even if SIGINT was ignored when calfcare
    started; Ctrl-Z (SIGTSTP) calls ``on_suspend`` (restore the terminal), stops the
    process, and calls ``on_resume`` when it is continued. The previous handlers come back on
    exit. Outside the main thread (some test runners) it does nothing.
    """
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def exit_on(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    def suspend(_signum: int, _frame: FrameType | None) -> None:
        on_suspend()
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)
        # ... stopped here until SIGCONT ...
        signal.signal(signal.SIGTSTP, suspend)
        on_resume()

    previous = {
        sig: signal.signal(sig, handler)
        for sig, handler in (
            (signal.SIGTERM, exit_on),
            (signal.SIGHUP, exit_on),
            (signal.SIGTSTP, suspend),
            # Ctrl-C quits the session (docs/coach.md) even when calfcare was started with
            # SIGINT ignored (from `nohup ... &`, a background job, some runners): Python then
            # installs no KeyboardInterrupt handler, and the key did nothing at all.
            (signal.SIGINT, signal.default_int_handler),
        )
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
