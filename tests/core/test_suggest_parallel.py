"""The index built by worker processes is the one a single process builds.

Large corpora are analysed in a process pool (core/suggest.py ``_analyses``); its
results are taken back in order, so the index, hence every suggestion, must not
depend on it. The workers' cuts must reach the installed token cache.
"""

from __future__ import annotations

import numpy as np

from conftest import DictTokenCache
from policydiff.core import segment
from policydiff.core import suggest as sg


def test_parallel_index_equals_sequential(corpus, monkeypatch) -> None:
    items = sg.passages(list(corpus))
    monkeypatch.setattr(sg, "PARALLEL_MIN_PASSAGES", 10**9)
    one = sg.build_index(items)
    monkeypatch.setattr(sg, "PARALLEL_MIN_PASSAGES", 0)
    monkeypatch.setattr(sg, "PARALLEL_CHUNK", 97)
    monkeypatch.setattr(sg, "_workers", lambda: 2)
    previous = segment.get_cache()
    cache = DictTokenCache()
    try:
        segment.set_cache(cache)
        pooled = sg.build_index(items)
    finally:
        segment.set_cache(previous)
    assert pooled.vocabulary == one.vocabulary
    for name in ("data", "indices", "indptr"):
        assert np.array_equal(getattr(pooled.matrix, name), getattr(one.matrix, name))
    assert np.array_equal(pooled.edge_bits, one.edge_bits)
    assert np.array_equal(pooled.edge_offsets, one.edge_offsets)
    assert all(pooled.row_figures(r) == one.row_figures(r) for r in range(len(items)))
    if segment._compiled() is not None:
        # the compiled segmenter cuts faster than the cache reads: not asked, not filled
        assert not cache.data
    else:  # jieba's own: the workers' cuts are handed back to the cache
        assert len(cache.data) > 100


def test_the_index_neither_asks_nor_fills_the_cache_when_the_segmenter_is_compiled(
        corpus, monkeypatch) -> None:
    """At 10,000 documents reading the cached cuts took 2.3x cutting afresh with the
    compiled segmenter, and a cold run stored every cut in SQLite on top: a second
    `policydiff suggest` was slower than the first (102 s against 78 s)."""
    if segment._compiled() is None:
        return  # nothing faster than the cache here
    asked: list[bytes] = []

    class Counting(DictTokenCache):
        def get(self, key: bytes) -> bytes | None:
            asked.append(key)
            return super().get(key)

        def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
            asked.extend(keys)
            return {k: self.data[k] for k in keys if k in self.data}

    monkeypatch.setattr(sg, "PARALLEL_MIN_PASSAGES", 10)  # "large", in this process
    monkeypatch.setattr(sg, "_workers", lambda: 0)
    previous = segment.get_cache()
    cache = Counting()
    try:
        segment.set_cache(cache)
        with_cache = sg.build_index(sg.passages(list(corpus)))
    finally:
        segment.set_cache(previous)
    without = sg.build_index(sg.passages(list(corpus)))
    assert not asked and not cache.data
    assert with_cache.vocabulary == without.vocabulary
    assert np.array_equal(with_cache.edge_bits, without.edge_bits)


def test_a_small_corpus_reads_its_cuts_from_the_cache(corpus, monkeypatch) -> None:
    """Below PARALLEL_MIN_PASSAGES the cache is read: a warm `policydiff suggest` on the
    bundled corpus need not load the segmenter (0.40 s; loading it made it 0.65 s)."""
    monkeypatch.setattr(sg, "PARALLEL_MIN_PASSAGES", 10**9)
    previous = segment.get_cache()
    cache = DictTokenCache()
    try:
        segment.set_cache(cache)
        first = sg.build_index(sg.passages(list(corpus)))
        assert cache.data  # filled on the first pass
        segment.set_cache(cache)  # (drops the in-process memo)
        again = sg.build_index(sg.passages(list(corpus)))
    finally:
        segment.set_cache(previous)
    assert again.vocabulary == first.vocabulary


def test_no_worker_processes_when_the_main_module_cannot_be_read_again():
    """`python - <<EOF` scripts calling suggest hung: each spawned worker re-runs the main
    module, cannot read '<stdin>', dies at start, and the pool replaces it for ever."""
    import subprocess
    import sys

    script = ("import os\nos.getloadavg = lambda: (0.0, 0.0, 0.0)  # an idle machine\n"
              "from policydiff.core.suggest import _workers\nprint(_workers())\n")
    out = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True,
                         check=True, timeout=60)
    assert out.stdout.strip() == "0"


def test_workers_run_when_a_core_is_idle_besides_this_process(monkeypatch) -> None:
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    for idle, expected in [(2.0, 1), (1.6, 1), (1.4, 0), (1.0, 0), (0.2, 0)]:
        monkeypatch.setattr(sg, "_idle_cores", lambda cores, idle=idle: idle)
        assert sg._workers() == expected, idle
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(sg, "_idle_cores", lambda cores: 8.0)
    assert sg._workers() == 0  # one core: nothing to share


def test_idle_cores_is_measured_now_not_averaged_over_the_last_minute(monkeypatch) -> None:
    """The 1-minute load average still counted a `suggest` that had just ended: the
    next one ran without workers. /proc/stat over a fraction of a second does not."""
    import os

    monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # "busy", a minute ago
    idle = sg._idle_cores(2, window=0.05)
    if os.path.exists("/proc/stat"):
        assert 0.0 <= idle <= (os.cpu_count() or 2)
    else:
        assert idle == 2 - 9.0


def test_themes_written_out_in_a_second_thread_give_the_same_suggestions(
        project_copy, monkeypatch) -> None:
    """Large corpora write one theme's suggestions out while the next theme's groups are
    found (core/suggest.py ``suggest``): the same suggestions, in the same order."""
    from policydiff.store.alignments import load_store
    from policydiff.store.corpus import load_corpus

    store = load_store(project_copy)
    corpus = load_corpus(project_copy)
    themes, alignments = store.themes(), store.alignments()

    def run(threshold: int) -> list[dict]:
        monkeypatch.setattr(sg, "PIPELINE_MIN_PASSAGES", threshold)
        return [s.to_dict() for s in sg.suggest(corpus, themes, top=5, alignments=alignments)]

    serial = run(10**9)
    assert len({s["theme"] for s in serial}) > 3
    assert run(0) == serial
