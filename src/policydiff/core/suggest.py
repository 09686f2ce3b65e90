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
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, islice
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypedDict

import numpy as np

from policydiff.core.alignment import Alignment, Member, Theme
from policydiff.core.anchors import Anchor, make_anchor
from policydiff.core.corpus import Corpus
from policydiff.core.document import Document
from policydiff.core.passages import resolve_alignment, resolve_alignments, spans_by_doc
from policydiff.core.quantities import find_quantities
from policydiff.core.rows import PartnerDots, RowMatrix, distinct

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
    return list(iter_passages(documents))


def iter_passages(documents: Iterable[Document]) -> Iterator[Passage]:
    """:func:`passages`, one at a time: a lazy corpus's documents are then parsed while
    the worker pool segments the passages already read (:func:`build_index`)."""
    for doc in documents:
        sections = {section.id: section for section in doc.sections}
        for para in doc.paragraphs():
            if para.kind != "text" or not para.text.strip():
                continue
            spans = tuple((s.start, s.end) for s in para.sentences) or ((para.start, para.end),)
            yield Passage(doc.id, para.section_id, para.id, para.start, para.end, para.text,
                          spans, _role(sections.get(para.section_id), para.text))


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


Figure = tuple[int, int, float, str]
"""A figure with a unit in a passage: start and end (offsets in the passage's text),
value, unit (what the evidence shows; :func:`policydiff.core.quantities.find_quantities`)."""


def _analyse(text: str, cache: bool = True) -> tuple[list[str], list[int], list[Figure]]:
    """:func:`_features` of a passage, its token edges (offsets where a token starts or
    ends) and its figures with a unit, from one segmentation: seed terms are matched at
    these edges later, for every theme, without segmenting the passage again, and the
    evidence reads the figures back instead of finding them again. ``cache=False``: cut
    with the compiled segmenter without asking the token cache (a large corpus: there
    loading the segmenter once costs less than reading every cut back)."""
    from policydiff.core.relevance import strip_citations
    from policydiff.core.segment import token_texts_once

    quantities = find_quantities(text)
    clean = strip_citations(text)
    texts, words = token_texts_once(clean, [(q.start, q.end) for q in quantities]
                                    if clean == text else None,  # figures found once
                                    cache=cache)
    usable = _usable
    feats = [w for w in words if usable[w]]
    feats.extend(f"⟨{q.unit}⟩" for q in quantities if q.unit)
    edges = list(accumulate(map(len, texts), initial=0))  # tokens cover the text in order
    return feats, edges, [(q.start, q.end, q.value, q.unit) for q in quantities if q.unit]


class _Numbering(dict[str, int]):
    """Term -> id, a new term getting the next id when first looked up."""

    def __missing__(self, term: str) -> int:
        number = self[term] = len(self)
        return number


class _Usable(dict[str, bool]):
    """Word -> whether it is an index feature (2+ characters, no digit, not a stopword),
    remembered: a corpus says the same few ten thousand words millions of times."""

    def __missing__(self, word: str) -> bool:
        from policydiff.core.relevance import is_feature

        ok = is_feature(word) and word not in STOPWORDS
        if len(self) < 1_000_000:
            self[word] = ok
        return ok


_usable = _Usable()


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


@dataclass(frozen=True, slots=True)
class _Packed:
    """The analyses of a run of passages, packed: each passage's term counts (against the
    run's own numbering of its terms), token edges and figures. A worker sends this
    back instead of lists of strings and ints (unpickled one object at a time, then
    counted and numbered in this process: a third of the parent's work at 10,000
    documents); the parent renumbers a run's few thousand terms once."""

    terms: list[str]  # the run's distinct features, in order of first use
    ids: bytes  # int32, per passage its distinct features (run numbers) in first-use order
    counts: bytes  # int32, how often each occurs in the passage
    sizes: bytes  # int64, per passage how many distinct features
    edges: bytes  # int32, per passage its token edges
    edge_sizes: bytes  # int64, per passage how many edges
    figures: list[list[Figure]]


def _pack(analyses: Iterable[Analysis]) -> _Packed:
    numbering = _Numbering()
    ids, counts, edges = array("i"), array("i"), array("i")
    sizes, edge_sizes = array("q"), array("q")
    figures = []
    for feats, row_edges, row_figures in analyses:
        tf = Counter(feats)  # each term once, in order of first use (the row's entry order)
        ids.extend(map(numbering.__getitem__, tf))
        counts.extend(tf.values())
        sizes.append(len(tf))
        edges.extend(row_edges)
        edge_sizes.append(len(row_edges))
        figures.append(row_figures)
    return _Packed(list(numbering), ids.tobytes(), counts.tobytes(), sizes.tobytes(),
                   edges.tobytes(), edge_sizes.tobytes(), figures)


def _analyse_chunk(texts: list[str]) -> tuple[_Packed, dict[bytes, bytes]]:
    """A worker's share: the analyses of ``texts``, packed, and the cuts it made (for
    the cache)."""
    packed = _pack(_analyse(text, cache=False) for text in texts)  # a large corpus
    cuts: dict[bytes, bytes] = {}
    if _recorder is not None:
        cuts, _recorder.cuts = _recorder.cuts, {}
    return packed, cuts


#: Passages from which the index is built in worker processes (about 200 documents):
#: below it, starting the workers (≈ 0.5 s each, loading the segmenter) costs more.
PARALLEL_MIN_PASSAGES = 5000
#: Passages from which one theme's suggestions are written out in a second thread while
#: the next theme's groups are found (below it, a thread costs more than it saves).
PIPELINE_MIN_PASSAGES = 5000
#: Passages per piece of work sent to a worker.
PARALLEL_CHUNK = 1000
#: At most this many workers (the parent builds the index from their results meanwhile).
PARALLEL_MAX_WORKERS = 2


def _workers() -> int:
    """How many worker processes may run: 0 unless a whole core is idle now besides the
    one this process keeps busy (and the main module can be read again by a spawned
    worker), else up to the cores this process may use. On a busy machine workers only
    compete with each other and with this process: at load 4 on 2 cores the pool was
    slower than one process, at load 0.8 it took 0.84 of the time
    (benchmarks/RESULTS.md)."""
    import os
    import sys

    main = getattr(sys.modules.get("__main__"), "__file__", None)
    if main is not None and not os.path.isfile(main):
        # `python - <<EOF`: a spawned worker would re-run a main module it cannot read,
        # die at start, and the pool would replace it for ever
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if cores < 2:
        return 0
    spare = _idle_cores(cores) - 1.0  # this process keeps a core busy meanwhile
    return min(cores, round(spare)) if spare >= 0.5 else 0


def _idle_cores(cores: int, window: float = 0.2) -> float:
    """Cores idle now: the system's idle time over ``window`` seconds (``/proc/stat``,
    Linux), else ``cores`` minus the 1-minute load average. The load average still
    counts a run that ended seconds ago: a second ``suggest`` right after the first
    found the machine "busy" with itself and ran without workers (79 s against 65 s)."""
    import os
    import time

    def sample() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as stat:  # cpu user nice system idle iowait…
            ticks = [int(v) for v in stat.readline().split()[1:9]]
        return ticks[3] + ticks[4], sum(ticks)

    try:
        idle0, total0 = sample()
        time.sleep(window)
        idle1, total1 = sample()
    except (OSError, ValueError, IndexError):
        idle1 = total1 = idle0 = total0 = 0
    if total1 > total0:
        return (os.cpu_count() or cores) * (idle1 - idle0) / (total1 - total0)
    try:
        return cores - os.getloadavg()[0]
    except OSError:  # no load average on this system
        return float(cores)


Analysis = tuple[list[str], list[int], list[Figure]]
"""What :func:`_analyse` finds in a passage: features, token edges, figures."""


def _chunks(items: Iterator[Passage], size: int) -> Iterator[list[Passage]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _analyses(items: Iterable[Passage]) -> Iterator[tuple[list[Passage], _Packed]]:
    """Runs of passages (:data:`PARALLEL_CHUNK` at a time), in order, each with their
    :func:`_analyse`, packed (:class:`_Packed`).

    A large corpus (known once :data:`PARALLEL_MIN_PASSAGES` passages have been read)
    is analysed by a pool of worker processes, a run each, results taken back in order:
    the same analyses, so the same index, as one process gives. ``items`` is consumed
    as the pool asks for work, so a lazy corpus's documents are parsed here while the
    workers segment what was read before. The workers' cuts are put in the installed
    token cache here, so the next command still finds them there.
    """
    items = iter(items)
    head = list(islice(items, PARALLEL_MIN_PASSAGES))
    todo = _chunks(chain(head, items), PARALLEL_CHUNK)
    large = len(head) >= PARALLEL_MIN_PASSAGES
    if not large or _workers() < 1:
        del head
        # a small corpus reads its cuts from the token cache (a command then need not load
        # the segmenter); a large one cuts them afresh, faster than reading them back
        for chunk in todo:
            yield chunk, _pack(_analyse(p.text, cache=not large) for p in chunk)
        return
    del head
    import multiprocessing
    from collections import deque

    from policydiff.core import segment

    cache = segment.get_cache()
    workers = PARALLEL_MAX_WORKERS
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_worker_start) as pool:
        # at most two chunks a worker in flight: results wait in a bounded queue, not all
        # of them in this process (``imap`` would collect them as fast as workers make them)
        def send(chunk: list[Passage]) -> tuple[list[Passage], Any]:
            return chunk, pool.apply_async(_analyse_chunk, ([p.text for p in chunk],))

        pending = deque(send(chunk) for _, chunk in zip(range(2 * workers), todo,
                                                        strict=False))
        while pending:
            chunk, result = pending.popleft()
            next_chunk = next(todo, None)  # read (parse) the next while the workers work
            if next_chunk is not None:
                pending.append(send(next_chunk))
            packed, cuts = result.get()
            if cache is not None:
                for key, value in cuts.items():
                    cache.put(key, value)
            yield chunk, packed


# --- the index --------------------------------------------------------------


class _FigureTable:
    """The figures of every passage (:data:`Figure`), in flat arrays: a 10,000-document
    corpus states ~300,000 of them, too many for a Python tuple each."""

    __slots__ = ("_at", "_ends", "_starts", "_unit", "_units", "_values", "units")

    def __init__(self) -> None:
        self._at = array("q", [0])
        self._starts = array("i")
        self._ends = array("i")
        self._values = array("d")
        self._unit = array("i")
        self._units: dict[str, int] = {}
        self.units: list[str] = []

    def add(self, figures: list[Figure]) -> None:
        """The next passage's figures."""
        for start, end, value, unit in figures:
            self._starts.append(start)
            self._ends.append(end)
            self._values.append(value)
            number = self._units.get(unit)
            if number is None:
                number = self._units[unit] = len(self.units)
                self.units.append(unit)
            self._unit.append(number)
        self._at.append(len(self._starts))

    def nonempty(self, rows: Sequence[int]) -> list[int]:
        """Those of ``rows`` (in order) that have figures."""
        picked = np.asarray(rows, dtype=np.int64)
        if not len(picked):
            return []
        at = np.frombuffer(self._at, dtype=np.int64)
        return picked[at[picked + 1] > at[picked]].tolist()

    def row(self, row: int) -> list[Figure]:
        lo, hi = self._at[row], self._at[row + 1]
        if lo == hi:
            return []
        units = self.units
        return [(self._starts[k], self._ends[k], self._values[k], units[self._unit[k]])
                for k in range(lo, hi)]


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
    #: Every passage's figures with a unit (found once while indexing), for the evidence.
    figures: _FigureTable | None = field(default=None, repr=False)
    _bounds: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)
    #: Per seed term, the rows where it occurs at token edges and how often
    #: (:meth:`term_hits`; shared by the themes, which have terms in common).
    _hits: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict, repr=False)
    _per_row: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

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

    def term_hits(self, terms: Iterable[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """For each term: the rows whose text has it at token edges (both ends), ascending,
        and how many times (overlapping occurrences count, as ``str.find`` steps them).

        One regex scan of all passages' texts joined per term, and the edges checked
        as bits for all occurrences at once: per passage in Python (a search, a set of
        edges, a find loop) this was a third of suggest's time. Kept per term, so each
        term is scanned once however many themes use it (:func:`suggest` asks for all
        the themes' terms at once, so the joined text is built once).
        """
        wanted = list(dict.fromkeys(t for t in terms if t))
        todo = [t for t in wanted if t not in self._hits]
        if todo:
            if self.edge_bits is None or self.edge_offsets is None:
                for term in todo:
                    self._hits[term] = self._hits_by_passage(term)
            else:
                # row r's text starts at edge_offsets[r] (each row has len(text) + 1 bits)
                joined = "\x00".join(p.text for p in self.passages)
                for term in todo:
                    self._hits[term] = _occurrences(joined, term, self.edge_offsets,
                                                    self.edge_bits)
                del joined
        return {t: self._hits[t] for t in wanted}

    def _hits_by_passage(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`term_hits` of one term, passage by passage (an index without edge bits)."""
        rows, counts = [], []
        for row, passage in enumerate(self.passages):
            text = passage.text
            at = text.find(term)
            if at < 0:
                continue
            edges = self.edges(row)
            found = 0
            while at >= 0:
                found += at in edges and at + len(term) in edges
                at = text.find(term, at + 1)
            if found:
                rows.append(row)
                counts.append(found)
        return np.array(rows, dtype=np.int64), np.array(counts, dtype=np.int64)

    def row_figures(self, row: int) -> list[tuple[str, float, str]]:
        """Text, value and unit of each figure with a unit in passage ``row``, in order."""
        text = self.passages[row].text
        if self.figures is None:
            return [(q.text, q.value, q.unit) for q in find_quantities(text) if q.unit]
        return [(text[s:e], value, unit) for s, e, value, unit in self.figures.row(row)]

    def rows_with_figures(self, rows: Sequence[int]) -> list[int]:
        """Those of ``rows`` (in order) that may state a figure with a unit."""
        if self.figures is None:
            return list(rows)
        return self.figures.nonempty(rows)

    def unit_terms(self) -> np.ndarray:
        """Per term id: whether it is a figure's unit (⟨亿元⟩), not a word."""
        if "unit" not in self._per_row:
            self._per_row["unit"] = np.fromiter((t.startswith("⟨") for t in self.terms),
                                                dtype=bool, count=len(self.terms))
        return self._per_row["unit"]

    def per_row(self, name: str) -> np.ndarray:
        """Per passage: ``length`` (characters) or ``role`` (the role's relevance factor),
        built once (every theme needs them)."""
        if name not in self._per_row:
            from policydiff.core.relevance import ROLE_FACTOR

            n = len(self.passages)
            values = ((len(p.text) for p in self.passages) if name == "length"
                      else (ROLE_FACTOR.get(p.role, 1.0) for p in self.passages))
            self._per_row[name] = np.fromiter(values, dtype=np.float64, count=n)
        return self._per_row[name]

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Start and end offsets of every passage (arrays, built once)."""
        if self._bounds is None:
            n = len(self.passages)
            self._bounds = (np.fromiter((p.start for p in self.passages), np.int64, n),
                            np.fromiter((p.end for p in self.passages), np.int64, n))
        return self._bounds


def _occurrences(joined: str, term: str, offsets: np.ndarray,
                 bits: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows (ascending) where ``term`` occurs at token edges in ``joined`` (the passages'
    texts joined by one character, row r's at ``offsets[r]``), and how many times.

    ``bits``: the index's packed edge bits, in the same positions as ``joined``.
    """
    size = len(term)
    if any(term[:k] == term[-k:] for k in range(1, size)):  # occurrences may overlap
        found, find = [], joined.find
        at = find(term)
        while at >= 0:
            found.append(at)
            at = find(term, at + 1)
        starts = np.array(found, dtype=np.int64)
    else:  # non-overlapping by construction: the regex engine's literal scan finds all
        starts = np.fromiter((m.start() for m in re.finditer(re.escape(term), joined)),
                             dtype=np.int64)
    empty = np.zeros(0, dtype=np.int64)
    if not len(starts):
        return empty, empty
    ends = starts + size
    rows = np.searchsorted(offsets, starts, side="right") - 1
    inside = ends < offsets[rows + 1]  # the match does not run into the next passage
    edge = ((bits[starts >> 3] >> (7 - (starts & 7))) & 1).astype(bool)
    edge &= ((bits[ends >> 3] >> (7 - (ends & 7))) & 1).astype(bool)
    rows = rows[inside & edge]
    if not len(rows):
        return empty, empty
    first = np.concatenate(([True], rows[1:] != rows[:-1]))
    at = np.flatnonzero(first)
    return rows[at], np.diff(np.append(at, len(rows)))


def _edge_flags(mark_at: array, first: int, edges: bytes, sizes: bytes) -> np.ndarray:
    """One byte per character position (and one past the end) of rows ``first`` to
    ``first + len(sizes) - 1``, 1 at their token edges (``edges``: each row's offsets,
    ``sizes`` of them a row; ``mark_at``: where each row's positions start)."""
    per_row = np.frombuffer(sizes, dtype=np.int64)
    starts = np.frombuffer(mark_at, dtype=np.int64)[first:first + len(per_row) + 1]
    flags = np.zeros(int(starts[-1] - starts[0]), dtype=np.uint8)
    flags[np.frombuffer(edges, dtype=np.int32) + np.repeat(starts[:-1] - starts[0], per_row)] = 1
    return flags


def build_index(items: Iterable[Passage], progress: ProgressFn | None = None) -> PassageIndex:
    """Tokenise every passage once and build the TF-IDF matrix.

    Passages are consumed one at a time (analysed in worker processes when the corpus
    is large and cores are idle: :func:`_analyses`) and only their term ids and counts
    are kept (compact arrays): keeping each passage's token strings cost gigabytes at 10,000
    documents. The evidence reads a passage's terms back from the ids. The weights are
    computed in place on those arrays (no float64 copy of the whole matrix).
    ``progress`` is told of the passages segmented when ``items`` has a length.
    """
    kept: list[Passage] = []
    indptr = array("q", [0])
    indices = array("i")
    counts = array("i")
    # token edges: row r's positions 0..len(text) are flags mark_at[r]..mark_at[r + 1] - 1,
    # set a run of rows at a time (one byte per position while building, packed below)
    mark_at = array("q", [0])
    flag_parts: list[np.ndarray] = []
    figures = _FigureTable()
    total = len(items) if isinstance(items, Sequence) else 0
    numbering = _Numbering()

    for chunk, packed in _analyses(items):
        first = len(kept)
        kept.extend(chunk)
        lengths = np.fromiter((len(p.text) + 1 for p in chunk), dtype=np.int64, count=len(chunk))
        mark_at.frombytes((mark_at[-1] + np.cumsum(lengths)).tobytes())
        # the run's terms numbered in their order of first use: the ids one passage at a
        # time would have given
        mine = np.fromiter(map(numbering.__getitem__, packed.terms), dtype=np.int32,
                           count=len(packed.terms))
        indices.frombytes(mine[np.frombuffer(packed.ids, dtype=np.int32)].tobytes())
        counts.frombytes(packed.counts)
        indptr.frombytes((indptr[-1] + np.cumsum(np.frombuffer(packed.sizes, dtype=np.int64)))
                         .tobytes())
        flag_parts.append(_edge_flags(mark_at, first, packed.edges, packed.edge_sizes))
        for row_figures in packed.figures:
            figures.add(row_figures)
        if progress and total:
            progress("segmenting passages", len(kept), total)
    items = kept
    flags = np.concatenate(flag_parts) if flag_parts else np.zeros(0, dtype=np.uint8)
    del flag_parts
    vocabulary = dict(numbering)
    del numbering
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
    edge_bits = np.packbits(flags)
    del flags
    return PassageIndex(items, weights, vocabulary, idf, doc_of, doc_ids, terms,
                        edge_bits, np.frombuffer(mark_at, dtype=np.int64), figures=figures)


# --- theme relevance ----------------------------------------------------------


def _term_regex(terms: Sequence[str]) -> re.Pattern[str] | None:
    """One alternation of ``terms``, longest first (compiled once per distinct set)."""
    return _compiled_terms(frozenset(t.strip() for t in terms if t and t.strip()))


@lru_cache(maxsize=1024)
def _compiled_terms(terms: frozenset[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=lambda t: (-len(t), t))))


_patterns: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _terms_pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    """:func:`_term_regex` of a passage's evidence terms, remembered by the terms as
    they come (a suggestion quotes ~10,000 passages at 10,000 documents, most with one
    of a few term sets)."""
    key = tuple(terms)
    pattern = _patterns.get(key, _patterns)
    if pattern is _patterns:
        pattern = _term_regex(key)
        if len(_patterns) < 65536:
            _patterns[key] = pattern
    return pattern  # type: ignore[return-value]


@dataclass
class ThemeScores:
    """Relevance of every passage to one theme, and which terms matched where."""

    theme: Theme
    score: np.ndarray  # per passage row, 0-1; 0 = not about the theme
    #: passage row -> evidence terms, for the relevant rows only (score > 0)
    matched: Mapping[int, Counter[str]]


class _Matched(Mapping[int, Counter[str]]):
    """Evidence terms of a theme's relevant passages, named when asked for.

    A passage with seed terms (at token edges) gets them, most frequent first (ties in
    the order terms are tried: longest first); one relevant through the profile only
    gets its words that weigh most in the profile (:func:`_profile_terms`). Only the
    passages that end up in a suggestion are asked: naming the words of every relevant
    passage of every theme was a tenth of suggest's time at 1,000 documents.
    """

    def __init__(self, index: PassageIndex, score: np.ndarray, terms: list[str],
                 hits: list[tuple[np.ndarray, np.ndarray]], profile: Profile | None) -> None:
        self._index = index
        self._score = score
        self._terms = terms
        self._profile = profile
        rows = np.concatenate([r for r, _ in hits]) if hits else np.zeros(0, np.int64)
        which = np.concatenate([np.full(len(r), k, dtype=np.int64)
                                for k, (r, _) in enumerate(hits)]) if hits else rows
        counts = np.concatenate([c for _, c in hits]) if hits else rows
        order = np.argsort(rows, kind="stable")  # by row, each row's terms in term order
        self._rows: list[int] = rows[order].tolist()  # bisect on a list: no numpy call a row
        self._which: list[int] = which[order].tolist()
        self._counts: list[int] = counts[order].tolist()
        self._with_terms = distinct(rows)
        self._made: dict[int, Counter[str]] = {}

    def prepare(self, rows: np.ndarray) -> None:
        """Name the profile words of many passages at once (those a suggestion is about to
        show): one pass over their entries instead of a sort per passage."""
        if self._profile is None or not len(rows):
            return
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[self._score[rows] > 0]
        at = np.searchsorted(self._with_terms, rows)
        at[at == len(self._with_terms)] = 0
        need = rows[self._with_terms[at] != rows] if len(self._with_terms) else rows
        made = self._made
        need = [r for r in distinct(need).tolist() if r not in made]
        for row, names in zip(need, _profile_words(self._index, need, self._profile),
                              strict=True):
            made[row] = _counter(dict.fromkeys(names, 1))

    def __getitem__(self, row: int) -> Counter[str]:
        row = int(row)
        made = self._made.get(row)
        if made is not None:
            return made
        if not 0 <= row < len(self._score) or not self._score[row] > 0:
            raise KeyError(row)
        lo = bisect_left(self._rows, row)
        hi = bisect_right(self._rows, row, lo)
        terms = self._terms
        if hi > lo:
            made = _counter(zip(map(terms.__getitem__, self._which[lo:hi]),
                                self._counts[lo:hi], strict=True))
        elif self._profile is not None:
            made = _profile_terms(self._index, row, self._profile)
        else:
            made = Counter()
        self._made[row] = made
        return made

    def get(self, row: int, default: object = None) -> Counter[str] | object:  # type: ignore[override]
        """``self[row]``, or ``default`` for a passage that is not relevant."""
        made = self._made.get(row)
        if made is not None:
            return made
        if not 0 <= row < len(self._score) or not self._score[row] > 0:
            return default
        return self[row]

    def __iter__(self) -> Iterator[int]:
        return iter(np.flatnonzero(self._score > 0).tolist())

    def __len__(self) -> int:
        return int(np.count_nonzero(self._score > 0))


def _counter(pairs: Iterable[tuple[str, int]] | dict[str, int]) -> Counter[str]:
    """A Counter of distinct ``pairs`` (``Counter(dict)`` checks and adds each one)."""
    out: Counter[str] = Counter.__new__(Counter)  # an empty Counter, without __init__'s update
    dict.update(out, pairs)
    return out


_NO_TERMS: Counter[str] = Counter()
"""The evidence terms of a passage that is not relevant (shared: never changed)."""


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

    Every passage is scored at once (arrays over the rows, one term at a time); the
    evidence terms are named only for the passages a suggestion shows (:class:`_Matched`).
    """
    n = len(index)
    if n == 0:
        return ThemeScores(theme, np.zeros(0, dtype=np.float64), {})
    terms = seed_terms(theme.terms)
    hits = [index.term_hits(terms)[t] for t in terms]
    terms_part = _term_part(index, hits)
    profile_part, profile = _profile_part(index, theme, examples or ThemeExamples())
    combined = 0.4 * terms_part + 0.6 * profile_part
    score = combined * index.per_row("role")
    score[score < MIN_RELEVANCE] = 0.0
    return ThemeScores(theme, score, _Matched(index, score, terms, hits, profile))


def seed_terms(terms: Sequence[str]) -> list[str]:
    """The theme terms that are matched, in the order they are tried: longest first,
    then by text; blanks, single characters and dates (到2020年) left out
    (:func:`policydiff.core.relevance.term_matches` applies the same rules)."""
    from policydiff.core.relevance import is_seed_term

    return [t for t in sorted({t.strip() for t in terms if t and t.strip()},
                              key=lambda t: (-len(t), t)) if is_seed_term(t)]


def _term_part(index: PassageIndex, hits: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """BM25 of the seed terms, squashed to 0-1 (median matching passage = 0.5).

    ``hits``: each term's rows and counts (:meth:`PassageIndex.term_hits`), in the order
    terms are tried; each row's sum is accumulated in that order (the same floats as
    adding up a passage's terms one by one)."""
    n = len(index)
    out = np.zeros(n)
    if not any(len(rows) for rows, _ in hits):
        return out
    lengths = index.per_row("length")
    avg = float(lengths.mean()) or 1.0
    norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths / avg)
    for rows, tf in hits:
        if not len(rows):
            continue
        df = len(rows)  # passages with the term (all of them are matching passages)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
        tf = tf.astype(np.float64)
        out[rows] += idf * tf * (BM25_K1 + 1) / (tf + norm[rows])
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
    return _counter(dict.fromkeys(_profile_words(index, [row], profile, limit)[0], 1))


def _profile_words(index: PassageIndex, rows: Sequence[int], profile: Profile,
                   limit: int = 3) -> list[list[str]]:
    """For each of ``rows``: its ``limit`` words (not units) of largest positive weight x
    profile, heaviest first, ties in the row's entry order — all rows in one sort."""
    if not len(rows):
        return []
    picked = np.asarray(rows, dtype=np.int64)
    entries, owner = index.matrix.entries(picked)
    cols = index.matrix.indices[entries]
    weights = index.matrix.data[entries] * profile.vector[cols]
    keep = np.flatnonzero((weights > 0) & ~index.unit_terms()[cols])
    order = keep[np.lexsort((keep, -weights[keep], owner[keep]))]  # by row, weight, entry
    owners = owner[order]
    first = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.append(first, len(order))))
    top = order[rank < limit]
    out: list[list[str]] = [[] for _ in range(len(picked))]
    names = index.terms
    for k, col in zip(owner[top].tolist(), cols[top].tolist(), strict=True):
        out[k].append(names[col])
    return out


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

    def to_alignment(self, corpus: Corpus,
                     anchors: Mapping[tuple[str, int, int], Anchor] | None = None
                     ) -> Alignment:
        """The alignment to write to the store, with ``status: proposed``.

        ``anchors``: :func:`member_anchors` of the suggestions being written (else each
        member's document is asked of ``corpus`` in turn)."""
        found = anchors or member_anchors([self], corpus)
        members = [Member(doc=m.passage.doc, section=m.passage.section,
                          anchor=found[m.passage.doc, m.start, m.end]) for m in self.members]
        return Alignment(id=self.id, theme=self.theme, label=self.label, status="proposed",
                         note=self.note(), members=members, origin=self.origin())

    def origin(self) -> str:
        """Who proposed it, as the alignment file records it."""
        if self.extends:
            return f"{MEMBER_PREFIX}{self.extends} (score {self.score:.2f})"
        return f"policydiff suggest (score {self.score:.2f})"

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of ``policydiff alignments`` plus ``score`` and ``evidence``."""
        members = []
        for m in self.members:
            members.append({"doc": m.passage.doc, "section": m.passage.section,
                            "quote": member_quote(m),
                            "start": m.start, "paragraph": m.passage.paragraph,
                            "score": round(m.score, 3), "similarity": round(m.similarity, 3),
                            "relevance": round(m.relevance, 3), "theme_terms": m.theme_terms})
        return {"id": self.id, "theme": self.theme, "label": self.label, "status": "proposed",
                "note": self.note(), "members": members, "score": round(self.score, 3),
                "evidence": self.evidence, "extends": self.extends}


def member_quote(m: SuggestedMember) -> str:
    """The member's quoted text (its passage is the paragraph's text, so the document
    need not be read again: a lazy corpus would parse it anew for each member)."""
    offset = m.start - m.passage.start
    return m.passage.text[offset:offset + (m.end - m.start)]


def member_anchors(suggestions: Iterable[Suggestion], corpus: Corpus
                   ) -> dict[tuple[str, int, int], Anchor]:
    """The anchor of every member of ``suggestions`` by (document, start, end), each
    document asked of ``corpus`` once (member by member, 33 suggestions over 10,000
    documents parsed each document of a lazy corpus 33 times)."""
    wanted: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for suggestion in suggestions:
        for m in suggestion.members:
            wanted[m.passage.doc].add((m.start, m.end))
    out: dict[tuple[str, int, int], Anchor] = {}
    for doc_id, spans in wanted.items():
        body = corpus.get(doc_id).body
        for start, end in sorted(spans):
            out[doc_id, start, end] = make_anchor(body, start, end)
    return out


def suggest(corpus: Corpus | Sequence[Document], themes: Sequence[Theme],
            docs: Sequence[str] | None = None, top: int = 3,
            progress: ProgressFn | None = None,
            alignments: Sequence[Alignment] = (),
            memo: SpansMemo | None = None) -> list[Suggestion]:
    """Up to ``top`` suggestions per theme, best first within each theme.

    ``docs`` restricts the documents considered (all by default). Suggestions with
    fewer than two documents are not made: an alignment compares. ``alignments``
    (the store's, any status) are the themes' examples: accepted members define a
    theme together with its description and terms, rejected ones are
    counter-examples (needs ``corpus`` to be a :class:`Corpus` to resolve them);
    ``memo`` keeps where their members were found for the caller (see :class:`SpansMemo`).
    """
    chosen = set(docs or ())
    if isinstance(corpus, Corpus):  # one document at a time (a lazy corpus holds no more)
        ids = [i for i in corpus.ids if i in chosen] if docs else corpus.ids
        documents = _reading(map(corpus.get, ids), len(ids), progress)
    else:
        listed = [d for d in corpus if d.id in chosen] if docs else list(corpus)
        documents = _reading(iter(listed), len(listed), progress)
    index = build_index(iter_passages(documents), progress)
    index.term_hits(t for theme in themes for t in seed_terms(theme.terms))  # one scan
    memo = memo if memo is not None else SpansMemo()
    examples = theme_examples(alignments, corpus, memo) if isinstance(corpus, Corpus) else {}
    accepted = [a for a in alignments if a.status == "accepted"]
    resolved = alignments_spans(accepted, corpus, memo) if isinstance(corpus, Corpus) else {}

    def written_out(found: ThemeGroups) -> list[Suggestion]:
        out = found.suggestions()
        if isinstance(corpus, Corpus):
            theme = found.scores.theme
            mine = [a for a in accepted if a.theme == theme.id]
            out.extend(suggest_members(index, theme, mine, corpus, examples.get(theme.id),
                                       found.scores, resolved))
        return out

    def scored(theme: Theme) -> ThemeScores:
        return theme_scores(index, theme, examples.get(theme.id))

    if len(index) < PIPELINE_MIN_PASSAGES or len(themes) < 2:
        results = []
        for n, theme in enumerate(themes, 1):
            results.append(written_out(theme_groups(index, scored(theme), top)))
            if progress:
                progress("grouping by theme", n, len(themes))
        return [s for found in results for s in found]
    # A pipeline over two threads: this one finds each theme's groups (numpy, which lets
    # the other thread run) while the other scores the next theme and writes out the last
    # one's suggestions (mostly Python: quotes, terms, evidence) — about equal halves.
    # Each step of each theme runs as it would alone, so the suggestions are the same.
    with ThreadPoolExecutor(1) as helper:
        writing: list[Future[list[Suggestion]]] = []
        next_scores = helper.submit(scored, themes[0])
        for n in range(len(themes)):
            scores = next_scores.result()
            if n + 1 < len(themes):
                next_scores = helper.submit(scored, themes[n + 1])
            writing.append(helper.submit(written_out, theme_groups(index, scores, top)))
            if progress:
                progress("grouping by theme", n + 1, len(themes))
        return [s for done in writing for s in done.result()]


def _reading(documents: Iterator[Document], total: int, progress: ProgressFn | None
             ) -> Iterator[Document]:
    """``documents``, telling ``progress`` how many have been read for segmenting (the
    index reads them as its workers ask for passages: the count follows the work)."""
    step = max(1, total // 200)
    for n, doc in enumerate(documents, 1):
        yield doc
        if progress and (n % step == 0 or n == total):
            progress("reading and segmenting documents", n, total)


def theme_examples(alignments: Sequence[Alignment], corpus: Corpus,
                   memo: SpansMemo | None = None) -> dict[str, ThemeExamples]:
    """Per theme: spans of accepted members (examples) and rejected members (counter)."""
    out: dict[str, ThemeExamples] = {}
    used = [a for a in alignments if a.status in ("accepted", "rejected")]
    resolved = alignments_spans(used, corpus, memo)
    for alignment in used:
        spans = resolved[alignment.id]
        bucket = out.setdefault(alignment.theme, ThemeExamples())
        target = bucket.examples if alignment.status == "accepted" else bucket.counter
        for doc, doc_spans in spans.items():
            target.setdefault(doc, []).extend(doc_spans)
    return out


MEMBER_PREFIX = "policydiff suggest: member of "


def suggest_members(index: PassageIndex, theme: Theme, accepted: Sequence[Alignment],
                    corpus: Corpus, examples: ThemeExamples | None = None,
                    scores: ThemeScores | None = None,
                    resolved: Mapping[str, Spans] | None = None) -> list[Suggestion]:
    """Proposed members: for each accepted alignment, the best passage of each document
    it has no member for (present or recorded absent), if it scores
    ``SIM_WEIGHT * cosine(alignment query) + (1 - SIM_WEIGHT) * relevance`` of at
    least the alignment's floor (:func:`_member_floor`). The query is the members'
    centroid plus the alignment's label (:func:`_alignment_query`). This is how a new
    document joins the alignments a reviewer has already accepted. ``resolved``:
    :func:`alignments_spans` of ``accepted``, when the caller has them.
    """
    if not accepted or len(index) == 0:
        return []
    scores = scores or theme_scores(index, theme, examples)
    if resolved is None:
        resolved = alignments_spans(accepted, corpus)
    out = []
    for alignment in accepted:
        spans = resolved[alignment.id]
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
            terms = scores.matched.get(best, _NO_TERMS)
            start, end = _quote_span(passage, _terms_pattern(terms))
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
    return theme_groups(index, scores, top).suggestions()


@dataclass
class ThemeGroups:
    """A theme's groups, found (:func:`theme_groups`) but not yet written out as
    suggestions (quotes, evidence terms and figures of each member): the two halves
    are separate so that one theme's members are written out while the next theme's
    groups are being found (:func:`suggest`)."""

    index: PassageIndex
    scores: ThemeScores
    rows: np.ndarray  # the theme's relevant passages (rows of the index)
    groups: list[tuple[float, list[tuple[int, float, float]]]]  # best first

    def suggestions(self) -> list[Suggestion]:
        relevance = self.scores.score[self.rows]
        return [_suggestion(self.index, self.scores, self.rows, relevance, score, members)
                for score, members in self.groups]


def theme_groups(index: PassageIndex, scores: ThemeScores, top: int = 3) -> ThemeGroups:
    """The groups of :func:`suggest_theme`: seeds grown into groups (:func:`_grow`)."""
    rows = np.flatnonzero(scores.score > 0)
    if len(rows) == 0 or top <= 0:
        return ThemeGroups(index, scores, rows, [])
    matrix = index.matrix.take(rows)  # the theme's slice of the index (CSR rows)
    doc_of = index.doc_of[rows]
    raw = scores.score[rows]
    relevance = raw  # already 0-1 (see theme_scores)
    available = np.ones(len(rows), dtype=bool)
    partner_dots = PartnerDots(matrix, doc_of)  # each passage against its document's member
    candidates = len(distinct(doc_of))  # documents with a relevant passage
    # A seed that cannot gather a second document is spent; stop after a while.
    by_relevance = np.argsort(-relevance, kind="stable").tolist()
    groups: list[tuple[float, list[tuple[int, float, float]]]] = []
    attempts = 0
    cursor = 0  # rows before it in by_relevance are spent (a spent row stays spent)
    while len(groups) < top and attempts < top * 5 + 10:
        while cursor < len(by_relevance) and not available[by_relevance[cursor]]:
            cursor += 1
        if cursor == len(by_relevance):
            break
        seed = by_relevance[cursor]
        attempts += 1
        members = _grow(matrix, doc_of, relevance, available, seed, partner_dots)
        taken = np.fromiter((i for i, _, _ in members), dtype=np.int64, count=len(members))
        if len(distinct(doc_of[taken])) < 2:
            available[seed] = False
            continue
        available[taken] = False
        group_score = _group_score(members, doc_of, relevance, candidates)
        groups.append((group_score, members))
    groups.sort(key=lambda g: -g[0])
    return ThemeGroups(index, scores, rows, groups)


def _grow(matrix: RowMatrix, doc_of: np.ndarray, relevance: np.ndarray,
          available: np.ndarray, seed: int,
          partner_dots: PartnerDots | None = None) -> list[tuple[int, float, float]]:
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
        self_dot = (partner_dots or PartnerDots(matrix, doc_of))(own, rows)
        # |centroid sum|², summed by numpy (pairwise) rather than BLAS: OpenBLAS splits a
        # long dot product over threads that then spin between rounds (a second core's
        # worth of CPU at 10,000 documents), and its sum depends on how many it used
        sq = float(np.add.reduce(total * total))
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
        best = np.array(_best_per_document(combined, doc_of), dtype=np.int64)
        best = best[(combined[best] >= MIN_MEMBER_SCORE) | (best == seed)]
        chosen = list(zip(best.tolist(), combined[best].tolist(), cosine[best].tolist(),
                          strict=True))
        new = dict(zip(doc_of[best].tolist(), best.tolist(), strict=True))
        if new == members:
            break
        members = new
        if len(members) < 2:
            break
    return chosen


def _best_per_document(values: np.ndarray, doc_of: np.ndarray) -> list[int]:
    """Row of the highest value in each document (rows with -inf excluded; of equal
    values the first row), in document order.

    When each document's rows are contiguous and in document order (always so for
    :func:`passages`), a maximum per document run (``reduceat``) finds them in a few
    passes; otherwise rows are sorted by document and value.
    """
    n = len(values)
    if n and (n == 1 or bool((doc_of[1:] >= doc_of[:-1]).all())):
        finite = np.where(np.isfinite(values), values, -np.inf)
        starts = np.flatnonzero(np.concatenate(([True], doc_of[1:] != doc_of[:-1])))
        lengths = np.diff(np.append(starts, n))
        best = np.repeat(np.maximum.reduceat(finite, starts), lengths)
        top = np.flatnonzero((finite == best) & (best > -np.inf))
        first = np.concatenate(([True], doc_of[top][1:] != doc_of[top][:-1]))
        return top[first].tolist()
    ok = np.flatnonzero(np.isfinite(values))
    if len(ok) == 0:
        return []
    order = ok[np.lexsort((-values[ok], doc_of[ok]))]
    docs = doc_of[order]  # sorted by document: keep each document's first (best) row
    first = np.concatenate(([True], docs[1:] != docs[:-1]))
    return [int(i) for i in order[first]]


def _group_score(members: list[tuple[int, float, float]], doc_of: np.ndarray,
                 relevance: np.ndarray, candidates: int | None = None) -> float:
    """Mean member score, discounted for groups that cover few of the theme's documents
    (``candidates``: how many documents ``doc_of`` has, when the caller counted them)."""
    covered = len(members)
    if candidates is None:
        candidates = len(distinct(doc_of))
    mean = sum(score for _, score, _ in members) / covered
    return float(mean * math.sqrt(covered / max(covered, candidates)))


def _suggestion(index: PassageIndex, scores: ThemeScores, rows: np.ndarray,
                relevance: np.ndarray, score: float,
                members: list[tuple[int, float, float]]) -> Suggestion:
    order = {d: i for i, d in enumerate(index.doc_ids)}
    picked = []
    chosen = np.fromiter((local for local, _, _ in members), dtype=np.int64, count=len(members))
    if isinstance(scores.matched, _Matched):
        scores.matched.prepare(rows[chosen])
    for (_, combined, cosine), row, rel in zip(members, rows[chosen].tolist(),
                                               relevance[chosen].tolist(), strict=True):
        passage = index.passages[row]
        terms = scores.matched.get(row, _NO_TERMS)
        start, end = _quote_span(passage, _terms_pattern(terms))
        ranked = list(terms) if len(terms) < 2 else [t for t, _ in terms.most_common()]
        picked.append(((order[passage.doc], start), row,
                       SuggestedMember(passage, start, end, combined, cosine, rel, ranked)))
    picked.sort(key=itemgetter(0))
    evidence = _evidence(index, scores, [row for _, row, _ in picked])
    key = "|".join(f"{m.passage.doc}:{m.passage.paragraph}" for _, _, m in picked)
    digest = hashlib.sha1(f"{scores.theme.id}|{key}".encode()).hexdigest()[:8]
    words = [t["term"] for t in evidence["shared_terms"][:3]] or \
        [t["term"] for t in evidence["theme_terms"][:3]]
    label = f"{scores.theme.name_zh or scores.theme.id}：{'、'.join(words)}"
    return Suggestion(id=f"{scores.theme.id}-s{digest}", theme=scores.theme.id, label=label,
                      score=score, members=[m for _, _, m in picked], evidence=evidence)


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

    shared_terms = _shared_terms(index, rows)

    by_unit: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    by_value: dict[tuple[float, str], set[str]] = defaultdict(set)
    for row in index.rows_with_figures(rows):
        doc = index.passages[row].doc
        for text, value, unit in index.row_figures(row):
            by_unit[unit][doc].append(text)
            by_value[(value, unit)].add(doc)
    figures = [FigureEvidence(unit=unit, docs=len(per_doc),
                              values=dict(list(per_doc.items())[:EVIDENCE_LIMIT]))
               for unit, per_doc in sorted(by_unit.items(), key=lambda kv: -len(kv[1]))
               if len(per_doc) >= 2]
    same = [SharedFigure(value=value, unit=unit, docs=sorted(d))
            for (value, unit), d in sorted(by_value.items(), key=lambda kv: -len(kv[1]))
            if len(d) >= 2]
    return Evidence(
        theme_terms=[TermEvidence(term=t, docs=len(d)) for t, d in theme_terms[:EVIDENCE_LIMIT]],
        shared_terms=shared_terms,
        figures=figures[:EVIDENCE_LIMIT],
        shared_figures=same[:EVIDENCE_LIMIT],
    )


def _shared_terms(index: PassageIndex, rows: list[int]) -> list[TermEvidence]:
    """The words (not units) of ``rows`` found in at least two of their documents, most
    documents x idf first, then by the word: counted on the index's arrays (the
    distinct (word, document) pairs of the rows' entries), only the leaders sorted in
    Python."""
    if not rows:
        return []
    picked = np.asarray(rows, dtype=np.int64)
    entries, owner = index.matrix.entries(picked)
    words = index.matrix.indices[entries].astype(np.int64)
    docs = index.doc_of[picked][owner]
    keep = ~index.unit_terms()[words]
    n_docs = max(1, len(index.doc_ids))
    pairs = distinct(words[keep] * n_docs + docs[keep])
    per_word = np.bincount(pairs // n_docs, minlength=len(index.terms))
    weight = index.idf[:len(per_word)]
    found = np.flatnonzero((per_word >= 2) & (weight > 0))
    if not len(found):
        return []
    key = -per_word[found] * weight[found]  # as (-docs) * idf, the same floats
    if len(found) > EVIDENCE_LIMIT:  # the leaders: all ties of the last one kept
        last = np.partition(key, EVIDENCE_LIMIT - 1)[EVIDENCE_LIMIT - 1]
        found, key = found[key <= last], key[key <= last]
    terms = index.terms
    best = sorted(zip(key.tolist(), (terms[w] for w in found.tolist()),
                      per_word[found].tolist(), strict=True))[:EVIDENCE_LIMIT]
    return [TermEvidence(term=t, docs=d) for _, t, d in best]


# --- the store: "same alignment" and writing proposals ---------------------------

Spans = dict[str, list[tuple[int, int]]]


def alignment_spans(alignment: Alignment, corpus: Corpus) -> Spans:
    """Where each member of ``alignment`` is in the corpus now (absent/orphaned skipped)."""
    return spans_by_doc(resolve_alignment(alignment, corpus))


class SpansMemo:
    """Where alignments' members were found, kept for one command over one corpus.

    ``suggest --write`` asked the same question four times of each accepted alignment
    (its examples, its new members, "already in the store?", the write) and twice of
    every other; with tens of thousands of members each time cost seconds. An alignment
    is looked up by id and used only if its members are still the ones resolved (the
    write reads the store again under its lock: another process may have changed it).
    """

    def __init__(self) -> None:
        self._found: dict[str, tuple[list[Member], Spans]] = {}

    def get(self, alignment: Alignment) -> Spans | None:
        kept = self._found.get(alignment.id)
        return kept[1] if kept is not None and kept[0] == alignment.members else None

    def put(self, alignment: Alignment, spans: Spans) -> None:
        self._found[alignment.id] = (list(alignment.members), spans)


def alignments_spans(alignments: Sequence[Alignment], corpus: Corpus,
                     memo: SpansMemo | None = None) -> dict[str, Spans]:
    """:func:`alignment_spans` of each of ``alignments``, by id, each document parsed
    once (:func:`~policydiff.core.passages.resolve_alignments`); those ``memo`` holds
    are not resolved again, those resolved are added to it."""
    out: dict[str, Spans] = {}
    missing = []
    for a in alignments:
        kept = memo.get(a) if memo is not None else None
        if kept is None:
            missing.append(a)
        else:
            out[a.id] = kept
    if missing:
        by_id = {a.id: a for a in missing}
        for aid, found in resolve_alignments(missing, corpus).items():
            out[aid] = spans_by_doc(found)
            if memo is not None:
                memo.put(by_id[aid], out[aid])
    return {a.id: out[a.id] for a in alignments}


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
