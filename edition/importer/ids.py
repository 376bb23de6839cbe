"""xml:ids as the encoding guide sets them, every one starting with the document's id.

Paragraphs ``{doc}-p1, -p2 ...`` in reading order through the body (also inside
turns and in the commentary), footnotes ``{doc}-n{N}`` by their printed number,
handwritten annotations ``{doc}-a1, -a2 ...``, and one id each for the pieces a
translation points to (heading, dateline, closer). Ids are given before the
two texts of a bilingual transcript are aligned, since the alignment points to them.
"""

from __future__ import annotations

import re

from .model import Document, Span, Turn, Unit, walk


def document_id(stem: str) -> str:
    """An xml:id for a document from its file name: lowercase ASCII words joined by hyphens.

    An id must start with a letter, so a name like "000_0bd2..." becomes
    "draft-000-0bd2...".
    """
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = "draft-" + (slug or "document")
    return slug


def assign_ids(doc: Document) -> None:
    """Give every unit and note of ``doc`` the id the conventions require."""
    d = doc.doc_id
    counts: dict[str, int] = {}

    def next_id(kind: str, first_bare: bool = False) -> str:
        counts[kind] = counts.get(kind, 0) + 1
        n = counts[kind]
        return f"{d}-{kind}" if first_bare and n == 1 else f"{d}-{kind}{n}"

    def spans(unit: Unit) -> None:
        for span in walk(unit.content):
            if span.tag != "note":
                continue
            if span.attrs.get("place") == "foot":
                span.meta["id"] = f"{d}-n{span.attrs['n']}"
            elif span.meta.get("annotation") or span.attrs.get("type") == "annotation":
                span.meta["id"] = next_id("a")

    for unit in doc.front:
        if unit.role == "annotation":
            unit.uid = next_id("a")
        elif unit.role == "head":
            unit.uid = next_id("head", first_bare=True)
        elif unit.role in ("dateline", "docDate"):
            unit.uid = next_id(unit.role.lower(), first_bare=True)
        spans(unit)
    units: list[Unit] = []
    for item in doc.body:
        units += item.paras if isinstance(item, Turn) else [item]
    units += doc.commentary
    for unit in units:
        if unit.role == "p":
            unit.uid = next_id("p")
        elif unit.role == "annotation":
            unit.uid = next_id("a")
        elif unit.role == "closer":
            unit.uid = next_id("closer", first_bare=True)
        spans(unit)
    for unit in (doc.abstract_unit, doc.credits_unit):
        if unit is not None:
            spans(unit)


def hands_needed(doc: Document) -> bool:
    """Whether the document has annotations, and so needs a hand to point to."""
    for unit in _all_units(doc):
        if unit.role == "annotation":
            return True
        if any(isinstance(s, Span) and s.tag == "note" and (s.meta.get("annotation") or s.meta.get("hand"))
               for s in walk(unit.content)):
            return True
    return False


def _all_units(doc: Document):
    yield from doc.front
    for item in doc.body:
        yield from item.paras if isinstance(item, Turn) else [item]
    yield from doc.commentary
