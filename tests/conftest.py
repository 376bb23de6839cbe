"""Shared fixtures: the project's folders, the edition, compiled schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
XML = ROOT / "xml"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
TEI_ALL = SHARED / "schema" / "tei_all.rng"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def edition_files() -> list[Path]:
    from edition.config import load_config

    return load_config(ROOT / "edition.yaml").edition_files()


@pytest.fixture(scope="session")
def tei_all() -> etree.RelaxNG:
    """The TEI P5 4.12.0 release schema; compiling it takes ~10 s, so once per session."""
    if not TEI_ALL.exists():
        pytest.fail(f"{TEI_ALL} is missing: tests need ../shared beside the checkout")
    return etree.RelaxNG(etree.parse(str(TEI_ALL)))


@pytest.fixture(scope="session")
def checker():
    from edition.validation import Checker

    return Checker()


@pytest.fixture()
def in_root(monkeypatch):
    """Run with the project root as working folder (where edition.yaml is)."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture(scope="session")
def html_site(tmp_path_factory) -> Path:
    """The sample edition's HTML site, built once per test session."""
    import dataclasses

    import edition
    from edition.config import load_config

    config = dataclasses.replace(load_config(ROOT / "edition.yaml"), output=tmp_path_factory.mktemp("out"))
    [result] = edition.build(["html"], config=config)
    assert result.output == config.output / "html"
    return result.output
