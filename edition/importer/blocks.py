"""Reading a transcript: clean characters, split into blocks, undo Markdown.

Transcripts copied from web pages are plain text or Markdown. A *block* is a
run of non-blank lines (a paragraph of the page); everything else in the
importer works on blocks. Markdown marks (bold ``**``, escapes ``\\*``, hard line
breaks of two trailing spaces) are presentation of the web page, not text of the
document: they are undone here, but remembered (a block wholly in bold is
probably a heading; a hard break inside an annotation is a line of the original).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters XML 1.0 cannot hold: C0 controls other than tab, newline and
# carriage return, lone surrogates, and the two non-characters U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")


def clean(text: str) -> str:
    """NFC text with Unix newlines and only characters XML can hold.

    The edition requires NFC; control characters cannot be written to XML at
    all, so they become spaces (a word they separated stays separated).
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = _NOT_XML.sub(" ", text)
    return unicodedata.normalize("NFC", text)


@dataclass
class Block:
    """A paragraph of the transcript, with its lines as printed."""

    index: int
    lines: list[str]
    hard_breaks: list[bool] = field(default_factory=list)

    @property
    def raw(self) -> str:
        return "\n".join(self.lines)

    @property
    def text(self) -> str:
        """The block on one line, Markdown bold removed, lines joined by a space."""
        return " ".join(unbold(line).strip() for line in self.lines).strip()

    @property
    def plain(self) -> str:
        """The text as a label is compared: no asterisks or backslashes."""
        return " ".join(self.text.replace("*", "").replace("\\", "").split())

    @property
    def bold(self) -> bool:
        """Whether every line is wrapped in ``**`` (a heading or a title on the web page)."""
        return all(_is_bold_line(line) for line in self.lines if line.strip())


def _is_bold_line(line: str) -> bool:
    s = line.strip()
    return len(s) > 4 and s.startswith("**") and s.endswith("**") and "**" not in s[2:-2]


def unbold(text: str) -> str:
    """``**words**`` → ``words``; a stray ``**`` left by the scrape goes too."""
    text = _BOLD.sub(r"\1", text)
    return text.replace("**", "")


def split_blocks(text: str) -> list[Block]:
    """The blocks of a transcript: runs of lines separated by blank lines.

    A blank line is one of white space only (a no-break space left by the scrape
    counts as white space).
    """
    blocks: list[Block] = []
    current: list[str] = []
    breaks: list[bool] = []

    def close() -> None:
        if current:
            blocks.append(Block(len(blocks), list(current), list(breaks)))
            current.clear()
            breaks.clear()

    for line in text.split("\n"):
        if not line.strip():
            close()
            continue
        breaks.append(line.endswith("  "))
        current.append(line.rstrip())
    close()
    return blocks


def is_url(text: str) -> bool:
    """A block that is nothing but a web address (bare or as a Markdown autolink)."""
    return bool(re.fullmatch(r"<?https?://\S+?>?", text.strip()))
