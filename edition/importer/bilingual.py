"""Texts that interleave two languages paragraph by paragraph (seed 001).

A blog post that reprints a record gives each group of English paragraphs
followed by their translation. Each block's language is told by its letters
(Vietnamese by its tone-marked vowels and đ, Russian by Cyrillic, Chinese by
its characters); a text is bilingual when two languages each have several
blocks and alternate. The two languages become two texts, and each element
of the translation points (``@corresp``) to the element(s) of the first text it
translates: within each pair of runs, pieces of the same kind (heading,
dateline, annotation, paragraph, closer...) are aligned in order, one to one
when the counts agree and proportionally when they do not.
"""

from __future__ import annotations

from .blocks import Block
from .model import Document, Turn, Unit

_VI = set("ăâđêôơưĂÂĐÊÔƠƯ"
          "àảãạằắẳẵặầấẩẫậèẻẽẹềếểễệìỉĩịòỏõọồốổỗộờớởỡợùủũụừứửữựỳỷỹỵýáéíóú"
          "ÀẢÃẠẰẮẲẴẶẦẤẨẪẬÈẺẼẸỀẾỂỄỆÌỈĨỊÒỎÕỌỒỐỔỖỘỜỚỞỠỢÙỦŨỤỪỨỬỮỰỲỶỸỴÝÁÉÍÓÚ")
_VI_ONLY = set("ăđơưĂĐƠƯảãạằắẳẵặầấẩẫậẻẽẹềếểễệỉĩịỏõọồốổỗộờớởỡợủũụừứửữựỳỷỹỵ")
LANGUAGE_NAMES = {"en": "English", "vi": "Vietnamese", "ru": "Russian", "zh": "Chinese"}


def block_language(text: str, default: str = "en") -> str:
    """The language a block is written in, as far as its letters tell."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return default
    cyrillic = sum("\u0400" <= c <= "\u04ff" for c in letters)
    cjk = sum("\u3400" <= c <= "\u9fff" for c in letters)
    vi = sum(c in _VI for c in letters)
    vi_only = sum(c in _VI_ONLY for c in letters)
    if cyrillic / len(letters) > 0.5:
        return "ru"
    if cjk / len(letters) > 0.3:
        return "zh"
    if vi_only and vi / len(letters) > 0.06:
        return "vi"
    return default


Runs = list[tuple[str, list[int]]]


def split(blocks: list[Block], default: str = "en") -> tuple[dict[str, list[Block]], Runs]:
    """The blocks of each language, and the runs (language, block indexes) in order.

    A text in one language gives one entry and one run. Blocks too short to tell
    (a date, a name) go with the language of the block before them.
    """
    langs: dict[str, list[Block]] = {}
    runs: list[tuple[str, list[int]]] = []
    current = default
    for block in blocks:
        lang = block_language(block.text, current if len(block.text.split()) < 4 else default)
        current = lang
        langs.setdefault(lang, []).append(block)
        if runs and runs[-1][0] == lang:
            runs[-1][1].append(block.index)
        else:
            runs.append((lang, [block.index]))
    return langs, runs


def is_bilingual(langs: dict[str, list[Block]], runs: list[tuple[str, list[int]]]) -> bool:
    """Two languages with three or more blocks each, alternating at least twice each way."""
    big = [lang for lang, bs in langs.items() if len(bs) >= 3]
    return len(big) == 2 and sum(1 for lang, _ in runs if lang in big) >= 4


_CLASS = {"p": "text", "stage": "text", "head": "head", "docDate": "date", "dateline": "dateline",
          "annotation": "annotation", "closer": "closer", "source": "source", "title": "title",
          "date": "pagedate", "credits": "credits", "abstract": "abstract"}


def units_by_block(doc: Document) -> list[Unit]:
    """Every alignable unit of a document, in reading order."""
    out: list[Unit] = [u for u in (doc.date_unit, doc.title_unit, doc.credits_unit) if u is not None]
    out += doc.front
    for item in doc.body:
        out += item.paras if isinstance(item, Turn) else [item]
    if doc.abstract_unit is not None:
        out.append(doc.abstract_unit)
    out += doc.commentary
    return out


def align(first: Document, second: Document, runs: list[tuple[str, list[int]]]) -> int:
    """Point each unit of ``second`` to the units of ``first`` it translates; returns how many were aligned.

    A run of the second language translates the run of the first language
    before it.
    """
    lang_a, lang_b = first.lang, second.lang
    units_a, units_b = units_by_block(first), units_by_block(second)
    aligned = 0
    previous_a: list[int] = []
    for lang, indexes in runs:
        if lang == lang_a:
            previous_a = indexes
            continue
        if lang != lang_b:
            continue
        in_a = [u for u in units_a if u.block in previous_a or (u.block == -1 and u.role == "abstract")]
        in_b = [u for u in units_b if u.block in indexes]
        for cls in dict.fromkeys(_CLASS[u.role] for u in in_b if u.role in _CLASS):
            a = [u for u in in_a if _CLASS.get(u.role) == cls]
            b = [u for u in in_b if _CLASS.get(u.role) == cls]
            if not a:
                continue
            for j, unit in enumerate(b):
                lo = j * len(a) // len(b)
                hi = max(lo + 1, (j + 1) * len(a) // len(b))
                unit.corresp = [u.uid for u in a[lo:hi] if u.uid]
                aligned += bool(unit.corresp)
    return aligned
