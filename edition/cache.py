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

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import BinaryIO

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


@contextlib.contextmanager
def atomic_file(target: Path) -> Iterator[BinaryIO]:
    """A file to write ``target`` through: it takes the target's place when the block ends, and
    is removed if the block fails, so that a reader finds the old file or the new one, whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
        with self.writing(key) as out:
            out.write(data)

    def writing(self, key: str) -> contextlib.AbstractContextManager[BinaryIO]:
        """A file to write the entry ``key`` into, piece by piece (a product too large to hold
        whole); it becomes the entry when the block ends, and nothing if the block fails."""
        self.used.add(key)
        return atomic_file(self.folder / key)

    @contextlib.contextmanager
    def scratch(self) -> Iterator[Path]:
        """A temporary folder beside the store, on its file system (a large product is written
        there first, then moved or streamed in); removed when the block ends, whatever happens."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.folder.parent, prefix=".scratch-") as tmp:
            yield Path(tmp)

    def keep_only_used(self) -> None:
        """Remove the entries this build did not use (and any temporary file left by a crash)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)


class Memo:
    """Small products of one kind (a document's facts, a file's findings) kept together in one
    file, ``output/.cache/<kind>.jsonl``: read in one go at the start of a build, where an entry
    each in a :class:`Store` would cost a file opened per document (at 500 documents, a tenth
    of a rebuild). Keys are digests as a Store's are; values are what JSON keeps, one entry a
    line, decoded only when asked for and written back as read, so that a build that changed
    one entry encodes one. Only the entries this build used are kept, by :meth:`save`."""

    def __init__(self, output: Path, kind: str):
        self.output = output
        self.path = output / CACHE_DIR / f"{kind}.jsonl"
        self.lines: dict[str, bytes] = {}  # key -> its value's JSON
        try:
            found = self.path.read_bytes()
        except OSError:
            found = b""
        for line in found.split(b"\n"):
            key, tab, value = line.partition(b"\t")
            if tab:
                with contextlib.suppress(ValueError):
                    self.lines[json.loads(key)] = value
        self.used: dict[str, bytes] = {}
        self.changed = False

    def get(self, key: str):
        """The value kept under ``key``, or None."""
        line = self.lines.get(key)
        if line is None:
            return None
        try:
            value = json.loads(line)
        except ValueError:  # a damaged line: made again
            return None
        self.used[key] = line
        return value

    def put(self, key: str, value) -> None:
        self.lines[key] = self.used[key] = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self.changed = True

    def save(self) -> None:
        """Keep the entries used (atomically: a build interrupted here leaves the last memo)."""
        if not self.changed and len(self.used) == len(self.lines):
            return
        with atomic_file(self.path) as out:
            for key, line in self.used.items():
                out.write(json.dumps(key).encode("utf-8") + b"\t" + line + b"\n")
        self.lines, self.changed = dict(self.used), False


RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same timestamp


class FileDigests:
    """Each source file's digest, known again without reading the file while its size, times and
    inode are those it had when it was read (what git's index does): every format of every
    build needs every source's digest, and reading and hashing them all cost each a tenth of
    a rebuild at 500 documents.

    A file is remembered only once its last change is :data:`RACY_NS` old: a file written twice
    within one tick of the clock can keep its size and times, and would be taken as unchanged.
    """

    def __init__(self, output: Path):
        self.memo = Memo(output, "file-digests")

    def _remembered(self, path: Path) -> tuple[list[int], str | None] | None:
        """The file's size, times and inode now, with its digest if it had them when last read;
        None if the file is not there."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        said = [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino]
        known = self.memo.get(os.path.abspath(path))
        return said, known[4] if isinstance(known, list) and len(known) == 5 and known[:4] == said else None

    def remembers(self, path: Path) -> bool:
        """Whether the file is as it was when last read, so that its digest is known unread."""
        found = self._remembered(path)
        return found is not None and found[1] is not None

    def of(self, path: Path) -> str | None:
        """The digest of the file's bytes (as :func:`digest` of them); None if it cannot be read."""
        found = self._remembered(path)
        if found is None:
            return None
        said, remembered = found
        if remembered is not None:
            return remembered
        try:
            made = digest(path.read_bytes())
        except OSError:
            return None
        if time.time_ns() - max(said[1], said[2]) > RACY_NS:  # its mtime and ctime
            self.memo.put(os.path.abspath(path), [*said, made])
        return made

    def save(self) -> None:
        """Keep every file seen, with what another process saved since this one read the memo
        (the check beside a build learns the digests of the files it checks): several builds and
        processes share it, and none forgets what another learnt."""
        if not self.memo.changed:
            return
        self.memo.used = {**Memo(self.memo.output, "file-digests").lines, **self.memo.lines}
        self.memo.save()


_digests: dict[Path, FileDigests] = {}


def file_digests(output: Path) -> FileDigests:
    """The file digests of the edition whose output folder is ``output``, one per process."""
    output = Path(os.path.abspath(output))
    if output not in _digests:
        _digests[output] = FileDigests(output)
    return _digests[output]


def save_file_digests(output: Path) -> None:
    """Keep what this process learnt of the edition's files' digests (at the end of a build step)."""
    digests = _digests.get(Path(os.path.abspath(output)))
    if digests is not None:
        digests.save()
