"""A small ISO Schematron engine over lxml.

Why not compile the schema to XSLT and run it in Saxon? Speed: handing a
parsed document to Saxon means parsing it a second time, and the edition's
budget for full validation is five bare parses. Here the rules run on the
tree lxml has already built. The engine covers the part of ISO Schematron
the edition's schema uses: ``ns``, ``pattern``, ``rule`` (first matching
rule per pattern wins), ``let`` (in rules), ``assert``, ``report``,
``name``, ``value-of``, ``@role``, ``@id``, ``@subject`` and ``@properties``; rule
contexts select elements (lxml cannot start an XPath from an attribute, so
the schema tests attributes from their element). Tests are
XPath 1.0 plus the edition's functions (:mod:`edition.xpathfunctions`);
``xsl:function`` elements in the schema are for editors' tools and are
skipped here.
"""

from __future__ import annotations

import re
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
    subject: etree.XPath | None  # the node the finding is about, if not the context
    fires_when: bool  # report fires when the test is true, assert when false
    message: list  # strings and (kind, XPath | None) pairs
    properties: tuple[str, ...]


@dataclass
class _Rule:
    context: etree.XPath
    lets: list[tuple[str, etree.XPath]]
    checks: list[_Check]
    failing: etree.XPath | None  # the context nodes that fail at least one check


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

    @staticmethod
    def _context_expr(pattern: str) -> str:
        parts = [p.strip() for p in pattern.split("|")]
        return " | ".join(p if p.startswith("/") else "//" + p for p in parts)

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
        lets = [(let.get("name"), let.get("value")) for let in rule.iterfind(f"{S}let")]
        checks = []
        conditions = []
        for el in rule:
            if el.tag not in (f"{S}assert", f"{S}report"):
                continue
            test = el.get("test")
            checks.append(_Check(
                code=el.get("id", "SCH"),
                role=el.get("role", "error"),
                test=self._xpath(test),
                subject=self._xpath(el.get("subject")) if el.get("subject") else None,
                fires_when=el.tag == f"{S}report",
                message=self._message(el),
                properties=tuple((el.get("properties") or "").split()),
            ))
            inlined = _inline(test, lets)
            if inlined is None:
                conditions = None
            elif conditions is not None:
                conditions.append(f"({inlined})" if el.tag == f"{S}report" else f"not({inlined})")
        context = self._context_expr(rule.get("context"))
        return _Rule(
            context=self._xpath(context),
            lets=[(name, self._xpath(value)) for name, value in lets],
            checks=checks,
            failing=None if conditions is None else
            self._xpath(f"({context})[{' or '.join(conditions) or 'false()'}]"),
        )

    def run(self, tree: etree._ElementTree) -> Iterator[Failure]:
        """Evaluate every pattern; yield each failure.

        Each rule's checks are first evaluated together, over the whole tree,
        by one XPath that selects the context nodes failing any of them; only
        those few nodes are then checked one assert at a time to say which
        fired. Calling XPath from Python once per node and assert would cost
        ten times more.
        """
        for rules in self.patterns:
            matched: set = set()
            for position, rule in enumerate(rules):
                candidates = rule.failing(tree) if rule.failing is not None else rule.context(tree)
                for node in candidates:
                    if not isinstance(node, etree._Element):
                        raise SchematronError("rule contexts must select elements")
                    if node not in matched:
                        yield from self._apply(rule, node)
                if position < len(rules) - 1:  # first matching rule per pattern wins
                    matched.update(rule.context(tree))

    def _apply(self, rule: _Rule, node: etree._Element) -> Iterator[Failure]:
        variables: dict[str, object] = {}
        for name, expr in rule.lets:
            variables[name] = expr(node, **variables)
        for check in rule.checks:
            if bool(check.test(node, **variables)) == check.fires_when:
                message = _render(check.message, node, variables)
                props = {p: _render(self.properties.get(p, []), node, variables)
                         for p in check.properties}
                subject = check.subject(node, **variables) if check.subject is not None else None
                if isinstance(subject, list):
                    subject = subject[0] if subject else None
                located = subject if isinstance(subject, etree._Element) else node
                yield Failure(check.code, check.role, message, located, props)


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


def _inline(expr: str, lets: list[tuple[str, str]]) -> str | None:
    """Replace the rule's $variables by their (parenthesised) expressions.

    A let is evaluated with the rule's context node as context, which is also
    the context of a predicate on that node, so the substitution is exact,
    except inside a nested predicate, where the context node is another:
    then None is returned and the rule is evaluated node by node.
    """
    for _ in range(len(lets) + 1):
        changed = False
        for name, value in lets:
            pattern = re.compile(r"\$" + re.escape(name) + r"(?![\w.-])")
            for m in pattern.finditer(expr):
                if expr[: m.start()].count("[") > expr[: m.start()].count("]"):
                    return None
            expr, n = pattern.subn(lambda _m, v=value: f"({v})", expr)
            changed = changed or n > 0
        if not changed:
            return expr
    return expr
