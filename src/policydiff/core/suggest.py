"""Suggested alignments: passages of different documents that say comparable things.

Reviewers should not find every comparable passage by hand. For each theme this
module scores every passage against the theme's terms, then groups the passages of
different documents that speak to the same point into N-way groups, each with a
score and the evidence a reviewer needs to judge it (theme terms matched, shared
words, shared figures).

Design choices, and why:

* The passage is the **paragraph**. In these policies a paragraph is one point
  (one target line, one measure, one answer in an interview); a sentence is too
  short to share enough words with its counterpart, a section too long to quote.
  The quote written to the store is trimmed to the paragraph's sentences that
  carry theme terms, so reviewers read the relevant part.
* Relevance to a theme is **BM25** with the theme's terms as the query (terms are
  matched as substrings, because a reviewer's term such as 人才高地 need not be one
  jieba word). A passage with no theme term is never suggested for that theme.
* Comparability is the **cosine of TF-IDF vectors** of jieba words (with the
  project's policy-term dictionary, :mod:`policydiff.core.segment`) plus one feature per
  unit of the figures a passage states (亿元, %, 家, 人, 年 …), so two target
  paragraphs are alike even when their numbers differ.
* Grouping goes through the index, never all pairs: a group grows around a seed
  (the most relevant passage not yet used) as a centroid query against the
  theme's sparse passage matrix; each document contributes its best passage by
  ``SIM_WEIGHT * cosine + (1 - SIM_WEIGHT) * relevance``; the centroid is then
  recomputed from the members and the query repeated (a few k-means-like steps).
  Each query is one sparse matrix-vector product touching only passages that share
  a word with the centroid, so the cost is O(top x non-zeros), linear in the corpus.

The module is pure: it knows nothing of the terminal or the store files. Progress
is reported through an optional callback.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, TypedDict

import numpy as np

from policydiff.core.alignment import Alignment, Member, Theme
from policydiff.core.anchors import make_anchor
from policydiff.core.corpus import Corpus
from policydiff.core.document import Document
from policydiff.core.passages import resolve_alignment, spans_by_doc
from policydiff.core.quantities import find_quantities
from policydiff.core.rows import RowMatrix, distinct

if TYPE_CHECKING:
    from policydiff.core.document import Section
    from policydiff.core.relevance import Profile

#: Share of cosine similarity (vs theme relevance) in a member's score.
SIM_WEIGHT = 0.5
#: A document joins a group only if its best passage scores at least this.
MIN_MEMBER_SCORE = 0.2
#: Centroid refinement rounds per group.
ROUNDS = 3
#: BM25 parameters (the usual defaults).
BM25_K1 = 1.2
BM25_B = 0.75
#: Weight of an alignment's label beside its members' centroid when proposing members
#: (half: the examples count more than the one-line description, as in the themes'
#: Rocchio profile).
LABEL_WEIGHT = 0.5
#: Tokens in more than this share of passages say nothing about comparability.
MAX_DF_SHARE = 0.5
#: Evidence lists are cut to this many entries.
EVIDENCE_LIMIT = 12

#: Function words and policy boilerplate that jieba keeps as words but that do not
#: make two passages comparable.
STOPWORDS = frozenset((
    "我们", "以及", "进一步", "等等", "一批", "一个", "一些", "其中", "同时", "此外",
    "并且", "通过", "进行", "开展", "推动", "推进", "加快", "加强", "提升", "实现",
    "形成", "建设", "发展", "打造", "构建", "完善", "持续", "全面", "积极", "重点",
    "相关", "各类", "方面", "领域", "作用", "能力", "体系", "提出", "表示", "将在",
    "已经", "目前", "以上", "以下", "左右", "包括", "支持", "促进", "提高", "深化",
    "强化", "不断", "更加", "具有",
))

ProgressFn = Callable[[str, int, int], None]
"""``progress(stage, done, total)``; ``total`` is 0 when unknown."""


# --- passages ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Passage:
    """A paragraph of a document, the unit that is scored and grouped.

    Slotted: a 10,000-document corpus has a quarter of a million of them, and a
    per-instance ``__dict__`` (over 100 bytes each) would add tens of megabytes."""

    doc: str
    section: str
    paragraph: str
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # sentence spans (body offsets)
    role: str = "commitment"  # see policydiff.core.relevance.passage_role


def passages(documents: Iterable[Document]) -> list[Passage]:
    """The text paragraphs of ``documents`` (captions excluded: they describe pictures)."""
    out = []
    for doc in documents:
        sections = {section.id: section for section in doc.sections}
        for para in doc.paragraphs():
            if para.kind != "text" or not para.text.strip():
                continue
            spans = tuple((s.start, s.end) for s in para.sentences) or ((para.start, para.end),)
            out.append(Passage(doc.id, para.section_id, para.id,
                               para.start, para.end, para.text, spans,
                               _role(sections.get(para.section_id), para.text)))
    return out


def _role(section: Section | None, text: str) -> str:
    """The passage's role (commitment, context, status) from its section's kind and headings."""
    from policydiff.core.relevance import passage_role

    if section is None:
        return passage_role("", (), text)
    return passage_role(section.kind, section.path, text)


def _features(text: str) -> list[str]:
    """Index terms of a passage: words (2+ characters, no digits, no stopwords, 文号 removed)
    and figure units.

    Digits and dates are left to the unit features (⟨亿元⟩, ⟨%⟩): two target paragraphs
    are alike for the kind of figure they state, not for sharing a year or a 文号.
    """
    from policydiff.core.relevance import is_feature, strip_citations
    from policydiff.core.segment import words

    feats = [w for w in words(strip_citations(text)) if is_feature(w) and w not in STOPWORDS]
    feats.extend(f"⟨{q.unit}⟩" for q in find_quantities(text) if q.unit)
    return feats


def _analyse(text: str) -> tuple[list[str], list[int]]:
    """:func:`_features` of a passage and its token edges (offsets where a token starts or
    ends), from one segmentation: seed terms are matched at these edges later, for every
    theme, without segmenting the passage again."""
    from policydiff.core.relevance import is_feature, strip_citations
    from policydiff.core.segment import tokenize_once

    quantities = find_quantities(text)
    clean = strip_citations(text)
    tokens = tokenize_once(clean, [(q.start, q.end) for q in quantities] if clean == text
                           else None)  # the figures are found once when no 文号 was blanked
    feats = [t.text for t in tokens if t.kind in ("word", "number")
             and is_feature(t.text) and t.text not in STOPWORDS]
    feats.extend(f"⟨{q.unit}⟩" for q in quantities if q.unit)
    edges = [t.start for t in tokens]
    edges.append(len(text))
    return feats, edges


def _analyse_packed(text: str) -> tuple[list[str], bytes]:
    """:func:`_analyse` with the edges as one byte per character position (0/1)."""
    feats, edges = _analyse(text)
    marks = bytearray(len(text) + 1)
    for edge in edges:
        marks[edge] = 1
    return feats, bytes(marks)


class _Recorder:
    """A token cache in a worker process: never hits, keeps what is put, to hand back."""

    def __init__(self) -> None:
        self.cuts: dict[bytes, bytes] = {}

    def get(self, key: bytes) -> bytes | None:
        return None

    def put(self, key: bytes, value: bytes) -> None:
        self.cuts[key] = value


_recorder: _Recorder | None = None


def _worker_start() -> None:
    from policydiff.core import segment

    global _recorder
    _recorder = _Recorder()
    segment.set_cache(_recorder)


def _analyse_chunk(texts: list[str]) -> tuple[list[tuple[list[str], bytes]], dict[bytes, bytes]]:
    """A worker's share: the analyses of ``texts``, and the cuts it made (for the cache)."""
    out = [_analyse_packed(text) for text in texts]
    cuts: dict[bytes, bytes] = {}
    if _recorder is not None:
        cuts, _recorder.cuts = _recorder.cuts, {}
    return out, cuts


#: Passages from which the index is built in worker processes (about 200 documents):
#: below it, starting the workers (≈ 0.5 s each, loading the segmenter) costs more.
PARALLEL_MIN_PASSAGES = 5000
#: Passages per piece of work sent to a worker.
PARALLEL_CHUNK = 1000
#: At most this many workers (the parent builds the index from their results meanwhile).
PARALLEL_MAX_WORKERS = 2


def _workers() -> int:
    """How many worker processes may run: 0 unless a whole core is idle now, else up
    to the cores this process may use. On a busy machine (load average within a core of
    the number of cores) workers only compete with each other and with this process: at
    load 4 on 2 cores the pool was slower than one process, at load 0.8 it took 0.84 of
    the time (benchmarks/RESULTS.md)."""
    import os

    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    try:
        idle = cores - os.getloadavg()[0]
    except OSError:  # no load average on this system
        idle = float(cores)
    return min(cores, int(idle)) if cores > 1 else 0


def _analyses(items: Sequence[Passage]) -> Iterable[tuple[list[str], bytes]]:
    """:func:`_analyse_packed` of every passage, in order.

    A large corpus is analysed by a pool of worker processes (one per core), in
    chunks, results taken back in order: the same analyses, so the same index, as
    one process gives. The workers' cuts are put in the installed token cache here,
    so the next command still finds them there.
    """
    if len(items) < PARALLEL_MIN_PASSAGES:
        yield from (_analyse_packed(p.text) for p in items)
        return
    if _workers() < 1:
        yield from (_analyse_packed(p.text) for p in items)
        return
    import multiprocessing

    from policydiff.core import segment

    texts = [p.text for p in items]
    chunks = [texts[i:i + PARALLEL_CHUNK] for i in range(0, len(texts), PARALLEL_CHUNK)]
    del texts
    cache = segment.get_cache()
    workers = PARALLEL_MAX_WORKERS
    from collections import deque

    todo = iter(chunks)
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_start) as pool:
        # at most two chunks a worker in flight: results wait in a bounded queue, not all
        # of them in this process (``imap`` would collect them as fast as workers make them)
        pending = deque(pool.apply_async(_analyse_chunk, (chunk,))
                        for _, chunk in zip(range(2 * workers), todo, strict=False))
        while pending:
            out, cuts = pending.popleft().get()
            chunk = next(todo, None)
            if chunk is not None:
                pending.append(pool.apply_async(_analyse_chunk, (chunk,)))
            if cache is not None:
                for key, value in cuts.items():
                    cache.put(key, value)
            yield from out


# --- the index --------------------------------------------------------------


@dataclass
class PassageIndex:
    """TF-IDF passage-by-term matrix (rows L2-normalised) with its vocabulary.

    Rows are CSR, so ``matrix @ query`` touches only the non-zeros: an inverted
    index in matrix form.
    """

    passages: list[Passage]
    matrix: RowMatrix
    vocabulary: dict[str, int]
    idf: np.ndarray
    doc_of: np.ndarray  # passage row -> document number
    doc_ids: list[str]
    terms: list[str]  # term id -> term (the vocabulary inverted)
    #: Token edges of every passage, one bit per character position (packed), row r's
    #: positions 0..len(text) at bits edge_offsets[r]..edge_offsets[r + 1].
    edge_bits: np.ndarray | None = field(default=None, repr=False)
    edge_offsets: np.ndarray | None = field(default=None, repr=False)
    _bounds: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def row_terms(self, row: int) -> list[str]:
        """The distinct weighted terms of passage ``row`` (words and figure units; words
        in over half the passages weigh 0 and are not stored)."""
        ids = self.matrix.indices[self.matrix.indptr[row]:self.matrix.indptr[row + 1]]
        return [self.terms[i] for i in ids.tolist()]

    def __len__(self) -> int:
        return len(self.passages)

    def edges(self, row: int) -> set[int]:
        """Offsets in passage ``row``'s text where a token starts or ends."""
        if self.edge_bits is None or self.edge_offsets is None:
            from policydiff.core.segment import tokenize

            tokens = tokenize(self.passages[row].text)
            return {t.start for t in tokens} | {t.end for t in tokens}
        start, end = int(self.edge_offsets[row]), int(self.edge_offsets[row + 1])
        first = start // 8
        bits = np.unpackbits(self.edge_bits[first:(end + 7) // 8])
        return set(np.flatnonzero(bits[start - 8 * first:end - 8 * first]).tolist())

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of every passage (arrays, built once)."""
        if self._bounds is None:
            n = len(self.passages)
            self._bounds = (np.fromiter((p.start for p in self.passages), np.int64, n),
                            np.fromiter((p.end for p in self.passages), np.int64, n))
        return self._bounds


def build_index(items: Sequence[Passage], progress: ProgressFn | None = None) -> PassageIndex:
    """Tokenise every passage once and build the TF-IDF matrix.

    Passages are consumed one at a time (analysed in worker processes when the corpus
    is large and cores are idle: :func:`_analyses`) and only their term ids and counts
    are kept (compact arrays): keeping each passage's token strings cost gigabytes at 10,000
    documents. The evidence reads a passage's terms back from the ids. The weights are
    computed in place on those arrays (no float64 copy of the whole matrix).
    """
    vocabulary: dict[str, int] = {}
    indptr = array("q", [0])
    indices = array("i")
    counts = array("i")
    marks = bytearray()  # one byte per character position while building, packed below
    mark_at = array("q", [0])
    total = len(items)
    step = max(1, total // 200)
    for n, (feats, row_marks) in enumerate(_analyses(items), 1):
        for term, count in Counter(feats).items():
            indices.append(vocabulary.setdefault(term, len(vocabulary)))
            counts.append(count)
        indptr.append(len(indices))
        marks += row_marks
        mark_at.append(len(marks))
        if progress and (n % step == 0 or n == total):
            progress("segmenting passages", n, total)
    shape = (len(items), max(1, len(vocabulary)))
    row_ptr = np.frombuffer(indptr, dtype=np.int64)  # shares the array's memory
    term_ids = np.frombuffer(indices, dtype=np.int32)
    data = np.frombuffer(counts, dtype=np.int32).astype(np.float32)
    del counts
    df = np.bincount(term_ids, minlength=shape[1]).astype(np.float64)
    n_rows = max(1, shape[0])
    idf = np.log((n_rows + 1) / (df + 1)) + 1.0
    if n_rows >= 20:  # in a tiny corpus every word is frequent; keep them all
        idf[df > MAX_DF_SHARE * n_rows] = 0.0
    np.log(data, out=data)  # tf -> (1 + ln tf) x idf, in place, float32
    data += 1.0
    data *= idf.astype(np.float32)[term_ids]
    weights = RowMatrix(data, term_ids, row_ptr, shape[1])
    norms = np.sqrt(weights.row_norms_sq())
    norms[norms == 0] = 1.0
    weights = weights.scale_rows(1.0 / norms).without_zeros()
    doc_ids = list(dict.fromkeys(p.doc for p in items))
    number = {d: i for i, d in enumerate(doc_ids)}
    doc_of = np.fromiter((number[p.doc] for p in items), dtype=np.int64, count=len(items))
    terms = list(vocabulary)
    edge_bits = np.packbits(np.frombuffer(marks, dtype=np.uint8))
    del marks
    return PassageIndex(list(items), weights, vocabulary, idf, doc_of, doc_ids, terms,
                        edge_bits, np.frombuffer(mark_at, dtype=np.int64))


# --- theme relevance ----------------------------------------------------------


def _term_regex(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One alternation of ``terms``, longest first (compiled once per distinct set)."""
    return _compiled_terms(frozenset(t.strip() for t in terms if t and t.strip()))


@lru_cache(maxsize=1024)
def _compiled_terms(terms: frozenset[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))))


@dataclass
class ThemeScores:
    """Relevance of every passage to one theme, and which terms matched where."""

    theme: Theme
    score: np.ndarray  # per passage row, 0-1; 0 = not about the theme
    matched: dict[int, Counter[str]]  # passage row -> evidence terms (relevant rows only)


@dataclass
class ThemeExamples:
    """A theme's accepted (examples) and rejected (counter-examples) passages, by document."""

    examples: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    counter: dict[str, list[tuple[int, int]]] = field(default_factory=dict)


#: A passage is relevant to a theme when its relevance reaches this (0-1 scale).
MIN_RELEVANCE = 0.12


def theme_scores(index: PassageIndex, theme: Theme,
                 examples: ThemeExamples | None = None) -> ThemeScores:
    """Relevance of each passage to ``theme``: seed terms, description and examples.

    ``0.4 x`` BM25 of the seed terms (matched at word boundaries, dates never count)
    ``+ 0.6 x`` cosine with the theme's Rocchio profile (description, terms, accepted
    passages minus rejected ones; see :mod:`policydiff.core.relevance`), both squashed
    to 0-1, times the passage's role factor. A theme with neither terms nor
    description nor examples has no relevant passage.
    """
    from policydiff.core.relevance import ROLE_FACTOR

    n = len(index)
    score = np.zeros(n, dtype=np.float64)
    matched: dict[int, Counter[str]] = {}
    if n == 0:
        return ThemeScores(theme, score, matched)
    terms_part = _term_part(index, theme, matched)
    profile_part, profile = _profile_part(index, theme, examples or ThemeExamples())
    combined = 0.4 * terms_part + 0.6 * profile_part
    roles = np.fromiter((ROLE_FACTOR.get(p.role, 1.0) for p in index.passages),
                        dtype=np.float64, count=n)
    score = combined * roles
    score[score < MIN_RELEVANCE] = 0.0
    for row in np.flatnonzero(score > 0):
        row = int(row)
        if row not in matched:  # relevant through the profile: name its strongest words
            matched[row] = _profile_terms(index, row, profile)
    for row in [r for r in matched if score[r] <= 0]:
        del matched[row]
    return ThemeScores(theme, score, matched)


def _term_part(index: PassageIndex, theme: Theme, matched: dict[int, Counter[str]]) -> np.ndarray:
    """BM25 of the seed terms, squashed to 0-1 (median matching passage = 0.5)."""
    from policydiff.core.relevance import term_matches

    n = len(index)
    out = np.zeros(n)
    if not theme.terms:
        return out
    pattern = _term_regex(theme.terms)
    for row, passage in enumerate(index.passages):
        if pattern is None or not pattern.search(passage.text):
            continue  # no term even as a substring
        found = term_matches(passage.text, theme.terms, index.edges(row))
        if found:
            matched[row] = Counter(found)
    if not matched:
        return out
    df = Counter(term for counts in matched.values() for term in counts)
    lengths = np.fromiter((len(p.text) for p in index.passages), dtype=np.float64, count=n)
    avg = float(lengths.mean()) or 1.0
    for row, counts in matched.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[row] / avg)
        total = 0.0
        for term, tf in counts.items():
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            total += idf * tf * (BM25_K1 + 1) / (tf + norm)
        out[row] = total
    positive = out[out > 0]
    median = _median(positive) if len(positive) else 1.0
    return out / (out + median)


def _profile_part(index: PassageIndex, theme: Theme,
                  examples: ThemeExamples) -> tuple[np.ndarray, Profile]:
    """Cosine with the theme's profile, squashed to 0-1 (0.5 at the examples' median)."""
    from policydiff.core.relevance import build_profile, profile_similarity

    text_vec = np.zeros(index.matrix.shape[1])
    for term in _features(" ".join([theme.description, *theme.terms])):
        col = index.vocabulary.get(term)
        if col is not None:
            text_vec[col] += float(index.idf[col])
    pos_rows = _rows_for(index, examples.examples)
    neg_rows = [r for r in _rows_for(index, examples.counter) if r not in set(pos_rows)]
    profile = build_profile(text_vec, index.matrix.take(pos_rows) if pos_rows else None,
                            index.matrix.take(neg_rows) if neg_rows else None)
    sims = profile_similarity(index.matrix, profile)
    ref = sims[pos_rows] if pos_rows else sims[sims > 0]
    scale = _median(ref) if len(ref) and _median(ref) > 0 else 0.1
    sims = np.maximum(sims, 0.0)
    return sims / (sims + scale), profile


def _median(values: np.ndarray) -> float:
    """The median, without ``np.median`` (whose first call imports ``numpy.ma``, ~50 ms)."""
    ordered = np.sort(np.asarray(values, dtype=np.float64))
    mid = len(ordered) // 2
    return float(ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2)


def _rows_for(index: PassageIndex, spans: dict[str, list[tuple[int, int]]]) -> list[int]:
    """Index rows of the passages overlapping ``spans`` (doc -> body spans)."""
    if not spans:
        return []
    number = {d: i for i, d in enumerate(index.doc_ids)}
    starts, ends = index.bounds()
    hit = np.zeros(len(index), dtype=bool)
    for doc, doc_spans in spans.items():
        if doc not in number:
            continue
        mine = index.doc_of == number[doc]
        for s, e in doc_spans:
            hit |= mine & (starts < e) & (s < ends)
    return [int(r) for r in np.flatnonzero(hit)]


def _profile_terms(index: PassageIndex, row: int, profile: Profile,
                   limit: int = 3) -> Counter[str]:
    """The passage's words that weigh most in the profile (evidence for a profile match)."""
    start, end = index.matrix.indptr[row], index.matrix.indptr[row + 1]
    cols = index.matrix.indices[start:end]
    weights = index.matrix.data[start:end] * profile.vector[cols]
    names = index.terms
    best = [int(c) for c, w in sorted(zip(cols.tolist(), weights.tolist(), strict=True),
                                      key=lambda cw: -cw[1])
            if w > 0 and not names[int(c)].startswith("⟨")][:limit]
    return Counter({names[c]: 1 for c in best})


# --- suggestions --------------------------------------------------------------


class TermEvidence(TypedDict):
    """A word and in how many of the group's documents it occurs."""

    term: str
    docs: int


class FigureEvidence(TypedDict):
    """A unit stated in several documents, with each document's figures in it."""

    unit: str
    docs: int
    values: dict[str, list[str]]


class SharedFigure(TypedDict):
    """One figure (value and unit) stated identically in several documents."""

    value: float
    unit: str
    docs: list[str]


class Evidence(TypedDict):
    """Why a group's passages belong together (JSON ``evidence`` of ``suggest``)."""

    theme_terms: list[TermEvidence]
    shared_terms: list[TermEvidence]
    figures: list[FigureEvidence]
    shared_figures: list[SharedFigure]


@dataclass(slots=True)
class SuggestedMember:
    """A passage in a suggestion, with why it was picked (slotted: there are hundreds of
    thousands of them at 10,000 documents)."""

    passage: Passage
    start: int  # the quoted span (sentences with theme terms), body offsets
    end: int
    score: float
    similarity: float
    relevance: float
    theme_terms: list[str]


@dataclass
class Suggestion:
    """A proposed alignment: comparable passages of several documents under a theme."""

    id: str
    theme: str
    label: str
    score: float
    members: list[SuggestedMember]
    evidence: Evidence = field(default_factory=lambda: Evidence(
        theme_terms=[], shared_terms=[], figures=[], shared_figures=[]))
    #: For a proposed *member*: the accepted alignment it would join.
    extends: str | None = None

    def docs(self) -> list[str]:
        return [m.passage.doc for m in self.members]

    def note(self) -> str:
        """A one-line reason a reviewer reads in the alignment file."""
        parts = []
        if self.evidence.get("theme_terms"):
            parts.append("theme terms " + "、".join(t["term"] for t in
                                                   self.evidence["theme_terms"][:5]))
        if self.evidence.get("shared_terms"):
            parts.append("shared words " + "、".join(t["term"] for t in
                                                    self.evidence["shared_terms"][:5]))
        if self.evidence.get("figures"):
            parts.append("figures in " + "、".join(f["unit"] for f in
                                                   self.evidence["figures"][:5]))
        return f"Suggested (score {self.score:.2f}): " + "; ".join(parts) + "."

    def to_alignment(self, corpus: Corpus) -> Alignment:
        """The alignment to write to the store, with ``status: proposed``."""
        members = []
        for m in self.members:
            body = corpus.get(m.passage.doc).body
            members.append(Member(doc=m.passage.doc, section=m.passage.section,
                                  anchor=make_anchor(body, m.start, m.end)))
        origin = f"policydiff suggest (score {self.score:.2f})"
        if self.extends:
            origin = f"policydiff suggest: member of {self.extends} (score {self.score:.2f})"
        return Alignment(id=self.id, theme=self.theme, label=self.label, status="proposed",
                         note=self.note(), members=members, origin=origin)

    def to_dict(self, corpus: Corpus | None = None) -> dict[str, object]:
        """The JSON shape of ``policydiff alignments`` plus ``score`` and ``evidence``."""
        members = []
        for m in self.members:
            quote = (corpus.get(m.passage.doc).body[m.start:m.end] if corpus is not None
                     else _slice(m))
            members.append({"doc": m.passage.doc, "section": m.passage.section, "quote": quote,
                            "start": m.start, "paragraph": m.passage.paragraph,
                            "score": round(m.score, 3), "similarity": round(m.similarity, 3),
                            "relevance": round(m.relevance, 3), "theme_terms": m.theme_terms})
        return {"id": self.id, "theme": self.theme, "label": self.label, "status": "proposed",
                "note": self.note(), "members": members, "score": round(self.score, 3),
                "evidence": self.evidence, "extends": self.extends}


def _slice(m: SuggestedMember) -> str:
    offset = m.start - m.passage.start
    return m.passage.text[offset:offset + (m.end - m.start)]


def suggest(corpus: Corpus | Sequence[Document], themes: Sequence[Theme],
            docs: Sequence[str] | None = None, top: int = 3,
            progress: ProgressFn | None = None,
            alignments: Sequence[Alignment] = ()) -> list[Suggestion]:
    """Up to ``top`` suggestions per theme, best first within each theme.

    ``docs`` restricts the documents considered (all by default). Suggestions with
    fewer than two documents are not made: an alignment compares. ``alignments``
    (the store's, any status) are the themes' examples: accepted members define a
    theme together with its description and terms, rejected ones are
    counter-examples (needs ``corpus`` to be a :class:`Corpus` to resolve them).
    """
    documents: Iterable[Document]
    if isinstance(corpus, Corpus):  # one document at a time (a lazy corpus holds no more)
        ids = [i for i in corpus.ids if i in set(docs)] if docs else corpus.ids
        documents = (corpus.get(i) for i in ids)
    else:
        documents = [d for d in corpus if d.id in set(docs)] if docs else list(corpus)
    index = build_index(passages(documents), progress)
    examples = theme_examples(alignments, corpus) if isinstance(corpus, Corpus) else {}
    out: list[Suggestion] = []
    accepted = [a for a in alignments if a.status == "accepted"]
    for n, theme in enumerate(themes, 1):
        scores = theme_scores(index, theme, examples.get(theme.id))
        out.extend(suggest_theme(index, theme, top, examples.get(theme.id), scores))
        if isinstance(corpus, Corpus):
            mine = [a for a in accepted if a.theme == theme.id]
            out.extend(suggest_members(index, theme, mine, corpus, examples.get(theme.id),
                                       scores))
        if progress:
            progress("grouping by theme", n, len(themes))
    return out


def theme_examples(alignments: Sequence[Alignment], corpus: Corpus) -> dict[str, ThemeExamples]:
    """Per theme: spans of accepted members (examples) and rejected members (counter)."""
    out: dict[str, ThemeExamples] = {}
    for alignment in alignments:
        if alignment.status not in ("accepted", "rejected"):
            continue
        spans = alignment_spans(alignment, corpus)
        bucket = out.setdefault(alignment.theme, ThemeExamples())
        target = bucket.examples if alignment.status == "accepted" else bucket.counter
        for doc, doc_spans in spans.items():
            target.setdefault(doc, []).extend(doc_spans)
    return out


MEMBER_PREFIX = "policydiff suggest: member of "


def suggest_members(index: PassageIndex, theme: Theme, accepted: Sequence[Alignment],
                    corpus: Corpus, examples: ThemeExamples | None = None,
                    scores: ThemeScores | None = None) -> list[Suggestion]:
    """Proposed members: for each accepted alignment, the best passage of each document
    it has no member for (present or recorded absent), if it scores
    ``SIM_WEIGHT * cosine(alignment query) + (1 - SIM_WEIGHT) * relevance`` of at
    least the alignment's floor (:func:`_member_floor`). The query is the members'
    centroid plus the alignment's label (:func:`_alignment_query`). This is how a new
    document joins the alignments a reviewer has already accepted.
    """
    if not accepted or len(index) == 0:
        return []
    scores = scores or theme_scores(index, theme, examples)
    out = []
    for alignment in accepted:
        spans = alignment_spans(alignment, corpus)
        rows = _rows_for(index, spans)
        if not rows:
            continue
        covered = {m.doc for m in alignment.members}
        label = _label_vector(index, alignment.label)
        query = _alignment_query(index, rows, label)
        if query is None:
            continue
        cosine = index.matrix @ query
        combined = SIM_WEIGHT * cosine + (1 - SIM_WEIGHT) * scores.score
        combined = np.where(scores.score > 0, combined, -np.inf)
        floor = _member_floor(index, rows, label, scores.score)
        for d, doc in enumerate(index.doc_ids):
            if doc in covered:
                continue
            candidates = np.flatnonzero(index.doc_of == d)
            if not len(candidates):
                continue
            best = int(candidates[np.argmax(combined[candidates])])
            if not combined[best] >= floor:
                continue
            passage = index.passages[best]
            terms = scores.matched.get(best, Counter())
            start, end = _quote_span(passage, _term_regex(list(terms)))
            member = SuggestedMember(passage, start, end, float(combined[best]),
                                     float(cosine[best]), float(scores.score[best]),
                                     [t for t, _ in terms.most_common()])
            evidence = _evidence(index, scores, [best, *rows])
            out.append(Suggestion(
                id=f"{alignment.id}-add-{doc}"[:80], theme=theme.id,
                label=f"{alignment.label} + {doc}", score=float(combined[best]),
                members=[member], evidence=evidence, extends=alignment.id))
    out.sort(key=lambda s: -s.score)
    return out


def _label_vector(index: PassageIndex, label: str) -> np.ndarray | None:
    """The alignment's label as a unit idf-weighted vector of the index's terms.

    The label is the reviewer's one-line description of the point the members share
    (法规、标准与伦理, 世界人工智能大会): what the theme description is to a theme.
    Only the label is used, not the note: a note describes what each document says,
    so it would leak the passage a held-out document is asked for.
    """
    if LABEL_WEIGHT <= 0:
        return None
    vec = np.zeros(index.matrix.shape[1])
    for term in _features(label):
        col = index.vocabulary.get(term)
        if col is not None:
            vec[col] += float(index.idf[col])
    norm = float(np.linalg.norm(vec))
    return vec / norm if norm > 0 else None


def _alignment_query(index: PassageIndex, rows: Sequence[int],
                     label: np.ndarray | None) -> np.ndarray | None:
    """Unit query for an alignment: its members' centroid plus ``LABEL_WEIGHT`` x label."""
    centroid = index.matrix.take(rows).column_sums() if len(rows) else \
        np.zeros(index.matrix.shape[1])
    norm = float(np.linalg.norm(centroid))
    if norm > 0:
        centroid = centroid / norm
    if label is not None:
        centroid = centroid + LABEL_WEIGHT * label
    norm = float(np.linalg.norm(centroid))
    return centroid / norm if norm > 0 else None


def _member_floor(index: PassageIndex, rows: Sequence[int], label: np.ndarray | None,
                  relevance: np.ndarray) -> float:
    """The score a new member needs: :data:`MIN_MEMBER_SCORE`, or less when a member
    the reviewer accepted scores less (each member scored like a candidate, against
    the other documents' members).

    Short press-report clauses share few words with anything, so a fixed floor kept
    out passages as good as ones already accepted (a third of the leave-one-out
    misses were the right passage, ranked first, just under 0.2). The alignment's
    own weakest accepted member is the bar: relevance feedback for the threshold.
    """
    docs = {int(index.doc_of[r]) for r in rows}
    if len(docs) < 2:
        return MIN_MEMBER_SCORE
    own = []
    for d in docs:
        mine = [r for r in rows if int(index.doc_of[r]) == d]
        others = [r for r in rows if int(index.doc_of[r]) != d]
        query = _alignment_query(index, others, label)
        if query is None:
            continue
        sims = index.matrix.take(mine) @ query
        own.append(max(SIM_WEIGHT * float(c) + (1 - SIM_WEIGHT) * float(relevance[r])
                       for c, r in zip(sims, mine, strict=True)))
    return min(MIN_MEMBER_SCORE, min(own)) if own else MIN_MEMBER_SCORE


def extra_members(suggestion: Suggestion, alignment: Alignment) -> list[Suggestion]:
    """The members of ``suggestion`` in documents ``alignment`` has no member for, each
    as a proposed member of ``alignment`` (a group found beside an accepted alignment
    must not be dropped because part of it is stored)."""
    covered = {m.doc for m in alignment.members}
    out = []
    for m in suggestion.members:
        if m.passage.doc in covered:
            continue
        out.append(Suggestion(id=f"{alignment.id}-add-{m.passage.doc}"[:80],
                              theme=suggestion.theme,
                              label=f"{alignment.label} + {m.passage.doc}", score=m.score,
                              members=[m], evidence=suggestion.evidence, extends=alignment.id))
    return out


def suggest_theme(index: PassageIndex, theme: Theme, top: int = 3,
                  examples: ThemeExamples | None = None,
                  scores: ThemeScores | None = None) -> list[Suggestion]:
    """Greedy centroid grouping of the passages relevant to ``theme`` (see module doc).

    ``scores`` (from :func:`theme_scores`) saves recomputing them when the caller has.
    """
    scores = scores or theme_scores(index, theme, examples)
    rows = np.flatnonzero(scores.score > 0)
    if len(rows) == 0 or top <= 0:
        return []
    matrix = index.matrix.take(rows)  # the theme's slice of the index (CSR rows)
    doc_of = index.doc_of[rows]
    raw = scores.score[rows]
    relevance = raw  # already 0-1 (see theme_scores)
    available = np.ones(len(rows), dtype=bool)
    # A seed that cannot gather a second document is spent; stop after a while.
    by_relevance = list(np.argsort(-relevance, kind="stable"))
    groups: list[tuple[float, list[tuple[int, float, float]]]] = []
    attempts = 0
    while len(groups) < top and attempts < top * 5 + 10:
        seed = next((i for i in by_relevance if available[i]), None)
        if seed is None:
            break
        attempts += 1
        members = _grow(matrix, doc_of, relevance, available, int(seed))
        if len({int(doc_of[i]) for i, _, _ in members}) < 2:
            available[seed] = False
            continue
        for i, _, _ in members:
            available[i] = False
        group_score = _group_score(members, doc_of, relevance)
        groups.append((group_score, members))
    groups.sort(key=lambda g: -g[0])
    return [_suggestion(index, scores, rows, relevance, score, members)
            for score, members in groups]


def _grow(matrix: RowMatrix, doc_of: np.ndarray, relevance: np.ndarray,
          available: np.ndarray, seed: int) -> list[tuple[int, float, float]]:
    """Members (row, combined score, cosine) of the group around ``seed``: one per document.

    A passage is compared with the centroid of the *other* documents' members
    (leave-one-out), so a member is not similar to the group merely because it is
    part of it. The centroid sum is one dense vector; ``matrix @ centroid`` and a
    row-wise product with each document's current member give every leave-one-out
    cosine in O(non-zeros).
    """
    members: dict[int, int] = {int(doc_of[seed]): seed}
    chosen: list[tuple[int, float, float]] = [(seed, float(relevance[seed]), 0.0)]
    for round_ in range(ROUNDS):
        rows = np.fromiter(members.values(), dtype=np.int64)
        total = matrix.take(rows).column_sums()
        dots = matrix @ total  # touches only rows sharing a term with the group
        by_doc = np.full(int(doc_of.max()) + 1, -1, dtype=np.int64)
        by_doc[np.fromiter(members.keys(), dtype=np.int64)] = rows
        own = by_doc[doc_of]  # each row's document member, -1 if none yet
        has = own >= 0
        self_dot = np.zeros(len(doc_of))
        if has.any():
            idx = np.flatnonzero(has)
            self_dot[idx] = matrix.pair_dots(idx, own[idx])
        sq = float(total @ total)
        member_dot = np.zeros(len(doc_of))
        member_dot[has] = dots[own[has]]
        member_sq = np.zeros(len(doc_of))
        member_sq[has] = 1.0  # rows are unit vectors
        norm2 = np.maximum(sq - 2 * member_dot + member_sq, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            cosine = np.where(norm2 > 1e-12, (dots - self_dot) / np.sqrt(norm2), 0.0)
        combined = SIM_WEIGHT * cosine + (1 - SIM_WEIGHT) * relevance
        combined = np.where(available, combined, -np.inf)
        if round_ == 0:
            combined[doc_of == doc_of[seed]] = -np.inf  # the seed speaks for its document
            combined[seed] = SIM_WEIGHT * cosine[seed] + (1 - SIM_WEIGHT) * relevance[seed]
        best = [i for i in _best_per_document(combined, doc_of)
                if combined[i] >= MIN_MEMBER_SCORE or i == seed]
        chosen = [(int(i), float(combined[i]), float(cosine[i])) for i in best]
        new = {int(doc_of[i]): int(i) for i in best}
        if new == members:
            break
        members = new
        if len(members) < 2:
            break
    return chosen


def _best_per_document(values: np.ndarray, doc_of: np.ndarray) -> list[int]:
    """Row of the highest value in each document (rows with -inf excluded)."""
    ok = np.flatnonzero(np.isfinite(values))
    if len(ok) == 0:
        return []
    order = ok[np.lexsort((-values[ok], doc_of[ok]))]
    docs = doc_of[order]  # sorted by document: keep each document's first (best) row
    first = np.concatenate(([True], docs[1:] != docs[:-1]))
    return [int(i) for i in order[first]]


def _group_score(members: list[tuple[int, float, float]], doc_of: np.ndarray,
                 relevance: np.ndarray) -> float:
    """Mean member score, discounted for groups that cover few of the theme's documents."""
    covered = len(members)
    candidates = len(distinct(doc_of))
    mean = sum(score for _, score, _ in members) / covered
    return float(mean * math.sqrt(covered / max(covered, candidates)))


def _suggestion(index: PassageIndex, scores: ThemeScores, rows: np.ndarray,
                relevance: np.ndarray, score: float,
                members: list[tuple[int, float, float]]) -> Suggestion:
    order = {d: i for i, d in enumerate(index.doc_ids)}
    picked = []
    for local, combined, cosine in members:
        row = int(rows[local])
        passage = index.passages[row]
        terms = scores.matched.get(row, Counter())
        start, end = _quote_span(passage, _term_regex(list(terms)))
        picked.append((row, SuggestedMember(passage, start, end, combined, cosine,
                                            float(relevance[local]),
                                            [t for t, _ in terms.most_common()])))
    picked.sort(key=lambda rm: (order[rm[1].passage.doc], rm[1].start))
    evidence = _evidence(index, scores, [row for row, _ in picked])
    key = "|".join(f"{m.passage.doc}:{m.passage.paragraph}" for _, m in picked)
    digest = hashlib.sha1(f"{scores.theme.id}|{key}".encode()).hexdigest()[:8]
    words = [t["term"] for t in evidence["shared_terms"][:3]] or \
        [t["term"] for t in evidence["theme_terms"][:3]]
    label = f"{scores.theme.name_zh or scores.theme.id}：{'、'.join(words)}"
    return Suggestion(id=f"{scores.theme.id}-s{digest}", theme=scores.theme.id, label=label,
                      score=score, members=[m for _, m in picked], evidence=evidence)


def _quote_span(passage: Passage, pattern: re.Pattern[str] | None) -> tuple[int, int]:
    """The paragraph's sentences from the first to the last one with a theme term."""
    if pattern is None:
        return passage.start, passage.end
    hits = [(s, e) for s, e in passage.sentences
            if pattern.search(passage.text, s - passage.start, e - passage.start)]
    if not hits:
        return passage.start, passage.end
    return hits[0][0], hits[-1][1]


def _evidence(index: PassageIndex, scores: ThemeScores, rows: list[int]) -> Evidence:
    """Why the passages belong together: theme terms, shared words, figures."""
    docs_of_term: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for term in scores.matched.get(row, ()):
            docs_of_term[term].add(index.passages[row].doc)
    theme_terms = sorted(docs_of_term.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    shared: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for token in index.row_terms(row):
            if not token.startswith("⟨"):
                shared[token].add(index.passages[row].doc)
    weight = {t: float(index.idf[index.vocabulary[t]]) for t in shared}
    shared_terms = sorted(((t, d) for t, d in shared.items() if len(d) >= 2 and weight[t] > 0),
                          key=lambda kv: (-len(kv[1]) * weight[kv[0]], kv[0]))

    by_unit: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_value: dict[tuple[float, str], set[str]] = defaultdict(set)
    for row in rows:
        passage = index.passages[row]
        for q in find_quantities(passage.text):
            if not q.unit:
                continue
            by_unit[q.unit][passage.doc].append(q.text)
            by_value[(q.value, q.unit)].add(passage.doc)
    figures = [FigureEvidence(unit=unit, docs=len(per_doc),
                              values=dict(list(per_doc.items())[:EVIDENCE_LIMIT]))
               for unit, per_doc in sorted(by_unit.items(), key=lambda kv: -len(kv[1]))
               if len(per_doc) >= 2]
    same = [SharedFigure(value=value, unit=unit, docs=sorted(d))
            for (value, unit), d in sorted(by_value.items(), key=lambda kv: -len(kv[1]))
            if len(d) >= 2]
    return Evidence(
        theme_terms=[TermEvidence(term=t, docs=len(d)) for t, d in theme_terms[:EVIDENCE_LIMIT]],
        shared_terms=[TermEvidence(term=t, docs=len(d))
                      for t, d in shared_terms[:EVIDENCE_LIMIT]],
        figures=figures[:EVIDENCE_LIMIT],
        shared_figures=same[:EVIDENCE_LIMIT],
    )


# --- the store: "same alignment" and writing proposals ---------------------------

Spans = dict[str, list[tuple[int, int]]]


def alignment_spans(alignment: Alignment, corpus: Corpus) -> Spans:
    """Where each member of ``alignment`` is in the corpus now (absent/orphaned skipped)."""
    return spans_by_doc(resolve_alignment(alignment, corpus))


def suggestion_spans(suggestion: Suggestion) -> Spans:
    """The quoted span of each member, by document."""
    spans: Spans = defaultdict(list)
    for m in suggestion.members:
        spans[m.passage.doc].append((m.start, m.end))
    return dict(spans)


def same_alignment(a: Spans, b: Spans) -> bool:
    """Whether two alignments of one theme are the same proposal.

    They are when their passages overlap (share at least one character) in at least
    half of the documents of the smaller one, and in at least two documents (one if
    the smaller has a single document). Quotes trimmed differently or a document
    added or dropped do not make a new alignment; a group that shares one
    paragraph with another but pairs it with different passages does.
    """
    smaller = min(len(a), len(b))
    if smaller == 0:
        return False
    shared = sum(
        1 for doc, spans in a.items()
        if any(s < e2 and s2 < e for s, e in spans for s2, e2 in b.get(doc, ()))
    )
    return shared >= min(2, smaller) and 2 * shared >= smaller


def find_existing(suggestion: Suggestion, existing: Sequence[Alignment],
                  spans: dict[str, Spans]) -> Alignment | None:
    """The alignment of the store (any status) that ``suggestion`` duplicates, if any.

    ``spans`` maps alignment ids to :func:`alignment_spans` (resolved once per run).
    """
    mine = suggestion_spans(suggestion)
    for alignment in existing:
        if alignment.theme == suggestion.theme and same_alignment(mine, spans[alignment.id]):
            return alignment
    return None
