"""Changed rows of a passage diff: the shortcuts give what the plain per-row code gives.

``diff_passages`` finds a pair's shared clauses once, diffs the middles without looking
for clauses again, finds figures once per middle (for the segmenter and the figures
alike) and cuts the middles to token texts only. Each shortcut rests on a property of
the texts; these tests check the properties and compare the rows with the plain
per-row code (:func:`_sentence_rows`: ``diff_tokens`` then ``changed_figures`` on the
whole sentences) on generated texts and the corpus.
"""

from __future__ import annotations

import bisect
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core import segment
from policydiff.core.quantities import find_quantities, quantity_spans
from policydiff.core.sentences import split_sentences
from policydiff.core.worddiff import (
    _CLAUSE_ENDS,
    _diff_clauses,
    _middle_figures,
    _sentence_rows,
    _shared_clauses,
    align_sentences,
    changed_figures,
    diff_passages,
    diff_tokens,
    longest_increasing,
)
from revisions import edited_copy, edited_pairs

PIECES = [
    "人工智能", "产业规模", "超过", "达到", "力争", "到", "年", "2020年", "2025年", "1000亿",
    "4000亿元", "12%", "以上", "2-3万人", "3.5", "１２亿元", "十四五", "三千", "万", "亿元",
    "翻一番", "百分之十五", "第", "一是", "1/3", "5G", "AI", "，", "。", "；", "：", "、",
    "！", "？", "\n", " ", "“", "”", "（", "）", "0", "7", ".", "-", "至",
]
texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=30).map("".join),
    st.text(alphabet="人工智能规模0123456789.%亿万元年-至，。；：、\n 第", max_size=60),
)


# a text and an edited copy of it (shared clauses), or two unrelated texts
PAIRS = edited_pairs(texts, st.lists(st.sampled_from(PIECES), max_size=3).map("".join),
                     edits=(1, 4))


def _prefix_len(a: str, b: str) -> int:
    n = min(len(a), len(b))
    return next((k for k in range(n) if a[k] != b[k]), n)


def plain_shared_clauses(a: str, b: str) -> tuple[int, int]:
    """The shared clauses as first written: mark by mark, on reversed copies."""
    p = _prefix_len(a, b)
    head = max(a.rfind(c, 0, p) for c in _CLAUSE_ENDS) + 1
    q = _prefix_len(a[::-1], b[::-1])
    q = min(q, len(a) - head, len(b) - head)
    ends = [k for k in (a.find(c, len(a) - q) for c in _CLAUSE_ENDS) if k >= 0]
    return head, len(a) - min(ends) if ends else 0


@given(PAIRS)
@settings(max_examples=400, deadline=None)
def test_shared_clauses_as_first_written(pair: tuple[str, str]) -> None:
    assert _shared_clauses(*pair) == plain_shared_clauses(*pair)


@given(PAIRS)
@settings(max_examples=300, deadline=None)
def test_middles_share_no_further_clause_and_diff_alike(pair: tuple[str, str]) -> None:
    """The recursion ``diff_tokens`` makes on the middles finds nothing: it can be skipped."""
    a, b = pair
    if not a or not b or a == b:
        return
    head, tail = _shared_clauses(a, b)
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    if ma and mb:
        assert _shared_clauses(ma, mb) == (0, 0)
    assert _diff_clauses(a, b, head, tail) == diff_tokens(a, b)


@st.composite
def cut_texts(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text and a head and tail cut next to clause marks, as a pair's middle is cut."""
    text = draw(texts)
    marks = [k + 1 for k, ch in enumerate(text) if ch in _CLAUSE_ENDS]
    head = draw(st.sampled_from([0, *marks]))
    later = [k for k, ch in enumerate(text) if ch in _CLAUSE_ENDS and k >= head]
    end = draw(st.sampled_from([len(text), *later]))
    return text, head, len(text) - end


@given(cut_texts())
@settings(max_examples=500, deadline=None)
def test_a_middles_quantities_are_the_whole_texts_there(case: tuple[str, int, int]) -> None:
    """No quantity spans a clause mark, and the marks stop the patterns alike.

    All but the qualifier looked up before a figure (超过 before "\n" counts, as ``$``
    matches before a final line end): ``_middle_figures`` takes that from the whole.
    """
    text, head, tail = case
    middle = text[head:len(text) - tail]
    inside = [q for q in find_quantities(text) if head <= q.start < len(text) - tail]
    assert [replace(q, start=q.start + head, end=q.end + head, prefix="")
            for q in find_quantities(middle)] == [replace(q, prefix="") for q in inside]


def test_a_qualifier_before_a_line_end_is_the_whole_texts() -> None:
    a, b = "超过\n2020年", "超过\n2025年"
    assert _middle_figures(a, b, 3, diff_tokens(a, b), find_quantities(a[3:]),
                           find_quantities(b[3:])) == changed_figures(a, b)


@given(PAIRS)
@settings(max_examples=400, deadline=None)
def test_figures_from_the_middles_are_the_changed_figures(pair: tuple[str, str]) -> None:
    a, b = pair
    if not a or not b or a == b:
        return
    head, tail = _shared_clauses(a, b)
    ops = diff_tokens(a, b)
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    assert (_middle_figures(a, b, head, ops, find_quantities(ma), find_quantities(mb))
            == changed_figures(a, b, ops))


@given(texts)
@settings(max_examples=300, deadline=None)
def test_cut_texts_are_the_token_texts(text: str) -> None:
    assert segment.cut_texts(text) == segment.token_texts(text)
    with segment.prefetched_cuts([text], {text: quantity_spans(text)}):
        assert segment.cut_texts(text) == segment.token_texts(text)


def plain_longest_increasing(values: list[int]) -> set[int]:
    """Patience sorting with a bisect for every value (as first written)."""
    tails: list[int] = []
    tail_idx: list[int] = []
    prev = [-1] * len(values)
    for k, v in enumerate(values):
        pos = bisect.bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tail_idx.append(k)
        else:
            tails[pos] = v
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    result: set[int] = set()
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        result.add(k)
        k = prev[k]
    return result


@given(st.lists(st.integers(-5, 40), max_size=60))
@settings(max_examples=500, deadline=None)
def test_longest_increasing_picks_the_same_subsequence(values: list[int]) -> None:
    assert longest_increasing(values) == plain_longest_increasing(values)


def plain_rows(a: str, b: str) -> list:
    """Every pairing's rows by the plain per-row code, from the same pairing."""
    sa, sb = split_sentences(a), split_sentences(b)
    rows = []
    for ia, ib, moved in align_sentences(sa, sb):
        at = "".join(sa[i] for i in ia)
        bt = "".join(sb[j] for j in ib)
        rows.extend(_sentence_rows(ia, ib, at, bt, moved))
    return rows


sentences = st.lists(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12)
                     .map(lambda p: "".join(p) + "。"), min_size=1, max_size=8)


@given(sentences, st.data())
@settings(max_examples=150, deadline=None)
def test_passage_rows_are_the_plain_rows(sents: list[str], data: st.DataObject) -> None:
    """Generated passages and revisions of them (sentences rewritten, moved, dropped)."""
    a = "".join(sents)
    b_sents = list(sents)
    for _ in range(data.draw(st.integers(0, 4))):
        k = data.draw(st.integers(0, len(b_sents) - 1))
        action = data.draw(st.sampled_from(["edit", "move", "drop", "add"]))
        if action == "edit":
            s = b_sents[k]
            i = data.draw(st.integers(0, len(s)))
            b_sents[k] = s[:i] + data.draw(st.sampled_from(PIECES)) + s[i + 1:]
        elif action == "move":
            b_sents.append(b_sents.pop(k))
        elif action == "drop" and len(b_sents) > 1:
            del b_sents[k]
        else:
            b_sents.insert(k, data.draw(sentences)[0])
    b = "".join(b_sents)
    assert diff_passages(a, b).sentences == plain_rows(a, b)


def test_corpus_rows_are_the_plain_rows(corpus) -> None:
    """Every ordered pair of corpus documents, and each against an edited copy."""
    bodies = [doc.body for doc in corpus]
    cases = [(x, y) for x in bodies for y in bodies if x is not y]
    cases += [(x, edited_copy(x)) for x in bodies]
    for a, b in cases:
        assert diff_passages(a, b).sentences == plain_rows(a, b)


@st.composite
def occurrences(draw: st.DrawFn):
    """Rare bigram occurrences of a and b sentences: (sentence, column[, weight])."""
    na, nb, ncols = draw(st.integers(1, 6)), draw(st.integers(1, 6)), draw(st.integers(1, 8))
    a = draw(st.lists(st.tuples(st.integers(0, na - 1), st.integers(0, ncols - 1),
                                st.integers(1, 1 << 30)), max_size=30,
                      unique_by=lambda t: (t[0], t[1])))
    b = draw(st.lists(st.tuples(st.integers(0, nb - 1), st.integers(0, ncols - 1)),
                      max_size=30, unique=True))
    return na, nb, ncols, a, b


@given(occurrences(), st.sampled_from([(1 << 23, 1 << 22), (0, 1 << 22), (1 << 23, 3), (0, 2)]))
@settings(max_examples=300, deadline=None)
def test_shared_weights_sum_every_pairs_weights(case, limits) -> None:
    """The numpy join equals summing by hand, dense or sorted, in one step or many."""
    import numpy as np

    from policydiff.core import worddiff

    na, nb, ncols, a, b = case
    expected: dict[tuple[int, int], int] = {}
    for i, g, w in a:
        for j, h in b:
            if g == h:
                expected[i, j] = expected.get((i, j), 0) + w
    saved = worddiff._DENSE_PAIRS, worddiff._STEP
    worddiff._DENSE_PAIRS, worddiff._STEP = limits
    try:
        def ints(k: int, rows: list) -> np.ndarray:
            return np.array([t[k] for t in rows], dtype=np.int64)

        r, c, s = worddiff._shared_weights(ints(0, a), ints(1, a), ints(2, a).astype(float),
                                           ints(0, b), ints(1, b), na, nb, ncols)
    finally:
        worddiff._DENSE_PAIRS, worddiff._STEP = saved
    got = {(int(i), int(j)): int(x) for i, j, x in zip(r, c, s, strict=True)}
    assert got == expected


def test_the_collector_is_left_as_it_was() -> None:
    """Enabled or not, and objects someone froze stay frozen (the promotion is skipped)."""
    import gc

    a, b = "到2020年，规模超过1000亿。", "到2025年，规模超过4000亿元。"
    was = gc.isenabled()
    try:
        gc.disable()
        diff_passages(a, b)
        assert not gc.isenabled()
        gc.enable()
        diff_passages(a, b)
        assert gc.isenabled() and gc.get_freeze_count() == 0
        gc.freeze()
        frozen = gc.get_freeze_count()
        diff_passages(a, b)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        if not was:
            gc.disable()


def test_a_sentence_rewritten_alike_in_several_places_gets_the_same_rows() -> None:
    """Pairs of texts met again reuse their ops and figures; each row has its own lists."""
    x = "到2020年，人工智能重点产业规模超过1000亿元。"
    y = "推动产业集聚发展。"
    x2 = "到2025年，人工智能重点产业规模超过4000亿元。"
    a, b = (x + y) * 3 + x, (x2 + y) * 3 + "新增一句话。" + x2
    rows = diff_passages(a, b).sentences
    assert rows == plain_rows(a, b)
    changed = [r for r in rows if r.kind == "changed"]
    assert len(changed) >= 3 and changed[0].figures
    assert len({id(r.ops) for r in changed}) == len(changed)
    assert len({id(r.figures) for r in changed}) == len(changed)
