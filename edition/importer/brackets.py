"""The transcripts' inline conventions, read into spans.

Square brackets carry most of the editorial apparatus of a translated record:

- ``[5]``, ``^[5]``, ``[^5]``: a footnote call (only for numbers the list of notes has);
- ``[?]``: the translator's doubt (``certainty``);
- ``[signature]``: a signature, not transcribed (``gap``);
- ``[Handwritten: ...]``: an annotation on the original (``note type="annotation"``);
- ``[... – A.P. & N.P]``, ``(... – A.P. & N. P.)``: an inline note signed by the editors;
- ``[email protected]``: a scrape defect, kept as it is and listed for the editor;
- any other ``[...]``: words the translator supplied (``supplied``), or, when they are
  a transliteration, the original's wording (``supplied reason="original-wording"``
  around ``foreign``); inside a note, the note's editors supplied them.

Also Markdown italics, autolinks and escapes, "(Ironically)." as a delivery
direction, and Chinese characters with the pinyin before them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import Inline, Span

_INITIALS = r"(?:[A-Z]\.?\s?){1,3}(?:\s*&\s*(?:[A-Z]\.?\s?){1,3})?\.?"
_INLINE = re.compile(
    r"(?P<call>\^\[(?P<n1>\d{1,3})\]|\[\^?(?P<n2>\d{1,3})\])"
    r"|(?P<doubt>\[\s*\?\s*\])"
    r"|(?P<sig>\[(?P<sigtext>signature|chữ ký)\])"
    r"|(?P<hand>\[\s*(?P<hlabel>[Hh]andwritten[^:\]\n]{0,60}|[Vv]iết tay[^:\]\n]{0,60}):"
    r"\s*(?P<htext>[^\]]*)\])"
    r"|(?P<email>\[email\s*protected\])"
    r"|(?P<bracket>\[(?P<btext>[^\[\]]+)\])"
    rf"|(?P<edparen>\((?P<ptext>[^()]{{3,}}?\s[–—-]\s*{_INITIALS})\))"
    r"|(?P<delivery>\((?P<dtext>[A-Za-z][a-z]+ly)\)\.?)"
    r"|(?P<italic>(?<![\w*\\])\*(?=[^\s*])(?P<itext>[^*\n]+?)(?<=[^\s*\\])\*(?![\w*]))"
    r"|(?P<url><(?P<utext>https?://[^\s<>]+)>)"
    r"|(?P<cjk>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)"
)
_SIGNED = re.compile(rf"\s[–—-]\s*{_INITIALS}$")
_STAR = re.compile(r"\\?\*")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|])")
# Letter groups that English words do not have and Russian transliterations do.
_TRANSLIT = re.compile(r"kh|zh|shch|yy|ykh\b|[’ʹ]|\w(?:iy|yi|ye|nye|aya|oye|sky|skiy|skii)\b"
                       r"|ovat|evat|ochn|nut\b"
                       r"|(?<![aeiou])ts[aeiouy]")
_ENGLISH_SUFFIX = re.compile(r"(?:ments?|tions?|ness|ing|ed|ly|ers?|ors?|ies|ous|ful|ship|able|ible)$")
_PINYIN_BEFORE = re.compile(r"\(([a-z]+(?: [a-z]+){0,4})$")


@dataclass
class InlineContext:
    """What inline reading needs to know about the document it is in."""

    note_numbers: set[int] = field(default_factory=set)  # numbers the list of notes has
    called: set[int] = field(default_factory=set)  # numbers already placed (a note stands at one call)
    vocabulary: set[str] = field(default_factory=set)  # the document's own words outside brackets
    in_note: bool = False
    review: list[str] = field(default_factory=list)
    repairs: list[str] = field(default_factory=list)


def parse_inline(text: str, ctx: InlineContext) -> list[Inline]:
    """Read one unit's text into strings and spans. Every word of ``text`` stays."""
    out: list[Inline] = []
    pos = 0
    for m in _INLINE.finditer(text):
        if m.start() < pos:
            continue
        _plain(text[pos: m.start()], out, ctx)
        pos = m.end()
        kind = m.lastgroup
        span = _span(m, kind, ctx, out)
        if span is None:
            _plain(m.group(0), out, ctx, escapes=False)
        elif isinstance(span, list):
            out.extend(span)
        else:
            out.append(span)
    _plain(text[pos:], out, ctx)
    return _merge(out)


def _span(m: re.Match, kind: str | None, ctx: InlineContext, out: list[Inline]) -> Span | list[Inline] | None:
    if kind == "call":
        n = int(m.group("n1") or m.group("n2"))
        if n not in ctx.note_numbers:
            return None
        if n in ctx.called:
            ctx.review.append(f"footnote call [{n}] repeated: the second call is left as text")
            return None
        ctx.called.add(n)
        _strip_trailing_space(out)
        return Span("note", meta={"call": n})
    if kind == "doubt":
        _strip_trailing_space(out)
        return Span("certainty", {"cert": "low", "locus": "value"}, meta={"resp": "tr"})
    if kind == "sig":
        return Span("gap", {"reason": "signature"}, [Span("desc", {}, [m.group("sigtext")])])
    if kind == "hand":
        content = parse_inline(m.group("htext").strip(), InlineContext(
            vocabulary=ctx.vocabulary, review=ctx.review, repairs=ctx.repairs))
        return Span("note", {"type": "annotation"}, content,
                     meta={"annotation": True, "label": m.group("hlabel").strip(),
                           "place": annotation_place(m.group("hlabel"))})
    if kind == "email":
        ctx.review.append("scrape defect '[email protected]': the address was lost; "
                          "repair it with choice/sic/corr")
        return None
    if kind == "bracket":
        inner = m.group("btext")
        if _SIGNED.search(inner):
            return _editorial_note(inner)
        if not inner.strip():
            return None
        return supplied(inner, ctx)
    if kind == "edparen":
        return ["(", _editorial_note(m.group("ptext")), ")"]
    if kind == "delivery":
        return Span("stage", {"type": "delivery"}, [m.group(0)])
    if kind == "italic":
        inner = m.group("itext")
        if is_transliteration(inner, ctx.vocabulary):
            return Span("foreign", {"xml:lang": "ru-Latn", "rend": "italic"}, [inner])
        ctx.repairs.append("Markdown italics (*...*) are encoded as hi rend='italic'")
        return Span("hi", {"rend": "italic"}, parse_inline(inner, ctx))
    if kind == "url":
        ctx.repairs.append("the angle brackets of Markdown links around web addresses are removed")
        return Span("ref", {"target": m.group("utext")}, [m.group("utext")])
    if kind == "cjk":
        spans: list[Inline] = []
        if out and isinstance(out[-1], str):
            before = _PINYIN_BEFORE.search(out[-1])
            if before:
                out[-1] = out[-1][: before.start(1)]
                spans.append(Span("foreign", {"xml:lang": "zh-Latn"}, [before.group(1)]))
        spans.append(Span("foreign", {"xml:lang": "zh-Hans"}, [m.group(0)]))
        return spans
    return None


def supplied(inner: str, ctx: InlineContext) -> Span:
    """Bracketed words: supplied by the translator (or a note's editors), or the original's wording."""
    if ctx.in_note:
        return Span("supplied", {"reason": "editorial"}, parse_inline(inner, _child(ctx)),
                    meta={"resp": "ed"})
    if is_transliteration(inner, ctx.vocabulary):
        italic = re.fullmatch(r"\*([^*]+)\*", inner.strip())
        text = italic.group(1) if italic else inner
        attrs = {"xml:lang": "ru-Latn"}
        if italic:
            attrs["rend"] = "italic"
            ctx.repairs.append("Markdown italics (*...*) inside brackets are encoded as rend='italic'")
        return Span("supplied", {"reason": "original-wording"}, [Span("foreign", attrs, [text])])
    return Span("supplied", {"reason": "translator"}, parse_inline(inner, _child(ctx)))


def _child(ctx: InlineContext) -> InlineContext:
    return InlineContext(ctx.note_numbers, ctx.called, ctx.vocabulary, ctx.in_note, ctx.review, ctx.repairs)


def _editorial_note(inner: str) -> Span:
    return Span("note", {"type": "editorial", "place": "inline"}, [inner.strip()], meta={"resp": "ed"})


def is_transliteration(text: str, vocabulary: set[str]) -> bool:
    """Whether bracketed lowercase words read as a Russian transliteration, not English.

    The signs are letter groups English spelling lacks ("kh", "zh", a soft sign
    "’", endings such as "-nye", "-sky"), or words the document never uses
    outside brackets that do not end like English words ("u nas").
    """
    words = re.findall(r"[^\W\d_]+(?:[’ʹ][^\W\d_]*)*", text.replace("*", ""))
    if not words or any(not w.isascii() and "’" not in w and "ʹ" not in w for w in words):
        return False
    if any(w[:1].isupper() for w in words[1:]) or (words[0][:1].isupper() and len(words) == 1):
        return False
    lowered = [w.lower() for w in words]
    if any(_TRANSLIT.search(w) for w in lowered):
        return True
    unknown = [w for w in lowered if w not in vocabulary and not _ENGLISH_SUFFIX.search(w)]
    return len(unknown) == len(lowered) and len(lowered) <= 4 and min(map(len, lowered)) <= 3


def annotation_place(label: str) -> str:
    """``top``, ``bottom`` or ``margin`` when the label says where the annotation is, else ""."""
    label = label.lower()
    if "bottom" in label or "cuối" in label:
        return "bottom"
    if "top" in label or "đầu trang" in label:
        return "top"
    if "margin" in label or "lề" in label:
        return "margin"
    return ""


def star_calls(content: list[Inline]) -> list[Inline]:
    """Turn a trailing "*" (or Markdown's "\\*") into the call of the annotation that follows."""
    for i in range(len(content) - 1, -1, -1):
        item = content[i]
        if isinstance(item, Span):
            if item.tag == "note":
                continue
            return content
        stars = list(_STAR.finditer(item))
        m = stars[-1] if stars else None
        if m is None:
            if item.strip():
                return content
            continue
        before, after = item[: m.start()], item[m.end():]
        if after.strip():
            return content
        return [*content[:i], before, Span("note", meta={"star": True}), after, *content[i + 1:]]
    return content


def _plain(text: str, out: list[Inline], ctx: InlineContext, escapes: bool = True) -> None:
    if not text:
        return
    if escapes:
        if _ESCAPE.search(text):
            ctx.repairs.append("Markdown escapes (\\*) are removed")
        text = _ESCAPE.sub(r"\1", text)
    parts = text.split("\n")
    for i, part in enumerate(parts):
        if i:
            out.append(Span("lb"))
        if part:
            out.append(part)


def _strip_trailing_space(out: list[Inline]) -> None:
    """A call or "[?]" belongs to the word before it: drop the space between."""
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip(" ")


def _merge(content: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in content:
        if isinstance(item, str):
            if not item:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] += item
                continue
        merged.append(item)
    return merged
