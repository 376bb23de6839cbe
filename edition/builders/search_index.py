"""The HTML edition's search index: Pagefind bundles of a bounded size, made only when changed.

Pagefind indexes a whole site in one process whose memory grows with the
site (670 MB for 505 pages), and it has no incremental mode. So the site is
indexed in bundles: the pages that are not documents (home, registers) in
``pagefind/``, which the search page loads, and the documents in groups of
:data:`PAGES_PER_BUNDLE` in ``pagefind-1/``, ``pagefind-2/``..., which it merges
in (``search-bundles.json`` lists them). A bundle is stored under a digest of its
pages (see :mod:`edition.cache`): after one document changed, only its bundle and
the small one of the other pages are indexed again. Bundles are indexed in
parallel, one Pagefind process each.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

from ..cache import Store, digest
from ..diagnostics import ERROR, Diagnostic
from .base import BuildError

log = logging.getLogger("edition")
# Pagefind takes about 0.4 s + 14 ms a page here: smaller bundles make a rebuild after one change quicker
PAGES_PER_BUNDLE = 25
BUNDLES_FILE = "search-bundles.json"
KEYS_FILE = ".search-bundle-keys.json"  # in the site: each bundle's name and the key it was made under


def index_site(site: Path, documents: list[str], others: list[str], store: Store | None, jobs: int,
               previous: Path | None = None, made_under: Mapping[str, str] | None = None) -> None:
    """Index the site's pages (file names under ``site``) into Pagefind bundles.

    A bundle the ``previous`` site has from the same pages is linked from there (each site
    records which pages each of its bundles was made from, in KEYS_FILE: it is swapped into place
    with them, so a build that failed after indexing cannot vouch for bundles it never published);
    one kept in the store is unpacked; the others are indexed. A bundle is keyed by its pages'
    names and bytes, or, for a page in ``made_under``, the key it was made under in the page store
    (which stands for its bytes: hashing every page of a large site again took a tenth of a rebuild).
    """
    made_under = made_under or {}

    def fingerprint(page: str) -> str | bytes:
        key = made_under.get(page)
        return f"page store: {key}" if key else (site / page).read_bytes()

    size = PAGES_PER_BUNDLE
    groups = [others] + [documents[i:i + size] for i in range(0, len(documents), size)]
    names = ["pagefind"] + [f"pagefind-{n}" for n in range(1, len(groups))]
    keys = [digest("pagefind-2", *(part for page in group for part in (page, fingerprint(page))))
            for group in groups]
    before = _keys_of(previous) if store is not None and previous is not None else {}
    todo = []
    for name, group, key in zip(names, groups, keys, strict=True):
        if before.get(name) == key and _linked_tree(previous / name, site / name):
            store.file(key)  # still used: the store keeps it
            continue
        packed = store.get(key) if store is not None else None
        if packed is not None:
            with zipfile.ZipFile(io.BytesIO(packed)) as archive:
                archive.extractall(site / name)
        else:
            todo.append((name, group, key))
    with ThreadPoolExecutor(max(1, jobs)) as pool:  # each thread waits on one Pagefind process
        list(pool.map(lambda task: _index(site, task[0], task[1]), todo))
    for name, _, key in todo:
        if store is not None:
            store.put(key, _pack(site / name))
    (site / BUNDLES_FILE).write_text(json.dumps(names[1:]), encoding="utf-8")
    (site / KEYS_FILE).write_text(json.dumps(dict(zip(names, keys, strict=True))), encoding="utf-8")
    log.info("html: %d search bundle(s) indexed, %d taken from the cache", len(todo), len(groups) - len(todo))


def _keys_of(site: Path) -> dict[str, str]:
    try:
        return json.loads((site / KEYS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _linked_tree(old: Path, new: Path) -> bool:
    """Whether ``new`` could be made a copy of the folder ``old`` in hard links (a tenth of the cost
    of writing its files; neither site changes a file once written)."""
    if not old.is_dir():
        return False
    try:
        shutil.copytree(old, new, copy_function=os.link)
        return True
    except (OSError, shutil.Error):
        shutil.rmtree(new, ignore_errors=True)
        return False


def _index(site: Path, name: str, pages: list[str]) -> None:
    glob = "{" + ",".join(pages) + "}" if len(pages) > 1 else (pages[0] if pages else "nothing.none")
    command = [*_pagefind(), "--site", str(site), "--glob", glob, "--output-subdir", name, "--quiet"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    if run.returncode != 0 or not (site / name / "pagefind.js").is_file():
        detail = (run.stdout + run.stderr).strip().splitlines()[-1:] or ["no index written"]
        raise BuildError([Diagnostic(str(site), 1, 1, ERROR, "E-SEARCH",
                                     f"Pagefind could not index the site ({name}): {detail[0]}",
                                     "run `bash scripts/setup.sh` to install pagefind[bin]")])


@cache
def _pagefind() -> list[str]:
    """Pagefind's binary as pagefind[bin] installs it (a Python launcher in front of it costs 0.2 s
    a bundle), else whatever ``python -m pagefind`` finds."""
    try:
        from pagefind_bin import get_executable

        return [str(get_executable())]
    except (ImportError, OSError, FileNotFoundError):
        return [sys.executable, "-m", "pagefind"]


def _pack(folder: Path) -> bytes:
    """A bundle folder as zip bytes, in a fixed order (for the store)."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as archive:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            archive.write(path, path.relative_to(folder).as_posix())
    return data.getvalue()
