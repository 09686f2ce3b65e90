"""Wording diff of two Chinese passages: what changed, word by word and figure by figure.

A character diff of Chinese is noise (``2020``→``2025`` reads as ``202`` kept, ``0``→``5``)
and a line diff is useless for prose. So both texts are cut into tokens by
:mod:`policydiff.core.segment` (each quantity one token), every distinct token is mapped to
one character and diff-match-patch diffs the token strings. Its semantic clean-up
counts characters, which would weigh ``人工智能`` like ``的``; the clean-up here is the
same algorithm weighted by each token's real length (see :func:`_cleanup_semantic`).

Passages are first split into sentences and the sentences paired (identical ones,
then by character-bigram similarity, allowing moves, one-to-many splits and
many-to-one merges), so a reordered sentence shows as moved rather than as a block
deleted and a block inserted; each pair is then diffed word by word and its changed
figures listed.

Ops are ``(op, text)`` tuples with op -1 (only in a), 0 (both), 1 (only in b), the
diff-match-patch convention; the ops of a diff rebuild both sides exactly.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import chain, pairwise
from typing import Any, NamedTuple

from policydiff.core.collector import gc_paused
from policydiff.core.quantities import Quantity, find_quantities
from policydiff.core.sentences import sentence_spans

DELETE, EQUAL, INSERT = -1, 0, 1
Op = tuple[int, str]

PAIR_THRESHOLD = 0.12
"""Minimum rarity-weighted bigram Dice for two sentences in order to be diffed as a pair.

Unrelated sentences of the corpus score under 0.1; a target restated with new
figures (到2020年…1000亿 / 到2025年…4000亿元) scores 0.15 to 0.3.
"""
MOVE_THRESHOLD = 0.5
"""Minimum similarity for a sentence found out of order to be shown as moved."""
SPLIT_CONTAINMENT = 0.5
"""Share of a neighbour sentence's bigrams found in the partner for it to join a split/merge."""

KEEP_EQUAL = 2
"""Longest equality (in characters) the semantic clean-up may fold into the edits around it.

dmp folds any equality no longer than the edits on both sides; between two aligned
policy sentences that would swallow shared terms such as 人工智能 or 产业规模, which
are exactly what an analyst reads a diff for. Only chaff (的, 和, a comma) goes.
"""

_BASE = 0x4E00  # token codes are CJK ideographs: never whitespace, so dmp treats them alike
_BASE_LEN = 0x9FFF - 0x4E00 + 1


def _code(i: int) -> str:
    return chr(_BASE + i) if i < _BASE_LEN else chr(0x20000 + i - _BASE_LEN)


def _codes(items: Iterable[str]) -> dict[str, str]:
    """One code character per distinct item, in order of first appearance."""
    distinct = dict.fromkeys(items)
    n = len(distinct)
    if n <= _BASE_LEN:
        return dict(zip(distinct, map(chr, range(_BASE, _BASE + n)), strict=True))
    return dict(zip(distinct, map(_code, range(n)), strict=True))


@lru_cache(maxsize=1)
def _dmp():  # -> diff_match_patch
    from diff_match_patch import diff_match_patch

    return diff_match_patch()


_OPS = {"-": DELETE, "=": EQUAL, "+": INSERT}


@lru_cache(maxsize=1)
def _native_diff():  # -> fast_diff_match_patch.diff, or None
    try:
        from fast_diff_match_patch import diff
    except ImportError:  # pragma: no cover - the dependency is declared; be safe anyway
        return None
    return diff


def diff_codes(a: str, b: str) -> list[Op]:
    """``diff_main(a, b, checklines=False)`` of diff-match-patch, in C++ when available.

    Every diff here runs on code strings (a token or a sentence per character), and
    dmp's pure-Python bisection was most of a long text's diff time. The C++ port
    (fast-diff-match-patch) runs the same algorithm with the same settings (a one-second
    deadline, which also switches on dmp's half-match), and returns the same ops; a
    property test compares the two. Only a diff that reaches the deadline could differ,
    and there the result already depended on the machine's speed. The Python port is
    the fallback (no wheel for the platform; a build that refuses characters past the
    BMP, as the Windows one does).
    """
    native = _native_diff()
    if native is not None:
        try:
            return [(_OPS[op], text) for op, text in native(
                a, b, timelimit=_dmp().Diff_Timeout, checklines=False, cleanup="No",
                counts_only=False)]
        except Exception:  # pragma: no cover - platform-specific refusal
            pass
    return _dmp().diff_main(a, b, False)


# ---------------------------------------------------------------- token diff


def diff_tokens(a: str, b: str) -> list[Op]:
    """Word-level diff of ``a`` and ``b``; the ops rebuild both exactly, no token is split."""
    if a == b:
        return [(EQUAL, a)] if a else []
    if not a:
        return [(INSERT, b)]
    if not b:
        return [(DELETE, a)]
    head, tail = _shared_clauses(a, b)
    if head or tail:
        middle = diff_tokens(a[head:len(a) - tail], b[head:len(b) - tail])
        return merge_ops([(EQUAL, a[:head]), *middle, (EQUAL, a[len(a) - tail:])])
    return merge_ops(_diff_words(a, b))


def _diff_clauses(a: str, b: str, head: int, tail: int) -> list[Op]:
    """:func:`diff_tokens` of two different, non-empty texts whose shared clauses are known.

    ``head, tail = _shared_clauses(a, b)``, found once per pair by the caller. The
    middles share no further clause: the head ends at the last clause mark of the
    common prefix and the tail starts at the first of the common suffix, so
    ``_shared_clauses`` of the middles is ``(0, 0)`` (a hypothesis test checks it)
    and they go straight to the word diff.
    """
    if not head and not tail:
        return merge_ops(_diff_words(a, b))
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    ops = _diff_words(ma, mb) if ma and mb else [(INSERT, mb)] if mb else [(DELETE, ma)]
    # One merge of the whole (merging the middle first would join the same runs).
    return merge_ops([(EQUAL, a[:head]), *ops, (EQUAL, a[len(a) - tail:])])


def _diff_words(a: str, b: str) -> list[Op]:
    """The token-code diff of two different, non-empty texts (no clause split), unmerged."""
    from policydiff.core.segment import cut_texts

    ta, tb = cut_texts(a), cut_texts(b)
    codes = _codes(chain(ta, tb))
    decode = dict(zip(codes.values(), codes, strict=True))
    diffs = diff_codes("".join(map(codes.__getitem__, ta)), "".join(map(codes.__getitem__, tb)))
    # Only an equality of at most KEEP_EQUAL tokens (each weighs 1 or more) can be folded.
    if any(op == EQUAL and len(s) <= KEEP_EQUAL for op, s in diffs):
        _cleanup_semantic(diffs, {c: len(t.strip()) or 1 for t, c in codes.items()})
    return [(op, "".join(map(decode.__getitem__, s))) for op, s in diffs]


_CLAUSE_ENDS = frozenset("，。；：、！？\n")


def _shared_clauses(a: str, b: str) -> tuple[int, int]:
    """Lengths of the leading and trailing clauses ``a`` and ``b`` share word for word.

    Cut only next to Chinese punctuation, which is always a token of its own, so the
    middle tokenizes as it would in place; only the middle needs the segmenter.
    """
    p = _common_prefix(a, b)
    m = _LAST_CLAUSE_END.match(a, 0, p)  # the last clause mark of the shared prefix
    head = m.end() if m else 0
    q = min(_common_suffix(a, b), len(a) - head, len(b) - head)  # no overlap with the head
    m = _CLAUSE_END.search(a, len(a) - q) if q else None  # the first of the shared suffix
    tail = len(a) - m.start() if m else 0
    return head, tail


_CLAUSE_END = re.compile("[" + "".join(sorted(_CLAUSE_ENDS)) + "]")
_LAST_CLAUSE_END = re.compile("(?s).*[" + "".join(sorted(_CLAUSE_ENDS)) + "]")


def _common_suffix(a: str, b: str) -> int:
    """Length of the longest common suffix, by halving slice comparisons (C speed)."""
    lo, hi = 0, min(len(a), len(b))
    la, lb = len(a), len(b)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[la - mid:] == b[lb - mid:]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix, by halving slice comparisons (C speed)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _cleanup_semantic(diffs: list[Op], weights: dict[str, int]) -> None:
    """diff-match-patch's ``diff_cleanupSemantic`` equality elimination, in token weights.

    dmp measures an equality by its length in (mapped) characters, so one token
    ``人工智能`` would count as 1 and vanish between two one-token edits. This is the
    same loop (Apache-2.0, google/diff-match-patch) with each token weighing its
    real length, capped at :data:`KEEP_EQUAL`. dmp's char-level overlap and lossless
    passes are left out: they would cut tokens; ``diff_cleanupMerge`` on token codes is
    safe and is reused.
    """

    def w(s: str) -> int:
        return sum(map(weights.__getitem__, s))

    changes = False
    equalities: list[int] = []
    last_equality: str | None = None
    pointer = 0
    ins1 = del1 = ins2 = del2 = 0
    while pointer < len(diffs):
        op, text = diffs[pointer]
        if op == EQUAL:
            equalities.append(pointer)
            ins1, del1, ins2, del2 = ins2, del2, 0, 0
            last_equality = text
        else:
            if op == INSERT:
                ins2 += w(text)
            else:
                del2 += w(text)
            if last_equality and w(last_equality) <= min(
                max(ins1, del1), max(ins2, del2), KEEP_EQUAL
            ):
                diffs.insert(equalities[-1], (DELETE, last_equality))
                diffs[equalities[-1] + 1] = (INSERT, last_equality)
                equalities.pop()
                if equalities:
                    equalities.pop()
                pointer = equalities[-1] if equalities else -1
                ins1 = del1 = ins2 = del2 = 0
                last_equality = None
                changes = True
        pointer += 1
    if changes:
        _dmp().diff_cleanupMerge(diffs)


def merge_ops(ops: Iterable[Op]) -> list[Op]:
    """Join adjacent ops of one kind, drop empty ones, put deletions before insertions.

    Unlike dmp's ``diff_cleanupMerge`` it never factors out common characters, which
    would split tokens (``2020年``/``2025年`` → ``202`` + …).
    """
    out: list[Op] = []
    dels: list[str] = []
    inss: list[str] = []
    eqs: list[str] = []  # joined once, not re-concatenated per op (long passages)

    def flush() -> None:
        if eqs:
            out.append((EQUAL, "".join(eqs)))
            eqs.clear()
        if dels:
            out.append((DELETE, "".join(dels)))
            dels.clear()
        if inss:
            out.append((INSERT, "".join(inss)))
            inss.clear()

    for op, text in ops:
        if not text:
            continue
        if op == DELETE:
            if eqs:
                flush()
            dels.append(text)
        elif op == INSERT:
            if eqs:
                flush()
            inss.append(text)
        else:
            if dels or inss:
                flush()
            eqs.append(text)
    flush()
    return out


def text_a(ops: Iterable[Op]) -> str:
    """The first side rebuilt from ops."""
    return "".join(t for op, t in ops if op != INSERT)


def text_b(ops: Iterable[Op]) -> str:
    """The second side rebuilt from ops."""
    return "".join(t for op, t in ops if op != DELETE)


def _visible(text: str) -> int:
    return sum(1 for ch in text if not ch.isspace())


def similarity(ops: Iterable[Op]) -> float:
    """Share of visible characters the two sides have in common (0..1, Dice-style)."""
    same = total = 0
    for op, text in ops:
        n = _visible(text)
        if op == EQUAL:
            same += 2 * n
            total += 2 * n
        else:
            total += n
    return same / total if total else 1.0


# ---------------------------------------------------------------- figures


@dataclass(frozen=True)
class FigureChange:
    """A figure that changed between paired sentences (either side may be missing)."""

    a: Quantity | None
    b: Quantity | None
    context_a: str | None
    context_b: str | None

    @property
    def context(self) -> str:
        """The words around the figure, from the newer side when there is one."""
        return self.context_b if self.context_b is not None else self.context_a or ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "a": self.a.text if self.a else None,
            "b": self.b.text if self.b else None,
            "context": self.context,
            "context_a": self.context_a,
            "context_b": self.context_b,
            "a_value": self.a.value if self.a else None,
            "b_value": self.b.value if self.b else None,
            "unit": _family(self.b or self.a),  # type: ignore[arg-type]
        }

    def __str__(self) -> str:
        return f"{self.a.text if self.a else '∅'} → {self.b.text if self.b else '∅'}"


def _family(q: Quantity) -> str:
    """What a figure measures, so 1000亿 pairs with 4000亿元 and 2020年 with 2025年."""
    unit = q.unit.lstrip("十百千万亿")
    if unit in ("%", "％", "个百分点"):
        return "%"
    if unit == "年" and q.number.isdigit() and len(q.number) == 4:
        return "year"
    return unit.removesuffix("元")


_STOPS = frozenset("。；！？!?;\n")


def _context(text: str, q: Quantity, before: int = 8, after: int = 4) -> str:
    """The figure with whole words around it, within its clause-ending punctuation."""
    from policydiff.core.segment import tokenize

    toks = tokenize(text)
    k0 = next(k for k, t in enumerate(toks) if t.end > q.start)
    k1 = next((k for k, t in enumerate(toks) if t.start >= q.end), len(toks))
    lo, n = k0, 0
    while lo > 0 and n < before and toks[lo - 1].text[-1] not in _STOPS:
        lo -= 1
        n += len(toks[lo].text)
    hi, n = k1, 0
    while hi < len(toks) and n < after and toks[hi].text[0] not in _STOPS:
        n += len(toks[hi].text)
        hi += 1
    return "".join(t.text for t in toks[lo:hi]).strip()


def _unchanged_offsets(ops: Sequence[Op]) -> tuple[set[int], set[int]]:
    """Offsets of a and b characters that sit inside equal ops."""
    same_a: set[int] = set()
    same_b: set[int] = set()
    pa = pb = 0
    for op, text in ops:
        n = len(text)
        if op == EQUAL:
            same_a.update(range(pa, pa + n))
            same_b.update(range(pb, pb + n))
        if op != INSERT:
            pa += n
        if op != DELETE:
            pb += n
    return same_a, same_b


def changed_figures(a: str, b: str, ops: Sequence[Op] | None = None) -> list[FigureChange]:
    """Figures of ``a`` and ``b`` that the diff does not keep, paired by what they measure.

    Figures in the changed parts are paired in order within a family (years with
    years, amounts with amounts: ``1000亿`` → ``4000亿元``); a figure with no partner
    is reported as added or removed.
    """
    ops = diff_tokens(a, b) if ops is None else ops
    same_a, same_b = _unchanged_offsets(ops)
    gone = [q for q in find_quantities(a) if q.start not in same_a and not q.is_bare]
    new = [q for q in find_quantities(b) if q.start not in same_b and not q.is_bare]
    return _pair_figures(a, b, gone, new)


def _middle_figures(a: str, b: str, head: int, ops: Sequence[Op],
                    in_a: Sequence[Quantity], in_b: Sequence[Quantity]) -> list[FigureChange]:
    """:func:`changed_figures` from the quantities of the pair's middles (``in_a``/``in_b``).

    Every figure of the shared head and tail sits in an equal op, so only the
    middles' figures can change, and they are the whole texts' figures there: no
    quantity spans a clause mark (the middles' bounds), and the marks stop the
    patterns' look-arounds alike (a hypothesis test checks both), but for the
    qualifier looked up before a figure, which may stand before a line end; so the
    figures reported (few) are taken from the whole text. Each middle's figures are
    found once, for its tokens and its figures, and most rows report none.
    """
    if not in_a and not in_b:
        return []
    same_a, same_b = _unchanged_offsets(ops)
    gone = [q for q in in_a if q.start + head not in same_a and not q.is_bare]
    new = [q for q in in_b if q.start + head not in same_b and not q.is_bare]
    if not gone and not new:
        return []
    if head:  # the whole text's own figures (a qualifier such as 超过 may stand before "\n")
        gone = _in_whole(a, head, gone)
        new = _in_whole(b, head, new)
    return _pair_figures(a, b, gone, new)


def _in_whole(text: str, head: int, found: list[Quantity]) -> list[Quantity]:
    """The quantities of ``text`` that ``found`` (of the middle after ``head``) stand for."""
    if not found:
        return found
    whole = {q.start: q for q in find_quantities(text)}
    return [whole.get(q.start + head) or replace(q, start=q.start + head, end=q.end + head)
            for q in found]


def _pair_figures(a: str, b: str, gone: list[Quantity], new: list[Quantity],
                  ) -> list[FigureChange]:
    """Changed figures of ``a`` (``gone``) and ``b`` (``new``) paired within a family."""
    changes: list[FigureChange] = []
    used: set[int] = set()
    for qa in gone:
        partner = next((k for k, qb in enumerate(new)
                        if k not in used and _family(qb) == _family(qa)), None)
        if partner is None:
            changes.append(FigureChange(qa, None, _context(a, qa), None))
        else:
            used.add(partner)
            qb = new[partner]
            changes.append(FigureChange(qa, qb, _context(a, qa), _context(b, qb)))
    for k, qb in enumerate(new):
        if k not in used:
            changes.append(FigureChange(None, qb, None, _context(b, qb)))
    order = {id(q): i for i, q in enumerate(new)}
    changes.sort(key=lambda c: order.get(id(c.b), len(new)) if c.b else -1)
    return changes


# ---------------------------------------------------------------- sentences


@dataclass(slots=True)  # a long diff makes one per sentence: slots build them faster
class SentencePair:
    """One row of a passage diff: paired sentences (or a lone one) and their word diff.

    ``a``/``b`` are sentence indices (consecutive); ``kind`` is equal, changed,
    split (one a → several b), merge (several a → one b), deleted or inserted;
    ``moved`` marks a pair shown out of its original order.
    """

    kind: str
    a: tuple[int, ...]
    b: tuple[int, ...]
    a_text: str
    b_text: str
    ops: list[Op]
    moved: bool = False
    figures: list[FigureChange] = field(default_factory=list)

    @property
    def similarity(self) -> float:
        return similarity(self.ops)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "moved": self.moved, "a": list(self.a), "b": list(self.b),
            "a_text": self.a_text, "b_text": self.b_text,
            "ops": [[op, t] for op, t in self.ops],
            "similarity": round(self.similarity, 4),
            "figures": [f.to_dict() for f in self.figures],
        }


def _bigrams(s: str) -> frozenset[str]:
    """Character bigrams of a text with its whitespace already removed."""
    if len(s) < 2:
        return frozenset([s]) if s else frozenset()
    return frozenset(map("".join, pairwise(s)))  # s[i:i + 2]; ~15 % faster than str.__add__


Pairing = list[tuple[tuple[int, ...], tuple[int, ...], bool]]
"""``[(a_indices, b_indices, moved)]`` in display order (see :func:`align_sentences`)."""


def align_sentences(a: Sequence[str], b: Sequence[str]) -> Pairing:
    """Pair sentences of two passages: ``[(a_indices, b_indices, moved)]`` in display order.

    Lone sentences appear with an empty side. Moved pairs are placed at their
    position in ``b``. Four phases, each its own function: identical sentences
    (:func:`_identical_pairs`), scores of the rest (:func:`_unpaired`,
    :func:`_score_pairs`), the assignment of rewritten sentences, splits and merges
    (:func:`_assign_pairs`, :func:`_join_neighbours`), and the display order with
    moves (:func:`_display_order`).
    """
    norm_a = ["".join(s.split()) for s in a]
    norm_b = ["".join(s.split()) for s in b]
    pair_a = _identical_pairs(norm_a, norm_b)
    u = _unpaired(norm_a, norm_b, pair_a)
    scores = _score_pairs(norm_a, norm_b, u)
    groups = _join_neighbours(u, scores, _assign_pairs(u, scores.in_order, scores.moves))
    return _display_order(len(a), len(b), [([i], [j]) for i, j in pair_a.items()] + groups)


def _identical_pairs(norm_a: Sequence[str], norm_b: Sequence[str]) -> dict[int, int]:
    """Phase 1: identical sentences kept in order, ``{a index: b index}``.

    A dmp diff over sentence codes, run only on the sentences both sides contain:
    the others cannot match, and leaving them out keeps dmp's bisection from
    exploring two wholly different documents.
    """
    common_text = set(norm_a) & set(norm_b)
    keep_a = [i for i, s in enumerate(norm_a) if s and s in common_text]
    keep_b = [j for j, s in enumerate(norm_b) if s and s in common_text]
    kept_a, kept_b = [norm_a[i] for i in keep_a], [norm_b[j] for j in keep_b]
    codes = _codes(kept_a)  # every kept b sentence is one of them
    ea, eb = "".join(map(codes.__getitem__, kept_a)), "".join(map(codes.__getitem__, kept_b))
    pair_a: dict[int, int] = {}
    ka = kb = 0
    for op, text in diff_codes(ea, eb) if ea and eb else ():
        if op == EQUAL:
            pair_a.update(zip(keep_a[ka:ka + len(text)], keep_b[kb:kb + len(text)],
                              strict=True))
        if op != INSERT:
            ka += len(text)
        if op != DELETE:
            kb += len(text)
    return pair_a


class _Unpaired(NamedTuple):
    """The sentences phase 1 left unpaired, and the stretch each sits in.

    ``gap_*`` numbers the stretch between identical sentences a sentence sits in: an
    in-order pair must sit in the same gap on both sides.
    """

    free_a: list[int]
    free_b: list[int]
    gap_a: dict[int, int]
    gap_b: dict[int, int]


def _unpaired(norm_a: Sequence[str], norm_b: Sequence[str], pair_a: dict[int, int]) -> _Unpaired:
    """The sentences left unpaired (empty ones aside) and their gaps."""
    paired_b = set(pair_a.values())
    free_a = [i for i, s in enumerate(norm_a) if s and i not in pair_a]
    free_b = [j for j, s in enumerate(norm_b) if s and j not in paired_b]
    anchors_a, anchors_b = sorted(pair_a), sorted(paired_b)
    return _Unpaired(free_a, free_b,
                     {i: bisect.bisect_left(anchors_a, i) for i in free_a},
                     {j: bisect.bisect_left(anchors_b, j) for j in free_b})


WEIGHT_SCALE = 1 << 24
"""Bigram weights are fixed-point integers: ``round(idf · 2**24)``.

Scores are sums of weights; summed as integers they are exact in any order, so the
plain loop (:func:`_scores_python`), the sparse product (:func:`_scores_numpy`) and the
reference in the tests compute the same score to the bit, and no pairing depends on
the order a set happens to iterate in (which, for strings, changes from one process
to the next). 2**24 keeps 7 significant digits of the rarest bigram's weight; sums stay
far below 2**53, where float64 would stop holding integers exactly (checked).
"""


def idf_weight(total: int, df: int) -> int:
    """Rarity weight of a bigram found in ``df`` of ``total`` sentences (fixed point).

    ``log((total + 1) / df)``: the 人工/智能 every sentence shares count for little.
    """
    return round(math.log((total + 1) / df) * WEIGHT_SCALE)


def _common_df(total: int) -> int:
    """Bigrams in more sentences than this are left out of the scores (not of the masses).

    Over a fifth of the sentences: they weigh almost nothing but would cost the most.
    """
    return max(3, total // 5)


class _Scores(NamedTuple):
    """Phase 2's result: candidate pairs, and the rare bigrams phase 3b asks about.

    ``in_order`` holds ``(i, j, d)`` sorted by ``(i, j)`` for sentences in the same gap
    scoring at least :data:`PAIR_THRESHOLD`; ``moves`` holds ``(-d, i, j)`` for any two
    scoring at least :data:`MOVE_THRESHOLD`. The score ``d`` is the rarity-weighted
    Dice of the two sentences' bigram sets: ``2 · shared rare weight / (mass_a + mass_b)``,
    masses summing all their bigrams' weights. ``rare_a(i)`` / ``rare_b(j)``: a free
    sentence's rare bigrams (as set members of either path's own kind).
    """

    in_order: list[tuple[int, int, float]]
    moves: list[tuple[float, int, int]]
    rare_a: Callable[[int], frozenset]
    rare_b: Callable[[int], frozenset]

    def shared_count(self, i: int, j: int) -> int:
        """Rare bigrams a[i] and b[j] share (asked only about neighbours)."""
        return len(self.rare_a(i) & self.rare_b(j))


_VECTOR_PAIRS = 150_000
"""Above this many (free a × free b) sentence pairs, scores come from one sparse product
(numpy, imported only then: 0.1-0.25 s the first time on a shared 2-core machine); below,
the plain loop is faster than the import. Both compute the same integers."""

_EXACT = 1 << 52
"""Integer sums below this are exact in float64 (doubled, still below 2**53)."""


def _score_pairs(norm_a: Sequence[str], norm_b: Sequence[str], u: _Unpaired) -> _Scores:
    """Phase 2: every pair of free sentences sharing a rare bigram, scored exactly.

    Many free sentences (a long text rewritten throughout, or two unrelated ones):
    one sparse product of integer weights; few: postings in plain Python.
    """
    if (len(u.free_a) * len(u.free_b) > _VECTOR_PAIRS
            and len(u.free_a) + len(u.free_b) < 1 << 21):
        scores = _scores_numpy(norm_a, norm_b, u)
        if scores is not None:
            return scores
    return _scores_python(norm_a, norm_b, u)


def _scores_python(norm_a: Sequence[str], norm_b: Sequence[str], u: _Unpaired) -> _Scores:
    """Scores from postings (rare bigram → b sentences), summed as Python integers."""
    bg_a = {i: _bigrams(norm_a[i]) for i in u.free_a}
    bg_b = {j: _bigrams(norm_b[j]) for j in u.free_b}
    df: Counter[str] = Counter()
    for grams in chain(bg_a.values(), bg_b.values()):
        df.update(grams)
    total = len(bg_a) + len(bg_b)
    by_df = {k: idf_weight(total, k) for k in set(df.values())}
    weight = {g: by_df[k] for g, k in df.items()}
    limit = _common_df(total)
    common = {g for g, k in df.items() if k > limit}  # few: set ops cost by its size
    mass_a = {i: sum(map(weight.__getitem__, grams)) for i, grams in bg_a.items()}
    mass_b = {j: sum(map(weight.__getitem__, grams)) for j, grams in bg_b.items()}
    rare_a = {i: grams - common if not grams.isdisjoint(common) else grams
              for i, grams in bg_a.items()}
    rare_b = {j: grams - common if not grams.isdisjoint(common) else grams
              for j, grams in bg_b.items()}
    postings: dict[str, list[int]] = defaultdict(list)
    for j, grams in rare_b.items():
        for g in grams:
            postings[g].append(j)
    weighted = {g: (weight[g], post) for g, post in postings.items()}
    # Most pairs share a few bigrams and score far below any threshold: an integer test
    # with a 10 % margin drops them before the exact division (which decides the rest).
    low = min(PAIR_THRESHOLD, MOVE_THRESHOLD) * 0.9
    in_order: list[tuple[int, int, float]] = []
    moves: list[tuple[float, int, int]] = []
    for i, grams in rare_a.items():
        shared: dict[int, int] = {}
        get = shared.get
        for g in grams:
            found = weighted.get(g)
            if found:
                w, post = found
                for j in post:
                    shared[j] = get(j, 0) + w
        mass_i, gap_i = mass_a[i], u.gap_a[i]
        near = [j for j, s in shared.items() if 2 * s >= low * (mass_i + mass_b[j])]
        for j in sorted(near):
            d = 2 * shared[j] / ((mass_i + mass_b[j]) or 1)
            if d >= PAIR_THRESHOLD and gap_i == u.gap_b[j]:
                in_order.append((i, j, d))
            if d >= MOVE_THRESHOLD:
                moves.append((-d, i, j))
    return _Scores(in_order, moves, rare_a.__getitem__, rare_b.__getitem__)


_NO_SECOND = (1 << 21) - 1
"""The second half of a one-character sentence's only "bigram" (no code point is this)."""


def _bigram_codes(texts: Sequence[str]):  # -> tuple[np.ndarray, np.ndarray]
    """``(sentence, bigram code)`` of every distinct bigram of each text, sorted.

    A bigram's code is its two code points side by side (21 bits each), so codes and
    :func:`_bigrams`' strings correspond one to one; a one-character text has its
    character as its only bigram, as there.
    """
    import numpy as np

    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    chars = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"),
                          dtype=np.uint32).astype(np.int64)
    sent = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
    inner = np.flatnonzero(sent[:-1] == sent[1:])
    code = (chars[inner] << 21) | chars[inner + 1]
    owner = sent[inner]
    single = np.flatnonzero(lengths == 1)
    if single.size:
        starts = np.cumsum(lengths) - lengths
        code = np.concatenate([code, (chars[starts[single]] << 21) | _NO_SECOND])
        owner = np.concatenate([owner, single])
    key = np.sort((owner << 42) | code)
    if key.size:  # distinct keys; np.unique hashes (numpy 2.3+): ~3x slower than this
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    return key >> 42, key & ((1 << 42) - 1)


def _scores_numpy(norm_a: Sequence[str], norm_b: Sequence[str], u: _Unpaired,
                  ) -> _Scores | None:
    """The same scores from one sparse product: a sentences × rare bigrams (weights)
    times rare bigrams × b sentences (indicators). None if a sum could pass 2**52."""
    import numpy as np

    na, nb = len(u.free_a), len(u.free_b)
    total = na + nb
    sent, code = _bigram_codes([norm_a[i] for i in u.free_a] + [norm_b[j] for j in u.free_b])
    _, col, df = np.unique(code, return_inverse=True, return_counts=True)
    col = col.reshape(-1)
    dfs = np.unique(df)
    weight = np.asarray([idf_weight(total, k) for k in dfs.tolist()],
                        dtype=np.int64)[np.searchsorted(dfs, df)]
    if len(code) * int(weight.max(initial=0)) >= _EXACT:
        return None
    w = weight[col].astype(np.float64)  # integers: every sum below stays exact
    mass = np.bincount(sent, weights=w, minlength=total)
    rare = df[col] <= _common_df(total)
    ra, rb = rare & (sent < na), rare & (sent >= na)
    r, c, shared = _shared_weights(sent[ra], col[ra], w[ra], sent[rb] - na, col[rb],
                                   na, nb, len(df))
    denom = mass[r] + mass[na + c]
    denom[denom == 0] = 1
    d = 2 * shared / denom
    fa, fb = np.asarray(u.free_a, dtype=np.int64), np.asarray(u.free_b, dtype=np.int64)
    ga = np.asarray([u.gap_a[i] for i in u.free_a], dtype=np.int64)
    gb = np.asarray([u.gap_b[j] for j in u.free_b], dtype=np.int64)
    keep = np.flatnonzero((d >= PAIR_THRESHOLD) & (ga[r] == gb[c]))
    keep = keep[np.lexsort((c[keep], r[keep]))]
    in_order = list(zip(fa[r[keep]].tolist(), fb[c[keep]].tolist(), d[keep].tolist(),
                        strict=True))
    far = np.flatnonzero(d >= MOVE_THRESHOLD)
    moves = list(zip((-d[far]).tolist(), fa[r[far]].tolist(), fb[c[far]].tolist(),
                     strict=True))
    bounds = np.searchsorted(sent, np.arange(total + 1)).tolist()
    pos_a = {i: k for k, i in enumerate(u.free_a)}
    pos_b = {j: na + k for k, j in enumerate(u.free_b)}

    @cache
    def rare_of(k: int) -> frozenset[int]:
        lo, hi = bounds[k], bounds[k + 1]
        return frozenset(code[lo:hi][rare[lo:hi]].tolist())

    return _Scores(in_order, moves, lambda i: rare_of(pos_a[i]), lambda j: rare_of(pos_b[j]))


_DENSE_PAIRS = 1 << 23
"""Up to this many sentence pairs, shared weights are summed into one dense array
(64 MB of float64 at most); past it, per step by sorting."""
_STEP = 1 << 22
"""(a bigram occurrence, b sentence) products expanded per step (~100 MB of arrays)."""


def _shared_weights(a_sent, a_col, a_w, b_sent, b_col, na: int, nb: int, ncols: int):
    """The product of the sparse product, in numpy alone: ``(r, c, s)`` for every pair of
    an a sentence ``r`` and a b sentence ``c`` sharing rare bigrams, ``s`` their weight.

    Each rare bigram occurrence of an a sentence is matched with every b sentence holding
    that bigram (a join on the bigram's column), and the weights are summed per pair:
    integers in float64, exact below 2**53 like the sparse product's sums (guarded by
    the caller). Without scipy, whose import cost as much again as numpy's.
    """
    import numpy as np

    dense = na * nb <= _DENSE_PAIRS
    small = np.int32 if dense else np.int64  # half the memory traffic where keys fit
    cnt_b = np.bincount(b_col, minlength=ncols)
    start_b = np.cumsum(cnt_b) - cnt_b
    b_sorted = b_sent[np.argsort(b_col, kind="stable")].astype(small)  # by bigram column
    reps = cnt_b[a_col]
    has = reps > 0
    a_row, a_w, reps = (a_sent[has] * nb).astype(small), a_w[has], reps[has]
    a_first = start_b[a_col[has]]  # where each occurrence's b sentences start in b_sorted
    ends = np.cumsum(reps)
    acc = None
    keys: list = []
    sums: list = []
    lo = 0
    while lo < len(reps):
        done = int(ends[lo - 1]) if lo else 0
        hi = max(int(np.searchsorted(ends, done + _STEP, side="right")), lo + 1)
        r = reps[lo:hi]
        # b_sorted[a_first[k] + m] for m < reps[k], every occurrence k of the step
        at = np.arange(int(ends[hi - 1]) - done, dtype=np.int32)  # < _STEP
        at += np.repeat((a_first[lo:hi] - (ends[lo:hi] - r - done)).astype(np.int32), r)
        key = np.repeat(a_row[lo:hi], r)
        key += b_sorted[at]
        weights = np.repeat(a_w[lo:hi], r)
        if dense:
            step = np.bincount(key, weights=weights, minlength=na * nb)
            acc = step if acc is None else acc + step
        else:
            k, s = _sum_by_key(np, key, weights)
            keys.append(k)
            sums.append(s)
        lo = hi
    if acc is not None:
        key = np.flatnonzero(acc)  # int64
        total = acc[key]
    elif keys:
        key, total = _sum_by_key(np, np.concatenate(keys), np.concatenate(sums))
    else:
        key, total = np.zeros(0, dtype=np.int64), np.zeros(0)
    return key // nb, key % nb, total


def _sum_by_key(np, key, weights):  # -> (distinct keys, summed weights), sorted by key
    order = np.argsort(key, kind="stable")
    key, weights = key[order], weights[order]
    if not len(key):
        return key, weights
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    return key[starts], np.add.reduceat(weights, starts)


def _assign_pairs(u: _Unpaired, in_order: Sequence[tuple[int, int, float]],
                  moves: Sequence[tuple[float, int, int]]) -> dict[int, list[int]]:
    """Phase 3a: rewritten sentences paired one to one, ``{a index: [b index]}``.

    First the best-scoring chain of in-order pairs between identical anchors, then
    out-of-order pairs close enough to be moves, best first. Last, a lone sentence
    facing a lone sentence between the same anchors (two aligned one-sentence
    passages, say) is the same sentence rewritten: it is paired whatever its score.
    """
    groups_a: dict[int, list[int]] = {}
    taken_b: set[int] = set()
    for i, j in _best_chain(in_order):
        groups_a[i] = [j]
        taken_b.add(j)
    for _, i, j in sorted(moves):
        if i not in groups_a and j not in taken_b:
            groups_a[i] = [j]
            taken_b.add(j)
    lone_a_gap: dict[int, list[int]] = defaultdict(list)
    lone_b_gap: dict[int, list[int]] = defaultdict(list)
    for i in u.free_a:
        if i not in groups_a:
            lone_a_gap[u.gap_a[i]].append(i)
    for j in u.free_b:
        if j not in taken_b:
            lone_b_gap[u.gap_b[j]].append(j)
    for gap, ia in lone_a_gap.items():
        jb = lone_b_gap.get(gap, [])
        if len(ia) == 1 and len(jb) == 1 and _gap_is_free(ia[0], jb[0], groups_a):
            groups_a[ia[0]] = [jb[0]]
            taken_b.add(jb[0])
    return groups_a


Group = tuple[list[int], list[int]]


def _join_neighbours(u: _Unpaired, scores: _Scores, groups_a: dict[int, list[int]],
                     ) -> list[Group]:
    """Phase 3b: splits (one a → several b) and merges (several a → one b).

    A lone sentence next to a one-to-one pair joins it when at least
    :data:`SPLIT_CONTAINMENT` of its rare bigrams are found in the pair's other side:
    a sentence cut in two, or two run together, is still one statement.
    """
    groups: list[Group] = [([i], js) for i, js in groups_a.items()]
    owner_a = {i: g for g in groups for i in g[0]}
    owner_b = {j: g for g in groups for j in g[1]}

    def join(k: int, owner: dict[int, Group], side: int, rare: frozenset,
             shared_with: Callable[[int], int]) -> None:
        other = 1 - side
        best: tuple[float, Group] | None = None
        for nb in (k - 1, k + 1):
            grp = owner.get(nb)
            if grp is None or len(grp[other]) != 1 or nb not in (grp[side][0], grp[side][-1]):
                continue
            c = shared_with(grp[other][0]) / max(len(rare), 1)
            if c >= SPLIT_CONTAINMENT and (best is None or c > best[0]):
                best = (c, grp)
        if best:
            best[1][side].append(k)
            best[1][side].sort()
            owner[k] = best[1]

    for j in u.free_b:
        if j not in owner_b:
            join(j, owner_b, 1, scores.rare_b(j), lambda i, j=j: scores.shared_count(i, j))
    for i in u.free_a:
        if i not in owner_a:
            join(i, owner_a, 0, scores.rare_a(i), lambda j, i=i: scores.shared_count(i, j))
    return groups


def _display_order(n: int, m: int, all_groups: list[Group]) -> Pairing:
    """Phase 4: rows in reading order; pairs outside the longest in-order chain are moves.

    Anchored pairs and lone sentences follow both texts' order; a moved pair is shown
    where its b sentence stands, since the newer text is what the reader follows.
    """
    all_groups.sort(key=lambda g: g[0][0])
    anchored = longest_increasing([g[1][0] for g in all_groups])
    in_a = {i for g in all_groups for i in g[0]}
    in_b = {j for g in all_groups for j in g[1]}
    moved_at_b = {g[1][0]: g for k, g in enumerate(all_groups) if k not in anchored}
    out: Pairing = []
    ia = ib = 0

    def advance(to_a: int, to_b: int) -> None:
        nonlocal ia, ib
        while ia < to_a:
            if ia not in in_a:
                out.append(((ia,), (), False))
            ia += 1
        while ib < to_b:
            if ib in moved_at_b:
                g = moved_at_b[ib]
                out.append((tuple(g[0]), tuple(g[1]), True))
            elif ib not in in_b:
                out.append(((), (ib,), False))
            ib += 1

    for k in sorted(anchored):
        ga, gb = all_groups[k]
        if ia < ga[0] or ib < gb[0]:  # most anchored rows follow the last directly
            advance(ga[0], gb[0])
        out.append((tuple(ga), tuple(gb), False))
        ia, ib = ga[-1] + 1, gb[-1] + 1
    advance(n, m)
    return out


def _gap_is_free(i: int, j: int, groups: dict[int, list[int]]) -> bool:
    """Whether pairing a[i] with b[j] keeps every in-gap pair on the same side of it."""
    return all((i < gi) == (j < gj[0]) for gi, gj in groups.items())


def _best_chain(candidates: Sequence[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Pairs ``(i, j)`` strictly increasing in both, with the largest total weight."""
    if not candidates:
        return []
    order = sorted(range(len(candidates)), key=lambda k: (candidates[k][0], -candidates[k][1]))
    size = max(c[1] for c in candidates) + 2
    tree: list[tuple[float, int]] = [(0.0, -1)] * (size + 1)  # Fenwick tree of prefix maxima
    score = [0.0] * len(candidates)
    prev = [-1] * len(candidates)
    best = (0.0, -1)
    for k in order:
        _, j, w = candidates[k]
        q, pos = (0.0, -1), j  # max over chains ending at a column < j
        while pos > 0:
            q = max(q, tree[pos])
            pos -= pos & -pos
        score[k], prev[k] = q[0] + w, q[1]
        best = max(best, (score[k], k))
        pos = j + 1
        while pos <= size:
            tree[pos] = max(tree[pos], (score[k], k))
            pos += pos & -pos
    chain: list[tuple[int, int]] = []
    k = best[1]
    while k >= 0:
        chain.append((candidates[k][0], candidates[k][1]))
        k = prev[k]
    return chain[::-1]


def longest_increasing(values: Sequence[int]) -> set[int]:
    """Indices of one longest strictly increasing subsequence (patience sorting)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(values)
    top: float = -math.inf  # tails[-1]: in a revision most values extend it (no bisect)
    for k, v in enumerate(values):
        if v > top:
            if tail_idx:
                prev[k] = tail_idx[-1]
            tails.append(v)
            tail_idx.append(k)
            top = v
            continue
        pos = bisect.bisect_left(tails, v)
        tails[pos] = v
        tail_idx[pos] = k
        if pos:
            prev[k] = tail_idx[pos - 1]
        if pos == len(tails) - 1:
            top = v
    result: set[int] = set()
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        result.add(k)
        k = prev[k]
    return result


# ---------------------------------------------------------------- passages


@dataclass
class PassageDiff:
    """The diff of two passages: flat ops (rebuild both), sentence rows, figures."""

    a: str
    b: str
    ops: list[Op]
    sentences: list[SentencePair]

    @property
    def similarity(self) -> float:
        rows = [op for s in self.sentences for op in s.ops]
        return similarity(rows)

    @property
    def figures(self) -> list[FigureChange]:
        """Changed figures of the whole passage, those of lone sentences included.

        A figure in a deleted sentence and one of the same family in an inserted
        sentence (a target rewritten beyond pairing) are paired, in order; the rest
        are listed as removed or added.
        """
        paired = [f for s in self.sentences if s.a and s.b for f in s.figures]
        gone = [f for s in self.sentences if not s.b for f in s.figures]
        new = [f for s in self.sentences if not s.a for f in s.figures]
        out = list(paired)
        used: set[int] = set()
        for fa in gone:
            k = next((k for k, fb in enumerate(new) if k not in used and fa.a and fb.b
                      and _family(fb.b) == _family(fa.a)), None)
            if k is None:
                out.append(fa)
            else:
                used.add(k)
                out.append(FigureChange(fa.a, new[k].b, fa.context_a, new[k].context_b))
        out.extend(fb for k, fb in enumerate(new) if k not in used)
        return out

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.ops)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ops": [[op, t] for op, t in self.ops],
            "similarity": round(self.similarity, 4),
            "figures": [f.to_dict() for f in self.figures],
            "sentences": [s.to_dict() for s in self.sentences],
        }


def diff_passages(a: str, b: str) -> PassageDiff:
    """Diff two passages sentence by sentence (moves, splits, merges), then word by word."""
    from policydiff.core.segment import prefetched_cuts

    with gc_paused():
        spans_a, spans_b = sentence_spans(a), sentence_spans(b)
        sa = [a[s:e] for s, e in spans_a]
        sb = [b[s:e] for s, e in spans_b]
        planned: list[SentencePair | _Changed] = []
        clauses: dict[tuple[str, str], tuple[int, int]] = {}  # a pair met again: cut once
        for ia, ib, moved in align_sentences(sa, sb):
            at = sa[ia[0]] if len(ia) == 1 else "".join(sa[i] for i in ia)
            bt = sb[ib[0]] if len(ib) == 1 else "".join(sb[j] for j in ib)
            if at == bt and len(ia) == len(ib) == 1:  # most rows of a revision
                planned.append(SentencePair("equal", ia, ib, at, bt, [(EQUAL, at)], moved))
            elif at and bt and at != bt:
                cut = clauses.get((at, bt))
                if cut is None:
                    cut = clauses[at, bt] = _shared_clauses(at, bt)
                head, tail = cut
                planned.append(_Changed(ia, ib, at, bt, moved, head, tail,
                                        at[head:len(at) - tail], bt[head:len(bt) - tail]))
            else:
                planned.append(_Changed(ia, ib, at, bt, moved, -1, -1, "", ""))
        rows: list[SentencePair] = []
        found: dict[str, list[Quantity]] = {}  # quantities of each middle, found once
        for p in planned:
            if type(p) is _Changed and p.head >= 0:
                for t in (p.mid_a, p.mid_b):
                    if t and t not in found:
                        found[t] = find_quantities(t)
        with prefetched_cuts(found, {t: [(q.start, q.end) for q in qs]
                                     for t, qs in found.items()}):
            seen: dict[tuple[str, str], tuple[tuple[Op, ...], list[FigureChange]]] = {}
            for p in planned:
                if type(p) is not _Changed:
                    rows.append(p)
                elif p.head >= 0:
                    rows.extend(_changed_rows(p, found, seen))
                else:
                    rows.extend(_sentence_rows(p.a, p.b, p.a_text, p.b_text, p.moved))
        return PassageDiff(a, b, _flat_ops(rows, sa, sb), rows)


class _Changed(NamedTuple):
    """A pairing whose texts differ, before its word diff: its shared clauses found.

    ``head``/``tail``: what :func:`_shared_clauses` gives for the two texts, ``mid_*``
    what is left between (the only parts the segmenter and the figure finder read);
    ``head`` is -1 for a lone sentence or texts equal across a split.
    """

    a: tuple[int, ...]
    b: tuple[int, ...]
    a_text: str
    b_text: str
    moved: bool
    head: int
    tail: int
    mid_a: str
    mid_b: str


def _changed_rows(p: _Changed, found: dict[str, list[Quantity]],
                  seen: dict[tuple[str, str], tuple[tuple[Op, ...], list[FigureChange]]],
                  ) -> list[SentencePair]:
    """:func:`_sentence_rows` of a pairing of two different texts, shared clauses known.

    ``seen``: the ops and figures of the pairs of texts already diffed in this diff. A
    sentence rewritten the same way in several places (a repeated clause, boilerplate
    whose year changed) is diffed once; each row gets its own lists.
    """
    ia, ib, at, bt, moved = p.a, p.b, p.a_text, p.b_text, p.moved
    hit = seen.get((at, bt))
    ops = list(hit[0]) if hit else _diff_clauses(at, bt, p.head, p.tail)
    if not moved and not any(op == EQUAL for op, _ in ops):
        return _sentence_rows(ia, ib, at, bt, moved, ops)  # shown deleted and inserted
    kind = "merge" if len(ia) > 1 else "split" if len(ib) > 1 else "changed"
    if hit:
        figures = list(hit[1])
    else:
        figures = _middle_figures(at, bt, p.head, ops, found.get(p.mid_a, ()),
                                  found.get(p.mid_b, ()))
        seen[at, bt] = (tuple(ops), list(figures))
    return [SentencePair(kind, ia, ib, at, bt, ops, moved, figures)]


def _sentence_rows(ia: tuple[int, ...], ib: tuple[int, ...], at: str, bt: str, moved: bool,
                   ops: list[Op] | None = None) -> list[SentencePair]:
    """The row (or rows) for one pairing: its kind, word diff and changed figures."""
    ops = diff_tokens(at, bt) if ops is None else ops
    if not ib:
        kind = "deleted"
    elif not ia:
        kind = "inserted"
    elif len(ia) > 1:
        kind = "merge"
    elif len(ib) > 1:
        kind = "split"
    elif all(op == EQUAL for op, _ in ops):
        kind = "equal"
    else:
        kind = "changed"
    if ia and ib and not moved and not any(op == EQUAL for op, _ in ops):
        # Paired by bigrams but no word in common: show a deletion and an insertion.
        return [SentencePair("deleted", ia, (), at, "", [(DELETE, at)],
                             figures=_lone_figures(at, DELETE)),
                SentencePair("inserted", (), ib, "", bt, [(INSERT, bt)],
                             figures=_lone_figures(bt, INSERT))]
    if ia and ib:
        figures = changed_figures(at, bt, ops) if kind != "equal" else []
    else:
        figures = _lone_figures(at or bt, DELETE if ia else INSERT)
    return [SentencePair(kind, ia, ib, at, bt, ops, moved, figures)]


def _lone_figures(text: str, op: int) -> list[FigureChange]:
    """The figures of a sentence without a partner: all removed, or all added."""
    out = []
    for q in find_quantities(text):
        if q.is_bare:
            continue
        ctx = _context(text, q)
        out.append(FigureChange(q, None, ctx, None) if op == DELETE
                   else FigureChange(None, q, None, ctx))
    return out


def _flat_ops(rows: Sequence[SentencePair], sa: Sequence[str], sb: Sequence[str]) -> list[Op]:
    """One op stream that rebuilds both passages: moved rows become delete + insert."""
    moved_a = {i for r in rows if r.moved for i in r.a}
    ops: list[Op] = []
    ia = 0
    for r in rows:
        if r.moved:
            ops.append((INSERT, r.b_text))
            continue
        if r.a:
            while ia < r.a[0]:
                if ia in moved_a:
                    ops.append((DELETE, sa[ia]))
                ia += 1
            ia = r.a[-1] + 1
        ops.extend(r.ops)
    while ia < len(sa):
        if ia in moved_a:
            ops.append((DELETE, sa[ia]))
        ia += 1
    return merge_ops(ops)
