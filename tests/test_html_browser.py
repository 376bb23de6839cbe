"""The HTML edition in a real browser (Debian's Chromium through Playwright), the Nu HTML
Checker and axe-core: notes, popups, views, the parallel text, search, accessibility."""

from __future__ import annotations

import re

import pytest

from .tools import axe, browser, serve, vnu

PAGES = ["index.html", "kh-mao-1958.html", "kh-baghdad-1958.html", "kh-peace-1958.html", "kh-hcm-1959.html",
         "kh-hcm-1959-vi.html", "persons.html", "places.html", "organisations.html", "search.html"]


@pytest.fixture(scope="module")
def base(html_site):
    with serve(html_site) as url:
        yield url


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture()
def page(chromium):
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def test_note_call_opens_its_note_and_the_back_link_returns(page, base):
    page.goto(base + "kh-mao-1958.html")
    call = page.locator("a.noteref").nth(4)
    assert call.inner_text() == "5"
    call.click()
    assert page.evaluate("location.hash") == "#kh-mao-1958-n5"
    note = page.locator("#kh-mao-1958-n5")
    assert note.is_visible() and "Fedorenko" in note.inner_text()
    note.locator("a.backref").click()
    assert page.evaluate("location.hash") == "#noteref-kh-mao-1958-n5"
    top = page.evaluate("document.getElementById('noteref-kh-mao-1958-n5').getBoundingClientRect().top")
    assert 0 <= top < 900


def test_popup_shows_the_note_on_focus_and_hides(page, base):
    page.goto(base + "kh-mao-1958.html")
    page.locator("a.noteref").first.focus()
    popup = page.locator(".note-popup")
    popup.wait_for(state="visible")
    assert "Swimming Pool" in popup.inner_text()
    page.keyboard.press("Escape")
    assert page.locator(".note-popup").count() == 0
    page.locator("a.noteref").nth(1).hover()
    assert "three-edged ax" in page.locator(".note-popup").inner_text()


def test_view_switch_shows_and_hides_the_editorial_interventions(page, base):
    page.goto(base + "kh-mao-1958.html")
    sic = page.locator(".text .choice .sic").first
    assert not sic.is_visible()
    page.get_by_role("button", name="Show editorial interventions").click()
    assert "view-editorial" in page.locator("body").get_attribute("class")
    assert sic.is_visible() and "Iraq" in sic.inner_text()
    page.get_by_role("button", name="Reading view").click()
    assert not sic.is_visible()


def test_parallel_view_and_either_language_alone(page, base):
    page.goto(base + "kh-hcm-1959-vi.html")
    rows = page.locator(".parallel .row")
    assert rows.count() >= 20
    paired = [i for i in range(rows.count())
              if rows.nth(i).locator(".col.source").inner_text().strip()
              and rows.nth(i).locator(".col.translation").inner_text().strip()]
    assert len(paired) >= 20
    merged = page.locator(".parallel .row", has=page.locator("#kh-hcm-1959-p11"))
    assert merged.locator("#kh-hcm-1959-p12").count() == 1  # one Vietnamese paragraph, two English
    page.get_by_role("link", name="Original English only").click()
    assert not page.locator(".col.translation").first.is_visible()
    assert page.locator(".col.source").nth(5).is_visible()
    page.get_by_role("link", name="Bản dịch tiếng Việt").click()
    assert not page.locator(".col.source").nth(5).is_visible()
    assert page.locator(".col.translation").nth(5).is_visible()


def test_search_finds_a_word_that_only_a_footnote_holds(page, base, html_site):
    word = "Khoroshyovo"  # note 42 of the Mao conversation only
    texts = {p.name: p.read_text(encoding="utf-8") for p in html_site.glob("kh-*.html")}
    assert [n for n, t in texts.items() if word in t] == ["kh-mao-1958.html"]
    page.goto(base + "search.html")
    page.get_by_label("Words to find").fill(word)
    page.get_by_role("button", name="Search").click()
    page.locator(".search-result a").first.wait_for(timeout=15000)
    links = page.locator(".search-result a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert any(re.search(r"kh-mao-1958\.html", h) for h in links), links


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violation(page, base, name):
    page.goto(base + name)
    if name == "search.html":  # with results on the page
        page.get_by_label("Words to find").fill("Nasser")
        page.get_by_role("button", name="Search").click()
        page.locator(".search-result a").first.wait_for(timeout=15000)
    bad = [v for v in axe(page) if v["impact"] in ("serious", "critical")]
    assert not bad, bad


@pytest.mark.parametrize("name", PAGES)
def test_keyboard_reaches_the_skip_link_first_and_nothing_is_mouse_only(page, base, name):
    page.goto(base + name)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # every control is a native, focusable one: no click handlers on spans, no positive tabindex
    mouse_only = "document.querySelectorAll('[onclick], [tabindex]:not([tabindex=\"0\"])').length"
    assert page.evaluate(mouse_only) == 0
    assert page.evaluate("""[...document.querySelectorAll('a, button, input, summary')]
        .every(e => e.tabIndex >= 0 && (e.tagName !== 'A' || e.hasAttribute('href')))""")


def test_every_page_is_usable_by_keyboard(page, base):
    page.goto(base + "kh-mao-1958.html")
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate(
            "document.activeElement.className + '|' + document.activeElement.textContent"))
    assert any(r.startswith("skip|") for r in reached)
    assert any(r.startswith("view-button|") for r in reached)
    assert any(r.startswith("noteref|") for r in reached)
    # a note call is followed with Enter, and the note's back link with Enter again
    page.locator("a.noteref").nth(2).focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#kh-mao-1958-n3"
    page.locator("#kh-mao-1958-n3 a.backref").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#noteref-kh-mao-1958-n3"


def test_nu_html_checker_reports_no_errors(html_site):
    errors = vnu(sorted(html_site.glob("*.html")))
    assert not errors, errors[:10]
