"""Writing a recognised document as a TEI draft with lxml.

The draft follows ``docs/sample.xml``: the full scholarly header (with the
page's catalogue fields verbatim, the archival identifier in its parts, the
participants, setting, recorder and revision), then ``front``, the record in
``body/div[@type='record']`` and the editors' commentary apart. Fields the
transcript does not give are written as explicit placeholders ("unknown", "not
stated in the transcript") so that the draft is complete and an editor sees what
to supply; the import's summary lists them.

Pointers into the registers are written relative to the draft's folder, so the
draft validates where it is written (``../persons.xml#khrushchev`` from
``xml/drafts/``; ``persons.xml#khrushchev`` with ``-o xml``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from lxml import etree

from .brackets import InlineContext, parse_inline
from .citation import place_of
from .dates import find_date
from .ids import hands_needed
from .linking import NameReview, link
from .model import Document, Inline, Span, Turn, Unit, plain_text, walk
from .names import Registers

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
T = f"{{{TEI_NS}}}"
XML_LANG = f"{{{XML_NS}}}lang"
XML_ID = f"{{{XML_NS}}}id"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"

LANGUAGES = {
    "en": "English", "vi": "Vietnamese", "ru": "Russian", "ru-Latn": "Russian, transliterated",
    "zh": "Chinese", "zh-Latn": "Chinese, transliterated (pinyin)",
    "zh-Hans": "Chinese, simplified characters",
    "ar": "Arabic", "ar-Latn": "Arabic, transliterated", "fr": "French", "de": "German",
}
LANGUAGE_CODES = {
    "russian": "ru", "english": "en", "chinese": "zh", "vietnamese": "vi", "arabic": "ar", "french": "fr",
    "german": "de", "polish": "pl", "hungarian": "hu", "romanian": "ro", "bulgarian": "bg", "czech": "cs",
    "korean": "ko", "japanese": "ja", "spanish": "es", "italian": "it", "persian": "fa", "turkish": "tr",
    "mongolian": "mn", "albanian": "sq", "serbo-croatian": "hbs", "ukrainian": "uk", "german (gdr)": "de",
}
# Elements that hold only elements, and so are indented; everything else keeps its spacing.
_CONTAINERS = {
    "TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "notesStmt", "sourceDesc", "msDesc",
    "msIdentifier", "msContents", "physDesc", "handDesc", "encodingDesc", "editorialDecl", "correction",
    "normalization", "profileDesc", "abstract", "langUsage", "particDesc", "listPerson", "settingDesc",
    "setting", "textClass", "keywords", "revisionDesc", "availability", "text", "front", "docTitle", "body",
    "div", "sp", "list", "person",
}


class Writer:
    """Builds the TEI tree of one document."""

    def __init__(self, doc: Document, registers: Registers, out_dir: Path, source_name: str,
                 corresp_file: str = "", first: Document | None = None, schema_dir: Path = SCHEMA_DIR):
        self.doc = doc
        self.d = doc.doc_id
        self.registers = registers
        self.out_dir = Path(out_dir)
        self.source_name = source_name
        self.corresp_file = corresp_file
        self.first = first
        self.schema_dir = schema_dir
        self.needed: set[str] = set()
        self.langs: set[str] = {doc.lang}
        self.placeholders: list[str] = []

    # -- helpers -------------------------------------------------------------------------------

    def pointer(self, value: str) -> str:
        """A register pointer ("persons.xml#id") relative to the draft's folder."""
        file, _, frag = value.partition("#")
        path = self.registers.files.get(file)
        if path is None:
            return value
        rel = os.path.relpath(path, self.out_dir).replace(os.sep, "/")
        return f"{rel}#{frag}"

    def el(self, parent: etree._Element | None, tag: str, text: str | None = None,
           **attrs: str) -> etree._Element:
        if parent is None:
            node = etree.Element(T + tag, nsmap={None: TEI_NS})
        else:
            node = etree.SubElement(parent, T + tag)
        for key, value in attrs.items():
            node.set(_attr_name(key), value)
        if text is not None:
            node.text = text
        return node

    def linked(self, text: str) -> list[Inline]:
        """Header text with its names linked and its addresses as ``ref``."""
        ctx = InlineContext(review=self.doc.review, repairs=self.doc.repairs)
        return link(parse_inline(text, ctx), self.registers, NameReview())

    def inline(self, parent: etree._Element, content: list[Inline]) -> None:
        for item in content:
            if isinstance(item, str):
                if len(parent):
                    last = parent[-1]
                    last.tail = (last.tail or "") + item
                else:
                    parent.text = (parent.text or "") + item
                continue
            if item.tag == "stage" and etree.QName(parent).localname != "p":  # directions stand in prose
                self.inline(parent, [plain_text(item.content)])
                continue
            node = self.el(parent, item.tag)
            for key, value in item.attrs.items():
                node.set(_attr_name(key), value)
                if key == "xml:lang":
                    self.langs.add(value)
            meta = item.meta
            if "ref" in meta:
                node.set("ref", self.pointer(str(meta["ref"])))
            if meta.get("resp"):
                node.set("resp", f"#{self.d}-{meta['resp']}")
                self.needed.add(str(meta["resp"]))
            if item.tag == "note" and (meta.get("annotation") or item.attrs.get("type") == "annotation"):
                node.set("hand", f"#{self.d}-h1")
            if meta.get("id"):
                node.set(XML_ID, str(meta["id"]))
            if item.tag == "note" and "type" not in item.attrs and "call" in meta:
                node.set("type", "editorial")
            self.inline(node, item.content)

    def corresp(self, node: etree._Element, unit: Unit | None) -> None:
        if unit is not None and unit.corresp and self.corresp_file:
            node.set("corresp", " ".join(f"{self.corresp_file}#{u}" for u in unit.corresp))

    # -- the document ----------------------------------------------------------------------------

    def build(self) -> etree._ElementTree:
        root = self.el(None, "TEI")
        root.set(XML_ID, self.d)
        root.set(XML_LANG, self.doc.lang)
        header = self.el(root, "teiHeader")
        if self.doc.lang != "en":
            header.set(XML_LANG, "en")
            self.langs.add("en")
        text = self.el(root, "text")
        self.text(text)  # first, so that the header knows which statements and languages the text needs
        self.header(header)
        root.insert(0, header)
        _indent(root)
        tree = etree.ElementTree(root)
        rel = os.path.relpath(self.schema_dir, self.out_dir).replace(os.sep, "/")
        root.addprevious(etree.ProcessingInstruction(
            "xml-model", f'href="{rel}/edition.rng" type="application/xml" '
                         'schematypens="http://relaxng.org/ns/structure/1.0"'))
        root.addprevious(etree.ProcessingInstruction(
            "xml-model", f'href="{rel}/edition.sch" type="application/xml" '
                         'schematypens="http://purl.oclc.org/dsdl/schematron"'))
        return tree

    def text(self, text: etree._Element) -> None:
        doc = self.doc
        if doc.front:
            front = self.el(text, "front")
            previous: Unit | None = None
            title: etree._Element | None = None
            for unit in doc.front:
                if unit.role == "head":
                    same = previous is not None and previous.role == "head" and previous.block == unit.block
                    if title is None or not same:
                        title = self.el(self.el(front, "docTitle"), "titlePart")
                        self.unit_attrs(title, unit)
                    else:
                        self.el(title, "lb")
                    self.inline(title, unit.content)
                elif unit.role == "annotation":
                    self.annotation(front, unit)
                elif unit.role == "docDate":
                    node = self.el(front, "docDate")
                    self.unit_attrs(node, unit)
                    found = find_date(plain_text(unit.content))
                    if found:
                        node.set("when", found[1])
                    self.inline(node, unit.content)
                elif unit.role == "dateline":
                    node = self.el(front, "dateline")
                    self.unit_attrs(node, unit)
                    self.inline(node, _tag_date(unit.content))
                previous = unit
        body = self.el(text, "body")
        div = self.el(body, "div", type="record")
        for item in doc.body:
            if isinstance(item, Turn):
                sp = self.el(div, "sp")
                if item.who:
                    sp.set("who", self.pointer(f"{self.registers.entries[item.who].file}#{item.who}"))
                punct = item.punct
                speaker = self.el(sp, "speaker", item.label + ("" if item.delivery else punct))
                if item.delivery:
                    speaker.tail = " "
                    self.el(sp, "stage", f"({item.delivery}){punct}", type="delivery")
                for unit in item.paras:
                    self.block(sp, unit)
            else:
                self.block(div, item)
        if not len(div):
            self.el(div, "gap", reason="empty")
            self.placeholders.append("text: the transcript has no text")
        if doc.commentary:
            comm = self.el(body, "div", type="commentary", resp=f"#{self.d}-ed")
            self.needed.add("ed")
            for unit in doc.commentary:
                self.block(comm, unit)

    def unit_attrs(self, node: etree._Element, unit: Unit) -> None:
        if unit.uid:
            node.set(XML_ID, unit.uid)
        self.corresp(node, unit)

    def annotation(self, parent: etree._Element, unit: Unit) -> None:
        node = self.el(parent, "note")
        self.unit_attrs(node, unit)
        node.set("type", "annotation")
        node.set("place", unit.attrs.get("place", "margin"))
        node.set("hand", f"#{self.d}-h1")
        self.inline(node, unit.content)

    def block(self, parent: etree._Element, unit: Unit) -> None:
        if unit.role == "annotation":
            self.annotation(parent, unit)
            return
        if unit.role == "closer":
            node = self.el(parent, "closer")
        elif unit.role == "stage":
            node = self.el(parent, "stage", type=unit.attrs.get("type", "narrative"))
        elif unit.role == "source":
            node = self.el(parent, "note", type="source", place="end")
        else:  # a paragraph, or any other piece that ended up in the body: its text as a paragraph
            node = self.el(parent, "p")
        self.unit_attrs(node, unit)
        self.inline(node, unit.content)

    # -- the header ------------------------------------------------------------------------------

    def header(self, header: etree._Element) -> None:
        doc, cat, d = self.doc, self.doc.catalogue, self.d
        first = self.first
        file_desc = self.el(header, "fileDesc")
        title_stmt = self.el(file_desc, "titleStmt")
        title_text = (plain_text(doc.title_unit.content) if doc.title_unit else "") or cat.title
        if not title_text:
            heads = [plain_text(u.content) for u in doc.front if u.role == "head"]
            title_text = " ".join(" ".join(heads).split()) if heads else ""
        if not title_text:
            title_text = f"Untitled transcript ({self.source_name})"
            self.placeholders.append("title")
        title = self.el(title_stmt, "title", title_text, type="main")
        if doc.title_unit and doc.title_unit.uid:
            title.set(XML_ID, doc.title_unit.uid)
        self.corresp(title, doc.title_unit)
        if doc.lang != "en" and doc.title_unit is not None:
            title.set(XML_LANG, doc.lang)
        if first is not None:
            first_title = (plain_text(first.title_unit.content) if first.title_unit else "") or cat.title
            self.el(title_stmt, "title", f"Translation ({_language_name(doc.lang)}) of “{first_title}”",
                    type="sub")
        for author in cat.authors:
            node = self.el(title_stmt, "author")
            self.inline(node, self.linked(author))
            if doc.lang != "en" and any(c in author for c in "ồốộờớợưđ"):
                node.set(XML_LANG, doc.lang)
        if cat.donors or (doc.credits_unit and "support from" in plain_text(doc.credits_unit.content)):
            credit = plain_text(doc.credits_unit.content) if doc.credits_unit else ""
            funder_name = cat.donors or credit.split("support from", 1)[1].strip()
            self.inline(self.el(title_stmt, "funder"), self.linked(funder_name))
        self.resp_stmts(title_stmt)

        pub = self.el(file_desc, "publicationStmt")
        publisher = "Wilson Center Digital Archive" if any(
            "wilsoncenter" in u or "digitalarchive" in u for u in cat.urls) or re.search(
            r"Wilson Center|History and Public Policy Program", " ".join([cat.citation, *cat.rights])) else ""
        if publisher:
            self.inline(self.el(pub, "publisher"), self.linked(publisher))
        else:
            self.el(pub, "publisher", "not stated in the transcript")
            self.placeholders.append("publisher")
        date_text = (plain_text(doc.date_unit.content) if doc.date_unit else "") or cat.date_text
        iso = _iso(date_text) or self.record_date()
        if date_text or iso:
            node = self.el(pub, "date", date_text or iso)
            if iso:
                node.set("when", iso)
            self.corresp(node, doc.date_unit)
            if doc.date_unit is not None and doc.date_unit.uid:
                node.set(XML_ID, doc.date_unit.uid)
        if cat.record_id:
            self.el(pub, "idno", cat.record_id, type="WilsonCenter")
        else:
            self.el(pub, "idno", "unknown", type="WilsonCenter", subtype="unknown")
            self.placeholders.append("record ID")
        if cat.urls:
            for url in cat.urls:
                self.el(pub, "idno", url, type="URL")
        else:
            self.el(pub, "idno", "unknown", type="URL", subtype="unknown")
            self.placeholders.append("URL")
        availability = self.el(pub, "availability")
        if cat.rights:
            for para in cat.rights:
                self.inline(self.el(availability, "p"), self.linked(para))
        else:
            self.el(availability, "p", "The transcript gives no rights statement.")
            self.placeholders.append("rights")

        notes = []
        if doc.credits_unit is not None:
            notes.append(("credits", doc.credits_unit))
        fields = (("contents", cat.contents), ("uploaded", cat.uploaded), ("language", cat.language))
        for kind, value in fields:
            if value:
                notes.append((kind, Unit("note", self.linked(value))))
        for label, value in cat.other:
            notes.append(("catalogue", Unit("note", self.linked(f"{label}: {value}" if label else value))))
        publication = doc.publication or (first.publication if first is not None else [])
        if publication:
            notes.append(("publication", Unit("note", self.linked(
                "The transcript reprints the record from a page headed: "
                + "; ".join(b.text for b in publication)
                + (" (the heading is printed twice)" if cat.repeated else "") + "."))))
        elif cat.repeated:
            notes.append(("catalogue", Unit("note", [f"Printed twice in the transcript: {cat.repeated[0]}"])))
        if notes:
            notes_stmt = self.el(file_desc, "notesStmt")
            for kind, unit in notes:
                node = self.el(notes_stmt, "note", type=kind)
                if unit.uid:
                    node.set(XML_ID, unit.uid)
                self.corresp(node, unit)
                if kind == "credits" and doc.lang != "en":
                    node.set(XML_LANG, doc.lang)
                self.inline(node, unit.content)

        source_desc = self.el(file_desc, "sourceDesc")
        if cat.citation:
            self.inline(self.el(source_desc, "bibl", type="citation"), self.linked(cat.citation))
        if cat.source and cat.source != cat.citation:
            self.inline(self.el(source_desc, "bibl", type="source"), self.linked(cat.source))
        if not cat.citation and not cat.source:
            self.el(source_desc, "bibl", f"Transcript {self.source_name}", type="transcript")
        self.ms_desc(source_desc)

        encoding = self.el(header, "encodingDesc")
        decl = self.el(encoding, "editorialDecl")
        correction = self.el(decl, "correction")
        repairs = list(dict.fromkeys(doc.repairs))
        if repairs:
            para = self.el(correction, "p", "Repairs of the transcript's Markdown made by the import:")
            lst = self.el(para, "list")
            for repair in repairs:
                self.el(lst, "item", repair)
        else:
            self.el(correction, "p", "The import made no repairs.")
        self.el(self.el(decl, "normalization"), "p",
                f"Draft made by edition import from {self.source_name}: square brackets of the transcript "
                "are encoded as supplied, certainty, gap or annotation notes, footnote calls as notes at "
                "their place, speaker labels as sp, blank lines inside a sentence as pb. Web page furniture "
                "is left out. To be checked against the transcript by the editors.")

        profile = self.el(header, "profileDesc")
        abstract = self.el(profile, "abstract")
        if doc.abstract_unit is not None:
            if doc.abstract_unit.uid:
                abstract.set(XML_ID, doc.abstract_unit.uid)
            self.corresp(abstract, doc.abstract_unit)
            if doc.lang != "en":
                abstract.set(XML_LANG, doc.lang)
            self.inline(self.el(abstract, "p"), doc.abstract_unit.content)
        else:
            abstract.set("resp", f"#{d}-ce")
            self.el(abstract, "p", "The transcript gives no summary.")
            self.placeholders.append("summary")
        usage = self.el(profile, "langUsage")
        self.partic_desc(profile)
        self.setting(profile)
        keywords = self.el(self.el(profile, "textClass"), "keywords")
        self.el(keywords, "term", self.document_type(), type="documentType")
        for code in sorted(self.langs, key=lambda c: (c != doc.lang, c)):
            self.el(usage, "language", LANGUAGES.get(code, code), ident=code)

        revision = self.el(header, "revisionDesc")
        self.el(revision, "change", f"Draft made by edition import from {self.source_name}.",
                when=dt.date.today().isoformat(), who=f"#{d}-ce")

    def resp_stmts(self, title_stmt: etree._Element) -> None:
        doc, cat, d = self.doc, self.doc.catalogue, self.d

        def stmt(key: str, resp: str, names: list[tuple[str, str | None]]) -> None:
            node = self.el(title_stmt, "respStmt", **{"xml:id": f"{d}-{key}"})
            self.el(node, "resp", resp)
            for name, ref in names:
                if ref:
                    self.el(node, "persName", name, ref=self.pointer(ref))
                else:
                    self.inline(node, self.linked_name(name))

        if self.first is not None:
            stmt("tr", f"translated into {_language_name(doc.lang)} by",
                 [("not named in the transcript", None)])
        elif cat.translator or "tr" in self.needed:
            stmt("tr", "translated by", [(cat.translator or "not named in the transcript", None)])
        if cat.contributor:
            stmt("co", "contributed by", [(cat.contributor, None)])
        recorders = [(p.name, f"{self.registers.entries[p.ref].file}#{p.ref}" if p.ref else None)
                     for p in doc.recorders]
        if not recorders and self.first is not None:
            recorders = [(p.name, f"{self.registers.entries[p.ref].file}#{p.ref}" if p.ref else None)
                         for p in self.first.recorders]
        if not recorders:
            self.placeholders.append("recorder")
        stmt("rec", "recorded the conversation", recorders or [("not named in the transcript", None)])
        if "ed" in self.needed or doc.has_editors:
            initials = doc.editor_initials
            node = self.el(title_stmt, "respStmt", **{"xml:id": f"{d}-ed"})
            self.el(node, "resp", "notes, inline interventions and commentary by")
            for i in initials:
                self.el(node, "name", i, type="initials")
            if not initials:
                self.el(node, "name", "the transcript's editors (not named)")
        node = self.el(title_stmt, "respStmt", **{"xml:id": f"{d}-ce"})
        self.el(node, "resp", "TEI draft made by edition import, to be revised by")
        self.el(node, "orgName", "The editors of this edition")

    def linked_name(self, name: str) -> list[Inline]:
        content = self.linked(name)
        if any(isinstance(c, Span) and c.tag == "persName" for c in content):
            return content
        return [Span("name", content=content)]

    def ms_desc(self, source_desc: etree._Element) -> None:
        cat = self.doc.catalogue
        arch = cat.archival
        ms = self.el(source_desc, "msDesc")
        ident = self.el(ms, "msIdentifier")
        repo = arch.get("repo", "")
        country, settlement = place_of(repo)
        if country:
            self.inline(self.el(ident, "country"), self.linked(country))
            self.inline(self.el(ident, "settlement"), self.linked(settlement))
        repository = self.el(ident, "repository")
        if repo:
            self.inline(repository, self.linked(repo))
        else:
            repository.text = "unknown"
            self.placeholders.append("repository")
        for part in ("fond", "opis", "delo", "folios"):
            value = arch.get(part)
            if value:
                self.el(ident, "idno", value, type=part)
            else:
                self.el(ident, "idno", "unknown", type=part, subtype="unknown")
                self.placeholders.append(part)
        contents = self.el(ms, "msContents")
        original = cat.original_language
        code = LANGUAGE_CODES.get(original.strip().lower(), "")
        if not original:
            self.placeholders.append("original language")
        self.el(contents, "textLang", original or "not stated in the transcript", mainLang=code or "und")
        if hands_needed(self.doc):
            phys = self.el(ms, "physDesc")
            hand = self.el(self.el(phys, "handDesc"), "handNote", **{"xml:id": f"{self.d}-h1"})
            hand.set("scope", "sole")
            hand.text = ("The hand(s) of the handwritten annotations; the transcript does not tell hands "
                         "apart, so all are assigned to this one.")

    def partic_desc(self, profile: etree._Element) -> None:
        people = participants(self.first or self.doc) if self.first else participants(self.doc)
        recorders = self.doc.recorders or (self.first.recorders if self.first else [])
        listing = self.el(self.el(profile, "particDesc"), "listPerson")
        seen: set[str] = set()
        for ref, name in people:
            seen.add(ref)
            if name.isupper():
                name = self.registers.entries[ref].label
            same = self.pointer(f"{self.registers.entries[ref].file}#{ref}")
            node = self.el(listing, "person", sameAs=same, role="participant")
            self.el(node, "persName", name)
        for person in recorders:
            node = self.el(listing, "person", role="recorder")
            if person.ref:
                node.set("sameAs", self.pointer(f"{self.registers.entries[person.ref].file}#{person.ref}"))
            self.el(node, "persName", person.name)
        if not len(listing):
            node = self.el(listing, "person", role="participant")
            self.el(node, "persName", "not identified by the import")
            self.placeholders.append("participants")

    def setting(self, profile: etree._Element) -> None:
        setting = self.el(self.el(profile, "settingDesc"), "setting")
        place = setting_place(self.first or self.doc)
        if place is not None:
            node = self.el(setting, "placeName", plain_text(place.content))
            node.set("ref", self.pointer(str(place.meta["ref"])))
        else:
            self.el(setting, "placeName", "not stated in the transcript")
            self.placeholders.append("setting (place)")
        iso, printed = self.record_date(), self.record_date(printed=True)
        if iso:
            self.el(setting, "date", printed or iso, when=iso)
        else:
            self.el(setting, "date", "not stated in the transcript")
            self.placeholders.append("setting (date)")

    def record_date(self, printed: bool = False) -> str:
        """The date of the conversation (ISO, or as printed): the record's own, else the page's."""
        doc = self.first or self.doc
        for unit in doc.front:
            if unit.role in ("docDate", "dateline"):
                found = find_date(plain_text(unit.content))
                if found:
                    return found[0] if printed else found[1]
        date_text = (plain_text(doc.date_unit.content) if doc.date_unit else "") or doc.catalogue.date_text
        found = find_date(date_text or "")
        return (found[0] if printed else found[1]) if found else ""

    def document_type(self) -> str:
        cat = self.doc.catalogue
        if self.first is not None:
            return f"Translation ({_language_name(self.doc.lang)})"
        if cat.doc_type:
            return cat.doc_type
        heads = " ".join(plain_text(u.content) for u in self.doc.front if u.role == "head") + " " + (
            plain_text(self.doc.title_unit.content) if self.doc.title_unit else "")
        if re.search(r"record of (?:a |the )?conversation", heads, re.I):
            return "Record of conversation"
        self.placeholders.append("document type")
        return "not stated in the transcript"


def participants(doc: Document) -> list[tuple[str, str]]:
    """(register id, name) of the people who took part.

    Speakers, and the people the heading and the opening lists ("Present: ...") name.
    """
    found: dict[str, str] = {}

    def add(content: list[Inline]) -> None:
        for span in walk(content):
            if span.tag == "persName" and span.meta.get("kind") == "person":
                found.setdefault(str(span.meta["entry"]), plain_text(span.content))

    for unit in doc.front:
        if unit.role == "head":
            add(unit.content)
    opening = True
    for item in doc.body:
        if isinstance(item, Turn):
            opening = False
            if item.who:
                found.setdefault(item.who, item.label.title() if item.label.isupper() else item.label)
            continue
        if opening and item.role == "p":
            add(item.content)
            if not re.match(r"^(?:Present\b|Cdes?\.|Comrades\b|Participants\b|Also present\b)",
                            plain_text(item.content)):
                opening = False
    return list(found.items())


def setting_place(doc: Document) -> Span | None:
    """Where the conversation took place: the last place the dateline names, else the title's "in X"."""
    for unit in doc.front:
        if unit.role == "dateline":
            places = [s for s in walk(unit.content) if s.tag == "placeName"]
            if places:
                return places[-1]
    return None


def _tag_date(content: list[Inline]) -> list[Inline]:
    """The date a dateline opens with, as ``date[@when]``."""
    if content and isinstance(content[0], str):
        found = find_date(content[0])
        if found and found[2] == 0:
            text = content[0]
            return [Span("date", {"when": found[1]}, [text[: found[3]]]), text[found[3]:], *content[1:]]
    return content


def _iso(text: str) -> str:
    found = find_date(text or "")
    return found[1] if found else ""


def _language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


def _attr_name(key: str) -> str:
    if key.startswith("xml:"):
        return f"{{{XML_NS}}}{key[4:]}"
    return key


def _indent(el: etree._Element, level: int = 0) -> None:
    """Indent elements that hold only elements; mixed content keeps its own spacing."""
    local = etree.QName(el).localname
    if local not in _CONTAINERS or (el.text and el.text.strip()) or any(
            c.tail and c.tail.strip() for c in el):
        return
    pad = "\n" + "  " * (level + 1)
    if len(el):
        el.text = pad
        for child in el:
            child.tail = pad
            _indent(child, level + 1)
        el[-1].tail = "\n" + "  " * level


def serialize(tree: etree._ElementTree) -> bytes:
    """The draft as UTF-8 bytes: declaration, the two ``xml-model`` lines, the document."""
    root = tree.getroot()
    lines = [b'<?xml version="1.0" encoding="UTF-8"?>']
    sibling = root.getprevious()
    pis = []
    while sibling is not None:
        pis.insert(0, etree.tostring(sibling, encoding="UTF-8"))
        sibling = sibling.getprevious()
    lines += pis
    lines.append(etree.tostring(root, encoding="UTF-8", with_tail=False))
    return b"\n".join(lines) + b"\n"
