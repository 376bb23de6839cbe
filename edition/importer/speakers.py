"""Speaker labels, and whether a paragraph continues a turn or reports it.

Records of conversation print turns in two ways: a label in capitals ("MAO
ZEDONG.", "N.S. KHRUSHCHEV (jokingly).", "B. N. PONOMAREV.") or a register name
in ordinary case followed by a full stop ("N.S. Khrushchev. I would like...",
"Naji Yousef. I would like..."). The second way is only trusted for names the
registers know: "Cde. Khrushchev told..." has no label.

Paragraphs after a turn stay in it, unless they report someone in the third
person ("Sheikh Latif asks N.S. Khrushchev ...", "B. N. PONOMAREV says that ...",
"They switch to international questions."), which ends the turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .names import Registers, find_names

_CAPS = re.compile(
    r"^(?P<name>(?:[A-Z]\.\s?)*[A-Z][A-Z’'\-]+(?:\s+[A-Z][A-Z’'\-]+){0,3})"
    r"(?:\s*\((?P<delivery>[^()\n]{1,40})\))?\s*(?P<punct>[.:])(?:\s+(?P<rest>\S.*))?$", re.S)
_MIXED = re.compile(
    r"^(?P<name>(?:[A-Z]\.\s?)*[A-Z][\w’'\-]+(?:\s+(?:al-|el-)?[A-Z][\w’'\-]+){0,3})"
    r"(?:\s*\((?P<delivery>[^()\n]{1,40})\))?\s*(?P<punct>[.:])\s+(?P<rest>[\"“A-Z].*)$", re.S)
NOT_SPEAKERS = frozenset([
    "RECORD", "PRESENT", "NOTE", "NOTES", "SECRET", "CONFIDENTIAL", "COPY", "SUMMARY", "SOURCE", "CITATION",
    "ATTACHMENT", "APPENDIX", "MEMORANDUM", "MINUTES", "TRANSLATION", "DRAFT", "CONTENTS", "CREDITS",
    "RIGHTS", "TYPE", "LANGUAGE",
])

_PRESENT = (r"says|asks|thanks|points out|expresses|addresses|agrees|wishes|states|continues|proceeds|"
            r"replies|answers|requests|greets|informs|tells|notes|adds|suggests|declares|remarks|explains|reports|"
            r"objects|switch|switches|leaves|enters|returns")
_PAST = (r"said|asked|thanked|pointed out|expressed|addressed|agreed|wished|stated|continued|proceeded|"
         r"replied|answered|requested|greeted|informed|told|noted|added|suggested|declared|remarked|"
         r"explained|reported|objected|recalled|switched|exchanged|advocated|discussed")
_VERB = re.compile(rf"\b(?:(?P<present>{_PRESENT})|(?P<past>{_PAST}))\b")
_SPEECH = re.compile(r"\b(?:says|said|asks|asked|thanks|thanked|points out|answers|answered|replies|replied|"
                     r"requests|tells|told|informs|informed|expresses|addresses|agrees|suggests|states|"
                     r"continues|proceeds|notes|adds|declares|remarks|explains|objects|greets)\b")
_FIRST_SECOND = re.compile(r"\b(?:I|me|my|we|us|our|you|your)\b", re.I)
_NAME_LIKE = re.compile(r"(?:[A-Z]\.\s?)+[A-Z][a-z][\w’'-]*"
                        r"|[A-Z][a-z][\w’'-]* (?:al-|el-)?[A-Z][a-z][\w’'-]*")
# Between a subject and its verb: nothing, an adverb, or an apposition between commas.
_SUBJECT_GAP = re.compile(r"^(?:\[\d+\])?\s*(?:\w+ly\s+)?$|^(?:\[\d+\])?\s*,(?:.*,)?\s*$", re.S)
_SENTENCE_END = re.compile(r"(?<=[a-z\])”\"])[.!?](?=\s|$)")


@dataclass
class Label:
    """A speaker label at the start of a paragraph."""

    name: str  # as printed, without its full stop
    delivery: str | None  # "jokingly" in "N.S. KHRUSHCHEV (jokingly)."
    punct: str
    rest: str  # the paragraph after the label ("" when the label stands alone)
    who: str | None  # the register id, when the name is known


def speaker_label(text: str, registers: Registers) -> Label | None:
    """The label a paragraph opens with, or None."""
    text = text.strip()
    m = _CAPS.match(text)
    if m and m.group("name").replace(".", " ").split()[-1] not in NOT_SPEAKERS:
        rest = (m.group("rest") or "").strip()
        if (not rest or re.search(r"[a-z]", rest)) and len(m.group("name")) >= 3:
            who, other = _resolve(m.group("name"), registers)
            if not other:
                return Label(m.group("name"), m.group("delivery"), m.group("punct"), rest, who)
    m = _MIXED.match(text)
    if m and m.group("punct") == ".":
        who, _ = _resolve(m.group("name"), registers)
        if who:
            return Label(m.group("name"), m.group("delivery"), ".", m.group("rest").strip(), who)
    return None


def _resolve(name: str, registers: Registers) -> tuple[str | None, bool]:
    """(person id, whether the name is a place or organisation instead)."""
    found = find_names(name, registers)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(name.rstrip(".")):
        entry = found[0].unique
        if entry is None:
            return None, all(e.kind != "person" for e in found[0].entries)
        if entry.kind == "person":
            return entry.id, False
        return None, True
    return None, False


def first_sentence(text: str) -> str:
    m = _SENTENCE_END.search(text)
    return text[: m.end()] if m else text


def reports_someone(text: str, registers: Registers, participants: set[str]) -> bool:
    """Whether a paragraph opens by reporting a person in the third person, which ends a turn.

    The first sentence must name a person before its first reporting verb, with
    no "I", "we" or "you" before the verb. Verbs in the present tense ("asks",
    "says") report whoever they follow; verbs in the past tense ("suggested")
    only a participant of the conversation, since a speaker may well tell what
    somebody else suggested.
    """
    sentence = first_sentence(text)
    verb = _VERB.search(sentence)
    if not verb:
        return False
    before = sentence[: verb.start()]
    if _FIRST_SECOND.search(before) or len(before.split()) > 40:
        return False
    if re.match(r"\s*They\s*$", before):
        return True
    people = [(m.start, m.end, m.unique.id) for m in find_names(before, registers)
              if m.unique and m.unique.kind == "person"]
    if verb.group("present"):
        people += [(m.start(), m.end(), "") for m in _NAME_LIKE.finditer(before)]
    subjects = [who for _, end, who in people if _SUBJECT_GAP.match(before[end:])]  # the verb's subject
    return bool(subjects) and (bool(verb.group("present")) or any(w in participants for w in subjects))


def is_narrative(text: str) -> bool:
    """A short third-person line between turns ("They switch to international questions.")."""
    text = text.strip()
    if not text.endswith(".") or len(text.split()) > 20 or first_sentence(text) != text:
        return False
    return not (_FIRST_SECOND.search(text) or _SPEECH.search(text) or re.search("[\"“”]", text))
