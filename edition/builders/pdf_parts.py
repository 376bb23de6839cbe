"""The print book's parts, each rendered on its own, so that no process holds the whole edition.

xslt/print/book.xsl renders the whole book from one bundle of every TEI file
(for the PDF laid out in one piece), or a part of it: one document (with the
document it translates, for the parallel text), the front matter (which needs
of the documents only their headers, for the contents) or the back matter. A
worker process renders and lays out each document from its files; the parent
renders the front and back matter, which are small.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from .. import fonts, xslt
from ..cache import digest, tree_digest
from ..sources import NS, XML_ID, read_source

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "print"
BASE_URL = str(XSLT_DIR) + "/"
# The fonts book.css sets text in, in its order of fallback.
FONT_FAMILIES = ["DejaVu Serif", "DejaVu Sans", "WenQuanYi Micro Hei"]
TEI = NS["tei"]


@dataclass(frozen=True)
class Printing:
    """What the print stylesheet is told (picklable: it travels to the workers)."""

    params: tuple[tuple[str, str], ...]
    fonts: tuple[str, ...] = tuple(FONT_FAMILIES)  # the text must be covered by these

    @classmethod
    def of(cls, params: dict[str, str], fonts: list[str]) -> Printing:
        return cls(tuple(sorted(params.items())), tuple(fonts))

    def key(self) -> str:
        """A digest of the parameters, the fonts and the print stylesheets (with the shared core)."""
        stylesheets = tree_digest(XSLT_DIR, XSLT_DIR.parent / "common")
        return digest(json.dumps([self.params, self.fonts]), stylesheets)

    def uncovered(self, root: lxml_html.HtmlElement) -> list[str]:
        """The characters of print HTML's text that none of the fonts has."""
        return fonts.uncovered(root.text_content(), list(self.fonts))

    def render(self, bundle: str, *, only: str = "", part: str = "book") -> str:
        """The print HTML of ``bundle`` (``<book>`` holding TEI files by kind), or of a part of it."""
        executable = xslt.compile_stylesheet(XSLT_DIR / "book.xsl")  # once per process
        xslt.set_parameters(executable, {**dict(self.params), "only": only, "part": part})
        return executable.transform_to_string(xdm_node=xslt.parse(bundle, None))

    def document(self, path: Path, original: Path | None) -> str:
        """The print HTML of one document; ``original`` is the text it translates, if any."""
        source = read_source(path)
        parts = [("document", path)] + ([("document", original)] if original else [])
        return self.render(bundle_of(parts), only=source.root.get(XML_ID) or path.stem)


def bundle_of(parts: list[tuple[str, Path | str]]) -> str:
    """A ``<book>`` of TEI files (read safely) or of TEI given as text, each in its kind's element."""
    body = []
    for kind, part in parts:
        text = part if isinstance(part, str) else etree.tostring(read_source(part).tree, encoding="unicode")
        body.append(f"<{kind}>{text}</{kind}>")
    return f"<book>{''.join(body)}</book>"


def header_only(ident: str, lang: str, header: str) -> str:
    """A document reduced to its header: all that the contents need of it."""
    return (f'<TEI xmlns="{TEI}" xml:id="{_attr(ident)}" xml:lang="{_attr(lang)}">{header}</TEI>')


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def names_in(root: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    """Every name in print HTML as (its anchor, its register entry), for the page references."""
    return [(el.get("id"), el.get("data-entry"))
            for el in root.xpath(".//*[@data-entry][starts-with(@id, 'occ-')]")]
