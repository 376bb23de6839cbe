"""Progress of a build, as a terminal or a CI log wants it.

On a terminal each stage draws a bar that fills in place; elsewhere (CI,
a pipe, a file) each stage prints one line when it ends, so logs stay short
and readable. Quiet prints nothing. Builders report stages and steps; they
never know which of the three they talk to.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

BAR_WIDTH = 24
REDRAW_EVERY = 0.1  # seconds: a bar redrawn more often only costs time


class Progress:
    """Where builders report their stages: ``with progress.stage("html", "documents", n) as step: step()``."""

    def __init__(self, stream: TextIO | None = None, *, quiet: bool = False, live: bool | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.quiet = quiet
        self.live = self.stream.isatty() if live is None else live

    @contextlib.contextmanager
    def stage(self, format_name: str, label: str, total: int) -> Iterator[Callable[[int], None]]:
        """A stage of ``total`` steps; the block calls the yielded function once per step done (or with n)."""
        done = 0
        start = last = time.perf_counter()

        def step(n: int = 1) -> None:
            nonlocal done, last
            done += n
            now = time.perf_counter()
            if self.live and not self.quiet and (now - last >= REDRAW_EVERY or done >= total):
                last = now
                self._draw(format_name, label, done, total, now - start)

        if self.live and not self.quiet:
            self._draw(format_name, label, 0, total, 0.0)
        yield step
        if not self.quiet:
            seconds = time.perf_counter() - start
            if self.live:
                self._draw(format_name, label, done, total, seconds)
                self.stream.write("\n")
            else:
                self.stream.write(f"{format_name}: {label} {done}/{total} in {seconds:.1f} s\n")
            self.stream.flush()

    def _draw(self, format_name: str, label: str, done: int, total: int, seconds: float) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        self.stream.write(f"\r\x1b[2K{format_name:5} {label:18} {bar} {done}/{total}  {seconds:5.1f} s")
        self.stream.flush()


SILENT = Progress(quiet=True, live=False)
