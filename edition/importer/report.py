"""The summary an editor reads after an import: what was recognised, what is left to do.

Counted from the finished draft's model (not from the recognisers' own
bookkeeping), so the table always describes the draft that was written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .model import Document, Span, Turn, Unit, plain_text, walk


@dataclass
class Summary:
    """Figures and lists for one draft."""

    path: str
    counts: dict[str, int] = field(default_factory=dict)
    plain: list[str] = field(default_factory=list)  # ids (and first words) of plain paragraphs
    names: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    dropped: int = 0
    errors: int | None = None

    def table(self, verbose: bool = False) -> str:
        """The summary as an aligned two-column table, lists below it."""
        c = self.counts
        rows = [
            ("footnotes at their calls", f"{c.get('notes', 0)}"),
            ("speaker turns", f"{c.get('turns', 0)} ({c.get('turn_paragraphs', 0)} paragraphs)"),
            ("narrative lines (stage)", f"{c.get('stages', 0)}"),
            ("supplied", f"{c.get('supplied', 0)} ({c.get('original_wording', 0)} original wording)"),
            ("handwritten annotations", f"{c.get('annotations', 0)}"),
            ("doubts [?] / signatures", f"{c.get('certainty', 0)} / {c.get('gaps', 0)}"),
            ("page breaks", f"{c.get('pb', 0)}"),
            ("editors' inline notes", f"{c.get('inline_notes', 0)}"),
            ("persons linked", f"{c.get('persons', 0)} ({c.get('persons_unique', 0)} people)"),
            ("places / organisations linked", f"{c.get('places', 0)} / {c.get('orgs', 0)}"),
            ("names left for review", f"{len(self.names)}"),
            ("plain paragraphs", f"{len(self.plain)}"),
            ("commentary paragraphs", f"{c.get('commentary', 0)}"),
            ("furniture blocks dropped", f"{self.dropped}"),
            ("header fields to supply", ", ".join(self.placeholders) or "none"),
        ]
        if self.errors is not None:
            rows.append(("validation", "valid" if self.errors == 0 else f"{self.errors} error(s)"))
        width = max(len(k) for k, _ in rows)
        lines = [f"{self.path}:"] + [f"  {k.ljust(width)}  {v}" for k, v in rows]
        limit = None if verbose else 12
        if self.names:
            lines.append("  names left for review:")
            lines += [f"    {n}" for n in self.names[:limit]]
            if limit and len(self.names) > limit:
                lines.append(f"    ... and {len(self.names) - limit} more (-v lists all)")
        if self.review:
            lines.append("  to check:")
            lines += [f"    {r}" for r in self.review[:limit]]
            if limit and len(self.review) > limit:
                lines.append(f"    ... and {len(self.review) - limit} more (-v lists all)")
        if self.plain:
            shown = self.plain if verbose else self.plain[:6]
            lines.append("  plain paragraphs: " + "; ".join(shown)
                         + ("" if len(shown) == len(self.plain) else f"; ... ({len(self.plain)} in all)"))
        return "\n".join(lines)


def summarize(doc: Document, path: str, placeholders: list[str], dropped: int) -> Summary:
    """The summary of one draft's model."""
    counts: Counter[str] = Counter()
    people: set[str] = set()
    plain: list[str] = []

    def count(content: list) -> None:
        for span in walk(content):
            _count_span(span, counts, people)

    units: list[Unit] = list(doc.front)
    for item in doc.body:
        if isinstance(item, Turn):
            counts["turns"] += 1
            counts["turn_paragraphs"] += len(item.paras)
            units += item.paras
        else:
            units.append(item)
            if item.role == "p":
                words = " ".join(plain_text(item.content).split()[:6])
                plain.append(f"{item.uid or 'p'} “{words}…”")
            elif item.role == "stage":
                counts["stages"] += 1
        if isinstance(item, Unit) and item.role == "annotation":
            counts["annotations"] += 1
    counts["annotations"] += sum(1 for u in doc.front if u.role == "annotation")
    counts["commentary"] = len(doc.commentary)
    units += doc.commentary
    for unit in units:
        count(unit.content)
    counts["persons_unique"] = len(people)
    names = doc.name_review.lines() if doc.name_review is not None else []  # type: ignore[attr-defined]
    review = list(dict.fromkeys(doc.review))
    return Summary(path, dict(counts), plain, names, review, list(dict.fromkeys(placeholders)), dropped)


def _count_span(span: Span, counts: Counter, people: set[str]) -> None:
    tag = span.tag
    if tag == "note":
        if span.attrs.get("place") == "foot":
            counts["notes"] += 1
            if span.attrs.get("type") == "annotation":
                counts["annotations"] += 1
        elif span.attrs.get("place") == "inline":
            counts["inline_notes"] += 1
        elif span.meta.get("annotation") or span.attrs.get("type") == "annotation":
            counts["annotations"] += 1
    elif tag == "supplied":
        counts["supplied"] += 1
        if span.attrs.get("reason") == "original-wording":
            counts["original_wording"] += 1
    elif tag == "certainty":
        counts["certainty"] += 1
    elif tag == "gap":
        counts["gaps"] += 1
    elif tag == "pb":
        counts["pb"] += 1
    elif tag == "persName" and span.meta.get("kind") == "person":
        counts["persons"] += 1
        people.add(str(span.meta["entry"]))
    elif tag == "placeName" and span.meta.get("kind") == "place":
        counts["places"] += 1
    elif tag == "orgName" and span.meta.get("kind") == "org":
        counts["orgs"] += 1
