"""Dates as transcripts print them, read into ISO dates for ``@when``.

The catalogue line ("July 3, 1959"), the record's own date ("19 November,
1958", "3 July 1959"), the blog's ("Tuesday, December 10, 2024"), the
Vietnamese translation's ("Ngày 3 tháng 7 năm 1959") and the archive's
upload date ("2024-10-23") all occur in the seeds.
"""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {name: i for i, name in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
_WEEKDAY = r"(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_PATTERNS = [
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})"),
    re.compile(r"[Nn]gày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<mon>\d{1,2})\s+năm\s+(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})"),
]


def find_date(text: str) -> tuple[str, str, int, int] | None:
    """The first full date in ``text``: (as printed, ISO, start, end), or None."""
    best = None
    for pattern in _PATTERNS:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[2]):
            iso = _iso(m)
            if iso:
                best = (m.group(0), iso, m.start(), m.end())
    return best


def parse_date(text: str) -> str:
    """The ISO form of a text that is a date and nothing else ("" if it is not one)."""
    found = find_date(text.strip())
    if found and found[2] == 0 and found[3] == len(text.strip()):
        return found[1]
    return ""


def _iso(m: re.Match) -> str:
    groups = m.groupdict()
    month = MONTHS[groups["month"].lower()] if groups.get("month") else int(groups["mon"])
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return ""
