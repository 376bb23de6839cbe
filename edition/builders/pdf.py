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

from .. import xslt
from ..sources import Source
from .base import Builder, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "print"


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

    def print_html(self) -> str:
        executable = xslt.compile_stylesheet(XSLT_DIR / "book.xsl")
        executable.clear_parameters()
        proc = xslt.processor()
        for key, value in (("edition-title", self.config.title), ("publisher", self.config.publisher),
                           ("editors", ", ".join(self.config.editors)), ("language", self.config.language)):
            executable.set_parameter(key, proc.make_string_value(value))
        return executable.transform_to_string(xdm_node=xslt.parse(self.bundle(), None))

    def write(self, staging: Path) -> BuildResult:
        from weasyprint import HTML

        result = BuildResult(self.name, staging)
        html = self.print_html()
        target = staging / "edition.pdf"
        document = HTML(string=html, base_url=str(XSLT_DIR) + "/").render()
        document.write_pdf(target)
        result.files.append(target)
        return result
