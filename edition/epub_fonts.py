"""The EPUB's embedded fonts: subsets of the system's fonts, covering every character of the book.

A reading system without the right fonts shows empty boxes for Vietnamese
tone marks or the Chinese characters of the notes, and nobody notices the
lost words. So the book carries its fonts, cut down with fontTools to the
characters it uses (a full WenQuanYi Micro Hei is 5 MB; its subset here a
few kilobytes), and the build stops (E-GLYPH) when a character is covered
by none of them, as the print build does. The faces and their licences are
listed in xslt/epub/fonts.xml, which the colophon reproduces.

Subsetting takes seconds (most of a small book's build), and a rebuild after
a changed document mostly wants the same characters again; so, given the
build's store, each face's coverage and each subset are kept there, under
the font file's bytes (and the characters asked for).
"""

from __future__ import annotations

import io
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from . import fonts
from .cache import Store, digest
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


def embed(text: str, book_faces: list[Face] | None = None,
          store: Store | None = None) -> tuple[list[EmbeddedFont], list[str]]:
    """Subset each face to the characters of ``text`` it is to set.

    Returns the fonts (a face with nothing to set is left out) and the visible
    characters that no face covers (empty when the book can be shown in full).
    With a ``store``, coverages and subsets made before are taken from it.
    """
    book_faces = faces() if book_faces is None else book_faces
    wanted = {ord(c) for c in set(text) if _visible(c) or c == " " or c == "\u00a0"}  # each once
    maps: dict[Face, tuple[Path, set[int]]] = {}
    for face in book_faces:
        path = fonts.font_file(face.pattern)
        if path is not None:
            maps[face] = (path, _coverage(path, store))
    main = [cover for face, (_, cover) in maps.items() if not face.fallback]
    main_cover = set.intersection(*main) if main else set()
    embedded = []
    for face, (path, cover) in maps.items():
        mine = (wanted - main_cover if face.fallback else wanted) & cover
        if mine:
            embedded.append(EmbeddedFont(face, _stored_subset(path, mine, store), len(mine)))
    covered = set().union(*(cover for _, cover in maps.values())) if maps else set()
    missing = sorted({chr(c) for c in wanted - covered if _visible(chr(c))})
    return embedded, missing


def _coverage(path: Path, store: Store | None) -> set[int]:
    """The code points a font file maps to glyphs (reading a large font's cmap takes a while)."""
    key = digest("font-coverage", _code_digest(), _file_digest(path))
    cached = store.get(key) if store is not None else None
    if cached is not None:
        return set(json.loads(cached))
    font = _load(path)
    cover = set(font.getBestCmap() or {})
    font.close()
    if store is not None:
        store.put(key, json.dumps(sorted(cover)).encode("ascii"))
    return cover


def _stored_subset(path: Path, unicodes: set[int], store: Store | None) -> bytes:
    """The subset of a font file to ``unicodes``, from the store when made before."""
    if store is None:
        return _subset(path, unicodes)
    key = digest("font-subset", _code_digest(), _file_digest(path), ",".join(map(str, sorted(unicodes))))
    cached = store.get(key)
    if cached is None:
        cached = _subset(path, unicodes)
        store.put(key, cached)
    return cached


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest_of_file(path, stat.st_mtime_ns, stat.st_size)


@cache
def _digest_of_file(path: Path, mtime_ns: int, size: int) -> str:
    """A font file's digest, read once per process while the file stays as it is."""
    return digest(path.read_bytes())


@cache
def _code_digest() -> str:
    """This module and fontTools' version: a subset made by other code or options is not used."""
    from fontTools import version

    return digest(Path(__file__).read_bytes(), version)


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
