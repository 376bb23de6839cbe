"""Tagging the names in recognised content: ``persName``/``placeName``/``orgName`` with a register id.

Names are linked only where the register form is unambiguous; ambiguous
forms and person-like names no register knows are collected for the editor.
Foreign words, addresses, gaps and delivery directions are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Inline, Span
from .names import KINDS, Registers, find_names, person_candidates

_SKIP = {"foreign", "ref", "gap", "desc", "certainty", "stage", "lb", "pb", "date"}


@dataclass
class NameReview:
    """Names the importer did not link, by text, with what it knows of them."""

    ambiguous: dict[str, list[str]] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"ambiguous: {text!r} could be {', '.join(ids)}" for text, ids in self.ambiguous.items()]
        out += [f"unknown: {text!r}" + (f" ({n}x)" if n > 1 else "") for text, n in self.unknown.items()]
        return out


def link(content: list[Inline], registers: Registers, review: NameReview) -> list[Inline]:
    """``content`` with every unambiguous register name wrapped in its name element."""
    out: list[Inline] = []
    for item in content:
        if isinstance(item, Span):
            if item.tag not in _SKIP and item.tag not in KINDS.values():
                item.content = link(item.content, registers, review)
            out.append(item)
            continue
        out.extend(_link_text(item, registers, review))
    return out


def _link_text(text: str, registers: Registers, review: NameReview) -> list[Inline]:
    matches = find_names(text, registers) if len(registers) else []
    out: list[Inline] = []
    pos = 0
    known = []
    for m in matches:
        known.append((m.start, m.end))
        entry = m.unique
        if entry is None:
            review.ambiguous.setdefault(text[m.start:m.end], [e.id for e in m.entries])
            continue
        if m.start > pos:
            out.append(text[pos:m.start])
        out.append(Span(KINDS[entry.kind], content=[text[m.start:m.end]],
                        meta={"ref": f"{entry.file}#{entry.id}", "kind": entry.kind, "entry": entry.id}))
        pos = m.end
    if pos < len(text):
        out.append(text[pos:])
    for name in person_candidates(text, known):
        review.unknown[name] = review.unknown.get(name, 0) + 1
    return out
