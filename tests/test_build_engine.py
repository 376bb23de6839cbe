"""The build engine: one build at a time per output folder, and an interrupted build changes nothing.

Real processes: a second `edition` process holds the lock, and Ctrl-C (SIGINT) reaches a real
build while it lays the book out.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from edition.cache import CACHE_DIR
from edition.lock import LOCK_NAME, output_lock

from .conftest import ROOT, XML


@pytest.fixture()
def edition_copy(tmp_path) -> Path:
    """A copy of the edition, built once in HTML; returns its configuration file."""
    shutil.copytree(XML, tmp_path / "xml")
    shutil.copy(ROOT / "edition.yaml", tmp_path / "edition.yaml")
    _edition(tmp_path / "edition.yaml", "build", "--format", "html", "-q", check=True)
    return tmp_path / "edition.yaml"


def _edition(config: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "edition", "--config", str(config), *args],
                          capture_output=True, text=True, check=check, cwd=config.parent)


def _fingerprint(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK_NAME}


def test_a_second_build_finds_the_output_locked_and_changes_nothing(edition_copy):
    output = edition_copy.parent / "output"
    before = _fingerprint(output)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import time\nfrom pathlib import Path\nfrom edition.lock import output_lock\n"
         f"with output_lock(Path({str(output)!r})):\n    print('held', flush=True)\n    time.sleep(60)\n"],
        stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        run = _edition(edition_copy, "build", "--format", "html")
    finally:
        holder.kill()
        holder.wait()
    assert run.returncode == 1
    said = run.stdout + run.stderr  # findings on stdout, as `edition validate` prints them
    assert "error[E-LOCKED]" in said and f"process {holder.pid}" in said, said
    assert "Traceback" not in said
    assert _fingerprint(output) == before
    with output_lock(output):  # the holder's end released the lock
        pass


def _as_in_the_foreground() -> None:
    """Ctrl-C as a terminal's foreground build takes it: a shell starts a background job (the
    tests run under ``cmd &``, say) with SIGINT ignored, which its children inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("after", [0.0, 1.0, 3.0])  # into the PDF build: reading, workers, layout
def test_ctrl_c_during_a_build_leaves_the_previous_output_and_no_debris(edition_copy, after):
    output = edition_copy.parent / "output"
    before = _fingerprint(output)
    build = subprocess.Popen([sys.executable, "-m", "edition", "--config", str(edition_copy), "build",
                              "--format", "pdf", "-j", "2"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=edition_copy.parent, start_new_session=True,
                             preexec_fn=_as_in_the_foreground)
    deadline = time.monotonic() + 120
    while not list(output.glob(".pdf-*")):  # the layout has begun in its staging folder
        assert build.poll() is None and time.monotonic() < deadline, build.communicate()
        time.sleep(0.02)
    time.sleep(after)
    os.killpg(build.pid, signal.SIGINT)  # as Ctrl-C does: the build and its worker processes
    _, err = build.communicate(timeout=120)
    assert build.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err, err
    assert not (output / "pdf").exists()
    assert sorted(p.name for p in output.iterdir() if p.name not in (LOCK_NAME, CACHE_DIR)) == ["html"]
    now = _fingerprint(output)
    # the PDF chunks laid out before the interruption are kept in the cache for the next build,
    # each whole, and so are the memos of the documents' facts and digests; nothing else changed
    kept = {name for name in now if name not in before and name.startswith(f"{CACHE_DIR}/pdf/")}
    memos = {name for name in now if re.fullmatch(rf"{CACHE_DIR}/[a-z-]+\.jsonl", name)}
    assert {name: h for name, h in now.items() if name not in kept | memos} == {
        name: h for name, h in before.items() if name not in memos}
    for name in memos:
        for line in (output / name).read_bytes().splitlines():
            key, _, value = line.partition(b"\t")
            assert isinstance(json.loads(key), str) and json.loads(value) is not None, name
    for name in kept:
        data = (output / name).read_bytes()
        assert re.fullmatch(r"[0-9a-f]{64}(\.json|\.pdf)?", Path(name).name), name  # no temporary file
        if name.endswith(".json"):  # written last: a chunk's facts stand only beside its PDF
            assert name.removesuffix(".json") + ".pdf" in now, name
        assert (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")) or json.loads(data), name
    with output_lock(output):
        pass


def test_progress_draws_bars_on_a_terminal_and_prints_a_line_per_stage_elsewhere():
    import io

    from edition.progress import Progress

    for live in (True, False):
        stream = io.StringIO()
        with Progress(stream, live=live).stage("html", "documents", 3) as step:
            for _ in range(3):
                step()
        text = stream.getvalue()
        if live:
            assert "\r" in text and "█" * 24 in text and "3/3" in text
        else:
            assert text.startswith("html: documents 3/3 in ") and text.count("\n") == 1 and "\r" not in text
    quiet = io.StringIO()
    with Progress(quiet, quiet=True, live=True).stage("pdf", "documents", 2) as step:
        step(2)
    assert quiet.getvalue() == ""


def test_the_build_command_closes_with_a_summary(edition_copy):
    run = _edition(edition_copy, "build", "--format", "html")
    assert run.returncode == 0, run.stderr
    lines = run.stderr.splitlines()
    assert "check: validation 1/1 in" in run.stderr and "html: documents 5/5 in" in run.stderr
    summary = lines.index(next(line for line in lines if line.startswith("built 5 document(s) in")))
    assert "0 warning(s)" in lines[summary]
    assert lines[summary + 1].split()[:3] == ["html", "10", "page(s)"], lines[summary + 1]
    assert _edition(edition_copy, "build", "--format", "html", "-q").stderr == ""


def _html_build(config_path: Path, caplog) -> dict[str, str]:
    """Build the HTML edition in-process; return the pages' digests and what the cache said."""
    import logging

    import edition
    from edition.config import load_config

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="edition"):
        edition.build(["html"], config=load_config(config_path))
    site = config_path.parent / "output" / "html"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in site.glob("*.html")}


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _said(caplog, what: str) -> tuple[int, int]:
    """The two counts of the build's log line about ``what``: made, and taken from the cache."""
    import re

    [message] = [r.getMessage() for r in caplog.records if what in r.getMessage()]
    made, taken = map(int, re.findall(r"\d+", message))
    return made, taken


def _made(caplog) -> tuple[int, int]:
    return _said(caplog, "document page(s) made")


def test_a_rebuild_makes_again_only_the_pages_whose_sources_changed(edition_copy, caplog, monkeypatch):
    monkeypatch.setattr("edition.builders.search_index.PAGES_PER_BUNDLE", 2)  # documents 1-2, 3-4, 5
    first = _html_build(edition_copy, caplog)
    assert _made(caplog) == (0, 5)  # the fixture's build made them all already
    _replace(edition_copy.parent / "xml" / "kh-peace-1958.xml", "thanks", "thanks warmly")
    second = _html_build(edition_copy, caplog)
    assert _made(caplog) == (1, 4)
    # the search index: only the bundle of the third document (the registers name the same places)
    assert _said(caplog, "search bundle(s) indexed") == (1, 3)
    changed = {name for name in first if first[name] != second[name]}
    assert "kh-peace-1958.html" in changed and "kh-mao-1958.html" not in changed
    assert "thanks warmly" in (edition_copy.parent / "output" / "html" / "kh-peace-1958.html").read_text()

    # the English record changes: its Vietnamese translation's page shows it beside, so it is made again
    _replace(edition_copy.parent / "xml" / "kh-hcm-1959.xml", "Ho Chi Minh", "Ho Chi Minh (Hồ Chí Minh)")
    _html_build(edition_copy, caplog)
    assert _made(caplog) == (2, 3)

    # a changed stylesheet (as its digest says) or configuration makes every page again
    monkeypatch.setattr("edition.builders.html.tree_digest", lambda *folders: "another stylesheet")
    _html_build(edition_copy, caplog)
    assert _made(caplog) == (5, 0)
    _replace(edition_copy, 'publisher: "edition project"', 'publisher: "Another press"')
    _html_build(edition_copy, caplog)
    assert _made(caplog) == (5, 0)
    # and the cache holds only what the last build used: five documents' pages, three registers,
    # the home and the search page in the store, the five documents' facts in their memo
    cache = edition_copy.parent / "output" / ".cache"
    assert len(list((cache / "html").iterdir())) == 10
    assert len((cache / "document-facts.jsonl").read_text(encoding="utf-8").splitlines()) == 5


def test_a_rebuilt_site_is_the_site_a_cold_build_makes(edition_copy, caplog, monkeypatch):
    """Pages and search bundles taken over from the last build (linked, not written again) are
    those a build from nothing makes, every file of them; the old site is deleted after the swap."""
    import dataclasses

    import edition
    from edition.config import load_config

    monkeypatch.setattr("edition.builders.search_index.PAGES_PER_BUNDLE", 2)
    _html_build(edition_copy, caplog)
    _replace(edition_copy.parent / "xml" / "kh-peace-1958.xml", "thanks", "thanks warmly")
    _html_build(edition_copy, caplog)
    _html_build(edition_copy, caplog)  # the second build after the change takes over everything
    assert _made(caplog) == (0, 5) and _said(caplog, "search bundle(s) indexed") == (0, 4)
    output = edition_copy.parent / "output"
    cold = dataclasses.replace(load_config(edition_copy), output=edition_copy.parent / "cold")
    edition.build(["html"], config=cold)
    assert _fingerprint(output / "html") == _fingerprint(cold.output / "html")
    trash = output / CACHE_DIR / "trash"
    deadline = time.monotonic() + 30
    while any(trash.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(trash.iterdir()), "the old sites were not deleted"


def test_validation_checks_again_only_what_changed_and_still_finds_new_errors(edition_copy, caplog):
    import logging

    import edition
    from edition.config import load_config

    config = load_config(edition_copy)

    def validate() -> tuple[list, str]:
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="edition"):
            findings = edition.validate(config=config, cache=True)
        [said] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("validating")]
        return findings, said

    validate()
    findings, said = validate()
    assert said.startswith("validating 0 file(s)") and "(10 unchanged)" in said and findings == []
    _replace(edition_copy.parent / "xml" / "kh-peace-1958.xml", 'ref="persons.xml#khrushchev"',
             'ref="persons.xml#krushchev"')
    findings, said = validate()
    assert said.startswith("validating 1 file(s)") and "(9 unchanged)" in said
    assert [f.code for f in findings] == ["E-REF"] and "kh-peace-1958.xml" in findings[0].path
    # an id removed elsewhere changes what every pointer may reach: everything is checked again
    _replace(edition_copy.parent / "xml" / "persons.xml", 'xml:id="lukman"', 'xml:id="lukman-x"')
    findings, said = validate()
    assert said.startswith("validating 10 file(s)")
    assert {f.code for f in findings} == {"E-REF"} and len(findings) > 1


def _messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records]


def test_a_few_changed_files_are_checked_beside_the_build_and_an_error_there_stops_it(
        edition_copy, caplog, monkeypatch):
    """The check of a few changed files runs in a process of its own while the build writes;
    its errors stop the build before the output is swapped, and are what the build reports."""
    import logging

    import edition
    from edition.builders import BuildError
    from edition.config import load_config

    monkeypatch.setattr("edition.cache.RACY_NS", -1)  # the files just copied count as settled
    _html_build(edition_copy, caplog)  # every file's digest learnt (the fixture's build was too soon)
    _html_build(edition_copy, caplog)
    assert not any("beside the build" in m for m in _messages(caplog))  # none changed: checked here
    site = edition_copy.parent / "output" / "html"
    before = _fingerprint(site)
    peace = edition_copy.parent / "xml" / "kh-peace-1958.xml"
    text = peace.read_text(encoding="utf-8")

    # a pointer to no one: the site itself would build; the check's finding stops it at the gate
    _replace(peace, 'ref="persons.xml#khrushchev"', 'ref="persons.xml#krushchev"')
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="edition"), pytest.raises(BuildError) as stopped:
        edition.build(["html"], config=load_config(edition_copy))
    assert "checking 1 changed file(s) beside the build" in _messages(caplog)
    assert any(m.startswith("validating 1 file(s)") for m in _messages(caplog))  # the child's log, relayed
    assert {d.code for d in stopped.value.diagnostics} == {"E-REF"}
    assert stopped.value.diagnostics[0].path.endswith("kh-peace-1958.xml")
    assert _fingerprint(site) == before
    assert not list(site.parent.glob(".html-*"))  # no half-made site left behind

    # a broken file: the build fails on it too, but reports the check's located finding
    peace.write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(BuildError) as stopped:
        edition.build(["html"], config=load_config(edition_copy))
    [finding] = stopped.value.diagnostics
    assert finding.code == "E-XML" and finding.path.endswith("kh-peace-1958.xml") and finding.line > 1
    assert _fingerprint(site) == before

    peace.write_text(text.replace("thanks", "thanks warmly", 1), encoding="utf-8")
    _html_build(edition_copy, caplog)
    assert "thanks warmly" in (site / "kh-peace-1958.html").read_text(encoding="utf-8")


def test_many_changed_files_are_checked_before_the_build_begins(edition_copy, caplog, monkeypatch):
    """A first build, or one after many changes, reports its errors before any layout."""
    import logging

    import edition
    from edition.builders import BuildError
    from edition.config import load_config

    monkeypatch.setattr("edition.source_check.BESIDE_AT_MOST", 0)
    _replace(edition_copy.parent / "xml" / "kh-peace-1958.xml", 'ref="persons.xml#khrushchev"',
             'ref="persons.xml#krushchev"')
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="edition"), pytest.raises(BuildError) as stopped:
        edition.build(["html"], config=load_config(edition_copy))
    assert {d.code for d in stopped.value.diagnostics} == {"E-REF"}
    assert not any("building in" in m or "beside the build" in m for m in _messages(caplog))
