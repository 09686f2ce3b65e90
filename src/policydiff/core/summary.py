"""The report's analysis: how each passage relates to the one before, and a summary per policy.

Nothing here is free prose. Every :class:`Statement` is a template filled from a
measured fact (a theme first covered, a passage recorded as silent, two figures of
one metric, a commitment word replaced by a stronger one) and carries links to the
passages or figure sources it rests on.

Comparisons decide how two passages of one alignment are shown:

* two passages of one document are never a step (both are shown as passages);
* passages of different jurisdictions (a district and its city, two districts) are
  *parallel* policies: figures are compared as shares, not as revisions;
* passages of one jurisdiction that share little wording (similarity below
  :data:`REWRITE_THRESHOLD`, measured on the bundled corpus — see docs/report.md)
  are a *rewrite*: quotes side by side, figures and key phrases added/dropped;
* the rest are *revisions*, shown as a word diff.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policydiff.core.passages import ResolvedPassage
from policydiff.core.progress import Series, is_quoted, ratio_to, share_of
from policydiff.core.quantities import Quantity, find_quantities, multiplier
from policydiff.core.targets import TARGET_VERBS, han_bigrams
from policydiff.core.terms import content_words, segment
from policydiff.core.worddiff import PassageDiff, diff_passages

if TYPE_CHECKING:
    from policydiff.core.targets import Target, TargetRow

REWRITE_THRESHOLD = 0.22
"""Below this word-diff similarity two passages share no wording worth a diff.

On the bundled corpus every step scores either ≤ 0.19 (different sentences that
share only particles and names: 上海, ，形成) or ≥ 0.25 (the same sentence with new
figures); 0.22 sits in that gap."""

STRENGTH_LADDERS: tuple[tuple[str, ...], ...] = (
    ("鼓励", "支持", "推动"),
    ("力争", "确保"),
    ("初步", "基本", "全面"),
    ("探索", "建立"),
)
"""Commitment words from weaker to stronger (generic Chinese policy register)."""


def _slug(text: str) -> str:
    return re.sub(r"[^\w-]+", "-", text).strip("-")


def passage_anchor(alignment: str, p: ResolvedPassage) -> str:
    """The id of a passage in the report (stable: alignment, document, offset)."""
    if p.start is not None:
        where = str(p.start)
    elif p.absent or p.member is None:
        where = "silent"  # one recorded silence per document and alignment
    else:
        where = f"orphaned-{p.member}"  # two orphaned members of one document stay apart
    return "p-" + _slug(f"{alignment}-{p.doc}-{where}")


def new_words_anchor(doc: str) -> str:
    """The id of a document's first-used key words (with the sentences they occur in)."""
    return "new-" + _slug(doc)


def figure_anchor(doc: str, start: int) -> str:
    """The id of a figure's row in the figure-source table."""
    return "fig-" + _slug(f"{doc}-{start}")


# ---------------------------------------------------------------- comparisons


@dataclass
class Comparison:
    """How passage ``b`` relates to an earlier passage ``a`` of the same alignment."""

    kind: str  # "revision" | "rewrite" | "parallel"
    a: ResolvedPassage
    b: ResolvedPassage
    diff: PassageDiff | None  # None for parallel policies: their wording is not compared
    added: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    figures_a: list[str] = field(default_factory=list)
    figures_b: list[str] = field(default_factory=list)
    shares: list[str] = field(default_factory=list)
    strength: list[tuple[str, str]] = field(default_factory=list)
    jurisdictions: tuple[str, str] = ("", "")

    @property
    def similarity(self) -> float:
        return self.diff.similarity if self.diff is not None else 0.0


def key_phrases(a: str, b: str, limit: int = 8) -> tuple[list[str], list[str]]:
    """Content words only ``b`` uses (added) and only ``a`` uses (dropped), in text order."""
    wa, wb = content_words(a), content_words(b)

    def ordered(text: str, keep: set[str]) -> list[str]:
        seen = [w for w in dict.fromkeys(segment.words(text)) if w in keep]
        return [w for w in seen if not any(w != o and w in o for o in seen)][:limit]

    return ordered(b, set(wb) - set(wa)), ordered(a, set(wa) - set(wb))


def _figures(text: str) -> list[Quantity]:
    return [q for q in find_quantities(text) if not q.is_bare]


def _base_unit(unit: str) -> str:
    """The unit without magnitude or currency: 亿元, 亿 and 万元 all measure money ('')."""
    return unit.lstrip("十百千万亿").rstrip("元")


def _scaled(q: Quantity) -> float:
    return q.value * multiplier(q.unit)


_TIME_UNITS = ("年", "月", "日", "天", "周", "%", "％")


_CLAUSE_END = re.compile(r"[，,。；;：:！？!?\n]")


def _window(text: str, q: Quantity) -> frozenset[str]:
    """Han bigrams of the figure's clause and the clause before it (what the figure measures)."""
    stops = [m.start() for m in _CLAUSE_END.finditer(text, 0, q.start)]
    begin = stops[-2] + 1 if len(stops) >= 2 else 0
    end_m = _CLAUSE_END.search(text, q.end)
    around = text[begin:q.start] + text[q.end:end_m.start() if end_m else len(text)]
    # target verbs say how much, not of what: a shared 形成 or 达到 is no shared subject
    return han_bigrams(around) - TARGET_VERBS


def shares(a_text: str, b_text: str, place_a: str, place_b: str, part: bool = True
           ) -> list[str]:
    """Each figure of ``b`` as a share of the figure of ``a`` that measures the same thing.

    Same unit (not a time span or a rate) and at least one shared two-character word
    around the figures (规模, 人才…), the closest context winning. When ``b`` is a part
    of ``a`` (a district of its city) a share over 100% means the two figures do not
    measure the same thing (10 benchmark firms against 1,000 firms): it is left out.
    """
    out: list[str] = []
    qa = [x for x in _figures(a_text) if x.unit and not x.unit.endswith(_TIME_UNITS)]
    for q in _figures(b_text):
        if not q.unit or q.unit.endswith(_TIME_UNITS):
            continue
        wb = _window(b_text, q)
        scored = [(len(wb & _window(a_text, x)), -i, x) for i, x in enumerate(qa)
                  if _base_unit(x.unit) == _base_unit(q.unit) and _scaled(x) > 0]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            continue
        other = max(scored, key=lambda s: s[:2])[2]
        pct = _scaled(q) / _scaled(other) * 100
        if part and pct > 100:
            continue
        top = q.value_max * multiplier(q.unit) / _scaled(other) * 100 if q.value_max else None
        share = f"{pct:.0f}–{top:.0f}%" if top and round(top) != round(pct) else f"{pct:.0f}%"
        line = f"{place_b} {q.text} = {share} of {place_a} {other.text}"
        if line not in out:
            out.append(line)
    return out


def strength_shifts(a: str, b: str) -> list[tuple[str, str]]:
    """(weaker, stronger) or (stronger, weaker) word pairs where the strongest word changed."""
    out = []
    for ladder in STRENGTH_LADDERS:
        ra = max((i for i, w in enumerate(ladder) if w in a), default=None)
        rb = max((i for i, w in enumerate(ladder) if w in b), default=None)
        if ra is not None and rb is not None and ra != rb:
            out.append((ladder[ra], ladder[rb]))
    return out


def is_stronger(shift: tuple[str, str]) -> bool:
    for ladder in STRENGTH_LADDERS:
        if shift[0] in ladder and shift[1] in ladder:
            return ladder.index(shift[1]) > ladder.index(shift[0])
    return False


def compare_passages(passages: Sequence[ResolvedPassage], place: Callable[[str], str],
                     level: Callable[[str], int], threshold: float = REWRITE_THRESHOLD
                     ) -> list[Comparison]:
    """Comparisons for one alignment's passages (date order), as the module doc describes.

    Each found passage is compared with the latest earlier passage of the same
    jurisdiction in another document; failing that, with the latest earlier passage
    of a higher jurisdiction (else any other) as a parallel policy.
    """
    found = [p for p in passages if p.found]
    out: list[Comparison] = []
    for i, b in enumerate(found):
        earlier = [p for p in found[:i] if p.doc != b.doc and p.date <= b.date]
        if not earlier:
            continue
        same = [p for p in earlier if place(p.doc) == place(b.doc)]
        if same:
            a = same[-1]
            diff = diff_passages(a.text, b.text)
            kind = "revision" if diff.similarity >= threshold else "rewrite"
        else:
            higher = [p for p in earlier if level(p.doc) < level(b.doc)]
            part = bool(higher)
            higher = higher or earlier
            # The latest higher passage with a figure to share against, else the latest.
            a = next((p for p in reversed(higher)
                      if shares(p.text, b.text, place(p.doc), place(b.doc), part)), higher[-1])
            diff = None
            kind = "parallel"
        c = Comparison(kind, a, b, diff, jurisdictions=(place(a.doc), place(b.doc)))
        if kind != "revision":
            c.added, c.dropped = key_phrases(a.text, b.text)
            c.figures_a = [q.text for q in _figures(a.text)]
            c.figures_b = [q.text for q in _figures(b.text)]
        if kind == "parallel":
            c.shares = shares(a.text, b.text, place(a.doc), place(b.doc),
                              level(a.doc) < level(b.doc))
        else:
            c.strength = strength_shifts(a.text, b.text)
        out.append(c)
    return out


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class Link:
    label: str
    anchor: str


@dataclass(frozen=True)
class Statement:
    """One filled template about one document, with the evidence it rests on."""

    doc: str
    kind: str
    text: str
    links: tuple[Link, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "kind": self.kind, "text": self.text,
                "links": [{"label": k.label, "anchor": k.anchor} for k in self.links]}


def target_changes(rows: Sequence[TargetRow], place: Callable[[str], str],
                   dates: Mapping[str, str], policies: Mapping[str, str] | None = None
                   ) -> list[Statement]:
    """Targets raised, lowered or kept (same jurisdiction), or shares of the city's.

    ``rows`` are the report's target rows; ``dates`` maps its documents to their dates
    (in date order). The previous target of a figure and its city's target are the ones
    the progress table names (:class:`policydiff.core.progress.Series`): one rule for
    both. ``policies`` maps documents to their own policy; a figure a document quotes from
    another policy it names (今年7月发布的《…规划》提出…) is left out, as it is no revision.
    """
    policies = policies or {}
    order = {d: i for i, d in enumerate(dates)}
    mine = sorted((r for r in rows if not is_quoted(r.target, policies)),
                  key=lambda r: (order.get(r.doc, len(order)), r.start))
    row_of = {id(r.target): r for r in mine}
    series = Series([r.target for r in mine], dates)
    out: list[Statement] = []
    for r in mine:
        t = r.target
        what = r.counted

        def link(x: Target) -> Link:
            return Link(f"{x.doc}: {row_of[id(x)].cell}", figure_anchor(x.doc, x.start))

        previous = series.previous(t)
        if previous is not None:
            p = row_of[id(previous)]
            links = (link(previous), link(t))
            if previous.scope != t.scope:
                # 1000亿 of 重点 industries and 4000亿 of 规上 output are not one series.
                text = (f"Target {what} set at {r.cell}; not comparable with "
                        f"{p.cell} ({p.doc}): it counts another scope "
                        f"({previous.scope or 'unqualified'} vs {t.scope or 'unqualified'})")
                out.append(Statement(r.doc, "target-not-comparable", text, links))
                continue
            ratio = ratio_to(t, previous)
            if ratio is None or ratio <= 0:
                continue
            if abs(ratio - 1) < 1e-9:
                text = f"Target {what} kept at {r.cell} (was {p.cell} in {p.doc})"
                kind = "target-kept"
            else:
                kind = "target-raised" if ratio > 1 else "target-lowered"
                text = (f"Target {what} {'raised' if ratio > 1 else 'lowered'}: "
                        f"{p.cell} ({p.doc}) → {r.cell}, ×{ratio:.2f}")
                ya, yb = previous.year, t.year
                if ya and yb and yb > ya and "%" not in t.unit:
                    growth = ratio ** (1 / (yb - ya)) - 1
                    text += f", implied {growth * 100:+.1f}% a year {ya}–{yb}"
            out.append(Statement(r.doc, kind, text, links))
            continue
        parent = series.parent(t)
        share = share_of(t, parent)
        if parent is None or share is None or not 0 < share <= 1:
            continue  # a part above its whole measures something else
        text_share = f"{share * 100:.0f}%"
        if t.value_max:
            top = share * t.value_max / t.value if t.value else None
            if top is not None:
                text_share = f"{share * 100:.0f}–{top * 100:.0f}%"
        p = row_of[id(parent)]
        text = (f"Target {what} of {place(r.doc)} ({r.cell}) is {text_share} of "
                f"{place(p.doc)}'s {p.cell} ({p.doc}) — a share of the larger jurisdiction's "
                f"target, not a revision")
        if parent.scope != t.scope:
            text += (f"; the two count different scopes ({t.scope or 'unqualified'} vs "
                     f"{parent.scope or 'unqualified'}), so the share is indicative only")
        out.append(Statement(r.doc, "target-share", text, (link(parent), link(t))))
    return out


@dataclass(frozen=True)
class AlignmentFacts:
    """What the summary needs of one alignment: its theme, passages and comparisons."""

    theme: str  # display name
    id: str
    label: str
    passages: Sequence[ResolvedPassage]
    comparisons: Sequence[Comparison]


def document_statements(doc_ids: Sequence[str], alignments: Sequence[AlignmentFacts],
                        full_text: dict[str, bool], quality: dict[str, str],
                        place: Callable[[str], str], new_phrases: dict[str, list[tuple[str, int]]],
                        targets: Sequence[Statement]) -> dict[str, list[Statement]]:
    """Per document (date order): new emphases, dropped commitments, targets, strength shifts."""
    out: dict[str, list[Statement]] = {d: [] for d in doc_ids}
    rank = {d: i for i, d in enumerate(doc_ids)}
    # Themes first covered: the first document with a found passage in the theme.
    first_theme: dict[str, tuple[int, list[Link]]] = {}
    for al in alignments:
        for p in al.passages:
            if p.found and p.doc in rank:
                link = Link(f"{p.doc} §{p.section or '?'}", passage_anchor(al.id, p))
                r = rank[p.doc]
                cur = first_theme.get(al.theme)
                if cur is None or r < cur[0]:
                    first_theme[al.theme] = (r, [link])
                elif r == cur[0] and link not in cur[1]:
                    cur[1].append(link)
    for theme, (r, links) in first_theme.items():
        doc = doc_ids[r]
        word = "Sets out" if r == 0 else "New theme"
        out[doc].append(Statement(doc, "new-theme", f"{word}: {theme}", tuple(links[:3])))
    for al in alignments:
        found = [p for p in al.passages if p.found and p.doc in rank]
        if not found:
            continue
        first = min(found, key=lambda p: rank[p.doc])
        if rank[first.doc] > 0 and first_theme.get(al.theme, (-1,))[0] < rank[first.doc]:
            out[first.doc].append(Statement(first.doc, "new-point",
                                            f"New point under {al.theme}: {al.label}",
                                            (Link(f"{first.doc} §{first.section or '?'}",
                                                  passage_anchor(al.id, first)),)))
        # Dropped: silent here after a passage of the same jurisdiction earlier.
        for p in al.passages:
            if not p.absent or p.doc not in rank:
                continue
            before = [q for q in found
                      if rank[q.doc] < rank[p.doc] and place(q.doc) == place(p.doc)]
            if not before:
                continue
            q = before[-1]
            links = (Link(f"{q.doc} §{q.section or '?'}", passage_anchor(al.id, q)),
                     Link(f"{p.doc}: silent", passage_anchor(al.id, p)))
            if full_text.get(p.doc):
                text = (f"Dropped: {al.label} ({al.theme}) — stated in {q.doc}, "
                        f"silent in this {quality[p.doc]}")
                out[p.doc].append(Statement(p.doc, "dropped", text, links))
            else:
                text = (f"Not mentioned: {al.label} ({al.theme}) — stated in {q.doc}; this is a "
                        f"{quality[p.doc]}, so not evidence the policy dropped it")
                out[p.doc].append(Statement(p.doc, "not-mentioned", text, links))
        for c in al.comparisons:
            for shift in c.strength:
                verb = "Strengthened" if is_stronger(shift) else "Weakened"
                text = f"{verb} commitment in {al.label}: {shift[0]} → {shift[1]} (vs {c.a.doc})"
                out[c.b.doc].append(Statement(c.b.doc, "strength", text, (
                    Link(f"{c.a.doc} §{c.a.section or '?'}", passage_anchor(al.id, c.a)),
                    Link(f"{c.b.doc} §{c.b.section or '?'}", passage_anchor(al.id, c.b)))))
    for doc, phrases in new_phrases.items():
        if phrases and doc in out:
            words = ", ".join(f"{w} ({n}×)" for w, n in phrases)
            out[doc].append(Statement(doc, "new-phrases", f"Key words first used here: {words}",
                                      (Link("first uses", new_words_anchor(doc)),)))
    for s in targets:
        if s.doc in out:
            out[s.doc].append(s)
    order = ["new-theme", "new-point", "new-phrases", "dropped", "not-mentioned",
             "target-raised", "target-lowered", "target-kept", "target-not-comparable",
             "target-share", "strength"]
    for doc in out:
        out[doc].sort(key=lambda s: order.index(s.kind) if s.kind in order else len(order))
    return out
