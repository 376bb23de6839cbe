"""The catalogue fields of the archive's page, and the page's furniture.

A Wilson Center page prints its fields as a label block followed by the value
("Citation:" / the citation, "Summary:" / the summary...). Some transcripts
drop the labels (seed 002 gives the citation, rights and type after "Document
Information" without them), so the part of the page after "Document
Information" is read as catalogue by what each block is. At the top, a date
line, a title and a credit line precede the record; a blog that reprints a
record may put its own date and title first.

Labels and empty headings are web page furniture: their values go into the
header and the labels themselves are dropped. So are addresses standing alone
(they become ``idno``s); a page title printed twice in a row is kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .blocks import Block, is_url
from .citation import is_archival_line, parse_archival, record_id, responsibilities, urls
from .dates import parse_date
from .model import Catalogue

# label (lowercase, no colon) -> (field, how many blocks its value has, largest value in words)
LABELS: dict[str, tuple[str, str, int]] = {
    "citation": ("citation", "one", 400),
    "summary": ("summary", "one", 400),
    "credits": ("credits", "one", 60),
    "original language": ("original_language", "one", 6),
    "contents": ("contents", "one", 12),
    "source": ("source", "one", 120),
    "rights": ("rights", "many", 400),
    "original uploaded date": ("uploaded", "one", 4),
    "type": ("doc_type", "one", 8),
    "language": ("language", "one", 6),
    "record id": ("record_id", "one", 1),
    "donors": ("donors", "one", 20),
    "author(s)": ("authors", "bullets", 20),
    "authors": ("authors", "bullets", 20),
    "tác giả": ("authors", "bullets", 20),
    "original archive": ("original_archive", "one", 12),
}
FURNITURE = frozenset({
    "skip to content", "document information", "associated people & organizations", "associated places",
    "associated topics", "subjects discussed", "no comments", "post a comment", "share", "print",
    "download", "related documents", "leave a comment", "newer post", "older post", "home",
})
DOCUMENT_TYPES = re.compile(r"^(?:Memorandum of Conversation|Record of Conversation|Minutes|Letter|Telegram|"
                            r"Cable|Report|Speech|Diary Entry|Transcript|Note|Memorandum|Resolution|"
                            r"Decree|Statement|Interview)$", re.I)
_CREDITS = re.compile(r"made possible with support from|được thực hiện với sự hỗ trợ của", re.I)
_RIGHTS = re.compile(r"copyright|rights (?:holder|status)|welcomes reuse|all rights reserved|licen[cs]e",
                     re.I)
_BULLET = re.compile(r"^\s*[•*\-–]\s+")


def label_of(block: Block) -> str:
    """The label a block is, lowercase without its colon ("" if it is none)."""
    plain = block.plain.strip().rstrip(":").strip().lower()
    return plain if plain in LABELS else ""


def is_furniture(block: Block) -> bool:
    return block.plain.strip().rstrip(":").strip().lower() in FURNITURE


@dataclass
class Extraction:
    """The catalogue, the blocks left for the document, and what was dropped."""

    catalogue: Catalogue
    content: list[Block] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def extract(blocks: list[Block]) -> Extraction:
    """Take the catalogue fields and the furniture out of a transcript's blocks."""
    cat = Catalogue()
    out = Extraction(cat)
    trailing = False
    i = 0
    while i < len(blocks):
        block = blocks[i]
        plain = block.plain
        if is_furniture(block):
            out.dropped.append(plain)
            if plain.lower().startswith("document information"):
                trailing = True
            i += 1
            continue
        if is_url(plain):
            for url in urls(plain) or [plain.strip("<>")]:
                if url not in cat.urls:
                    cat.urls.append(url)
            out.dropped.append(plain)
            i += 1
            continue
        label = label_of(block)
        if label:
            i = _take_value(blocks, i, label, cat, out)
            continue
        if trailing:
            _trailing_block(block, cat)
            i += 1
            continue
        out.content.append(block)
        i += 1
    _finish(cat)
    return out


def _take_value(blocks: list[Block], i: int, label: str, cat: Catalogue, out: Extraction) -> int:
    """Store the value(s) after the label at ``i``; return the index after them."""
    field_name, shape, limit = LABELS[label]
    out.dropped.append(blocks[i].plain)
    j = i + 1
    values: list[str] = []
    while j < len(blocks):
        nxt = blocks[j]
        if label_of(nxt) or is_furniture(nxt) or is_url(nxt.plain):
            break
        text = nxt.text
        if shape == "bullets":
            lines = [line for line in (unline.strip() for unline in nxt.raw.split("\n")) if line]
            if not all(_BULLET.match(line) for line in lines):
                break
            values.extend(_BULLET.sub("", line).strip() for line in lines)
            j += 1
            continue
        if len(text.split()) > limit or (field_name == "record_id" and not text.strip().isdigit()):
            break
        if field_name == "uploaded" and not parse_date(text):
            break
        values.append(text)
        j += 1
        if shape == "one":
            break
    if field_name == "rights":
        cat.rights.extend(values)
    elif field_name == "authors":
        cat.authors.extend(values)
    elif values:
        value = " ".join(values)
        if field_name == "original_archive":
            cat.other.append(("Original Archive", value))
        elif getattr(cat, field_name):
            cat.other.append((label, value))
        else:
            setattr(cat, field_name, value)
    return j


def _trailing_block(block: Block, cat: Catalogue) -> None:
    """A block of the page's closing catalogue that came without its label."""
    text = block.text
    if is_archival_line(text) or (parse_archival(text) and not cat.source and len(text.split()) < 60):
        if not cat.source:
            cat.source = text
        else:
            cat.other.append(("", text))
    elif _RIGHTS.search(text) or (cat.rights and text.lower().startswith("to enquire")):
        cat.rights.append(text)
    elif DOCUMENT_TYPES.match(block.plain) and not cat.doc_type:
        cat.doc_type = block.plain
    elif parse_date(block.plain) and not cat.uploaded:
        cat.uploaded = block.plain
    elif block.plain.isdigit() and not cat.record_id:
        cat.record_id = block.plain
    else:
        cat.other.append(("", text))


def _finish(cat: Catalogue) -> None:
    """Parse what the fields imply: archival parts, responsibilities, record ID."""
    for text in (cat.citation, cat.source):
        if text and not cat.archival:
            cat.archival = parse_archival(text)
        contributor, translator = responsibilities(text)
        cat.contributor = cat.contributor or contributor
        cat.translator = cat.translator or translator
    for text in (cat.citation, cat.source):
        for url in urls(text):
            if url not in cat.urls:
                cat.urls.append(url)
    if not cat.record_id:
        cat.record_id = record_id(cat.urls)


@dataclass
class Leading:
    """The date, title and credit line at the top of a page (or of one language's part)."""

    date: Block | None = None
    title: Block | None = None
    credits: Block | None = None
    publication: list[Block] = field(default_factory=list)  # a blog's own date and title, before the record's
    repeated: list[str] = field(default_factory=list)  # a title printed twice in a row
    consumed: int = 0


def leading(blocks: list[Block]) -> Leading:
    """Read the date line, title and credits the content opens with."""
    groups: list[list[tuple[str, Block]]] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        if parse_date(block.plain):
            groups.append([("date", block)])
        elif _CREDITS.search(block.text) and len(block.text.split()) <= 40:
            if not groups:
                groups.append([])
            groups[-1].append(("credits", block))
        elif (groups and len(groups[-1]) == 1 and groups[-1][0][0] == "date" and _title_like(block)):
            groups[-1].append(("title", block))
        elif groups and groups[-1][-1][0] == "title" and block.text == groups[-1][-1][1].text:
            groups[-1].append(("repeated", block))  # a page heading printed twice: one is kept
        else:
            break
        i += 1
    result = Leading(consumed=i)
    if not groups:
        return result
    *earlier, last = groups
    for group in earlier:
        result.publication.extend(b for role, b in group if role != "repeated")
    result.repeated = [b.text for group in groups for role, b in group if role == "repeated"]
    for role, block in last:
        if role != "repeated":
            setattr(result, role, block)
    return result


def _title_like(block: Block) -> bool:
    text = block.text
    words = text.split()
    return 0 < len(words) <= 40 and not text.rstrip().endswith(".") and not text.lstrip().startswith("[")
