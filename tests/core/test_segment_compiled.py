"""The compiled segmenter (rjieba) must cut exactly as jieba does, or not be used.

Tokens are stored (alignment anchors, the token cache) and compared across runs, so a
faster segmenter is only acceptable if its cuts are jieba's. These tests compare the two
on every Chinese run of the bundled corpus, the labelled sets and the test documents,
plus mutated and recombined runs (the shapes of the synthetic benchmark corpora), and
check the one figure the construction relies on (jieba's double-counted dictionary line).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path

import pytest

from label_texts import labelled_strings
from policydiff.core import segment

REPO = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(segment._compiled() is None,
                                reason="rjieba missing or not a checked version")


def _runs(corpus) -> list[str]:
    texts = [p.text for doc in corpus for p in doc.paragraphs()] + labelled_strings()
    for path in sorted((REPO / "tests" / "data").rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".yaml", ".json"):
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    runs = [text[s:e] for text in texts for kind, s, e in segment._scan(text)
            if kind == "cjk" and e - s > 1]
    return list(dict.fromkeys(runs))


def _jieba_cuts(runs: list[str]) -> list[list[str]]:
    tokenizer = segment._jieba()
    return [tokenizer.lcut(run, HMM=False) for run in runs]


def test_compiled_cuts_equal_jieba_on_corpus_and_labelled_sets(corpus) -> None:
    runs = _runs(corpus)
    assert len(runs) > 2000 and sum(map(len, runs)) > 20000
    assert segment.cut_runs(runs) == _jieba_cuts(runs)


def test_compiled_cuts_equal_jieba_on_mutated_runs(corpus) -> None:
    """Dropped and replaced characters and joined runs make word boundaries jieba must
    decide on counts alone (no dictionary word spans them): where ties would show."""
    runs = _runs(corpus)
    alphabet = "".join(sorted({c for run in runs for c in run}))
    rng = random.Random(7)
    mutated = []
    for _ in range(3000):
        chars = list(rng.choice(runs) + rng.choice(runs))
        for _ in range(max(1, len(chars) // 10)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        mutated.append("".join(chars))
    mutated += ["〇一二", "㐀㐁人工智能", "鿿鿾发展", "二〇三五年人工智能", "𠀀𠀁"]
    assert segment.cut_runs(mutated) == _jieba_cuts(mutated)


def test_tokens_equal_with_and_without_compiled(corpus, monkeypatch) -> None:
    texts = [p.text for doc in corpus for p in doc.paragraphs()][:300]
    previous = segment.get_cache()
    try:
        segment.set_cache(None)
        fast = [segment.tokenize(t) for t in texts]
        from policydiff.core.quantities import quantity_spans

        assert [list(segment.tokenize_once(t, quantity_spans(t))) for t in texts] == fast
        assert [list(segment.tokenize_once(t)) for t in texts] == fast
        segment._tokenize_cached.cache_clear()
        monkeypatch.setattr(segment, "_compiled", lambda: None)
        assert [segment.tokenize(t) for t in texts] == fast
    finally:
        segment.set_cache(previous)
        segment._tokenize_cached.cache_clear()


def test_dictionary_surplus_is_what_jieba_counts_twice() -> None:
    """jieba adds each dictionary line to its total; jieba-rs each word once."""
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.origin
    counts: dict[str, int] = {}
    total = 0
    for line in (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8").splitlines():
        word, count = line.split()[:2]
        counts[word] = int(count)
        total += int(count)
    key = (segment._dist_version("rjieba"), segment._dist_version("jieba"))
    assert total - sum(counts.values()) == segment._VERIFIED_COMPILED[key]
    assert total + sum(c for _, c, _ in segment._user_words()) == segment._jieba().total


def test_fallback_when_compiled_segmenter_is_missing(monkeypatch) -> None:
    segment._tokenize_cached.cache_clear()
    monkeypatch.setattr(segment, "_compiled", lambda: None)
    try:
        assert segment.token_texts("上海人工智能产业") == ["上海", "人工智能", "产业"]
    finally:
        segment._tokenize_cached.cache_clear()
