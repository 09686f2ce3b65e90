"""One way to turn an alignment member into the passage it names.

Every consumer — ``diff --theme``, ``evolve``, the report, the TUI, ``suggest``
(deciding whether a proposal is already stored) — reads an alignment's passages
through :func:`resolve_member`, so they cannot disagree about which text a member
points at. A member whose anchor no longer resolves is *reported* (status
``orphaned`` with a reason), never turned into an empty string that would then be
diffed as if the policy had deleted everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from policydiff.core.alignment import Alignment, Member
from policydiff.core.anchors import resolve_anchor
from policydiff.core.corpus import Corpus

AnchorStatus = Literal["exact", "drifted", "orphaned", "absent"]
"""How a member resolved: verbatim, found after a corpus edit, not found, or a recorded silence."""


@dataclass(frozen=True)
class ResolvedPassage:
    """An alignment member as the corpus reads now.

    ``text`` is the passage (empty only when ``status`` is ``absent`` or ``orphaned``);
    ``start``/``end`` are offsets into the document body; ``reason`` says why a member
    is orphaned; ``note`` is the reviewer's note on the member.
    """

    doc: str
    date: str
    section: str | None
    text: str
    status: AnchorStatus
    start: int | None = None
    end: int | None = None
    note: str = ""
    reason: str = ""
    section_label: str = ""
    member: int | None = None
    """The member's position in its alignment (set by :func:`resolve_alignment`): what tells
    two orphaned members of one document apart, since neither has an offset."""

    @property
    def absent(self) -> bool:
        """The document is recorded as silent on the point."""
        return self.status == "absent"

    @property
    def found(self) -> bool:
        """The passage has text to show and compare (exact or drifted)."""
        return self.status in ("exact", "drifted")

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "date": self.date, "section": self.section,
                "section_label": self.section_label, "text": self.text, "status": self.status,
                "start": self.start, "end": self.end, "note": self.note, "reason": self.reason}


def _label(corpus: Corpus, doc_id: str, section: str | None) -> str:
    if not section or doc_id not in corpus:
        return ""
    doc = corpus.get(doc_id)
    for s in doc.sections:
        if s.id == section:
            return s.label
    return ""


def resolve_member(member: Member, corpus: Corpus) -> ResolvedPassage:
    """Where ``member`` is in the corpus now, with its text."""
    label = _label(corpus, member.doc, member.section)
    if member.doc not in corpus:
        return ResolvedPassage(member.doc, "", member.section, "", "orphaned", note=member.note,
                               reason=f"document {member.doc!r} is not in the corpus")
    doc = corpus.get(member.doc)
    if member.absent or member.anchor is None:
        return ResolvedPassage(member.doc, doc.date, member.section, "", "absent",
                               note=member.note, section_label=label)
    res = resolve_anchor(member.anchor, doc.body)
    if res.start is None or res.end is None:
        return ResolvedPassage(member.doc, doc.date, member.section, "", "orphaned",
                               note=member.note, reason=res.reason or "quote not found",
                               section_label=label)
    status: AnchorStatus = "exact" if res.status == "exact" else "drifted"
    return ResolvedPassage(member.doc, doc.date, member.section, doc.body[res.start:res.end],
                           status, res.start, res.end, member.note, section_label=label)


def resolve_alignment(alignment: Alignment, corpus: Corpus,
                      docs: Sequence[str] | None = None) -> list[ResolvedPassage]:
    """Every member of ``alignment`` (of ``docs`` only, if given), in date order.

    A document may give several passages (a goal and, later, a projection): each is
    its own :class:`ResolvedPassage`; their order within a document is the text order.
    """
    out = [replace(resolve_member(m, corpus), member=i) for i, m in enumerate(alignment.members)
           if docs is None or m.doc in docs]
    return sorted(out, key=_in_date_order)


def resolve_alignments(alignments: Sequence[Alignment], corpus: Corpus
                       ) -> dict[str, list[ResolvedPassage]]:
    """:func:`resolve_alignment` of each of ``alignments``, by id, their members resolved
    one document after another: a lazy corpus keeps only the last few documents it
    parsed, so alignment by alignment it parsed a document again for every alignment
    with a member in it (33 suggestions over 10,000 documents: each document 33 times)."""
    order = sorted(((m.doc, n, i) for n, a in enumerate(alignments)
                    for i, m in enumerate(a.members)))
    found: dict[int, list[ResolvedPassage]] = {n: [] for n in range(len(alignments))}
    for _, n, i in order:
        found[n].append(replace(resolve_member(alignments[n].members[i], corpus), member=i))
    return {a.id: sorted(found[n], key=_in_date_order) for n, a in enumerate(alignments)}


def _in_date_order(p: ResolvedPassage) -> tuple[str, str, int]:
    """Documents in date order, a document's passages in text order (a stable sort: then
    in member order)."""
    return (p.date, p.doc, p.start if p.start is not None else -1)


def spans_by_doc(passages: Iterable[ResolvedPassage]) -> dict[str, list[tuple[int, int]]]:
    """Where the found passages are, by document (orphaned and absent members skipped)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for p in passages:
        if p.found and p.start is not None and p.end is not None:
            spans.setdefault(p.doc, []).append((p.start, p.end))
    return spans


@dataclass(frozen=True)
class PassagePair:
    """Two passages of one alignment, from two documents, to be diffed."""

    alignment: Alignment
    a: ResolvedPassage
    b: ResolvedPassage

    @property
    def title(self) -> str:
        return f"{self.alignment.id} · {self.alignment.label}" if self.alignment.label \
            else self.alignment.id


def passage_pairs(alignments: Iterable[Alignment], corpus: Corpus, doc_a: str,
                  doc_b: str) -> tuple[list[PassagePair], list[ResolvedPassage]]:
    """Every passage of ``doc_a`` against every passage of ``doc_b``, per alignment.

    Returns the pairs and the members that could not take part because their
    anchor is orphaned (the caller warns about them; they are never diffed).
    """
    pairs: list[PassagePair] = []
    orphaned: list[ResolvedPassage] = []
    for al in alignments:
        passages = resolve_alignment(al, corpus, docs=(doc_a, doc_b))
        orphaned += [p for p in passages if p.status == "orphaned"]
        side_a = [p for p in passages if p.doc == doc_a and p.found]
        side_b = [p for p in passages if p.doc == doc_b and p.found]
        pairs += [PassagePair(al, pa, pb) for pa in side_a for pb in side_b]
    return pairs, orphaned
