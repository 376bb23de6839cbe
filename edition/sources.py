"""Find and safely parse TEI sources.

Editors' files come from many hands, so parsing is defensive: no DTD
loading, no external entities, no network, and any DOCTYPE is refused
outright (a TEI file needs none, and internal entity declarations are how
entity-expansion attacks start). Every way a file can fail to be XML is
turned into one :class:`Diagnostic` with its location, never a traceback.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import ERROR, Diagnostic

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"tei": TEI_NS, "xml": XML_NS}
XML_ID = f"{{{XML_NS}}}id"
MAX_BYTES = 50 * 1024 * 1024


def safe_parser() -> etree.XMLParser:
    """An lxml parser that never reaches outside the file it is given."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


class SourceError(Exception):
    """A file that cannot be used as TEI; carries its diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


@dataclass
class Source:
    """A parsed TEI file with what is needed to locate its nodes."""

    path: Path
    display: str
    data: bytes
    tree: etree._ElementTree
    _starts: list[tuple[int, int]] | None = field(default=None, repr=False)
    _order: dict | None = field(default=None, repr=False)

    @property
    def root(self) -> etree._Element:
        return self.tree.getroot()

    def location(self, element: etree._Element) -> tuple[int, int]:
        """Line and column (1-based) of an element's start tag."""
        if self._starts is None:
            self._starts = start_tag_positions(self.data)
            # Holding the elements keeps lxml's proxies alive, so lookups by identity work.
            self._order = {el: i for i, el in enumerate(self.root.iter(etree.Element))}
        index = self._order.get(element)
        if index is not None and index < len(self._starts):
            return self._starts[index]
        return (element.sourceline or 1, 1)

    def attribute_location(self, element: etree._Element, name: str) -> tuple[int, int]:
        """Line and column of an attribute, falling back to its element."""
        line, col = self.location(element)
        text = self.data.decode("utf-8", "replace")
        lines = text.split("\n")
        local = name.split("}")[-1]
        qname = "xml:" + local if name.startswith(f"{{{XML_NS}}}") else local
        pattern = re.compile(r"(?<![\w:.-])" + re.escape(qname) + r"\s*=")
        for offset, row in enumerate(lines[line - 1 : line + 20]):
            start = col - 1 if offset == 0 else 0
            m = pattern.search(row, start)
            if m:
                return (line + offset, m.start() + 1)
            if ">" in row[start:]:
                break
        return (line, col)


_HIDDEN = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.S)
_START = re.compile(rb"<([A-Za-z_][\w:.\-]*)")


def start_tag_positions(data: bytes) -> list[tuple[int, int]]:
    """(line, col) of every start tag in document order.

    lxml records only lines; editors want columns too. Comments, CDATA and
    processing instructions are blanked first so that their text cannot be
    mistaken for markup. Columns count characters, not bytes.
    """
    blanked = _HIDDEN.sub(lambda m: re.sub(rb"[^\n]", b" ", m.group(0)), data)
    positions = []
    line_starts = [0] + [m.end() for m in re.finditer(rb"\n", blanked)]
    for m in _START.finditer(blanked):
        pos = m.start()
        li = bisect.bisect_right(line_starts, pos) - 1
        col = len(data[line_starts[li] : pos].decode("utf-8", "replace")) + 1
        positions.append((li + 1, col))
    return positions


def _error(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> SourceError:
    return SourceError(Diagnostic(path, line, col, ERROR, code, message, hint))


def read_source(path: Path, display: str | None = None) -> Source:
    """Read and parse one file, or raise :class:`SourceError`."""
    shown = display or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _error(shown, 1, 1, "E-SIZE", f"file is larger than {MAX_BYTES >> 20} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise _error(shown, 1, 1, "E-MISSING", "no such file",
                     "check the path, or the documents list in edition.yaml") from None
    except IsADirectoryError:
        raise _error(shown, 1, 1, "E-MISSING", "is a directory, not a TEI file") from None
    except OSError as exc:
        raise _error(shown, 1, 1, "E-READ", f"cannot read file: {exc.strerror}") from None
    return parse_bytes(data, path, shown)


def parse_bytes(data: bytes, path: Path, shown: str) -> Source:
    """Parse bytes as a TEI document, refusing anything unsafe or not TEI."""
    if not data.strip():
        raise _error(shown, 1, 1, "E-EMPTY", "file is empty", "a TEI file starts with <TEI>")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _error(shown, line, col, "E-ENCODING",
                     f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
                     "save the file as UTF-8 (the edition's only encoding)") from None
    m = re.search(rb"<!DOCTYPE", data)
    if m:
        line = data[: m.start()].count(b"\n") + 1
        col = m.start() - (data.rfind(b"\n", 0, m.start()) + 1) + 1
        raise _error(shown, line, col, "E-DOCTYPE",
                     "DOCTYPE declarations are not allowed (entities and DTDs are refused)",
                     "remove the <!DOCTYPE ...> declaration; write characters, not entities")
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser(), base_url=str(path)))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        msg = exc.msg.split(", line ")[0] if exc.msg else "not well-formed XML"
        raise _error(shown, line or 1, max(col, 1), "E-XML",
                     f"not well-formed XML: {msg}") from None
    root = tree.getroot()
    if root.tag != f"{{{TEI_NS}}}TEI":
        ns = etree.QName(root).namespace
        got = f"<{etree.QName(root).localname}> in namespace {ns!r}" if ns else (
            f"<{etree.QName(root).localname}> in no namespace")
        raise _error(shown, root.sourceline or 1, 1, "E-NAMESPACE",
                     f"root element is {got}, expected <TEI> in {TEI_NS}",
                     f'declare the TEI namespace: <TEI xmlns="{TEI_NS}">')
    return Source(path=path, display=shown, data=data, tree=tree)
