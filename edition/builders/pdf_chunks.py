"""Laying the print book out in chunks, in worker processes, kept in the store between builds.

WeasyPrint lays out about ten pages a second on one core and holds the whole
book in memory. Every part of the book opens on a right-hand page, so the book
can be cut there without changing a single page: each document is rendered
from its own file (with the text it translates) and laid out in a worker,
without page numbers; their page counts give every chunk its first page;
then, again in parallel, each part of the back matter (registers with their
page references filled in, bibliography) is laid out, and small layouts make
the page numbers; the front matter follows with the contents' numbers written
in. No process holds the whole book: the parent keeps of each chunk only what
the join needs (its anchors, links, bookmarks and names) and its PDF's path.
The join (pdf_join) writes the book chunk by chunk: it stamps the page
numbers, merges the named destinations, rebuilds the bookmarks and restores
the links that cross from one chunk to another (the contents, for one).

Every chunk (its PDF and what the join needs of it) is kept in the store
(output/.cache/pdf) under a digest of what it was laid out from, so after one
document changed only its chunk is laid out again, with the registers,
contents or page numbers whose text or pages moved.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from lxml import html as lxml_html

from .. import fonts
from ..cache import Store, atomic_file, digest, tree_digest
from ..workers import start_pool
from . import pdf_join, pdf_parts
from .pdf_parts import Printing

NO_PAGE_NUMBERS = "@page { @bottom-center { content: none; } }"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; a PDF counts points
NUMBERS_PER_PIECE = 200  # pages; even, so that every piece starts on a right-hand page


class _CrossChunkLinks(logging.Filter):
    """A link from one chunk to an anchor in another is expected (the join restores it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No anchor #")


logging.getLogger("weasyprint").addFilter(_CrossChunkLinks())


@dataclass
class Bookmark:
    label: str
    page: int  # 0-based, within its chunk
    x: float  # PDF points from the bottom-left corner
    y: float
    children: list[Bookmark] = field(default_factory=list)

    @classmethod
    def from_json(cls, data: dict) -> Bookmark:
        return cls(data["label"], data["page"], data["x"], data["y"],
                   [cls.from_json(c) for c in data["children"]])


@dataclass
class Laid:
    """A chunk laid out: where its PDF is and what the join needs to know of it.

    ``anchors`` maps each anchor to the local page (from 1) where it first
    appears, in document order; ``links`` are the chunk's links to anchors it
    does not hold, as (local page from 1, PDF rectangle, anchor); ``blank``
    are the local pages left blank before a part that opens on a right-hand page.
    A document's chunk also tells the names it holds (anchor, register entry)
    and the characters of its text that no print font has.
    """

    pdf: Path | None
    pages: int
    anchors: dict[str, int]
    links: list[tuple[int, tuple[float, float, float, float], str]]
    bookmarks: list[Bookmark]
    blank: list[int]
    names: list[tuple[str, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def to_json(self) -> bytes:
        data = asdict(self)
        del data["pdf"]
        return json.dumps(data, ensure_ascii=False).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes, pdf: Path) -> Laid:
        d = json.loads(data)
        return cls(pdf, d["pages"], d["anchors"], [(n, tuple(r), a) for n, r, a in d["links"]],
                   [Bookmark.from_json(b) for b in d["bookmarks"]], d["blank"],
                   [tuple(n) for n in d["names"]], d["missing"])


class Book:
    """Print HTML cut into its sections, to be put together again in chunks."""

    def __init__(self, html: str | lxml_html.HtmlElement):
        self.root = lxml_html.fromstring(html) if isinstance(html, str) else html  # cut in place
        self.body = self.root.find("body")
        self.sections = list(self.body)
        for section in self.sections:
            self.body.remove(section)

    def html(self, sections: Sequence) -> str:
        """A page of the given sections, with the book's head (stylesheets and all)."""
        for section in sections:
            self.body.append(section)
        try:
            return lxml_html.tostring(self.root, encoding="unicode", doctype="<!DOCTYPE html>")
        finally:
            for section in sections:
                self.body.remove(section)


def lay_out(html: str, base_url: str, css: str = NO_PAGE_NUMBERS, target: Path | None = None) -> Laid:
    """Lay one chunk out (in a worker process or not), with ``css`` over its own; the PDF is
    written to ``target`` when given.

    ``css`` goes last in the head: given as a user stylesheet it would lose to the book's own rules.
    """
    from weasyprint import HTML

    if css:
        html = html.replace("</head>", f"<style>{css}</style></head>", 1)
    document = HTML(string=html, base_url=base_url).render()
    laid = describe(document)
    if target is not None:
        laid.pdf = target
        _write_atomically(target, document.write_pdf())
    return laid


def describe(document) -> Laid:
    """What the join needs to know of a laid-out WeasyPrint document (all but its PDF)."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    links = []
    for number, page in enumerate(document.pages, 1):
        for kind, target, (x1, y1, x2, y2), _box in page.links:
            if kind == "internal" and target not in anchors:
                height = page.height
                rect = (x1 * PX_TO_PT, (height - y2) * PX_TO_PT, x2 * PX_TO_PT, (height - y1) * PX_TO_PT)
                links.append((number, rect, target))
    blank = [n for n, page in enumerate(document.pages, 1) if _is_blank(page)]
    bookmarks = _bookmarks(document.make_bookmark_tree(scale=PX_TO_PT, transform_pages=True))
    return Laid(None, len(document.pages), anchors, links, bookmarks, blank)


def _is_blank(page) -> bool:
    """Whether WeasyPrint left the page blank (a break to a right-hand page)."""
    page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
    return bool(getattr(page_type, "blank", False))


def _bookmarks(tree) -> list[Bookmark]:
    return [Bookmark(label, page, x, y, _bookmarks(children)) for label, (page, x, y), children, _ in tree]


def _write_atomically(target: Path, data: bytes) -> None:
    with atomic_file(target) as out:
        out.write(data)


# --- in the worker processes --------------------------------------------------------------------

def _warm_up() -> None:
    import weasyprint  # noqa: F401


def _lay_out_task(html: str, base_url: str, css: str, folder: Path, key: str) -> Laid:
    laid = lay_out(html, base_url, css, folder / f"{key}.pdf")
    _write_atomically(folder / f"{key}.json", laid.to_json())  # last: its presence says the chunk is whole
    return laid


def _document_task(printing: Printing, path: Path, original: Path | None, folder: Path, key: str) -> Laid:
    """A document rendered from its files and laid out: no process needs the rest of the edition."""
    html = printing.document(path, original)
    root = lxml_html.fromstring(html)
    names, missing = pdf_parts.names_in(root), printing.uncovered(root)
    laid = lay_out(html, pdf_parts.BASE_URL, NO_PAGE_NUMBERS, folder / f"{key}.pdf")
    laid.names, laid.missing = names, missing
    _write_atomically(folder / f"{key}.json", laid.to_json())
    return laid


def _numbers_task(first: int, count: int, unnumbered: list[int], page_size_css: str, base_url: str,
                  target: Path) -> Path:
    _write_atomically(target, numbers_overlay(first, count, unnumbered, page_size_css, base_url))
    return target


class Chunks:
    """Chunks laid out in a pool of spawned worker processes (WeasyPrint and Saxon hold native
    state), or found in the store (output/.cache/pdf) when laid out before from the same things.

    The pool starts at the first chunk the store does not have, so a build that changed
    nothing starts no process.
    """

    def __init__(self, jobs: int, store: Store):
        self.jobs = jobs
        self.store = store
        self._pool: ProcessPoolExecutor | None = None
        self.made = 0
        self.layout = layout_key()  # once a build: a preview server's next build sees changed stylesheets

    @property
    def pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = start_pool(self.jobs)
            for _ in range(self.jobs):  # the workers import WeasyPrint while the parent prepares chunks
                self._pool.submit(_warm_up)
        return self._pool

    def _stored(self, key: str) -> Future[Laid] | None:
        meta, pdf = self.store.get(f"{key}.json"), self.store.file(f"{key}.pdf")
        if meta is None or not pdf.is_file():
            return None
        return _done(Laid.from_json(meta, pdf))

    def html(self, html: str, css: str = NO_PAGE_NUMBERS) -> Future[Laid]:
        """``html`` laid out, with ``css`` over its own stylesheets."""
        key = digest("chunk", html, css, self.layout)
        found = self._stored(key)
        if found is not None:
            return found
        return self._submit(key, _lay_out_task, html, pdf_parts.BASE_URL, css)

    def document(self, printing: Printing, path: Path, original: Path | None, made_from: str) -> Future[Laid]:
        """A document rendered and laid out in a worker; ``made_from`` is a digest of its source
        (and its original's)."""
        key = digest("document", made_from, printing.key(), NO_PAGE_NUMBERS, self.layout)
        found = self._stored(key)
        if found is not None:
            return found
        return self._submit(key, _document_task, printing, path, original)

    def _submit(self, key: str, task: Callable[..., Laid], *args) -> Future[Laid]:
        """A chunk laid out by ``task`` in a worker, which keeps it in the store under ``key``."""
        self.made += 1
        self.store.file(f"{key}.json"), self.store.file(f"{key}.pdf")
        self.store.folder.mkdir(parents=True, exist_ok=True)
        return self.pool.submit(task, *args, self.store.folder, key)

    def numbers(self, first: int, count: int, unnumbered: list[int], page_size_css: str,
                ) -> list[tuple[Future[Path], int]]:
        """The page numbers from ``first`` on, to stamp on ``count`` pages (see numbers_overlay), in
        pieces of at most NUMBERS_PER_PIECE pages (each with its first page): a layout of
        thousands of pages would hold them all at once, and a piece ahead of a change stays
        in the store."""
        pieces = []
        for start in range(first, first + count, NUMBERS_PER_PIECE):
            size = min(NUMBERS_PER_PIECE, first + count - start)
            skip = [n for n in unnumbered if start <= n < start + size]
            pieces.append((self._numbers(start, size, skip, page_size_css), start))
        return pieces

    def _numbers(self, first: int, count: int, unnumbered: list[int], page_size_css: str) -> Future[Path]:
        key = digest("numbers", str(first), str(count), json.dumps(unnumbered), page_size_css, self.layout)
        target = self.store.file(f"{key}.pdf")
        if target.is_file():
            return _done(target)
        self.made += 1
        self.store.folder.mkdir(parents=True, exist_ok=True)
        return self.pool.submit(_numbers_task, first, count, unnumbered, page_size_css, pdf_parts.BASE_URL,
                                target)

    def __enter__(self) -> Chunks:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
        if exc[0] is None:
            self.store.keep_only_used()
        elif self.store.folder.is_dir():
            # an interrupted build keeps the chunks it finished (the next one starts from them),
            # not what a worker stopped half-way through writing
            for stray in self.store.folder.glob(".tmp-*"):
                stray.unlink(missing_ok=True)


def _done(value) -> Future:
    future: Future = Future()
    future.set_result(value)
    return future


def layout_key() -> str:
    """What else decides a layout: the print stylesheets (CSS included), WeasyPrint's version and
    the files of the fonts the book is set in (a font upgraded lays every chunk out again)."""
    faces = [fonts.font_file(family) for family in pdf_parts.FONT_FAMILIES]
    files = [f"{face}:{face.stat().st_size}:{face.stat().st_mtime_ns}"
             for face in faces if face and face.is_file()]
    return digest(tree_digest(pdf_parts.XSLT_DIR), metadata.version("weasyprint"), *files)


def wait_all(futures: list[Future], step: Callable[[int], None] | None = None) -> list:
    """The futures' results in order; ``step`` is called as each one ends, in whatever order."""
    for _ in as_completed(futures):
        if step:
            step(1)
    return [f.result() for f in futures]


def first_pages(counts: list[int], page: int = 1) -> list[int]:
    """The first page of each chunk when every chunk starts on a right-hand (odd) page."""
    starts = []
    for count in counts:
        if page % 2 == 0:
            page += 1
        starts.append(page)
        page += count
    return starts


def numbers_overlay(first: int, count: int, unnumbered: list[int], page_size_css: str,
                    base_url: str) -> bytes:
    """``count`` empty pages numbered from ``first`` on (but the ``unnumbered`` book pages), to stamp.

    Each page's number is a string set from its own empty block, in the margin box and
    type that pages.css gives page numbers.
    """
    from weasyprint import HTML

    assert first % 2 == 1, "an overlay starts on a right-hand page, as the chunks do"
    skip = set(unnumbered)
    pages = "".join(f'<div data-n="{"" if n in skip else n}"></div>' for n in range(first, first + count))
    css = (f"@page {{ size: {page_size_css}; @bottom-center {{ content: string(folio); }} }} "
           "div { string-set: folio attr(data-n); } div + div { break-before: page; }")
    html = (f'<!DOCTYPE html><html><head><link rel="stylesheet" href="pages.css"><style>{css}</style>'
            f"</head><body>{pages}</body></html>")
    return HTML(string=html, base_url=base_url).write_pdf()


def join(parts: list[tuple[Laid, int]], overlays: list[tuple[Path, int]], target: Path,
         metadata: dict[str, str], language: str) -> int:
    """Join the chunks at their first pages (blank pages between), stamp the numbers, write
    (chunk by chunk: see pdf_join).

    ``overlays`` are PDFs of page numbers, each with the book page its first page goes on.
    """
    chunks = [pdf_join.Chunk(laid.pdf, start, laid.links) for laid, start in parts]
    marks = [_mark(bookmark, start) for laid, start in parts for bookmark in laid.bookmarks]
    return pdf_join.join(chunks, overlays, marks, target, metadata, language)


def _mark(bookmark: Bookmark, start: int) -> pdf_join.Mark:
    return pdf_join.Mark(bookmark.label, start + bookmark.page, bookmark.x, bookmark.y,
                         [_mark(child, start) for child in bookmark.children])
