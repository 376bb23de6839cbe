"""The chunk-by-chunk join (edition/builders/pdf_join.py) on small PDFs made with pikepdf,
read back with pypdf in strict mode and with poppler."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from edition.builders import pdf_join
from edition.builders.pdf_join import Chunk, Mark

A4 = (595, 842)


def _chunk(path: Path, label: str, pages: int, anchors: dict[str, int]) -> Path:
    """A PDF of ``pages`` pages, each showing ``label`` and its page within the chunk; its named
    destinations are ``anchors`` (name → page from 1); page 1 carries a string that reads like
    an indirect reference and a link to the chunk's first anchor."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    for n in range(1, pages + 1):
        pdf.add_blank_page(page_size=A4)
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({label} {n}) Tj ET".encode())
    first = pdf.pages[0].obj
    first.PieceInfo = pikepdf.Dictionary(Note=pikepdf.String("keep 3 0 R (as it is)"))
    if anchors:
        first.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 10, 10],
            Dest=pikepdf.String(next(iter(anchors)))))]))
        dests = pikepdf.NameTree.new(pdf)
        for name, number in anchors.items():
            dests[name] = pikepdf.Array([pdf.pages[number - 1].obj, pikepdf.Name.XYZ, 0, 800, 0])
        pdf.Root.Names = pikepdf.Dictionary(Dests=dests.obj)
    pdf.save(path)
    return path


def _numbers(path: Path, first: int, count: int) -> Path:
    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Courier))
    for n in range(first, first + count):
        pdf.add_blank_page(page_size=A4)
        page = pdf.pages[-1]
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F9=font))
        page.obj.Contents = pdf.make_stream(f"BT /F9 10 Tf 290 30 Td (folio {n}) Tj ET".encode())
    pdf.save(path)
    return path


@pytest.fixture
def book(tmp_path) -> Path:
    one = _chunk(tmp_path / "one.pdf", "front", 3, {"front": 1, "contents": 3})
    two = _chunk(tmp_path / "two.pdf", "record", 2, {"record": 1, "record-n1": 2, "Hồ-Chí-Minh": 2})
    three = _chunk(tmp_path / "three.pdf", "register", 1, {})
    numbers = _numbers(tmp_path / "numbers.pdf", 5, 4)
    chunks = [Chunk(one, 1, [(3, (10.0, 10.0, 50.0, 20.0), "record-n1")]), Chunk(two, 5, []),
              Chunk(three, 9, [(1, (1.0, 2.0, 3.0, 4.0), "Hồ-Chí-Minh")])]
    marks = [Mark("Contents", 3, 0, 800, []),
             Mark("Record of Conversation — Hồ Chí Minh", 5, 0, 800, [Mark("Note (1)", 6, 0, 400, [])])]
    target = tmp_path / "book.pdf"
    metadata = {"/Title": "Khrushchev’s Conversations"}
    pages = pdf_join.join(chunks, [(numbers, 5)], marks, target, metadata, "en")
    assert pages == 9
    return target


def _text(path: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout


def test_chunks_stand_at_their_first_pages_with_blank_pages_between(book):
    from pypdf import PdfReader

    reader = PdfReader(str(book), strict=True)
    assert len(reader.pages) == 9
    assert [_text(book, n).split("\n")[0] for n in (1, 3, 5, 6, 9)] == [
        "front 1", "front 3", "record 1", "record 2", "register 1"]
    assert _text(book, 4).strip() == "" and _text(book, 8).strip() == ""
    assert reader.metadata.title == "Khrushchev’s Conversations"
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_named_destinations_of_every_chunk_lead_to_their_book_pages(book):
    from pypdf import PdfReader

    reader = PdfReader(str(book), strict=True)
    named = {name: reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}
    assert named == {"front": 1, "contents": 3, "record": 5, "record-n1": 6, "Hồ-Chí-Minh": 6}


def test_links_across_chunks_are_added_and_strings_are_left_alone(book):
    with pikepdf.open(book) as pdf:
        links = {(number, str(annotation.Dest)) for number, page in enumerate(pdf.pages, 1)
                 for annotation in page.obj.get("/Annots", [])}
        assert links == {(1, "front"), (3, "record-n1"), (5, "record"), (9, "Hồ-Chí-Minh")}
        assert str(pdf.pages[0].obj.PieceInfo.Note) == "keep 3 0 R (as it is)"


def test_numbers_are_drawn_over_the_pages_they_cover_only(book):
    """The overlay covers pages 5 to 8; 7 and 8 are the blank pages before the register."""
    for number in range(1, 10):
        text = _text(book, number)
        if number in (5, 6):
            assert f"folio {number}" in text, number
        else:
            assert "folio" not in text, number


def test_outline_keeps_labels_pages_and_nesting(book):
    from pypdf import PdfReader

    reader = PdfReader(str(book), strict=True)
    outline = reader.outline
    top = [item for item in outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["Contents", "Record of Conversation — Hồ Chí Minh"]
    assert [reader.get_destination_page_number(item) + 1 for item in top] == [3, 5]
    [children] = [item for item in outline if isinstance(item, list)]
    assert [(c.title, reader.get_destination_page_number(c) + 1) for c in children] == [("Note (1)", 6)]


def test_a_large_name_tree_is_cut_into_sorted_leaves(tmp_path):
    anchors = {f"n{i:04d}": 1 for i in range(pdf_join.NAMES_PER_LEAF * 2 + 5)}
    chunk = _chunk(tmp_path / "c.pdf", "c", 1, anchors)
    target = tmp_path / "b.pdf"
    pdf_join.join([Chunk(chunk, 1, [])], [], [], target, {}, "en")
    with pikepdf.open(target) as pdf:
        kids = pdf.Root.Names.Dests.Kids
        assert len(kids) == 3
        limits = [(str(kid.Limits[0]), str(kid.Limits[1])) for kid in kids]
        assert limits == sorted(limits) and limits[0][0] == "n0000" and limits[-1][1] == max(anchors)
        assert len(pikepdf.NameTree(pdf.Root.Names.Dests)) == len(anchors)


def test_a_book_without_names_or_marks_is_still_a_valid_pdf(tmp_path):
    from pypdf import PdfReader

    chunk = _chunk(tmp_path / "c.pdf", "c", 2, {})
    target = tmp_path / "b.pdf"
    assert pdf_join.join([Chunk(chunk, 1, [])], [], [], target, {}, "vi") == 2
    reader = PdfReader(str(target), strict=True)
    assert len(reader.pages) == 2 and reader.named_destinations == {} and reader.outline == []
