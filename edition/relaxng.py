"""RELAX NG validation with messages an editor can act on.

libxml2 reports a RELAX NG failure at the outermost choice it abandoned
("Expecting element sp, got p"), often lines away from the mistake. So when
a document fails, the edition explains it itself: first the mistakes
editors make most (an element or attribute the schema does not have),
named at their own line and column with the closest valid name; then, by
validating subtrees on their own, the deepest element that is wrong, and
which of its children it may not contain. The fast path (a valid document)
costs one libxml2 validation.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lxml import etree

from .diagnostics import ERROR, Diagnostic
from .schemagen import R
from .sources import TEI_NS, XML_NS, Source, safe_parser


@dataclass
class SchemaVocabulary:
    """Per element: the attributes it may carry and the elements it may contain."""

    attributes: dict[str, set[str]]
    children: dict[str, set[str]]

    @property
    def elements(self) -> set[str]:
        return set(self.attributes)


def vocabulary(grammar: etree._Element) -> SchemaVocabulary:
    defines = {d.get("name"): d for d in grammar.iterfind(f"{R}define")}
    attributes: dict[str, set[str]] = {}
    children: dict[str, set[str]] = {}
    for define in defines.values():
        element = define.find(f"{R}element")
        if element is None:
            continue
        attrs: set[str] = set()
        kids: set[str] = set()
        seen: set[str] = set()
        todo = [element]
        while todo:
            for child in todo.pop().iter():
                if child.tag == f"{R}attribute" and child.get("name"):
                    attrs.add(child.get("name"))
                elif child.tag == f"{R}ref":
                    target = defines.get(child.get("name"))
                    if target is None or child.get("name") in seen:
                        continue
                    nested = target.find(f"{R}element")
                    if nested is not None:
                        kids.add(nested.get("name"))
                        continue
                    seen.add(child.get("name"))
                    todo.append(target)
        attributes[element.get("name")] = attrs
        children[element.get("name")] = kids
    return SchemaVocabulary(attributes, children)


class RelaxNGValidator:
    """The edition's schema, compiled once, with what is needed to explain failures."""

    def __init__(self, rng_path: Path):
        self.grammar = etree.parse(str(rng_path), safe_parser()).getroot()
        self.schema = etree.RelaxNG(self.grammar)
        self._element_schemas: dict[str, etree.RelaxNG] = {}

    @cached_property
    def vocabulary(self) -> SchemaVocabulary:
        """Worked out at the first invalid file: a build that validates one valid file never needs it."""
        return vocabulary(self.grammar)

    def check(self, source: Source) -> list[Diagnostic]:
        if self.schema.validate(source.tree):
            return []
        found = self._vocabulary_findings(source)
        if found:
            return found
        return self._localised_findings(source)

    def _schema_for(self, name: str) -> etree.RelaxNG:
        """A schema whose start is one element: TEI defines every element globally,
        so a subtree can be judged on its own."""
        if name not in self._element_schemas:
            grammar = copy.deepcopy(self.grammar)
            start = grammar.find(f"{R}start")
            for child in list(start):
                start.remove(child)
            etree.SubElement(start, f"{R}ref", name=name)
            self._element_schemas[name] = etree.RelaxNG(grammar)
        return self._element_schemas[name]

    def _subtree_valid(self, el: etree._Element) -> tuple[bool, list[str]]:
        schema = self._schema_for(etree.QName(el).localname)
        subtree = copy.deepcopy(el)
        subtree.tail = None  # text after the element is its parent's business
        ok = schema.validate(etree.ElementTree(subtree))
        return ok, [e.message for e in schema.error_log]

    def _culprit(self, el: etree._Element) -> tuple[etree._Element, list[str]]:
        """The deepest element whose subtree is invalid while its children's are valid."""
        _, messages = self._subtree_valid(el)
        while True:
            for child in el.iterchildren(etree.Element):
                child_ok, child_messages = self._subtree_valid(child)
                if not child_ok:
                    el, messages = child, child_messages
                    break
            else:
                return el, messages

    def _localised_findings(self, source: Source) -> list[Diagnostic]:
        el, messages = self._culprit(source.root)
        name = etree.QName(el).localname
        allowed = self.vocabulary.children.get(name, set())
        out = []
        for child in el.iterchildren(etree.Element):
            child_name = etree.QName(child).localname
            if child_name not in allowed:
                line, col = source.location(child)
                out.append(Diagnostic(
                    source.display, line, col, ERROR, "E-SCHEMA",
                    f"<{child_name}> is not allowed inside <{name}>",
                    "allowed here: " + ", ".join(f"<{n}>" for n in sorted(allowed)[:12])
                    + (" ..." if len(allowed) > 12 else "") if allowed else
                    f"<{name}> contains no elements"))
        if out:
            return out
        line, col = source.location(el)
        detail = "; ".join(dict.fromkeys(m for m in messages if m))
        m = re.search(r"(?:attribute|Attribute) (\S+)", detail)
        if m and m.group(1) in el.attrib:
            line, col = source.attribute_location(el, m.group(1))
        return [Diagnostic(
            source.display, line, col, ERROR, "E-SCHEMA",
            f"<{name}> does not match the edition's schema: {detail or 'invalid content'}",
            "check the order of its children and the values of its attributes against "
            "docs/encoding-guide.md")]

    def _vocabulary_findings(self, source: Source) -> list[Diagnostic]:
        out = []
        known = self.vocabulary.elements
        for el in source.root.iter(etree.Element):
            qname = etree.QName(el)
            line, col = source.location(el)
            if qname.namespace != TEI_NS:
                out.append(Diagnostic(
                    source.display, line, col, ERROR, "E-SCHEMA",
                    f"element <{qname.localname}> is not in the TEI namespace",
                    "edition files use only TEI elements; check the xmlns declaration"))
                continue
            if qname.localname not in known:
                close = difflib.get_close_matches(qname.localname, sorted(known), n=1)
                out.append(Diagnostic(
                    source.display, line, col, ERROR, "E-SCHEMA",
                    f"element <{qname.localname}> is not part of the edition's TEI schema",
                    f"did you mean <{close[0]}>?" if close else
                    "see schema/edition.odd for the elements the edition uses"))
                continue
            allowed = self.vocabulary.attributes[qname.localname]
            for attr in el.attrib:
                name = _attribute_qname(attr)
                if name not in allowed:
                    aline, acol = source.attribute_location(el, attr)
                    close = difflib.get_close_matches(name, sorted(allowed), n=1)
                    out.append(Diagnostic(
                        source.display, aline, acol, ERROR, "E-SCHEMA",
                        f"<{qname.localname}> has no attribute @{name} in the edition's schema",
                        f"did you mean @{close[0]}?" if close else ""))
        return out


def _attribute_qname(attr: str) -> str:
    if attr.startswith(f"{{{XML_NS}}}"):
        return "xml:" + attr.split("}")[1]
    return attr.split("}")[-1]
