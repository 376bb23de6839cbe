"""What a build made before, found again by what it was made from.

An edition of hundreds of documents changes one document at a time. Each
costly product (a document's HTML page, a file's validation findings) is
stored under a digest of everything it depends on: the source's bytes, the
stylesheets, the parameters. A later build that computes the same digest
takes the stored product instead of making it again; a changed input gives
a new digest, so nothing stale is ever used, and nothing needs to decide
what "changed" means. The store lives in ``output/.cache/``; entries a build
did not use are removed at its end, so the store stays the size of one
build. Writes are atomic (a temporary file renamed into place): a build
interrupted mid-write leaves no half entry behind.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from functools import cache
from pathlib import Path

CACHE_DIR = ".cache"


def digest(*parts: str | bytes) -> str:
    """A digest of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


@cache
def tree_digest(*folders: Path, pattern: str = "*") -> str:
    """A digest of the files under the folders matching ``pattern`` (names and bytes): the
    stylesheets, the schema, the checking code.

    Computed once per process; a build is one process, and a change to a
    stylesheet between builds is a new process or a new Preview build (see
    :func:`forget`).
    """
    parts: list[str | bytes] = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob(pattern) if p.is_file()):
            parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def forget() -> None:
    """Drop the digests of stylesheet and schema folders (they may have changed since)."""
    tree_digest.cache_clear()


class Store:
    """Products of one kind (``html``, ``validation``) under ``output/.cache/<kind>/``."""

    def __init__(self, output: Path, kind: str):
        self.folder = output / CACHE_DIR / kind
        self.used: set[str] = set()

    def get(self, key: str) -> bytes | None:
        self.used.add(key)
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def file(self, key: str) -> Path:
        """Where the entry ``key`` is (or will be) kept, for a product read or written as a file
        (by another process, too); counted as used."""
        self.used.add(key)
        return self.folder / key

    def put(self, key: str, data: bytes) -> None:
        self.used.add(key)
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(tmp, self.folder / key)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def keep_only_used(self) -> None:
        """Remove the entries this build did not use (and any temporary file left by a crash)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
