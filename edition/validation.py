"""Validate the edition: safe parsing, RELAX NG, Schematron, cross-references.

One pass per file, in worker processes when there are many files: each
worker compiles the schemas once (in its initializer) and then checks its
share of files. Cross-references need the whole edition, so the parent
first builds an :class:`EditionIndex` of every xml:id and hands it to the
workers; the Schematron functions resolve pointers against it.
"""

from __future__ import annotations

import dataclasses
import difflib
import logging
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from . import xpathfunctions
from .cache import FileDigests, Memo, digest, file_digests, save_file_digests, tree_digest
from .diagnostics import ERROR, WARNING, Diagnostic, sort_key
from .relaxng import RelaxNGValidator
from .schematron import Schematron
from .sources import XML_NS, Source, SourceError, read_source
from .workers import start_pool

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SCHEMA_DIR = PROJECT_ROOT / "schema"
RNG_PATH = SCHEMA_DIR / "edition.rng"
SCH_PATH = SCHEMA_DIR / "edition.sch"
log = logging.getLogger("edition")
PARALLEL_THRESHOLD = 24  # below this, starting processes costs more than it saves

_ID_ATTR = re.compile(rb'xml:id\s*=\s*(["\'])(.*?)\1')


class Checker:
    """Compiled schemas for one process."""

    def __init__(self, rng_path: Path = RNG_PATH, sch_path: Path = SCH_PATH):
        xpathfunctions.register()
        self.rng = RelaxNGValidator(rng_path)
        self.schematron = Schematron(sch_path)

    def check(self, path: Path, index: xpathfunctions.EditionIndex) -> list[Diagnostic]:
        try:
            source = read_source(path, display_path(path))
        except SourceError as exc:
            return [exc.diagnostic]
        found = self.rng.check(source)
        xpathfunctions.set_context(index, index_key(path))
        for failure in self.schematron.run(source.tree):
            found.append(_schematron_diagnostic(source, failure, index))
        return found


def display_path(path: Path) -> str:
    """A path as the editor typed it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def index_key(path: Path) -> str:
    return Path(os.path.abspath(path)).as_posix()


def _schematron_diagnostic(source: Source, failure, index) -> Diagnostic:
    node = failure.node
    line, col = source.location(node)
    m = re.match(r"@([\w:]+)", failure.message)
    if m:
        attr = m.group(1)
        qualified = f"{{{XML_NS}}}{attr[4:]}" if attr.startswith("xml:") else attr
        if qualified in node.attrib:
            line, col = source.attribute_location(node, qualified)
    hint = ""
    if failure.code == "E-REF":
        bad = next((v for v in failure.properties.values() if v), "")
        hint = _closest_target(bad.split()[0] if bad else "", index_key(source.path), index)
    severity = WARNING if failure.role in ("warning", "warn", "info") else ERROR
    return Diagnostic(source.display, line, col, severity, failure.code, failure.message, hint)


def _closest_target(token: str, current: str, index: xpathfunctions.EditionIndex) -> str:
    """For a pointer that resolves nowhere, the closest id it may have meant."""
    file_part, _, fragment = token.partition("#")
    base = Path(current).parent
    target = index_key(Path(os.path.normpath(base / file_part))) if file_part else current
    ids = index.ids_by_file.get(target)
    if ids is None:
        names = sorted({os.path.relpath(f, base) for f in index.ids_by_file})
        close = difflib.get_close_matches(file_part, names, n=1)
        return f"no file '{file_part}' in the edition" + (f"; did you mean '{close[0]}'?" if close else "")
    close = difflib.get_close_matches(fragment, sorted(ids), n=1, cutoff=0.5)
    if close:
        return f"did you mean '{file_part}#{close[0]}'?"
    return f"'{file_part or 'this file'}' has no xml:id '{fragment}'"


def build_index(paths: Iterable[Path], known: tuple[FileDigests, Memo] | None = None
                ) -> xpathfunctions.EditionIndex:
    """Every xml:id of every file, read straight from the bytes.

    A full parse here would double the cost of validation; the id values are
    all that is needed, and a file the scan misreads (an xml:id inside a
    comment, say) is reported by the file's own checks anyway. With ``known``
    (the files' digests, and a memo of ids by digest), an unchanged file is not read.
    """
    index = xpathfunctions.EditionIndex()
    for path in paths:
        file_digest = known[0].of(path) if known else None
        ids = known[1].get(file_digest) if known and file_digest else None
        if ids is None:
            try:
                data = path.read_bytes()
            except OSError:
                continue
            data = re.sub(rb"<!--.*?-->", b"", data, flags=re.S)
            ids = [m.group(2).decode("utf-8", "replace") for m in _ID_ATTR.finditer(data)]
            if known and file_digest == digest(data):
                known[1].put(file_digest, ids)
        index.add(index_key(path), ids)
    return index


_worker: dict[str, object] = {}


def _init_worker(index: xpathfunctions.EditionIndex) -> None:
    _worker["checker"] = Checker()
    _worker["index"] = index


def _check_in_worker(path: Path) -> list[Diagnostic]:
    return _worker["checker"].check(path, _worker["index"])


def validate_files(
    paths: Sequence[Path],
    edition: Sequence[Path] = (),
    jobs: int | None = None,
    output: Path | None = None,
) -> list[Diagnostic]:
    """Check ``paths``; pointers may reach any file in ``edition`` too.

    With an ``output`` folder, whose cache keeps earlier checks (see :mod:`edition.cache`), a
    file whose bytes, schemas and edition-wide ids are as at an earlier check gets that check's
    findings back without being checked again.
    """
    paths = list(dict.fromkeys(Path(p) for p in paths))
    digests = file_digests(output) if output is not None else None
    memo = Memo(output, "validation") if output is not None else None
    ids = Memo(output, "ids") if output is not None else None
    index = build_index(dict.fromkeys([*edition, *paths]), (digests, ids) if digests and ids else None)
    results: dict[Path, list[Diagnostic]] = {}
    keys: dict[Path, str] = {}
    if digests is not None and memo is not None:
        # the schemas, the code that runs them (Schematron functions), and every file's ids
        code = tree_digest(Path(__file__).resolve().parent, pattern="*.py")
        context = digest(tree_digest(SCHEMA_DIR), code, index.digest())
        for path in paths:
            file_digest = digests.of(path)
            if file_digest is None:
                continue  # the check reports the file it cannot read
            keys[path] = digest(context, display_path(path), file_digest)
            cached = memo.get(keys[path])
            if cached is not None:
                results[path] = [Diagnostic(**d) for d in cached]
    todo = [p for p in paths if p not in results]
    jobs = jobs or os.cpu_count() or 1
    parallel = jobs > 1 and len(todo) >= PARALLEL_THRESHOLD
    log.info("validating %d file(s) against %s and %s%s (%d unchanged)", len(todo), RNG_PATH.name,
             SCH_PATH.name, f" in {jobs} worker processes" if parallel else "", len(results))
    if not parallel:
        checker = Checker() if todo else None
        found = [checker.check(p, index) for p in todo]
    else:
        chunk = max(1, len(todo) // (jobs * 4))
        with start_pool(jobs, context="fork", initializer=_init_worker, initargs=(index,)) as pool:
            found = list(pool.map(_check_in_worker, todo, chunksize=chunk))
    for path, findings in zip(todo, found, strict=True):
        results[path] = findings
        if memo is not None and path in keys:
            memo.put(keys[path], [dataclasses.asdict(d) for d in findings])
    if memo is not None and ids is not None:
        memo.save()
        ids.save()
        save_file_digests(output)
    return sorted((d for p in paths for d in results[p]), key=sort_key)
