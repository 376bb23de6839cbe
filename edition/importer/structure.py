"""The record's structure: front, turns, paragraphs, closer, notes, commentary.

This module puts the recognisers together for one text (one language of a
transcript). It reads the blocks left after the catalogue in order:

1. the list of notes comes out first (:mod:`.notes`);
2. before the first paragraph of prose come the front's pieces: handwritten
   annotations (top of the first page), the heading, the record's date or
   dateline;
3. prose paragraphs, with page breaks joined (:mod:`.pagebreaks`), fall into
   speaker turns (:mod:`.speakers`), narrative lines and plain paragraphs;
4. the last "recorded by" line is the closer; annotations after it stand at the
   bottom of the last page, an archival line after it is the record's source
   note, prose after it is the editors' commentary (or, right after the closer,
   the summary when the page gave none);
5. each piece's text is read for the bracket conventions (:mod:`.brackets`) and
   its names linked (:mod:`.linking`); footnotes are put at their calls.

Whatever fits none of these stays a plain paragraph: no text is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import notes as notes_mod
from .blocks import Block, unbold
from .brackets import InlineContext, annotation_place, parse_inline, star_calls
from .catalogue import Leading
from .citation import is_archival_line
from .dates import find_date, parse_date
from .linking import NameReview, link
from .model import Catalogue, Document, Inline, Person, Span, Turn, Unit, plain_text, walk
from .names import Registers, find_names
from .pagebreaks import continues, ends_sentence
from .speakers import Label, is_narrative, reports_someone, speaker_label

_ANNOTATION = re.compile(
    r"^(?P<star>\\?\*)?\s*\[\s*(?P<label>[Hh]andwritten[^:\]\n]{0,60}|[Vv]iết tay[^:\]\n]{0,60}):"
    r"\s*(?P<body>.*)\]\s*$", re.S)
_CLOSER = re.compile(r"\b(?:recorded|written down|transcribed|taken down|compiled|ghi lại)\s+(?:by|bởi)\b",
                     re.I)
_NAME_LINE = re.compile(r"^(?:(?:[A-Z]\.\s?){1,3}\s*[A-Z][\w’'-]+|\[signature\])\.?$")
_TRAILING_MARKS = re.compile(r"(?:\^?\[\^?\d{1,3}\]|\\?\*)+\s*$")
_LIST_START = re.compile(r"^(?:Present\b|Cdes?\.|Comrades\b|Participants\b|Also present\b)")


@dataclass
class _Item:
    kind: str  # para, annotation, star, head, docDate, dateline, source
    text: str
    block: int
    parts: list[str] = field(default_factory=list)  # a paragraph's halves around page breaks
    place: str = ""
    label: str = ""
    lines: list[str] = field(default_factory=list)  # a heading's lines as printed
    bold: bool = False


def recognise(blocks: list[Block], catalogue: Catalogue, lead: Leading, doc_id: str, lang: str,
              registers: Registers) -> Document:
    """The document one text of a transcript makes, with every block accounted for."""
    doc = Document(doc_id=doc_id, lang=lang, catalogue=catalogue)
    names = NameReview()
    doc.name_review = names
    entries, used, messages = notes_mod.collect([(b.index, b.text) for b in blocks])
    doc.review.extend(messages)
    rest = [b for b in blocks if b.index not in used]
    vocabulary = _vocabulary([b.text for b in blocks])
    ctx = InlineContext(note_numbers=set(entries), vocabulary=vocabulary, review=doc.review,
                        repairs=doc.repairs)

    _header_units(doc, lead, catalogue, ctx, registers, names)
    items = _items(rest)
    front, body = _split_front(items)
    closer_at, signed_lines = _find_closer(body)
    after_closer = body[closer_at + 1:] if closer_at is not None else []
    record = body[: closer_at] if closer_at is not None else body

    # Front: annotations at the top, headings, the record's date.
    last_unit: Unit | None = None
    for item in front:
        attached = item.kind == "star" and last_unit is not None
        if attached and _attach_star(last_unit, item, ctx, registers, names):
            continue
        unit = _unit(item, ctx, registers, names, default_place="top")
        doc.front.append(unit)
        last_unit = unit

    # The record: turns and paragraphs.
    record = _join_page_breaks(record, registers)
    _turns(doc, record, ctx, registers, names)

    # The closer, then what follows it.
    if closer_at is not None:
        closer = body[closer_at]
        unit = _closer_unit(closer, signed_lines, ctx, registers, names)
        doc.body.append(unit)
        doc.recorders = _recorders(unit)
    first_after = True
    for item in after_closer[len(signed_lines):]:
        if item.kind in ("annotation", "star"):
            doc.body.append(_unit(item, ctx, registers, names, default_place="bottom"))
        elif item.kind == "source" or (item.kind == "para" and is_archival_line(item.text)):
            item.kind = "source"
            doc.body.append(_unit(item, ctx, registers, names))
        elif (first_after and not catalogue.summary and doc.abstract_unit is None
              and not any(closer_at is not None and body[closer_at].block < u < item.block for u in used)):
            doc.abstract_unit = _text_unit("abstract", item.text, item.block, ctx, registers, names)
            doc.abstract_unit.uid = f"{doc_id}-abstract"
            doc.review.append("the paragraph right after the closer is taken as the summary (the page labels "
                              "none): check it is not a postscript")
        else:
            doc.commentary.append(_unit(item, ctx, registers, names))
        first_after = first_after and item.kind in ("annotation", "star", "source")

    _place_notes(doc, entries, ctx, registers, names)
    doc.has_editors = any(s.meta.get("resp") == "ed" for s in _all_spans(doc)) or bool(doc.commentary)
    doc.editor_initials = _initials(doc)
    return doc


def _vocabulary(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        outside = re.sub(r"\[[^\]]*\]", " ", text)
        words.update(w for w in re.findall(r"[^\W\d_]+", outside) if w.islower())
    return words


def _with_breaks(block: Block) -> str:
    """The block's text with Markdown hard breaks kept as newlines (lines of the original)."""
    out = ""
    for i, line in enumerate(block.lines):
        line = unbold(line).strip()
        if i:
            out += "\n" if block.hard_breaks[i - 1] else " "
        out += line
    return out


def _items(blocks: list[Block]) -> list[_Item]:
    items: list[_Item] = []
    for block in blocks:
        m = _ANNOTATION.match(_with_breaks(block))
        if m:
            kind = "star" if m.group("star") else "annotation"
            items.append(_Item(kind, m.group("body").strip(), block.index,
                               place=annotation_place(m.group("label")), label=m.group("label")))
        elif is_archival_line(block.text):
            items.append(_Item("source", block.text, block.index))
        else:
            items.append(_Item("para", block.text, block.index, parts=[block.text],
                               lines=[unbold(line).strip() for line in block.lines], bold=block.bold))
    return items


def _split_front(items: list[_Item]) -> tuple[list[_Item], list[_Item]]:
    """Front pieces (before the first prose paragraph) and the rest."""
    front: list[_Item] = []
    for n, item in enumerate(items):
        if item.kind in ("annotation", "star"):
            front.append(item)
            continue
        if item.kind != "para":
            return front, items[n:]
        pieces = _front_pieces(item)
        if pieces is None:
            return front, items[n:]
        front.extend(pieces)
    return front, []


def _front_pieces(item: _Item) -> list[_Item] | None:
    """A heading block as title part(s), record date or dateline; None if it is prose."""
    text = item.text
    bare = _TRAILING_MARKS.sub("", text).strip()
    if parse_date(bare):
        return [_Item("docDate", text, item.block)]
    date = find_date(bare)
    if date and date[2] == 0 and not ends_sentence(bare) and len(bare.split()) <= 15:
        return [_Item("dateline", text, item.block)]
    lines = item.lines or [text]
    caps = _caps_ratio(text) >= 0.7
    if not (item.bold or caps or (not ends_sentence(text) and len(text.split()) <= 40)):
        return None
    if speaker_label(text, Registers()) and not caps:
        return None
    pieces: list[_Item] = []
    last = lines[-1] if len(lines) > 1 else ""
    last_bare = _TRAILING_MARKS.sub("", last).strip()
    head_lines = lines
    if last and parse_date(last_bare):
        head_lines, tail = lines[:-1], _Item("docDate", last, item.block)
    elif last and (d := find_date(last_bare)) and d[2] == 0:
        head_lines, tail = lines[:-1], _Item("dateline", last, item.block)
    else:
        tail = None
    pieces.append(_Item("head", "\n".join(head_lines), item.block))
    if tail:
        pieces.append(tail)
    return pieces


def _caps_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if len(letters) >= 8 else 0.0


def _find_closer(body: list[_Item]) -> tuple[int | None, list[_Item]]:
    """The index of the closing "recorded by" line, and the name lines that complete it."""
    closer = None
    for n, item in enumerate(body):
        if (item.kind == "para" and _CLOSER.search(item.text) and len(item.text.split()) <= 40
                and any(i.kind == "para" for i in body[:n])):  # a record has text before its closer
            closer = n
    if closer is None:
        return None, []
    signed = []
    for item in body[closer + 1:]:
        if item.kind == "para" and _NAME_LINE.match(item.text.strip()):
            signed.append(item)
        else:
            break
    return closer, signed


def _join_page_breaks(items: list[_Item], registers: Registers) -> list[_Item]:
    out: list[_Item] = []
    for item in items:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == "para" and item.kind == "para"
                and continues(prev.parts[-1], item.text) and speaker_label(item.text, registers) is None):
            prev.parts.append(item.text)
            prev.text = prev.text + " " + item.text
            continue
        out.append(item)
    return out


def _turns(doc: Document, items: list[_Item], ctx: InlineContext, registers: Registers,
           names: NameReview) -> None:
    labels = {id(i): speaker_label(i.parts[0], registers) for i in items if i.kind == "para"}
    has_turns = any(labels.values())
    participants = {lab.who for lab in labels.values() if lab and lab.who}
    for item in items:  # people named before the first turn took part
        if labels.get(id(item)):
            break
        if item.kind == "para":
            participants |= {m.unique.id for m in find_names(item.text, registers)
                             if m.unique and m.unique.kind == "person"}
    turn: Turn | None = None
    for item in items:
        if item.kind != "para":
            unit = _unit(item, ctx, registers, names, default_place="margin")
            (turn.paras if turn else doc.body).append(unit)
            continue
        label: Label | None = labels[id(item)]
        if label:
            turn = Turn(label=label.name, who=label.who, delivery=label.delivery, paras=[], block=item.block,
                        punct=label.punct)
            doc.body.append(turn)
            if not label.who:
                doc.review.append(f"speaker {label.name!r} is in no register: sp without @who")
            parts = [label.rest, *item.parts[1:]] if label.rest else item.parts[1:]
            if parts:
                speech = _Item("para", " ".join(parts), item.block, parts=parts)
                turn.paras.append(_para_unit(speech, ctx, registers, names))
            continue
        if turn is not None and (not turn.paras or not reports_someone(item.text, registers, participants)):
            turn.paras.append(_para_unit(item, ctx, registers, names))
            continue
        turn = None
        unit = _para_unit(item, ctx, registers, names)
        if has_turns and is_narrative(item.text):
            unit.role = "stage"
            unit.attrs = {"type": "narrative"}
        doc.body.append(unit)
    for n, entry in enumerate(doc.body):  # a label with nothing said after it stays as text
        if isinstance(entry, Turn) and not entry.paras:
            delivery = f" ({entry.delivery})" if entry.delivery else ""
            doc.body[n] = Unit("p", [f"{entry.label}{delivery}{entry.punct}"], entry.block)


def _para_unit(item: _Item, ctx: InlineContext, registers: Registers, names: NameReview) -> Unit:
    content: list[Inline] = []
    for n, part in enumerate(item.parts):
        if n:
            if content and isinstance(content[-1], str) and not content[-1].endswith(" "):
                content[-1] += " "
            content.append(Span("pb"))
        content.extend(parse_inline(part, ctx))
    return Unit("p", link(_ends(content), registers, names), item.block)


def _ends(content: list[Inline]) -> list[Inline]:
    """Trim the white space at both ends of a unit's content."""
    if content and isinstance(content[0], str):
        content[0] = content[0].lstrip()
    if content and isinstance(content[-1], str):
        content[-1] = content[-1].rstrip()
    return [c for c in content if c != ""]


def _text_unit(role: str, text: str, block: int, ctx: InlineContext, registers: Registers,
               names: NameReview) -> Unit:
    return Unit(role, link(_ends(parse_inline(text, ctx)), registers, names), block)


def _unit(item: _Item, ctx: InlineContext, registers: Registers, names: NameReview,
          default_place: str = "") -> Unit:
    """A front piece, annotation or source line as a unit."""
    if item.kind in ("annotation", "star"):
        content = link(_ends(parse_inline(item.text, _annotation_ctx(ctx))), registers, names)
        return Unit("annotation", content, item.block,
                    attrs={"type": "annotation", "place": item.place or ("bottom" if item.kind == "star"
                                                                          else default_place or "margin")})
    if item.kind == "para":
        return _para_unit(item, ctx, registers, names)
    return Unit(item.kind, link(_ends(parse_inline(item.text, ctx)), registers, names), item.block)


def _annotation_ctx(ctx: InlineContext) -> InlineContext:
    return InlineContext(vocabulary=ctx.vocabulary, review=ctx.review, repairs=ctx.repairs)


def _attach_star(unit: Unit, item: _Item, ctx: InlineContext, registers: Registers,
                 names: NameReview) -> bool:
    """Put an asterisked annotation at the "*" of the unit before it; False if that unit has none."""
    content = star_calls(unit.content)
    star = next((s for s in content if isinstance(s, Span) and s.meta.get("star")), None)
    if star is None:
        return False
    unit.content = content
    star.attrs = {"n": "*", "type": "annotation", "place": item.place or "bottom"}
    star.content = link(_ends(parse_inline(item.text, _annotation_ctx(ctx))), registers, names)
    star.meta = {"annotation": True}
    return True


def _closer_unit(item: _Item, signed: list[_Item], ctx: InlineContext, registers: Registers,
                 names: NameReview) -> Unit:
    """The closing line: what precedes "by" as text, the names after it as ``signed``."""
    text = item.text
    m = list(_CLOSER.finditer(text))[-1]
    head, tail = text[: m.end()], text[m.end():]
    content: list[Inline] = parse_inline(head, ctx)
    if tail.strip():
        lead = tail[: len(tail) - len(tail.lstrip())]
        content.append(lead)
        content.append(Span("signed", content=parse_inline(tail.strip(), ctx)))
    for line in signed:
        content.append(Span("lb"))
        content.append(Span("signed", content=parse_inline(line.text.strip(), ctx)))
    return Unit("closer", link(_ends(content), registers, names), item.block)


def _recorders(closer: Unit) -> list[Person]:
    people: list[Person] = []
    for span in walk(closer.content):
        if span.tag == "signed":
            linked = [s for s in walk(span.content) if s.tag == "persName"]
            if linked:
                people += [Person(plain_text(s.content), str(s.meta["entry"]), "recorder") for s in linked]
            else:
                name = re.sub(r"\[signature\]|[()]", " ", plain_text(span.content))
                name = " ".join(name.split()).strip(" .")
                if name:
                    people.append(Person(name, None, "recorder"))
    return people


def _header_units(doc: Document, lead: Leading, cat: Catalogue, ctx: InlineContext, registers: Registers,
                  names: NameReview) -> None:
    """The page's title, date, credit line and summary, as units the header and the alignment use."""
    if lead.title is not None:
        doc.title_unit = Unit("title", [lead.title.text], lead.title.index, uid=f"{doc.doc_id}-title")
    if lead.date is not None:
        doc.date_unit = Unit("date", [lead.date.plain], lead.date.index, uid=f"{doc.doc_id}-date")
    credits = lead.credits.text if lead.credits is not None else cat.credits
    if credits:
        block = lead.credits.index if lead.credits is not None else -1
        doc.credits_unit = _text_unit("credits", credits, block, ctx, registers, names)
        doc.credits_unit.uid = f"{doc.doc_id}-credits"
    if cat.summary:
        doc.abstract_unit = _text_unit("abstract", cat.summary, -1, ctx, registers, names)
        doc.abstract_unit.uid = f"{doc.doc_id}-abstract"
    doc.publication = list(lead.publication)
    cat.repeated.extend(t for t in lead.repeated if t not in cat.repeated)


def _place_notes(doc: Document, entries: dict[int, notes_mod.NoteEntry], ctx: InlineContext,
                 registers: Registers, names: NameReview) -> None:
    """Fill each call with its note; put notes the text never calls after the note before them."""
    placed: dict[int, Span] = {}
    for span in _all_spans(doc):
        n = span.meta.get("call")
        if isinstance(n, int) and n in entries:
            _fill_note(span, entries[n], ctx, registers, names)
            placed[n] = span
    for n in sorted(set(entries) - set(placed)):
        span = Span("note", meta={"call": n})
        _fill_note(span, entries[n], ctx, registers, names)
        earlier = [m for m in placed if m < n]
        container = _container_of(doc, placed[max(earlier)]) if earlier else None
        if container is not None:
            lst, index = container
            lst.insert(index + 1, span)
        else:
            target = _first_paragraph(doc)
            if target is None:
                doc.body.append(Unit("p", [span]))
            else:
                target.content.insert(0, span)
        placed[n] = span


def _fill_note(span: Span, entry: notes_mod.NoteEntry, ctx: InlineContext, registers: Registers,
               names: NameReview) -> None:
    note_ctx = InlineContext(note_numbers=set(), called=set(), vocabulary=ctx.vocabulary, in_note=True,
                             review=ctx.review, repairs=ctx.repairs)
    if entry.annotation:
        note_ctx.in_note = False
    content = parse_inline(entry.text, note_ctx)
    for extra in entry.extra:
        content += [Span("lb"), *parse_inline(extra, note_ctx)]
    span.content = link(_ends(content), registers, names)
    if entry.annotation:
        span.attrs = {"n": str(entry.n), "place": "foot", "type": "annotation"}
        span.meta = {"call": entry.n, "resp": "tr", "hand": True, "annotation": True}
    else:
        span.attrs = {"n": str(entry.n), "place": "foot", "type": "editorial"}
        span.meta = {"call": entry.n, "resp": "ed"}


def _all_spans(doc: Document):
    for unit in _units(doc):
        yield from walk(unit.content)


def _units(doc: Document):
    yield from doc.front
    for item in doc.body:
        if isinstance(item, Turn):
            yield from item.paras
        else:
            yield item
    yield from doc.commentary


def _container_of(doc: Document, target: Span) -> tuple[list[Inline], int] | None:
    def search(content: list[Inline]) -> tuple[list[Inline], int] | None:
        for i, item in enumerate(content):
            if item is target:
                return content, i
            if isinstance(item, Span):
                found = search(item.content)
                if found:
                    return found
        return None

    for unit in _units(doc):
        found = search(unit.content)
        if found:
            return found
    return None


def _first_paragraph(doc: Document) -> Unit | None:
    return next((u for u in _units(doc) if u.role == "p"), None)


def _initials(doc: Document) -> list[str]:
    found: list[str] = []
    for span in _all_spans(doc):
        if span.tag == "note" and span.attrs.get("place") == "inline":
            m = re.search(r"[–—-]\s*((?:[A-Z]\.?\s?){1,3}(?:\s*&\s*(?:[A-Z]\.?\s?){1,3})?\.?)$",
                          plain_text(span.content))
            if m:
                for part in re.split(r"\s*&\s*", m.group(1)):
                    key = re.sub(r"\s", "", part).rstrip(".") + "."
                    if key not in found:
                        found.append(key)
    return found
