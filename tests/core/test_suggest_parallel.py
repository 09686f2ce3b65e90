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
    assert len(cache.data) > 100  # the workers' cuts were handed back to the cache


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
