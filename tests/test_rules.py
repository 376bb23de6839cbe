"""Every validation rule has a fixture that breaks it, and fires at the right line.

Each fixture in fixtures/rules/ is a small valid record with one defect; the
line that must be reported carries a comment ``<!-- expect: CODE -->``.
"""

from __future__ import annotations

import re

import pytest

from edition.validation import validate_files

from .conftest import FIXTURES

RULES = FIXTURES / "rules"
EXPECT = re.compile(r"<!-- expect: ([A-Z-]+) -->")


def expectations(path):
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        out += [(code, number) for code in EXPECT.findall(line)]
    return out


CASES = sorted(p for p in RULES.glob("*.xml") if p.name != "valid.xml")


def test_every_rule_code_has_a_fixture():
    codes = {code for p in CASES for code, _ in expectations(p)}
    schema = (RULES.parents[2] / "schema" / "edition.sch").read_text()
    schematron_codes = set(re.findall(r'id="(E-[A-Z-]+)"', schema))
    assert schematron_codes <= codes, f"rules without a failing fixture: {schematron_codes - codes}"


def test_valid_fixture_is_clean(edition_files):
    assert validate_files([RULES / "valid.xml"], edition=edition_files) == []


@pytest.mark.parametrize("fixture", CASES, ids=lambda p: p.stem)
def test_rule_fires_at_its_line(fixture, edition_files):
    expected = expectations(fixture)
    assert expected, "fixture has no expect comment"
    found = validate_files([fixture], edition=edition_files)
    got = {(d.code, d.line) for d in found}
    # the defect is reported where it is, and nothing else: the fixture is otherwise valid
    assert got == set(expected), [d.format() for d in found]
    for d in found:
        assert d.col >= 1 and d.path.endswith(fixture.name)


def test_mistyped_ref_hint_names_the_closest_register_id(edition_files):
    [finding] = validate_files([RULES / "ref-unresolved.xml"], edition=edition_files)
    assert finding.code == "E-REF"
    assert "persons.xml#khrushchev" in finding.hint


def test_unknown_element_hint(edition_files):
    [finding] = validate_files([RULES / "unknown-element.xml"], edition=edition_files)
    assert "<persName>" in finding.hint
    assert finding.col == 29  # the start tag of <persname>, not its line's start
