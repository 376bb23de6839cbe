"""The words of the seed transcripts, for "no word lost" tests of every output.

A seed is split into blocks (paragraphs, separated by blank lines). Web page
furniture is listed explicitly below, block by block, so that a test says
exactly what it does not compare. Transcription conventions that the TEI
expresses as markup are removed from the seed before comparing: footnote
call numbers "[n]", the labels "Handwritten:" and "handwritten at the bottom
of the first page:" (an annotation's @type, @place and @hand say it), and
markdown marks. Everything else is compared word for word, in order.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

SEEDS = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
TEI = "{http://www.tei-c.org/ns/1.0}"

# seed -> the TEI files its words must reach (xml/ names)
SEED_FILES = {
    "000_0bd261d7a4e33bcc.txt": ["kh-hcm-1959.xml"],
    "001_0e70625e75367dcf.txt": ["kh-hcm-1959-vi.xml", "kh-hcm-1959.xml"],
    "002_7b0134fe4d73c63e.txt": ["kh-mao-1958.xml"],
    "003_8e0fec4f384d07de.txt": ["kh-baghdad-1958.xml"],
    "004_a81975df5f5bf170.txt": ["kh-peace-1958.xml"],
}

# Blocks that are web page furniture, not part of a document: labels of the
# catalogue page, navigation, repeated links, empty headings.
FURNITURE = {
    "Skip to content", "Citation:", "Summary:", "Credits:", "Original Language:", "Contents:",
    "Document Information", "Source", "Original Archive", "Rights", "Original Uploaded Date",
    "Record ID", "Associated People & Organizations", "Associated Places", "Associated Topics",
    "Subjects Discussed", "Author(s):", "Translation - English",
    # the blog's own furniture (seed 001)
    "No comments:", "Post a Comment", "Type", "Language", "Donors",
}
_URL_ONLY = re.compile(r"^https?://\S+$")

_CONVENTIONS = [
    re.compile(r"\^?\[\d+\]"),  # footnote calls and list numbers
    re.compile(r"[Hh]andwritten(?: at the bottom of the first page)?:"),
    re.compile(r"viết tay ở cuối trang đầu tiên:"),
]
# A word is a run of letters or digits; a Chinese character is a word of its own (pages and
# PDFs may set it apart from a Latin word it touches in the seed).
_WORD = re.compile(r"[\u3400-\u9fff]|[^\W\u3400-\u9fff]+")


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def seed_blocks(seed: str) -> list[str]:
    """The seed's content blocks, conventions removed, furniture dropped."""
    text = (SEEDS / seed).read_text(encoding="utf-8")
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        plain = block.replace("*", "").replace("\\", "").strip()
        if not plain or plain in FURNITURE or _URL_ONLY.match(plain):
            continue
        for pattern in _CONVENTIONS:
            block = pattern.sub(" ", block)
        if words(block):
            blocks.append(block)
    return blocks


# Elements that stand apart from their neighbours (a word cannot run across them).
_BLOCKS = {f"{TEI}{n}" for n in [
    "p", "head", "ab", "item", "label", "note", "speaker", "stage", "closer", "opener", "dateline",
    "signed", "titlePart", "docTitle", "docDate", "byline", "docImprint", "div", "sp", "lb", "pb",
    "cell", "row", "list", "listBibl", "bibl", "biblStruct", "person", "place", "org",
]}

# Elements whose text is an editor's alternative reading, not the source's.
_ALTERNATIVES = {f"{TEI}corr", f"{TEI}reg", f"{TEI}expan"}


def _separate(el: etree._Element) -> bool:
    """Notes that stand apart from the running text in the seeds."""
    if el.tag != f"{TEI}note":
        return False
    return el.get("place") == "foot" or el.get("type") == "annotation"


def tei_texts(path: Path) -> list[str]:
    """The running text of a TEI file (header and text), and each separate note.

    Readings are diplomatic: inside choice, the source's reading (sic, orig,
    abbr) is kept and the editor's (corr, reg, expan) left out.
    """
    root = etree.parse(str(path)).getroot()
    separate: list[str] = []

    def walk(el: etree._Element, out: list[str], in_header: bool = False) -> None:
        if el.text:
            out.append(el.text)
        for child in el:
            if not isinstance(child.tag, str):
                pass
            elif _separate(child):
                inner: list[str] = []
                walk(child, inner)
                separate.append("".join(inner))
                out.append(" ")
            elif child.tag in _ALTERNATIVES and child.getparent().tag == f"{TEI}choice":
                pass
            else:
                header = in_header or child.tag == f"{TEI}teiHeader"
                apart = header or child.tag in _BLOCKS
                out.append(" " if apart else "")
                walk(child, out, header)
                out.append(" " if apart else "")
            if child.tail:
                out.append(child.tail)

    running: list[str] = []
    walk(root, running)
    return ["".join(running), *separate]


# The blog post (seed 001) reprints the English record with its own slips. Each is
# recorded in the Vietnamese file's header (notesStmt), and compared as the record reads.
BLOG_VARIANTS = {"but where then forced to pull back": "but were then forced to pull back"}


def missing_blocks(seed: str, texts: list[str]) -> list[str]:
    """Seed blocks whose words do not appear, contiguous and in order, in any text."""
    haystacks = [" " + " ".join(words(t)) + " " for t in texts]
    missing = []
    for block in seed_blocks(seed):
        if seed.startswith("001"):
            for variant, reading in BLOG_VARIANTS.items():
                block = block.replace(variant, reading)
        needle = " " + " ".join(words(block)) + " "
        if not any(needle in h for h in haystacks):
            missing.append(block)
    return missing


# What the HTML, EPUB and print pages add to the text for readers, and so leave
# out when they are compared with the seeds: note calls (the seeds' "[n]" are
# removed too), paragraph anchors, labels, and the corrected readings (the
# seeds have the source's reading, which the pages also show).
HTML_APPARATUS = ("a.noteref", "a.anchor", "a.backref", ".label", ".annotation-label", ".corr",
                  ".annotation-mark", "script", "style", "nav", "header.site", "footer.site", ".view-switch")


_HTML_BLOCKS = ("br", "p", "div", "section", "article", "aside", "header", "footer", "main", "nav", "h1",
                "h2",
                "h3", "h4", "h5", "h6", "li", "dt", "dd", "details", "summary", "tr", "td", "th", "pre",
                "blockquote", "figcaption", "caption", "table", "ul", "ol", "dl")


def _xpath(selector: str) -> str:
    tag, _, cls = selector.partition(".")
    test = f"[contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')]" if cls else ""
    return f"//{tag or '*'}{test}"


def html_texts(path: Path) -> list[str]:
    """The running text of an HTML page and, separately, each footnote."""
    from lxml import html as lxml_html

    root = lxml_html.parse(str(path)).getroot()
    blocks = [*root.iter(*_HTML_BLOCKS), *root.xpath(_xpath(".annotation"))]  # display: block in the CSS
    for el in blocks:  # block boundaries separate words, as a reader sees them
        el.tail = "\n" + (el.tail or "")
        el.text = "\n" + (el.text or "")
    for selector in HTML_APPARATUS:
        for el in root.xpath(_xpath(selector)):
            el.drop_tree()  # keeps the text that follows it in place
    notes = []
    for aside in root.xpath(_xpath("aside.footnote")):
        notes.append(aside.text_content())
        aside.drop_tree()
    return [root.text_content(), *notes]


def missing_blocks_in_order(seed: str, texts: list[str], slack: int = 30) -> list[str]:
    """Seed blocks whose words appear in order in one of ``texts``, allowing a few others between.

    For print, where the reading text stands with its apparatus: a corrected reading is
    followed by the source's ("Iran [source: Iraq]"); ``slack`` is how many words that
    are not the block's may come between its words, in all.
    """
    streams = []
    for text in texts:
        tokens = words(text)
        positions: dict[str, list[int]] = {}
        for i, token in enumerate(tokens):
            positions.setdefault(token, []).append(i)
        streams.append((tokens, positions))
    missing = []
    for block in seed_blocks(seed):
        if seed.startswith("001"):
            for variant, reading in BLOG_VARIANTS.items():
                block = block.replace(variant, reading)
        needle = words(block)
        if not any(_in_order(tokens, start, needle, slack)
                   for tokens, positions in streams for start in positions.get(needle[0], [])):
            missing.append(block)
    return missing


def _in_order(tokens: list[str], start: int, needle: list[str], slack: int) -> bool:
    i, budget = start, slack
    for word in needle[1:]:
        i += 1
        while i < len(tokens) and tokens[i] != word:
            i += 1
            budget -= 1
            if budget < 0:
                return False
        if i >= len(tokens):
            return False
    return True
