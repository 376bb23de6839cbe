"""The build skeleton every format shares (after Sphinx's builders).

``run()`` is fixed: read and check the sources, ``write()`` the format into a
fresh temporary folder beside the output, then swap that folder into place.
A failed or interrupted build leaves the previous output untouched.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ..cache import CACHE_DIR, save_file_digests
from ..config import Config
from ..diagnostics import Diagnostic
from ..progress import SILENT, Progress
from ..sources import Source, SourceError, read_source

log = logging.getLogger("edition")
BUILDERS: dict[str, type[Builder]] = {}


class BuildError(Exception):
    """The build cannot go on; carries the findings that stopped it."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass
class BuildResult:
    format: str
    output: Path
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    pages: int = 0  # pages made: HTML pages, PDF pages, EPUB content documents
    seconds: float = 0.0


class Builder:
    """One output format. Subclasses set ``name`` and implement ``write()``."""

    name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.name:
            BUILDERS[cls.name] = cls

    def __init__(self, config: Config, documents: list[Path] | None = None, jobs: int | None = None,
                 options: dict | None = None):
        self.config = config
        self.documents = documents  # None: the edition's own documents
        self.jobs = jobs  # worker processes; None: the machine's cores
        self.options = options or {}  # the command line's format options, over edition.yaml's
        self.progress: Progress = SILENT  # where stages and steps are reported
        # called when the output is written, before it is put in place: raises BuildError to stop
        # (the check of the sources, when it runs beside the build; see edition.source_check)
        self.gate: Callable[[], None] = _open

    def stylesheet_params(self) -> dict[str, str]:
        """What every format's stylesheets are told about the edition."""
        return {"edition-title": self.config.title, "publisher": self.config.publisher,
                "editors": ", ".join(self.config.editors)}

    @property
    def output(self) -> Path:
        return self.config.output / self.name

    def read(self, path: Path) -> Source:
        try:
            return read_source(path)
        except SourceError as exc:
            raise BuildError([exc.diagnostic]) from None

    def run(self) -> BuildResult:
        self.config.output.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        staging = Path(tempfile.mkdtemp(prefix=f".{self.name}-", dir=self.config.output))
        log.info("%s: building in %s", self.name, staging)
        try:
            result = self.write(staging)
            self.gate()
            self._swap(staging)
            save_file_digests(self.config.output)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        log.info("%s: %s is in place", self.name, self.output)
        result.output = self.output
        result.files = [self.output / f.relative_to(staging) for f in result.files]
        result.seconds = time.perf_counter() - start
        return result

    def _swap(self, staging: Path) -> None:
        """Put the new output in place; the old one goes to the store's trash and is deleted by a
        process of its own (deleting an edition's thousand pages took a tenth of a rebuild)."""
        if self.output.exists():
            trash = self.config.output / CACHE_DIR / "trash"
            trash.mkdir(parents=True, exist_ok=True)
            old = Path(tempfile.mkdtemp(prefix=f"{self.name}-", dir=trash))
            old.rmdir()
            if _exchange(staging, self.output):  # one step: a reader never finds no output
                staging.rename(old)
            else:
                self.output.rename(old)
                staging.rename(self.output)
            _delete_in_background(trash)
        else:
            staging.rename(self.output)

    def write(self, staging: Path) -> BuildResult:  # pragma: no cover - abstract
        raise NotImplementedError


def _open() -> None:
    """The gate of a build that waits for nothing."""


def _exchange(one: Path, other: Path) -> bool:
    """Swap two folders in one step (Linux's renameat2 with RENAME_EXCHANGE), so that a preview
    server or a reader of the site never finds it missing; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_cwd, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return renameat2(at_cwd, os.fsencode(one), at_cwd, os.fsencode(other), exchange) == 0


_deleting: list[subprocess.Popen] = []  # kept, so that none is reported as left running


def _delete_in_background(trash: Path) -> None:
    """Delete what is in ``trash`` (old outputs, and any an earlier deletion did not finish)
    in a process of its own, which outlives this one if need be."""
    entries = [str(entry) for entry in trash.iterdir()]
    if not entries:
        return
    try:
        _deleting.append(subprocess.Popen(["rm", "-rf", "--", *entries], stdin=subprocess.DEVNULL,
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
    except OSError:  # no rm: delete here
        for entry in entries:
            shutil.rmtree(entry, ignore_errors=True)
