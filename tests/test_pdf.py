"""The print edition, built for real with WeasyPrint and read back with poppler and pypdf."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

import edition
from edition.cache import CACHE_DIR
from edition.config import load_config

from .conftest import ROOT, XML
from .seedtext import SEED_FILES, missing_blocks_in_order, words

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


@pytest.fixture(scope="module")
def pdf(tmp_path_factory) -> Path:
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path_factory.mktemp("out"))
    [result] = edition.build(["pdf"], config=config)
    [path] = result.files
    return path


def reading_text(text: str) -> str:
    """PDF text as words: lines rejoined where a word was hyphenated at the end of a line."""
    text = re.sub(r"(\w)\u2010\s*\n\s*(\w)", r"\1\2", text)  # WeasyPrint hyphenates with U+2010
    return text


def pdftotext(path: Path, first: int | None = None, last: int | None = None) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if first:
        command += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def pages(pdf) -> list[str]:
    return pdftotext(pdf).split("\f")


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)


@pytest.fixture(scope="module")
def streams(pdf) -> tuple[str, ...]:
    """The PDF's words read back by position and size: the running text of every page
    joined into one stream (hyphenated words rejoined across lines and pages), the
    smaller type (footnotes, header blocks, annotations) as another, and on pages set in
    two columns (the parallel text) each column as a stream of its own. Running heads,
    page numbers and the superscript note calls are left out: they are not words of the
    sources."""
    from html import unescape

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    streams: dict[str, list[str]] = {"body": [], "small": [], "left": [], "right": []}
    for width, height, content in _PAGE.findall(out.stdout):
        boxes = [(float(x0), float(y0), float(x1), float(y1), unescape(t))
                 for x0, y0, x1, y1, t in _WORD.findall(content)]
        boxes = [b for b in boxes if b[1] >= 60 and b[3] <= float(height) - 68 and b[3] - b[1] >= 8]
        middle = float(width) / 2
        body = [b for b in boxes if b[3] - b[1] >= 11]
        columns = (any(b[2] < middle for b in body) and any(b[0] > middle for b in body)
                   and not any(b[0] < middle < b[2] for b in body))
        if columns:  # read each column line by line, top to bottom
            boxes.sort(key=lambda b: (b[0] > middle, b[3] - b[1] < 11, round(b[1] / 3), b[0]))
        for x0, y0, _x1, y1, word in boxes:
            if y1 - y0 < 11:
                target = streams["small"]
            elif columns:
                target = streams["left" if x0 < middle else "right"]
            else:
                target = streams["body"]
            if target and target[-1].endswith("\u2010"):
                target[-1] = target[-1][:-1] + word
            else:
                target.append(word)
    return tuple(" ".join(words_) for words_ in streams.values())


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_every_paragraph_and_note_is_in_the_pdf(streams, seed):
    missing = missing_blocks_in_order(seed, list(streams))
    assert not missing, "\n".join(m[:160] for m in missing)


def _page_of(pages: list[str], phrase: str, start: int = 0) -> int:
    target = " ".join(words(phrase))
    for i in range(start, len(pages)):
        if target in " ".join(words(reading_text(pages[i]))):
            return i + 1
    return 0


def _contents(pages: list[str]) -> tuple[int, list[tuple[str, str]]]:
    """The page of the table of contents (from 1) and its entries as (title, page number)."""
    index = next(i for i, page in enumerate(pages) if "Contents" in page.splitlines())
    entries, pending = [], ""
    lines = pages[index].splitlines()
    for line in lines[lines.index("Contents") + 1:]:  # an entry may take two lines
        m = re.match(r"(.*?)\s*(?:\.\s*)+(\d+)\s*$", line)
        if m:
            entries.append(((pending + " " + m.group(1)).strip(), m.group(2)))
            pending = ""
        elif line.strip() and line.strip() != "Contents":
            pending = line.strip()
    return index + 1, entries


def test_table_of_contents_gives_the_pages_where_documents_begin(pages):
    contents, entries = _contents(pages)
    assert contents % 2 == 1, "the contents open on a right-hand page"
    assert len(entries) >= 10
    for title, number in entries:
        first_words = " ".join(words(title)[:10])
        found = _page_of(pages, first_words, start=contents)
        assert found == int(number), (title, number, found)
        assert found % 2 == 1, f"{title} opens on a left-hand page"


def _link_targets(pdf: Path) -> list[tuple[int, str, int | None]]:
    """Every internal link of the PDF as (its page, its destination's name, the page it leads to)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    named = {name: reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}
    links = []
    for number, page in enumerate(reader.pages, 1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                name = str(annotation["/Dest"])
                links.append((number, name, named.get(name)))
    return links


def test_links_lead_into_the_book_or_to_the_web(pdf, pages):
    """A name or a cross-reference leads to its place in the book (a speaker to the register,
    a pointer into a record to that record), never to a page of the HTML site nor to a file."""
    from pypdf import PdfReader

    outside = []
    for number, page in enumerate(PdfReader(str(pdf)).pages, 1):
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/S") == "/URI":
                uri = str(action["/URI"])
                if not uri.startswith(("https://", "http://")):
                    outside.append((number, uri))
    assert not outside, outside[:5]
    registers = _page_of(pages, "Register of persons", start=_contents(pages)[0])
    into_registers = {name for page, name, target in _link_targets(pdf)
                      if name == "khrushchev" and target is not None and target >= registers}
    assert into_registers, "no speaker or participant links to Khrushchev's register entry"


def test_contents_link_to_the_pages_they_give_and_every_link_resolves(pdf, pages):
    contents, entries = _contents(pages)
    links = _link_targets(pdf)
    unresolved = [(page, name) for page, name, target in links if target is None]
    assert not unresolved, unresolved[:10]
    from_contents = dict.fromkeys((name, target) for page, name, target in links if page == contents)
    assert [target for _name, target in from_contents] == [int(number) for _title, number in entries]


def test_every_page_but_the_title_page_and_blank_pages_shows_its_number(pages):
    for number, text in enumerate(pages[:-1], 1):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if number == 1 or not lines:
            assert str(number) not in lines, f"page {number} should show no number"
        else:
            assert lines[-1] == str(number) or str(number) in lines[-3:], (number, lines[-3:])


def test_the_page_map_gives_where_each_document_begins(pdf, pages):
    import json

    saved = json.loads((pdf.parent / "page-map.json").read_text(encoding="utf-8"))
    page_of = {anchor: int(n) for n, anchors in saved["pages"].items() for anchor in anchors}
    assert page_of["kh-mao-1958"] == _page_of(pages, "Second Conversation of N.S. Khrushchev with Mao",
                                              start=_contents(pages)[0])
    tree = etree.parse(str(XML / "kh-mao-1958.xml"))
    for p in tree.xpath(".//tei:body//tei:p[@xml:id]", namespaces=TEI)[:40]:
        ident = p.get("{http://www.w3.org/XML/1998/namespace}id")
        first = " ".join(words("".join(p.xpath(".//text()[not(ancestor::tei:note)]", namespaces=TEI)))[:6])
        if first:
            found = _page_of(pages, first, start=page_of[ident] - 1)
            assert found == page_of[ident], (ident, first, found, page_of[ident])


def test_footnotes_sit_on_the_page_of_their_call(pages):
    tree = etree.parse(str(XML / "kh-mao-1958.xml"))
    start = _page_of(pages, "Second Conversation of N.S. Khrushchev with Mao Zedong", start=2)
    deferred = []
    for note in tree.iterfind(".//tei:text//tei:note[@place='foot']", TEI):
        before = note.xpath("string(preceding::text()[not(ancestor::tei:note)][1])", namespaces=TEI)
        call_words = " ".join(words(before)[-5:])
        reading = "".join(note.xpath(".//text()[not(ancestor::tei:sic)]", namespaces=TEI))
        note_words = " ".join(words(reading)[2:7])  # past the first words, which may carry apparatus
        note_page = _page_of(pages, note_words, start=start - 1)
        assert note_page, f"note {note.get('n')} not found"
        on_page = " ".join(words(reading_text(pages[note_page - 1])))
        if call_words and call_words not in on_page:
            deferred.append(note.get("n"))
    print(f"footnotes set on another page than their call: {deferred or 'none'}")
    assert len(deferred) <= 3, deferred


def test_bookmarks_and_metadata(pdf):
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert "Introduction" in titles and "Editorial principles" in titles
    assert any(t.startswith("Second Conversation") for t in titles)
    assert any(t.startswith("Register of persons") for t in titles)
    assert reader.metadata.title == load_config(ROOT / "edition.yaml").title


def test_fonts_are_embedded(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows and all(re.search(r"\byes\s+yes\s+(yes|no)\s+\d+", row) for row in rows), out


def _build(tmp_path: Path, **pdf_options) -> Path:
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path / "out")
    [result] = edition.build(["pdf"], config=config, options={"pdf": pdf_options})
    return result.files[0]


def _xmp(path: Path) -> str:
    from pypdf import PdfReader

    return PdfReader(str(path)).trailer["/Root"]["/Metadata"].get_object().get_data().decode()


def test_pdfa_3b_carries_its_identification_and_the_tei_sources(tmp_path):
    from pypdf import PdfReader

    path = _build(tmp_path, variant="pdfa-3b")
    xmp = _xmp(path)
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    attached = PdfReader(str(path)).attachments
    config = load_config(ROOT / "edition.yaml")
    assert set(attached) == {p.name for p in config.edition_files()}
    assert attached["kh-mao-1958.xml"][0] == (XML / "kh-mao-1958.xml").read_bytes()


def test_pdfua_1_is_tagged_and_identified_and_page_size_is_chosen(tmp_path):
    from pypdf import PdfReader

    path = _build(tmp_path, variant="pdfua-1", page_size="letter", per_document=True)
    assert 'pdfuaid:part="1"' in _xmp(path)
    # one PDF per document too, each holding its own text and nothing else's
    singles = sorted(p.name for p in path.parent.glob("kh-*.pdf"))
    assert singles == sorted(f"{n[:-4]}.pdf" for n in load_config(ROOT / "edition.yaml").documents)
    baghdad = " ".join(words(pdftotext(path.parent / "kh-baghdad-1958.pdf")))
    assert "When greeting the delegation" in baghdad and "MAO ZEDONG" not in baghdad
    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root and root["/Lang"] == "en"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_every_character_of_the_sources_is_covered_by_the_print_fonts():
    from edition import fonts
    from edition.builders.pdf import FONT_FAMILIES

    text = "".join(p.read_text(encoding="utf-8") for p in XML.glob("*.xml"))
    assert fonts.uncovered(text, FONT_FAMILIES) == []
    # without the Chinese font, the characters of note 2 are named, not printed as boxes
    missing = fonts.uncovered(text, FONT_FAMILIES[:2])
    assert "三" in missing and "板" in missing
    assert "U+4E09" in fonts.describe(missing)


def test_a_missing_glyph_stops_the_build(tmp_path, monkeypatch):
    from edition.builders import BuildError
    from edition.builders import pdf as pdf_builder

    monkeypatch.setattr(pdf_builder, "FONT_FAMILIES", ["DejaVu Serif"])
    with pytest.raises(BuildError) as info:
        _build(tmp_path)
    [finding] = info.value.diagnostics
    assert finding.code == "E-GLYPH" and "三" in finding.message
    assert not (tmp_path / "out" / "pdf").exists()


def test_first_page_of_a_document_looks_like_a_book_page(pdf, pages, tmp_path):
    from PIL import Image

    first = _page_of(pages, "Second Conversation of N.S. Khrushchev with Mao Zedong August", start=2)
    subprocess.run(["pdftoppm", "-f", str(first), "-l", str(first), "-r", "50", "-png", "-gray", str(pdf),
                    str(tmp_path / "page")], check=True)
    [png] = tmp_path.glob("page*.png")
    image = Image.open(png).convert("L")
    width, height = image.size
    assert abs(width / height - 210 / 297) < 0.01  # A4
    ink = image.point(lambda v: 255 if v < 160 else 0)
    left, top, right, bottom = ink.getbbox()
    # text stays inside the margins (18-25 mm of 210 mm wide), and the page is full of it
    assert left > width * 0.07 and right < width * 0.93
    assert top < height * 0.15 and bottom > height * 0.6
    dark = sum(ink.histogram()[255:]) / (width * height)
    assert 0.02 < dark < 0.3


def _expand(refs: str) -> list[int]:
    numbers = []
    for part in refs.split(","):
        first, _, last = part.strip().partition("–")
        numbers += list(range(int(first), int(last or first) + 1))
    return numbers


@pytest.mark.parametrize(("entry", "name"), [("Khrushchev, Nikita Sergeevich", "hrushchev"),
                                             ("Hammarskjöld", "Hammarskj"), ("Qasim", "Qasim")])
def test_register_page_references_are_right(pages, entry, name):
    text = "\n".join(pages)
    start = text.index("Register of persons", text.index("Register of persons") + 1)
    m = re.search(re.escape(entry) + r".*?\nPages ([\d–, \n]+)", text[start:], flags=re.S)
    assert m, entry
    numbers = _expand(m.group(1).replace("\n", " ").strip().rstrip(","))
    assert numbers
    for number in numbers:
        page = reading_text(pages[number - 1])
        assert name.lower() in page.lower(), (entry, number)


def test_vietnamese_text_stands_beside_the_english(pages):
    page = _page_of(pages, "Sau khi chào hỏi nhau", start=2)
    assert page and "After mutual greetings" in pages[page - 1]


def test_text_is_hyphenated_by_language(pdf):
    """English is hyphenated (WeasyPrint marks its breaks with U+2010); each text says its language."""
    from edition.builders.pdf import PdfBuilder

    english = pdftotext(pdf, 9, 20)
    assert english.count("\u2010\n") >= 5
    html = PdfBuilder(load_config(ROOT / "edition.yaml")).print_html()
    assert 'lang="vi"' in html and 'lang="en"' in html and 'lang="zh-Hans"' in html


def test_the_book_laid_out_in_chunks_is_the_book_laid_out_in_one_piece(pdf, pages):
    """Every part opens on a right-hand page, so cutting the book there changes no page:
    up to the registers (whose page references the one-piece draft has not filled in),
    each page of the chunked book reads as the page of one WeasyPrint call on the same HTML."""
    from weasyprint import HTML

    from edition.builders.pdf import BASE_URL, PdfBuilder

    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=pdf.parent.parent)
    whole = HTML(string=PdfBuilder(config).print_html(), base_url=BASE_URL).write_pdf()
    path = pdf.parent.parent / "one-piece.pdf"
    path.write_bytes(whole)
    one_piece = pdftotext(path).split("\f")
    registers = _page_of(pages, "Register of persons", start=_contents(pages)[0])
    assert registers > 60
    assert len(one_piece) >= registers
    contents, entries = _contents(pages)
    for number in range(1, registers):
        if number != contents:
            assert words(one_piece[number - 1]) == words(pages[number - 1]), f"page {number} differs"
    back = ("Register", "Bibliography")  # which pages they take depends on the references filled in
    assert [e for e in _contents(one_piece)[1] if not e[0].startswith(back)] == [
        e for e in entries if not e[0].startswith(back)]


def _pdf_build_log(config, caplog) -> list[str]:
    """Build the PDF of ``config``; return what the build logged."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="edition"):
        edition.build(["pdf"], config=config)
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("pdf: ")]


def _layouts_made(said: list[str]) -> int:
    [count] = [int(m.group(1)) for line in said if (m := re.search(r"; (\d+) layouts made", line))]
    return count


def test_a_rebuild_lays_out_again_only_the_changed_document(tmp_path, caplog):
    """After one document changed, its chunk is the one layout made again (its pages did not
    move, so the registers, contents and page numbers come from the store), and the book
    reads page for page as a build with nothing cached makes of the changed edition."""
    shutil.copytree(XML, tmp_path / "xml")
    shutil.copy(ROOT / "edition.yaml", tmp_path / "edition.yaml")
    config = load_config(tmp_path / "edition.yaml")
    book = config.output / "pdf" / "edition.pdf"
    cold = _layouts_made(_pdf_build_log(config, caplog))
    assert cold >= 5 + 4  # the documents, the back matter, two drafts of the front, page numbers

    assert _layouts_made(_pdf_build_log(config, caplog)) == 0  # nothing changed: nothing laid out

    changed = tmp_path / "xml" / "kh-peace-1958.xml"
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace(" thanks ", " thanks most warmly ", 1), encoding="utf-8")
    assert _layouts_made(_pdf_build_log(config, caplog)) == 1
    incremental = pdftotext(book).split("\f")
    assert any("thanks most warmly" in page for page in incremental)

    shutil.rmtree(config.output / CACHE_DIR)
    assert _layouts_made(_pdf_build_log(config, caplog)) == cold
    fresh = pdftotext(book).split("\f")
    assert len(fresh) == len(incremental)
    for number, (one, other) in enumerate(zip(fresh, incremental, strict=True), 1):
        assert words(one) == words(other), f"page {number} differs"


def test_contents_that_grow_once_numbered_move_every_part_and_stay_right(tmp_path, monkeypatch, caplog):
    """A title that wraps once its page number is written in makes the contents longer than the
    draft the parts were placed after (as at 2,000 documents): the parts are placed again, and the
    contents still give the pages where the documents begin."""
    from edition.builders import pdf as pdf_builder

    numbered = pdf_builder.fill_contents
    calls = []

    def longer_the_first_time(html: str, pages_of: dict[str, int]) -> str:
        calls.append(1)
        html = numbered(html, pages_of)
        if len(calls) == 1:  # two pages more than the draft had (a blank verso would take one)
            more = '<p style="break-before: page">(continued)</p>' * 2
            assert "</nav>" in html
            html = html.replace("</nav>", "</nav>" + more, 1)
        return html

    monkeypatch.setattr(pdf_builder, "fill_contents", longer_the_first_time)
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path / "out")
    said = _pdf_build_log(config, caplog)
    assert any("placed again" in line for line in said), said
    assert len(calls) >= 2
    pages = pdftotext(config.output / "pdf" / "edition.pdf").split("\f")
    contents, entries = _contents(pages)
    for title, number in entries:
        found = _page_of(pages, " ".join(words(title)[:10]), start=contents)
        assert found == int(number), (title, number, found)
