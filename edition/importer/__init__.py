"""``edition import``: from a plain-text or Markdown transcript to TEI drafts.

Editors receive records as text copied from archives' web pages. The import
recognises the conventions of such transcripts (catalogue fields, speaker
labels, footnotes, brackets, handwritten annotations, page breaks, names,
interleaved translations) and writes a draft that validates against the
edition's schema, for an editor to refine. It never drops text: what it cannot
classify stays a plain paragraph; only web page furniture is left out.

    >>> from edition.importer import import_file, registers_for
    >>> result = import_file("transcript.txt", registers=registers_for("edition.yaml"))
    >>> for draft in result.drafts:
    ...     path = draft.write("xml/drafts")
    ...     print(draft.summary().table())

Modules, one responsibility each: :mod:`.blocks` (reading), :mod:`.catalogue`
(fields and furniture), :mod:`.citation` (the archival reference), :mod:`.dates`,
:mod:`.notes`, :mod:`.speakers`, :mod:`.brackets` (inline conventions),
:mod:`.pagebreaks`, :mod:`.names` and :mod:`.linking` (registers),
:mod:`.bilingual`, :mod:`.structure` (putting them together), :mod:`.ids`,
:mod:`.tei` (writing) and :mod:`.report` (the summary).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import bilingual
from .blocks import clean, split_blocks
from .catalogue import extract, leading
from .ids import assign_ids, document_id
from .model import Document
from .names import Registers, load_registers
from .report import Summary, summarize
from .structure import recognise
from .tei import Writer, serialize

__all__ = ["Draft", "ImportResult", "Registers", "import_file", "import_text", "load_registers",
           "registers_for", "validate_drafts"]


@dataclass
class Draft:
    """One TEI draft: the recognised document, and how to write it."""

    doc: Document
    registers: Registers
    source_name: str
    dropped: int = 0
    first: Draft | None = None  # the text this one translates (interleaved transcripts)
    path: Path | None = None
    placeholders: list[str] = field(default_factory=list)
    errors: int | None = None

    @property
    def file_name(self) -> str:
        return f"{self.doc.doc_id}.xml"

    def tree(self, out_dir: str | Path = ".") -> etree._ElementTree:
        """The draft as TEI, with pointers relative to ``out_dir``."""
        writer = Writer(self.doc, self.registers, Path(out_dir).resolve(), self.source_name,
                        corresp_file=self.first.file_name if self.first else "",
                        first=self.first.doc if self.first else None)
        tree = writer.build()
        self.placeholders = writer.placeholders
        return tree

    def write(self, out_dir: str | Path) -> Path:
        """Write the draft into ``out_dir`` (created if missing); returns its path."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        path = out / self.file_name
        path.write_bytes(serialize(self.tree(out)))
        self.path = path
        return path

    def summary(self) -> Summary:
        if not self.placeholders and self.path is None:
            self.tree()
        summary = summarize(self.doc, str(self.path or self.file_name), self.placeholders, self.dropped)
        summary.errors = self.errors
        return summary


@dataclass
class ImportResult:
    """The drafts one transcript gives: one, or two for an interleaved translation."""

    source: str
    drafts: list[Draft]


def import_text(text: str, name: str = "transcript.txt", registers: Registers | None = None,
                doc_id: str | None = None) -> ImportResult:
    """Recognise a transcript's text; ``name`` gives the document id unless ``doc_id`` does."""
    registers = registers if registers is not None else Registers()
    doc_id = doc_id or document_id(Path(name).stem)
    blocks = split_blocks(clean(text))
    extraction = extract(blocks)
    content = extraction.content
    lead = leading(content)
    langs, runs = bilingual.split(content)
    dropped = len(extraction.dropped)
    if not bilingual.is_bilingual(langs, runs):
        main = bilingual.block_language(" ".join(b.text for b in content[lead.consumed:][:20]))
        doc = recognise(content[lead.consumed:], extraction.catalogue, lead, doc_id, main, registers)
        assign_ids(doc)
        return ImportResult(name, [Draft(doc, registers, Path(name).name, dropped)])
    order = list(dict.fromkeys(lang for lang, _ in runs))
    main_lang, second_lang = order[0], next(lang for lang in order[1:] if len(langs[lang]) >= 3)
    consumed = {b.index for b in content[: lead.consumed]}
    first_blocks = [b for b in langs[main_lang] if b.index not in consumed]
    first = recognise(first_blocks, extraction.catalogue, lead, doc_id, main_lang, registers)
    second_lead = leading(langs[second_lang])
    second = recognise(langs[second_lang][second_lead.consumed:], extraction.catalogue, second_lead,
                       f"{doc_id}-{second_lang}", second_lang, registers)
    others = [b for lang, bs in langs.items() if lang not in (main_lang, second_lang) for b in bs]
    if others:  # blocks in a third language: kept, as paragraphs after the first text
        first.review.append(f"{len(others)} block(s) in a third language are kept at the end of the "
                            "first text")
        extra = recognise(others, extraction.catalogue, leading([]), doc_id, main_lang, registers)
        first.body.extend(bilingual.units_by_block(extra))
    assign_ids(first)
    assign_ids(second)
    aligned = bilingual.align(first, second, runs)
    second.review.append(f"{aligned} piece(s) aligned with {doc_id}.xml (@corresp)")
    first_draft = Draft(first, registers, Path(name).name, dropped)
    return ImportResult(name, [first_draft, Draft(second, registers, Path(name).name, 0, first=first_draft)])


def import_file(path: str | Path, registers: Registers | None = None,
                doc_id: str | None = None) -> ImportResult:
    """Read a transcript file (UTF-8) and recognise it. Raises OSError / UnicodeDecodeError."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8")
    return import_text(text, path.name, registers, doc_id)


def registers_for(config: str | Path | None = None) -> Registers:
    """The registers of the edition configured in ``config`` (``edition.yaml``)."""
    from ..config import load_config

    cfg = load_config(Path(config or "edition.yaml"))
    return load_registers({kind: cfg.sources / name for kind, name in cfg.registers.items()})


def validate_drafts(paths: Sequence[Path], edition: Sequence[Path] = ()) -> list:
    """Check drafts against the edition's schema and rules; pointers may reach ``edition``'s files."""
    from ..validation import validate_files

    return validate_files(list(paths), edition=list(edition), jobs=1)
