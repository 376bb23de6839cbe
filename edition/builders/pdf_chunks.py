"""Laying the print book out in chunks, in worker processes.

WeasyPrint lays out about ten pages a second on one core and holds the whole
book in memory. So the book is cut into chunks (the front matter, each
document, the registers with the bibliography), and the documents are laid
out once each, in parallel, without page numbers. Their page counts give
every chunk its first page (each chunk starts on a right-hand page, so the
mirrored margins hold); the front matter and the registers, whose contents
and page references depend on those numbers, are then laid out with the
numbers written in; one small layout stamps the page numbers on every page;
pypdf joins the chunks, keeping their bookmarks.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

NO_PAGE_NUMBERS = "@page { @bottom-center { content: none; } }"


class _CrossChunkLinks(logging.Filter):
    """A link from one chunk to an anchor in another is expected: WeasyPrint need not warn."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No anchor #")


logging.getLogger("weasyprint").addFilter(_CrossChunkLinks())


@dataclass
class Laid:
    """A chunk laid out: its PDF, its page count, and the local page of each anchor."""

    pdf: bytes
    pages: int
    anchors: dict[str, int]


def split(html: str) -> tuple[str, list[str], str]:
    """The book's print HTML as three kinds of chunk: front matter, documents, back matter."""
    root = lxml_html.fromstring(html)
    body = root.find("body")
    sections = list(body)
    front = [s for s in sections if "document" not in (s.get("class") or "").split()
             and "register" not in (s.get("class") or "") and "bibliography" not in (s.get("class") or "")]
    documents = [s for s in sections if "document" in (s.get("class") or "").split()]
    back = [s for s in sections if s not in front and s not in documents]

    def page(children) -> str:
        for child in list(body):
            body.remove(child)
        for child in children:
            body.append(child)
        text = lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
        for child in children:
            body.remove(child)
        return text

    return page(front), [page([d]) for d in documents], page(back)


def lay_out(html: str, base_url: str, numbered: bool = False) -> Laid:
    """Lay one chunk out (in a worker process or not)."""
    from weasyprint import CSS, HTML

    sheets = [] if numbered else [CSS(string=NO_PAGE_NUMBERS)]
    document = HTML(string=html, base_url=base_url).render(stylesheets=sheets)
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    return Laid(document.write_pdf(), len(document.pages), anchors)


def _lay_out_task(task: tuple[str, str]) -> Laid:
    return lay_out(*task)


def lay_out_all(chunks: list[str], base_url: str, jobs: int) -> list[Laid]:
    """Lay chunks out in worker processes (spawned: WeasyPrint and Saxon hold native state)."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context) as pool:
        return list(pool.map(_lay_out_task, [(c, base_url) for c in chunks]))


def first_pages(counts: list[int]) -> list[int]:
    """The first page of each chunk when every chunk starts on a right-hand (odd) page."""
    starts, page = [], 1
    for count in counts:
        if page % 2 == 0:
            page += 1
        starts.append(page)
        page += count
    return starts


def numbers_overlay(total: int, page_size_css: str, base_url: str) -> bytes:
    """A PDF of ``total`` empty pages carrying only their numbers, to stamp on the book."""
    from weasyprint import HTML

    blank = '<div style="break-after: page">&#160;</div>'
    pages = blank * (total - 1) + "<div>&#160;</div>"
    html = (f'<!DOCTYPE html><html><head><link rel="stylesheet" href="pages.css">'
            f"<style>@page {{ size: {page_size_css}; }}</style></head><body>{pages}</body></html>")
    return HTML(string=html, base_url=base_url).write_pdf()


def join(parts: list[tuple[bytes, int]], overlay: bytes, target: Path, metadata: dict[str, str]) -> int:
    """Join the chunks at their first pages (blank pages between), stamp the numbers, write."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for pdf, start in parts:
        reader = PdfReader(io.BytesIO(pdf))
        while len(writer.pages) < start - 1:
            box = reader.pages[0].mediabox
            writer.add_blank_page(width=box.width, height=box.height)
        writer.append(reader)
    numbers = PdfReader(io.BytesIO(overlay))
    for index, page in enumerate(writer.pages):
        if index > 0 and index < len(numbers.pages):
            page.merge_page(numbers.pages[index])
    writer.add_metadata(metadata)
    with target.open("wb") as out:
        writer.write(out)
    return len(writer.pages)
