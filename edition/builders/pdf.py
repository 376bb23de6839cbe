"""The print edition: one PDF in output/pdf/, through CSS paged media (WeasyPrint).

xslt/print/book.xsl (which imports the shared core) renders the book to print
HTML: front matter, the documents in reading order, registers, bibliography;
WeasyPrint lays it out with footnotes at the foot of the page, numbered as in
the source, running heads, page numbers, a table of contents with page numbers
and PDF bookmarks from the headings. With more than one core (and no PDF/A or
PDF/UA variant) the book is made in chunks, each document rendered and laid out
in a worker and kept in the store between builds (see pdf_chunks and pdf_parts);
otherwise it is rendered from one bundle of every TEI file and laid out whole,
twice (the first layout says where the registers' names fell).
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import time
from concurrent.futures import Future
from pathlib import Path

from lxml import html as lxml_html

from .. import fonts
from ..cache import Memo, Store, digest, file_digests, tree_digest
from ..diagnostics import ERROR, Diagnostic
from ..sources import SourceError
from . import pdf_chunks, pdf_parts
from .base import Builder, BuildError, BuildResult
from .html import FACTS_MEMO, DocumentFacts, stored_facts, translated_from
from .pdf_parts import BASE_URL, FONT_FAMILIES, XSLT_DIR, Printing

PAGE_SIZES = {"A4": "A4", "letter": "letter", "6x9in": "6in 9in"}
VARIANTS = {"standard": None, "pdfa-3b": "pdf/a-3b", "pdfua-1": "pdf/ua-1"}
log = logging.getLogger("edition")
# Where each page of the print edition begins, for the EPUB's page list (see page_map()).
PAGE_MAP = "page-map.json"


SETTLE_ATTEMPTS = 4  # layouts of the numbered contents before the build gives up


class PdfBuilder(Builder):
    name = "pdf"

    def printing(self, page_size: str = "A4") -> Printing:
        """What the print stylesheet is told for this edition and page size."""
        return Printing.of({**self.stylesheet_params(), "language": self.config.language,
                            "page-size": PAGE_SIZES[page_size]}, FONT_FAMILIES)

    def bundle(self) -> str:
        """The book's sources in one XML document, for the print stylesheet (the book in one piece)."""
        documents: list[tuple[str, Path | str]] = [("document", p) for p in self._document_paths()]
        return self._bundle_of(self._front_parts() + documents + self._back_parts())

    def _front_parts(self) -> list[tuple[str, Path | str]]:
        """The front matter's file, for the edition's own book (TEI files from elsewhere have none)."""
        config = self.config
        return [("front", config.sources / config.front)] if self.documents is None and config.front else []

    def _back_parts(self) -> list[tuple[str, Path | str]]:
        """The registers' and the bibliography's files, for the edition's own book."""
        config = self.config
        if self.documents is not None:
            return []
        parts: list[tuple[str, Path | str]] = [("register", config.sources / name)
                                               for name in config.registers.values()]
        if config.bibliography:
            parts.append(("bibliography", config.sources / config.bibliography))
        return parts

    def _bundle_of(self, parts: list[tuple[str, Path | str]]) -> str:
        try:
            return pdf_parts.bundle_of(parts)
        except SourceError as exc:
            raise BuildError([exc.diagnostic]) from None

    def print_html(self, page_size: str = "A4") -> str:
        """The print HTML of the whole book (for the book laid out in one piece)."""
        return self.printing(page_size).render(self.bundle())

    def check_glyphs(self, missing: list[str]) -> None:
        """Stop the build (E-GLYPH) when no print font has some character of the book's text."""
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
        target = staging / "edition.pdf"
        size = options.get("page_size", "A4")
        store = Store(self.config.output, self.name)
        docs = self._facts()
        jobs = self.jobs or os.cpu_count() or 1
        extra: dict = {}
        if variant:
            extra["pdf_variant"] = variant
        if variant == "pdf/a-3b":  # the TEI sources travel inside the PDF
            extra["attachments"] = [_attachment(self.config.sources / n) for n in self._source_names()]
        if variant == "pdf/ua-1":
            extra["pdf_tags"] = True
        if variant is None and jobs > 1 and len(docs) >= 2:
            # PDF/A and PDF/UA are made in one piece: joining chunks would not keep their conformance
            pages = self._write_in_chunks(docs, store, size, jobs, target)
        else:
            html = self.print_html(size)
            root = lxml_html.fromstring(html)
            self.check_glyphs(self.printing(size).uncovered(root))
            with self.progress.stage(self.name, "layouts (one piece)", 2) as step:
                first = HTML(string=html, base_url=BASE_URL).render()
                step()
                refs = references(pdf_parts.names_in(root), anchor_pages(first))
                laid = HTML(string=fill_page_references(html, refs), base_url=BASE_URL).render()
                laid.write_pdf(target, **extra)
                step()
            pages = page_map_of([(pdf_chunks.describe(laid), 1)])
        result.files.append(target)
        write_page_map(staging / PAGE_MAP, self._page_map_key(size), pages)
        result.pages = _page_count(target)
        if options.get("per_document"):
            printing = self.printing(size)
            by_file = {doc.path.name: doc for doc in docs}
            for doc in docs:
                single = staging / f"{doc.ident or doc.path.stem}.pdf"
                original = _original(doc, by_file)
                html = printing.document(doc.path, original.path if original else None)
                if "attachments" in extra:  # each document carries its own source
                    extra["attachments"] = [_attachment(doc.path)]
                HTML(string=html, base_url=BASE_URL).write_pdf(single, **extra)
                result.files.append(single)
        return result

    def _write_in_chunks(self, docs: list[DocumentFacts], store: Store, size: str, jobs: int,
                         target: Path) -> dict[int, list[str]]:
        """The book laid out in chunks, in parallel (see pdf_chunks); returns its page map.

        Each document is rendered and laid out in a worker from its own file; the parent
        renders the front and back matter, which need of the documents only their headers
        and where their names fell. A chunk laid out before from the same things is taken
        from the store, so after one document changed only its chunk is laid out again
        (and the registers, the contents and the page numbers if what they show moved).
        """
        clock = time.perf_counter()
        printing, size_css = self.printing(size), PAGE_SIZES[size]
        by_file = {doc.path.name: doc for doc in docs}
        with pdf_chunks.Chunks(jobs, store) as chunks:
            # one chunk per document (WeasyPrint's pages per second fall as a layout grows), the
            # largest first so that none is left running alone at the end
            futures: dict[int, Future] = {}
            for i in sorted(range(len(docs)), key=lambda i: _size(docs[i].path), reverse=True):
                original = _original(docs[i], by_file)
                futures[i] = chunks.document(printing, docs[i].path, original.path if original else None,
                                             digest(docs[i].digest, original.digest if original else ""))
            front, back, missing = self._front_and_back(printing, docs)
            draft = chunks.html(front.html(front.sections))
            with self.progress.stage(self.name, "documents", len(docs)) as step:
                docs_laid = pdf_chunks.wait_all([futures[i] for i in range(len(docs))], step)
            self.check_glyphs(sorted(set(missing).union(*(d.missing for d in docs_laid))))
            front_laid = draft.result()
            log.info("pdf: %d documents laid out, %.1f s", len(docs), time.perf_counter() - clock)
            # the contents' page numbers can change its length (a title that wraps once its number
            # is written in): then every part moves, and is placed again until the contents settle
            front_pages, front_anchors = front_laid.pages, front_laid.anchors
            for _ in range(SETTLE_ATTEMPTS):
                starts = pdf_chunks.first_pages([front_pages] + [d.pages for d in docs_laid])
                parts = list(zip(docs_laid, starts[1:], strict=True))
                after_docs = starts[-1] + docs_laid[-1].pages
                pages_of = _book_pages(parts)
                numbers = chunks.numbers(starts[1], after_docs - starts[1], _unnumbered(parts), size_css)
                refs = references([name for laid in docs_laid for name in laid.names], pages_of)
                with self.progress.stage(self.name, "registers", len(back.sections)) as step:
                    back_laid = pdf_chunks.wait_all(
                        [chunks.html(fill_page_references(back.html([section]), refs))
                         for section in back.sections], step)
                back_starts = pdf_chunks.first_pages([b.pages for b in back_laid], after_docs)
                back_parts = list(zip(back_laid, back_starts, strict=True))
                end = back_parts[-1][1] + back_laid[-1].pages if back_parts else after_docs
                pages_of |= _book_pages(back_parts) | front_anchors
                log.info("pdf: back matter laid out, %.1f s", time.perf_counter() - clock)
                back_start = back_parts[0][1] if back_parts else end
                if back_parts:
                    numbers += chunks.numbers(back_start, end - back_start, _unnumbered(back_parts), size_css)
                with self.progress.stage(self.name, "contents and numbers", 1 + len(numbers)) as step:
                    numbered = fill_contents(front.html(front.sections), pages_of)
                    final_front = chunks.html(numbered, "").result()
                    step()
                    overlays = []
                    for piece, first in numbers:
                        overlays.append((piece.result(), first))
                        step()
                if final_front.pages == front_pages:
                    break
                log.info("pdf: the contents took %d pages, not %d, once numbered: the parts are placed again",
                         final_front.pages, front_pages)
                front_pages, front_anchors = final_front.pages, final_front.anchors
            else:
                raise BuildError([Diagnostic(str(target), 1, 1, ERROR, "E-LAYOUT",
                                             "the contents did not settle on a length once page numbers "
                                             "were written in",
                                             "build with -j 1 to lay the book out in one piece")])
            log.info("pdf: contents and page numbers laid out, %.1f s; %d layouts made, the others "
                     "taken from the cache", time.perf_counter() - clock, chunks.made)
            parts = [(final_front, 1), *parts, *back_parts]
            with self.progress.stage(self.name, "joining", 1) as step:
                pdf_chunks.join(parts, overlays, target, self._metadata(), self.config.language)
                step()
        self.layouts_made = chunks.made
        log.info("pdf: %d pages joined, %.1f s", end - 1, time.perf_counter() - clock)
        return page_map_of(parts)

    layouts_made = 0  # by the last chunked build: chunks and page numbers not found in the cache

    def _front_and_back(self, printing: Printing, docs: list[DocumentFacts],
                        ) -> tuple[pdf_chunks.Book, pdf_chunks.Book, list[str]]:
        """The front matter (of the documents, the contents need only their headers) and the back
        matter, each cut into its sections; and the characters of their text no print font has."""
        back = self._back_parts()
        front = self._front_parts() + [("document", pdf_parts.header_only(d.ident, d.lang, d.header))
                                       for d in docs]
        books, missing = [], []
        for part, bundle in (("front", front + back), ("back", back)):
            root = lxml_html.fromstring(printing.render(self._bundle_of(bundle), part=part))
            missing += printing.uncovered(root)
            books.append(pdf_chunks.Book(root))
        return books[0], books[1], missing

    def _facts(self) -> list[DocumentFacts]:
        """What the book needs of each document without its tree, taken from the memo when its
        bytes are unchanged."""
        memo = Memo(self.config.output, FACTS_MEMO)
        found = [stored_facts(p, memo, self.read) for p in self._document_paths()]
        memo.save()
        return found

    def _document_paths(self) -> list[Path]:
        if self.documents is not None:
            return list(self.documents)
        return [self.config.sources / d for d in self.config.documents]

    def _sources(self) -> list[Path]:
        """The files the book is made of, in its order."""
        if self.documents is not None:
            return list(self.documents)
        return [self.config.sources / n for n in self._source_names()]

    def _page_map_key(self, page_size: str) -> str:
        """A digest of what decides where pages begin: sources, print stylesheets, page size."""
        digests = file_digests(self.config.output)
        files = [digest(path.name, found) for path in self._sources() if (found := digests.of(path))]
        return digest(page_size, tree_digest(XSLT_DIR, XSLT_DIR.parent / "common"), *files)

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


def _original(doc: DocumentFacts, by_file: dict[str, DocumentFacts]) -> DocumentFacts | None:
    """The document a translation is printed beside (the file its @corresp point into)."""
    found = translated_from(doc, by_file)
    return by_file[found[0].name] if found else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


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
