"""The EPUB 3 edition: output/epub/<name>.epub, one file for e-readers.

Like the PDF builder, it hands the whole book (front matter, the documents
in reading order, registers, bibliography) to one stylesheet,
xslt/epub/book.xsl, which imports the shared core: notes, names and
editorial signs read as in the web and print editions. The stylesheet
writes the content documents and the navigation document; this module
resolves their links, marks the print edition's page breaks (from
:func:`edition.builders.pdf.page_map`), embeds subset fonts, draws the
cover, and packages it all reproducibly (see :mod:`edition.epub_package`).

The file is named by ``formats.epub.filename`` in edition.yaml, or after the
edition's title (``khrushchevs-conversations-1958-1959.epub``); TEI files from
elsewhere make an EPUB named after the first of them, without registers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from .. import epub_content, epub_fonts, epub_package, xslt
from ..diagnostics import ERROR, Diagnostic
from ..sources import NS, Source
from .base import Builder, BuildError, BuildResult
from .html import occurrences_xml_of

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "epub"
CSS = XSLT_DIR / "assets" / "edition.css"
_RESERVED = {"cover", "title", "nav", "colophon"}  # the book's own content documents
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class EpubBuilder(Builder):
    name = "epub"

    # --- what goes in ---------------------------------------------------------------------

    def parts(self) -> list[tuple[str, str, Source]]:
        """(kind, content document name, source) for each TEI file of the book, in reading order."""
        config = self.config
        own = self.documents is None
        parts: list[tuple[str, Path]] = []
        if own and config.front:
            parts.append(("front", config.sources / config.front))
        paths = [config.sources / d for d in config.documents] if own else list(self.documents)
        parts += [("document", p) for p in paths]
        if own:
            parts += [("register", config.sources / n) for n in config.registers.values()]
            if config.bibliography:
                parts.append(("bibliography", config.sources / config.bibliography))
        used: set[str] = set(_RESERVED)
        named = []
        for kind, path in parts:
            stem = re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem)
            name, n = stem, 1
            while name in used:  # two files of one name from different folders
                n += 1
                name = f"{stem}-{n}"
            used.add(name)
            named.append((kind, name + ".xhtml", self.read(path)))
        return named

    def book_title(self, parts: list[tuple[str, str, Source]]) -> str:
        """The edition's title; one TEI file from elsewhere is a book of its own title."""
        documents = [s for kind, _, s in parts if kind == "document"]
        if self.documents is not None and len(documents) == 1:
            title = documents[0].root.find("tei:teiHeader/tei:fileDesc/tei:titleStmt/tei:title", NS)
            if title is not None and " ".join(title.xpath("string()").split()):
                return " ".join(title.xpath("string()").split())
        return self.config.title

    def file_name(self) -> str:
        options = self.config.formats.get("epub", {}) | self.options
        if self.documents is not None:
            name = slug(Path(self.documents[0]).stem) if self.documents else "edition"
        else:
            name = options.get("filename") or slug(self.config.title)
        name = name if name.endswith(".epub") else name + ".epub"
        if Path(name).name != name or name.startswith("."):
            raise BuildError([Diagnostic(str(self.config.root / "edition.yaml"), 1, 1, ERROR, "E-CONFIG",
                                         f"formats.epub.filename must be a file name, not {name!r}",
                                         "write a name such as edition.epub")])
        return name

    # --- the build ------------------------------------------------------------------------

    def write(self, staging: Path) -> BuildResult:
        result = BuildResult(self.name, staging)
        target = staging / self.file_name()  # a bad name stops the build before any work
        parts = self.parts()
        title = self.book_title(parts)
        languages = _languages(parts, self.config.language if self.documents is None else "")
        documents = self.transform(parts, title, languages[0])
        epub_content.resolve_links(documents)
        epub_content.tag_languages(documents)
        nav = next(d for d in documents if "nav" in d.properties)
        pages = self.page_map()
        placed = epub_content.place_page_breaks(documents, pages) if pages is not None else []
        epub_content.add_page_list(nav, placed)
        if pages is None:
            result.warnings.append("the EPUB has no page list: edition.builders.pdf has no page_map")
        fonts = self.fonts(documents)

        seconds = epub_package.build_time()
        meta = self.metadata(parts, title, languages, seconds, bool(placed))
        cover = epub_package.cover_svg(title, meta.subtitle, self.config.publisher, languages[0])
        items = [epub_package.Item("images/cover.svg", cover, properties="cover-image")]
        items += [epub_package.Item(d.href, d.serialize(), " ".join(sorted(d.properties)), spine=True)
                  for d in documents]
        css = epub_fonts.font_face_css(fonts) + CSS.read_text(encoding="utf-8")
        items.append(epub_package.Item("css/edition.css", css.encode("utf-8")))
        items += [epub_package.Item(f"fonts/{f.face.file}", f.data) for f in fonts]
        positions = epub_content.reading_positions(documents)
        ncx = epub_package.ncx(meta, epub_content.toc_of(nav), placed, positions)
        items.append(epub_package.Item("toc.ncx", ncx))
        files = {"META-INF/container.xml": epub_package.container(),
                 f"{epub_package.ROOT}/package.opf": epub_package.package_document(meta, items)}
        files |= {f"{epub_package.ROOT}/{item.href}": item.data for item in items}
        epub_package.write_zip(target, files, seconds)
        result.files.append(target)
        for element, where in sorted(epub_content.unhandled_elements(documents).items()):
            result.warnings.append(f"<{element}> has no template of its own; its text is kept "
                                   f"({sum(where.values())}× in {', '.join(sorted(where))})")
        return result

    def fonts(self, documents: list[epub_content.ContentDocument]) -> list[epub_fonts.EmbeddedFont]:
        """The subset fonts; stops the build (E-GLYPH) if a character of the book has no font."""
        fonts, missing = epub_fonts.embed(epub_content.text_of(documents))
        if missing:
            raise BuildError([Diagnostic(str(epub_fonts.FONTS_XML), 1, 1, ERROR, "E-GLYPH",
                                         "no font of the EPUB covers: " + _describe(missing),
                                         "install a font that covers them (bash scripts/setup.sh) "
                                         "and list it in xslt/epub/fonts.xml")])
        return fonts

    def transform(self, parts: list[tuple[str, str, Source]], title: str,
                  language: str) -> list[epub_content.ContentDocument]:
        """The content documents, from xslt/epub/book.xsl."""
        documents = [(name, source) for kind, name, source in parts if kind == "document"]
        occurrences = occurrences_xml_of([s for _, s in documents], [n for n, _ in documents])
        body = "".join(f"<part kind={quoteattr(kind)} file={quoteattr(source.path.name)} "
                       f"href={quoteattr(name)}>{etree.tostring(source.tree, encoding='unicode')}</part>"
                       for kind, name, source in parts)
        executable = xslt.compile_stylesheet(XSLT_DIR / "book.xsl")
        own = self.documents is None
        xslt.set_parameters(executable, {
            **self.stylesheet_params(), "edition-title": title, "language": language,
            "subtitle": self.config.subtitle if own else "", "licence": self.config.licence if own else "",
            "occurrences": xslt.parse(occurrences, None)})
        bundle = xslt.parse(f"<book>{body}</book>", None)
        return epub_content.split(executable.transform_to_string(xdm_node=bundle))

    def page_map(self) -> list[tuple[int, list[str]]] | None:
        """For each page of the print PDF in order, the ids of the elements that begin on it.

        None when the PDF builder cannot say (no ``page_map`` there): the EPUB then has no
        page list, and the build says so. A mapping of page to ids is taken as well as pairs.
        """
        try:
            from .pdf import page_map
        except ImportError:
            return None
        pages = page_map(self.config, self.documents)
        pairs = pages.items() if isinstance(pages, Mapping) else pages
        return sorted((int(number), list(ids)) for number, ids in pairs)

    def metadata(self, parts: list[tuple[str, str, Source]], title: str, languages: list[str], seconds: int,
                 has_pages: bool) -> epub_package.Metadata:
        config = self.config
        own = self.documents is None
        ids = [s.root.get("{http://www.w3.org/XML/1998/namespace}id") or s.path.name for _, _, s in parts]
        size = (config.formats.get("pdf", {}) or {}).get("page_size", "A4")
        page_source = f"{title}, print edition (PDF, {size})" if has_pages else ""
        summary = (
            "A text-only edition with a cover image that has a text alternative. Every content document "
            "is tagged with its language, and passages in other languages with theirs; headings, lists "
            "and landmarks give the structure, and the contents lead to every document and register. "
            "Footnote calls link to their notes, which link back. The Vietnamese translation follows "
            "its English original block by block, each block labelled with its language. "
            + ("Page break markers give the page numbers of the print edition. " if has_pages else "")
            + "No colours or sizes are forced, so reading systems' display settings apply. "
            "There are no flashing, motion or sound hazards. Checked with EPUBCheck and DAISY Ace.")
        return epub_package.Metadata(
            identifier=epub_package.identifier(config.base_url, title, *ids),
            title=title, subtitle=config.subtitle if own else "", languages=languages,
            modified=epub_package.modified(seconds), creators=list(config.editors) if own else [],
            publisher=config.publisher, rights=config.licence if own else "",
            page_source=page_source, accessibility_summary=summary)


def _languages(parts: list[tuple[str, str, Source]], default: str) -> list[str]:
    """The book's languages: the edition's first (else the first document's), then the documents'."""
    found = [default] if default else []
    for kind, _, source in parts:
        lang = source.root.get(XML_LANG)
        if kind == "document" and lang and lang not in found:
            found.append(lang)
    return found or ["en"]


def _describe(characters: list[str]) -> str:
    return ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in characters)


def slug(text: str) -> str:
    """A file name from a title, so that the book's name says what it is.

    "Khrushchev's Conversations, 1958–1959" is khrushchevs-conversations-1958-1959.
    """
    words = re.sub(r"[^\w]+", " ", re.sub(r"['’]", "", text.lower()))
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "edition"
