"""One build at a time per output folder.

Two builds writing the same ``output/`` at once would swap their folders
into place in any order. A build holds an exclusive lock on
``output/.edition.lock`` (flock: the system releases it when the process
ends, however it ends); a second build finds it held and stops with a
message naming the process that holds it. The file stays after the build:
removing it would let a third build lock a new file while a second still
holds the old one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from .diagnostics import ERROR, Diagnostic

LOCK_NAME = ".edition.lock"


class Locked(Exception):
    """Another build holds the output folder; carries the finding to print."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostics = [diagnostic]


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder's lock for the duration of the block, or raise :class:`Locked`."""
    output.mkdir(parents=True, exist_ok=True)
    path = output / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "unknown"
            raise Locked(Diagnostic(
                str(path), 1, 1, ERROR, "E-LOCKED",
                f"another build (process {holder}) is writing {output}",
                "wait for it to finish; nothing was changed")) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
