"""The HTML edition, built for real from the TEI: text, notes, links, safety, atomic output."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path

import pytest
from lxml import html as lxml_html

import edition
from edition.builders import BuildError, HtmlBuilder
from edition.cache import CACHE_DIR
from edition.config import load_config
from edition.lock import LOCK_NAME

from .conftest import ROOT, XML
from .seedtext import SEED_FILES, html_texts, missing_blocks

TEI_HEAD = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:lang="en"><teiHeader><fileDesc><titleStmt>'
            "<title>{title}</title></titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p>"
            "</sourceDesc></fileDesc></teiHeader><text><body>{body}</body></text></TEI>")


@pytest.fixture(scope="module")
def site(html_site) -> Path:
    return html_site


def page(site: Path, name: str):
    return lxml_html.parse(str(site / name)).getroot()


@pytest.mark.parametrize("seed", sorted(SEED_FILES))
def test_no_word_of_the_seeds_is_missing_from_the_site(site, seed):
    texts = [t for name in SEED_FILES[seed] for t in html_texts(site / name.replace(".xml", ".html"))]
    missing = missing_blocks(seed, texts)
    assert not missing, "\n".join(m[:160] for m in missing)


def test_the_site_has_its_pages(site):
    names = {p.name for p in site.glob("*.html")}
    assert {"index.html", "persons.html", "places.html", "organisations.html", "kh-mao-1958.html"} <= names
    assert (site / "assets" / "edition.css").exists() and (site / "assets" / "edition.js").exists()


@pytest.mark.parametrize("name", ["kh-mao-1958", "kh-baghdad-1958"])
def test_notes_link_both_ways_with_the_tei_numbers(site, name):
    from lxml import etree

    root = page(site, f"{name}.html")
    calls = root.xpath("//a[contains(@class, 'noteref')]")
    tei = etree.parse(str(XML / f"{name}.xml"))
    numbers = tei.xpath("//tei:text//tei:note[@place='foot']/@n",
                        namespaces={"tei": "http://www.tei-c.org/ns/1.0"})
    assert [c.text_content() for c in calls] == numbers
    for call in calls:
        note = root.get_element_by_id(call.get("href")[1:])
        assert note.tag == "aside" and "footnote" in note.get("class")
        [back] = note.xpath(".//a[contains(@class, 'backref')]")
        assert back.get("href") == "#" + call.get("id")
        assert back.text_content() == call.text_content()


def test_names_link_to_register_entries(site):
    registers = {n: {e.get("id") for e in page(site, n).xpath("//dt[@id]")}
                 for n in ("persons.html", "places.html", "organisations.html")}
    links = page(site, "kh-mao-1958.html").xpath("//a[contains(@class, 'name')]/@href")
    assert len(links) > 500
    for href in links:
        file, _, ident = href.partition("#")
        assert ident in registers[file], href


def test_register_entries_link_back_to_their_documents(site):
    persons = page(site, "persons.html")
    [entry] = persons.xpath("//dt[@id='khrushchev']/following-sibling::dd[1]")
    targets = entry.xpath(".//ul[@class='occurrences']//a/@href")
    pages = {t.partition("#")[0] for t in targets}
    assert {"kh-mao-1958.html", "kh-baghdad-1958.html", "kh-peace-1958.html", "kh-hcm-1959.html"} <= pages
    # every occurrence is a link to its paragraph or note, and that anchor exists
    anchors = [t for t in targets if "#" in t]
    assert len(anchors) > 50
    for target in anchors[:400]:
        file, _, anchor = target.partition("#")
        assert page(site, file).get_element_by_id(anchor) is not None, target


def test_home_page_lists_documents_chronologically(site):
    rows = page(site, "index.html").xpath("//table[contains(@class, 'documents')]/tbody/tr")
    hrefs = [r.xpath(".//a/@href")[0] for r in rows]
    assert hrefs[:3] == ["kh-mao-1958.html", "kh-baghdad-1958.html", "kh-peace-1958.html"]
    assert set(hrefs[3:]) == {"kh-hcm-1959.html", "kh-hcm-1959-vi.html"}


def test_document_pages_carry_citation_metadata(site):
    import json

    root = page(site, "kh-hcm-1959.html")
    assert root.get("lang") == "en"
    assert root.xpath("//meta[@name='citation_title']/@content")[0].startswith("Record of Conversation")
    [ld] = root.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(ld)
    assert data["@context"] == "https://schema.org" and data["dateCreated"] == "1959-07-03"
    assert json.loads(root.xpath("//pre[@class='csl-json']")[0].text_content())["id"] == "kh-hcm-1959"
    assert "@misc{khhcm1959" in root.xpath("//pre[@class='bibtex']")[0].text_content()
    vi = page(site, "kh-hcm-1959-vi.html")
    assert vi.get("lang") == "vi"


def _build_foreign(tmp_path: Path, body: str, title: str = "Foreign") -> tuple[Path, list[str]]:
    source = tmp_path / "foreign.xml"
    source.write_text(TEI_HEAD.format(title=title, body=body), encoding="utf-8")
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path / "out")
    [result] = edition.build(["html"], files=[source], config=config)
    return result.output / "foreign.html", result.warnings


def test_any_tei_renders_and_unknown_elements_are_reported(tmp_path):
    out, warnings = _build_foreign(tmp_path, "<lg><l>Verses the edition never uses</l></lg><p>Prose.</p>")
    text = out.read_text(encoding="utf-8")
    assert "Verses the edition never uses" in text and "Prose." in text
    assert any("<lg>" in w for w in warnings) and any("<l>" in w for w in warnings)


def test_nothing_in_a_tei_file_can_inject_script(tmp_path):
    body = ('<p>A <ref target="javascript:alert(1)">bad link</ref>, '
            '<ref target="data:text/html,x">data</ref>,'
            ' text like &lt;script&gt;alert(2)&lt;/script&gt; and '
            '<hi rend="x&quot; onmouseover=&quot;alert(3)">odd rend</hi>.'
            '<persName ref="javascript:alert(4)">Name</persName></p>')
    out, _ = _build_foreign(tmp_path, body, title="&lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt;")
    text = out.read_text(encoding="utf-8")
    root = lxml_html.fromstring(text)
    assert not re.search(r"javascript:|data:text", text)
    for script in root.iter("script"):  # only the page's own: its JSON-LD and edition.js
        if script.get("type") == "application/ld+json":
            assert "<" not in script.text_content()
        else:
            assert script.get("src") == "assets/edition.js" and not script.text_content().strip()
    for el in root.iter():
        assert not any(a.startswith("on") for a in el.attrib), el.attrib
    assert "bad link" in text and "odd rend" in text


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_build_leaves_the_previous_output(tmp_path):
    xml = tmp_path / "xml"
    xml.mkdir()
    for f in XML.glob("*.xml"):
        (xml / f.name).write_bytes(f.read_bytes())
    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), sources=xml, output=tmp_path / "out")
    edition.build(["html"], config=config)
    before = _digest(config.output / "html")
    broken = xml / "kh-hcm-1959.xml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("</TEI>", ""), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        edition.build(["html"], config=config)
    assert info.value.diagnostics[0].code == "E-XML"
    assert _digest(config.output / "html") == before
    # no temporary folders left (the lock file and the cache of earlier products stay)
    assert [p.name for p in config.output.iterdir() if p.name not in (LOCK_NAME, CACHE_DIR)] == ["html"]


def test_builder_registry_knows_html():
    assert edition.builders.BUILDERS["html"] is HtmlBuilder


def test_worker_processes_render_the_same_pages(tmp_path, monkeypatch):
    from edition.builders import html as html_builder

    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path / "serial")
    HtmlBuilder(config, jobs=1).run()
    monkeypatch.setattr(html_builder, "PARALLEL_THRESHOLD", 1)
    HtmlBuilder(dataclasses.replace(config, output=tmp_path / "parallel"), jobs=2).run()
    pages = sorted(p.name for p in (tmp_path / "serial" / "html").glob("*.html"))
    assert pages == sorted(p.name for p in (tmp_path / "parallel" / "html").glob("*.html"))
    for name in pages:
        a = (tmp_path / "serial" / "html" / name).read_bytes()
        assert a == (tmp_path / "parallel" / "html" / name).read_bytes(), name
