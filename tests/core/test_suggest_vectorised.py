"""The whole-array scoring of suggest equals the per-passage scoring it replaced.

At 10,000 documents the themes' scoring, grouping and evidence were many small Python
steps per passage (benchmarks/RESULTS.md, branch suggestfast). They are now array
operations over all passages at once; these tests keep the simple per-passage versions
as references and require the same numbers — exactly, not approximately, since a
changed last digit can reorder a tie and so change a suggestion — on the bundled
corpus and on generated passages (small alphabets, so that terms overlap, touch
passage ends and straddle token edges).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff.store.alignments as store_mod
from policydiff.core import suggest as sug
from policydiff.core.alignment import Theme
from policydiff.core.quantities import find_quantities
from policydiff.core.relevance import ROLE_FACTOR, term_matches


@pytest.fixture(scope="module")
def themes(project):
    return store_mod.load_store(project).themes()


@pytest.fixture(scope="module")
def index(corpus):
    return sug.build_index(sug.passages(corpus.documents()))


# --- references: the per-passage code these arrays replaced -----------------------


def reference_theme_scores(index: sug.PassageIndex, theme: Theme,
                           examples: sug.ThemeExamples | None = None):
    """Score and evidence terms passage by passage (the code before branch suggestfast)."""
    n = len(index)
    matched: dict[int, Counter[str]] = {}
    terms_part = np.zeros(n)
    for row, passage in enumerate(index.passages):
        found = term_matches(passage.text, theme.terms, index.edges(row))
        if found:
            matched[row] = Counter(found)
    if matched:
        df = Counter(term for counts in matched.values() for term in counts)
        lengths = np.array([len(p.text) for p in index.passages], dtype=np.float64)
        avg = float(lengths.mean()) or 1.0
        for row, counts in matched.items():
            norm = sug.BM25_K1 * (1 - sug.BM25_B + sug.BM25_B * lengths[row] / avg)
            total = 0.0
            for term, tf in counts.items():
                idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
                total += idf * tf * (sug.BM25_K1 + 1) / (tf + norm)
            terms_part[row] = total
        positive = terms_part[terms_part > 0]
        median = sug._median(positive) if len(positive) else 1.0
        terms_part = terms_part / (terms_part + median)
    profile_part, profile = sug._profile_part(index, theme, examples or sug.ThemeExamples())
    roles = np.array([ROLE_FACTOR.get(p.role, 1.0) for p in index.passages])
    score = (0.4 * terms_part + 0.6 * profile_part) * roles
    score[score < sug.MIN_RELEVANCE] = 0.0
    for row in np.flatnonzero(score > 0).tolist():
        if row not in matched:
            matched[row] = sug._profile_terms(index, row, profile)
    return score, {r: c for r, c in matched.items() if score[r] > 0}


def reference_shared_terms(index: sug.PassageIndex, rows: list[int]) -> list[dict]:
    shared: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for token in index.row_terms(row):
            if not token.startswith("⟨"):
                shared[token].add(index.passages[row].doc)
    weight = {t: float(index.idf[index.vocabulary[t]]) for t in shared}
    ranked = sorted(((t, d) for t, d in shared.items() if len(d) >= 2 and weight[t] > 0),
                    key=lambda kv: (-len(kv[1]) * weight[kv[0]], kv[0]))
    return [{"term": t, "docs": len(d)} for t, d in ranked[:sug.EVIDENCE_LIMIT]]


def assert_same_scores(index, theme, examples=None) -> None:
    got = sug.theme_scores(index, theme, examples)
    score, matched = reference_theme_scores(index, theme, examples)
    assert np.array_equal(got.score, score)  # the same floats, not just close ones
    assert sorted(got.matched) == sorted(matched)
    for row, counts in matched.items():  # same terms, same order (the evidence lists them)
        assert list(got.matched[row].items()) == list(counts.items())
        assert got.matched[row].most_common() == counts.most_common()
    assert got.matched.get(-1) is None
    zero = np.flatnonzero(score == 0)
    if len(zero):
        assert int(zero[0]) not in got.matched


# --- the bundled corpus -----------------------------------------------------------


def test_theme_scores_equal_the_per_passage_scores_on_the_corpus(index, themes) -> None:
    for theme in themes:
        assert_same_scores(index, theme)


def test_theme_scores_with_examples_equal_the_reference(project, corpus, index, themes) -> None:
    alignments = store_mod.load_store(project).alignments()
    examples = sug.theme_examples(alignments, corpus)
    assert examples  # the bundled store has accepted alignments
    for theme in themes:
        assert_same_scores(index, theme, examples.get(theme.id))


def test_term_hits_equal_the_per_passage_search(index, themes) -> None:
    terms = [t for theme in themes for t in sug.seed_terms(theme.terms)]
    terms += ["人工", "智能", "发展", "2025年"]  # parts of words and a date
    hits = index.term_hits(terms)
    for term in terms:
        rows, counts = hits[term]
        ref_rows, ref_counts = index._hits_by_passage(term)
        assert np.array_equal(rows, ref_rows), term
        assert np.array_equal(counts, ref_counts), term


def test_shared_terms_equal_the_reference(index) -> None:
    rng = np.random.default_rng(7)
    for size in (2, 5, 12, 40, len(index)):
        rows = sorted(rng.choice(len(index), size=min(size, len(index)), replace=False).tolist())
        assert sug._shared_terms(index, rows) == reference_shared_terms(index, rows)
    assert sug._shared_terms(index, []) == []


def test_figures_kept_while_indexing_equal_finding_them_again(index) -> None:
    assert index.figures is not None
    for row, passage in enumerate(index.passages):
        expect = [(q.text, q.value, q.unit) for q in find_quantities(passage.text) if q.unit]
        assert index.row_figures(row) == expect


def test_an_index_without_edge_bits_or_figures_scores_alike(corpus, themes) -> None:
    """The per-passage fallbacks (an index made by hand, without the bulk arrays)."""
    items = sug.passages(corpus.documents())
    full = sug.build_index(items)
    bare = sug.build_index(items)
    bare.edge_bits = bare.edge_offsets = bare.figures = None
    for theme in themes[:4]:
        a, b = sug.theme_scores(full, theme), sug.theme_scores(bare, theme)
        assert np.array_equal(a.score, b.score)
    assert all(full.row_figures(r) == bare.row_figures(r) for r in range(len(items)))


# --- generated passages -------------------------------------------------------------

#: Words that overlap (哈哈 in 哈哈哈), that are parts of others (人工 in 人工智能) and a unit.
WORDS = ["人工智能", "人工", "智能", "哈哈", "哈", "产业", "发展", "目标", "人才", "高地",
         "人才高地", "亿元", "到", "年", "，", "。", "2025", "10"]
TERMS = ["人工智能", "人工", "智能", "哈哈", "人才高地", "产业发展", "到2025年", "高地",
         "哈哈哈", "。人", "目标"]


def _index_of(texts: list[str]) -> sug.PassageIndex:
    items = []
    for k, text in enumerate(texts):
        items.append(sug.Passage(f"d{k % 3}", "s1", f"p{k}", 0, len(text), text,
                                 ((0, len(text)),)))
    items.sort(key=lambda p: p.doc)
    return sug.build_index(items)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map("".join),
                min_size=2, max_size=9),
       st.lists(st.sampled_from(TERMS), min_size=1, max_size=6))
def test_generated_passages_score_alike(texts, terms) -> None:
    index = _index_of(texts)
    theme = Theme(id="t", name_zh="测试", name_en="Test", description="人工智能产业发展目标",
                  terms=terms)
    assert_same_scores(index, theme)
    for term in terms:
        got = index.term_hits([term])[term]
        ref = index._hits_by_passage(term)
        assert np.array_equal(got[0], ref[0]) and np.array_equal(got[1], ref[1])
    rows = list(range(len(index)))
    assert sug._shared_terms(index, rows) == reference_shared_terms(index, rows)


# --- the index's tokens ------------------------------------------------------------


def _token_texts_reference(text: str) -> tuple[list[str], list[str]]:
    from policydiff.core.segment import tokenize_once

    tokens = tokenize_once(text)
    return ([t.text for t in tokens],
            [t.text for t in tokens if t.kind in ("word", "number")])


def test_token_texts_equal_the_tokens_on_the_corpus(index) -> None:
    from policydiff.core.segment import token_texts_once

    for passage in index.passages:
        assert token_texts_once(passage.text) == _token_texts_reference(passage.text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*WORDS, " ", "  ", "——", "AI", "5G", "3.5%", "２０", "〇",
                                 "㐀", "_", "x-y", "（一）", "…"]), max_size=20).map("".join))
def test_token_texts_equal_the_tokens_on_generated_text(text) -> None:
    from conftest import DictTokenCache
    from policydiff.core import segment
    from policydiff.core.segment import token_texts_once

    previous = segment.get_cache()
    try:
        for cache in (None, DictTokenCache()):  # cut directly, and through a cache
            segment.set_cache(cache)
            assert token_texts_once(text) == _token_texts_reference(text)
            assert token_texts_once(text) == _token_texts_reference(text)  # cache hits
            assert token_texts_once(text, cache=False) == _token_texts_reference(text)
    finally:
        segment.set_cache(previous)
    edges = [0]
    for piece in token_texts_once(text)[0]:
        edges.append(edges[-1] + len(piece))
    assert edges[-1] == len(text)
