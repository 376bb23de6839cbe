"""The EPUB's content documents, between the XSLT and the package.

The stylesheet (xslt/epub/book.xsl) writes the content documents into
<pkg:files> results (the whole book, or its pieces: see
:mod:`edition.epub_parts`); here they are split into files, and what needs
the whole book is done: links are resolved against its files (the shared
core writes the web edition's page names, and a TEI file from elsewhere may
point to registers the book does not have), every ``lang`` gets its
``xml:lang`` twin (both are expected in XHTML), and the print edition's
page breaks are marked where its pages begin.

Each such step is planned on small outlines of the files and then applied
to each file alone (:func:`finish`), so that a builder that keeps outlines
and finished files need not parse an unchanged file again.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from .sources import safe_parser

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
PKG = "urn:edition:epub-package"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS}}}type"
_H = f"{{{XHTML}}}"
_EXTERNAL = re.compile(r"^(https?|mailto):", re.I)


@dataclass
class ContentDocument:
    """One XHTML file of the book, with what the package document says of it."""

    href: str
    title: str
    root: etree._Element
    landmark: str = ""
    group: str = ""
    properties: set[str] = field(default_factory=set)

    def ids(self) -> dict[str, etree._Element]:
        return {el.get("id"): el for el in self.root.iter() if isinstance(el.tag, str) and el.get("id")}

    def serialize(self) -> bytes:
        etree.cleanup_namespaces(self.root, top_nsmap={None: XHTML, "epub": OPS})  # markers added since
        return etree.tostring(etree.ElementTree(self.root), xml_declaration=True, encoding="UTF-8",
                              doctype="<!DOCTYPE html>")


def split(result: str) -> list[ContentDocument]:
    """The stylesheet's <pkg:files> as content documents, in reading order."""
    return [content_document(entry.attrib, entry) for entry in entries(result)]


def entries(result: str | bytes) -> list[etree._Element]:
    """The <pkg:file> entries of a stylesheet's result, in reading order."""
    files = etree.fromstring(result.encode("utf-8") if isinstance(result, str) else result, safe_parser())
    return list(files.iterchildren(f"{{{PKG}}}file"))


def content_document(entry: Mapping[str, str], made: etree._Element) -> ContentDocument:
    """The file a <pkg:file> (``made``) holds, as the book's plan describes it (``entry``:
    href, title, landmark, group, properties). Its elements are moved, not copied: ``made`` is
    left without them (a register of thousands of documents is a tree of hundreds of megabytes,
    which two copies would double)."""
    # a fresh root declares the epub: prefix, which markers added later use too
    found = made.find(f"{_H}html")
    html = etree.Element(found.tag, dict(found.attrib), nsmap={None: XHTML, "epub": OPS})
    html.extend(list(found))
    etree.cleanup_namespaces(html, top_nsmap={None: XHTML, "epub": OPS})
    properties = set((entry.get("properties") or "").split())
    return ContentDocument(entry["href"], entry.get("title", ""), html, entry.get("landmark", ""),
                           entry.get("group", ""), properties)


def resolve_links(documents: list[ContentDocument]) -> int:
    """Point every internal link at a file and id of the book; unlink what leads nowhere.

    ``X.html#id`` (the web edition's page) becomes ``X.xhtml#id``; an id found in
    another file than the one named is followed there. A link whose target the
    book does not have (a register left out with a TEI file from elsewhere)
    keeps its text as a span. Returns how many links were unlinked.
    """
    targets = link_targets([outline(doc) for doc in documents])
    return sum(apply_links(doc, found) for doc, found in zip(documents, targets, strict=True))


def link_targets(outlines: list[Outline]) -> list[dict[str, str | None]]:
    """For each file, where each of its links leads in the book (None: nowhere; see resolve_links)."""
    book = Links(outlines)
    return [book.targets(o) for o in outlines]


class Links:
    """Where links lead in a book of these files (see resolve_links): what a file's links need of
    the others is only their names and ids, which :func:`ids_digest` sums up."""

    def __init__(self, outlines: list[Outline]):
        self.ids = {o.href: set(o.ids) for o in outlines}
        self.owner: dict[str, str] = {}
        for o in outlines:
            for ident in o.ids:
                self.owner.setdefault(ident, o.href)

    def targets(self, outline: Outline) -> dict[str, str | None]:
        """Where each link of the file leads (None: nowhere)."""
        return {href: _resolve(href, outline.href, self.ids, self.owner) for href in outline.links}


def ids_digest(outlines: list[Outline]) -> str:
    """A digest of what the book's links are resolved against: each file's name and ids, in order."""
    h = hashlib.sha256()
    for o in outlines:
        h.update(json.dumps([o.href, o.ids], ensure_ascii=False).encode("utf-8"))
    return h.hexdigest()


def apply_links(doc: ContentDocument, targets: dict[str, str | None]) -> int:
    """Set each internal link of a file to its target, or unlink it; returns how many were unlinked."""
    unlinked = 0
    for link in doc.root.iter(f"{_H}a"):
        href = link.get("href")
        if href is None or _EXTERNAL.match(href):
            continue
        target = targets[href]
        if target is None:
            _unlink(link)
            unlinked += 1
        else:
            link.set("href", target)
    return unlinked


def _resolve(href: str, here: str, ids: dict[str, set[str]], owner: dict[str, str]) -> str | None:
    file, _, fragment = href.partition("#")
    if not file:
        file = here
    elif file.endswith((".html", ".htm")):  # the web edition's page: the EPUB's file
        file = file[: file.rindex(".")] + ".xhtml"
    if file in ids and (not fragment or fragment in ids[file]):
        pass
    elif fragment and fragment in owner:
        file = owner[fragment]
    else:
        return None
    if file == here:
        return f"#{fragment}" if fragment else file
    return f"{file}#{fragment}" if fragment else file


def _unlink(link: etree._Element) -> None:
    link.tag = f"{_H}span"
    for name in ("href", "role", EPUB_TYPE, "aria-label"):
        link.attrib.pop(name, None)


def tag_languages(documents: list[ContentDocument]) -> None:
    """Give every ``lang`` its ``xml:lang`` twin, the root included."""
    for doc in documents:
        for el in doc.root.iter():
            if isinstance(el.tag, str) and el.get("lang"):
                el.set(XML_LANG, el.get("lang"))


# --- what the whole-book steps need of a file, and the file finished -----------------------------

@dataclass
class Outline:
    """What the steps that look across files need of one: links are resolved and page breaks
    placed with the outlines of the book, so that a file whose outline and links are as before
    need not be parsed again (the builder keeps both)."""

    href: str
    ids: list[str]  # every id of the file, in document order
    running: list[str]  # the ids of its running text (not in notes; none in the nav), in order
    links: list[str]  # the hrefs of its internal links, each once


def outline(doc: ContentDocument) -> Outline:
    """A file's outline; the running text's ids are those place_page_breaks can mark."""
    ids = list(doc.ids())
    running: list[str] = []
    if "nav" not in doc.properties:
        seen: set[str] = set()
        for el in doc.root.find(f"{_H}body").iter():
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident and ident not in seen and not _in_note(el):
                seen.add(ident)
                running.append(ident)
    links = [a.get("href") for a in doc.root.iter(f"{_H}a")
             if a.get("href") is not None and not _EXTERNAL.match(a.get("href"))]
    return Outline(doc.href, ids, running, list(dict.fromkeys(links)))


@dataclass
class Finished:
    """A content document as it goes into the book, with what the package needs of it."""

    data: bytes
    positions: dict[str, int]  # each id (its first occurrence) and its place in document order
    characters: str  # the characters a reader sees in it, each once
    unhandled: dict[str, int]  # TEI elements without a template of their own, and how often
    deflated: bytes = b""  # the data as the zip holds it, when the builder has made it

    def pack(self) -> bytes:
        """One blob to keep: what is said of it (a line of JSON), its data, its deflated data."""
        said = {"positions": self.positions, "characters": self.characters, "unhandled": self.unhandled,
                "size": len(self.data)}
        return json.dumps(said, ensure_ascii=False).encode("utf-8") + b"\n" + self.data + self.deflated

    @classmethod
    def unpack(cls, blob: bytes) -> Finished:
        line, _, rest = blob.partition(b"\n")  # JSON writes a newline in a string as \n
        said = json.loads(line)
        size = said["size"]
        return cls(rest[:size], said["positions"], said["characters"], said["unhandled"], rest[size:])


def finish(doc: ContentDocument, targets: dict[str, str | None], marks: list[tuple[int, str]],
           page_list: list[tuple[int, str]]) -> Finished:
    """A file as the book has it: links resolved (``targets``), languages tagged, the page breaks
    ``marks`` places in it marked, and, for the navigation document, the page list."""
    apply_links(doc, targets)
    tag_languages([doc])
    insert_page_breaks(doc, marks)
    if "nav" in doc.properties:
        add_page_list(doc, page_list)
    positions = {key.partition("#")[2]: n for key, (_, n) in reading_positions([doc]).items() if "#" in key}
    unhandled = {name: sum(where.values()) for name, where in unhandled_elements([doc]).items()}
    return Finished(doc.serialize(), positions, "".join(sorted(characters_of(doc))), unhandled)


def characters_of(doc: ContentDocument) -> set[str]:
    """Each character a reader sees in a content document, once (gathered text by text: a register
    of thousands of documents is tens of megabytes of text)."""
    found: set[str] = set()
    for text in doc.root.find(f"{_H}body").itertext():
        found.update(text)
    return found


def text_of(documents: list[ContentDocument]) -> str:
    """Every character a reader sees in the content documents (what the fonts must cover)."""
    return "\n".join("".join(doc.root.find(f"{_H}body").itertext()) for doc in documents)


# --- the print edition's pages ----------------------------------------------------------------

# Where a span may not stand between an element and its parent, the marker goes inside the element.
_MARK_INSIDE = {"li", "dt", "dd", "td", "th", "tr", "caption", "summary", "figcaption", "body", "html"}
_NO_SPAN_CHILD = {"ul", "ol", "dl", "table", "thead", "tbody", "tfoot", "tr", "html", "head", "select"}


def place_page_breaks(documents: list[ContentDocument],
                      pages: list[tuple[int, list[str]]]) -> list[tuple[int, str]]:
    """Mark where each print page begins; return the page list as (page, href) pairs.

    ``pages`` gives, for each page of the PDF in order, the ids of the elements that
    begin on it. Page N's marker, ``<span epub:type="pagebreak" role="doc-pagebreak"
    id="page-N" aria-label="N"/>``, goes before the first of those elements that the
    EPUB has in its running text (not in a footnote, which a reading system may show
    elsewhere) and that comes after the previous marker, so the markers stay in
    reading order. A page with no such element gets no marker.
    """
    placed, marks = plan_page_breaks([outline(doc) for doc in documents], pages)
    for doc, mine in zip(documents, marks, strict=True):
        insert_page_breaks(doc, mine)
    return placed


def plan_page_breaks(outlines: list[Outline], pages: list[tuple[int, list[str]]]
                     ) -> tuple[list[tuple[int, str]], list[list[tuple[int, str]]]]:
    """Where the page breaks go (see place_page_breaks): the page list, and for each file
    the (page, id) pairs of the markers it gets."""
    position: dict[str, tuple[int, int]] = {}
    for index, o in enumerate(outlines):
        for rank, ident in enumerate(o.running):
            position.setdefault(ident, (index, rank))
    placed: list[tuple[int, str]] = []
    marks: list[list[tuple[int, str]]] = [[] for _ in outlines]
    last = (-1, -1)
    for number, idents in pages:
        for ident in idents:
            found = position.get(ident)
            if found is None or found <= last:
                continue
            marks[found[0]].append((number, ident))
            placed.append((number, f"{outlines[found[0]].href}#page-{number}"))
            last = found
            break
    return placed, marks


def insert_page_breaks(doc: ContentDocument, marks: list[tuple[int, str]]) -> None:
    """Put page N's marker at the element (the first of its id in the running text) it begins with."""
    if not marks:
        return
    wanted = {ident for _, ident in marks}
    found: dict[str, etree._Element] = {}
    for el in doc.root.find(f"{_H}body").iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident in wanted and ident not in found and not _in_note(el):
            found[ident] = el
    for number, ident in marks:
        _insert_marker(found[ident], number)


def _in_note(el: etree._Element) -> bool:
    return el.tag == f"{_H}aside" or any(a.tag == f"{_H}aside" for a in el.iterancestors())


def _insert_marker(el: etree._Element, number: int) -> None:
    marker = etree.Element(f"{_H}span", {EPUB_TYPE: "pagebreak", "role": "doc-pagebreak",
                                          "id": f"page-{number}", "aria-label": str(number)})
    local = etree.QName(el).localname
    parent = el.getparent()
    if local in _MARK_INSIDE or parent is None or etree.QName(parent).localname in _NO_SPAN_CHILD:
        marker.tail, el.text = el.text, None
        el.insert(0, marker)
    else:
        el.addprevious(marker)


def add_page_list(nav: ContentDocument, placed: list[tuple[int, str]]) -> None:
    """The navigation document's page list (hidden: reading systems offer it as "go to page")."""
    if not placed:
        return
    body = nav.root.find(f"{_H}body")
    page_list = etree.SubElement(body, f"{_H}nav", {EPUB_TYPE: "page-list", "role": "doc-pagelist",
                                                    "id": "page-list", "aria-labelledby": "page-list-title",
                                                    "hidden": "hidden"})
    etree.SubElement(page_list, f"{_H}h2", id="page-list-title").text = "Pages of the print edition"
    ol = etree.SubElement(page_list, f"{_H}ol")
    for number, href in placed:
        etree.SubElement(etree.SubElement(ol, f"{_H}li"), f"{_H}a", href=href).text = str(number)


# --- navigation, for the NCX ------------------------------------------------------------------

@dataclass
class NavPoint:
    label: str
    href: str
    children: list[NavPoint] = field(default_factory=list)


def toc_of(nav: ContentDocument) -> list[NavPoint]:
    """The navigation document's table of contents as a tree (a group leads to its first entry)."""
    toc = nav.root.find(f".//{_H}nav[@id='toc']/{_H}ol")
    return _points(toc) if toc is not None else []


def _points(ol: etree._Element) -> list[NavPoint]:
    points = []
    for li in ol.iterchildren(f"{_H}li"):
        sub = li.find(f"{_H}ol")
        children = _points(sub) if sub is not None else []
        head = li.find(f"{_H}a")
        if head is None:
            head = li.find(f"{_H}span")
        href = head.get("href") or (children[0].href if children else "")
        points.append(NavPoint(" ".join("".join(head.itertext()).split()), href, children))
    return points


def reading_positions(documents: list[ContentDocument]) -> dict[str, tuple[int, int]]:
    """Where each file and each ``file#id`` stands in reading order (for the NCX's playOrder)."""
    positions: dict[str, tuple[int, int]] = {}
    for index, doc in enumerate(documents):
        positions[doc.href] = (index, 0)
        for order, el in enumerate(doc.root.iter(), 1):
            if isinstance(el.tag, str) and el.get("id"):
                positions.setdefault(f"{doc.href}#{el.get('id')}", (index, order))
    return positions


def unhandled_elements(documents: list[ContentDocument]) -> dict[str, dict[str, int]]:
    """TEI elements the stylesheets have no template for (their text is kept): element -> file -> count."""
    found: dict[str, dict[str, int]] = {}
    for doc in documents:
        for el in doc.root.iter(f"{_H}span"):
            name = el.get("data-tei")
            if name:
                where = found.setdefault(name, {})
                where[doc.href] = where.get(doc.href, 0) + 1
    return found
