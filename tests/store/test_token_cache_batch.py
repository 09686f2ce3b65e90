"""Batched token-cache reads: one query for all the runs of a text, same cuts as one by one."""

from __future__ import annotations

from pathlib import Path

from policydiff.core import segment
from policydiff.store.token_cache import SqliteTokenCache


def test_get_many_returns_hits_only_pending_included(tmp_path: Path) -> None:
    cache = SqliteTokenCache(tmp_path / "tokens.sqlite3")
    cache.put(b"a" * 16, b"\x01\x00")
    cache.flush()
    cache.put(b"b" * 16, b"\x02\x00")  # still buffered
    keys = [b"a" * 16, b"b" * 16, b"c" * 16] + [k.to_bytes(16, "big") for k in range(1200)]
    found = cache.get_many(keys)
    assert found == {b"a" * 16: b"\x01\x00", b"b" * 16: b"\x02\x00"}
    cache.close()


def test_batched_and_single_reads_give_the_same_tokens(corpus, tmp_path: Path) -> None:
    texts = [doc.body for doc in corpus] + [p.text for doc in corpus for p in doc.paragraphs()]
    previous = segment.get_cache()
    try:
        segment.set_cache(None)
        plain = [segment.tokenize(t) for t in texts]
        fill = SqliteTokenCache(tmp_path / "tokens.sqlite3")
        segment.set_cache(fill)
        [segment.tokenize(t) for t in texts]
        fill.close()

        class OneByOne(SqliteTokenCache):
            get_many = None  # type: ignore[assignment]

        for cache in (SqliteTokenCache(tmp_path / "tokens.sqlite3"),
                      OneByOne(tmp_path / "tokens.sqlite3")):
            segment.set_cache(cache)
            assert [segment.tokenize(t) for t in texts] == plain
            assert cache.hits > 0 and cache.misses == 0
            cache.close()
    finally:
        segment.set_cache(previous)
        segment._tokenize_cached.cache_clear()


def test_read_ahead_gives_the_same_diff_and_keeps_nothing(corpus, tmp_path: Path) -> None:
    """A passage diff reads its sentences' cuts ahead; the ops are those of a plain run."""
    from policydiff.core.worddiff import diff_passages

    a, b = corpus.get("2017-opinions").body, corpus.get("2021-14th-plan").body
    previous = segment.get_cache()
    try:
        segment.set_cache(None)
        segment._tokenize_cached.cache_clear()
        plain = diff_passages(a, b).to_dict()
        cache = SqliteTokenCache(tmp_path / "tokens.sqlite3")
        segment.set_cache(cache)
        segment._tokenize_cached.cache_clear()
        assert diff_passages(a, b).to_dict() == plain  # fills the cache
        cache.close()
        cache = SqliteTokenCache(tmp_path / "tokens.sqlite3")
        segment.set_cache(cache)
        segment._tokenize_cached.cache_clear()
        assert diff_passages(a, b).to_dict() == plain  # cuts read ahead
        assert cache.hits > 0 and cache.misses == 0
        assert segment._prefetched == {}
        cache.close()
    finally:
        segment.set_cache(previous)
        segment._tokenize_cached.cache_clear()
