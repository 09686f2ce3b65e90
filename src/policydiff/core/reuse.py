"""Inherited wording: which passages of a policy repeat or adapt an earlier policy's.

Policies copy each other (policy diffusion): a five-year plan restates clauses of the
implementation opinions before it, district plans reuse the city's. This module finds
those passages, the way text-reuse tools (passim, the Legislative Influence Detector)
do — a fingerprint index proposes candidate document pairs, a local alignment finds
the shared spans — but on Chinese characters, across scripts and with figures folded:

1. **Keys.** A document body is normalised (Simplified script, half-width letters and
   digits) and reduced to its content characters — ideographs, letters, and each run
   of digits as one ``#`` — each remembering its offset in the body. Punctuation,
   whitespace and changed figures (到2020年 → 到2025年) then do not break a match.
   Titles in 《》 are citations of other documents, not inherited wording: they seed
   nothing.
2. **Fingerprints.** Every ``ngram``-character shingle of the keys is hashed; winnowing
   (Schleimer, Wilkerson & Aiken 2003) keeps the smallest hash of every ``window``
   consecutive shingles, so any shared run of ``ngram + window - 1`` characters shares
   at least one fingerprint, while only about ``2 / (window + 1)`` of the shingles are
   stored. The on-disk index (:mod:`policydiff.store.reuse_index`) holds these.
3. **Boilerplate.** A fingerprint found in many documents (``印发给你们，请认真贯彻执行``)
   is boilerplate: by document frequency, never by a phrase list, so a new corpus's own
   formulas are recognised too. Boilerplate neither proposes candidates nor seeds a
   passage.
4. **Candidates.** Document pairs (earlier source, later target in date order) that
   share at least ``min_shared`` non-boilerplate fingerprints.
5. **Alignment.** For a candidate pair, every shared shingle (not only the winnowed
   ones) is a seed; seeds close together in the target and near each other in the source
   are chained into a passage (edits of up to ``gap`` characters and clauses reordered
   within a passage stay in one passage), extended by exact matching at both ends and
   scored by the share of both spans the seeds cover (1.0 = verbatim).

Everything here is pure: documents in, dataclasses out (``to_dict()`` on each). The
report and the TUI read :func:`inherited_marks` and :func:`reuse_edges`.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any

from policydiff.core.normalize import normalize, normalize_map, to_simplified

if TYPE_CHECKING:
    import numpy as np

    from policydiff.core.document import Document

HASH_BITS = 47
"""Fingerprints fit a 6-byte SQLite integer; 2^47 keeps chance collisions negligible."""
# numpy is imported where it is used: a command that reads reuse from the cache
# (``report``) never pays for it. The hash constants are plain ints until then.
_MASK = (1 << HASH_BITS) - 1
_BASE = 1_000_003
_MIX1 = 0xFF51AFD7ED558CCD
_MIX2 = 0xC4CEB9FE1A85EC53
DIGITS = ord("#")

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_CLOSERS = frozenset("。；！？!?;”’」』）)】〕")


@dataclass(frozen=True)
class ReuseParams:
    """Tuning of the reuse search (values tuned on tests/data/reuse, see docs/reuse.md).

    ``ngram`` and ``window`` decide what the on-disk index holds (:meth:`index_key`);
    the others apply at search time.
    """

    ngram: int = 8
    """Shingle length in content characters (about five Chinese words, passim's unit)."""
    window: int = 8
    """Winnowing window: a shared run of ngram + window - 1 = 15 characters is always seen."""
    seed: int = 5
    """Length of the shared shingles that seed an alignment (shorter than ``ngram``, so an
    adapted clause whose exact runs are short still aligns once its pair is a candidate)."""
    gap: int = 24
    """Largest edit (content characters) between two shared runs of one passage."""
    min_chars: int = 14
    """Fewest shared content characters a passage needs to be reported."""
    min_score: float = 0.5
    """Lowest score (share of both spans covered by shared wording) reported."""
    min_shared: int = 2
    """Fewest shared non-boilerplate fingerprints for a document pair to be aligned."""
    boilerplate_min_docs: int = 5
    """A fingerprint is boilerplate if it is in at least this many documents …"""
    boilerplate_share: float = 0.05
    """… and in at least this share of the corpus."""
    max_occurrences: int = 8
    """A shingle repeated more often within one document is local boilerplate: no seed."""

    def index_key(self) -> str:
        """What the fingerprint index depends on; a different key means a rebuild."""
        return f"reuse-v1-n{self.ngram}-w{self.window}-b{HASH_BITS}"

    def boilerplate_limit(self, n_docs: int) -> int:
        """Document frequency from which a fingerprint counts as boilerplate."""
        return max(self.boilerplate_min_docs, math.ceil(self.boilerplate_share * n_docs))


# ---------------------------------------------------------------- documents and keys


@dataclass(frozen=True)
class ReuseDoc:
    """What reuse needs of a document: id, date, body and where its sections start."""

    id: str
    date: str
    body: str
    sections: tuple[tuple[str, int], ...] = ()
    """``(section id, start offset in body)`` in document order."""

    @classmethod
    def from_document(cls, doc: Document) -> ReuseDoc:
        """From a :class:`policydiff.core.document.Document`."""
        starts = tuple((s.id, s.heading_start if s.heading_start is not None else s.start)
                       for s in doc.sections)
        return cls(doc.id, doc.date, doc.body, starts)

    def section_at(self, offset: int) -> str:
        """Id of the section holding ``offset`` ('' for a document without sections)."""
        best = self.sections[0][0] if self.sections else ""
        for sid, start in self.sections:
            if start <= offset:
                best = sid
            else:
                break
        return best


@dataclass(frozen=True)
class Keys:
    """Content characters of a body (uint32 code points) and their body offsets."""

    codes: np.ndarray
    offsets: np.ndarray
    cited: np.ndarray
    """Whether each key is inside a cited title (《…》): a reference, not inherited wording."""

    def __len__(self) -> int:
        return int(self.codes.shape[0])


def content_keys(body: str) -> Keys:
    """Normalised content characters of ``body`` and where each one is in ``body``.

    Ideographs and letters (lower-cased) are kept, each run of digits becomes one
    ``#``; punctuation and whitespace are dropped. Vectorised: a 30,000-character
    plan takes about a millisecond.
    """
    import numpy as np
    simple = to_simplified(body)
    if len(simple) == len(body):
        cps = np.frombuffer(simple.encode("utf-32-le"), dtype=np.uint32).copy()
        where = np.arange(len(body), dtype=np.int64)
    else:  # a length-changing conversion: take the slow path that maps every character
        norm, back = normalize_map(body)
        cps = np.frombuffer(norm.encode("utf-32-le"), dtype=np.uint32).copy()
        where = np.asarray(back[:len(norm)], dtype=np.int64)  # the map ends with a sentinel
    fw_digit = (cps >= 0xFF10) & (cps <= 0xFF19)
    fw_alpha = ((cps >= 0xFF21) & (cps <= 0xFF3A)) | ((cps >= 0xFF41) & (cps <= 0xFF5A))
    cps[fw_digit | fw_alpha] -= 0xFEE0
    upper = (cps >= 65) & (cps <= 90)
    cps[upper] += 32
    digit = (cps >= 48) & (cps <= 57)
    alpha = (cps >= 97) & (cps <= 122)
    cjk = (((cps >= 0x3400) & (cps <= 0x9FFF)) | ((cps >= 0xF900) & (cps <= 0xFAFF))
           | ((cps >= 0x20000) & (cps <= 0x3FFFF)))
    # A figure is one key: 1,000.5 and 2025 both become '#'.
    sep = (cps == 46) | (cps == 44)
    prev_digit = np.zeros_like(digit)
    prev_digit[1:] = digit[:-1]
    next_digit = np.zeros_like(digit)
    next_digit[:-1] = digit[1:]
    numeric = digit | (sep & prev_digit & next_digit)
    prev_numeric = np.zeros_like(numeric)
    prev_numeric[1:] = numeric[:-1]
    keep = cjk | alpha | (digit & ~prev_numeric)
    codes = np.where(digit, np.uint32(DIGITS), cps)[keep]
    depth = np.cumsum((cps == 0x300A).astype(np.int32) - (cps == 0x300B).astype(np.int32))
    return Keys(codes.astype(np.uint32), where[keep], (depth > 0)[keep])


def shingle_hashes(codes: np.ndarray, ngram: int) -> np.ndarray:
    """Hash of every ``ngram``-character shingle (uint64, ``HASH_BITS`` bits), vectorised."""
    import numpy as np
    count = codes.shape[0] - ngram + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    base, mix1, mix2 = np.uint64(_BASE), np.uint64(_MIX1), np.uint64(_MIX2)
    c = codes.astype(np.uint64)
    h = np.zeros(count, dtype=np.uint64)
    for k in range(ngram):
        h = h * base + c[k:k + count]
    # finaliser of MurmurHash3: spreads the polynomial hash so minima are uniform
    h ^= h >> np.uint64(33)
    h *= mix1
    h ^= h >> np.uint64(33)
    h *= mix2
    h ^= h >> np.uint64(33)
    return h & np.uint64(_MASK)


def winnow(hashes: np.ndarray, window: int) -> np.ndarray:
    """Positions of the fingerprints winnowing keeps: the minimum of every window.

    Ties go to the leftmost minimum; a text shorter than one window keeps its minimum.
    """
    import numpy as np
    if hashes.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    if hashes.shape[0] <= window:
        return np.array([int(np.argmin(hashes))], dtype=np.int64)
    view = np.lib.stride_tricks.sliding_window_view(hashes, window)
    picks = (view.argmin(axis=1) + np.arange(view.shape[0])).astype(np.int64)
    # the minimum's position never moves left as the window slides: picks are sorted
    return picks[np.concatenate(([True], picks[1:] != picks[:-1]))]


class Fingerprint:
    """A document's keys and, computed on first use, its shingle hashes and fingerprints.

    The index needs only the winnowed fingerprints, an alignment only the seed shingles;
    each is computed once and kept while the document stays in the loader's cache.
    """

    def __init__(self, doc: ReuseDoc, params: ReuseParams):
        self.doc = doc
        self.params = params
        self.keys = content_keys(doc.body)

    @cached_property
    def hashes(self) -> np.ndarray:
        """Hash of every ``ngram`` shingle."""
        return shingle_hashes(self.keys.codes, self.params.ngram)

    @cached_property
    def positions(self) -> np.ndarray:
        """Shingle positions winnowing keeps."""
        return winnow(self.hashes, self.params.window)

    @cached_property
    def index_hashes(self) -> np.ndarray:
        """The distinct winnowed fingerprints: what the index stores for this document."""
        import numpy as np
        return np.unique(self.hashes[self.positions])

    @cached_property
    def seed_hashes(self) -> np.ndarray:
        """Hash of every ``seed`` shingle (the alignment's unit)."""
        return shingle_hashes(self.keys.codes, self.params.seed)

    @cached_property
    def seed_set(self) -> np.ndarray:
        """Sorted distinct seed hashes, for a fast intersection with another document."""
        import numpy as np
        h = np.sort(self.seed_hashes)
        return h[np.concatenate(([True], h[1:] != h[:-1]))] if h.size else h

    @cached_property
    def block_of(self) -> np.ndarray:
        """Paragraph (blank-line separated block) of every key: passages never cross one."""
        import numpy as np
        breaks = np.array([m.start() for m in _BLANK_LINE.finditer(self.doc.body)],
                          dtype=np.int64)
        return np.searchsorted(breaks, self.keys.offsets, side="right")

    @property
    def n_chars(self) -> int:
        return len(self.keys)


def fingerprint(doc: ReuseDoc, params: ReuseParams) -> Fingerprint:
    """Keys of one document; shingles and fingerprints follow lazily (see Fingerprint)."""
    return Fingerprint(doc, params)


# ---------------------------------------------------------------- boilerplate, candidates


def document_frequencies(index_hashes: Iterable[np.ndarray]) -> dict[int, int]:
    """How many documents hold each fingerprint (only those in two or more)."""
    import numpy as np
    arrays = [a for a in index_hashes if a.size]
    if not arrays:
        return {}
    values, counts = np.unique(np.concatenate(arrays), return_counts=True)
    many = counts >= 2
    return dict(zip(values[many].tolist(), counts[many].tolist(), strict=True))


@lru_cache(maxsize=4)
def _as_array(boilerplate: frozenset[int]) -> np.ndarray:
    import numpy as np
    return np.array(sorted(boilerplate), dtype=np.uint64)


def boilerplate_hashes(df: Mapping[int, int], n_docs: int, params: ReuseParams,
                       ) -> frozenset[int]:
    """Fingerprints frequent enough across documents to be formulas, not inheritance."""
    limit = params.boilerplate_limit(n_docs)
    return frozenset(h for h, n in df.items() if n >= limit)


@dataclass(frozen=True, order=True)
class Candidate:
    """A document pair worth aligning: ``source`` is earlier than ``target``."""

    target: str
    source: str
    shared: int
    """Non-boilerplate fingerprints the two share."""

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "shared": self.shared}


def candidate_pairs(index_hashes: Mapping[str, np.ndarray], order: Sequence[str],
                    params: ReuseParams, boilerplate: frozenset[int] = frozenset(),
                    ) -> list[Candidate]:
    """Pairs sharing ``min_shared`` non-boilerplate fingerprints, earlier one as source.

    ``order`` is the corpus in date order. The in-memory twin of the index's SQL
    self-join and of the Dask job; all three return the same pairs.
    """
    import numpy as np
    rank = {doc: i for i, doc in enumerate(order)}
    ids = [d for d in order if d in index_hashes]
    if not ids:
        return []
    hs = np.concatenate([index_hashes[d] for d in ids])
    owner = np.concatenate([np.full(index_hashes[d].shape[0], rank[d], dtype=np.int64)
                            for d in ids])
    sort = np.argsort(hs, kind="stable")
    hs, owner = hs[sort], owner[sort]
    bounds = np.flatnonzero(np.diff(hs)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [hs.shape[0]]])
    multi = (ends - starts) >= 2
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for s, e in zip(starts[multi].tolist(), ends[multi].tolist(), strict=True):
        if boilerplate and int(hs[s]) in boilerplate:
            continue
        group = sorted(set(owner[s:e].tolist()))
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                counts[(a, b)] += 1
    return sorted(Candidate(order[b], order[a], n) for (a, b), n in counts.items()
                  if n >= params.min_shared)


# ---------------------------------------------------------------- alignment


@dataclass
class ReusePassage:
    """A passage of ``target`` that repeats or adapts a passage of ``source``.

    Offsets are into each document's body (``Document.body``); ``shared`` counts the
    content characters (ideographs, letters, figures) the two spans have in common.
    """

    target: str
    target_section: str
    target_start: int
    target_end: int
    source: str
    source_section: str
    source_start: int
    source_end: int
    score: float
    shared: int
    target_text: str
    source_text: str

    @property
    def kind(self) -> str:
        """``verbatim`` (same wording up to script, punctuation, figures) or ``adapted``."""
        return "verbatim" if self.score >= 0.999 else "adapted"

    def diff(self):  # -> policydiff.core.worddiff.PassageDiff
        """Word diff of the source passage to the target passage, on normalised text."""
        from policydiff.core.worddiff import diff_passages

        return diff_passages(normalize(self.source_text), normalize(self.target_text))

    def to_dict(self, *, diff: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "target": self.target, "target_section": self.target_section,
            "target_start": self.target_start, "target_end": self.target_end,
            "source": self.source, "source_section": self.source_section,
            "source_start": self.source_start, "source_end": self.source_end,
            "score": round(self.score, 4), "shared": self.shared, "kind": self.kind,
            "target_text": self.target_text, "source_text": self.source_text,
        }
        if diff:
            out["diff"] = self.diff().to_dict()
        return out


@dataclass
class _Chain:
    seeds: list[tuple[int, int]] = field(default_factory=list)
    t_end: int = 0
    s_lo: int = 0
    s_hi: int = 0
    s_last: int = 0
    t_last: int = 0
    section: int = 0
    src_section: int = 0


def _boilerplate_chars(fp: Fingerprint, boilerplate: frozenset[int], params: ReuseParams,
                       ) -> np.ndarray:
    """Content characters inside boilerplate: covered by boilerplate fingerprints.

    Winnowing leaves at most ``window`` shingles between two fingerprints of one run, so
    gaps that short between boilerplate fingerprints are boilerplate too.
    """
    import numpy as np
    mask = np.zeros(len(fp.keys), dtype=bool)
    if not boilerplate or not fp.positions.size:
        return mask
    marked = fp.positions[np.isin(fp.hashes[fp.positions], _as_array(boilerplate))]
    prev = -10**9
    for p in marked.tolist():
        lo = prev if 0 < p - prev <= params.window else p
        mask[lo:p + params.ngram] = True
        prev = p
    return mask


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """``np.isin`` for a sorted set, by binary search (no re-sorting of either side)."""
    import numpy as np
    at = np.minimum(np.searchsorted(sorted_set, values), sorted_set.shape[0] - 1)
    return sorted_set[at] == values


def _seeds(src: Fingerprint, tgt: Fingerprint, boilerplate: frozenset[int],
           params: ReuseParams) -> list[tuple[int, int]]:
    """Shared ``seed``-character shingles ``(target position, source position)``.

    Shingles that are mostly boilerplate, and shingles repeated too often within one
    document, seed nothing.
    """
    import numpy as np
    k = params.seed
    hs, ht = src.seed_hashes, tgt.seed_hashes
    if not hs.size or not ht.size:
        return []
    in_t = _member(hs, tgt.seed_set)
    if not in_t.any():
        return []
    in_s = _member(ht, src.seed_set)
    mid = k // 2
    skip_s = _boilerplate_chars(src, boilerplate, params) | src.keys.cited
    skip_t = _boilerplate_chars(tgt, boilerplate, params) | tgt.keys.cited
    ok_s = ~skip_s[mid:mid + hs.shape[0]]
    ok_t = ~skip_t[mid:mid + ht.shape[0]]
    where_s: dict[int, list[int]] = defaultdict(list)
    idx_s = np.flatnonzero(in_t & ok_s)
    for p, h in zip(idx_s.tolist(), hs[idx_s].tolist(), strict=True):
        where_s[h].append(p)
    idx_t = np.flatnonzero(in_s & ok_t)
    h_t = ht[idx_t].tolist()
    count_t: dict[int, int] = defaultdict(int)
    for h in h_t:
        count_t[h] += 1
    seeds = []
    for p, h in zip(idx_t.tolist(), h_t, strict=True):
        ps = where_s[h]
        if len(ps) > params.max_occurrences or count_t[h] > params.max_occurrences:
            continue
        seeds.extend((p, q) for q in ps)
    return seeds


def _chains(seeds: list[tuple[int, int]], src: Fingerprint, tgt: Fingerprint,
            params: ReuseParams) -> list[_Chain]:
    """Group seeds into passages: close in the target, near one another in the source.

    A passage stays within one paragraph on each side (headings are paragraphs too), so
    a mark never straddles a heading; a block copied over several paragraphs gives one
    passage per paragraph.
    """
    gap = params.gap + params.seed
    sections = tgt.block_of
    src_sections = src.block_of
    open_: list[_Chain] = []
    done: list[_Chain] = []
    for pt, ps in sorted(seeds):
        sec = int(sections[pt]) if sections.size else 0
        still = []
        for ch in open_:
            (still if pt - ch.t_last <= gap and ch.section == sec else done).append(ch)
        open_ = still
        best: _Chain | None = None
        best_dist = 0
        ssec = int(src_sections[ps]) if src_sections.size else 0
        for ch in open_:
            if ch.s_lo - gap <= ps <= ch.s_hi + gap and ch.src_section == ssec:
                dist = abs(ps - (ch.s_last + pt - ch.t_last))
                if best is None or dist < best_dist:
                    best, best_dist = ch, dist
        if best is None:
            best = _Chain(section=sec, s_lo=ps, s_hi=ps, src_section=ssec)
            open_.append(best)
        best.seeds.append((pt, ps))
        best.t_last, best.s_last = pt, ps
        best.s_lo, best.s_hi = min(best.s_lo, ps), max(best.s_hi, ps)
    return done + open_


def _covered(starts: Iterable[int], length: int) -> int:
    """Characters covered by the intervals ``[s, s + length)``."""
    total = 0
    end = -1
    for s in sorted(starts):
        if s >= end:
            total += length
        elif s + length > end:
            total += s + length - end
        end = max(end, s + length)
    return total


def _extend(src: Fingerprint, tgt: Fingerprint, t: int, s: int, step: int, limit: int) -> int:
    """How many more characters match exactly from ``(t, s)`` going ``step`` (±1)."""
    ct, cs = tgt.keys.codes, src.keys.codes
    k = 0
    while k < limit:
        i, j = t + step * k, s + step * k
        if not (0 <= i < ct.shape[0] and 0 <= j < cs.shape[0]) or ct[i] != cs[j]:
            break
        k += 1
    return k


def _body_span(fp: Fingerprint, lo: int, hi: int) -> tuple[int, int]:
    """Body offsets of content keys ``lo..hi-1``, with closing punctuation after the end."""
    body = fp.doc.body
    start = int(fp.keys.offsets[lo])
    end = int(fp.keys.offsets[hi - 1]) + 1
    while end < len(body) and body[end] in _CLOSERS:
        end += 1
    return start, end


def align_pair(src: Fingerprint, tgt: Fingerprint, params: ReuseParams,
               boilerplate: frozenset[int] = frozenset()) -> list[ReusePassage]:
    """Passages of ``tgt`` that repeat or adapt wording of ``src``, in target order."""
    n = params.seed
    found: list[tuple[int, int, int, int, int, int, float]] = []
    for ch in _chains(_seeds(src, tgt, boilerplate, params), src, tgt, params):
        cov_t = _covered((pt for pt, _ in ch.seeds), n)
        if cov_t < params.min_chars - 2 * (n - 1):
            continue
        first = min(ch.seeds)
        last = max(ch.seeds)
        left = _extend(src, tgt, first[0] - 1, first[1] - 1, -1, n - 1)
        right = _extend(src, tgt, last[0] + n, last[1] + n, 1, n - 1)
        t0, t1 = first[0] - left, last[0] + n + right
        s0 = min(ps for _, ps in ch.seeds)
        s1 = max(ps for _, ps in ch.seeds) + n
        s0, s1 = min(s0, first[1] - left), max(s1, last[1] + n + right)
        cov_t += left + right
        cov_s = _covered((ps for _, ps in ch.seeds), n) + left + right
        # One source phrase matched at several places of the target is not a passage:
        # what is shared is what both sides cover.
        if min(cov_t, cov_s) < params.min_chars:
            continue
        score = min(1.0, cov_t / (t1 - t0), cov_s / (s1 - s0))
        if score < params.min_score:
            continue
        found.append((t0, t1, s0, s1, cov_t, cov_s, score))
    # Two chains over the same target text (a clause the source repeats): keep the larger.
    found.sort(key=lambda f: (-f[4], f[0]))
    kept: list[tuple[int, int, int, int, int, int, float]] = []
    for f in found:
        if all(min(f[1], k[1]) - max(f[0], k[0]) < (f[1] - f[0]) / 2 for k in kept):
            kept.append(f)
    out = []
    for t0, t1, s0, s1, cov_t, cov_s, score in sorted(kept):
        ts, te = _body_span(tgt, t0, t1)
        ss, se = _body_span(src, s0, s1)
        out.append(ReusePassage(
            tgt.doc.id, tgt.doc.section_at(ts), ts, te,
            src.doc.id, src.doc.section_at(ss), ss, se,
            score, min(cov_t, cov_s), tgt.doc.body[ts:te], src.doc.body[ss:se]))
    return out


def align_candidates(candidates: Iterable[Candidate], load: Callable[[str], Fingerprint],
                     params: ReuseParams, boilerplate: frozenset[int] = frozenset(),
                     cache_size: int = 64) -> list[ReusePassage]:
    """Align every candidate pair; documents come from ``load`` through a small LRU.

    Candidates sorted by target (as :func:`candidate_pairs` returns them) load each
    target once, so memory stays bounded by the cache, not the corpus.
    """
    cache: OrderedDict[str, Fingerprint] = OrderedDict()

    def get(doc_id: str) -> Fingerprint:
        fp = cache.get(doc_id)
        if fp is None:
            fp = cache[doc_id] = load(doc_id)
            if len(cache) > cache_size:
                cache.popitem(last=False)
        else:
            cache.move_to_end(doc_id)
        return fp

    out: list[ReusePassage] = []
    for cand in candidates:
        out.extend(align_pair(get(cand.source), get(cand.target), params, boilerplate))
    return out


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ReuseMark:
    """One "inherited from" mark on a target passage, for the report and the TUI."""

    doc: str
    section: str
    start: int
    end: int
    source: str
    source_section: str
    source_start: int
    source_end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "section": self.section, "start": self.start,
                "end": self.end, "source": self.source, "source_section": self.source_section,
                "source_start": self.source_start, "source_end": self.source_end,
                "score": round(self.score, 4)}


@dataclass(frozen=True)
class ReuseEdge:
    """Source → target in the reuse graph: the share of the target's text inherited."""

    source: str
    target: str
    share: float
    shared: int
    passages: int

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "share": round(self.share, 4),
                "shared": self.shared, "passages": self.passages}


def _union(intervals: Iterable[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(intervals):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def inherited_marks(passages: Iterable[ReusePassage], doc: str | None = None,
                    order: Sequence[str] = ()) -> list[ReuseMark]:
    """Non-overlapping "inherited from" marks, one per target passage, in text order.

    Where several earlier documents share a passage, the mark names the best match
    (highest score, then most shared characters, then the earliest source in ``order``,
    the corpus date order); every candidate source is still in the passages.
    """
    rank = {d: i for i, d in enumerate(order)}
    chosen: dict[str, list[ReusePassage]] = defaultdict(list)
    ranked = sorted((p for p in passages if doc is None or p.target == doc),
                    key=lambda p: (-p.score, -p.shared, rank.get(p.source, len(rank))))
    for p in ranked:
        taken = chosen[p.target]
        if all(min(p.target_end, q.target_end) - max(p.target_start, q.target_start)
               < (p.target_end - p.target_start) / 2 for q in taken):
            taken.append(p)
    marks = [ReuseMark(p.target, p.target_section, p.target_start, p.target_end, p.source,
                       p.source_section, p.source_start, p.source_end, p.score)
             for ps in chosen.values() for p in ps]
    return sorted(marks, key=lambda m: (m.doc, m.start))


def reuse_edges(passages: Iterable[ReusePassage], sizes: Mapping[str, int],
                ) -> list[ReuseEdge]:
    """The reuse graph: for each (source, target), the share of the target inherited.

    ``sizes`` is each target's length in body characters; the share is the part of
    the body covered by passages from that source.
    """
    spans: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for p in passages:
        spans[(p.source, p.target)].append((p.target_start, p.target_end))
        shared[(p.source, p.target)] += p.shared
    edges = [ReuseEdge(s, t, _union(iv) / max(sizes.get(t, 1), 1), shared[(s, t)], len(iv))
             for (s, t), iv in spans.items()]
    return sorted(edges, key=lambda e: (-e.share, e.source, e.target))


@dataclass
class ReuseResult:
    """Everything one reuse run found, in corpus date order."""

    order: list[str]
    sizes: dict[str, int]
    passages: list[ReusePassage]
    candidates: list[Candidate]
    boilerplate: int
    params: ReuseParams

    def for_target(self, doc: str) -> list[ReusePassage]:
        return [p for p in self.passages if p.target == doc]

    def marks(self, doc: str | None = None) -> list[ReuseMark]:
        return inherited_marks(self.passages, doc, self.order)

    def edges(self) -> list[ReuseEdge]:
        return reuse_edges(self.passages, self.sizes)

    def inherited_share(self, doc: str) -> float:
        """Share of ``doc``'s body inherited from any earlier document."""
        spans = [(p.target_start, p.target_end) for p in self.for_target(doc)]
        return _union(spans) / max(self.sizes.get(doc, 1), 1)

    def to_dict(self, *, diff: bool = False) -> dict[str, Any]:
        return {
            "documents": [{"id": d, "chars": self.sizes.get(d, 0),
                           "inherited_share": round(self.inherited_share(d), 4)}
                          for d in self.order],
            "passages": [p.to_dict(diff=diff) for p in self.passages],
            "edges": [e.to_dict() for e in self.edges()],
            "marks": [m.to_dict() for m in self.marks()],
            "candidates": [c.to_dict() for c in self.candidates],
            "boilerplate_fingerprints": self.boilerplate,
        }


def date_order(docs: Iterable[ReuseDoc]) -> list[str]:
    """Ids in corpus order: date (a bare year before dates within it), then id."""
    return [d.id for d in sorted(docs, key=lambda d: (d.date, d.id))]


def find_reuse(docs: Sequence[ReuseDoc], params: ReuseParams | None = None, *,
               target: str | None = None) -> ReuseResult:
    """Reuse across an in-memory corpus (the embedded path without an index).

    With ``target``, only that document's inheritance is aligned (boilerplate is
    still judged on the whole corpus).
    """
    params = params or ReuseParams()
    order = date_order(docs)
    fps = {d.id: fingerprint(d, params) for d in docs}
    index = {d: fp.index_hashes for d, fp in fps.items()}
    df = document_frequencies(index.values())
    boiler = boilerplate_hashes(df, len(docs), params)
    cands = candidate_pairs(index, order, params, boiler)
    if target is not None:
        cands = [c for c in cands if c.target == target]
    passages = align_candidates(cands, fps.__getitem__, params, boiler)
    sizes = {d.id: len(d.body) for d in docs}
    return ReuseResult(order, sizes, passages, cands, len(boiler), params)
