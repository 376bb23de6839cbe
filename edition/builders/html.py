"""The HTML edition: a static site in output/html/ that opens from disk.

Each document becomes one page (xslt/html/document.xsl), the registers one
page each with links to every occurrence (register.xsl), and the front
matter with the chronological table of documents the home page (index.xsl).
All pages render through the shared XSLT core, so they agree with the PDF
and the EPUB. Elements the stylesheets have no template for keep their text
and are reported as warnings.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from .. import xslt
from ..sources import NS, XML_ID, Source
from .base import Builder, BuildResult

XSLT_DIR = Path(__file__).resolve().parent.parent.parent / "xslt" / "html"
ASSETS = XSLT_DIR / "assets"
_UNHANDLED = re.compile(r'data-tei="([^"]+)"')


class HtmlBuilder(Builder):
    name = "html"

    def _params(self, executable) -> None:
        proc = xslt.processor()
        base = self.config.base_url
        if base and not base.endswith("/"):
            base += "/"
        for key, value in (("edition-title", self.config.title), ("publisher", self.config.publisher),
                           ("base-url", base), ("editors", ", ".join(self.config.editors))):
            executable.set_parameter(key, proc.make_string_value(value))

    def _transform(self, stylesheet: str, source: Source, **params: str | object) -> str:
        executable = xslt.compile_stylesheet(XSLT_DIR / stylesheet)
        executable.clear_parameters()
        self._params(executable)
        proc = xslt.processor()
        for key, value in params.items():
            xdm = proc.make_string_value(value) if isinstance(value, str) else value
            executable.set_parameter(key, xdm)
        node = xslt.parse(etree.tostring(source.tree, encoding="unicode"), source.path.resolve().as_uri())
        return executable.transform_to_string(xdm_node=node)

    def write(self, staging: Path) -> BuildResult:
        result = BuildResult(self.name, staging)
        config = self.config
        own = self.documents is None
        doc_paths = [config.sources / d for d in config.documents] if own else list(self.documents)
        docs = [self.read(p) for p in doc_paths]
        unhandled: dict[str, Counter] = defaultdict(Counter)

        def emit(name: str, html: str) -> None:
            for element in _UNHANDLED.findall(html):
                unhandled[element][name] += 1
            path = staging / name
            path.write_text(html, encoding="utf-8")
            result.files.append(path)

        pages = []
        for source in docs:
            page = page_name(source)
            pages.append(page)
            emit(page, self._transform("document.xsl", source, **{"page-name": page}))

        registers = {kind: config.sources / name for kind, name in config.registers.items()} if own else {}
        occurrences = _occurrences(docs, pages)
        for kind, path in registers.items():
            if path.exists():
                emit(f"{kind}.html", self._transform(
                    "register.xsl", self.read(path), kind=kind,
                    occurrences=xslt.parse(occurrences, None)))

        listing = _listing(docs, pages)
        front = self.read(config.sources / config.front) if own and config.front else None
        home = front or _empty_front(config.title)
        emit("index.html", self._transform("index.xsl", home, documents=xslt.parse(listing, None)))

        shutil.copytree(ASSETS, staging / "assets")
        for element, where in sorted(unhandled.items()):
            pages_list = ", ".join(sorted(where))
            result.warnings.append(f"<{element}> has no template of its own; its text is kept "
                                   f"({sum(where.values())}× in {pages_list})")
        return result


def page_name(source: Source) -> str:
    ident = source.root.get(XML_ID) or source.path.stem
    return re.sub(r"[^A-Za-z0-9_.-]", "-", ident) + ".html"


def _occurrences(docs: list[Source], pages: list[str]) -> str:
    """Which pages name each register entry, as XML for the register stylesheet."""
    found: dict[str, Counter] = defaultdict(Counter)
    titles = {}
    for source, page in zip(docs, pages, strict=True):
        titles[page] = _title(source)
        for el in source.root.iterfind(".//tei:text//*[@ref]", NS):
            ref = el.get("ref").split()[0]
            if "#" in ref and ref.split("#")[0] in ("persons.xml", "places.xml", "organisations.xml"):
                found[ref.split("#")[1]][page] += 1
        for el in source.root.iterfind(".//tei:text//tei:sp[@who]", NS):
            ref = el.get("who").split()[0]
            if ref.startswith("persons.xml#"):
                found[ref.split("#")[1]][page] += 1
    rows = []
    for ident, where in sorted(found.items()):
        docs_xml = "".join(f"<doc href={quoteattr(p)} n=\"{n}\" title={quoteattr(titles[p])}/>"
                           for p, n in where.items())
        rows.append(f"<entry id={quoteattr(ident)}>{docs_xml}</entry>")
    return f"<occurrences>{''.join(rows)}</occurrences>"


def _listing(docs: list[Source], pages: list[str]) -> str:
    """The documents' headers, with their pages, for the home page's table."""
    items = []
    for source, page in zip(docs, pages, strict=True):
        header = source.root.find("tei:teiHeader", NS)
        xml = etree.tostring(header, encoding="unicode") if header is not None else ""
        items.append(f"<document href={quoteattr(page)} lang={quoteattr(source.root.get(XML_LANG, ''))}>"
                     f"{xml}</document>")
    return f"<documents>{''.join(items)}</documents>"


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _title(source: Source) -> str:
    title = source.root.find(".//tei:titleStmt/tei:title", NS)
    return " ".join(title.xpath("string()").split()) if title is not None else source.path.stem


def _empty_front(title: str) -> Source:
    xml = (f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{escape(title)}'
           "</title></titleStmt></fileDesc></teiHeader><text><body/></text></TEI>")
    return Source(Path("front.xml"), "front.xml", xml.encode(), etree.ElementTree(etree.fromstring(xml)))
