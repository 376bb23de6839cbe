"""The importer's intermediate model: what was recognised, before it is written as TEI.

Recognisers are pure functions from text to these values; only :mod:`.tei` builds
XML. Keeping the two apart lets the tests check a recognition (a speaker label, a
bracket, a note call) without parsing XML, and lets the writer decide ids and
pointers in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Span:
    """An inline element: ``tag`` is the TEI local name it becomes.

    ``attrs`` are written as they are (pointers into the registers are written
    relative to the draft's folder by the writer, from ``meta['ref']``);
    ``meta`` carries what the importer needs and TEI does not (a note's number
    before it is placed, a register id).
    """

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    content: list[Inline] = field(default_factory=list)
    meta: dict[str, object] = field(default_factory=dict)


Inline = str | Span


def plain_text(content: list[Inline]) -> str:
    """The text of inline content, as a reader of the transcript would read it (notes left out)."""
    out: list[str] = []
    for item in content:
        if isinstance(item, str):
            out.append(item)
        elif item.tag != "note":
            out.append(plain_text(item.content))
    return "".join(out)


def walk(content: list[Inline]):
    """Every span in ``content``, depth first, in document order."""
    for item in content:
        if isinstance(item, Span):
            yield item
            yield from walk(item.content)


@dataclass
class Unit:
    """One block-level piece of the document.

    ``role`` is what it becomes: ``p``, ``stage``, ``closer``, ``head`` (a title
    part of the record's heading), ``docDate``, ``dateline``, ``annotation`` (a
    handwritten note standing on its own), ``source`` (the archival note at the
    end of a record). ``block`` is the index of the transcript block it came
    from, so that the two languages of an interleaved text can be aligned.
    """

    role: str
    content: list[Inline]
    block: int = -1
    attrs: dict[str, str] = field(default_factory=dict)
    corresp: list[str] = field(default_factory=list)
    uid: str = ""


@dataclass
class Turn:
    """A speaker turn: the label as printed, who it names, and its paragraphs."""

    label: str
    who: str | None
    delivery: str | None
    paras: list[Unit]
    block: int = -1
    punct: str = "."  # the label's full stop (or colon), which goes with the label or the delivery


@dataclass
class Person:
    """A person of the header (participant, recorder, translator...)."""

    name: str
    ref: str | None
    role: str


@dataclass
class Catalogue:
    """The catalogue fields of the archive's web page, as the transcript gives them.

    Every field keeps the transcript's wording; ``archival`` holds the parsed
    archival identifier (repository, fond, opis, delo, folios).
    """

    title: str = ""
    date_text: str = ""
    date_iso: str = ""
    citation: str = ""
    summary: str = ""
    credits: str = ""
    original_language: str = ""
    contents: str = ""
    rights: list[str] = field(default_factory=list)
    record_id: str = ""
    urls: list[str] = field(default_factory=list)
    source: str = ""
    uploaded: str = ""
    doc_type: str = ""
    language: str = ""
    donors: str = ""
    authors: list[str] = field(default_factory=list)
    publication_title: str = ""
    publication_date: str = ""
    publication_date_iso: str = ""
    archival: dict[str, str] = field(default_factory=dict)
    contributor: str = ""
    translator: str = ""
    other: list[tuple[str, str]] = field(default_factory=list)
    repeated: list[str] = field(default_factory=list)


@dataclass
class Document:
    """One TEI draft: a record (or its translation) with its header fields."""

    doc_id: str
    lang: str
    catalogue: Catalogue
    front: list[Unit] = field(default_factory=list)
    body: list[Unit | Turn] = field(default_factory=list)
    commentary: list[Unit] = field(default_factory=list)
    title_unit: Unit | None = None
    abstract_unit: Unit | None = None
    credits_unit: Unit | None = None
    date_unit: Unit | None = None
    corresp_file: str = ""
    translation_of: str = ""
    recorders: list[Person] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)
    has_editors: bool = False
    editor_initials: list[str] = field(default_factory=list)
    publication: list[object] = field(default_factory=list)  # a reprinting page's own date and title blocks
    name_review: object | None = None  # the names left for the editor (linking.NameReview)
