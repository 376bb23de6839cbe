"""The edition's XPath functions (namespace ``urn:edition:functions``).

The Schematron schema calls them; editors' tools run the ``xsl:function``
versions in ``schema/edition.sch`` (which open sibling files with
``doc()``), and ``edition validate`` runs these, which look the edition up
in an :class:`EditionIndex` built once per run, so no file is parsed twice
and none is fetched from outside the edition.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from lxml import etree

FUNCTIONS_NS = "urn:edition:functions"
_ABSOLUTE_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_LANGUAGE_TAG = re.compile(
    r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?(-[A-Za-z0-9]{5,8})*(-x(-[A-Za-z0-9]{1,8})+)?$"
)


@dataclass
class EditionIndex:
    """Every xml:id of the edition, by file name (paths relative to xml/)."""

    ids_by_file: dict[str, set[str]] = field(default_factory=dict)
    files_by_id: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, name: str, ids: list[str]) -> None:
        self.ids_by_file[name] = set(ids)
        for i in ids:
            self.files_by_id[i].add(name)

    def digest(self) -> str:
        """A digest of every file's ids: what a file's cross-reference checks depend on."""
        from .cache import digest

        files = sorted(self.ids_by_file.items())
        return digest(*(f"{name}\n" + "\n".join(sorted(ids)) for name, ids in files))

    def all_targets(self) -> list[str]:
        return [f"{f}#{i}" for f, ids in self.ids_by_file.items() for i in sorted(ids)]


@dataclass
class _Context:
    index: EditionIndex
    current: str  # the file being checked, as named in the index
    resolved: dict[str, str] = field(default_factory=dict)  # pointer value -> unresolved part
    footnotes: dict = field(default_factory=dict)  # document -> {note: position}


_CONTEXT: ContextVar[_Context | None] = ContextVar("edition_xpath_context", default=None)


def set_context(index: EditionIndex, current: str) -> None:
    """Tell the functions which edition and which file they are checking."""
    _CONTEXT.set(_Context(index, current))


def _string(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, etree._Element):
        return value.xpath("string()")
    return str(value)


def is_nfc(_ctx, value) -> bool:
    text = _string(value)
    return unicodedata.is_normalized("NFC", text)


def _first_non_nfc_text(value):
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, etree._Element):
        return None
    for text in value.xpath(".//text()"):
        if not unicodedata.is_normalized("NFC", text):
            return text
    return None


def first_non_nfc(_ctx, value) -> list:
    """The element whose own text is the first that is not NFC (for @subject)."""
    text = _first_non_nfc_text(value)
    return [text.getparent()] if text is not None else []


def non_nfc_sample(_ctx, value) -> str:
    text = _first_non_nfc_text(value)
    return " ".join(str(text).split())[:40] if text is not None else ""


_DATE_FORMATS = (
    (re.compile(r"^-?\d{4}$"), None),
    (re.compile(r"^\d{4}-\d{2}$"), "%Y-%m"),
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d"),
)


def is_date(_ctx, value) -> bool:
    return _is_date(_string(value).strip())


@lru_cache(maxsize=4096)
def _is_date(text: str) -> bool:
    """An ISO year, year-month, date or date-time that exists in the calendar."""
    for pattern, fmt in _DATE_FORMATS:
        if pattern.match(text):
            if fmt is None:
                return True
            try:
                datetime.strptime(text, fmt)
            except ValueError:
                return False
            return True
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return "T" in text and date.fromisoformat(text[:10]) is not None


def is_language_tag(_ctx, value) -> bool:
    return bool(_LANGUAGE_TAG.match(_string(value)))


def unresolved_tokens(pointers: str, index: EditionIndex, current: str) -> list[str]:
    """The pointers of an attribute value that reach no xml:id of the edition."""
    bad = []
    for token in pointers.split():
        if _ABSOLUTE_URI.match(token):
            continue
        file_part, _, fragment = token.partition("#")
        target = _resolve_file(current, file_part) if file_part else current
        ids = index.ids_by_file.get(target)
        if ids is None or (fragment and fragment not in ids):
            bad.append(token)
    return bad


@lru_cache(maxsize=4096)
def _resolve_file(current: str, relative: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(current), relative))


def unresolved(_ctx, value) -> str:
    context = _CONTEXT.get()
    text = _string(value)
    if context is None or not text:
        return ""
    result = context.resolved.get(text)
    if result is None:  # the same pointers recur throughout a file: resolve each value once
        result = " ".join(unresolved_tokens(text, context.index, context.current))
        context.resolved[text] = result
    return result


def footnote_position(_ctx, value) -> float:
    """1 + the number of footnotes before this one in the text (not the header)."""
    if isinstance(value, list):
        value = value[0] if value else None
    if not isinstance(value, etree._Element):
        return 0.0
    context = _CONTEXT.get()
    tree = value.getroottree()
    cache = context.footnotes if context is not None else {}
    positions = cache.get(tree.getroot())
    if positions is None:
        notes = tree.getroot().xpath(
            "//tei:text//tei:note[@place = 'foot']", namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
        positions = {note: i for i, note in enumerate(notes, 1)}
        cache.clear()  # one document at a time
        cache[tree.getroot()] = positions
    return float(positions.get(value, 0))


POINTER_ATTRIBUTES = ("ref", "corresp", "target", "who", "sameAs", "resp", "hand")
DATE_ATTRIBUTES = ("when", "notBefore", "notAfter", "from", "to")
_PAGE_RANGES = {f"{{http://www.tei-c.org/ns/1.0}}{n}" for n in ("biblScope", "citedRange", "locus")}


def pointers_resolve(ctx, value) -> bool:
    """Whether every pointer attribute of an element resolves (one call per element)."""
    element = value[0] if isinstance(value, list) and value else value
    if not isinstance(element, etree._Element):
        return True
    return all(unresolved(ctx, v) == "" for a in POINTER_ATTRIBUTES if (v := element.get(a)))


def dates_valid(_ctx, value) -> bool:
    """Whether every date attribute of an element is a real date (@from/@to of page ranges aside)."""
    element = value[0] if isinstance(value, list) and value else value
    if not isinstance(element, etree._Element):
        return True
    names = DATE_ATTRIBUTES[:3] if element.tag in _PAGE_RANGES else DATE_ATTRIBUTES
    return all(_is_date(v.strip()) for a in names if (v := element.get(a)) is not None)


def other_files_with_id(_ctx, value) -> str:
    context = _CONTEXT.get()
    if context is None:
        return ""
    files = context.index.files_by_id.get(_string(value), set())
    return ", ".join(sorted(f for f in files if f != context.current))


def register() -> None:
    """Make the functions known to every lxml XPath evaluation in this process."""
    ns = etree.FunctionNamespace(FUNCTIONS_NS)
    ns["is-nfc"] = is_nfc
    ns["first-non-nfc"] = first_non_nfc
    ns["non-nfc-sample"] = non_nfc_sample
    ns["is-date"] = is_date
    ns["is-language-tag"] = is_language_tag
    ns["unresolved"] = unresolved
    ns["pointers-resolve"] = pointers_resolve
    ns["dates-valid"] = dates_valid
    ns["footnote-position"] = footnote_position
    ns["other-files-with-id"] = other_files_with_id
