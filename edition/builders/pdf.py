"""The print edition: one PDF in output/pdf/, through CSS paged media (WeasyPrint).

The whole book (front matter, the documents in reading order, registers,
bibliography) is assembled into one XML bundle, rendered to print HTML by
xslt/print/book.xsl (which imports the shared core), and laid out by
WeasyPrint: footnotes at the foot of the page, numbered as in the source,
running heads, page numbers, a table of contents with page numbers, PDF
bookmarks from the headings.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .. import fonts, xslt
from ..cache import digest, tree_digest
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
log = logging.getLogger("edition")
# Where each page of the print edition begins, for the EPUB's page list (see page_map()).
PAGE_MAP = "page-map.json"


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

    def check_glyphs(self, text: str) -> None:
        """Stop the build (E-GLYPH) when no print font has some character of the book's text."""
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
        root = lxml_html.fromstring(html)  # parsed once: for the glyph check, then to cut or to index
        self.check_glyphs(root.text_content())
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
            pages = self._write_in_chunks(root, PAGE_SIZES[size], jobs, target)
        else:
            with self.progress.stage(self.name, "layouts (one piece)", 2) as step:
                first = HTML(string=html, base_url=BASE_URL).render()
                step()
                refs = references(occurrences([root]), anchor_pages(first))
                laid = HTML(string=fill_page_references(html, refs), base_url=BASE_URL).render()
                laid.write_pdf(target, **extra)
                step()
            pages = page_map_of([(pdf_chunks.describe(laid), 1)])
        result.files.append(target)
        write_page_map(staging / PAGE_MAP, self._page_map_key(size), pages)
        result.pages = _page_count(target)
        if options.get("per_document"):
            for path, ident in self._document_ids():
                single = staging / f"{ident}.pdf"
                html = self.print_html(options.get("page_size", "A4"), only=ident)
                if "attachments" in extra:  # each document carries its own source
                    extra["attachments"] = [_attachment(path)]
                HTML(string=html, base_url=BASE_URL).write_pdf(single, **extra)
                result.files.append(single)
        return result

    def _write_in_chunks(self, html: str | lxml_html.HtmlElement, size_css: str, jobs: int,
                         target: Path) -> dict[int, list[str]]:
        """The book (its print HTML, or that parsed) laid out in chunks, in parallel (see pdf_chunks);
        returns its page map."""
        clock = time.perf_counter()
        with pdf_chunks.Workers(jobs) as workers:
            book = pdf_chunks.Book(html)
            front, documents, back = (book.of_kind(kind) for kind in ("front", "document", "back"))
            draft = workers.lay_out(book.html(front), BASE_URL)
            # one chunk per document: WeasyPrint's pages per second fall as a layout grows
            with self.progress.stage(self.name, "documents", len(documents)) as step:
                docs_laid = pdf_chunks.lay_out_many(workers, [book.html([d]) for d in documents], BASE_URL,
                                                    step=step)
            front_laid = draft.result()
            log.info("pdf: %d documents laid out, %.1f s", len(documents), time.perf_counter() - clock)
            starts = pdf_chunks.first_pages([front_laid.pages] + [d.pages for d in docs_laid])
            parts = list(zip(docs_laid, starts[1:], strict=True))
            after_docs = starts[-1] + docs_laid[-1].pages
            pages_of = _book_pages(parts)
            doc_numbers = workers.numbers(starts[1], after_docs - starts[1], _unnumbered(parts),
                                          size_css, BASE_URL)
            refs = references(occurrences(documents), pages_of)
            with self.progress.stage(self.name, "registers", len(back)) as step:
                back_laid = pdf_chunks.lay_out_many(
                    workers, [fill_page_references(book.html([s]), refs) for s in back], BASE_URL, step=step)
            back_parts = list(zip(back_laid, pdf_chunks.first_pages([b.pages for b in back_laid], after_docs),
                                  strict=True))
            end = back_parts[-1][1] + back_laid[-1].pages if back_parts else after_docs
            pages_of |= _book_pages(back_parts) | front_laid.anchors
            log.info("pdf: back matter laid out, %.1f s", time.perf_counter() - clock)
            back_start = back_parts[0][1] if back_parts else end
            back_numbers = (workers.numbers(back_start, end - back_start, _unnumbered(back_parts), size_css,
                                            BASE_URL) if back_parts else None)
            with self.progress.stage(self.name, "contents and numbers", 3) as step:
                contents = fill_contents(book.html(front), pages_of)
                final_front = workers.lay_out(contents, BASE_URL, "").result()
                step()
                overlays = [(doc_numbers.result(), starts[1])]
                step()
                if back_numbers is not None:
                    overlays.append((back_numbers.result(), back_start))
                step()
        if final_front.pages != front_laid.pages:
            raise BuildError([Diagnostic(str(target), 1, 1, ERROR, "E-LAYOUT",
                                         "the contents changed length once page numbers were written in",
                                         "build with -j 1 to lay the book out in one piece")])
        log.info("pdf: contents and page numbers laid out, %.1f s", time.perf_counter() - clock)
        parts = [(final_front, 1), *parts, *back_parts]
        with self.progress.stage(self.name, "joining", 1) as step:
            pdf_chunks.join(parts, overlays, target, self._metadata(), self.config.language)
            step()
        log.info("pdf: %d pages joined, %.1f s", end - 1, time.perf_counter() - clock)
        return page_map_of(parts)

    def _sources(self) -> list[Path]:
        """The files the book is made of, in its order."""
        if self.documents is not None:
            return list(self.documents)
        return [self.config.sources / n for n in self._source_names()]

    def _page_map_key(self, page_size: str) -> str:
        """A digest of what decides where pages begin: sources, print stylesheets, page size."""
        sources = [part for path in self._sources() if path.is_file()
                   for part in (path.name, path.read_bytes())]
        return digest(page_size, tree_digest(XSLT_DIR, XSLT_DIR.parent / "common"), *sources)

    def page_map(self) -> dict[int, list[str]]:
        """For each page of the print edition, the ids of the elements that begin on it.

        Read from output/pdf/page-map.json when that was made from the same sources,
        stylesheets and page size; otherwise the book is laid out (not written to output/).
        """
        size = (self.config.formats.get("pdf", {}) | self.options).get("page_size", "A4")
        key = self._page_map_key(size)
        saved = read_page_map(self.output / PAGE_MAP, key)
        if saved is not None:
            return saved
        with tempfile.TemporaryDirectory(prefix=".pdf-pages-", dir=self.config.output) as tmp:
            self.options = {**self.options, "variant": "standard", "per_document": False}
            self.write(Path(tmp))
            return read_page_map(Path(tmp) / PAGE_MAP, key) or {}

    def _metadata(self) -> dict[str, str]:
        return {"/Title": self.config.title, "/Author": ", ".join(self.config.editors),
                "/Creator": "edition", "/Producer": "WeasyPrint"}

    def _document_ids(self) -> list[tuple[Path, str]]:
        paths = ([self.config.sources / d for d in self.config.documents] if self.documents is None
                 else list(self.documents))
        return [(p, self.read(p).root.get(XML_ID) or p.stem) for p in paths]

    def _source_names(self) -> list[str]:
        config = self.config
        names = [config.front, *config.documents, *config.registers.values(), config.bibliography]
        return [n for n in names if n]


def write_page_map(path: Path, key: str, pages: dict[int, list[str]]) -> None:
    """Save the page map (without the generated name anchors, which nothing outside the PDF knows)."""
    kept = {str(n): [a for a in anchors if not a.startswith("occ-")] for n, anchors in sorted(pages.items())}
    path.write_text(json.dumps({"key": key, "pages": kept}, ensure_ascii=False), encoding="utf-8")


def read_page_map(path: Path, key: str) -> dict[int, list[str]] | None:
    """The page map saved at ``path`` if it was made under ``key``, else None."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict) or saved.get("key") != key:
        return None
    return {int(n): anchors for n, anchors in saved.get("pages", {}).items()}


def page_map(config, documents: list[Path] | None = None) -> list[tuple[int, list[str]]]:
    """For each page of the print edition in order, the ids of the elements that begin on it.

    Pages on which nothing begins (a blank verso, a page that only continues a
    paragraph) are left out. See PdfBuilder.page_map for where the map comes from.
    """
    config.output.mkdir(parents=True, exist_ok=True)
    return sorted((n, ids) for n, ids in PdfBuilder(config, documents).page_map().items() if ids)


def _page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


def _attachment(path: Path):
    from weasyprint import Attachment

    return Attachment(filename=str(path), description=f"TEI source: {path.name}")


def anchor_pages(laid_out) -> dict[str, int]:
    """The page on which each anchor of a laid-out WeasyPrint document fell."""
    return pdf_chunks.describe(laid_out).anchors


def occurrences(sections) -> list[tuple[str, str]]:
    """Every name in the documents as (its anchor, its register entry)."""
    return [(el.get("id"), el.get("data-entry")) for section in sections
            for el in section.xpath(".//*[@data-entry][starts-with(@id, 'occ-')]")]


def references(found: list[tuple[str, str]], pages_of: dict[str, int]) -> dict[str, list[int]]:
    """The pages each register entry is named on, given where each anchor fell."""
    pages: dict[str, set[int]] = {}
    for anchor, entry in found:
        if anchor in pages_of:
            pages.setdefault(entry, set()).add(pages_of[anchor])
    return {entry: sorted(numbers) for entry, numbers in pages.items()}


def fill_page_references(html: str, refs: dict[str, list[int]]) -> str:
    """Fill in the registers' page references (``refs``: the pages of each entry).

    The references follow the documents, so filling them in moves no document page.
    """
    root = lxml_html.fromstring(html)
    for el in root.xpath("//p[@class='pagerefs']"):
        numbers = refs.get(el.get("data-entry"))
        if numbers:
            el.text = "Pages " + page_ranges(numbers)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _book_pages(parts: list[tuple[pdf_chunks.Laid, int]]) -> dict[str, int]:
    """Each anchor's page in the book, for chunks laid out from the given first pages."""
    return {anchor: start + local - 1 for laid, start in parts for anchor, local in laid.anchors.items()}


def _unnumbered(parts: list[tuple[pdf_chunks.Laid, int]]) -> list[int]:
    """The blank pages of a run of chunks: between them, and those left blank inside them."""
    covered = {p for laid, start in parts for p in range(start, start + laid.pages)}
    first, end = parts[0][1], parts[-1][1] + parts[-1][0].pages
    return sorted({p for p in range(first, end) if p not in covered}
                  | {start + b - 1 for laid, start in parts for b in laid.blank})


def page_map_of(parts: list[tuple[pdf_chunks.Laid, int]]) -> dict[int, list[str]]:
    """For each page of the book, the anchors that begin on it, in reading order."""
    pages: dict[int, list[str]] = {}
    for laid, start in parts:
        for anchor, local in laid.anchors.items():
            pages.setdefault(start + local - 1, []).append(anchor)
    return pages


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
