"""The EPUB's content documents, between the XSLT and the package.

The stylesheet (xslt/epub/book.xsl) writes every content document into one
result, so that it sees the whole book at once; here that result is split
into files, and what needs the finished files is done: links are resolved
against them (the shared core writes the web edition's page names, and a
TEI file from elsewhere may point to registers the book does not have),
every ``lang`` gets its ``xml:lang`` twin (both are expected in XHTML), and
the print edition's page breaks are marked where its pages begin.
"""

from __future__ import annotations

import copy
import re
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
    files = etree.fromstring(result.encode("utf-8"), safe_parser())
    documents = []
    for entry in files.iterchildren(f"{{{PKG}}}file"):
        # a fresh root declares the epub: prefix, which markers added later use too
        found = entry.find(f"{_H}html")
        html = etree.Element(found.tag, dict(found.attrib), nsmap={None: XHTML, "epub": OPS})
        html.extend(copy.deepcopy(child) for child in found)
        etree.cleanup_namespaces(html, top_nsmap={None: XHTML, "epub": OPS})
        properties = set((entry.get("properties") or "").split())
        documents.append(ContentDocument(entry.get("href"), entry.get("title", ""), html,
                                         entry.get("landmark", ""), entry.get("group", ""), properties))
    return documents


def resolve_links(documents: list[ContentDocument]) -> int:
    """Point every internal link at a file and id of the book; unlink what leads nowhere.

    ``X.html#id`` (the web edition's page) becomes ``X.xhtml#id``; an id found in
    another file than the one named is followed there. A link whose target the
    book does not have (a register left out with a TEI file from elsewhere)
    keeps its text as a span. Returns how many links were unlinked.
    """
    ids = {doc.href: set(doc.ids()) for doc in documents}
    owner: dict[str, str] = {}
    for doc in documents:
        for ident in ids[doc.href]:
            owner.setdefault(ident, doc.href)
    unlinked = 0
    for doc in documents:
        for link in doc.root.iter(f"{_H}a"):
            href = link.get("href")
            if href is None or _EXTERNAL.match(href):
                continue
            target = _resolve(href, doc.href, ids, owner)
            if target is None:
                _unlink(link)
                unlinked += 1
            else:
                link.set("href", target)
    return unlinked


def _resolve(href: str, here: str, ids: dict[str, set[str]], owner: dict[str, str]) -> str | None:
    file, _, fragment = href.partition("#")
    file = re.sub(r"\.html?$", ".xhtml", file) if file else here
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
    position: dict[str, tuple[int, int, ContentDocument, etree._Element]] = {}
    for index, doc in enumerate(documents):
        if "nav" in doc.properties:
            continue
        body = doc.root.find(f"{_H}body")
        for order, el in enumerate(body.iter()):
            ident = el.get("id") if isinstance(el.tag, str) else None
            if ident and ident not in position and not _in_note(el):
                position[ident] = (index, order, doc, el)
    placed: list[tuple[int, str]] = []
    last = (-1, -1)
    for number, idents in pages:
        for ident in idents:
            found = position.get(ident)
            if found is None or (found[0], found[1]) <= last:
                continue
            index, order, doc, el = found
            _insert_marker(el, number)
            placed.append((number, f"{doc.href}#page-{number}"))
            last = (index, order)
            break
    return placed


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
