"""Sentence pairing: the phased, fast pairing returns what the plain one returns.

``tests/reference_worddiff.py`` is the pairing written plainly (every pair sharing a rare
bigram scored from postings, integer weights). The fast pairing scores pairs either in a
plain loop or through one sparse product over integer bigram codes; these tests check
both return the same rows, in the same order, with the same moves, on the corpus, on
edited copies of it, and on generated texts full of repeats, moves and near-duplicates.
"""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core import worddiff
from policydiff.core.sentences import split_sentences
from reference_worddiff import reference_align_sentences
from revisions import edited_pairs


def _edited(text: str, k: int) -> str:
    """A revision of ``text``: figures changed, sentences moved, dropped and added."""
    digits = "0123456789"
    out = text.translate(str.maketrans(digits, digits[k % 10:] + digits[:k % 10]))
    sents = split_sentences(out)
    if len(sents) > 12:
        sents.insert(len(sents) - 2, sents.pop(3))
        del sents[len(sents) // 2]
        sents.insert(5, "新增：支持建设开源社区，打造3个以上开放平台。")
    return "".join(sents)


def test_sentence_pairing_identical_to_reference(corpus) -> None:
    """Every pair of corpus documents, edited copies, and a long text of repeats."""
    bodies = [doc.body for doc in corpus]
    pool = "\n\n".join(bodies)
    cases = [(a, b) for a in bodies for b in bodies if a is not b]
    cases += [(body, _edited(body, 3)) for body in bodies]
    big = "\n\n".join(_edited(pool, k) for k in range(4))
    cases += [(big, _edited(big, 7)), (pool, big), (big, pool)]
    for a, b in cases:
        sa, sb = split_sentences(a), split_sentences(b)
        assert _both_paths(sa, sb) == reference_align_sentences(sa, sb)


def _both_paths(a: list[str], b: list[str]) -> worddiff.Pairing:
    """The pairing with candidates from postings and from the sparse product; they agree."""
    saved = worddiff._VECTOR_PAIRS
    try:
        worddiff._VECTOR_PAIRS = 10**12
        plain = worddiff.align_sentences(a, b)
        worddiff._VECTOR_PAIRS = 0
        assert worddiff.align_sentences(a, b) == plain
    finally:
        worddiff._VECTOR_PAIRS = saved
    return plain


_POOL = [
    "到2025年，本市人工智能产业规模达到4000亿元。",
    "到2020年，本市人工智能产业规模突破1000亿元。",
    "建设10个左右人工智能开放创新平台；",
    "支持建设人工智能开源社区，打造3个以上开放平台。",
    "加强人才培养，引进海外高层次人才。",
    "加强人才培养和引进，集聚高层次人才。",
    "推进智能网联汽车测试示范区建设",
    "推动临港新片区建设国际数据港！",
    "各区政府要加强组织领导。",
    "（一）总体要求\n",
    "“十四五”期间，算力规模年均增长20%以上。",
    "深化长三角一体化发展，",
    "人工智能",
    "。",
    "\n",
]


@st.composite
def sentence_lists(draw: st.DrawFn) -> tuple[list[str], list[str]]:
    """Two sentence lists from a small pool: repeats, moves, rewrites, splits, merges."""
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    a = [rng.choice(_POOL) for _ in range(draw(st.integers(0, 40)))]
    b = list(a)
    for _ in range(draw(st.integers(0, 12))):
        if not b:
            b.append(rng.choice(_POOL))
            continue
        k = rng.randrange(len(b))
        what = rng.randrange(6)
        if what == 0:  # move
            b.insert(rng.randrange(len(b) + 1), b.pop(k))
        elif what == 1:  # delete
            del b[k]
        elif what == 2:  # insert
            b.insert(k, rng.choice(_POOL))
        elif what == 3:  # rewrite figures or words
            b[k] = b[k].translate(str.maketrans("0123456789", "1234567890")).replace(
                "人工智能", "AI", rng.randrange(2))
        elif what == 4 and len(b[k]) > 6:  # split
            cut = rng.randrange(2, len(b[k]) - 2)
            b[k:k + 1] = [b[k][:cut] + "。", b[k][cut:]]
        elif k + 1 < len(b):  # merge
            b[k:k + 2] = [b[k].rstrip("。；！\n") + "，" + b[k + 1]]
    return a, b


@given(sentence_lists())
@settings(max_examples=300, deadline=None)
def test_pairing_equals_reference_on_generated_texts(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    assert _both_paths(a, b) == reference_align_sentences(a, b)


codes = st.lists(st.integers(0, 30), max_size=120).map(
    lambda xs: "".join(worddiff._code(x * 997) for x in xs))


CODE_PAIRS = edited_pairs(codes, codes.filter(lambda t: len(t) < 8), edits=(0, 6))


@given(CODE_PAIRS)
@settings(max_examples=500, deadline=None)
def test_native_diff_equals_python_dmp(pair: tuple[str, str]) -> None:
    """The C++ diff-match-patch returns the Python port's ops (code points past the BMP too)."""
    a, b = pair
    assert worddiff.diff_codes(a, b) == worddiff._dmp().diff_main(a, b, False)


def _decode(code: int) -> str:
    first, second = code >> 21, code & ((1 << 21) - 1)
    return chr(first) if second == worddiff._NO_SECOND else chr(first) + chr(second)


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=12))
@settings(max_examples=300, deadline=None)
def test_bigram_codes_are_the_bigram_strings(texts: list[str]) -> None:
    """The sparse path's integer codes stand one to one for ``_bigrams``' strings."""
    sent, code = worddiff._bigram_codes(texts)
    got: list[set[str]] = [set() for _ in texts]
    for k, c in zip(sent.tolist(), code.tolist(), strict=True):
        got[k].add(_decode(c))
    assert got == [set(worddiff._bigrams(t)) for t in texts]
    assert len(code) == sum(len(worddiff._bigrams(t)) for t in texts)  # no duplicates


def test_weights_are_integers_summed_exactly() -> None:
    """Weights are fixed-point integers, so a score does not depend on summation order."""
    w = [worddiff.idf_weight(1000, k) for k in (1, 2, 7, 200, 1000)]
    assert all(isinstance(x, int) for x in w)
    assert w == sorted(w, reverse=True) and w[-1] > 0
    assert sum(w) == sum(reversed(w))
