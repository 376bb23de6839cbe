"""The print edition: one PDF in output/pdf/, through CSS paged media (WeasyPrint).

The whole book (front matter, the documents in reading order, registers,
bibliography) is assembled into one XML bundle, rendered to print HTML by
xslt/print/book.xsl (which imports the shared core), and laid out by
WeasyPrint: footnotes at the foot of the page, numbered as in the source,
running heads, page numbers, a table of contents with page numbers, PDF
bookmarks from the headings.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .. import fonts, xslt
from ..diagnostics import ERROR, Diagnostic
from ..sources import XML_ID, Source
from . import pdf_chunks
from .base import Builder, BuildError, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "print"
BASE_URL = str(XSLT_DIR) + "/"
# The fonts book.css sets text in, in its order of fallback.
FONT_FAMILIES = ["DejaVu Serif", "DejaVu Sans", "WenQuanYi Micro Hei"]
PAGE_SIZES = {"A4": "A4", "letter": "letter", "6x9in": "6in 9in"}
VARIANTS = {"standard": None, "pdfa-3b": "pdf/a-3b", "pdfua-1": "pdf/ua-1"}


class PdfBuilder(Builder):
    name = "pdf"

    def bundle(self) -> str:
        """The book's sources in one XML document, for the print stylesheet."""
        config = self.config
        own = self.documents is None
        parts: list[tuple[str, Source]] = []
        if own and config.front:
            parts.append(("front", self.read(config.sources / config.front)))
        documents = [config.sources / d for d in config.documents] if own else list(self.documents)
        parts += [("document", self.read(p)) for p in documents]
        if own:
            parts += [("register", self.read(config.sources / n)) for n in config.registers.values()]
            if config.bibliography:
                parts.append(("bibliography", self.read(config.sources / config.bibliography)))
        body = "".join(f"<{kind}>{etree.tostring(source.tree, encoding='unicode')}</{kind}>"
                       for kind, source in parts)
        return f"<book>{body}</book>"

    def print_html(self, page_size: str = "A4", only: str = "") -> str:
        """The print HTML of the book, or of the one document whose id is ``only``."""
        executable = xslt.compile_stylesheet(XSLT_DIR / "book.xsl")
        xslt.set_parameters(executable, {**self.stylesheet_params(), "language": self.config.language,
                                         "page-size": PAGE_SIZES[page_size], "only": only})
        if self._bundle is None:
            self._bundle = xslt.parse(self.bundle(), None)
        return executable.transform_to_string(xdm_node=self._bundle)

    _bundle = None

    def check_glyphs(self, html: str) -> None:
        text = lxml_html.fromstring(html).text_content()
        missing = fonts.uncovered(text, FONT_FAMILIES)
        if missing:
            raise BuildError([Diagnostic(
                str(XSLT_DIR / "book.css"), 1, 1, ERROR, "E-GLYPH",
                f"no font of the print edition ({', '.join(FONT_FAMILIES)}) has: {fonts.describe(missing)}",
                "install a font that covers them (bash scripts/setup.sh) and name it in book.css "
                "and FONT_FAMILIES")])

    def write(self, staging: Path) -> BuildResult:
        from weasyprint import HTML

        options = self.config.formats.get("pdf", {}) | self.options
        variant = VARIANTS[options.get("variant", "standard")]
        result = BuildResult(self.name, staging)
        html = self.print_html(options.get("page_size", "A4"))
        self.check_glyphs(html)
        target = staging / "edition.pdf"
        size = options.get("page_size", "A4")
        documents = len(self.config.documents) if self.documents is None else len(self.documents)
        jobs = self.jobs or os.cpu_count() or 1
        extra: dict = {}
        if variant:
            extra["pdf_variant"] = variant
        if variant == "pdf/a-3b":  # the TEI sources travel inside the PDF
            extra["attachments"] = [_attachment(self.config.sources / n) for n in self._source_names()]
        if variant == "pdf/ua-1":
            extra["pdf_tags"] = True
        if variant is None and jobs > 1 and documents >= 2:
            # PDF/A and PDF/UA are made in one piece: joining chunks would not keep their conformance
            self._write_in_chunks(html, PAGE_SIZES[size], jobs, target)
        else:
            first = HTML(string=html, base_url=BASE_URL).render()
            html = fill_page_references(html, anchor_pages(first))
            HTML(string=html, base_url=BASE_URL).render().write_pdf(target, **extra)
        result.files.append(target)
        if options.get("per_document"):
            for path, ident in self._document_ids():
                single = staging / f"{ident}.pdf"
                html = self.print_html(options.get("page_size", "A4"), only=ident)
                if "attachments" in extra:  # each document carries its own source
                    extra["attachments"] = [_attachment(path)]
                HTML(string=html, base_url=BASE_URL).write_pdf(single, **extra)
                result.files.append(single)
        return result

    def _write_in_chunks(self, html: str, size_css: str, jobs: int, target: Path) -> None:
        """The book laid out in chunks, the documents in parallel (see pdf_chunks)."""
        front, documents, back = pdf_chunks.split(html)
        laid = pdf_chunks.lay_out_all([front, *documents], BASE_URL, jobs)
        front_laid, docs_laid = laid[0], laid[1:]
        # the first page of the front matter, of each document, and of the back matter
        starts = pdf_chunks.first_pages([front_laid.pages] + [d.pages for d in docs_laid] + [1])
        pages_of = {anchor: start + local - 1 for d, start in zip(docs_laid, starts[1:-1], strict=True)
                    for anchor, local in d.anchors.items()}
        back_start = starts[-1]
        back_laid = pdf_chunks.lay_out(fill_page_references(back, pages_of, html), BASE_URL)
        pages_of |= {anchor: back_start + local - 1 for anchor, local in back_laid.anchors.items()}
        pages_of |= front_laid.anchors  # the front matter starts the book
        final_front = pdf_chunks.lay_out(fill_contents(front, pages_of), BASE_URL)
        if final_front.pages != front_laid.pages:
            raise BuildError([Diagnostic(str(target), 1, 1, ERROR, "E-LAYOUT",
                                         "the contents changed length once page numbers were written in",
                                         "build with -j 1 to lay the book out in one piece")])
        total = back_start + back_laid.pages - 1
        overlay = pdf_chunks.numbers_overlay(total, size_css, BASE_URL)
        parts = [(final_front.pdf, 1), *[(d.pdf, s) for d, s in zip(docs_laid, starts[1:-1], strict=True)],
                 (back_laid.pdf, back_start)]
        pdf_chunks.join(parts, overlay, target, {"/Title": self.config.title,
                                                 "/Author": ", ".join(self.config.editors),
                                                 "/Creator": "edition", "/Producer": "WeasyPrint"})

    def _document_ids(self) -> list[tuple[Path, str]]:
        paths = ([self.config.sources / d for d in self.config.documents] if self.documents is None
                 else list(self.documents))
        return [(p, self.read(p).root.get(XML_ID) or p.stem) for p in paths]

    def _source_names(self) -> list[str]:
        config = self.config
        names = [config.front, *config.documents, *config.registers.values(), config.bibliography]
        return [n for n in names if n]


def _attachment(path: Path):
    from weasyprint import Attachment

    return Attachment(filename=str(path), description=f"TEI source: {path.name}")


def anchor_pages(laid_out) -> dict[str, int]:
    """The page on which each anchor of a laid-out WeasyPrint document fell."""
    pages_of: dict[str, int] = {}
    for number, page in enumerate(laid_out.pages, 1):
        for anchor in page.anchors:
            pages_of.setdefault(anchor, number)
    return pages_of


def fill_page_references(html: str, pages_of: dict[str, int], book: str | None = None) -> str:
    """Fill in the registers' page references, given where each anchor fell.

    Every name in the documents is an anchor (``occ-…``, with the register entry in
    ``data-entry``), found in ``book`` (the whole book's HTML; by default ``html``
    itself). The references follow the documents, so filling them in moves no
    document page.
    """
    root = lxml_html.fromstring(html)
    whole = lxml_html.fromstring(book) if book is not None else root
    found: dict[str, set[int]] = {}
    for el in whole.xpath("//*[@data-entry][starts-with(@id, 'occ-')]"):
        if el.get("id") in pages_of:
            found.setdefault(el.get("data-entry"), set()).add(pages_of[el.get("id")])
    for el in root.xpath("//p[@class='pagerefs']"):
        numbers = sorted(found.get(el.get("data-entry"), ()))
        if numbers:
            el.text = "Pages " + page_ranges(numbers)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def fill_contents(html: str, pages_of: dict[str, int]) -> str:
    """Write the page numbers into the table of contents (for a book laid out in chunks,
    where the contents cannot count pages in other chunks)."""
    root = lxml_html.fromstring(html)
    for link in root.xpath("//nav[contains(@class, 'toc')]//a[starts-with(@href, '#')]"):
        link.set("data-page", str(pages_of.get(link.get("href")[1:], "")))
    head = root.find("head")
    style = lxml_html.fromstring("<style>.toc a::after { content: leader('.') attr(data-page); }</style>")
    head.append(style)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def page_ranges(numbers: list[int]) -> str:
    """12, 13, 14, 20 as "12–14, 20"."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
