"""A small ISO Schematron engine over lxml.

Why not compile the schema to XSLT and run it in Saxon? Speed: handing a
parsed document to Saxon means parsing it a second time, and the edition's
budget for full validation is five bare parses. Here the rules run on the
tree lxml has already built. The engine covers the part of ISO Schematron
the edition's schema uses: ``ns``, ``pattern``, ``rule`` (first matching
rule per pattern wins), ``let`` (in rules), ``assert``, ``report``,
``name``, ``value-of``, ``@role``, ``@id`` and ``@properties``; rule
contexts select elements (lxml cannot start an XPath from an attribute, so
the schema tests attributes from their element). Tests are
XPath 1.0 plus the edition's functions (:mod:`edition.xpathfunctions`);
``xsl:function`` elements in the schema are for editors' tools and are
skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .sources import safe_parser

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
S = f"{{{SCH_NS}}}"


class SchematronError(Exception):
    """The schema itself is broken (a bad XPath, an unknown construct)."""


@dataclass(frozen=True)
class Failure:
    """An assert that failed or a report that fired, on one node."""

    code: str
    role: str
    message: str
    node: etree._Element
    properties: dict[str, str]


@dataclass
class _Check:
    code: str
    role: str
    test: etree.XPath
    fires_when: bool  # report fires when the test is true, assert when false
    message: list  # strings and (kind, XPath | None) pairs
    properties: tuple[str, ...]


@dataclass
class _Rule:
    context: etree.XPath
    lets: list[tuple[str, etree.XPath]]
    checks: list[_Check]


class Schematron:
    """A compiled schema: XPath objects built once, applied to many trees."""

    def __init__(self, path: Path):
        doc = etree.parse(str(path), safe_parser())
        root = doc.getroot()
        self.ns = {ns.get("prefix"): ns.get("uri") for ns in root.iterfind(f"{S}ns")}
        self.properties: dict[str, list] = {}
        for prop in root.iterfind(f"{S}properties/{S}property"):
            self.properties[prop.get("id")] = self._message(prop)
        self.patterns: list[list[_Rule]] = []
        for pattern in root.iterfind(f"{S}pattern"):
            self.patterns.append([self._rule(r) for r in pattern.iterfind(f"{S}rule")])

    def _xpath(self, expr: str) -> etree.XPath:
        try:
            return etree.XPath(expr, namespaces=self.ns, smart_strings=True)
        except etree.XPathSyntaxError as exc:
            raise SchematronError(f"bad XPath {expr!r}: {exc}") from None

    def _context(self, pattern: str) -> etree.XPath:
        parts = [p.strip() for p in pattern.split("|")]
        return self._xpath(" | ".join(p if p.startswith("/") else "//" + p for p in parts))

    def _message(self, el: etree._Element) -> list:
        parts: list = [el.text or ""]
        for child in el:
            if child.tag == f"{S}name":
                sel = child.get("path")
                parts.append(("name", self._xpath(sel) if sel else None))
            elif child.tag == f"{S}value-of":
                parts.append(("value", self._xpath(child.get("select"))))
            else:
                parts.append(child.xpath("string()"))
            parts.append(child.tail or "")
        return parts

    def _rule(self, rule: etree._Element) -> _Rule:
        lets = [(let.get("name"), self._xpath(let.get("value")))
                for let in rule.iterfind(f"{S}let")]
        checks = []
        for el in rule:
            if el.tag not in (f"{S}assert", f"{S}report"):
                continue
            checks.append(_Check(
                code=el.get("id", "SCH"),
                role=el.get("role", "error"),
                test=self._xpath(el.get("test")),
                fires_when=el.tag == f"{S}report",
                message=self._message(el),
                properties=tuple((el.get("properties") or "").split()),
            ))
        return _Rule(self._context(rule.get("context")), lets, checks)

    def run(self, tree: etree._ElementTree) -> Iterator[Failure]:
        """Evaluate every pattern; yield each failure in document order per pattern."""
        for rules in self.patterns:
            seen: set = set()
            for rule in rules:
                for node in rule.context(tree):
                    if not isinstance(node, etree._Element):
                        raise SchematronError("rule contexts must select elements")
                    if node in seen:
                        continue
                    seen.add(node)
                    yield from self._apply(rule, node)

    def _apply(self, rule: _Rule, node: etree._Element) -> Iterator[Failure]:
        variables: dict[str, object] = {}
        for name, expr in rule.lets:
            variables[name] = expr(node, **variables)
        for check in rule.checks:
            if bool(check.test(node, **variables)) == check.fires_when:
                message = _render(check.message, node, variables)
                props = {p: _render(self.properties.get(p, []), node, variables)
                         for p in check.properties}
                yield Failure(check.code, check.role, message, node, props)


def _stringify(value) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, etree._Element):
        return value.xpath("string()")
    return str(value)


def _render(parts: list, node: etree._Element, variables: dict) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        kind, expr = part
        if kind == "name" and expr is None:
            out.append(etree.QName(node).localname)
        else:
            out.append(_stringify(expr(node, **variables)))
    return " ".join("".join(out).split())
