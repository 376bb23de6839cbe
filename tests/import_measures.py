"""How close an imported draft comes to the hand-made encoding of the same seed.

Each measure is a share of what the hand encoding has that the draft has too:

- notes: footnotes with the same number standing after the same five words;
- turns: speaker turns with the same speaker (register id and label) and the same
  words, in the same order (matched as sequences, so one missed turn costs one);
- supplied: supplied passages with the same words and reason;
- annotations: handwritten annotations with the same words and place;
- persons: persName links with the same words and register id;
- aligned (translations): paragraphs whose @corresp points to the English
  paragraph the hand encoding points to (compared through their words).

Only ``text`` is compared (the header is written from catalogue fields, not recognised).
"""

from __future__ import annotations

import difflib
from collections import Counter

from lxml import etree

from .seedtext import words

T = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def _is_separate_note(el: etree._Element) -> bool:
    return el.tag == f"{T}note" and (el.get("place") == "foot" or el.get("type") == "annotation")


def running_words(el: etree._Element) -> list[str]:
    """Words of an element as the record reads: footnotes and annotations apart, sic not corr."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and not _is_separate_note(child) and child.tag != f"{T}corr":
                walk(child)
            if child.tail:
                out.append(child.tail)

    walk(el)
    return words(" ".join(out))


def _text(tree: etree._ElementTree) -> etree._Element:
    return tree.getroot().find(f"{T}text")


def notes_before(tree: etree._ElementTree) -> dict[str, list[str]]:
    """For each footnote, its number and the five words before it (as in test_corpus)."""
    out: dict[str, list[str]] = {}
    running: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.text:
            running.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif child.tag == f"{T}note":
                if child.get("place") == "foot":
                    out[child.get("n")] = words(" ".join(running))[-5:]
            elif child.tag != f"{T}corr":
                walk(child)
            if child.tail:
                running.append(child.tail)

    walk(_text(tree))
    return out


def turns(tree: etree._ElementTree) -> list[tuple[str, str, tuple[str, ...]]]:
    out = []
    for sp in _text(tree).iter(f"{T}sp"):
        who = sp.get("who", "").rpartition("#")[2]
        speaker = sp.find(f"{T}speaker")
        label = " ".join((speaker.xpath("string()") if speaker is not None else "").split()).rstrip(".")
        said = [w for p in sp if p.tag in (f"{T}p", f"{T}ab") for w in running_words(p)]
        out.append((who, label, tuple(said)))
    return out


def supplied(tree: etree._ElementTree) -> Counter:
    return Counter((el.get("reason"), tuple(running_words(el))) for el in _text(tree).iter(f"{T}supplied"))


def annotations(tree: etree._ElementTree) -> Counter:
    out: Counter = Counter()
    for el in _text(tree).iter(f"{T}note"):
        if el.get("type") == "annotation":
            inner = words(" ".join(el.itertext()))
            out[(el.get("place"), tuple(inner))] += 1
    return out


def persons(tree: etree._ElementTree) -> Counter:
    out: Counter = Counter()
    for el in _text(tree).iter(f"{T}persName"):
        ref = el.get("ref", "")
        if ref:
            out[(tuple(running_words(el)), ref.rpartition("#")[2])] += 1
    return out


def _share(hand: Counter, draft: Counter) -> tuple[int, int]:
    return sum((hand & draft).values()), sum(hand.values())


def alignment(draft_vi: etree._ElementTree, draft_en: etree._ElementTree, hand_vi: etree._ElementTree,
              hand_en: etree._ElementTree, variants: dict[str, str] | None = None) -> tuple[int, int]:
    """Hand-aligned paragraphs whose draft twin points to the same English words.

    ``variants`` maps readings of the draft's English (the blog's slips) to the
    hand encoding's, which follows the Wilson Center transcript.
    """
    def by_id(tree: etree._ElementTree) -> dict[str, tuple[str, ...]]:
        return {el.get(XML_ID): tuple(running_words(el)) for el in tree.iter(f"{T}p") if el.get(XML_ID)}

    def pairs(vi: etree._ElementTree, en: etree._ElementTree) -> dict[tuple[str, ...], tuple[str, ...]]:
        en_words = by_id(en)
        out = {}
        for p in vi.getroot().iter(f"{T}p"):
            targets = [c.rpartition("#")[2] for c in p.get("corresp", "").split()]
            if targets:
                out[tuple(running_words(p))] = tuple(w for t in targets for w in en_words.get(t, ()))
        return out

    def read(target: tuple[str, ...]) -> str:
        text = " ".join(target)
        for variant, reading in (variants or {}).items():
            text = text.replace(" ".join(words(variant)), " ".join(words(reading)))
        return text

    hand, draft = pairs(hand_vi, hand_en), pairs(draft_vi, draft_en)
    return sum(1 for k, v in hand.items() if k in draft and read(draft[k]) == " ".join(v)), len(hand)


def measure(draft: etree._ElementTree, hand: etree._ElementTree) -> dict[str, tuple[int, int]]:
    """(matched, total) per measure, for one draft against its hand encoding."""
    hand_notes, draft_notes = notes_before(hand), notes_before(draft)
    hand_turns, draft_turns = turns(hand), turns(draft)
    matcher = difflib.SequenceMatcher(None, hand_turns, draft_turns, autojunk=False)
    return {
        "notes": (sum(1 for n, before in hand_notes.items() if draft_notes.get(n) == before),
                  len(hand_notes)),
        "turns": (sum(b.size for b in matcher.get_matching_blocks()), len(hand_turns)),
        "supplied": _share(supplied(hand), supplied(draft)),
        "annotations": _share(annotations(hand), annotations(draft)),
        "persons": _share(persons(hand), persons(draft)),
    }
