"""The check of the edition's sources that a build must pass before it publishes anything.

After a few files changed, checking them costs mostly fixed work (compiling the RELAX NG
schema: a third of a second) that would otherwise stand before the build's first step. So
the check runs beside the build, in a process of its own: the build writes into its temporary
folder meanwhile, and is put in place only once the check has passed (see
:attr:`edition.builders.Builder.gate`). A failed check stops the build at its next step, and its
findings are what the build reports, whatever the build itself ran into on the broken file.
When many files changed (a first build), the check comes first, as a reader expects: an error
is reported before minutes of layout, not after.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, Pipe

from .builders.base import BuildError
from .cache import file_digests
from .config import Config
from .diagnostics import Diagnostic
from .progress import Progress
from .workers import start_process

log = logging.getLogger("edition")
BESIDE_AT_MOST = 24  # changed files checked beside the build; more are checked first


class SourceCheck:
    """The validation of the edition's own sources for one build (``with SourceCheck(...) as check``)."""

    def __init__(self, config: Config, jobs: int | None, progress: Progress):
        self.config = config
        self.jobs = jobs
        self.progress = progress
        self.findings: list[Diagnostic] | None = None  # once known
        self._process = None
        self._receiver: Connection | None = None
        self._started = 0.0

    def __enter__(self) -> SourceCheck:
        return self

    def __exit__(self, *exc_info) -> None:
        """A check still running is stopped: the build it gated is over. One that has answered is
        left to end by itself (it has saved its memos; it is only exiting)."""
        if self._process is not None:
            if self.findings is not None:
                self._process.join(timeout=5)
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None
        if self._receiver is not None:
            self._receiver.close()
            self._receiver = None

    def start(self) -> None:
        """Check now, or start checking beside the build when only a few files changed.
        Raises :class:`BuildError` with the findings when a check done now finds errors."""
        digests = file_digests(self.config.output)
        changed = sum(1 for path in self.config.edition_files() if not digests.remembers(path))
        if 0 < changed <= BESIDE_AT_MOST:
            receiver, sender = Pipe(duplex=False)
            self._started = time.perf_counter()
            try:
                # forked: it starts at once, Ctrl-C already held back (a spawned interpreter takes
                # one during its start-up); one process, no workers of its own, so that stopping
                # it stops the whole check
                self._process = start_process(_check_and_send, (sender, self.config), context="fork")
            except OSError:
                receiver.close()  # no process to be had: the check is done here
            else:
                self._receiver = receiver
                log.info("checking %d changed file(s) beside the build", changed)
                return
            finally:
                sender.close()
        with self.progress.stage("check", "validation", 1) as step:
            self._settle(_check(self.config, self.jobs))
            step()

    def raise_if_failed(self) -> None:
        """Without waiting: raise :class:`BuildError` if the check has ended with errors."""
        if self.findings is None and self._receiver is not None and self._receiver.poll():
            self._receive()
        self._raise_errors()

    def verdict(self) -> None:
        """Wait for the check; raise :class:`BuildError` with its errors, if any."""
        if self.findings is None and self._receiver is not None:
            self._receive()
        self._raise_errors()

    def watching(self, progress: Progress) -> Progress:
        """``progress``, which also stops the build at its next step once the check has failed."""
        return _Watched(progress, self)

    def _receive(self) -> None:
        """The child's findings and log; if it failed to send them, the check is done here. The
        check's stage is reported here, whether the answer was waited for or found at a step."""
        with self.progress.stage("check", "validation", 1) as step:
            try:
                records, findings = self._receiver.recv()
            except (EOFError, OSError):
                log.info("the check beside the build ended without an answer; checking here")
                findings, records = _check(self.config, self.jobs), []
            step()
        for record in records:
            if log.isEnabledFor(record.levelno):
                log.handle(record)
        log.info("check beside the build: %.2f s", time.perf_counter() - self._started)
        self.findings = findings

    def _settle(self, findings: list[Diagnostic]) -> None:
        self.findings = findings
        self._raise_errors()

    def _raise_errors(self) -> None:
        errors = [d for d in self.findings or () if d.is_error]
        if errors:
            raise BuildError(errors)


def _check(config: Config, jobs: int | None) -> list[Diagnostic]:
    from . import validate

    return validate(config=config, jobs=jobs, cache=True)


def _check_and_send(sender: Connection, config: Config) -> None:
    """In the check's process: the findings, with what was logged meanwhile (for ``-v``: the
    build relays it; the handlers this process inherited would print it twice)."""
    records: list[logging.LogRecord] = []
    log.handlers, log.propagate = [_Keep(records)], False
    log.setLevel(logging.DEBUG)
    try:
        findings = _check(config, 1)
    except Exception:
        return  # nothing sent: the build checks again itself, and reports what it finds there
    sender.send((records, findings))
    sender.close()


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__()
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        record.msg, record.args = record.getMessage(), None  # sent as text: its arguments may not pickle
        self.records.append(record)


class _Watched:
    """A progress report whose every step first asks whether the check has failed."""

    def __init__(self, progress: Progress, check: SourceCheck):
        self._progress = progress
        self._check = check

    def __getattr__(self, name: str):
        return getattr(self._progress, name)

    @contextlib.contextmanager
    def stage(self, format_name: str, label: str, total: int) -> Iterator[Callable[[int], None]]:
        self._check.raise_if_failed()
        with self._progress.stage(format_name, label, total) as step:
            def checked_step(n: int = 1) -> None:
                self._check.raise_if_failed()
                step(n)

            yield checked_step
