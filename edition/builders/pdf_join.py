"""Joining the chunks of the print book into one PDF, chunk by chunk, in bounded memory.

A join that builds the whole book as one object graph and then saves it (what
pikepdf or pypdf do) holds every page of the edition at once: about 2 MB a
document, 1.3 GB at 500. Here each chunk is opened, its pages and everything
they reach are renumbered and written to the book's file at once, and the chunk
is closed before the next one opens; what stays in memory is one offset per
object written, one number per page, and the names, links and bookmarks the
end of the file needs (page tree, named destinations, outline, cross-reference
table). On the way each page gets its page number (a form drawn over it, made
from the numbers' overlay) and the links to anchors in other chunks.

pikepdf (qpdf) still reads every chunk and serialises each object; only the
renumbering and the writing are ours.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pikepdf

# an indirect reference in qpdf's unparsed text; strings are matched first, so that a string
# that reads like "3 0 R" is left alone
_TOKENS = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]*>|(?<![\w.+#/-])(\d+) (\d+) R\b", re.S)
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
FOLIO = "/EdFolio"  # the page number's form among a page's XObjects
NAMES_PER_LEAF = 128


class Writer:
    """A PDF file written object by object; only the objects' offsets stay in memory."""

    def __init__(self, out: BinaryIO):
        self.out = out
        self.offsets = array("Q", [0])  # object 0 is the head of the free list
        self.out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def reserve(self) -> int:
        """A number for an object to be written later."""
        self.offsets.append(0)
        return len(self.offsets) - 1

    def write(self, number: int, body: bytes, stream: bytes | None = None) -> None:
        self.offsets[number] = self.out.tell()
        self.out.write(b"%d 0 obj\n" % number)
        self.out.write(body)
        if stream is not None:
            self.out.write(b"\nstream\n")
            self.out.write(stream)
            self.out.write(b"\nendstream")
        self.out.write(b"\nendobj\n")

    def add(self, body: bytes, stream: bytes | None = None) -> int:
        number = self.reserve()
        self.write(number, body, stream)
        return number

    def finish(self, root: int, info: int, file_id: bytes) -> None:
        unwritten = [n for n in range(1, len(self.offsets)) if not self.offsets[n]]
        assert not unwritten, f"objects reserved but never written: {unwritten[:5]}"
        start = self.out.tell()
        self.out.write(b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets))
        self.out.write(b"".join(b"%010d 00000 n \n" % offset for offset in self.offsets[1:]))
        self.out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [ <%s> <%s> ] >>\n"
                       % (len(self.offsets), root, info, file_id.hex().encode(), file_id.hex().encode()))
        self.out.write(b"startxref\n%d\n%%%%EOF\n" % start)


class Copier:
    """Copies objects of one open PDF into the book, renumbered, each the first time it is met."""

    def __init__(self, writer: Writer, source: pikepdf.Pdf):
        self.writer = writer
        self.source = source
        self.numbers: dict[tuple[int, int], int] = {}
        self._waiting: list[tuple[int, int]] = []

    def map(self, obj: pikepdf.Object, number: int) -> None:
        """Have references to ``obj`` lead to the book's object ``number`` (written elsewhere)."""
        self.numbers[obj.objgen] = number

    def number_of(self, objgen: tuple[int, int]) -> int:
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.writer.reserve()
            self._waiting.append(objgen)
        return number

    def text(self, obj) -> bytes:
        """``obj`` (direct, or an indirect one's content) as PDF syntax, its references renumbered."""
        return _TOKENS.sub(self._renumber, _unparse(obj))

    def _renumber(self, match: re.Match) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        return b"%d 0 R" % self.number_of((int(match.group(1)), int(match.group(2))))

    def copy(self, obj: pikepdf.Object) -> int:
        """The book's number for an indirect object of the source, written with all it reaches."""
        number = self.number_of(obj.objgen)
        self.drain()
        return number

    def write(self, number: int, obj) -> None:
        """Write ``obj`` (the source's object) as the book's object ``number``."""
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            info = obj.stream_dict
            info.Length = len(raw)
            self.writer.write(number, self.text(info), raw)
        else:
            self.writer.write(number, self.text(obj))

    def drain(self) -> None:
        """Write every object referred to and not yet written."""
        while self._waiting:
            objgen = self._waiting.pop()
            self.write(self.numbers[objgen], self.source.get_object(objgen))


def _unparse(obj) -> bytes:
    if isinstance(obj, pikepdf.Object):
        return obj.unparse(resolved=True)
    if isinstance(obj, bool):
        return b"true" if obj else b"false"
    if obj is None:
        return b"null"
    return str(obj).encode("ascii")  # int, Decimal


def text_string(text: str) -> bytes:
    """A PDF text string: ASCII as a literal string, anything else as UTF-16 with its mark."""
    if text.isascii():
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("ascii")) + b")"
    return b"<feff" + text.encode("utf-16-be").hex().encode("ascii") + b">"


def _name_key(name: str) -> bytes:
    """The bytes a name tree is sorted by: those of the string as text_string writes it."""
    return name.encode("ascii") if name.isascii() else b"\xfe\xff" + name.encode("utf-16-be")


@dataclass
class Mark:
    """A bookmark placed in the book: its label, book page (from 1), position, children."""

    label: str
    page: int
    x: float
    y: float
    children: list[Mark]


@dataclass
class Chunk:
    """A chunk to join: its PDF, its first page in the book, and the links the join adds to it:
    (page within the chunk from 1, rectangle in points, name of the destination)."""

    pdf: Path
    start: int
    links: list[tuple[int, tuple[float, float, float, float], str]]


class _Overlays:
    """Page numbers drawn over the book's pages, from overlay PDFs (one page a book page), each
    opened in turn as the join reaches its pages."""

    def __init__(self, writer: Writer, overlays: list[tuple[Path, int]]):
        self.writer = writer
        self.waiting = sorted(overlays, key=lambda o: o[1])
        self.pdf: pikepdf.Pdf | None = None
        self.copier: Copier | None = None
        self.first = self.end = 0

    def form(self, page: int) -> int | None:
        """The book's number of the form that draws page ``page``'s number, or None."""
        while not self.first <= page < self.end:
            if not self.waiting or page < self.waiting[0][1]:
                return None
            self.close()
            path, self.first = self.waiting.pop(0)
            self.pdf = pikepdf.open(path)
            self.copier = Copier(self.writer, self.pdf)
            self.end = self.first + len(self.pdf.pages)
        assert self.pdf is not None and self.copier is not None
        form = pikepdf.Page(self.pdf.pages[page - self.first]).as_form_xobject()
        return self.copier.copy(form)

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()
            self.pdf = self.copier = None


def join(chunks: list[Chunk], overlays: list[tuple[Path, int]], marks: list[Mark], target: Path,
         metadata: dict[str, str], language: str) -> int:
    """Write the book: the chunks at their first pages (blank pages between), numbered by the
    overlays (PDFs of page numbers, each with the book page its first page goes on), with
    ``marks`` as its outline. Returns the number of pages."""
    with open(target, "wb") as out:
        writer = Writer(out)
        tree, catalog = writer.reserve(), writer.reserve()
        wrap_open = writer.add(b"<< /Length 2 >>", b"q\n")
        drawing = b"\nQ\nq %s Do Q\n" % FOLIO.encode("ascii")
        wrap_close = writer.add(b"<< /Length %d >>" % len(drawing), drawing)
        pages: list[int] = []
        names: list[tuple[str, int]] = []
        numbers = _Overlays(writer, overlays)
        try:
            for chunk in chunks:
                with pikepdf.open(chunk.pdf) as source:
                    size = _media_box(source.pages[0].obj)
                    while len(pages) < chunk.start - 1:
                        blank = b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << >> >>" % (
                            tree, size)
                        pages.append(writer.add(blank))
                    _copy_chunk(writer, source, chunk, tree, (wrap_open, wrap_close), numbers, pages, names)
        finally:
            numbers.close()
        writer.write(tree, b"<< /Type /Pages /Count %d /Kids [ %s ] >>"
                     % (len(pages), b" ".join(b"%d 0 R" % n for n in pages)))
        dests = _name_tree(writer, names)
        outline = _outline(writer, marks, pages)
        writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R /Names << /Dests %d 0 R >> /Outlines %d 0 R "
                              b"/PageMode /UseOutlines /Lang %s >>"
                     % (tree, dests, outline, text_string(language)))
        info = writer.add(b"<< " + b" ".join(b"/%s %s" % (key.lstrip("/").encode("ascii"), text_string(value))
                                             for key, value in metadata.items()) + b" >>")
        file_id = hashlib.md5(repr((metadata, len(pages), len(writer.offsets))).encode()).digest()
        writer.finish(catalog, info, file_id)
    return len(pages)


def _copy_chunk(writer: Writer, source: pikepdf.Pdf, chunk: Chunk, tree: int, wrap: tuple[int, int],
                numbers: _Overlays, pages: list[int], names: list[tuple[str, int]]) -> None:
    """Write one chunk's pages (numbered, with its added links) and its named destinations."""
    copier = Copier(writer, source)
    copier.map(source.Root.Pages, tree)
    wrap_open, wrap_close = (source.make_indirect(pikepdf.Dictionary()) for _ in wrap)
    copier.map(wrap_open, wrap[0])
    copier.map(wrap_close, wrap[1])
    folio = source.make_indirect(pikepdf.Dictionary())
    first = len(pages)
    for page in source.pages:
        copier.map(page.obj, writer.reserve())
    links: dict[int, list] = {}
    for local, rect, anchor in chunk.links:
        links.setdefault(local, []).append((rect, anchor))
    for index, page in enumerate(source.pages):
        obj = page.obj
        for key in _INHERITED:
            if key not in obj and (value := _inherited(obj, key)) is not None:
                obj[key] = value
        obj.Parent = source.Root.Pages
        if index + 1 in links:
            annotations = list(obj.get("/Annots", []))
            annotations += [source.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=list(rect), Border=[0, 0, 0],
                Dest=pikepdf.String(anchor))) for rect, anchor in links[index + 1]]
            obj.Annots = pikepdf.Array(annotations)
        form = numbers.form(first + index + 1)
        if form is not None:
            copier.map(folio, form)
            contents = obj.get("/Contents")
            drawn = (list(contents) if isinstance(contents, pikepdf.Array)
                     else [contents] if contents is not None else [])
            obj.Contents = pikepdf.Array([wrap_open, *drawn, wrap_close])
            resources = pikepdf.Dictionary(dict(obj.get("/Resources", pikepdf.Dictionary()).items()))
            xobjects = pikepdf.Dictionary(dict(resources.get("/XObject", pikepdf.Dictionary()).items()))
            xobjects[FOLIO] = folio
            resources.XObject = xobjects
            obj.Resources = resources
        number = copier.numbers[obj.objgen]
        copier.write(number, obj)
        copier.drain()
        pages.append(number)
    catalog_names = source.Root.get("/Names")
    if catalog_names is not None and "/Dests" in catalog_names:
        for name, dest in pikepdf.NameTree(catalog_names.Dests).items():  # [page /XYZ x y zoom]
            names.append((name, writer.add(copier.text(dest))))
        copier.drain()


def _inherited(page: pikepdf.Dictionary, key: str):
    node = page.get("/Parent")
    while node is not None:
        if key in node:
            return node[key]
        node = node.get("/Parent")
    return None


def _media_box(page: pikepdf.Dictionary) -> bytes:
    box = page.get("/MediaBox") or _inherited(page, "/MediaBox")
    return _unparse(box)


def _name_tree(writer: Writer, names: list[tuple[str, int]]) -> int:
    """The named destinations as a name tree: leaves of NAMES_PER_LEAF names under one root."""
    names.sort(key=lambda named: _name_key(named[0]))
    if not names:
        return writer.add(b"<< /Names [ ] >>")
    leaves = []
    for i in range(0, len(names), NAMES_PER_LEAF):
        leaf = names[i:i + NAMES_PER_LEAF]
        entries = b" ".join(b"%s %d 0 R" % (text_string(name), number) for name, number in leaf)
        limits = b"[ %s %s ]" % (text_string(leaf[0][0]), text_string(leaf[-1][0]))
        leaves.append(writer.add(b"<< /Limits %s /Names [ %s ] >>" % (limits, entries)))
    return writer.add(b"<< /Kids [ %s ] >>" % b" ".join(b"%d 0 R" % n for n in leaves))


def _outline(writer: Writer, marks: list[Mark], pages: list[int]) -> int:
    """The bookmarks as the document outline (every item open)."""
    root = writer.reserve()
    first, last, count = _outline_items(writer, marks, root, pages)
    ends = b" /First %d 0 R /Last %d 0 R" % (first, last) if marks else b""
    writer.write(root, b"<< /Type /Outlines /Count %d%s >>" % (count, ends))
    return root


def _outline_items(writer: Writer, marks: list[Mark], parent: int, pages: list[int]) -> tuple[int, int, int]:
    """Write sibling items; return the first's and last's numbers and how many items they show."""
    numbers = [writer.reserve() for _ in marks]
    shown = len(marks)
    for i, (mark, number) in enumerate(zip(marks, numbers, strict=True)):
        parts = [b"/Title %s /Parent %d 0 R" % (text_string(mark.label), parent),
                 b"/Dest [ %d 0 R /XYZ %s %s 0 ]" % (pages[mark.page - 1], _real(mark.x), _real(mark.y))]
        if i:
            parts.append(b"/Prev %d 0 R" % numbers[i - 1])
        if i + 1 < len(numbers):
            parts.append(b"/Next %d 0 R" % numbers[i + 1])
        if mark.children:
            first, last, count = _outline_items(writer, mark.children, number, pages)
            parts.append(b"/First %d 0 R /Last %d 0 R /Count %d" % (first, last, count))
            shown += count
        writer.write(number, b"<< " + b" ".join(parts) + b" >>")
    return (numbers[0], numbers[-1], shown) if numbers else (0, 0, 0)


def _real(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")
