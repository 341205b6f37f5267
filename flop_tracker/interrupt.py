"""Stop a DuckDB query on Ctrl-C or after a time limit, and free the database.

While DuckDB runs a query the main thread is inside C++, and Python runs its signal handlers only
between bytecodes: Ctrl-C did nothing until the query ended (a three-way cross join ran on after two
SIGINTs and kept `build` locked out). Here a watchdog thread waits on a pipe to which the interpreter
writes the signal's number the moment a signal arrives (`signal.set_wakeup_fd`, done in C whatever the
main thread is doing), and on the deadline; either way it calls `con.interrupt()`, which DuckDB
honours within milliseconds, and the query raises `duckdb.InterruptException` in the main thread.

Should the query not stop within GRACE_S seconds of that, or a second Ctrl-C come, the process exits
with status 130 at once: the operating system then releases the database's lock.
"""

from __future__ import annotations

import os
import select
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

GRACE_S = 3.0
_STOP = b"\0"  # written by the main thread when the block ends; no signal has number 0


class QueryStopped(Exception):
    """The query was interrupted (Ctrl-C) or ran past its time limit; the message says which."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class Watch:
    """What the watchdog did: nothing yet, or why it interrupted the query."""

    def __init__(self, timeout: float | None) -> None:
        self.timeout = timeout
        self.reason: str | None = None  # "interrupted" | "timeout"

    def stopped(self) -> QueryStopped:
        if self.reason == "timeout":
            return QueryStopped(
                f"stopped after {self.timeout:g} s (--timeout {self.timeout:g}; --timeout 0 waits as long as it takes)",
                2,
            )
        return QueryStopped("interrupted (Ctrl-C)", 130)

    def check(self) -> None:
        """Raise when the watchdog has stopped the query (between fetches, where no query runs)."""
        if self.reason is not None:
            raise self.stopped()


def _exit_now() -> None:
    os.write(2, b"error: the query did not stop; exiting\n")
    os._exit(130)


def _watch(con: duckdb.DuckDBPyConnection, watch: Watch, wakeup: int) -> None:
    deadline = time.monotonic() + watch.timeout if watch.timeout else None
    stopping_since: float | None = None
    while True:
        now = time.monotonic()
        waits = []
        if deadline is not None and watch.reason is None:
            waits.append(deadline - now)
        if stopping_since is not None:
            waits.append(stopping_since + GRACE_S - now)
        ready, _, _ = select.select([wakeup], [], [], max(0.0, min(waits)) if waits else None)
        now = time.monotonic()
        if ready:
            data = os.read(wakeup, 256)
            if _STOP in data:
                return
            if bytes([signal.SIGINT]) in data:
                if watch.reason is not None:  # a second Ctrl-C: no more waiting
                    _exit_now()
                watch.reason, stopping_since = "interrupted", now
                con.interrupt()
        elif stopping_since is not None and now >= stopping_since + GRACE_S:
            _exit_now()
        elif deadline is not None and now >= deadline and watch.reason is None:
            watch.reason, stopping_since = "timeout", now
            con.interrupt()


def _note_signal(signum: int, frame: object) -> None:
    """Python-level SIGINT handler while a query runs: the watchdog acts; nothing to do here."""


@contextmanager
def interruptible(con: duckdb.DuckDBPyConnection, timeout: float | None) -> Iterator[Watch]:
    """Within the block, Ctrl-C or `timeout` seconds (None: no limit) interrupt `con`'s query.

    An interrupted query's `duckdb.InterruptException` leaves the block as QueryStopped. Ctrl-C is
    caught only in the main thread (where Python delivers signals); elsewhere only the timeout applies.
    """
    watch = Watch(timeout)
    read_end, write_end = os.pipe()
    os.set_blocking(read_end, False)
    os.set_blocking(write_end, False)
    in_main = threading.current_thread() is threading.main_thread()
    old_handler = old_wakeup = None
    if in_main:
        old_handler = signal.signal(signal.SIGINT, _note_signal)
        old_wakeup = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)
    watchdog = threading.Thread(target=_watch, args=(con, watch, read_end), name="query-watchdog", daemon=True)
    watchdog.start()
    try:
        yield watch
    except duckdb.InterruptException:
        raise watch.stopped() from None
    finally:
        os.write(write_end, _STOP)
        watchdog.join()
        if in_main:
            signal.set_wakeup_fd(old_wakeup)
            signal.signal(signal.SIGINT, old_handler)
        os.close(read_end)
        os.close(write_end)
    watch.check()
