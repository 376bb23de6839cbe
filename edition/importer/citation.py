"""The archival citation, parsed into the parts the header needs.

Wilson Center citations give the archival reference in Russian archival
abbreviations ("RGANI, f. 52, op. 1, d. 555, ll. 89-92"); records sometimes end
with the same reference in English ("RGANI. Collection 52. Inventory 1. File
498. Sheets 78-107."). Both read into repository, fond, opis, delo and folios,
the parts ``msIdentifier`` holds. Responsibilities ("Contributed by X and
translated by Y") and the record's URL and ID come from the same line.
"""

from __future__ import annotations

import re

# Repositories whose place is known, so the header can say where the original is.
REPOSITORIES = {
    "RGANI": ("Russia", "Moscow"),
    "RGASPI": ("Russia", "Moscow"),
    "GARF": ("Russia", "Moscow"),
    "AVPRF": ("Russia", "Moscow"),
    "AVP RF": ("Russia", "Moscow"),
    "APRF": ("Russia", "Moscow"),
    "RGAE": ("Russia", "Moscow"),
    "RGVA": ("Russia", "Moscow"),
    "TsAMO": ("Russia", "Podolsk"),
}

_NUM = r"(\d+[\w/-]*)"
_RU = re.compile(
    r"(?P<repo>\b[A-Z][A-Za-z]{1,9}(?: [A-Z]{1,3})?)[,.]\s+"
    r"(?:f|F|fond|Fond)\.?\s*(?P<fond>\d+[\w/-]*)[,.]\s*"
    r"(?:op|Op|opis|Opis)\.?\s*(?P<opis>\d+[\w/-]*)[,.]\s*"
    r"(?:d|D|delo|Delo)\.?\s*(?P<delo>\d+[\w/-]*)"
    r"(?:[,.]\s*(?:ll|l|Ll|L|listy|list)\.?\s*(?P<folios>\d+(?:\s*[-–]\s*\d+)?(?:ob\.?)?))?")
_EN = re.compile(
    r"(?P<repo>\b[A-Z][A-Za-z]{1,9})[,.]\s+Collection\s+(?P<fond>\d+[\w/-]*)[,.]\s*"
    r"Inventory\s+(?P<opis>\d+[\w/-]*)[,.]\s*File\s+(?P<delo>\d+[\w/-]*)"
    r"(?:[,.]\s*(?:Sheets?|Pages?|Folios?)\s+(?P<folios>\d+(?:\s*[-–]\s*\d+)?))?")
_CONTRIBUTED = re.compile(r"[Cc]ontributed by\s+(.+?)(?=\s+and\s+translated by|[.]\s|[.]?$)")
_TRANSLATED = re.compile(r"[Tt]ranslated by\s+(.+?)(?=[.]\s|[.]?$|\s+<)")
_URL = re.compile(r"<?(https?://[^\s>]+)>?")
_RECORD_ID = re.compile(r"/document/(\d+)(?:/|$)")


def parse_archival(text: str) -> dict[str, str]:
    """Repository, fond, opis, delo and folios of the first archival reference in ``text``."""
    for pattern in (_RU, _EN):
        m = pattern.search(text)
        if m:
            parts = {k: v for k, v in m.groupdict().items() if v}
            parts["text"] = m.group(0)
            parts["folios"] = re.sub(r"\s+", "", parts.get("folios", ""))
            if not parts["folios"]:
                del parts["folios"]
            return parts
    return {}


def is_archival_line(text: str) -> bool:
    """A block that is an archival reference (with, at most, responsibilities and a note on the copy)."""
    parts = parse_archival(text)
    if not parts:
        return False
    rest = text.replace(parts["text"], " ")
    rest = _CONTRIBUTED.sub(" ", rest)
    rest = _TRANSLATED.sub(" ", rest)
    return len(re.findall(r"\w+", rest)) <= 12 and text.strip().startswith(parts["repo"])


def responsibilities(text: str) -> tuple[str, str]:
    """(contributor, translator) named in a citation, "" where it names none."""
    contributor = _CONTRIBUTED.search(text)
    translator = _TRANSLATED.search(text)
    return (contributor.group(1).strip() if contributor else "",
            translator.group(1).strip().rstrip(".") if translator else "")


def urls(text: str) -> list[str]:
    """Every web address in ``text``, without Markdown's angle brackets."""
    return [m.group(1).rstrip(".,;") for m in _URL.finditer(text)]


def record_id(addresses: list[str]) -> str:
    """The archive's record ID, as the numeric last part of a document URL."""
    for url in addresses:
        m = _RECORD_ID.search(url)
        if m:
            return m.group(1)
    return ""


def place_of(repository: str) -> tuple[str, str]:
    """(country, settlement) of a known repository, or ("", "")."""
    return REPOSITORIES.get(repository, ("", ""))
