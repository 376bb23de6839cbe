"""The EPUB 3 edition: output/epub/<name>.epub, one file for e-readers.

Like the PDF builder, it renders the whole book (front matter, the documents
in reading order, registers, bibliography) with one stylesheet,
xslt/epub/book.xsl, which imports the shared core: notes, names and
editorial signs read as in the web and print editions. The stylesheet
writes the content documents and the navigation document, piece by piece
so that a rebuild makes again only what changed (see :mod:`edition.epub_parts`);
this module resolves their links, marks the print edition's page breaks
(from :func:`edition.builders.pdf.page_map`), embeds subset fonts, draws the
cover, and packages it all reproducibly (see :mod:`edition.epub_package`).

The file is named by ``formats.epub.filename`` in edition.yaml, or after the
edition's title (``khrushchevs-conversations-1958-1959.epub``); TEI files from
elsewhere make an EPUB named after the first of them, without registers.
"""

from __future__ import annotations

import logging
import re
import unicodedata
import zlib
from collections.abc import Callable, Mapping
from functools import cache, partial
from pathlib import Path

from lxml import etree

from .. import epub_content, epub_fonts, epub_package, epub_parts
from ..cache import Memo, Store, digest
from ..diagnostics import ERROR, Diagnostic
from ..epub_parts import Part, PartFacts
from ..sources import safe_parser
from .base import Builder, BuildError, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "epub"
CSS = XSLT_DIR / "assets" / "edition.css"
_RESERVED = {"cover", "title", "nav", "colophon"}  # the book's own content documents
log = logging.getLogger("edition")


class EpubBuilder(Builder):
    name = "epub"

    # --- what goes in ---------------------------------------------------------------------

    def parts(self) -> list[Part]:
        """The TEI files of the book in reading order, each with its content document's name."""
        config = self.config
        own = self.documents is None
        found: list[tuple[str, Path]] = []
        if own and config.front:
            found.append(("front", config.sources / config.front))
        paths = [config.sources / d for d in config.documents] if own else list(self.documents)
        found += [("document", p) for p in paths]
        if own:
            found += [("register", config.sources / n) for n in config.registers.values()]
            if config.bibliography:
                found.append(("bibliography", config.sources / config.bibliography))
        used: set[str] = set(_RESERVED)
        named = []
        for kind, path in found:
            stem = re.sub(r"[^A-Za-z0-9_.-]", "-", path.stem)
            name, n = stem, 1
            while name in used:  # two files of one name from different folders
                n += 1
                name = f"{stem}-{n}"
            used.add(name)
            named.append(Part(kind, name + ".xhtml", path))
        return named

    def book_title(self, parts: list[Part], facts: list[PartFacts]) -> str:
        """The edition's title; one TEI file from elsewhere is a book of its own title."""
        titles = [f.title for p, f in zip(parts, facts, strict=True) if p.kind == "document"]
        if self.documents is not None and len(titles) == 1 and titles[0]:
            return titles[0]
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
        store = Store(self.config.output, self.name)
        memo = Memo(self.config.output, "epub-facts")
        parts = self.parts()
        facts = [epub_parts.facts(part.path, self.read, memo) for part in parts]
        memo.save()
        title = self.book_title(parts, facts)
        languages = _languages(parts, facts, self.config.language if self.documents is None else "")
        params = self.params(title, languages[0])
        pieces = epub_parts.pieces(self.frame(parts, facts, params, store),
                                   self.document_files(parts, facts, params, store))
        finished, placed = self.finish(pieces, store, result)
        fonts = self.fonts("".join(f.characters for f in finished), store)

        seconds = epub_package.build_time()
        meta = self.metadata(parts, facts, title, languages, seconds, bool(placed))
        items = self.items(meta, pieces, finished, fonts, placed)
        files = {"META-INF/container.xml": epub_package.container(),
                 f"{epub_package.ROOT}/package.opf": epub_package.package_document(meta, items)}
        files |= {f"{epub_package.ROOT}/{item.href}": item.data for item in items}
        made = {f"{epub_package.ROOT}/{p.href}": f.deflated for p, f in zip(pieces, finished, strict=True)}
        epub_package.write_zip(target, files, seconds, partial(_deflated, store, made))
        result.files.append(target)
        store.keep_only_used()
        result.warnings += _unhandled(pieces, finished)
        return result

    def items(self, meta: epub_package.Metadata, pieces: list[epub_parts.Piece],
              finished: list[epub_content.Finished], fonts: list[epub_fonts.EmbeddedFont],
              placed: list[tuple[int, str]]) -> list[epub_package.Item]:
        """The publication's files: cover image, content documents (the spine), style sheet, fonts, NCX."""
        cover = epub_package.cover_svg(meta.title, meta.subtitle, self.config.publisher, meta.languages[0])
        items = [epub_package.Item("images/cover.svg", cover, properties="cover-image")]
        items += [epub_package.Item(p.href, f.data, " ".join(sorted(p.properties)), spine=True)
                  for p, f in zip(pieces, finished, strict=True)]
        css = epub_fonts.font_face_css(fonts) + CSS.read_text(encoding="utf-8")
        items.append(epub_package.Item("css/edition.css", css.encode("utf-8")))
        items += [epub_package.Item(f"fonts/{f.face.file}", f.data) for f in fonts]
        [nav] = [(p, f) for p, f in zip(pieces, finished, strict=True) if "nav" in p.properties]
        toc = epub_content.toc_of(_parsed(*nav))
        positions = _positions(pieces, finished, epub_package.ncx_targets(toc, placed))
        ncx = epub_package.ncx(meta, toc, placed, positions)
        items.append(epub_package.Item("toc.ncx", ncx))
        return items

    def finish(self, pieces: list[epub_parts.Piece], store: Store,
               result: BuildResult) -> tuple[list[epub_content.Finished], list[tuple[int, str]]]:
        """Every file finished (links resolved across the book, the print edition's page breaks
        marked, see edition.epub_parts), and the page list."""
        memo = Memo(self.config.output, "epub-outlines")
        outlines = [epub_parts.outline(piece, memo) for piece in pieces]
        memo.save()
        links = cache(lambda: epub_content.Links(outlines))  # worked out if a file is finished now
        book_ids = epub_content.ids_digest(outlines)
        pages = self.page_map()
        if pages is None:
            result.warnings.append("the EPUB has no page list: edition.builders.pdf has no page_map")
        placed, marks = epub_content.plan_page_breaks(outlines, pages or [])
        finished = [epub_parts.finish(piece, book_ids, partial(_targets, links, outline), mine, placed, store)
                    for piece, outline, mine in zip(pieces, outlines, marks, strict=True)]
        log.debug("epub: %d file(s) finished, %d taken from the cache",
                  sum(now for _, now in finished), sum(not now for _, now in finished))
        return [file for file, _ in finished], placed

    def params(self, title: str, language: str) -> dict[str, str]:
        """The stylesheet's parameters (but the occurrences, which only the frame reads)."""
        own = self.documents is None
        config = self.config
        return {**self.stylesheet_params(), "edition-title": title, "language": language,
                "subtitle": config.subtitle if own else "", "licence": config.licence if own else ""}

    def frame(self, parts: list[Part], facts: list[PartFacts], params: dict[str, str],
              store: Store) -> tuple[str, Path]:
        """Every content document but the documents' (see edition.epub_parts), from the store when
        made from the same files, titles and occurrences: its key and stored file."""
        key = epub_parts.frame_key(params, parts, facts)
        stored = store.file(key)
        if stored.is_file():
            log.info("epub: contents, front matter and registers taken from the cache")
            return key, stored
        failure = epub_parts.make_frame(parts, facts, params, store, key)
        if failure is not None:
            raise BuildError([failure])
        log.info("epub: contents, front matter and registers made")
        return key, stored

    def document_files(self, parts: list[Part], facts: list[PartFacts], params: dict[str, str],
                       store: Store) -> list[tuple[str, bytes]]:
        """Each document's content document, in reading order, with its key: taken from the store
        when made from the same bytes (its own and its original's), else made (see edition.epub_parts)."""
        digests = {p.path: f.document.digest for p, f in zip(parts, facts, strict=True)}
        tasks = [(p, o) for p, o in zip(parts, epub_parts.originals(parts, facts), strict=True)
                 if p.kind == "document"]
        keys = [epub_parts.document_key(params, p, digests[p.path], o, digests[o.path] if o else "")
                for p, o in tasks]
        files = [store.get(key) for key in keys]
        todo = [i for i, file in enumerate(files) if file is None]
        with self.progress.stage(self.name, "documents", len(tasks)) as step:
            step(len(tasks) - len(todo))
            made = epub_parts.make_documents([(tasks[i][0].path, o.path if (o := tasks[i][1]) else None)
                                              for i in todo], params, self.jobs)
            for i, file in zip(todo, made, strict=True):
                files[i] = file.encode("utf-8")
                store.put(keys[i], files[i])
                step()
        log.info("epub: %d content document(s) made, %d taken from the cache",
                 len(todo), len(tasks) - len(todo))
        log.debug("epub: made %s", ", ".join(tasks[i][0].name for i in todo) or "nothing")
        return [(key, file) for key, file in zip(keys, files, strict=True) if file]

    def fonts(self, text: str, store: Store) -> list[epub_fonts.EmbeddedFont]:
        """The subset fonts for ``text``; stops the build (E-GLYPH) if a character of it has no font."""
        fonts, missing = epub_fonts.embed(text, store=store)
        if missing:
            raise BuildError([Diagnostic(str(epub_fonts.FONTS_XML), 1, 1, ERROR, "E-GLYPH",
                                         "no font of the EPUB covers: " + _describe(missing),
                                         "install a font that covers them (bash scripts/setup.sh) "
                                         "and list it in xslt/epub/fonts.xml")])
        return fonts

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

    def metadata(self, parts: list[Part], facts: list[PartFacts], title: str, languages: list[str],
                 seconds: int, has_pages: bool) -> epub_package.Metadata:
        config = self.config
        own = self.documents is None
        ids = [f.ident or p.path.name for p, f in zip(parts, facts, strict=True)]
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


def _languages(parts: list[Part], facts: list[PartFacts], default: str) -> list[str]:
    """The book's languages: the edition's first (else the first document's), then the documents'."""
    found = [default] if default else []
    for part, fact in zip(parts, facts, strict=True):
        if part.kind == "document" and fact.lang and fact.lang not in found:
            found.append(fact.lang)
    return found or ["en"]


def _unhandled(pieces: list[epub_parts.Piece], finished: list[epub_content.Finished]) -> list[str]:
    """A warning for each TEI element the stylesheets have no template for (its text is kept)."""
    found: dict[str, dict[str, int]] = {}
    for piece, file in zip(pieces, finished, strict=True):
        for element, count in file.unhandled.items():
            found.setdefault(element, {})[piece.href] = count
    return [f"<{element}> has no template of its own; its text is kept "
            f"({sum(where.values())}× in {', '.join(sorted(where))})"
            for element, where in sorted(found.items())]


def _targets(links: Callable[[], epub_content.Links], outline: epub_content.Outline) -> dict[str, str | None]:
    return links().targets(outline)


def _parsed(piece: epub_parts.Piece, file: epub_content.Finished) -> epub_content.ContentDocument:
    """A finished file parsed again (the navigation document, for the NCX's table of contents)."""
    return epub_content.ContentDocument(piece.href, piece.entry.get("title", ""),
                                        etree.fromstring(file.data, safe_parser()))


def _positions(pieces: list[epub_parts.Piece], finished: list[epub_content.Finished],
               wanted: list[str]) -> dict[str, tuple[int, int]]:
    """Where each file and each ``file#id`` of ``wanted`` stands in reading order
    (see epub_content.reading_positions)."""
    fragments: dict[str, set[str]] = {}
    for href in wanted:
        file, _, fragment = href.partition("#")
        fragments.setdefault(file, set()).add(fragment)
    positions: dict[str, tuple[int, int]] = {}
    for index, (piece, file) in enumerate(zip(pieces, finished, strict=True)):
        positions[piece.href] = (index, 0)
        for ident in fragments.get(piece.href, set()) & file.positions.keys():
            positions.setdefault(f"{piece.href}#{ident}", (index, file.positions[ident]))
    return positions


def _deflated(store: Store, made: dict[str, bytes], name: str, data: bytes) -> bytes:
    """A zip entry's compressed bytes: the content documents' were made with them, the rest
    (style sheet, fonts, NCX, package document) are kept too."""
    if name in made:
        return made[name]
    # another zlib, or another level, deflates otherwise
    key = digest("deflate", zlib.ZLIB_RUNTIME_VERSION, str(epub_package.DEFLATE_LEVEL), data)
    stored = store.get(key)
    if stored is None:
        stored = epub_package.deflate(data)
        store.put(key, stored)
    return stored


def _describe(characters: list[str]) -> str:
    return ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in characters)


def slug(text: str) -> str:
    """A file name from a title, so that the book's name says what it is.

    "Khrushchev's Conversations, 1958–1959" is khrushchevs-conversations-1958-1959.
    """
    words = re.sub(r"[^\w]+", " ", re.sub(r"['’]", "", text.lower()))
    ascii_text = unicodedata.normalize("NFKD", words).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "edition"
