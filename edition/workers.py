"""Worker processes that leave Ctrl-C to the parent.

On a terminal, Ctrl-C interrupts the whole process group: every worker too.
A worker caught while starting (importing WeasyPrint, compiling stylesheets)
would print a traceback of its own, and one caught mid-task would hand the
parent a confusing error instead of the interruption. So workers are started
with SIGINT ignored (a disposition a new process keeps, and Python respects
at start-up); the parent alone takes the interruption, stops the pool and
removes its temporary folder.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor


def start_pool(jobs: int, *, context: str = "spawn", initializer: Callable | None = None,
               initargs: tuple = ()) -> ProcessPoolExecutor:
    """A pool of ``jobs`` processes, all started now, none of them interrupted by Ctrl-C."""
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(context),
                               initializer=_ignore_sigint_then, initargs=(initializer, initargs))
    with _sigint_ignored():
        for _ in range(jobs):  # each submission starts a worker while none is idle
            pool.submit(_nothing)
    return pool


def _nothing() -> None:
    return None


def _ignore_sigint_then(initializer: Callable | None, initargs: tuple) -> None:
    """In a worker: ignore Ctrl-C (for a worker the pool starts later, on its own), then initialise."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change signal handling (and only it gets Ctrl-C)
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
