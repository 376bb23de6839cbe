"""Golden files for representative pages of the HTML edition.

Pages are normalised before comparison (parsed as HTML, whitespace between
elements collapsed, indented), so only a change a reader or a tool could
notice shows up. To re-baseline after an intended change:

    EDITION_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_html_golden.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

GOLDEN = Path(__file__).resolve().parent / "golden" / "html"
PAGES = ["kh-baghdad-1958.html", "kh-hcm-1959-vi.html", "index.html"]


def normalise(path: Path) -> str:
    root = lxml_html.parse(str(path)).getroot()
    for el in root.iter():
        if isinstance(el.tag, str):
            if el.text:
                el.text = re.sub(r"\s+", " ", el.text)
            if el.tail:
                el.tail = re.sub(r"\s+", " ", el.tail)
    etree.indent(root, space=" ")
    return etree.tostring(root, encoding="unicode", method="html")


@pytest.mark.parametrize("name", PAGES)
def test_page_matches_its_golden_file(html_site, name):
    got = normalise(html_site / name)
    golden = GOLDEN / name
    if os.environ.get("EDITION_UPDATE_GOLDEN"):
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; set EDITION_UPDATE_GOLDEN=1 to create it"
    want = golden.read_text(encoding="utf-8")
    if got != want:
        import difflib

        diff = "\n".join(list(difflib.unified_diff(want.splitlines(), got.splitlines(), "golden", "built",
                                                   lineterm=""))[:60])
        pytest.fail(f"{name} differs from its golden file:\n{diff}")
