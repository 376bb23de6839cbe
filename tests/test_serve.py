"""`edition serve`: the preview rebuilds on change, open pages reload, a failed build shows its findings.

A copy of the edition in a temporary folder is built, served and changed for real; the
browser is Debian's Chromium. Each rebuild is a full validation and HTML build (a few seconds).
"""

from __future__ import annotations

import shutil
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest

from edition.serve import EVENTS, Preview, make_server

from .conftest import ROOT, XML
from .tools import browser

DOCUMENT = "kh-peace-1958.xml"
PAGE = "kh-peace-1958.html"


@pytest.fixture(scope="module")
def preview(tmp_path_factory) -> Iterator[tuple[Preview, str]]:
    folder = tmp_path_factory.mktemp("edition")
    shutil.copytree(XML, folder / "xml")
    shutil.copy(ROOT / "edition.yaml", folder / "edition.yaml")
    preview = Preview(folder / "edition.yaml", jobs=1)
    first = preview.build()
    assert first.ok, first.messages
    server = make_server(preview, port=0)
    stop = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, daemon=True),
               threading.Thread(target=preview.watch, args=(stop,), daemon=True)]
    for thread in threads:
        thread.start()
    try:
        yield preview, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        stop.set()
        server.closing = True
        server.shutdown()
        server.server_close()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def _edit(preview: Preview, old: str, new: str) -> int:
    """Change the document's source; return the build generation before the change."""
    path = preview.config().sources / DOCUMENT
    text = path.read_text(encoding="utf-8")
    assert old in text
    before = preview.state.generation
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return before


def test_pages_are_served_with_the_reload_script_and_nothing_outside_the_site(preview):
    _, url = preview
    page = _get(url + PAGE)
    assert EVENTS in page and "Peace" in page
    assert EVENTS in _get(url)  # the home page
    for path in ("../edition.yaml", "%2e%2e/edition.yaml", "nowhere.html"):
        with pytest.raises(urllib.error.HTTPError) as caught:
            _get(url + path)
        assert caught.value.code == 404


def _until(condition, timeout: float = 120.0):
    """Poll until ``condition()`` is true (a rebuild takes a few seconds; others may run meanwhile)."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)
    return result


def test_a_change_rebuilds_and_a_broken_source_keeps_the_last_good_site(preview):
    preview_, url = preview
    _edit(preview_, "thanks", "thanks (revised)")
    _until(lambda: "(revised)" in _get(url + PAGE))
    assert preview_.state.ok, preview_.state.messages

    _edit(preview_, "</teiHeader>", "</teiHeader><unclosed>")
    state = _until(lambda: None if preview_.state.ok else preview_.state)
    assert any(f"{DOCUMENT}:" in m and "error[" in m for m in state.messages), state.messages
    assert "(revised)" in _get(url + PAGE)  # the previous site is still served

    _edit(preview_, "</teiHeader><unclosed>", "</teiHeader>")
    _until(lambda: preview_.state.ok)


def test_an_open_page_reloads_on_change_and_shows_a_failed_build(preview):
    preview_, url = preview
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(url + PAGE)
        page.wait_for_function("document.readyState === 'complete'")
        page.wait_for_timeout(500)  # the event stream is open
        _edit(preview_, "thanks", "thanks, seen live")
        page.wait_for_function("document.body.textContent.includes('seen live')", timeout=120_000)

        _edit(preview_, "</teiHeader>", "</teiHeader><unclosed>")
        banner = page.locator("#edition-preview-errors")
        banner.wait_for(timeout=120_000)
        assert DOCUMENT in banner.text_content() and "previous site" in banner.text_content()
        assert "seen live" in page.content()

        _edit(preview_, "</teiHeader><unclosed>", "</teiHeader>")
        banner.wait_for(state="detached", timeout=120_000)


def test_the_command_says_when_its_port_is_taken(tmp_path, capsys):
    import socket

    from edition.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["--config", str(ROOT / "edition.yaml"), "serve", "--port", str(port)])
    assert code == 2
    assert f"cannot serve on 127.0.0.1:{port}" in capsys.readouterr().err


def test_the_command_refuses_a_broken_configuration(tmp_path, capsys):
    from edition.cli import main

    (tmp_path / "edition.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert main(["--config", str(tmp_path / "edition.yaml"), "serve", "--port", "0"]) == 2
    assert "edition.yaml:" in capsys.readouterr().err


def test_a_rebuild_compiles_a_changed_stylesheet_anew(tmp_path, monkeypatch):
    """The preview builds again and again in one process: a stylesheet edited meanwhile is compiled
    again, so that its pages are not made (and kept in the cache) with the old one."""
    from edition.builders import html as html_builder

    shutil.copytree(ROOT / "xslt", tmp_path / "xslt")
    monkeypatch.setattr(html_builder, "XSLT_DIR", tmp_path / "xslt" / "html")
    shutil.copytree(XML, tmp_path / "xml")
    shutil.copy(ROOT / "edition.yaml", tmp_path / "edition.yaml")
    preview = Preview(tmp_path / "edition.yaml", jobs=1)
    assert preview.build().ok
    page = tmp_path / "xslt" / "html" / "page.xsl"
    text = page.read_text(encoding="utf-8")
    assert '<footer class="site"><p>' in text
    page.write_text(text.replace('<footer class="site"><p>', '<footer class="site"><p>Revised. ', 1),
                    encoding="utf-8")
    state = preview.build()
    assert state.ok, state.messages
    assert "Revised. " in (tmp_path / "output" / "html" / PAGE).read_text(encoding="utf-8")
