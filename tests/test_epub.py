"""The EPUB 3 edition, built for real and checked with the real tools: EPUBCheck and DAISY Ace."""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

import edition
from edition import epub_content, epub_parts, xslt
from edition.builders import BUILDERS, BuildError, EpubBuilder
from edition.builders.epub import XSLT_DIR, slug
from edition.cache import CACHE_DIR, Memo, Store
from edition.config import load_config

from .conftest import ROOT, XML
from .seedtext import SEED_FILES, html_texts, missing_blocks
from .tools import ace, ace_violations, epubcheck, epubcheck_problems

EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
NS = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/", "tei": "http://www.tei-c.org/ns/1.0"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TEI_DOC = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="elsewhere" xml:lang="en"><teiHeader><fileDesc>'
           "<titleStmt><title>A Letter from Elsewhere</title></titleStmt><publicationStmt><p>x</p>"
           "</publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader><text><body>"
           '<p xml:id="elsewhere-p1">Dear <persName ref="persons.xml#nobody">Nobody</persName>, the weather'
           '<note xml:id="elsewhere-n1" n="1" place="foot">A note on the weather.</note> is fine.</p>'
           "<lg><l>A verse the edition never uses</l></lg></body></text></TEI>")


def build_epub(output: Path, files: list[Path] | None = None):
    """Build the EPUB (the edition's, or of ``files``) with SOURCE_DATE_EPOCH set."""
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=output)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        [result] = edition.build(["epub"], files=files, config=config)
    return result


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_epub(tmp_path_factory.mktemp("out"))


@pytest.fixture(scope="module")
def epub(built) -> Path:
    [path] = built.files
    return path


@pytest.fixture(scope="module")
def unpacked(epub, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    return folder / "EPUB"


def xhtml(unpacked: Path, name: str) -> etree._Element:
    return etree.parse(str(unpacked / name)).getroot()


@pytest.fixture(scope="module")
def letter(tmp_path_factory):
    """The EPUB of a TEI file from elsewhere (a letter with a note, a name and a verse)."""
    folder = tmp_path_factory.mktemp("letter")
    source = folder / "letter.xml"
    source.write_text(TEI_DOC, encoding="utf-8")
    return build_epub(folder / "out", files=[source])


@pytest.fixture(scope="module")
def opf(unpacked) -> etree._Element:
    return etree.parse(str(unpacked / "package.opf")).getroot()


# --- the real checkers ------------------------------------------------------------------------


def test_epubcheck_reports_no_error_and_no_warning(epub):
    report = epubcheck(epub)
    counts = report["checker"]
    problems = epubcheck_problems(report)
    assert (counts["nFatal"], counts["nError"], counts["nWarning"]) == (0, 0, 0), "\n".join(problems)
    assert report["publication"]["ePubVersion"].startswith("3")


def test_ace_reports_no_serious_or_critical_violation(epub, unpacked, tmp_path):
    report = ace(epub, tmp_path / "ace")
    violations = ace_violations(report)
    grave = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not grave, "\n".join(f"{v['impact']} {v['rule']} in {v['file']}: {v['description'][:200]} "
                                f"{v['where']}" for v in grave)
    # Ace looked at every content document, and found the metadata it asks for
    checked = {s["earl:testSubject"]["url"].split("/")[-1] for s in report["assertions"]}
    assert {p.name for p in unpacked.glob("*.xhtml")} <= checked
    assert not report["a11y-metadata"]["empty"]
    assert {"schema:accessMode", "schema:accessibilityFeature", "schema:accessibilityHazard",
            "schema:accessibilitySummary", "schema:accessModeSufficient",
            "dcterms:conformsTo"} <= set(report["a11y-metadata"]["present"])
    assert report["properties"]["hasPageBreaks"] is True


def test_ace_does_find_a_critical_violation_when_there_is_one(letter, tmp_path):
    """The Ace check above is live: an image without a text alternative fails it."""
    broken = tmp_path / "broken.epub"
    [epub] = letter.files
    with zipfile.ZipFile(epub) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "EPUB/letter.xhtml":
                text = b'<section class="text" aria-label="Text">'
                data = data.replace(text, text + b'<img src="images/cover.svg"/>', 1)
                assert b'<img src="images/cover.svg"/>' in data
            target.writestr(info, data)
    violations = ace_violations(ace(broken, tmp_path / "ace"))
    assert any(v["rule"] == "image-alt" and v["impact"] == "critical" for v in violations), violations


# --- the text ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_every_paragraph_and_note_of_the_seeds_is_in_the_epub(unpacked, seed):
    texts = [t for name in SEED_FILES[seed] for t in html_texts(unpacked / name.replace(".xml", ".xhtml"))]
    missing = missing_blocks(seed, texts)
    assert not missing, "\n".join(m[:160] for m in missing)


@pytest.mark.parametrize("name", ["kh-mao-1958", "kh-baghdad-1958"])
def test_notes_are_asides_with_back_links_and_their_calls_are_noterefs(unpacked, name):
    tei = etree.parse(str(XML / f"{name}.xml"))
    notes = tei.xpath("//tei:text//tei:note[@place='foot']", namespaces=NS)
    assert notes
    page = xhtml(unpacked, f"{name}.xhtml")
    asides = page.xpath("//h:aside", namespaces=NS)
    assert len(asides) == len(notes)
    for note, aside in zip(notes, asides, strict=True):
        ident, n = note.get("{http://www.w3.org/XML/1998/namespace}id"), note.get("n")
        assert aside.get("id") == ident
        assert aside.get(EPUB_TYPE) == "footnote" and aside.get("role") == "doc-footnote"
        [back] = aside.xpath(".//h:a[@role='doc-backlink']", namespaces=NS)
        assert back.get("href") == f"#noteref-{ident}" and back.text == n
        [call] = page.xpath(f"//h:a[@id='noteref-{ident}']", namespaces=NS)
        assert call.get(EPUB_TYPE) == "noteref" and call.get("role") == "doc-noteref"
        assert call.get("href") == f"#{ident}" and "".join(call.itertext()) == n  # numbered as in the TEI
        assert not call.xpath("ancestor::h:aside", namespaces=NS)


def test_the_translation_alternates_with_its_original_each_labelled_by_language(unpacked):
    page = xhtml(unpacked, "kh-hcm-1959-vi.xhtml")
    assert page.get("lang") == "vi" and page.get(XML_LANG) == "vi"
    pairs = page.xpath("//h:div[@class='pair']", namespaces=NS)
    tei = etree.parse(str(XML / "kh-hcm-1959-vi.xml"))
    paragraphs = tei.xpath("//tei:body//tei:p/@xml:id", namespaces=NS)
    assert len(pairs) >= len(paragraphs)
    for ident in paragraphs:
        [pair] = page.xpath(f"//h:div[@class='pair'][.//h:p[@id='{ident}']]", namespaces=NS)
        source, translation = pair.xpath("h:div", namespaces=NS)
        assert "source" in source.get("class") and "translation" in translation.get("class")
        assert (source.get("lang"), translation.get("lang")) == ("en", "vi")
        assert source.get(XML_LANG) == "en" and translation.get(XML_LANG) == "vi"
        assert source.xpath("string(h:p[@class='lang-label'])", namespaces=NS) == "English"
        assert translation.xpath("string(h:p[@class='lang-label'])", namespaces=NS) == "Tiếng Việt"
        assert not source.xpath(".//@id")  # the original's own file has the ids
    first = page.xpath("//h:p[@id='kh-hcm-1959-vi-p1']/ancestor::h:div[@class='pair']", namespaces=NS)[0]
    assert "After mutual greetings" in "".join(first.itertext())


def test_languages_are_tagged_everywhere(unpacked, opf):
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["en", "vi"]
    for path in unpacked.glob("*.xhtml"):
        root = etree.parse(str(path)).getroot()
        assert root.get("lang") and root.get(XML_LANG) == root.get("lang"), path.name
        for el in root.iter():
            if isinstance(el.tag, str) and el.get("lang"):
                assert el.get(XML_LANG) == el.get("lang"), (path.name, el.tag)
    mao = xhtml(unpacked, "kh-mao-1958.xhtml")
    assert mao.xpath("//*[@lang='zh-Hans']", namespaces=NS)  # the Chinese characters of a note


# --- package, navigation, pages -----------------------------------------------------------------


def test_accessibility_metadata(opf):
    def values(prop: str) -> list[str]:
        return opf.xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS)

    assert values("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert set(values("schema:accessMode")) == {"textual", "visual"}
    assert values("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
            "pageBreakMarkers", "pageNavigation"} <= set(values("schema:accessibilityFeature"))
    assert values("schema:accessibilityHazard") == ["none"]
    assert len(values("schema:accessibilitySummary")[0]) > 200
    assert values("pageBreakSource") and opf.xpath("//dc:source/text()", namespaces=NS)


def test_navigation_contents_landmarks_and_ncx(unpacked, opf):
    nav = xhtml(unpacked, "nav.xhtml")
    toc = [a.get("href") for a in nav.xpath("//h:nav[@epub:type='toc']//h:a", namespaces=NS)]
    assert {"front-introduction.xhtml", "kh-mao-1958.xhtml", "kh-hcm-1959-vi.xhtml", "persons.xhtml",
            "bibliography.xhtml", "colophon.xhtml"} <= set(toc)
    landmarks = {a.get(EPUB_TYPE) for a in nav.xpath("//h:nav[@epub:type='landmarks']//h:a", namespaces=NS)}
    assert {"cover", "titlepage", "toc", "bodymatter", "bibliography"} <= landmarks
    spine = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=NS)}
    order = [hrefs[i] for i in spine]
    assert order[:3] == ["cover.xhtml", "title.xhtml", "nav.xhtml"]
    assert [h for h in order if h.startswith("kh-")] == [
        "kh-mao-1958.xhtml", "kh-baghdad-1958.xhtml", "kh-peace-1958.xhtml", "kh-hcm-1959.xhtml",
        "kh-hcm-1959-vi.xhtml"]
    ncx = etree.parse(str(unpacked / "toc.ncx")).getroot()
    assert ncx.xpath("string(//ncx:meta[@name='dtb:uid']/@content)", namespaces=NS) == \
        opf.xpath("string(//dc:identifier)", namespaces=NS)
    sources = [c.get("src") for c in ncx.xpath("//ncx:navPoint/ncx:content", namespaces=NS)]
    assert set(sources) == set(toc)  # a group ("Documents") leads to its first entry
    assert len(sources) == len(nav.xpath("//h:nav[@epub:type='toc']//h:li", namespaces=NS))
    cover = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    assert cover.get("href") == "images/cover.svg" and (unpacked / "images" / "cover.svg").is_file()
    [img] = xhtml(unpacked, "cover.xhtml").xpath("//h:img", namespaces=NS)
    assert img.get("alt").startswith("Cover: Khrushchev's Conversations")


def test_page_list_leads_to_where_the_print_pages_begin(built, unpacked):
    from edition.builders.pdf import page_map

    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=built.output.parent)
    pages = page_map(config)
    pages = sorted(pages.items()) if isinstance(pages, dict) else list(pages)
    nav = xhtml(unpacked, "nav.xhtml")
    entries = [(int(a.text), a.get("href")) for a in
               nav.xpath("//h:nav[@epub:type='page-list']//h:a", namespaces=NS)]
    assert len(entries) >= 50
    assert [n for n, _ in entries] == sorted({n for n, _ in entries})  # each page once, in order
    ids_on = dict(pages)
    documents = {p.name: etree.parse(str(p)).getroot() for p in unpacked.glob("*.xhtml")}
    for number, href in entries:
        file, _, ident = href.partition("#")
        assert ident == f"page-{number}"
        [marker] = documents[file].xpath(f"//*[@id='{ident}']")
        assert marker.get(EPUB_TYPE) == "pagebreak" and marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == str(number)
        assert not marker.xpath("ancestor::h:aside", namespaces=NS)
        # the marker stands just before the element that begins the page, or first inside it
        after = marker.getnext()
        beside = {marker.getparent().get("id"), after.get("id") if after is not None else None}
        assert beside & set(ids_on[number]), (number, beside)
    # every page that begins with an element of the running text has its marker
    running = {el.get("id") for root in documents.values() for el in root.iter()
               if isinstance(el.tag, str) and el.get("id")
               and not el.xpath("ancestor-or-self::h:aside", namespaces=NS)}
    expected = {n for n, ids in pages if set(ids) & running}
    assert expected - {n for n, _ in entries} == set()


def test_fonts_are_embedded_subsets_that_cover_every_character(unpacked, opf):
    css = (unpacked / "css" / "edition.css").read_text(encoding="utf-8")
    files = sorted((unpacked / "fonts").glob("*.ttf"))
    assert {f.name for f in files} >= {"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                                       "WenQuanYiMicroHei.ttf"}
    covered: set[int] = set()
    for font_file in files:
        assert f'url("../fonts/{font_file.name}")' in css
        media = opf.xpath(f"//opf:item[@href='fonts/{font_file.name}']/@media-type", namespaces=NS)
        assert media == ["font/ttf"]
        font = TTFont(str(font_file))
        covered |= set(font.getBestCmap())
        assert font["maxp"].numGlyphs < 1200, font_file.name  # a subset, not the whole font
        assert "name" in font and font["name"].getDebugName(0)  # the copyright notice is kept
    text = epub_content.text_of([epub_content.ContentDocument(p.name, "", etree.parse(str(p)).getroot())
                                 for p in unpacked.glob("*.xhtml")])
    uncovered = {c for c in text if ord(c) not in covered and not c.isspace()}
    assert not uncovered
    assert "三板斧英雄" in text  # set by the WenQuanYi subset
    colophon = "".join(xhtml(unpacked, "colophon.xhtml").itertext())
    assert "Bitstream Vera" in colophon and "Apache License" in colophon


def test_css_leaves_reader_settings_alone():
    css = (XSLT_DIR / "assets" / "edition.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert "!important" not in rules
    assert not re.search(r"font-size:\s*[\d.]+(px|pt)", rules)
    body = " ".join(re.findall(r"(?:^|})\s*(?:html|body)\s*\{([^}]*)\}", rules))
    assert not re.search(r"(^|;)\s*(color|background)", body)


# --- reproducible, robust -----------------------------------------------------------------------


def test_container_order_and_fixed_times(epub, opf):
    with zipfile.ZipFile(epub) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip" and infos[0].extra == b""
        assert [i.filename for i in infos[1:3]] == ["META-INF/container.xml", "EPUB/package.opf"]
        assert [i.filename for i in infos[3:]] == sorted(i.filename for i in infos[3:])
        expected = time.gmtime(int(EPOCH))[:6]
        assert {i.date_time for i in infos} == {(*expected[:5], expected[5] - expected[5] % 2)}
    modified = opf.xpath("string(//opf:meta[@property='dcterms:modified'])", namespaces=NS)
    assert modified == "2023-11-14T22:13:20Z"
    with open(epub, "rb") as f:  # the mimetype can be read at a fixed offset
        assert f.read(58)[30:] == b"mimetypeapplication/epub+zip"


def test_two_builds_are_byte_identical(epub, tmp_path):
    again = build_epub(tmp_path / "out")
    [path] = again.files
    assert path.name == epub.name == "khrushchevs-conversations-1958-1959.epub"
    assert path.read_bytes() == epub.read_bytes()


def _epub_build_log(config, caplog) -> list[str]:
    """Build the EPUB of ``config`` with SOURCE_DATE_EPOCH set; return what the build logged."""
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="edition"), pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        edition.build(["epub"], config=config)
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("epub: ")]


def test_a_rebuild_makes_again_only_the_changed_document_and_the_same_book_as_a_cold_build(tmp_path, caplog):
    shutil.copytree(XML, tmp_path / "xml")
    shutil.copy(ROOT / "edition.yaml", tmp_path / "edition.yaml")
    config = load_config(tmp_path / "edition.yaml")
    epub = config.output / "epub" / "khrushchevs-conversations-1958-1959.epub"
    said = _epub_build_log(config, caplog)
    assert "epub: 5 content document(s) made, 0 taken from the cache" in said
    assert "epub: contents, front matter and registers made" in said

    changed = tmp_path / "xml" / "kh-peace-1958.xml"
    text = changed.read_text(encoding="utf-8")
    assert text.count(" thanks ") == 2
    changed.write_text(text.replace(" thanks ", " thanks most warmly ", 1), encoding="utf-8")
    said = _epub_build_log(config, caplog)
    # only the changed document was transformed again; the rest of the book came from the cache
    assert "epub: 1 content document(s) made, 4 taken from the cache" in said
    assert "epub: made kh-peace-1958.xhtml" in said
    assert "epub: contents, front matter and registers taken from the cache" in said
    incremental = epub.read_bytes()
    with zipfile.ZipFile(epub) as archive:
        page = archive.read("EPUB/kh-peace-1958.xhtml").decode("utf-8")
    assert " thanks most warmly " in page

    # the same book, byte for byte, as a build with nothing cached makes of the changed edition
    shutil.rmtree(config.output / CACHE_DIR)
    said = _epub_build_log(config, caplog)
    assert "epub: 5 content document(s) made, 0 taken from the cache" in said
    assert epub.read_bytes() == incremental


def test_a_changed_original_makes_its_translation_again_and_nothing_else(tmp_path, caplog):
    shutil.copytree(XML, tmp_path / "xml")
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), sources=tmp_path / "xml",
                                 output=tmp_path / "output")
    builder = EpubBuilder(config)
    params = builder.params(config.title, config.language)

    def made() -> str:
        store = Store(config.output, "epub")
        parts = builder.parts()
        memo = Memo(config.output, "epub-facts")
        facts = [epub_parts.facts(part.path, builder.read, memo) for part in parts]
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="edition"):
            builder.document_files(parts, facts, params, store)
        [said] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("epub: made ")]
        return said

    assert made() == ("epub: made kh-mao-1958.xhtml, kh-baghdad-1958.xhtml, kh-peace-1958.xhtml, "
                      "kh-hcm-1959.xhtml, kh-hcm-1959-vi.xhtml")
    assert made() == "epub: made nothing"
    original = tmp_path / "xml" / "kh-hcm-1959.xml"
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("Ho Chi Minh", "Ho Chi Minh (Hồ Chí Minh)"), encoding="utf-8")
    # the Vietnamese translation's file shows its original block by block
    assert made() == "epub: made kh-hcm-1959.xhtml, kh-hcm-1959-vi.xhtml"


def test_a_tei_file_from_elsewhere_packages_into_a_valid_epub(letter):
    result = letter
    [path] = result.files
    assert path.name == "letter.epub"
    report = epubcheck(path)
    counts = report["checker"]
    assert (counts["nFatal"], counts["nError"], counts["nWarning"]) == (0, 0, 0), \
        "\n".join(epubcheck_problems(report))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        page = etree.fromstring(archive.read("EPUB/letter.xhtml"))
        opf = etree.fromstring(archive.read("EPUB/package.opf"))
    assert "EPUB/persons.xhtml" not in names and "EPUB/front-introduction.xhtml" not in names
    assert opf.xpath("string(//dc:title)", namespaces=NS) == "A Letter from Elsewhere"
    [name] = page.xpath("//*[contains(@class, 'name')]", namespaces=NS)
    assert name.tag.endswith("span") and name.get("href") is None  # no register: the name is not a link
    assert page.xpath("//h:aside[@epub:type='footnote'][@id='elsewhere-n1']", namespaces=NS)
    assert "A verse the edition never uses" in "".join(page.itertext())
    assert any("<lg>" in w for w in result.warnings)


def test_the_cli_builds_an_epub_of_a_file_from_elsewhere(tmp_path, capsys):
    from edition.cli import main

    config = tmp_path / "edition.yaml"
    text = (ROOT / "edition.yaml").read_text(encoding="utf-8")
    config.write_text(text.replace("sources: xml", f"sources: {ROOT / 'xml'}")
                      .replace("output: output", f"output: {tmp_path / 'out'}"), encoding="utf-8")
    source = tmp_path / "letter.xml"
    source.write_text(TEI_DOC, encoding="utf-8")
    assert main(["build", "--format", "epub", "--config", str(config), str(source)]) == 0
    assert re.search(r"epub\b.*1 file", capsys.readouterr().err)
    assert (tmp_path / "out" / "epub" / "letter.epub").is_file()


def test_a_failed_build_leaves_the_previous_epub(built, epub, tmp_path):
    before = epub.read_bytes()
    broken = tmp_path / "broken.xml"
    broken.write_text(TEI_DOC.replace("</TEI>", ""), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        build_epub(built.output.parent, files=[broken])
    assert info.value.diagnostics[0].code == "E-XML"
    assert epub.read_bytes() == before
    assert not [p.name for p in built.output.parent.iterdir() if p.name.startswith((".epub", ".pdf"))]


def test_builder_registry_knows_epub():
    assert BUILDERS["epub"] is EpubBuilder
    assert slug("Khrushchev's Conversations, 1958–1959") == "khrushchevs-conversations-1958-1959"


# --- units: the stylesheet's notes, the page breaks ---------------------------------------------


def test_the_stylesheet_renders_calls_as_noterefs_and_notes_as_asides():
    executable = xslt.compile_stylesheet(XSLT_DIR / "book.xsl")
    xslt.set_parameters(executable, {"edition-title": "T"})
    bundle = f'<book><part kind="document" file="letter.xml" href="letter.xhtml">{TEI_DOC}</part></book>'
    documents = epub_content.split(executable.transform_to_string(xdm_node=xslt.parse(bundle, None)))
    [letter] = [d for d in documents if d.href == "letter.xhtml"]
    [call] = letter.root.xpath("//h:a[@class='noteref']", namespaces=NS)
    assert (call.get(EPUB_TYPE), call.get("role"), call.get("href"), call.get("id")) == (
        "noteref", "doc-noteref", "#elsewhere-n1", "noteref-elsewhere-n1")
    [aside] = letter.root.xpath("//h:aside", namespaces=NS)
    assert (aside.get(EPUB_TYPE), aside.get("role"), aside.get("id")) == (
        "footnote", "doc-footnote", "elsewhere-n1")
    [back] = aside.xpath("h:p/h:a", namespaces=NS)
    assert (back.get("role"), back.get("href"), back.text) == ("doc-backlink", "#noteref-elsewhere-n1", "1")
    assert "A note on the weather." in "".join(aside.itertext())
    assert [d.href for d in documents] == ["cover.xhtml", "title.xhtml", "nav.xhtml", "letter.xhtml",
                                           "colophon.xhtml"]


@pytest.mark.parametrize("frame_process_threshold", [100, 0], ids=["frame-here", "frame-in-a-process"])
def test_the_book_made_in_pieces_is_the_book_made_at_once(tmp_path, monkeypatch, frame_process_threshold):
    """The frame and the documents made one by one (what the build caches) are the files the
    stylesheet makes of the whole book at once; so is a frame made in a process of its own (as
    a large edition's is)."""
    monkeypatch.setattr(epub_parts, "FRAME_PROCESS_THRESHOLD", frame_process_threshold)
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path)
    builder = EpubBuilder(config)
    store = Store(tmp_path, "epub")
    parts = builder.parts()
    facts = [epub_parts.facts(part.path, builder.read, Memo(tmp_path, "epub-facts")) for part in parts]
    params = builder.params(config.title, config.language)
    pieces = epub_parts.pieces(builder.frame(parts, facts, params, store),
                               builder.document_files(parts, facts, params, store))
    body = "".join(f'<part kind="{p.kind}" file="{p.path.name}">'
                   f'{etree.tostring(etree.parse(str(p.path)), encoding="unicode")}</part>' for p in parts)
    occurrences = xslt.parse(epub_parts.occurrences(parts, facts), None)
    made = epub_parts.transform(f"<book>{body}</book>", {**params, "occurrences": occurrences}, "all")
    whole = epub_content.split(made)

    def described(doc: epub_content.ContentDocument) -> tuple:
        return doc.href, doc.title, doc.landmark, doc.group, doc.properties, doc.serialize()

    assert [described(piece.document()) for piece in pieces] == [described(doc) for doc in whole]
    assert len(whole) == 15 and [d.landmark for d in whole].count("bodymatter") == 1


def _doc(body: str) -> epub_content.ContentDocument:
    xml = f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title></head><body>{body}</body></html>'
    return epub_content.ContentDocument("a.xhtml", "a", etree.fromstring(xml))


def test_page_breaks_go_before_the_first_element_of_the_running_text():
    doc = _doc('<p id="p1">One</p><ul><li id="i1">item</li></ul><p id="p2">Two<aside id="n1">note</aside></p>'
               '<dl><dt id="d1">term</dt><dd>def</dd></dl><p id="p3">Three</p>')
    pages = [(1, ["p1"]), (2, ["n1", "i1"]), (3, ["n1"]), (4, ["p2"]), (5, ["p1", "d1"]), (6, ["nowhere"]),
             (7, ["p3"])]
    placed = epub_content.place_page_breaks([doc], pages)
    assert placed == [(1, "a.xhtml#page-1"), (2, "a.xhtml#page-2"), (4, "a.xhtml#page-4"),
                      (5, "a.xhtml#page-5"), (7, "a.xhtml#page-7")]
    body = doc.root[1]
    assert body[0].get("id") == "page-1" and body[1].get("id") == "p1"  # before the paragraph
    li = doc.root.xpath("//*[@id='i1']")[0]
    assert li[0].get("id") == "page-2" and li[0].tail == "item"  # inside the list item, not in the list
    dt = doc.root.xpath("//*[@id='d1']")[0]
    assert dt[0].get("id") == "page-5"  # p1 is behind the last marker: the next id of the page
    assert not doc.root.xpath("//*[@id='n1']//*[@role='doc-pagebreak']")  # never in a note


def test_links_are_resolved_against_the_book_and_unlinked_when_they_lead_nowhere():
    a = _doc('<p id="x"><a href="b.html#y">to b</a> <a href="persons.html#z">nobody</a> '
             '<a href="https://example.org/">out</a> <a href="c.html#y">moved</a></p>')
    b = epub_content.ContentDocument("b.xhtml", "b", _doc('<p id="y">y</p>').root)
    assert epub_content.resolve_links([a, b]) == 1
    hrefs = [el.get("href") for el in a.root.iter("{http://www.w3.org/1999/xhtml}a")]
    assert hrefs == ["b.xhtml#y", "https://example.org/", "b.xhtml#y"]
    [nobody] = a.root.xpath("//*[. = 'nobody']")
    assert nobody.tag == "{http://www.w3.org/1999/xhtml}span" and nobody.get("href") is None


def test_a_character_no_font_covers_is_reported():
    from edition import epub_fonts

    fonts, missing = epub_fonts.embed("Tiếng Việt 三板斧 \U00010000 \U000f0001")
    assert missing == ["\U00010000", "\U000f0001"]  # Linear B and a private-use character
    assert {f.face.family for f in fonts} == {"DejaVu Serif", "WenQuanYi Micro Hei"}
    [wqy] = [f for f in fonts if f.face.fallback]
    assert wqy.characters == 3  # only what DejaVu Serif lacks


def test_the_file_name_comes_from_the_configuration():
    config = load_config(ROOT / "edition.yaml")
    assert EpubBuilder(config).file_name() == "khrushchevs-conversations-1958-1959.epub"
    named = dataclasses.replace(config, formats={**config.formats, "epub": {"filename": "kc"}})
    assert EpubBuilder(named).file_name() == "kc.epub"
    bad = dataclasses.replace(config, formats={**config.formats, "epub": {"filename": "../kc.epub"}})
    with pytest.raises(BuildError) as info:
        EpubBuilder(bad).file_name()
    assert info.value.diagnostics[0].code == "E-CONFIG"
    assert EpubBuilder(config, [Path("elsewhere/My Letter.xml")]).file_name() == "my-letter.epub"
