"""Laying the print book out in chunks, in worker processes.

WeasyPrint lays out about ten pages a second on one core and holds the whole
book in memory. Every part of the book opens on a right-hand page, so the book
can be cut there without changing a single page: the documents are laid out
each on its own, in parallel, without page numbers; their page counts
give every chunk its first page; then, again in parallel, each part of the back
matter (registers with their page references filled in, bibliography) is laid
out, and small layouts make the page numbers; the front matter follows with the
contents' numbers written in.
pikepdf (qpdf) joins the chunks, stamps the documents' numbers, merges the
named destinations, rebuilds the bookmarks and restores the links that cross
from one chunk to another (the contents, for one).
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Callable, Sequence
from concurrent.futures import Future, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html

from ..workers import start_pool

NO_PAGE_NUMBERS = "@page { @bottom-center { content: none; } }"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; a PDF counts points


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


@dataclass
class Laid:
    """A chunk laid out: its PDF and what the join needs to know of it.

    ``anchors`` maps each anchor to the local page (from 1) where it first
    appears, in document order; ``links`` are the chunk's links to anchors it
    does not hold, as (local page from 1, PDF rectangle, anchor); ``blank``
    are the local pages left blank before a part that opens on a right-hand page.
    """

    pdf: bytes
    pages: int
    anchors: dict[str, int]
    links: list[tuple[int, tuple[float, float, float, float], str]]
    bookmarks: list[Bookmark]
    blank: list[int]


class Book:
    """The book's print HTML, cut into its sections, to be put together again in chunks."""

    def __init__(self, html: str | lxml_html.HtmlElement):
        self.root = lxml_html.fromstring(html) if isinstance(html, str) else html  # cut in place
        self.body = self.root.find("body")
        self.sections = list(self.body)
        for section in self.sections:
            self.body.remove(section)

    @staticmethod
    def kind(section) -> str:
        classes = (section.get("class") or "").split()
        if "document" in classes:
            return "document"
        if "register" in classes or "bibliography" in classes:
            return "back"
        return "front"

    def of_kind(self, kind: str) -> list:
        return [s for s in self.sections if self.kind(s) == kind]

    def html(self, sections: Sequence) -> str:
        """A page of the given sections, with the book's head (stylesheets and all)."""
        for section in sections:
            self.body.append(section)
        try:
            return lxml_html.tostring(self.root, encoding="unicode", doctype="<!DOCTYPE html>")
        finally:
            for section in sections:
                self.body.remove(section)


def lay_out(html: str, base_url: str, css: str = NO_PAGE_NUMBERS) -> Laid:
    """Lay one chunk out (in a worker process or not), with ``css`` over its own.

    ``css`` goes last in the head: given as a user stylesheet it would lose to the book's own rules.
    """
    from weasyprint import HTML

    if css:
        html = html.replace("</head>", f"<style>{css}</style></head>", 1)
    document = HTML(string=html, base_url=base_url).render()
    laid = describe(document)
    laid.pdf = document.write_pdf()
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
    return Laid(b"", len(document.pages), anchors, links, bookmarks, blank)


def _is_blank(page) -> bool:
    """Whether WeasyPrint left the page blank (a break to a right-hand page)."""
    page_type = getattr(getattr(page, "_page_box", None), "page_type", None)
    return bool(getattr(page_type, "blank", False))


def _bookmarks(tree) -> list[Bookmark]:
    return [Bookmark(label, page, x, y, _bookmarks(children)) for label, (page, x, y), children, _ in tree]


def _warm_up() -> None:
    import weasyprint  # noqa: F401


def _lay_out_task(task: tuple[str, str, str]) -> Laid:
    return lay_out(*task)


def _numbers_task(task: tuple[int, int, list[int], str, str]) -> bytes:
    return numbers_overlay(*task)


class Workers:
    """A pool of spawned worker processes (WeasyPrint and Saxon hold native state)."""

    def __init__(self, jobs: int):
        self.pool = start_pool(jobs)
        for _ in range(jobs):  # the workers import WeasyPrint while the parent prepares the chunks
            self.pool.submit(_warm_up)

    def lay_out(self, html: str, base_url: str, css: str = NO_PAGE_NUMBERS) -> Future[Laid]:
        return self.pool.submit(_lay_out_task, (html, base_url, css))

    def numbers(self, first: int, count: int, unnumbered: list[int], page_size_css: str,
                base_url: str) -> Future[bytes]:
        return self.pool.submit(_numbers_task, (first, count, unnumbered, page_size_css, base_url))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.pool.shutdown(cancel_futures=True)


def lay_out_many(workers: Workers, chunks: list[str], base_url: str, css: str = NO_PAGE_NUMBERS,
                 step: Callable[[int], None] | None = None) -> list[Laid]:
    """Lay chunks out in the workers, the largest first (so none is left running alone at the end).

    ``step`` is called as each chunk is done, in whatever order they end.
    """
    order = sorted(range(len(chunks)), key=lambda i: len(chunks[i]), reverse=True)
    futures = {i: workers.lay_out(chunks[i], base_url, css) for i in order}
    for _ in as_completed(futures.values()):
        if step:
            step(1)
    return [futures[i].result() for i in range(len(chunks))]


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


def join(parts: list[tuple[Laid, int]], overlays: list[tuple[bytes, int]], target: Path,
         metadata: dict[str, str], language: str) -> int:
    """Join the chunks at their first pages (blank pages between), stamp the numbers, write.

    ``overlays`` are PDFs of page numbers, each with the book page its first page goes on.
    """
    import pikepdf

    out = pikepdf.new()
    sources = []  # kept open until the book is written: its pages refer to their objects
    dests = pikepdf.NameTree.new(out)
    outline_items: list[tuple[Bookmark, int]] = []
    for laid, start in parts:
        source = pikepdf.open(io.BytesIO(laid.pdf))
        sources.append(source)
        first = source.pages[0]
        while len(out.pages) < start - 1:
            out.add_blank_page(page_size=(float(first.mediabox[2]), float(first.mediabox[3])))
        offset = len(out.pages)
        with warnings.catch_warnings():  # named destinations are carried below, all of them
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)
        page_of = {page.objgen: out.pages[offset + i].obj for i, page in enumerate(source.pages)}
        names = source.Root.get("/Names")
        if names is not None and "/Dests" in names:
            for name, dest in pikepdf.NameTree(names.Dests).items():  # [page /XYZ x y zoom]
                dests[name] = pikepdf.Array([page_of[dest[0].objgen], *list(dest)[1:]])
        outline_items += [(b, start) for b in laid.bookmarks]
        for local, rect, anchor in laid.links:
            page = out.pages[start + local - 2]
            annotation = out.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=list(rect),
                Border=[0, 0, 0], Dest=pikepdf.String(anchor)))
            if "/Annots" not in page.obj:
                page.obj.Annots = out.make_indirect(pikepdf.Array())
            page.obj.Annots.append(annotation)
    for pdf, first in overlays:
        numbers = pikepdf.open(io.BytesIO(pdf))
        sources.append(numbers)
        for index, number_page in enumerate(numbers.pages):
            out.pages[first - 1 + index].add_overlay(number_page)
    out.Root.Names = pikepdf.Dictionary(Dests=dests.obj)
    out.Root.Lang = pikepdf.String(language)
    out.Root.PageMode = pikepdf.Name.UseOutlines
    with out.open_outline() as outline:
        outline.root.extend(_outline(b, start) for b, start in outline_items)
    for key, value in metadata.items():
        out.docinfo[key] = value
    out.save(target, min_version="1.7")
    return len(out.pages)


def _outline(bookmark: Bookmark, start: int):
    import pikepdf

    item = pikepdf.OutlineItem(bookmark.label, start - 1 + bookmark.page, pikepdf.PageLocation.XYZ,
                               left=bookmark.x, top=bookmark.y)
    item.children.extend(_outline(child, start) for child in bookmark.children)
    return item
