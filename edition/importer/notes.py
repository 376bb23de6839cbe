"""Footnotes: the numbered list at the end of a transcript, and the calls in its text.

A list entry is a block that opens with its number: "[5]Text", "[39] Text",
Markdown's "[^5]: Text". Entries count only if the text calls at least one of
them, so that a paragraph that happens to start with "[1]" stays a paragraph.
The list may be split by other text (a paragraph between entries continues the
note before it) and an entry may be repeated (the same text twice is kept once).
An entry that is a handwritten annotation ("[1] * [handwritten: ...]") becomes a
footnote whose content is the annotation, as the encoding guide says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ENTRY = re.compile(r"^\s*(?:\^?\[\^?(?P<n>\d{1,3})\]:?|\[\^(?P<m>\d{1,3})\]:)\s*(?=\S)")
_CALL = re.compile(r"\^\[(\d{1,3})\]|\[\^?(\d{1,3})\]")
_ANNOTATION = re.compile(
    r"^\\?\*?\s*\[\s*(?P<label>[Hh]andwritten[^:\]]*|[Vv]iết tay[^:\]]*):\s*(?P<text>.*)\]\s*$", re.S)


@dataclass
class NoteEntry:
    """One note of the list: its number, its text, and where it was."""

    n: int
    text: str
    block: int
    annotation: bool = False
    label: str = ""
    extra: list[str] = field(default_factory=list)


def entry_number(text: str) -> tuple[int, str] | None:
    """(number, text) of a block that is a list entry, or None."""
    m = _ENTRY.match(text)
    if not m:
        return None
    return int(m.group("n") or m.group("m")), text[m.end():].strip()


def calls_in(text: str) -> set[int]:
    """Numbers called in ``text`` ("[5]", "^[5]", "[^5]")."""
    return {int(a or b) for a, b in _CALL.findall(text)}


def collect(texts: list[tuple[int, str]]) -> tuple[dict[int, NoteEntry], set[int], list[str]]:
    """The list of notes among ``(block index, text)`` pairs.

    Returns the entries by number, the block indexes the list occupies (its
    entries and the paragraphs that continue them), and messages for the editor.
    """
    candidates = [(i, *parsed) for i, t in texts if (parsed := entry_number(t))]
    if not candidates:
        return {}, set(), []
    called: set[int] = set()
    numbers = {n for _, n, _ in candidates}
    entry_blocks = {i for i, _, _ in candidates}
    for i, t in texts:
        if i not in entry_blocks:
            called |= calls_in(t) & numbers
    if not called:
        return {}, set(), []
    review: list[str] = []
    entries: dict[int, NoteEntry] = {}
    used: set[int] = set()
    first, last = min(entry_blocks), max(entry_blocks)
    previous: NoteEntry | None = None
    for i, t in texts:
        if i < first or i > last:
            continue
        parsed = entry_number(t)
        if parsed is None:
            if previous is not None:  # a paragraph inside the list continues the note before it
                previous.extra.append(t.strip())
                used.add(i)
                review.append(f"note {previous.n}: a paragraph between list entries is taken "
                              "as its continuation")
            continue
        n, text = parsed
        used.add(i)
        if n in entries:
            if " ".join(text.split()) == " ".join(entries[n].text.split()):
                review.append(f"note {n} is listed twice with the same text: kept once")
            else:
                entries[n].extra.append(text)
                review.append(f"note {n} is listed twice with different texts: both are kept in the note")
            previous = entries[n]
            continue
        entry = NoteEntry(n, text, i)
        m = _ANNOTATION.match(text)
        if m:
            entry.annotation, entry.label = True, m.group("label").strip()
            entry.text = m.group("text").strip()
        entries[n] = entry
        previous = entry
    for n in sorted(set(entries) - called):
        review.append(f"note {n} has no call in the text: placed after the note before it")
    return entries, used, review
