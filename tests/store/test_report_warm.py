"""A warm report never loads jieba: dictionary counts come from the token cache.

The report's key-word section asks how common each word is in general Chinese
(``segment.general_frequency``); those counts are cached beside the cuts, so the
second run of ``policydiff report`` loads no segmenter — and prints the same bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import DictTokenCache, copy_project
from policydiff.core import segment

_RUN = (
    "import json, sys\n"
    "from policydiff.cli import cli\n"
    "try:\n    cli(sys.argv[1:], prog_name='policydiff')\n"
    "except SystemExit:\n    pass\n"
    "sys.stdout.flush()\n"
    "print(json.dumps({'jieba': 'jieba' in sys.modules}), file=sys.stderr)\n"
)


def _report(root: Path) -> tuple[str, bool]:
    run = subprocess.run(
        [sys.executable, "-c", _RUN, "--root", str(root), "report", "--date", "2024-01-01"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "SOURCE_DATE_EPOCH": "1704067200", "POLICYDIFF_TOKEN_CACHE": "1"})
    return run.stdout, json.loads(run.stderr.strip().splitlines()[-1])["jieba"]


def test_warm_report_loads_no_segmenter_and_prints_the_same(tmp_path: Path) -> None:
    copy_project(tmp_path)
    cold, cold_jieba = _report(tmp_path)
    warm, warm_jieba = _report(tmp_path)
    assert cold_jieba and not warm_jieba
    assert warm == cold and "##" in warm




def test_cached_frequencies_equal_the_dictionary_s() -> None:
    words = ["人工智能", "完善", "相关", "算力", "赋能", "专精特新", "的", "x", ""]
    previous = segment.get_cache()
    try:
        segment.set_cache(None)
        segment._dictionary_count.cache_clear()
        direct = [segment.general_frequency(w) for w in words]
        cache = DictTokenCache()
        segment.set_cache(cache)
        segment._dictionary_count.cache_clear()
        first = [segment.general_frequency(w) for w in words]
        assert len(cache.data) == len(words)
        segment._dictionary_count.cache_clear()  # read back from the cache, not the memo
        second = [segment.general_frequency(w) for w in words]
        assert direct == first == second
        assert direct[0] > 0 and direct[1] > 20 and direct[7] == 0
    finally:
        segment.set_cache(previous)
        segment._dictionary_count.cache_clear()
