"""The EPUB container: package document (OPF), NCX, cover image and the zip itself.

Reproducible by construction: with ``SOURCE_DATE_EPOCH`` set, the package's
``dcterms:modified`` and every zip entry's time come from it, the files are
written in a fixed order (``mimetype`` first and stored, as OCF requires,
then ``META-INF``, the package document and the rest sorted), and nothing
else varies, so two builds of the same sources are byte-identical.
"""

from __future__ import annotations

import os
import re
import struct
import textwrap
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from .epub_content import NavPoint

OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
SVG = "http://www.w3.org/2000/svg"
ROOT = "EPUB"  # the folder of the publication's files inside the container
MEDIA_TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".ttf": "font/ttf",
               ".svg": "image/svg+xml", ".ncx": "application/x-dtbncx+xml"}
EPOCH_1980 = 315532800  # the earliest time a zip entry can carry
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class Metadata:
    """What the package document says of the book."""

    identifier: str
    title: str
    languages: list[str]
    modified: str  # CCYY-MM-DDThh:mm:ssZ
    subtitle: str = ""
    creators: list[str] = field(default_factory=list)
    publisher: str = ""
    rights: str = ""
    page_source: str = ""  # the print edition the page list follows; empty: no page list
    accessibility_summary: str = ""


@dataclass
class Item:
    """A file of the publication: its path under EPUB/, its bytes, and its place in the spine."""

    href: str
    data: bytes
    properties: str = ""
    spine: bool = False

    @property
    def id(self) -> str:
        return "item-" + re.sub(r"[^A-Za-z0-9_-]", "-", self.href)

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[os.path.splitext(self.href)[1]]


def build_time() -> int:
    """Seconds since the epoch: SOURCE_DATE_EPOCH when set (a reproducible build), else now."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else int(time.time())


def modified(seconds: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def identifier(*parts: str) -> str:
    """A stable identifier: the same sources give the same urn:uuid."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "edition-epub:" + "\n".join(parts)).urn


def _meta(parent: etree._Element, prop: str, value: str, **attrs: str) -> None:
    etree.SubElement(parent, f"{{{OPF}}}meta", {"property": prop, **attrs}).text = value


def package_document(meta: Metadata, items: list[Item]) -> bytes:
    """The OPF: metadata (Dublin Core, accessibility), manifest and spine."""
    package = etree.Element(f"{{{OPF}}}package", {"version": "3.0", "unique-identifier": "uid",
                                                  XML_LANG: meta.languages[0]}, nsmap={None: OPF})
    metadata = etree.SubElement(package, f"{{{OPF}}}metadata", nsmap={"dc": DC})

    def dc(name: str, value: str, **attrs: str) -> None:
        etree.SubElement(metadata, f"{{{DC}}}{name}", attrs).text = value

    dc("identifier", meta.identifier, id="uid")
    dc("title", meta.title, id="title")
    _meta(metadata, "title-type", "main", refines="#title")
    if meta.subtitle:
        dc("title", meta.subtitle, id="subtitle")
        _meta(metadata, "title-type", "subtitle", refines="#subtitle")
    for n, name in enumerate(meta.creators, 1):
        dc("creator", name, id=f"editor-{n}")
        _meta(metadata, "role", "edt", refines=f"#editor-{n}", scheme="marc:relators")
    for language in meta.languages:
        dc("language", language)
    if meta.publisher:
        dc("publisher", meta.publisher)
    if meta.rights:
        dc("rights", meta.rights)
    if meta.page_source:
        dc("source", meta.page_source)
    _meta(metadata, "dcterms:modified", meta.modified)
    _accessibility(metadata, meta)
    cover = next((i for i in items if "cover-image" in i.properties.split()), None)
    if cover is not None:  # EPUB 2 reading systems find the cover by this
        etree.SubElement(metadata, f"{{{OPF}}}meta", name="cover", content=cover.id)

    manifest = etree.SubElement(package, f"{{{OPF}}}manifest")
    for item in sorted(items, key=lambda i: i.href):
        attrs = {"id": item.id, "href": item.href, "media-type": item.media_type}
        if item.properties:
            attrs["properties"] = item.properties
        etree.SubElement(manifest, f"{{{OPF}}}item", attrs)
    ncx_item = next(i for i in items if i.href.endswith(".ncx"))
    spine = etree.SubElement(package, f"{{{OPF}}}spine", toc=ncx_item.id)
    for item in items:
        if item.spine:
            etree.SubElement(spine, f"{{{OPF}}}itemref", idref=item.id)
    return etree.tostring(package, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _accessibility(metadata: etree._Element, meta: Metadata) -> None:
    """EPUB Accessibility 1.1: how the book can be read, what helps, what could harm."""
    for mode in ("textual", "visual"):  # the cover is an image (with a text alternative)
        _meta(metadata, "schema:accessMode", mode)
    _meta(metadata, "schema:accessModeSufficient", "textual")
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                "displayTransformability"]
    if meta.page_source:
        features += ["pageBreakMarkers", "pageNavigation"]
    for feature in features:
        _meta(metadata, "schema:accessibilityFeature", feature)
    _meta(metadata, "schema:accessibilityHazard", "none")
    _meta(metadata, "schema:accessibilitySummary", meta.accessibility_summary)
    _meta(metadata, "dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.1 Level AA")
    if meta.publisher:
        _meta(metadata, "a11y:certifiedBy", meta.publisher)
    if meta.page_source:
        _meta(metadata, "pageBreakSource", meta.page_source)


def ncx(meta: Metadata, toc: list[NavPoint], pages: list[tuple[int, str]],
        positions: dict[str, tuple[int, int]]) -> bytes:
    """The EPUB 2 table of contents, for reading systems that do not read the navigation document.

    playOrder follows reading order; entries that lead to the same place share a number.
    """
    targets = ncx_targets(toc, pages)
    ordered = sorted(set(targets), key=lambda h: (positions.get(h, positions.get(h.split("#")[0], (0, 0))),
                                                  h))
    play = {href: n for n, href in enumerate(ordered, 1)}
    root = etree.Element(f"{{{NCX}}}ncx", {"version": "2005-1",
                                            XML_LANG: meta.languages[0]},
                         nsmap={None: NCX})
    head = etree.SubElement(root, f"{{{NCX}}}head")
    depth = _depth(toc)
    for name, content in (("dtb:uid", meta.identifier), ("dtb:depth", str(depth)),
                          ("dtb:totalPageCount", str(len(pages))),
                          ("dtb:maxPageNumber", str(max((n for n, _ in pages), default=0)))):
        etree.SubElement(head, f"{{{NCX}}}meta", name=name, content=content)
    etree.SubElement(etree.SubElement(root, f"{{{NCX}}}docTitle"), f"{{{NCX}}}text").text = meta.title
    nav_map = etree.SubElement(root, f"{{{NCX}}}navMap")
    counter = iter(range(1, 100000))

    def add(parent: etree._Element, point: NavPoint) -> None:
        el = etree.SubElement(parent, f"{{{NCX}}}navPoint", id=f"nav-{next(counter)}",
                              playOrder=str(play[point.href]))
        etree.SubElement(etree.SubElement(el, f"{{{NCX}}}navLabel"), f"{{{NCX}}}text").text = point.label
        etree.SubElement(el, f"{{{NCX}}}content", src=point.href)
        for child in point.children:
            add(el, child)

    for point in toc:
        add(nav_map, point)
    if pages:
        page_list = etree.SubElement(root, f"{{{NCX}}}pageList")
        etree.SubElement(etree.SubElement(page_list, f"{{{NCX}}}navLabel"), f"{{{NCX}}}text").text = "Pages"
        for number, href in pages:
            target = etree.SubElement(page_list, f"{{{NCX}}}pageTarget", id=f"page-target-{number}",
                                      type="normal", value=str(number), playOrder=str(play[href]))
            label = etree.SubElement(target, f"{{{NCX}}}navLabel")
            etree.SubElement(label, f"{{{NCX}}}text").text = str(number)
            etree.SubElement(target, f"{{{NCX}}}content", src=href)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def ncx_targets(toc: list[NavPoint], pages: list[tuple[int, str]]) -> list[str]:
    """Where the NCX leads: every entry of the contents, every page."""
    return [p.href for p in _flatten(toc)] + [href for _, href in pages]


def _flatten(points: list[NavPoint]) -> list[NavPoint]:
    return [q for p in points for q in (p, *_flatten(p.children))]


def _depth(points: list[NavPoint]) -> int:
    return max((1 + _depth(p.children) for p in points), default=0)


def container() -> bytes:
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n'
            b'<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">\n'
            b'  <rootfiles>\n'
            b'    <rootfile full-path="' + ROOT.encode() + b'/package.opf" '
            b'media-type="application/oebps-package+xml"/>\n'
            b'  </rootfiles>\n</container>\n')


def cover_svg(title: str, subtitle: str, publisher: str, language: str) -> bytes:
    """A typographic cover: the title, the subtitle and the publisher on a dark ground."""
    svg = etree.Element(f"{{{SVG}}}svg", {"version": "1.1", "viewBox": "0 0 600 900", "width": "600",
                                          "height": "900",
                                          XML_LANG: language},
                        nsmap={None: SVG})
    etree.SubElement(svg, f"{{{SVG}}}title").text = title
    etree.SubElement(svg, f"{{{SVG}}}rect", width="600", height="900", fill="#23313a")
    etree.SubElement(svg, f"{{{SVG}}}rect", x="40", y="40", width="520", height="820", fill="none",
                     stroke="#c9b27c", **{"stroke-width": "2"})
    y = 250
    for line in textwrap.wrap(title, 20):
        _svg_text(svg, line, y, 44, "bold")
        y += 56
    y += 30
    for line in textwrap.wrap(subtitle, 36)[:8]:
        _svg_text(svg, line, y, 24, "normal")
        y += 34
    if publisher:
        _svg_text(svg, publisher, 800, 22, "normal")
    return etree.tostring(svg, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _svg_text(svg: etree._Element, line: str, y: int, size: int, weight: str) -> None:
    etree.SubElement(svg, f"{{{SVG}}}text", {"x": "300", "y": str(y), "text-anchor": "middle",
                                             "font-family": "DejaVu Serif, serif", "font-size": str(size),
                                             "font-weight": weight, "fill": "#f4efe3"}).text = line


DEFLATE_LEVEL = 9  # the smallest book


def deflate(data: bytes) -> bytes:
    """Raw DEFLATE, as a zip entry holds it."""
    packer = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def write_zip(path, files: dict[str, bytes], seconds: int,
              deflated: Callable[[str, bytes], bytes] | None = None) -> None:
    """The OCF container: ``mimetype`` first and stored, then META-INF, the OPF, the rest sorted.

    Written here rather than by zipfile so that each entry's compressed bytes can come from
    ``deflated(name, data)`` (the builder keeps them: most files of a rebuilt book are as before,
    and compressing them again is most of what packaging costs); the layout is zipfile's own.
    """
    deflated = deflated or (lambda _, data: deflate(data))
    when = time.gmtime(max(seconds, EPOCH_1980))[:6]
    first = ["META-INF/container.xml", f"{ROOT}/package.opf"]
    names = [n for n in first if n in files] + sorted(n for n in files if n not in first)
    mimetype = b"application/epub+zip"
    entries = [_Entry.of("mimetype", mimetype, _STORED, mimetype, when)]
    entries += [_Entry.of(name, files[name], _DEFLATED, deflated(name, files[name]), when) for name in names]
    with open(path, "wb") as out:
        for entry in entries:
            entry.offset = out.tell()
            out.write(entry.local_header() + entry.stored)
        start = out.tell()
        for entry in entries:
            out.write(entry.central_record())
        size = out.tell() - start
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), size, start, 0))


_STORED, _DEFLATED = 0, 8
_VERSION = 20  # what extracting needs: 2.0 (deflate)
_UTF8_NAME = 0x800


@dataclass
class _Entry:
    """A file of the container, as its local header and the central directory describe it."""

    name: bytes
    flags: int
    method: int
    dos_time: int
    dos_date: int
    crc: int
    size: int  # uncompressed
    stored: bytes  # the bytes in the container (deflated, or as they are)
    offset: int = 0  # of its local header

    @classmethod
    def of(cls, name: str, data: bytes, method: int, stored: bytes, when: tuple) -> _Entry:
        if max(len(data), len(stored)) >= 0xFFFFFFFF:
            raise ValueError(f"{name} is too large for a zip entry without ZIP64")
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        return cls(encoded, flags, method, when[3] << 11 | when[4] << 5 | when[5] // 2,
                   (when[0] - 1980) << 9 | when[1] << 5 | when[2], zlib.crc32(data), len(data), stored)

    def _fields(self) -> tuple[int, ...]:
        return (self.flags, self.method, self.dos_time, self.dos_date, self.crc, len(self.stored), self.size,
                len(self.name))

    def local_header(self) -> bytes:
        return struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, *self._fields(), 0) + self.name

    def central_record(self) -> bytes:
        """Made on Unix (3), a plain file readable by all (rw-r--r--)."""
        return struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, 3, _VERSION, 0, *self._fields(),
                           0, 0, 0, 0, 0o100644 << 16, self.offset) + self.name
