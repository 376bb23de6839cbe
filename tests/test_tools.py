"""Smoke tests of the real tools in tests/tools.py, on tiny pages written into tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tools import axe, browser, pagefind_index, serve, vnu

VALID = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{title}</title></head>
<body>
<main>
<h1>{title}</h1>
{body}
</main>
</body>
</html>
"""


def page(title: str, body: str) -> str:
    return VALID.format(title=title, body=body)


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_chromium_clicks_a_button_on_a_served_page(tmp_path, chromium):
    write(
        tmp_path,
        "index.html",
        page(
            "Click",
            '<button id="go" type="button">Go</button><p id="out">before</p>'
            "<script>document.getElementById('go').addEventListener('click', () => {"
            "document.getElementById('out').textContent = 'after ' + navigator.userAgent; });</script>",
        ),
    )
    with serve(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/")
        tab = chromium.new_page()
        try:
            tab.goto(url + "index.html")
            assert tab.text_content("#out") == "before"
            tab.click("#go")
            tab.wait_for_function("document.getElementById('out').textContent.startsWith('after')")
            assert "HeadlessChrome" in tab.text_content("#out")
        finally:
            tab.close()


def test_vnu_passes_valid_html_and_reports_invalid(tmp_path):
    good = write(tmp_path, "good.html", page("Valid", "<p>A paragraph.</p>"))
    bad = write(tmp_path, "bad.html", page("Invalid", "<p>A <div>block</div> in <span>a p</p>"))
    xhtml = write(
        tmp_path,
        "chapter.xhtml",
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">'
        "<head><title>Chapter</title></head><body><p>Text.</p></body></html>\n",
    )
    css = write(tmp_path, "style.css", "p { colr: red; }\n")
    errors = vnu([good, bad, xhtml, css], also_check_css=True)
    by_file: dict[str, list[str]] = {}
    for e in errors:
        by_file.setdefault(Path(e["file"]).name, []).append(e["message"])
    assert "good.html" not in by_file, by_file
    assert "chapter.xhtml" not in by_file, by_file
    assert by_file.get("bad.html"), errors
    assert by_file.get("style.css"), errors  # the unknown property, checked by --also-check-css


def test_axe_reports_img_without_alt_and_passes_a_clean_page(tmp_path, chromium):
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    write(tmp_path, "clean.html", page("Clean", f'<p>Text.</p><img src="{pixel}" alt="A dot">'))
    write(tmp_path, "dirty.html", page("Dirty", f'<p>Text.</p><img src="{pixel}">'))
    with serve(tmp_path) as url:
        tab = chromium.new_page()
        try:
            tab.goto(url + "clean.html")
            assert axe(tab) == []
            tab.goto(url + "dirty.html")
            violations = axe(tab)
        finally:
            tab.close()
    image_alt = [v for v in violations if v["id"] == "image-alt"]
    assert image_alt and image_alt[0]["nodes"] == 1 and image_alt[0]["impact"] == "critical", violations


def test_pagefind_indexes_a_site_and_the_browser_finds_a_word(tmp_path, chromium):
    site = tmp_path / "site"
    write(site, "index.html", page("Letters", "<p>The first letter speaks of the harbour.</p>"))
    write(site, "letter/two.html", page("Second letter", "<p>Only here: quinquereme at anchor.</p>"))
    bundle = pagefind_index(site)
    assert (bundle / "pagefind.js").is_file()
    with serve(site) as url:
        tab = chromium.new_page()
        try:
            tab.goto(url + "index.html")
            found = tab.evaluate(
                """async () => {
                  const pagefind = await import("/pagefind/pagefind.js");
                  const search = await pagefind.search("quinquereme");
                  return Promise.all(search.results.map(async (r) => (await r.data()).url));
                }"""
            )
        finally:
            tab.close()
    assert found == ["/letter/two.html"], found
