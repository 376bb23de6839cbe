"""Names in the text, matched against the edition's registers.

Every name form a register gives is a candidate: a person's name as written,
surname, forename and surname, initials and surname ("N. S. Khrushchev" from
*Nikita Sergeyevich Khrushchev*), and every variant (``addName``); every
``placeName`` and ``orgName`` of the places and organisations. The text is
matched token by token, longest form first, so "Mao Zedong" wins over "Mao".

A name links only when its form belongs to exactly one entry: "Chen" (Chen
Yi, Chen Yun, Chen Chu) is listed for the editor, not guessed. Matching keeps
the case of the register except in text set in capitals ("N. S. KHRUSHCHEV",
"HO CHI MINH"), and compares the punctuation between the words but not the
spaces, so "N.S. Khrushchev" and "N. S. Khrushchev" are one form.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..sources import TEI_NS, XML_ID, SourceError, read_source

_TOKEN = re.compile(r"\w+(?:[-’'‐]\w+)*")
_POSSESSIVE = re.compile(r"[’']s$")
KINDS = {"person": "persName", "place": "placeName", "org": "orgName"}

# Words that make a capitalised sequence an institution or an event, not a person.
_NOT_PERSON = frozenset([
    "Council", "Committee", "Party", "Republic", "Union", "War", "Revolution", "Ministry", "Society",
    "Federation", "Government", "Doctrine", "Crisis", "Fleet", "Pact", "Plan", "Program", "Programme",
    "Conference", "Security", "World", "Army", "Navy", "Force", "Forces", "Department", "Section",
    "Organization", "Organisation", "Agency", "Office", "Assembly", "Congress", "Center", "Centre",
    "Foundation", "Archive", "Digital", "History", "Policy", "Public", "People", "Peoples", "Great", "Leap",
    "Forward", "Middle", "East", "West", "North", "South", "Sea", "Ocean", "Islands", "Island", "Canal",
    "Dam", "Parallel", "States", "Kingdom", "Empire", "Front", "Movement", "Bureau", "Presidium",
    "Politburo", "Soviet", "Soviets", "Communist", "Communists", "Socialist", "Chinese", "Russian",
    "Russians", "American", "Americans", "British", "French", "German", "Japanese", "Arab", "Arabs",
    "Iraqi", "Iraqis", "Kurdish", "Iranian", "Turkish", "Indian", "Vietnamese", "Translation", "English",
    "Russian", "Record", "Conversation", "Comrade", "Comrades", "Cde", "Cdes", "Delegation", "Daily",
    "Appeal", "Affairs", "Foreign", "Ministers", "Chairman", "Deputy", "Secretary", "General", "President",
    "Prime", "Minister", "Ambassador", "Chief", "Staff", "Marshal", "King", "Sheikh", "Doctor", "Mr", "Mrs",
    "Attorney", "Landowner", "Representative", "Entrepreneur", "Union", "Works", "Documents", "Biography",
    "Relations", "Victory", "Commander", "Allied", "Supreme", "Collected", "Selected", "Complete",
])
_STOP = frozenset([
    "The", "A", "An", "In", "On", "At", "Of", "And", "Or", "But", "For", "To", "From", "By", "With", "As",
    "If", "Then", "When", "While", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "You", "Our", "Their", "His", "Her", "My", "Your", "Yes", "No", "Not", "So", "Now", "Here",
    "There", "What", "Who", "Whom", "Why", "How", "Where", "After", "Before", "During", "Until", "Since",
    "Because", "Although", "Right", "Also", "Even", "Only",
])
_TITLES = (r"(?:Cdes?\.|Comrades?|Mr\.|Mrs\.|Dr\.|Doctor|General|Marshal|President|Sheikh|King|Prime[- ]"
           r"Minister|Minister|Ambassador|Attorney|Chairman)")
_TITLED = re.compile(_TITLES + r"\s+((?:[A-Z]\.\s?)*[A-Z][\w’'-]+(?:\s[A-Z][\w’'-]+){0,2})")
_INITIALS = re.compile(r"\b((?:[A-Z]\.\s?){1,3}[A-Z][a-z][\w’'-]+)")
_CAPS_RUN = re.compile(r"\b([A-Z][a-z][\w’'-]*(?:\s(?:al-|el-|bin\s|ibn\s)?[A-Z][a-z][\w’'-]*){1,3})")


@dataclass(frozen=True)
class Entry:
    """A register entry a name can point to."""

    kind: str  # person, place, org
    id: str
    file: str  # the register's file name, e.g. persons.xml
    label: str


@dataclass
class Match:
    """A name found in a text: where, and the entries its form belongs to."""

    start: int
    end: int
    entries: tuple[Entry, ...]

    @property
    def unique(self) -> Entry | None:
        return self.entries[0] if len(self.entries) == 1 else None


@dataclass
class Registers:
    """Name forms of the registers, ready for matching."""

    entries: dict[str, Entry] = field(default_factory=dict)
    forms: dict[str, list[tuple[tuple[str, ...], tuple[str, ...], Entry]]] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def add_form(self, form: str, entry: Entry) -> None:
        """Index one written form of an entry (ignored when it cannot be matched safely)."""
        form = " ".join(form.split())
        if form.lower().startswith("the "):
            form = form[4:]
        tokens, gaps = tokenize_form(form)
        if not tokens or (len(tokens) == 1 and not tokens[0][:1].isupper()):
            return
        key = tokens[0].upper()
        bucket = self.forms.setdefault(key, [])
        if not any(t == tokens and g == gaps and e == entry for t, g, e in bucket):
            bucket.append((tokens, gaps, entry))

    def __len__(self) -> int:
        return len(self.entries)

    def __repr__(self) -> str:  # the forms are thousands: a test report names the registers only
        return f"Registers({len(self.entries)} entries from {', '.join(self.files) or 'no file'})"

    def person_ids(self) -> set[str]:
        return {e.id for e in self.entries.values() if e.kind == "person"}


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """Word tokens of ``text`` with their offsets; a possessive "’s" is not part of the name."""
    out = []
    for m in _TOKEN.finditer(text):
        word, start, end = m.group(0), m.start(), m.end()
        p = _POSSESSIVE.search(word)
        if p and len(word) > 2:
            word, end = word[: p.start()], start + p.start()
        out.append((word, start, end))
    return out


def tokenize_form(form: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name form as tokens and the punctuation between them (spaces ignored)."""
    tokens = tokenize(form)
    gaps = tuple("".join(form[a[2]: b[1]].split()) for a, b in itertools.pairwise(tokens))
    return tuple(t[0] for t in tokens), gaps


def _same(text_token: str, form_token: str) -> bool:
    if text_token == form_token:
        return True
    return text_token.isupper() and text_token == form_token.upper()


def find_names(text: str, registers: Registers) -> list[Match]:
    """Non-overlapping names in ``text``, longest form first, left to right."""
    tokens = tokenize(text)
    matches: list[Match] = []
    i = 0
    while i < len(tokens):
        word = tokens[i][0]
        best: tuple[int, set[Entry]] | None = None
        for form, gaps, entry in registers.forms.get(word.upper(), ()):
            n = len(form)
            if i + n > len(tokens):
                continue
            if not all(_same(tokens[i + k][0], form[k]) for k in range(n)):
                continue
            if any("".join(text[tokens[i + k][2]: tokens[i + k + 1][1]].split()) != gaps[k]
                   for k in range(n - 1)):
                continue
            if best is None or n > best[0]:
                best = (n, {entry})
            elif n == best[0]:
                best[1].add(entry)
        if best:
            n, entries = best
            matches.append(Match(tokens[i][1], tokens[i + n - 1][2],
                                 tuple(sorted(entries, key=lambda e: (e.kind, e.id)))))
            i += n
        else:
            i += 1
    return matches


def person_candidates(text: str, known: list[tuple[int, int]]) -> list[str]:
    """Person-like names in ``text`` that no register form covered, for the editor to review.

    Three shapes are looked for: a title before a name ("Cde. Popov",
    "Marshal Skripko"), initials before a surname ("N. Kotov"), and runs of two
    to four capitalised words that contain no word of an institution or event.
    """
    found: list[tuple[int, str]] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in known)

    for pattern in (_TITLED, _INITIALS, _CAPS_RUN):
        for m in pattern.finditer(text):
            name = m.group(1).strip()
            start = m.start(1)
            words = name.split()
            if not free(start, start + len(name)):
                continue
            checked = words if pattern is _CAPS_RUN else words[-1:]
            if any(w.strip(".,") in _NOT_PERSON | _STOP for w in checked):
                continue
            if any(name in f or f in name for _, f in found):
                continue
            found.append((start, name))
    return [name for _, name in sorted(found)]


def load_registers(files: dict[str, Path]) -> Registers:
    """Read the registers (``{"persons": path, ...}``) through the safe parser.

    A register that is missing or not TEI contributes nothing: the import still
    runs, and its names are listed for review instead of linked.
    """
    registers = Registers()
    for path in files.values():
        try:
            root = read_source(Path(path)).root
        except SourceError:
            continue
        registers.files[path.name] = Path(path)
        for kind, name_tag in KINDS.items():
            for el in root.iter(f"{{{TEI_NS}}}{kind}"):
                entry_id = el.get(XML_ID)
                if not entry_id:
                    continue
                names = el.findall(f"{{{TEI_NS}}}{name_tag}")
                if not names:
                    continue
                label = " ".join(_direct_text(names[0]).split())
                entry = Entry(kind, entry_id, path.name, label)
                registers.entries[entry_id] = entry
                for name in names:
                    for form in _forms(name, kind):
                        registers.add_form(form, entry)
    return registers


def _direct_text(el: etree._Element) -> str:
    """The name as written, without its variants (addName) inside."""
    out: list[str] = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str) and etree.QName(child).localname != "addName":
            out.append(_direct_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _forms(name: etree._Element, kind: str) -> list[str]:
    """Every written form of one name element."""
    forms = [_direct_text(name)]
    if kind != "person":
        return forms
    forename = name.find(f"{{{TEI_NS}}}forename")
    surname = name.find(f"{{{TEI_NS}}}surname")
    for add in name.iterfind(f"{{{TEI_NS}}}addName"):
        forms.append("".join(add.itertext()))
    if surname is not None:
        sur = "".join(surname.itertext()).strip()
        surname_first = forename is not None and _precedes(surname, forename)
        if len(sur) >= 3 or forename is None:
            forms.append(sur)
        if forename is not None:
            fore = "".join(forename.itertext()).strip()
            forms.append(f"{sur} {fore}" if surname_first else f"{fore} {sur}")
            if not surname_first:
                initials = [w[0] for w in re.findall(r"[^\W\d_][\w’'-]*", fore)]
                variants = [sur] + [v for v in forms[1:] if len(v.split()) == 1 and v[:1].isupper()]
                for surname_form in dict.fromkeys(variants):  # "N. S. Krushchev" too
                    if initials:
                        forms.append(" ".join(f"{i}." for i in initials) + f" {surname_form}")
                        forms.append(f"{initials[0]}. {surname_form}")
    return forms


def _precedes(a: etree._Element, b: etree._Element) -> bool:
    parent = a.getparent()
    return parent is b.getparent() and parent.index(a) < parent.index(b)
