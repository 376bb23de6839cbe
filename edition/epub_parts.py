"""The EPUB's content documents, made piece by piece and kept in the build cache.

An edition of hundreds of documents changes one document at a time, so the
book is not made by one transform of every TEI file: each document's
content document is made by a transform of that document alone (with the
original it translates, which a translation's file shows block by block),
and the rest of the book (cover, title page, contents, front matter,
registers, bibliography, colophon) by one transform of a *frame*: the front
matter, the registers and the bibliography in full, but of each document
only its title statement (all the contents and the landmarks need). Both
are xslt/epub/book.xsl, told which files to make.

Each product is stored (see :mod:`edition.cache`) under a digest of
everything it is made from. A document's key holds its own bytes (and its
original's), never another document's, so a changed text makes its own
file again and nothing else; the frame's key holds the documents' titles
and where the registers' names occur, which a changed text rarely touches.

What looks across files is planned on every build, from small outlines of
the files (their ids and links) kept beside them: where each link leads,
which print pages begin in which file. Each file is then finished (links
set, languages tagged, page breaks marked) and stored under what it was
made from and what the plan gives it. So is what the builder needs of each
TEI file (its id, language, title, what it translates, the names it
mentions), under the file's bytes. An unchanged book is not parsed at all.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO
from xml.sax.saxutils import quoteattr

from lxml import etree

from . import epub_content, epub_package, xslt
from .cache import Memo, Store, digest, file_digests, tree_digest
from .diagnostics import Diagnostic
from .epub_content import ContentDocument, Finished, Outline
from .sources import NS, XML_ID, Source, SourceError, read_source, safe_parser
from .workers import start_pool

if TYPE_CHECKING:
    # imported where used: the builders' package imports this module (and a worker process
    # may import this module first)
    from .builders.html import DocumentFacts

XSLT_DIR = Path(__file__).resolve().parent.parent / "xslt" / "epub"
BOOK_XSL = XSLT_DIR / "book.xsl"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PARALLEL_THRESHOLD = 24  # documents to make; below this, starting worker processes costs more than it saves


@dataclass(frozen=True)
class Part:
    """A TEI file of the book: what it is (front, document, register, bibliography), the name of
    its content document, where it is."""

    kind: str
    name: str
    path: Path


@dataclass
class PartFacts:
    """What the builder needs of a TEI file, without its tree."""

    ident: str  # the root's xml:id ('' when none)
    lang: str  # the root's xml:lang
    title: str  # the titleStmt's first title as plain text ('' when none)
    title_stmt: str  # the titleStmt with only its titles, as XML: what the frame's contents need
    translates: str  # the file its first paragraph's @corresp points into (as book.xsl reads it)
    document: DocumentFacts  # what the registers need (see edition.builders.html.facts_of)


@cache
def _code_digest() -> str:
    """The code that reads facts, assembles the stylesheet's input, outlines, finishes and deflates
    files (and the lxml and zlib that serialize and deflate them): what other code stored is not used."""
    from .builders import html

    code = [Path(m.__file__).read_bytes() for m in (html, epub_content, epub_package)]
    return digest(*code, Path(__file__).read_bytes(), ".".join(map(str, etree.LXML_VERSION)),
                  zlib.ZLIB_RUNTIME_VERSION)


def facts(path: Path, read: Callable[[Path], Source], memo: Memo) -> PartFacts:
    """A file's facts, from the memo when its bytes are those they were read from before (which
    the file's digest says: see edition.cache.FileDigests).

    ``read`` parses a file (and reports one that is not TEI) when the memo has nothing.
    """
    file_digest = file_digests(memo.output).of(path)
    if file_digest is None:
        return facts_of_source(read(path))  # read() reports the file
    key = digest("epub-facts-2", _code_digest(), str(path.resolve()), file_digest)
    cached = memo.get(key)
    if cached is not None:
        from .builders.html import DocumentFacts

        stored = dict(cached)
        document = stored.pop("document")
        return PartFacts(**stored, document=DocumentFacts.from_dict(document))
    found = facts_of_source(read(path))
    if found.document.digest == file_digest:  # not changed since its digest was taken
        memo.put(key, {**asdict(found), "document": found.document.as_dict()})
    return found


def facts_of_source(source: Source) -> PartFacts:
    from .builders.html import facts_of

    root = source.root
    title = root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    titles = root.findall("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
    corresp = root.xpath("string((tei:text//tei:p/@corresp)[1])", namespaces=NS)
    return PartFacts(
        ident=root.get(XML_ID) or "",
        lang=root.get(XML_LANG) or "",
        title=" ".join(title.xpath("string()").split()) if title is not None else "",
        # not the rest of the titleStmt (the editors, the translators): a change there is no
        # reason to make the contents and the registers again
        title_stmt="<titleStmt>" + "".join(etree.tostring(t, encoding="unicode", with_tail=False)
                                           for t in titles) + "</titleStmt>",
        translates=corresp.partition("#")[0] if "#" in corresp else "",  # XPath's substring-before
        document=facts_of(source))


def originals(parts: list[Part], found: list[PartFacts]) -> list[Part | None]:
    """For each part, the document it translates (its file shows it), as book.xsl finds it:
    the first other document of the book named by its first paragraph's @corresp."""
    documents = [p for p in parts if p.kind == "document"]
    result: list[Part | None] = []
    for part, fact in zip(parts, found, strict=True):
        wanted = fact.translates if part.kind == "document" else ""
        result.append(next((d for d in documents if wanted and d.path.name == wanted and d != part), None))
    return result


# --- what each product is made from -------------------------------------------------------------

def stylesheets() -> str:
    """A digest of the EPUB's stylesheets and the shared core they import."""
    return tree_digest(XSLT_DIR, XSLT_DIR.parent / "common")


def params_text(params: dict[str, str]) -> str:
    return json.dumps(params, sort_keys=True, ensure_ascii=False)


def document_key(params: dict[str, str], part: Part, data: str, original: Part | None,
                 original_data: str) -> str:
    """Everything a document's content document is made from: its file (name, and ``data``, a digest
    of its bytes), the original it translates (likewise), the stylesheets and the book's parameters.
    Nothing of the other documents."""
    made_from = ["document", part.path.name, data]
    if original is not None:
        made_from += ["original", original.path.name, original_data]
    return digest(stylesheets(), _code_digest(), params_text(params), *made_from)


def frame_key(params: dict[str, str], parts: list[Part], found: list[PartFacts]) -> str:
    """Everything the frame is made from: the front matter, registers and bibliography (their bytes,
    as their facts' digests say), each document's name and title statement, and where the
    registers' names occur (what :func:`occurrences` lists, not the list itself: cheaper to say)."""
    made_from: list[str | bytes] = ["frame"]
    for part, fact in zip(parts, found, strict=True):
        if part.kind == "document":
            named = json.dumps([fact.document.title, fact.document.occurrences], ensure_ascii=False)
            made_from += [part.kind, part.path.name, part.name, fact.title_stmt, named]
        else:
            made_from += [part.kind, part.path.name, fact.document.digest]
    return digest(stylesheets(), _code_digest(), params_text(params), *made_from)


def occurrences(parts: list[Part], found: list[PartFacts]) -> str:
    """Where the registers' names occur in the documents, as the stylesheet reads it (see
    edition.builders.html.occurrences_xml), with the documents' content documents as pages."""
    from .builders.html import occurrences_xml

    return occurrences_xml([replace(f.document, page=p.name)
                            for p, f in zip(parts, found, strict=True) if p.kind == "document"])


# --- the transforms ---------------------------------------------------------------------------

def _part(kind: str, path: Path, tei: str) -> str:
    return f"<part kind={quoteattr(kind)} file={quoteattr(path.name)}>{tei}</part>"


def _tei(source: Source) -> str:
    return etree.tostring(source.tree, encoding="unicode")


def frame_bundle(parts: list[Part], found: list[PartFacts], read: Callable[[Path], Source]) -> str:
    """The frame's input: every file in full but the documents, which hold only their titleStmt."""
    body = []
    for part, fact in zip(parts, found, strict=True):
        if part.kind == "document":
            tei = (f'<TEI xmlns="{NS["tei"]}"><teiHeader><fileDesc>{fact.title_stmt}'
                   "</fileDesc></teiHeader></TEI>")
        else:
            tei = _tei(read(part.path))
        body.append(_part(part.kind, part.path, tei))
    return f"<book>{''.join(body)}</book>"


def document_bundle(path: Path, original: Path | None) -> str:
    """One document's input: the document, and the original it translates."""
    body = _part("document", path, _tei(read_source(path)))
    if original is not None:
        body += _part("original", original, _tei(read_source(original)))
    return f"<book>{body}</book>"


def transform(bundle: str, params: Mapping[str, object], files: str) -> str:
    """book.xsl over a bundle, making the files ``files`` says ('frame', 'documents' or 'all')."""
    executable = xslt.compile_stylesheet(BOOK_XSL)
    xslt.set_parameters(executable, {**params, "files": files})
    return executable.transform_to_string(xdm_node=xslt.parse(bundle, None))


Task = tuple[Path, Path | None]  # a document and the original it translates


def make_document(task: Task, params: dict[str, str]) -> str:
    """One document's content document, as book.xsl writes it (a <pkg:files> of one file)."""
    return transform(document_bundle(*task), params, "documents")


def make_documents(tasks: list[Task], params: dict[str, str], jobs: int | None) -> Iterator[str]:
    """The documents' content documents, in order: here, or in worker processes when many."""
    if len(tasks) < PARALLEL_THRESHOLD or jobs == 1:
        return (make_document(task, params) for task in tasks)
    # saxonche is not thread-safe: worker processes, each compiling the stylesheet once
    workers = jobs or os.cpu_count() or 1

    def made() -> Iterator[str]:
        with start_pool(workers, initializer=_init_worker, initargs=(params,)) as pool:
            yield from pool.map(_make_in_worker, tasks, chunksize=max(1, len(tasks) // (workers * 4)))

    return made()


_worker: dict[str, dict[str, str]] = {}


def _init_worker(params: dict[str, str]) -> None:
    _worker["params"] = params
    xslt.compile_stylesheet(BOOK_XSL)


def _make_in_worker(task: Task) -> str:
    return make_document(task, _worker["params"])


# --- the pieces of the book, outlined and finished ----------------------------------------------

@dataclass
class Piece:
    """A content document as the stylesheet made it: what the book's plan says of it (href, title,
    landmark, group, properties), the key of what it was made from, and where its tree comes
    from: parsed only when asked for (a file finished before is not)."""

    entry: dict[str, str]
    key: str
    made: Callable[[], etree._Element]  # its <pkg:file> in the stylesheet's result
    _document: ContentDocument | None = None

    @property
    def href(self) -> str:
        return self.entry["href"]

    @property
    def properties(self) -> set[str]:
        return set(self.entry.get("properties", "").split())

    def document(self) -> ContentDocument:
        """Its tree, parsed once (finishing changes it, and lets it go: it is the last to ask)."""
        if self._document is None:
            self._document = epub_content.content_document(self.entry, self.made())
        return self._document

    def let_go(self) -> None:
        """Forget the tree: a book's trees need not all be held at once."""
        self._document = None


FRAME_PROCESS_THRESHOLD = 100  # documents; from this many, the frame is made in a process of its own


def make_frame(parts: list[Part], found: list[PartFacts], params: dict[str, str], store: Store,
               key: str) -> Diagnostic | None:
    """Make the frame and keep it in the store under ``key`` (see :func:`write_frame`); a file that
    cannot be read is returned as its diagnostic.

    A large book's frame is made in a process of its own: Saxon keeps the memory a transform
    took until its process ends, and the registers of 2,000 documents took 600 MB of it.
    """
    documents = sum(part.kind == "document" for part in parts)
    if documents < FRAME_PROCESS_THRESHOLD:
        failure = _make_frame(parts, found, params, store, key)
    else:
        with start_pool(1) as pool:
            failure = pool.submit(_make_frame, parts, found, params, store, key).result()
    store.file(key)  # written by the other process: counted as used here
    return failure


def _make_frame(parts: list[Part], found: list[PartFacts], params: dict[str, str], store: Store,
                key: str) -> Diagnostic | None:
    try:
        bundle = frame_bundle(parts, found, read_source)
    except SourceError as exc:
        return exc.diagnostic
    executable = xslt.compile_stylesheet(BOOK_XSL)
    xslt.set_parameters(executable, {**params, "occurrences": xslt.parse(occurrences(parts, found), None),
                                     "files": "frame"})
    node = xslt.parse(bundle, None)
    del bundle
    with store.scratch() as tmp:
        result = tmp / "frame.xml"  # written by Saxon: never a Python string of the whole frame
        executable.transform_to_file(xdm_node=node, output_file=str(result))
        del node
        with store.writing(key) as out:
            write_frame(result, out)
    return None


def write_frame(result: Path, out: BinaryIO) -> None:
    """The frame as stored: its plan (every file's entry in reading order, with the size of the
    frame's own files; a line of JSON), then each of its files, one after another, so that one
    can be parsed without the others (a register of a large edition is tens of megabytes).
    ``result`` is the stylesheet's output, read one file at a time."""
    plan = []
    with tempfile.TemporaryFile(dir=result.parent) as files:
        for entry in _each_entry(result):
            data = etree.tostring(entry, encoding="UTF-8") if len(entry) else b""
            plan.append({**dict(entry.attrib), "made": "frame" if len(entry) else "document",
                         "size": len(data)})
            files.write(data)
        files.seek(0)
        out.write(json.dumps(plan, ensure_ascii=False).encode("utf-8") + b"\n")
        shutil.copyfileobj(files, out)


def _each_entry(result: Path) -> Iterator[etree._Element]:
    """The <pkg:file> entries of a result, one at a time: each is let go once the next is read,
    so the whole result is never one tree."""
    entries = etree.iterparse(str(result), events=("end",), tag=f"{{{epub_content.PKG}}}file",
                              resolve_entities=False, no_network=True, load_dtd=False)
    for _, entry in entries:
        yield entry
        entry.clear()
        parent = entry.getparent()
        while parent is not None and len(parent) and parent[0] is not entry:
            del parent[0]


class _Frame:
    """The frame's files, each read from the store and parsed only when wanted, and on its own."""

    def __init__(self, path: Path, start: int, sizes: list[int]):
        self.path = path
        self.starts = [start]
        for size in sizes:
            self.starts.append(self.starts[-1] + size)

    def file(self, index: int) -> etree._Element:
        with open(self.path, "rb") as stored:
            stored.seek(self.starts[index])
            data = stored.read(self.starts[index + 1] - self.starts[index])
        return etree.fromstring(data, safe_parser())


def _only_file(result: bytes) -> etree._Element:
    [file] = epub_content.entries(result)
    return file


def pieces(frame: tuple[str, Path], documents: list[tuple[str, bytes]]) -> list[Piece]:
    """The book's files in reading order: the frame's, and in each place the plan keeps for a document,
    that document's (``frame`` is the frame's key and stored file, ``documents`` (key, stored product)
    pairs)."""
    frame_key, path = frame
    with open(path, "rb") as stored:
        line = stored.readline()
    plan = json.loads(line)
    frames = _Frame(path, len(line), [described["size"] for described in plan])
    made = iter(documents)
    book = []
    for index, described in enumerate(plan):
        entry = {k: v for k, v in described.items() if k not in ("made", "size")}
        if described["made"] == "frame":
            key, file = digest(frame_key, str(index)), partial(frames.file, index)
        else:
            key, text = next(made)
            file = partial(_only_file, text)
        book.append(Piece(entry, digest(key, json.dumps(entry, sort_keys=True)), file))
    if next(made, None) is not None:
        raise ValueError("the frame has fewer places for documents than the book has documents")
    return book


def outline(piece: Piece, memo: Memo) -> Outline:
    """A file's outline (see epub_content.Outline), kept under what the file was made from."""
    key = digest("outline", _code_digest(), piece.key)
    cached = memo.get(key)
    if cached is not None:
        return Outline(**cached)
    found = epub_content.outline(piece.document())
    piece.let_go()  # made again when finished: the book's trees are not all held at once
    memo.put(key, asdict(found))
    return found


def finish(piece: Piece, book_ids: str, targets: Callable[[], dict[str, str | None]],
           marks: list[tuple[int, str]], page_list: list[tuple[int, str]],
           store: Store) -> tuple[Finished, bool]:
    """A file finished (see epub_content.finish) and deflated for the zip, kept under what it was made
    from and what the book's plan gives it: where its links lead (which the file's links, in its
    key, and ``book_ids``, a digest of every file's ids, decide; ``targets`` works them out when
    the file is finished now), the page breaks it gets (and, for the navigation document, the page
    list). Returns it and whether it was finished now (not taken from the store)."""
    pages = page_list if "nav" in piece.properties else []
    key = digest("finished-2", _code_digest(), piece.key, book_ids, json.dumps([marks, pages]))
    stored = store.get(key)
    if stored is not None:
        return Finished.unpack(stored), False
    found = epub_content.finish(piece.document(), targets(), marks, pages)
    piece.let_go()
    found.deflated = epub_package.deflate(found.data)
    store.put(key, found.pack())
    return found, True
