"""Coverage: which theme each document addresses, and what its silence is worth.

Silence in a 3,000-character press report says little about the policy; silence in
the official full text is a finding. Every non-covered cell therefore says which
kind of source is silent and how long it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from policydiff.core.document import Document
from policydiff.core.passages import ResolvedPassage
from policydiff.core.terms import text_length


def source_quality(doc: Document) -> str:
    """'official full text' or 'press report, 3,297 characters' (the kind, else 'source')."""
    if doc.meta.kind == "official":
        return "official full text"
    kind = {"press": "press report"}.get(doc.meta.kind, doc.meta.kind or "source")
    return f"{kind}, {text_length(doc.body):,} characters"


def is_full_text(doc: Document) -> bool:
    return doc.meta.kind == "official"


@dataclass(frozen=True)
class CoverageCell:
    """A theme in a document: the sections that address it, or qualified silence."""

    state: str  # "covered" | "silent" | "orphaned" | "unaligned"
    sections: tuple[str, ...]
    qualifier: str
    passages: tuple[ResolvedPassage, ...] = ()


def coverage(themes: Sequence[str], passages: dict[str, Iterable[ResolvedPassage]],
             documents: Sequence[Document]) -> dict[tuple[str, str], CoverageCell]:
    """Theme × document cells from each theme's resolved passages (all its alignments)."""
    out: dict[tuple[str, str], CoverageCell] = {}
    for theme in themes:
        found: dict[str, list[ResolvedPassage]] = {}
        silent: set[str] = set()
        orphaned: set[str] = set()  # aligned, but no passage of the doc is found any more
        for p in passages.get(theme, ()):
            if p.found:
                found.setdefault(p.doc, []).append(p)
            elif p.absent:
                silent.add(p.doc)
            else:
                orphaned.add(p.doc)
        for doc in documents:
            if doc.id in found:
                ps = found[doc.id]
                secs = tuple(dict.fromkeys(p.section or "?" for p in ps))
                out[theme, doc.id] = CoverageCell("covered", secs, "", tuple(ps))
            else:
                state = ("silent" if doc.id in silent else
                         "orphaned" if doc.id in orphaned else "unaligned")
                out[theme, doc.id] = CoverageCell(state, (), source_quality(doc))
    return out
