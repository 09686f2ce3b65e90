"""Two versions of a policy, article by article: the 修改前后对照表 as data.

A draft for comment against the enacted regulation, a revised plan against the old one,
a press report against the official text. Diffing the two bodies as one text drowns the
real changes in noise (script 發展→发展, renumbered articles, a moved article shown as
deleted here and inserted there); so each document is cut into **units** — articles
(第十二条) where it has them, numbered sections of a plan (一、/（一）/1、) otherwise,
paragraphs for a text without headings — and units are paired **by content**, on the
normalised text (:mod:`policydiff.core.normalize`): script, width and spacing never count.

Pairing, in order:

1. identical content (caption and body; the article number is not content);
2. one-to-one by rarity-weighted character-bigram Dice, best pairs first
   (:data:`PAIR_THRESHOLD`), position only breaking ties;
3. splits and merges: a unit left over whose content lies mostly inside a paired unit
   of the other side (:data:`CONTAIN_THRESHOLD`) and covers what its partner does not.

Each pair then gets a status — ``split``/``merged``/``added``/``deleted`` from the
pairing; ``moved`` when it is out of the longest in-order chain of pairs; ``changed``
when the normalised text differs; ``renumbered`` when only the number does;
``unchanged`` otherwise — and the word diff of :mod:`policydiff.core.worddiff`.

A press report against its official text (``kind: press``, or a text without headings
against a structured one) is a different question — which article or section does each
paragraph report, and which figures does it state differently — answered in
``report`` mode (:func:`compare_documents` chooses it).

Pure: documents in, dataclasses out; ``to_dict`` gives the JSON shape of docs/compare.md.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from policydiff.core.document import Document, Section
from policydiff.core.errors import InputError
from policydiff.core.normalize import normalize_map
from policydiff.core.quantities import Quantity, find_quantities, multiplier, parse_number
from policydiff.core.worddiff import (
    DELETE,
    INSERT,
    FigureChange,
    Op,
    PassageDiff,
    _context,
    _family,
    diff_passages,
    longest_increasing,
)

if TYPE_CHECKING:
    from policydiff.core.segment import Token

STATUSES = ("unchanged", "changed", "moved", "renumbered", "split", "merged", "added",
            "deleted")

PAIR_THRESHOLD = 0.25
"""Minimum weighted bigram Dice for two units to be the same article rewritten.

Tuned on synthetic rewrites (docs/compare.md): at 0.3 an article with half its clauses
replaced was found 86 % of the time, at 0.25 90 %, at 0.2 95 % — but at 0.2 the duty
articles of two different departments (市网信部门负责… / 市民政部门负责…) pair up.
"""
SANDWICH_THRESHOLD = 0.1
"""Minimum Dice for a lone unit facing a lone unit between the same paired neighbours
(an article rewritten in place) to be paired anyway."""
CONTAIN_THRESHOLD = 0.6
"""Share of a leftover unit's weighted bigrams found in a unit of the other side for it
to be a piece of that unit (split) or merged into it."""
COVER_GAIN = 0.15
"""Share of the whole unit a split piece or merged part must add to what its partner
already covers (so an added article quoting a phrase is not a split)."""
REPORT_THRESHOLD = 0.3
"""Share of a press paragraph's weighted bigrams found in an official unit for the
paragraph to report it."""

ARTICLE_RE = re.compile(r"^第([一二三四五六七八九十百千零〇两\d]+)条")
_CONTAINER_RE = re.compile(r"^第[一二三四五六七八九十百千零〇两\d]+(?:章|节|编|分编)")
_NUMBERING_RE = re.compile(
    r"^(?:[一二三四五六七八九十百零〇]+、|[（(][一二三四五六七八九十百零〇]+[）)]|\d+[、.．](?!\d)"
    r"|[（(]\d+[）)])\s*")

OBLIGATION_WORDS = ("应当", "必须", "不得", "禁止", "严禁", "务必")
"""Words of binding drafting (法律用语): an added 应当 is a new obligation."""
SOFT_WORDS = ("鼓励", "支持", "引导", "倡导", "可以", "探索", "逐步", "原则上", "积极")
"""Words of encouragement or discretion: an 应当 turned into 鼓励 is a softened rule."""
ACTOR_SUFFIXES = ("人民政府", "政府", "委员会", "部门", "机关", "机构", "协会", "办公室",
                  "领导小组", "管理局")
"""Endings of the names of bodies that act in a policy (市经济信息化部门, 区人民政府)."""
ACTOR_WORDS = frozenset(("局", "厅", "委", "办"))
"""One-character ends of body names (市经济信息化委): only as a token of their own, so
布局, 格局 and 举办 are not bodies."""
_ACTOR_STOP = frozenset((
    "会同", "由", "和", "与", "及", "以及", "或者", "对", "向", "的", "等", "各", "有关", "设立",
    "应当", "负责", "组织", "指导", "按照", "其他", "相关", "加强", "在", "为", "并", "经", "报",
    "同", "联合", "协调", "牵头", "依法", "支持", "鼓励", "推动", "是", "将", "建立", "成立",
    "本市", "所在地", "所在", "从", "其", "该", "由其",
))
"""Words that end a body's name when reading backwards from its suffix (会同, 由, 设立…)."""


# ---------------------------------------------------------------- units


@dataclass
class Unit:
    """One comparable block of a document: an article, a plan section, a paragraph.

    ``text`` is the unit as written (caption line, then its paragraphs, Markdown markup
    removed); ``norm`` its canonical form and ``nmap`` where each of ``norm``'s
    characters sits in ``text``. ``number`` is what renumbering compares (``12`` for
    第十二条, ``3.2`` for a plan section, empty for paragraphs).
    """

    key: str
    kind: str  # article | section | paragraph | preamble
    sections: tuple[str, ...]
    heading: str
    number: str
    path: tuple[str, ...]
    text: str
    norm: str
    nmap: list[int]
    index: int = 0
    excerpt: bool = False  # only the sentences a press paragraph reports (report mode)

    @property
    def label(self) -> str:
        """The heading without the caption the text already starts with: 第十二条, （二）."""
        first = self.text.split("\n", 1)[0]
        own = self.heading
        if self.kind in ("article", "section") and first and self.heading.endswith(first) \
                and self.heading != first:
            own = self.heading[: len(self.heading) - len(first)].strip()
        if self.kind == "section":
            # （二） alone does not say where: prefix the parents' numbering, 三（二）
            parents = [m.group(0).strip().rstrip("、") for h in self.path
                       if (m := _NUMBERING_RE.match(h.strip()))]
            return "".join(parents) + own
        return own

    def ref(self) -> dict[str, Any]:
        data = {"section": self.sections[0] if self.sections else self.key, "key": self.key,
                "heading": self.heading, "kind": self.kind, "path": list(self.path)}
        if self.excerpt:
            data["excerpt"] = True
        return data


_MD_INLINE = (
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"</?(?:br|p|span|strong|em|b|i|u|sup|sub)\b[^>]*>", re.I), ""),
)
_MD_LINE = re.compile(r"^\s{0,3}(?:#{1,6}\s+|>\s?|[-*+]\s+(?=\S)|\d+[.)]\s+(?=\D))")


def strip_markup(line: str) -> str:
    """A Markdown line as plain text: no heading marks, quote marks, list bullets, emphasis."""
    line = _MD_LINE.sub("", line)
    for pattern, repl in _MD_INLINE:
        line = pattern.sub(repl, line)
    return line


def _norm_lines(text: str) -> tuple[str, list[int]]:
    """Normalise line by line (line breaks between paragraphs are kept) with the map."""
    out: list[str] = []
    where: list[int] = []
    pos = 0
    for k, line in enumerate(text.split("\n")):
        if k:
            out.append("\n")
            where.append(pos - 1)
        norm, m = normalize_map(line)
        out.append(norm)
        where.extend(pos + i for i in m[:-1])
        pos += len(line) + 1
    where.append(len(text))
    return "".join(out), where


def _make_unit(key: str, kind: str, sections: tuple[str, ...], heading: str, number: str,
               path: tuple[str, ...], lines: Sequence[str]) -> Unit:
    text = "\n".join(s for s in (strip_markup(x).strip() for x in lines) if s)
    norm, nmap = _norm_lines(text)
    return Unit(key, kind, sections, heading, number, path, text, norm, nmap)


@lru_cache(maxsize=8192)
def _norm_heading(text: str) -> str:
    """A heading (or the start of a paragraph) in canonical form, cached: every
    heading is looked at several times (article? number? caption?)."""
    return normalize_map(text)[0]


def _article_number(heading_norm: str) -> int | None:
    m = ARTICLE_RE.match(heading_norm)
    if not m:
        return None
    value = parse_number(m.group(1))
    return int(value) if value is not None else None


def _is_article(section: Section) -> bool:
    if getattr(section, "kind", None) == "article":
        return True
    return bool(ARTICLE_RE.match(_norm_heading(section.heading.strip())))


def _caption(heading: str) -> str:
    """A heading without its numbering.

    第一条（立法目的） → （立法目的）; （二）发展目标 → 发展目标.
    """
    h = heading.strip()
    m = ARTICLE_RE.match(_norm_heading(h)) or _CONTAINER_RE.match(_norm_heading(h))
    if m:
        return h[m.end():].strip()
    return _NUMBERING_RE.sub("", h, count=1).strip()


@dataclass
class Units:
    """A document cut into units, and how (``articles``, ``sections``, ``paragraphs``)."""

    doc: Document
    mode: str
    units: list[Unit]


def document_units(doc: Document, *, paragraphs: bool = False) -> Units:
    """Cut ``doc`` into the units compare pairs.

    Articles when the document has article headings (第N条, any script) or paragraphs
    that open with one; otherwise every section with text of its own (a plan's
    一、/（一）/1、); a document without headings is compared paragraph by paragraph.
    ``paragraphs=True`` forces paragraphs (the press side of a report comparison).
    """
    sections = doc.sections
    has_headings = any(s.heading for s in sections)
    if paragraphs or not has_headings:
        units = []
        for s in sections:
            for p in s.paragraphs:
                key = s.id if len(s.paragraphs) == 1 and s.id.startswith("p") else p.id
                units.append(_make_unit(key, "paragraph", (s.id,), "", "", s.path[:-1]
                                        if s.heading else (), [p.text]))
        return _indexed(Units(doc, "paragraphs", units))
    if any(_is_article(s) for s in sections):
        return _indexed(Units(doc, "articles", _article_units(sections)))
    inline = _inline_articles(sections)
    if inline:
        return _indexed(Units(doc, "articles", inline))
    units = []
    for s in sections:
        if not s.paragraphs:
            continue  # a heading over subsections only: its children are the units
        caption = _caption(s.heading) if s.heading else ""
        lines = [caption, *(p.text for p in s.paragraphs)]
        numbered = bool(s.numbering) or s.id.replace(".", "").isdigit()
        units.append(_make_unit(s.id, "section" if s.heading else "preamble", (s.id,),
                                s.heading, s.id if numbered else "", s.path[:-1], lines))
    return _indexed(Units(doc, "sections", units))


def _indexed(units: Units) -> Units:
    for k, u in enumerate(units.units):
        u.index = k
    return units


def _article_units(sections: Sequence[Section]) -> list[Unit]:
    units: list[Unit] = []
    seen: Counter[str] = Counter()
    for s in sections:
        heading_norm = _norm_heading(s.heading.strip())
        if _is_article(s):
            n = _article_number(heading_norm)
            key = f"a{n}" if n is not None else s.id
            seen[key] += 1
            if seen[key] > 1:
                key += "'" * (seen[key] - 1)
            lines = [_caption(s.heading), *(p.text for p in s.paragraphs)]
            units.append(_make_unit(key, "article", (s.id,), s.heading.strip(),
                                    str(n) if n is not None else "", s.path[:-1], lines))
        elif s.paragraphs:
            # the title's 通过 line, a preamble: compared, but never numbered
            units.append(_make_unit(s.id, "preamble", (s.id,), s.heading.strip(), "",
                                    s.path[:-1], [p.text for p in s.paragraphs]))
    return units


def _inline_articles(sections: Sequence[Section]) -> list[Unit]:
    """Articles written as paragraphs (第一条　为了……) under chapter headings, if any."""
    starts = 0
    for s in sections:
        for p in s.paragraphs:
            if ARTICLE_RE.match(_norm_heading(p.text[:12])):
                starts += 1
    if starts < 2:
        return []
    units: list[Unit] = []
    current: list[Any] | None = None  # [number, section id, first line, lines, path]

    def flush() -> None:
        if current is None:
            return
        n, sid, head, lines, path = current
        key = f"a{n}" if n is not None else sid
        units.append(_make_unit(key, "article", (sid,), head, str(n or ""), path, lines))

    for s in sections:
        for p in s.paragraphs:
            text = strip_markup(p.text).strip()
            norm = normalize_map(text)[0]
            m = ARTICLE_RE.match(norm)
            if m:
                flush()
                n = _article_number(norm)
                # the article number as written, then the text after it
                cut = normalize_map(text)[1][m.end()]
                head = text[:cut].strip()
                current = [n, s.id, head, [text[cut:].strip()], s.path]
            elif current is not None:
                current[3].append(text)
            else:
                units.append(_make_unit(p.id, "preamble", (s.id,), s.heading, "", s.path,
                                        [text]))
    flush()
    return units


# ---------------------------------------------------------------- similarity


_PUNCT = re.compile(r"[\s\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
                    r"“”‘’…—·,.;:!?()\[\]\"']+")


def _grams(norm: str) -> frozenset[str]:
    s = _PUNCT.sub("", norm)
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(s[i:i + 2] for i in range(len(s) - 1))


class _Scorer:
    """Rarity-weighted bigram overlaps between the units of two documents."""

    def __init__(self, a: Sequence[Unit], b: Sequence[Unit]):
        self.ga = [_grams(u.norm) for u in a]
        self.gb = [_grams(u.norm) for u in b]
        df: Counter[str] = Counter()
        for g in (*self.ga, *self.gb):
            df.update(g)
        total = len(self.ga) + len(self.gb)
        self.idf = {g: math.log((total + 1) / k) for g, k in df.items()}
        self.mass_a = [sum(self.idf[g] for g in s) for s in self.ga]
        self.mass_b = [sum(self.idf[g] for g in s) for s in self.gb]
        postings: dict[str, list[int]] = defaultdict(list)
        for j, s in enumerate(self.gb):
            for g in s:
                postings[g].append(j)
        # shared weight of every (i, j) with at least one bigram in common
        self.shared: list[dict[int, float]] = []
        for s in self.ga:
            w: dict[int, float] = defaultdict(float)
            for g in s:
                for j in postings.get(g, ()):
                    w[j] += self.idf[g]
            self.shared.append(dict(w))

    def dice(self, i: int, j: int) -> float:
        w = self.shared[i].get(j, 0.0)
        return 2 * w / ((self.mass_a[i] + self.mass_b[j]) or 1)

    def in_a(self, i: int, j: int) -> float:
        """Share of b[j]'s weight found in a[i]."""
        return self.shared[i].get(j, 0.0) / (self.mass_b[j] or 1)

    def in_b(self, i: int, j: int) -> float:
        """Share of a[i]'s weight found in b[j]."""
        return self.shared[i].get(j, 0.0) / (self.mass_a[i] or 1)

    def cover_a(self, i: int, js: Sequence[int]) -> float:
        """Share of a[i]'s weight found in any of b[js]."""
        grams = set().union(*(self.gb[j] for j in js)) if js else set()
        return sum(self.idf[g] for g in self.ga[i] & grams) / (self.mass_a[i] or 1)

    def cover_b(self, j: int, is_: Sequence[int]) -> float:
        grams = set().union(*(self.ga[i] for i in is_)) if is_ else set()
        return sum(self.idf[g] for g in self.gb[j] & grams) / (self.mass_b[j] or 1)


def match_units(a: Sequence[Unit], b: Sequence[Unit]) -> list[tuple[list[int], list[int]]]:
    """Groups of unit indices ``(a_indices, b_indices)``: pairs, splits, merges, lone units.

    Content decides; numbers and positions only break ties between equally good
    candidates (two identical boilerplate articles pair in order).
    """
    n, m = len(a), len(b)
    pair: dict[int, int] = {}
    # 1. identical content, k-th occurrence with k-th occurrence
    by_text: dict[str, list[int]] = defaultdict(list)
    for j, u in enumerate(b):
        if u.norm:
            by_text[u.norm].append(j)
    for i, u in enumerate(a):
        js = by_text.get(u.norm)
        if js:
            pair[i] = js.pop(0)
    # 2. one-to-one by similarity, best first
    sc = _Scorer(a, b)
    taken = set(pair.values())
    cands = []
    for i in range(n):
        if i in pair:
            continue
        for j, _w in sc.shared[i].items():
            if j in taken:
                continue
            d = sc.dice(i, j)
            if d >= PAIR_THRESHOLD:
                rel = abs(i / max(n, 1) - j / max(m, 1))
                cands.append((-d, rel, i, j))
    for _, _, i, j in sorted(cands):
        if i not in pair and j not in taken:
            pair[i] = j
            taken.add(j)
    groups_a: dict[int, list[int]] = {i: [j] for i, j in pair.items()}  # a -> b list
    owner_b = {j: i for i, j in pair.items()}
    # 3a. splits: a leftover b inside a paired (or leftover) a
    lone_b = [j for j in range(m) if j not in owner_b]
    for j in sorted(lone_b, key=lambda j: -sc.mass_b[j]):
        best = None
        for i, _w in _col(sc, j):
            c = sc.in_a(i, j)
            if c < CONTAIN_THRESHOLD:
                continue
            if i in groups_a and any(len(_owners(groups_a, jj)) > 1 for jj in groups_a[i]):
                continue
            have = groups_a.get(i, [])
            gain = sc.cover_a(i, [*have, j]) - sc.cover_a(i, have)
            if gain < COVER_GAIN:
                continue
            if best is None or c > best[0]:
                best = (c, i)
        if best:
            i = best[1]
            groups_a.setdefault(i, []).append(j)
            groups_a[i].sort()
            owner_b[j] = i
    # 3b. merges: a leftover a inside a b that is paired one-to-one (or alone)
    groups_b: dict[int, list[int]] = defaultdict(list)  # b (first) -> extra a's merged in
    lone_a = [i for i in range(n) if i not in groups_a]
    for i in sorted(lone_a, key=lambda i: -sc.mass_a[i]):
        best = None
        for j, _w in sc.shared[i].items():
            c = sc.in_b(i, j)
            if c < CONTAIN_THRESHOLD:
                continue
            owner = owner_b.get(j)
            if owner is not None and len(groups_a[owner]) > 1:
                continue  # already a split piece
            have = [owner, *groups_b[j]] if owner is not None else list(groups_b[j])
            gain = sc.cover_b(j, [*have, i]) - sc.cover_b(j, have)
            if gain < COVER_GAIN:
                continue
            if best is None or c > best[0]:
                best = (c, j)
        if best:
            groups_b[best[1]].append(i)
    out: list[tuple[list[int], list[int]]] = []
    merged_a = {i for extra in groups_b.values() for i in extra}
    done_b: set[int] = set()
    for i, js in groups_a.items():
        if len(js) == 1 and groups_b.get(js[0]):
            ia = sorted([i, *groups_b[js[0]]])
            out.append((ia, js))
        else:
            out.append(([i], js))
        done_b.update(js)
    for j, extra in groups_b.items():
        if j not in done_b and extra:
            out.append((sorted(extra), [j]))
            done_b.add(j)
    for i in range(n):
        if i not in groups_a and i not in merged_a:
            out.append(([i], []))
    for j in range(m):
        if j not in done_b and j not in owner_b:
            out.append(([], [j]))
    return _sandwiched(out, sc, n, m)


def _sandwiched(groups: list[tuple[list[int], list[int]]], sc: _Scorer, n: int, m: int,
                ) -> list[tuple[list[int], list[int]]]:
    """Pair lone units that face each other between the same paired neighbours.

    Articles rewritten in place, between neighbours that did not move, are those
    articles changed even when little of their wording survives: a gap holding as many
    lone units on each side pairs them in order (each pair needing
    :data:`SANDWICH_THRESHOLD`); worddiff does the same with sentences.
    """
    both = sorted((g for g in groups if g[0] and g[1]), key=lambda g: g[0][0])
    chain = longest_increasing([g[1][0] for g in both])  # moved pairs are no neighbours
    both = [g for k, g in enumerate(both) if k in chain]
    lone_a = {g[0][0] for g in groups if g[0] and not g[1]}
    lone_b = {g[1][0] for g in groups if g[1] and not g[0]}
    bounds = [([-1], [-1]), *both, ([n], [m])]
    joined: list[tuple[int, int]] = []
    for (pa, pb), (na, nb) in pairwise(bounds):
        ga = list(range(max(pa) + 1, min(na)))
        gb = list(range(max(pb) + 1, min(nb)))
        if not ga or len(ga) != len(gb) or not set(ga) <= lone_a or not set(gb) <= lone_b:
            continue
        for i, j in zip(ga, gb, strict=True):
            if sc.dice(i, j) >= SANDWICH_THRESHOLD:
                joined.append((i, j))
    if not joined:
        return groups
    pi = {i for i, _ in joined}
    pj = {j for _, j in joined}
    kept = [g for g in groups if not (g[0] and not g[1] and g[0][0] in pi)
            and not (g[1] and not g[0] and g[1][0] in pj)]
    return kept + [([i], [j]) for i, j in joined]


def _col(sc: _Scorer, j: int) -> list[tuple[int, float]]:
    return [(i, row[j]) for i, row in enumerate(sc.shared) if j in row]


def _owners(groups_a: dict[int, list[int]], j: int) -> list[int]:
    return [i for i, js in groups_a.items() if j in js]


# ---------------------------------------------------------------- pairs


@dataclass
class FigureNote:
    """A changed figure of a pair, or (report mode) a press figure the official text
    states differently (``issue``: value, qualifier) or does not contain (absent)."""

    change: FigureChange
    issue: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = self.change.to_dict()
        # as stated, with the qualifier before the number (不少于2亿元, 突破600亿元)
        data["a_stated"] = _stated(self.change.a)
        data["b_stated"] = _stated(self.change.b)
        if self.issue:
            data["issue"] = self.issue
        return data


def _stated(q: Quantity | None) -> str | None:
    return None if q is None else q.prefix + q.text


@dataclass
class Pair:
    """One row of the 对照表: units of a (old) against units of b (new), and their diff."""

    status: str
    a: list[Unit]
    b: list[Unit]
    diff: PassageDiff | None
    moved: bool = False
    renumbered: bool = False
    figures: list[FigureNote] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        if not self.a or not self.b or self.diff is None:
            return 0.0
        return self.diff.similarity

    @property
    def ops(self) -> list[Op]:
        if self.diff is not None:
            return self.diff.ops
        if self.a:
            return [(DELETE, "\n".join(u.norm for u in self.a))]
        return [(INSERT, "\n".join(u.norm for u in self.b))]

    @property
    def label(self) -> str:
        """Headings of both sides, for lists: 第十条 → 第十二条."""
        left = " + ".join(_short(u) for u in self.a) or "—"
        right = " + ".join(_short(u) for u in self.b) or "—"
        return f"{left} → {right}"

    def side_runs(self, side: str) -> list[tuple[int, str]]:
        """The ops of one side on the text as written (original script): (op, text) runs.

        ``side`` "a" gives equal and deleted runs over the a units' text; "b" equal and
        inserted runs over b's. Script and width differences live in these texts only.
        """
        units = self.a if side == "a" else self.b
        if not units:
            return []
        text = "\n".join(u.text for u in units)
        nmap: list[int] = []
        offset = 0
        for k, u in enumerate(units):
            if k:
                nmap.append(offset - 1)
            nmap.extend(offset + x for x in u.nmap[:-1])
            offset += len(u.text) + 1
        nmap.append(len(text))
        skip = INSERT if side == "a" else DELETE
        runs: list[tuple[int, str]] = []
        pos = 0
        for op, chunk in self.ops:
            if op == skip:
                continue
            start, end = pos, pos + len(chunk)
            pos = end
            s = 0 if start == 0 else nmap[start]
            e = len(text) if end >= len(nmap) - 1 else nmap[end]
            piece = text[s:e]
            if runs and runs[-1][0] == op:
                runs[-1] = (op, runs[-1][1] + piece)
            elif piece:
                runs.append((op, piece))
        return runs

    def to_dict(self) -> dict[str, Any]:
        def side(units: list[Unit]) -> dict[str, Any] | None:
            if not units:
                return None
            data = units[0].ref()
            if len(units) > 1:
                data["parts"] = [u.ref() for u in units]
            data["text"] = "\n".join(u.text for u in units)
            return data

        return {
            "status": self.status,
            "a": side(self.a),
            "b": side(self.b),
            "similarity": round(self.similarity, 4),
            "moved": self.moved,
            "renumbered": self.renumbered,
            "ops": [[op, t] for op, t in self.ops],
            "figures": [f.to_dict() for f in self.figures],
        }


def _short(u: Unit) -> str:
    if u.kind == "article":
        return u.heading.split("（")[0].split("(")[0].strip() or u.key
    if u.heading:
        return u.heading[:20]
    return u.key


@dataclass
class Comparison:
    """Two documents compared unit by unit: the pairs in reading order and a summary."""

    a: Document
    b: Document
    mode: str  # versions | report
    unit_kind_a: str
    unit_kind_b: str
    pairs: list[Pair]
    notes: list[str]
    summary: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.id, "b": self.b.id, "mode": self.mode,
            "units": {"a": self.unit_kind_a, "b": self.unit_kind_b},
            "notes": list(self.notes),
            "summary": self.summary,
            "pairs": [p.to_dict() for p in self.pairs],
        }


def _joined(units: Sequence[Unit]) -> str:
    return "\n".join(u.norm for u in units)


def _is_date_part(text: str, q: Quantity) -> bool:
    """2020年12月30日 (an adoption date) is three quantities but no figure of the policy."""
    if q.unit in ("月", "日"):
        return True
    return q.unit == "年" and q.end < len(text) and text[q.end:q.end + 3].rstrip("月日")[:1] \
        .isdigit() and "月" in text[q.end:q.end + 3]


def _is_determiner(q: Quantity) -> bool:
    """一个, 一批, 一项: the article 'a', not a figure."""
    return q.number == "一" and len(q.unit) == 1


def _policy_figures(text: str) -> list[Quantity]:
    """Figures worth comparing: no bare numbers, parts of dates or determiners."""
    return [q for q in find_quantities(text)
            if not (q.is_bare or _is_date_part(text, q) or _is_determiner(q))]


def _lone_notes(units: Sequence[Unit], op: int) -> list[FigureNote]:
    """The figures of an added or deleted unit (dates of adoption left out)."""
    notes = []
    for u in units:
        for q in _policy_figures(u.norm):
            ctx = _context(u.norm, q)
            change = FigureChange(q, None, ctx, None) if op == DELETE else \
                FigureChange(None, q, None, ctx)
            notes.append(FigureNote(change))
    return notes


def _version_pairs(ua: Units, ub: Units) -> list[Pair]:
    a, b = ua.units, ub.units
    groups = match_units(a, b)
    both = [g for g in groups if g[0] and g[1]]
    both.sort(key=lambda g: g[0][0])
    in_order = longest_increasing([g[1][0] for g in both])
    moved_groups = {id(g) for k, g in enumerate(both) if k not in in_order}
    numbered = ua.mode != "paragraphs" and ub.mode != "paragraphs"
    pairs: list[Pair] = []
    for g in groups:
        ia, ib = g
        pa, pb = [a[i] for i in ia], [b[j] for j in ib]
        if not pa:
            pairs.append(Pair("added", [], pb, None, figures=_lone_notes(pb, INSERT)))
            continue
        if not pb:
            pairs.append(Pair("deleted", pa, [], None, figures=_lone_notes(pa, DELETE)))
            continue
        diff = diff_passages(_joined(pa), _joined(pb))
        moved = id(g) in moved_groups
        renumbered = numbered and [u.number for u in pa] != [u.number for u in pb]
        if len(pa) > 1:
            status = "merged"
        elif len(pb) > 1:
            status = "split"
        elif moved:
            status = "moved"
        elif diff.changed:
            status = "changed"
        elif renumbered:
            status = "renumbered"
        else:
            status = "unchanged"
        pairs.append(Pair(status, pa, pb, diff, moved, renumbered,
                          [FigureNote(f) for f in diff.figures]))
    return _reading_order(pairs)


def _reading_order(pairs: list[Pair]) -> list[Pair]:
    """Pairs in the order of b (the newer text); a-only pairs after their a predecessor."""
    def key_b(p: Pair) -> float:
        return p.b[0].index if p.b else -1.0

    with_b = sorted([p for p in pairs if p.b], key=key_b)
    out: list[Pair] = []
    lone_a = sorted([p for p in pairs if not p.b], key=lambda p: p.a[0].index)
    # place each deleted unit after the pair holding its nearest preceding a unit
    pos_of_a: dict[int, int] = {}
    for k, p in enumerate(with_b):
        for u in p.a:
            pos_of_a[u.index] = k
    slots: dict[int, list[Pair]] = defaultdict(list)
    for p in lone_a:
        i = p.a[0].index
        before = [pos_of_a[x] for x in pos_of_a if x < i and not with_b[pos_of_a[x]].moved]
        slots[max(before) if before else -1].append(p)
    out.extend(slots.get(-1, []))
    for k, p in enumerate(with_b):
        out.append(p)
        out.extend(slots.get(k, []))
    return out


# ---------------------------------------------------------------- report mode

_LOWER = {"不少于", "不低于", "至少", "以上"}
_MORE = {"超过", "突破", "逾", "超", "多", "余"}
_APPROX = {"约", "左右", "上下", "近"}
_UPPER = {"不超过", "以下", "以内"}


def _bounds(q: Quantity) -> frozenset[str]:
    """What a figure's qualifiers say about it: at least, more than, about, at most."""
    words = {q.prefix, q.suffix, q.approx} - {""}
    out = set()
    for w in words:
        if w in _LOWER:
            out.add("at least")
        elif w in _MORE:
            out.add("more than")
        elif w in _APPROX:
            out.add("about")
        elif w in _UPPER:
            out.add("at most")
    return frozenset(out)


def _amount(q: Quantity) -> tuple[float, str]:
    return (round(q.value * multiplier(q.unit), 6), _family(q))


def _report_figures(press: Unit, official: Unit | None, all_official: Sequence[Unit],
                    press_is_a: bool) -> list[FigureNote]:
    notes: list[FigureNote] = []
    local = _policy_figures(official.norm) if official else []
    everywhere = [(u, q) for u in all_official for q in _policy_figures(u.norm)]
    used: set[int] = set()
    for q in _policy_figures(press.norm):
        same = [k for k, o in enumerate(local) if k not in used and _amount(o) == _amount(q)]
        if same:
            o = local[same[0]]
            used.add(same[0])
            if _bounds(o) != _bounds(q):
                notes.append(_press_note(q, press, o, official, "qualifier", press_is_a))
            continue
        found = [(u, o) for u, o in everywhere if _amount(o) == _amount(q)]
        if found:
            u, o = found[0]
            if _bounds(o) != _bounds(q):
                notes.append(_press_note(q, press, o, u, "qualifier", press_is_a))
            continue
        if _family(q) == "year":
            continue  # a date the report adds (今年7月…) is not a figure of the policy
        alt = [k for k, o in enumerate(local) if k not in used and _family(o) == _family(q)]
        if alt:
            used.add(alt[0])
            notes.append(_press_note(q, press, local[alt[0]], official, "value", press_is_a))
        else:
            notes.append(_press_note(q, press, None, None, "absent", press_is_a))
    return notes


def _press_note(q: Quantity, press: Unit, o: Quantity | None, official: Unit | None,
                issue: str, press_is_a: bool) -> FigureNote:
    ctx_p = _context(press.norm, q)
    ctx_o = _context(official.norm, o) if o is not None and official is not None else None
    if press_is_a:
        return FigureNote(FigureChange(q, o, ctx_p, ctx_o), issue)
    return FigureNote(FigureChange(o, q, ctx_o, ctx_p), issue)


def _excerpt(official: Unit, press: Unit) -> Unit:
    """The sentences of an official unit that a press paragraph reports (all if none pair).

    A press paragraph restates one or two sentences of a long section; diffing it
    against the whole section would strike out everything else.
    """
    from policydiff.core.sentences import sentence_spans

    spans = sentence_spans(official.norm)
    rows = diff_passages(official.norm, press.norm).sentences
    used = sorted({i for r in rows if r.a and r.b for i in r.a})
    if not used or len(used) == len(spans):
        return official
    m = official.nmap
    pieces = [official.text[m[spans[i][0]]:m[spans[i][1]]] for i in used]
    unit = _make_unit(official.key, official.kind, official.sections, official.heading,
                      official.number, official.path, pieces)
    unit.index = official.index
    unit.excerpt = True
    return unit


def _report_pairs(press: Units, official: Units, press_is_a: bool) -> list[Pair]:
    p_units, o_units = press.units, official.units
    sc = _Scorer(p_units, o_units)
    pairs: list[Pair] = []
    reported: set[int] = set()
    for i, u in enumerate(p_units):
        best = None
        for j in sc.shared[i]:
            c = sc.in_b(i, j)  # share of the press paragraph found in the official unit
            if c >= REPORT_THRESHOLD and (best is None or c > best[0]):
                best = (c, j)
        o = o_units[best[1]] if best else None
        figures = _report_figures(u, o, o_units, press_is_a)
        if o is None:
            status = "deleted" if press_is_a else "added"
            pa, pb = ([u], []) if press_is_a else ([], [u])
            pairs.append(Pair(status, pa, pb, None, figures=figures))
            continue
        reported.add(best[1])
        o = _excerpt(o, u)
        pa, pb = ([u], [o]) if press_is_a else ([o], [u])
        diff = diff_passages(_joined(pa), _joined(pb))
        status = "changed" if diff.changed else "unchanged"
        pairs.append(Pair(status, pa, pb, diff, figures=figures))
    for j, o in enumerate(o_units):
        if j not in reported:
            status = "added" if press_is_a else "deleted"
            pa, pb = ([], [o]) if press_is_a else ([o], [])
            pairs.append(Pair(status, pa, pb, None))
    return pairs


# ---------------------------------------------------------------- summary


def _op_tokens(pairs: Sequence[Pair], op: int) -> Counter[str]:
    from policydiff.core.segment import words

    c: Counter[str] = Counter()
    for p in pairs:
        if p.status == "unchanged":
            continue
        for o, t in p.ops:
            if o == op:
                c.update(words(t))
    return c


def actors(text: str) -> list[str]:
    """Names of acting bodies in ``text`` (市经济信息化部门, 区人民政府), in order, once each."""
    from policydiff.core.segment import tokenize

    out: list[str] = []
    for sentence in _ACTOR_HINT.findall(text):
        for name in _actors_in(tokenize(sentence)):
            if name not in out:
                out.append(name)
    return out


_ACTOR_HINT = re.compile(
    "[^。；！？\n]*(?:" + "|".join([*ACTOR_SUFFIXES, *ACTOR_WORDS]) + ")[^。；！？\n]*")


def _actors_in(toks: Sequence[Token]) -> list[str]:
    out: list[str] = []
    for k, t in enumerate(toks):
        if t.kind != "word" or not (t.text.endswith(ACTOR_SUFFIXES) or t.text in ACTOR_WORDS):
            continue
        if len(t.text) == 1 and k == 0:
            continue
        lo = k
        size = len(t.text)
        while lo > 0 and toks[lo - 1].kind == "word" and toks[lo - 1].text not in _ACTOR_STOP \
                and size + len(toks[lo - 1].text) <= 12:
            lo -= 1
            size += len(toks[lo].text)
        name = "".join(x.text for x in toks[lo:k + 1])
        if len(name) >= 3 and name not in out:
            out.append(name)
    return out


def _summary(pairs: Sequence[Pair], a_text: str, b_text: str, mode: str) -> dict[str, Any]:
    counts = {s: 0 for s in STATUSES}
    for p in pairs:
        counts[p.status] += 1
    changed = [p for p in pairs if p.a and p.b and p.status != "unchanged"]
    most = sorted(changed, key=lambda p: (p.similarity, -len(p.ops)))[:5]
    figures = [{"pair": p.label, **f.to_dict()} for p in pairs for f in p.figures]
    if mode == "report":
        # a report leaves out most of the text: its wording says nothing about the policy
        return {
            "mode": mode, "counts": {k: v for k, v in counts.items() if v},
            "pairs": len(pairs),
            "reported": sum(1 for p in pairs if p.a and p.b),
            "most_changed": [], "figures_changed": len(figures), "figures": figures,
            "obligations": {}, "softened": {}, "new_actors": [], "dropped_actors": [],
        }
    added, dropped = _op_tokens(pairs, INSERT), _op_tokens(pairs, DELETE)

    def words_of(vocab: Sequence[str]) -> dict[str, dict[str, int]]:
        out = {}
        for w in vocab:
            if added[w] or dropped[w]:
                out[w] = {"added": added[w], "dropped": dropped[w]}
        return out

    # Actors are read from whole units (an insertion may start inside a name) of the
    # pairs that changed, and are new when the other text never names them.
    touched = [p for p in pairs if p.diff is None or p.diff.changed]
    new_actors = [x for x in actors("\n".join(u.norm for p in touched for u in p.b))
                  if x not in a_text]
    gone_actors = [x for x in actors("\n".join(u.norm for p in touched for u in p.a))
                   if x not in b_text]
    return {
        "mode": mode,
        "counts": {k: v for k, v in counts.items() if v or k in ("unchanged", "changed")},
        "pairs": len(pairs),
        "most_changed": [{"pair": p.label, "status": p.status,
                          "similarity": round(p.similarity, 4)} for p in most],
        "figures_changed": len(figures),
        "figures": figures,
        "obligations": words_of(OBLIGATION_WORDS),
        "softened": words_of(SOFT_WORDS),
        "new_actors": new_actors,
        "dropped_actors": gone_actors,
    }


# ---------------------------------------------------------------- entry points


_DRAFT_MARK = re.compile(r"[（(](?:草案|征求意见稿|送审稿|修订|修正|试行|暂行)[^）)]*[）)]")


def _other_policy(a: str, b: str) -> bool:
    """Whether two policy names (or titles, their default) name different policies:
    （草案）, （征求意见稿） and script do not count."""
    na, nb = (_DRAFT_MARK.sub("", normalize_map(x)[0]) for x in (a, b))
    return bool(na and nb) and na not in nb and nb not in na


def _is_press(doc: Document, units: Units) -> bool:
    return doc.meta.kind == "press" or units.mode == "paragraphs"


def compare_documents(doc_a: Document, doc_b: Document, *, mode: str | None = None,
                      ) -> Comparison:
    """Compare two documents unit by unit (see the module docstring).

    ``mode`` ``versions`` pairs two versions of one text; ``report`` maps the paragraphs
    of a press report to the official text's units. Default: ``report`` when exactly
    one side is a press report (``kind: press``) or has no headings.
    """
    ua, ub = document_units(doc_a), document_units(doc_b)
    notes: list[str] = []
    if mode is None:
        pa, pb = _is_press(doc_a, ua), _is_press(doc_b, ub)
        mode = "report" if pa != pb else "versions"
    if mode not in ("versions", "report"):
        raise InputError(f"unknown compare mode {mode!r} (use versions or report)")
    pol_a, pol_b = doc_a.meta.policy, doc_b.meta.policy
    if doc_a.id != doc_b.id and _other_policy(pol_a, pol_b):
        notes.append(f"{doc_a.id} ({pol_a}) and {doc_b.id} ({pol_b}) are different policies")
    if doc_a is doc_b or doc_a.id == doc_b.id:
        notes.append(f"{doc_a.id} is compared with itself: every unit is unchanged")
    for d, u in ((doc_a, ua), (doc_b, ub)):
        if u.mode == "paragraphs" and not (mode == "report" and _is_press(d, u)):
            notes.append(f"{d.id} has no headings: compared paragraph by paragraph")
        if not u.units:
            raise InputError(f"{d.id} has no text to compare")
    if mode == "report":
        press_is_a = _is_press(doc_a, ua) and not (_is_press(doc_b, ub) and doc_a.meta.kind
                                                    != "press")
        if press_is_a:
            ua = document_units(doc_a, paragraphs=True)
            pairs = _report_pairs(ua, ub, True)
        else:
            ub = document_units(doc_b, paragraphs=True)
            pairs = _report_pairs(ub, ua, False)
        press = doc_a if press_is_a else doc_b
        official = doc_b if press_is_a else doc_a
        n_rep = sum(1 for p in pairs if p.a and p.b)
        kind = "article" if (ub if press_is_a else ua).mode == "articles" else "section"
        n_par = len((ua if press_is_a else ub).units)
        notes.append(f"{press.id} read as a report of {official.id}: each paragraph mapped to "
                     f"the {kind} it reports ({n_rep} of {n_par} paragraphs)")
    else:
        pairs = _version_pairs(ua, ub)
    if not any(p.a and p.b for p in pairs):
        notes.append(f"{doc_a.id} and {doc_b.id} share no "
                     f"{'article' if ua.mode == 'articles' else 'section or paragraph'}: "
                     "nothing paired")
    a_all = "\n".join(u.norm for u in ua.units)
    b_all = "\n".join(u.norm for u in ub.units)
    summary = _summary(pairs, a_all, b_all, mode)
    return Comparison(doc_a, doc_b, mode, ua.mode, ub.mode, pairs, notes, summary)


# ---------------------------------------------------------------- chains


@dataclass
class History:
    """One article (or section) across versions: its units per version and each step."""

    versions: list[list[Unit]]  # per document, in date order
    steps: list[Pair | None]  # per consecutive step; None where absent on both sides

    @property
    def changed_in(self) -> list[int]:
        """Indices of the versions that changed it (1 = the second document)."""
        return [k + 1 for k, p in enumerate(self.steps)
                if p is not None and p.status != "unchanged"]

    def to_dict(self, docs: Sequence[Document]) -> dict[str, Any]:
        return {
            "versions": [
                {"doc": d.id, "units": [u.ref() for u in us]}
                for d, us in zip(docs, self.versions, strict=True)
            ],
            "steps": [
                None if p is None else {
                    "from": docs[k].id, "to": docs[k + 1].id, "status": p.status,
                    "similarity": round(p.similarity, 4),
                    "ops": [[op, t] for op, t in p.ops],
                    "figures": [f.to_dict() for f in p.figures],
                }
                for k, p in enumerate(self.steps)
            ],
            "changed_in": [docs[k].id for k in self.changed_in],
        }


@dataclass
class Chain:
    """Several versions compared in date order: each step, and each unit's history."""

    docs: list[Document]
    steps: list[Comparison]
    histories: list[History]

    def to_dict(self) -> dict[str, Any]:
        return {
            "docs": [d.id for d in self.docs],
            "steps": [{"a": c.a.id, "b": c.b.id, "notes": c.notes, "summary": c.summary}
                      for c in self.steps],
            "histories": [h.to_dict(self.docs) for h in self.histories],
        }


def compare_chain(docs: Sequence[Document]) -> Chain:
    """Compare versions in date order (draft → final → amended) and follow every unit.

    Units linked by a pair in any step form one history (a split keeps both pieces in
    the history of the article they came from); each history says in which version it
    changed, CollateX-style.
    """
    if len(docs) < 2:
        raise InputError("compare needs at least two documents")
    ordered = sorted(docs, key=lambda d: (d.date, d.id))
    steps = [compare_documents(x, y, mode="versions") for x, y in pairwise(ordered)]
    parent: dict[tuple[int, str], tuple[int, str]] = {}

    def find(x: tuple[int, str]) -> tuple[int, str]:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    units_of: list[dict[str, Unit]] = [{} for _ in ordered]
    for k, c in enumerate(steps):
        for p in c.pairs:
            for u in p.a:
                units_of[k][u.key] = u
                find((k, u.key))
            for u in p.b:
                units_of[k + 1][u.key] = u
                find((k + 1, u.key))
            nodes = [(k, u.key) for u in p.a] + [(k + 1, u.key) for u in p.b]
            for x in nodes[1:]:
                ra, rb = find(nodes[0]), find(x)
                if ra != rb:
                    parent[rb] = ra
    comps: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for node in list(parent):
        comps[find(node)].append(node)
    histories: list[tuple[tuple[int, int], History]] = []
    for nodes in comps.values():
        versions: list[list[Unit]] = [[] for _ in ordered]
        for k, key in nodes:
            versions[k].append(units_of[k][key])
        for vs in versions:
            vs.sort(key=lambda u: u.index)
        keys = {(k, key) for k, key in nodes}
        step_pairs: list[Pair | None] = []
        for k, c in enumerate(steps):
            hit = None
            for p in c.pairs:
                if any((k, u.key) in keys for u in p.a) or any((k + 1, u.key) in keys
                                                               for u in p.b):
                    hit = p if hit is None or (p.a and p.b) else hit
            step_pairs.append(hit)
        # reading order of the latest version that has it (a deleted unit sorts near
        # where it stood, numbering being similar across versions)
        last = max(k for k, _ in nodes)
        order = (versions[last][0].index, -last)
        histories.append((order, History(versions, step_pairs)))
    histories.sort(key=lambda h: h[0])
    return Chain(list(ordered), steps, [h for _, h in histories])
