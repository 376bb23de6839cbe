"""Worker processes that leave Ctrl-C to the parent.

On a terminal, Ctrl-C interrupts the whole process group: every worker too.
A worker caught while starting (importing WeasyPrint, compiling stylesheets)
would print a traceback of its own, and one caught mid-task would hand the
parent a confusing error instead of the interruption. So workers are started
with SIGINT blocked (a signal mask a new process inherits), and each one
ignores it from its first task on; the parent alone takes the interruption,
stops the pool and removes its temporary folder. The parent only holds a
Ctrl-C back while it starts the workers: it is delivered right after.
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
    with _sigint_held():
        for _ in range(jobs):  # each submission starts a worker while none is idle
            pool.submit(_nothing)
    return pool


def start_process(target: Callable, args: tuple = (), *, context: str = "spawn") -> multiprocessing.Process:
    """One process running ``target(*args)``, started now, not interrupted by Ctrl-C. Not a
    daemon, so that it may start workers of its own: whoever starts it stops it."""
    process = multiprocessing.get_context(context).Process(target=_ignore_sigint_then, args=(target, args))
    with _sigint_held():
        process.start()
    return process


def _nothing() -> None:
    return None


def _ignore_sigint_then(initializer: Callable | None, initargs: tuple) -> None:
    """In a worker: ignore Ctrl-C (and stop holding it back), then initialise."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if initializer is not None:
        initializer(*initargs)


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back while the block runs (processes started meanwhile inherit that);
    one pressed meanwhile interrupts right after."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread gets Ctrl-C
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
