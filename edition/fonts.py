"""Glyph coverage: every character of a text must be in one of the fonts that set it.

A PDF that shows an empty box for a missing glyph has lost a word without
anyone noticing, so the print build checks coverage with fontTools before
WeasyPrint lays out a page, and fails with the list of uncovered characters.
"""

from __future__ import annotations

import subprocess
import unicodedata
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont


@cache
def font_file(pattern: str) -> Path | None:
    """The file fontconfig uses for a family (or a pattern, "DejaVu Serif:style=Bold"), if it has
    that family at all."""
    family = pattern.split(":")[0].strip()
    try:
        run = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", pattern],
                             capture_output=True, text=True, timeout=30, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = run.stdout.partition("\n")
    if family.lower() not in (f.strip().lower() for f in families.split(",")):
        return None  # fontconfig substituted another family: this one is not installed
    return Path(file)


@cache
def covered(family: str) -> frozenset[int]:
    """The code points a family's font maps to glyphs."""
    path = font_file(family)
    if path is None:
        return frozenset()
    fonts = TTCollection(str(path)).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path), lazy=True)]
    points: set[int] = set()
    for font in fonts:
        points.update(font.getBestCmap() or {})
    return frozenset(points)


def uncovered(text: str, families: list[str]) -> list[str]:
    """The characters of ``text`` that none of ``families`` can show (spaces and controls aside)."""
    available = frozenset().union(*(covered(f) for f in families))
    missing = sorted({c for c in text if ord(c) not in available
                      and not c.isspace() and unicodedata.category(c)[0] not in "CZ"})
    return missing


def describe(characters: list[str]) -> str:
    return ", ".join(f"{c} (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in characters)
