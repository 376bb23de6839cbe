"""The HTML edition: a static site in output/html/ that opens from disk.

Each document becomes one page (xslt/html/document.xsl), the registers one
page each with links to every occurrence (register.xsl), and the front
matter with the chronological table of documents the home page (index.xsl).
All pages render through the shared XSLT core, so they agree with the PDF
and the EPUB. Elements the stylesheets have no template for keep their text
and are reported as warnings.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, replace
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .. import xslt
from ..cache import Memo, Store, digest, file_digests, tree_digest
from ..sources import NS, XML_ID, Source
from ..workers import start_pool
from . import search_index
from .base import Builder, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "html"
ASSETS = XSLT_DIR / "assets"
_UNHANDLED = re.compile(r'data-tei="([^"]+)"')
log = logging.getLogger("edition")


class HtmlBuilder(Builder):
    name = "html"

    def _transform(self, stylesheet: str, source: Source, **params: str | object) -> str:
        executable = xslt.compile_stylesheet(XSLT_DIR / stylesheet)
        base = self.config.base_url
        if base and not base.endswith("/"):
            base += "/"
        xslt.set_parameters(executable, {**self.stylesheet_params(), "base-url": base, **params})
        node = xslt.parse(etree.tostring(source.tree, encoding="unicode"), source.path.resolve().as_uri())
        return executable.transform_to_string(xdm_node=node)

    def render_document(self, document: Source | Path, page: str, original: tuple[Path, str] | None) -> str:
        """One document's page; ``original`` is the text it translates, for the parallel view.

        Given a path, the document is parsed here, in whichever process renders it.
        """
        source = document if isinstance(document, Source) else self.read(document)
        params: dict[str, object] = {"page-name": page}
        if original is not None:
            translated = etree.tostring(self.read(original[0]).tree, encoding="unicode")
            params["parallel"] = xslt.parse(translated, None)
            params["parallel-page"] = original[1]
        return self._transform("document.xsl", source, **params)

    def write(self, staging: Path) -> BuildResult:
        result = BuildResult(self.name, staging)
        config = self.config
        own = self.documents is None
        doc_paths = [config.sources / d for d in config.documents] if own else list(self.documents)
        # What the registers and the home page need of each document, read one at a time: the
        # parent never holds every parsed document (an edition may have thousands).
        # They are kept in the store under the source's bytes: an unchanged document is not parsed.
        store = Store(config.output, self.name)
        memo = Memo(config.output, FACTS_MEMO)
        docs = [stored_facts(p, memo, self.read) for p in doc_paths]
        memo.save()
        unhandled: dict[str, Counter] = defaultdict(Counter)

        made_under: dict[str, str] = {}  # each page's store key: what its search bundle is keyed by

        def emit(name: str, html: str, key: str, stored: Path | None = None) -> None:
            """Put a page in the site, made under the store's ``key``; ``stored`` is the store's
            file of the same bytes, linked rather than written again (a link costs a tenth of
            writing a file here)."""
            made_under[name] = key
            for element in _UNHANDLED.findall(html):
                unhandled[element][name] += 1
            path = staging / name
            if stored is None or not _linked(stored, path):
                path.write_text(html, encoding="utf-8")
            result.files.append(path)

        by_file = {doc.path.name: doc for doc in docs}
        tasks = [(doc.path, doc.page, translated_from(doc, by_file)) for doc in docs]
        # A page is made again only when what it is made from changed (see edition.cache).
        keys = [self._page_key(doc, by_file.get(original[0].name) if original else None)
                for doc, (_, _, original) in zip(docs, tasks, strict=True)]
        cached = [store.get(key) for key in keys]
        todo = [task for task, html in zip(tasks, cached, strict=True) if html is None]
        with self.progress.stage(self.name, "documents", len(tasks)) as step:
            for (_, page, _), html, key in zip(tasks, cached, keys, strict=True):
                if html is not None:
                    emit(page, html.decode("utf-8"), key, store.file(key))
                    step()
            made = iter(keys[i] for i, html in enumerate(cached) if html is None)
            for (_, page, _), html in zip(todo, self._render_all(todo), strict=True):
                key = next(made)
                store.put(key, html.encode("utf-8"))
                emit(page, html, key)
                step()

        registers = {kind: config.sources / name for kind, name in config.registers.items()} if own else {}
        registers = {kind: path for kind, path in registers.items() if path.exists()}
        with self.progress.stage(self.name, "registers and home", len(registers) + 2) as step:
            # made again only when their source or what they list (occurrences, headers) changed;
            # the list itself (hundreds of thousands of anchors) is written only for a register made
            listed = digest(*(json.dumps([doc.page, doc.title, doc.occurrences]) for doc in docs))
            occurrences = cache(lambda: occurrences_xml(docs))

            def register(source: Source, kind: str) -> str:
                return self._transform("register.xsl", source, kind=kind,
                                       occurrences=xslt.parse(occurrences(), None))

            for kind, path in registers.items():
                source = self.read(path)
                emit(f"{kind}.html", *self._stored(store, (kind, source.data, listed),
                                                  lambda s=source, k=kind: register(s, k)))
                step()
            listing = _listing(docs)
            front = self.read(config.sources / config.front) if own and config.front else None
            home = front or _empty_front(config.title)
            emit("index.html", *self._stored(store, ("index", home.data, listing), lambda: self._transform(
                "index.xsl", home, documents=xslt.parse(listing, None))))
            step()
            emit("search.html", *self._stored(store, ("search", home.data),
                                             lambda: self._transform("search.xsl", home)))
            step()
        shutil.copytree(ASSETS, staging / "assets")
        with self.progress.stage(self.name, "search index", 1) as step:
            document_pages = [doc.page for doc in docs]
            others = [f.name for f in result.files if f.name not in set(document_pages)]
            search = Store(config.output, "search")
            search_index.index_site(staging, document_pages, others, search, self.jobs or os.cpu_count() or 1,
                                    self.output, made_under)
            search.keep_only_used()
            step()
        result.pages = len(result.files)
        store.keep_only_used()
        log.info("html: %d document page(s) made, %d taken from the cache", len(todo), len(tasks) - len(todo))
        for element, where in sorted(unhandled.items()):
            names = sorted(where)
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more pages" if len(names) > 3 else "")
            result.warnings.append(f"<{element}> has no template of its own; its text is kept "
                                   f"({sum(where.values())}× in {shown})")
        return result

    def _render_all(self, tasks: list[tuple[Path, str, tuple[Path, str] | None]]) -> Iterator[str]:
        """The pages of the given documents, in order: here, or in worker processes when many."""
        if len(tasks) < PARALLEL_THRESHOLD or self.jobs == 1:
            return (self.render_document(*task) for task in tasks)
        # saxonche is not thread-safe: worker processes, each compiling the stylesheets once.
        jobs = self.jobs or os.cpu_count() or 1

        def rendered() -> Iterator[str]:
            with start_pool(jobs, initializer=_init_worker, initargs=(self.config,)) as pool:
                yield from pool.map(_render_in_worker, tasks, chunksize=max(1, len(tasks) // (jobs * 4)))

        return rendered()

    def _stored(self, store: Store, made_from: tuple[str | bytes, ...], make: Callable[[], str]
                ) -> tuple[str, str]:
        """A page taken from the store when it was made from the same things, else made and
        stored; with its key."""
        key = self._key(*made_from)
        cached = store.get(key)
        if cached is not None:
            return cached.decode("utf-8"), key
        page = make()
        store.put(key, page.encode("utf-8"))
        return page, key

    def _key(self, *made_from: str | bytes) -> str:
        """The store's key for a page made from ``made_from`` with these stylesheets and parameters."""
        params = json.dumps({**self.stylesheet_params(), "base-url": self.config.base_url}, sort_keys=True)
        return digest(tree_digest(XSLT_DIR, XSLT_DIR.parent / "common"), params, *made_from)

    def _page_key(self, doc: DocumentFacts, original: DocumentFacts | None) -> str:
        """Everything a document's page is made from: its source (and the text it translates),
        its page name, the stylesheets and the edition's parameters."""
        if original is None:
            return self._key(doc.page, doc.digest)
        return self._key(doc.page, doc.digest, original.page, original.digest)


def _linked(stored: Path, path: Path) -> bool:
    """Whether ``path`` could be made a hard link to ``stored``. The store never changes a file
    it has (a new product is a new file, see edition.cache), nor does a build change a page it
    put in the site, so the two may share their bytes."""
    try:
        os.link(stored, path)
        return True
    except OSError:
        return False


PARALLEL_THRESHOLD = 24  # below this, starting worker processes costs more than it saves
_worker: dict[str, HtmlBuilder] = {}


def _init_worker(config) -> None:
    _worker["builder"] = HtmlBuilder(config)


def _render_in_worker(task: tuple[Path, str, tuple[Path, str] | None]) -> str:
    return _worker["builder"].render_document(*task)


FACTS_MEMO = "document-facts"  # the memo of documents' facts, which the HTML and the PDF share


def stored_facts(path: Path, memo: Memo, read: Callable[[Path], Source]) -> DocumentFacts:
    """A document's facts, from the memo when its bytes are as when they were read before
    (which the file's digest says: see edition.cache.FileDigests)."""
    file_digest = file_digests(memo.output).of(path)
    if file_digest is None:
        return facts_of(read(path))  # read() reports the file
    key = digest("facts-3", str(path.resolve()), file_digest)
    cached = memo.get(key)
    if cached is not None:
        return DocumentFacts.from_dict(cached)
    facts = facts_of(read(path))
    if facts.digest == file_digest:  # not changed since its digest was taken
        memo.put(key, facts.as_dict())
    return facts


@dataclass
class DocumentFacts:
    """What the registers and the home page need of a document, without its tree."""

    path: Path
    page: str
    title: str
    lang: str
    header: str  # the teiHeader as XML, for the home page's table
    corresp_files: list[str]  # the files its paragraphs' @corresp point into (a translation's original)
    occurrences: dict[str, list[str]]  # register entry id -> the anchors naming it on the page
    digest: str = ""  # of the source's bytes
    ident: str = ""  # its xml:id

    def as_dict(self) -> dict:
        """The facts as JSON can keep them (for the store)."""
        return {**asdict(self), "path": str(self.path)}

    @classmethod
    def from_dict(cls, data: dict) -> DocumentFacts:
        return cls(**{**data, "path": Path(data["path"])})


def facts_of(source: Source) -> DocumentFacts:
    page = page_name(source)
    header = source.root.find("tei:teiHeader", NS)
    files = []
    for value in source.root.xpath("//tei:text//tei:p/@corresp", namespaces=NS):
        file = value.split()[0].partition("#")[0]
        if file and file not in files:
            files.append(file)
    found: dict[str, list[str]] = defaultdict(list)
    for el in source.root.iterfind(".//tei:text//*[@ref]", NS):
        _record(found, el.get("ref"), el)
    for el in source.root.iterfind(".//tei:text//tei:sp[@who]", NS):
        _record(found, el.get("who"), el)
    return DocumentFacts(source.path, page, _title(source), source.root.get(XML_LANG, ""),
                         etree.tostring(header, encoding="unicode") if header is not None else "",
                         files, dict(found), digest(source.data), source.root.get(XML_ID) or "")


def translated_from(doc: DocumentFacts, by_file: dict[str, DocumentFacts]) -> tuple[Path, str] | None:
    """The document a translation is aligned with (path, page): the file its @corresp point into."""
    for file in doc.corresp_files:
        if file != doc.path.name and file in by_file:
            return by_file[file].path, by_file[file].page
    return None


def page_name(source: Source) -> str:
    ident = source.root.get(XML_ID) or source.path.stem
    return re.sub(r"[^A-Za-z0-9_.-]", "-", ident) + ".html"


def occurrences_xml_of(sources: list[Source], pages: list[str]) -> str:
    """:func:`occurrences_xml` for parsed documents shown on the given pages (as the EPUB names them)."""
    return occurrences_xml([replace(facts_of(s), page=p) for s, p in zip(sources, pages, strict=True)])


def occurrences_xml(docs: list[DocumentFacts]) -> str:
    """Where each register entry is named: per page, the anchors (paragraph, note, heading)
    of every occurrence, as XML for the register stylesheet.

    Made at every HTML build from every document's facts (hundreds of thousands of
    anchors at 500 documents), so each document's opening tag is escaped once and
    ids (which need no escaping when they are XML names) are written as they are.
    """
    found: dict[str, list[str]] = defaultdict(list)
    for doc in docs:
        opening = f"<doc href={quoteattr(doc.page)} title={quoteattr(doc.title)}>"
        for ident, anchors in doc.occurrences.items():
            at = "".join(f'<at id="{_attr(a)}" label="{_anchor_label(a)}"/>' for a in anchors)
            found[ident].append(f"{opening}{at}</doc>")
    rows = [f"<entry id={quoteattr(ident)}>{''.join(where)}</entry>"
            for ident, where in sorted(found.items())]
    return f"<occurrences>{''.join(rows)}</occurrences>"


_NEEDS_ESCAPING = re.compile(r'[&<>"\t\n\r]')


def _attr(value: str) -> str:
    """An attribute value's text, escaped only when it has to be."""
    return quoteattr(value)[1:-1] if _NEEDS_ESCAPING.search(value) else value


_REGISTERS = ("persons.xml", "places.xml", "organisations.xml")


def _record(found: dict[str, list[str]], pointer: str, el: etree._Element) -> None:
    file, _, ident = pointer.split()[0].partition("#")
    if file not in _REGISTERS or not ident:
        return
    # the nearest element with an id that the page also has: the paragraph, note or heading
    # (a speaker turn is found at its first paragraph; the document's own id is not an anchor)
    first_p = el.find(".//tei:p[@xml:id]", NS) if el.tag == f"{{{NS['tei']}}}sp" else None
    candidates = [el, *el.iterancestors()] if first_p is None else [first_p]
    anchor = next((a.get(XML_ID) for a in candidates if a.get(XML_ID) and a.getparent() is not None), "")
    anchors = found[ident]
    if anchor and anchor not in anchors:
        anchors.append(anchor)
    elif not anchor and not anchors:
        anchors.append("")


def _anchor_label(anchor: str) -> str:
    """How an occurrence is cited: ¶ 12 for a paragraph, n. 5 for a note."""
    tail = anchor.rpartition("-")[2] if "-" in anchor else ""
    kind, number = tail[:1], tail[1:]
    if kind not in _LABELS or not number.isdigit() or not number.isascii():
        return "¶" if anchor else "page"
    return _LABELS[kind] + number


_LABELS = {"p": "¶ ", "n": "n. ", "a": "annotation "}


def _listing(docs: list[DocumentFacts]) -> str:
    """The documents' headers, with their pages, for the home page's table."""
    items = [f"<document href={quoteattr(doc.page)} lang={quoteattr(doc.lang)}>{doc.header}</document>"
             for doc in docs]
    return f"<documents>{''.join(items)}</documents>"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _title(source: Source) -> str:
    title = source.root.find(".//tei:titleStmt/tei:title", NS)
    return " ".join(title.xpath("string()").split()) if title is not None else source.path.stem


def _empty_front(title: str) -> Source:
    xml = (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{escape(title)}'
           "</title></titleStmt></fileDesc></teiHeader><text><body/></text></TEI>")
    return Source(Path("front.xml"), "front.xml", xml.encode(), etree.ElementTree(etree.fromstring(xml)))
