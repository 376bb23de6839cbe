"""``edition serve``: a preview of the HTML edition that rebuilds on change.

Editors work in a loop: change a TEI file, look at the result. The preview
server builds the edition, serves ``output/html/`` on 127.0.0.1, watches the
sources, the configuration and the stylesheets (watchfiles), rebuilds when
they change, and tells every open page to reload (server-sent events). A
build that fails leaves the last good site in place (builds are atomic) and
shows its findings in a banner on the open pages, as they would print on the
command line. Nothing is written into the served files: the reload script is
added to each page as it is sent.
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .config import Config, ConfigError, load_config

log = logging.getLogger("edition")
PROJECT_ROOT = Path(__file__).resolve().parent.parent
EVENTS = "/__edition/events"
STATE = "/__edition/state"
RELOAD_SCRIPT = """<script>
(() => {
  const events = new EventSource("__EVENTS__");
  let seen = null;
  events.addEventListener("build", (event) => {
    const state = JSON.parse(event.data);
    if (seen !== null && state.generation !== seen && state.ok) location.reload();
    seen = state.generation;
    let banner = document.getElementById("edition-preview-errors");
    if (!state.ok) {
      if (!banner) {
        banner = document.createElement("pre");
        banner.id = "edition-preview-errors";
        banner.setAttribute("role", "alert");
        banner.style.cssText = "position:fixed;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;"
          + "margin:0;padding:1em;background:#fff3f3;color:#7a0000;border-top:3px solid #b00;z-index:9999;"
          + "font:13px/1.4 monospace;white-space:pre-wrap";
        document.body.append(banner);
      }
      banner.textContent = "The last build failed; this is the previous site.\\n\\n"
        + state.messages.join("\\n");
    } else if (banner) {
      banner.remove();
    }
  });
})();
</script>""".replace("__EVENTS__", EVENTS)


@dataclass
class BuildState:
    """The outcome of the latest build, as the pages are told of it."""

    generation: int = 0
    ok: bool = True
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> str:
        return json.dumps({"generation": self.generation, "ok": self.ok, "messages": self.messages,
                           "seconds": round(self.seconds, 2)})


class Preview:
    """Builds the edition, keeps the latest build's state, and wakes whoever waits for a change."""

    def __init__(self, config_path: Path, formats: Sequence[str] = ("html",), jobs: int | None = None):
        self.config_path = config_path
        self.formats = list(formats)
        self.jobs = jobs
        self.state = BuildState()
        self.changed = threading.Condition()
        self._building = threading.Lock()

    def config(self) -> Config:
        return load_config(self.config_path)

    def build(self) -> BuildState:
        """Build once; never raises for the edition's own faults (they become the state's messages)."""
        from . import build, cache, xslt
        from .builders import BuildError

        with self._building:
            # a stylesheet may have changed since the last build: its digest is worked out again,
            # and it is compiled again (pages made with the old one would be stored under the new key)
            cache.forget()
            xslt.compile_stylesheet.cache_clear()
            start = time.perf_counter()
            messages: list[str] = []
            try:
                build(self.formats, config=self.config(), jobs=self.jobs)
            except (BuildError, ConfigError) as exc:
                messages = [d.format() for d in exc.diagnostics]
            except Exception as exc:  # a preview must outlive any one bad build
                log.exception("preview: the build failed")
                messages = [f"the build failed: {exc}"]
            with self.changed:
                self.state = BuildState(self.state.generation + 1, not messages, messages,
                                        time.perf_counter() - start)
                self.changed.notify_all()
            return self.state

    def watched(self) -> list[Path]:
        """What a change in rebuilds: the configuration, the sources, the stylesheets, the schema."""
        paths = [self.config_path.resolve(), PROJECT_ROOT / "xslt", PROJECT_ROOT / "schema"]
        try:
            paths.append(self.config().sources)
        except ConfigError:
            paths.append(self.config_path.resolve().parent)
        return [p for p in paths if p.exists()]

    def watch(self, stop: threading.Event, on_build: Callable[[BuildState], None] | None = None) -> None:
        """Rebuild whenever a watched file changes, until ``stop`` is set."""
        from watchfiles import watch

        for changes in watch(*self.watched(), stop_event=stop, debounce=300, step=100):
            names = sorted({Path(p).name for _, p in changes})
            _say(f"{', '.join(names[:5])} changed; rebuilding")
            state = self.build()
            if on_build:
                on_build(state)

    def wait(self, after: int, timeout: float) -> BuildState:
        """The state once its generation is past ``after`` (or as it is when ``timeout`` runs out)."""
        with self.changed:
            self.changed.wait_for(lambda: self.state.generation > after, timeout)
            return self.state


def make_server(preview: Preview, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """An HTTP server for the preview's site (output/html), with the reload events."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:
            log.debug("preview: " + format, *args)

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            if path == EVENTS:
                return self._events()
            if path == STATE:
                return self._send(200, "application/json", preview.state.to_json().encode())
            return self._file(path)

        def _file(self, path: str) -> None:
            site = (preview.config().output / "html").resolve()
            target = (site / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_relative_to(site) or not target.is_file():
                if path in ("/", "/index.html") and not preview.state.ok:  # no site yet: say why
                    return self._send(200, "text/html; charset=utf-8", _failure_page(preview.state))
                return self._send(404, "text/plain; charset=utf-8", b"not found\n")
            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                body = _with_reload_script(body)
                kind += "; charset=utf-8"
            self._send(200, kind, body)

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _events(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not getattr(self.server, "closing", False):
                    state = preview.wait(seen, timeout=1.0)
                    if state.generation != seen:
                        self.wfile.write(f"event: build\ndata: {state.to_json()}\n\n".encode())
                        seen = state.generation
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


def _failure_page(state: BuildState) -> bytes:
    from html import escape

    page = ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head>'
            "<body><main><h1>The edition did not build</h1><pre>"
            + escape("\n".join(state.messages)) + "</pre></main></body></html>")
    return _with_reload_script(page.encode())


def _with_reload_script(page: bytes) -> bytes:
    marker = b"</body>"
    at = page.rfind(marker)
    script = RELOAD_SCRIPT.encode()
    return page[:at] + script + page[at:] if at >= 0 else page + script


def serve(config_path: Path, host: str = "127.0.0.1", port: int = 8000, jobs: int | None = None,
          formats: Sequence[str] = ("html",)) -> int:
    """Build, serve and rebuild on change until interrupted (Ctrl-C)."""
    preview = Preview(config_path, formats, jobs)
    server = make_server(preview, host, port)  # first: a port in use is said before any build
    _report(preview.build())
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop, _report), daemon=True)
    watcher.start()
    address = f"http://{host}:{server.server_address[1]}/"
    _say(f"serving {preview.config().output / 'html'} at {address} (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.closing = True
        server.server_close()
    return 0


def _say(message: str) -> None:
    print(f"edition serve: {message}", file=sys.stderr, flush=True)


def _report(state: BuildState) -> None:
    if state.ok:
        _say(f"build {state.generation} done in {state.seconds:.1f} s")
    else:
        _say(f"build {state.generation} failed; the previous site stays:\n" + "\n".join(state.messages))
