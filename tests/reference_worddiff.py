"""A plain, readable sentence pairing: the oracle the fast one is compared with.

This is the pairing as it was before its speed-up (every pair sharing a rare bigram
scored from postings), with two changes made on purpose in both: bigram weights are
fixed-point integers (``worddiff.idf_weight``), so scores are exact whatever order they
are summed in, and candidates are taken in ``(i, j)`` order. Before, scores were float
sums over frozensets of strings, whose order (and so the last bits of a score, and the
winner of an exact tie) changed with the process's string hashing.

tests/core/test_worddiff_pairing.py checks that the fast ``align_sentences`` (plain loop
or sparse product) returns exactly what this one returns.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Sequence

from policydiff.core.worddiff import (
    DELETE,
    EQUAL,
    INSERT,
    MOVE_THRESHOLD,
    PAIR_THRESHOLD,
    SPLIT_CONTAINMENT,
    _best_chain,
    _bigrams,
    _code,
    _dmp,
    _gap_is_free,
    idf_weight,
    longest_increasing,
)


def reference_align_sentences(a: Sequence[str], b: Sequence[str]) -> list[tuple[tuple[int, ...],
                                                                        tuple[int, ...], bool]]:
    """Pair sentences of two passages: ``[(a_indices, b_indices, moved)]`` in display order.

    Lone sentences appear with an empty side. Moved pairs are placed at their
    position in ``b``.
    """
    n, m = len(a), len(b)
    norm_a = ["".join(s.split()) for s in a]
    norm_b = ["".join(s.split()) for s in b]
    pair_a: dict[int, int] = {}
    # 1. identical sentences in order: a dmp diff over sentence codes, run only on the
    #    sentences both sides contain (the others cannot match; this keeps dmp's
    #    bisection from exploring two wholly different documents).
    common_text = set(norm_a) & set(norm_b)
    keep_a = [i for i in range(n) if norm_a[i] and norm_a[i] in common_text]
    keep_b = [j for j in range(m) if norm_b[j] and norm_b[j] in common_text]
    codes: dict[str, str] = {}
    ea = "".join(codes.setdefault(norm_a[i], _code(len(codes))) for i in keep_a)
    eb = "".join(codes.setdefault(norm_b[j], _code(len(codes))) for j in keep_b)
    ka = kb = 0
    for op, text in _dmp().diff_main(ea, eb, False) if ea and eb else ():
        if op == EQUAL:
            for k in range(len(text)):
                pair_a[keep_a[ka + k]] = keep_b[kb + k]
        if op != INSERT:
            ka += len(text)
        if op != DELETE:
            kb += len(text)
    # 2. the rest by bigram similarity (bigrams weighted by rarity, so the 人工/智能
    #    every sentence shares count for little): the best in-order chain between
    #    identical anchors, then out-of-order pairs that are close enough to be moves.
    free_a = [i for i in range(n) if i not in pair_a and norm_a[i]]
    paired_b = set(pair_a.values())
    free_b = [j for j in range(m) if j not in paired_b and norm_b[j]]
    bg_a = {i: _bigrams(norm_a[i]) for i in free_a}
    bg_b = {j: _bigrams(norm_b[j]) for j in free_b}
    df: Counter[str] = Counter()
    for grams in (*bg_a.values(), *bg_b.values()):
        df.update(grams)
    total = len(bg_a) + len(bg_b)
    idf = {g: idf_weight(total, k) for g, k in df.items()}  # integers
    mass_a = {i: sum(idf[g] for g in bg_a[i]) for i in free_a}
    mass_b = {j: sum(idf[g] for g in bg_b[j]) for j in free_b}
    # Bigrams in over a fifth of the sentences weigh almost nothing but cost the most.
    common = max(3, total // 5)
    postings: dict[str, list[int]] = defaultdict(list)
    for j in free_b:
        for g in bg_b[j]:
            if df[g] <= common:
                postings[g].append(j)
    anchors_a = sorted(pair_a)
    gap_a = {i: bisect.bisect_left(anchors_a, i) for i in free_a}
    anchors_b = sorted(paired_b)
    gap_b = {j: bisect.bisect_left(anchors_b, j) for j in free_b}
    shared: dict[int, dict[int, int]] = {}
    in_order: list[tuple[int, int, float]] = []
    moves: list[tuple[float, int, int]] = []
    for i in free_a:
        weights: dict[int, int] = {}
        counts: dict[int, int] = {}
        for g in bg_a[i]:
            post = postings.get(g)
            if post:
                w = idf[g]
                for j in post:
                    weights[j] = weights.get(j, 0) + w
                    counts[j] = counts.get(j, 0) + 1
        shared[i] = counts
        for j, wsum in sorted(weights.items()):
            d = 2 * wsum / ((mass_a[i] + mass_b[j]) or 1)
            if d >= PAIR_THRESHOLD and gap_a[i] == gap_b[j]:
                in_order.append((i, j, d))
            if d >= MOVE_THRESHOLD:
                moves.append((-d, i, j))
    groups_a: dict[int, list[int]] = {}  # a index -> b indices
    taken_b: set[int] = set()
    for i, j in _best_chain(in_order):
        groups_a[i] = [j]
        taken_b.add(j)
    for _, i, j in sorted(moves):
        if i not in groups_a and j not in taken_b:
            groups_a[i] = [j]
            taken_b.add(j)
    # A lone sentence facing a lone sentence between the same anchors (two aligned
    # one-sentence passages, say) is the same sentence rewritten: pair it.
    lone_a_gap: dict[int, list[int]] = defaultdict(list)
    lone_b_gap: dict[int, list[int]] = defaultdict(list)
    for i in free_a:
        if i not in groups_a:
            lone_a_gap[gap_a[i]].append(i)
    for j in free_b:
        if j not in taken_b:
            lone_b_gap[gap_b[j]].append(j)
    for gap, ia in lone_a_gap.items():
        jb = lone_b_gap.get(gap, [])
        if len(ia) == 1 and len(jb) == 1 and _gap_is_free(ia[0], jb[0], groups_a):
            groups_a[ia[0]] = [jb[0]]
            taken_b.add(jb[0])
    # 3. splits (one a → several b) and merges (several a → one b) among neighbours.
    groups: list[tuple[list[int], list[int]]] = [([i], js) for i, js in groups_a.items()]
    owner_a = {i: g for g in groups for i in g[0]}
    owner_b = {j: g for g in groups for j in g[1]}

    def join(k: int, owner: dict, side: int, other: int, grams: dict, shared_of) -> None:
        best: tuple[float, tuple[list[int], list[int]]] | None = None
        for nb in (k - 1, k + 1):
            grp = owner.get(nb)
            if grp is None or len(grp[other]) != 1 or nb not in (grp[side][0], grp[side][-1]):
                continue
            rare = sum(1 for g in grams[k] if df[g] <= common)
            c = shared_of(grp[other][0], k) / max(rare, 1)
            if c >= SPLIT_CONTAINMENT and (best is None or c > best[0]):
                best = (c, grp)
        if best:
            best[1][side].append(k)
            best[1][side].sort()
            owner[k] = best[1]

    for j in free_b:
        if j not in owner_b:
            join(j, owner_b, 1, 0, bg_b, lambda i, j: shared[i].get(j, 0))
    for i in free_a:
        if i not in owner_a:
            join(i, owner_a, 0, 1, bg_a, lambda j, i: shared[i].get(j, 0))
    all_groups = [([i], [j]) for i, j in pair_a.items()] + groups
    # 4. pairs outside the longest in-order chain are moves.
    all_groups.sort(key=lambda g: g[0][0])
    anchored = longest_increasing([g[1][0] for g in all_groups])
    in_a = {i for g in all_groups for i in g[0]}
    in_b = {j for g in all_groups for j in g[1]}
    moved_at_b = {g[1][0]: g for k, g in enumerate(all_groups) if k not in anchored}
    out: list[tuple[tuple[int, ...], tuple[int, ...], bool]] = []
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
        advance(ga[0], gb[0])
        out.append((tuple(ga), tuple(gb), False))
        ia, ib = ga[-1] + 1, gb[-1] + 1
    advance(n, m)
    return out
