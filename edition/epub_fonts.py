"""The EPUB's embedded fonts: subsets of the system's fonts, covering every character of the book.

A reading system without the right fonts shows empty boxes for Vietnamese
tone marks or the Chinese characters of the notes, and nobody notices the
lost words. So the book carries its fonts, cut down with fontTools to the
characters it uses (a full WenQuanYi Micro Hei is 5 MB; its subset here a
few kilobytes), and the build stops (E-GLYPH) when a character is covered
by none of them, as the print build does. The faces and their licences are
listed in xslt/epub/fonts.xml, which the colophon reproduces.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from . import fonts
from .sources import safe_parser

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

FONTS_XML = Path(__file__).resolve().parent.parent / "xslt" / "epub" / "fonts.xml"


@dataclass(frozen=True)
class Face:
    """One font face of the book, as fonts.xml lists it."""

    family: str
    style: str
    weight: str
    pattern: str  # the fontconfig pattern that finds it
    file: str  # its name in the EPUB's fonts/ folder
    licence: str
    fallback: bool  # sets only what the other faces lack


@dataclass(frozen=True)
class EmbeddedFont:
    face: Face
    data: bytes
    characters: int


def faces(path: Path = FONTS_XML) -> list[Face]:
    root = etree.parse(str(path), safe_parser()).getroot()
    return [Face(f.get("family"), f.get("style"), f.get("weight"), f.get("pattern"), f.get("file"),
                 f.get("licence"), f.get("fallback") == "true") for f in root.iter("font")]


def _load(path: Path) -> TTFont:
    # fontTools is imported here, not with the module: the builders' package (which every worker
    # process imports) stays quick to import
    from fontTools.ttLib import TTFont

    # the first font of a collection (WenQuanYi Micro Hei, not its Mono); the timestamp kept as it
    # is, so that a subset made twice is the same file twice
    number = 0 if path.suffix.lower() == ".ttc" else -1
    return TTFont(str(path), fontNumber=number, recalcTimestamp=False)


def _visible(c: str) -> bool:
    """Whether a character needs a glyph: not a space, a control or an invisible format character
    (a private-use character does: a reader would see an empty box)."""
    return not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp")


def embed(text: str, book_faces: list[Face] | None = None) -> tuple[list[EmbeddedFont], list[str]]:
    """Subset each face to the characters of ``text`` it is to set.

    Returns the fonts (a face with nothing to set is left out) and the visible
    characters that no face covers (empty when the book can be shown in full).
    """
    book_faces = faces() if book_faces is None else book_faces
    wanted = {ord(c) for c in text if _visible(c) or c == " " or c == "\u00a0"}
    maps: dict[Face, tuple[Path, set[int]]] = {}
    for face in book_faces:
        path = fonts.font_file(face.pattern)
        if path is not None:
            font = _load(path)
            maps[face] = (path, set(font.getBestCmap() or {}))
            font.close()
    main = [cover for face, (_, cover) in maps.items() if not face.fallback]
    main_cover = set.intersection(*main) if main else set()
    embedded = []
    for face, (path, cover) in maps.items():
        mine = (wanted - main_cover if face.fallback else wanted) & cover
        if mine:
            embedded.append(EmbeddedFont(face, _subset(path, mine), len(mine)))
    covered = set().union(*(cover for _, cover in maps.values())) if maps else set()
    missing = sorted({chr(c) for c in wanted - covered if _visible(chr(c))})
    return embedded, missing


def _subset(path: Path, unicodes: set[int]) -> bytes:
    from fontTools import subset

    options = subset.Options()
    options.name_IDs = ["*"]  # keep the copyright and licence strings the licences ask to keep
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False
    options.drop_tables += ["FFTM"]  # FontForge's timestamps: nothing a reader needs
    font = _load(path)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(unicodes))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    font.close()
    return out.getvalue()


def font_face_css(fonts: list[EmbeddedFont], folder: str = "../fonts/") -> str:
    """@font-face rules for the embedded subsets, in the order fonts.xml lists them."""
    rules = []
    for font in fonts:
        f = font.face
        rules.append(f'@font-face {{ font-family: "{f.family}"; font-style: {f.style}; '
                     f'font-weight: {f.weight}; src: url("{folder}{f.file}") format("truetype"); }}')
    return "\n".join(rules) + "\n"
