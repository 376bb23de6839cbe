"""The edition's schemas: a proper subset of TEI P5, up to date, and rules that agree with Saxon."""

from __future__ import annotations

import pytest
from lxml import etree

from edition.schemagen import derive_schema, odd_elements
from edition.sources import safe_parser
from edition.validation import RNG_PATH, SCH_PATH, SCHEMA_DIR
from edition.xpathfunctions import is_date, is_language_tag, is_nfc

from .conftest import TEI_ALL


def test_schema_is_generated_from_the_odd():
    """schema/edition.rng is what `edition schema` makes of the ODD (nobody edited it by hand)."""
    fresh = derive_schema(TEI_ALL, odd_elements(SCHEMA_DIR / "edition.odd"))
    committed = etree.parse(str(RNG_PATH), safe_parser())
    for tree in (fresh, committed):
        for c in tree.getroot().xpath("comment()"):
            tree.getroot().remove(c)
    assert etree.tostring(fresh, method="c14n") == etree.tostring(committed, method="c14n")


def test_edition_schema_is_a_proper_subset_of_tei():
    keep = odd_elements(SCHEMA_DIR / "edition.odd")
    rng = etree.parse(str(TEI_ALL), safe_parser())
    all_elements = set(rng.getroot().xpath("//r:define/r:element/@name",
                                           namespaces={"r": "http://relaxng.org/ns/structure/1.0"}))
    assert keep < all_elements
    assert len(keep) < len(all_elements) / 2


@pytest.mark.slow
def test_every_file_is_valid_tei_p5(tei_all, edition_files):
    for path in edition_files:
        doc = etree.parse(str(path), safe_parser())
        assert tei_all.validate(doc), f"{path.name}: {tei_all.error_log}"


@pytest.mark.slow
def test_rule_fixtures_are_tei_where_the_edition_schema_accepts_them(tei_all):
    """Whatever the edition's schema accepts, TEI P5 accepts: checked on the fixtures."""
    from .test_rules import RULES

    edition_rng = etree.RelaxNG(etree.parse(str(RNG_PATH), safe_parser()))
    accepted = 0
    for path in sorted(RULES.glob("*.xml")):
        doc = etree.parse(str(path), safe_parser())
        if edition_rng.validate(doc):
            accepted += 1
            assert tei_all.validate(doc), path.name
    assert accepted > 5


def test_edition_schema_rejects_what_tei_allows():
    edition_rng = etree.RelaxNG(etree.parse(str(RNG_PATH), safe_parser()))
    doc = etree.fromstring(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title>'
        b"</titleStmt><publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc>"
        b"</fileDesc></teiHeader><text><body><lg><l>A verse line</l></lg></body></text></TEI>")
    assert not edition_rng.validate(doc)


XSL = "http://www.w3.org/1999/XSL/Transform"
CASES = {
    "is-nfc": ["Hồ Chí Minh", "Ho\u0302\u0300 Chi", "plain", "三板斧英雄", "e\u0301"],
    "is-date": ["1958", "1958-08", "1958-08-01", "1958-02-29", "1960-02-29", "1958-13-01", "1958-7-4",
                "1958-02-30", "1958-08-01T10:00:00", "58", "", "0589"],
    "is-language-tag": ["en", "ru-Latn", "zh-Hans", "vi", "ar-Latn", "English", "ru_Latn", "x-private",
                        "en-GB", "zh-Latn-pinyin"],
}


def test_python_functions_agree_with_the_schemas_xsl_functions():
    """`edition validate` and editors' tools (Saxon) judge alike."""
    from edition.xslt import processor

    sch = etree.parse(str(SCH_PATH), safe_parser())
    functions = sch.getroot().findall(f"{{{XSL}}}function")
    stylesheet = etree.Element(f"{{{XSL}}}stylesheet", version="3.0", nsmap={
        "xsl": XSL, "xs": "http://www.w3.org/2001/XMLSchema", "ed": "urn:edition:functions"})
    stylesheet.set("exclude-result-prefixes", "#all")
    for f in functions:
        if f.get("name") in ("ed:is-nfc", "ed:is-date", "ed:is-language-tag"):
            stylesheet.append(f)
    etree.SubElement(stylesheet, f"{{{XSL}}}output", method="text")
    template = etree.SubElement(stylesheet, f"{{{XSL}}}template", name="xsl:initial-template")
    for name, values in CASES.items():
        for v in values:
            value = etree.SubElement(template, f"{{{XSL}}}value-of")
            value.set("select", f"ed:{name}('{v}')")
            etree.SubElement(template, f"{{{XSL}}}text").text = "\n"
    xslt = processor().new_xslt30_processor()
    executable = xslt.compile_stylesheet(stylesheet_text=etree.tostring(stylesheet, encoding="unicode"))
    saxon = executable.call_template_returning_string().split("\n")
    python = {"is-nfc": is_nfc, "is-date": is_date, "is-language-tag": is_language_tag}
    ours = [str(python[name](None, v)).lower() for name, values in CASES.items() for v in values]
    assert saxon[: len(ours)] == ours
