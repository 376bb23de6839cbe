"""The print edition: one PDF in output/pdf/, through CSS paged media (WeasyPrint).

The whole book (front matter, the documents in reading order, registers,
bibliography) is assembled into one XML bundle, rendered to print HTML by
xslt/print/book.xsl (which imports the shared core), and laid out by
WeasyPrint: footnotes at the foot of the page, numbered as in the source,
running heads, page numbers, a table of contents with page numbers, PDF
bookmarks from the headings.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .. import fonts, xslt
from ..diagnostics import ERROR, Diagnostic
from ..sources import XML_ID, Source
from .base import Builder, BuildError, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "print"
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
        first = HTML(string=html, base_url=str(XSLT_DIR) + "/").render()
        html = with_page_references(html, first)
        document = HTML(string=html, base_url=str(XSLT_DIR) + "/").render()
        extra: dict = {}
        if variant:
            extra["pdf_variant"] = variant
        if variant == "pdf/a-3b":  # the TEI sources travel inside the PDF
            extra["attachments"] = [_attachment(self.config.sources / n) for n in self._source_names()]
        if variant == "pdf/ua-1":
            extra["pdf_tags"] = True
        document.write_pdf(target, **extra)
        result.files.append(target)
        if options.get("per_document"):
            for path, ident in self._document_ids():
                single = staging / f"{ident}.pdf"
                html = self.print_html(options.get("page_size", "A4"), only=ident)
                if "attachments" in extra:  # each document carries its own source
                    extra["attachments"] = [_attachment(path)]
                HTML(string=html, base_url=str(XSLT_DIR) + "/").write_pdf(single, **extra)
                result.files.append(single)
        return result

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


def with_page_references(html: str, laid_out) -> str:
    """Fill in the registers' page references from a first layout of the book.

    Every name in the documents is an anchor (``occ-…``, with the register entry in
    ``data-entry``); the first layout says on which page each anchor fell. The
    references follow the documents, so filling them in moves no document page.
    """
    pages_of: dict[str, int] = {}
    for number, page in enumerate(laid_out.pages, 1):
        for anchor in page.anchors:
            pages_of.setdefault(anchor, number)
    root = lxml_html.fromstring(html)
    found: dict[str, set[int]] = {}
    for el in root.xpath("//*[@data-entry][starts-with(@id, 'occ-')]"):
        if el.get("id") in pages_of:
            found.setdefault(el.get("data-entry"), set()).add(pages_of[el.get("id")])
    for el in root.xpath("//p[@class='pagerefs']"):
        numbers = sorted(found.get(el.get("data-entry"), ()))
        if numbers:
            el.text = "Pages " + page_ranges(numbers)
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
