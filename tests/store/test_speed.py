"""Speed work must not change results: cached tokens, lazy imports, numeral fast path.

No timings are asserted here (they belong in benchmarks/); these tests check that
the shortcuts give exactly what the slow paths give, and that commands do not import
modules they do not use.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from label_texts import labelled_strings
from policydiff.core import segment
from policydiff.core.quantities import _cn_digits, _cn_numeral, parse_number
from policydiff.store.token_cache import SqliteTokenCache, cache_path

REPO = Path(__file__).resolve().parents[2]
HEAVY = ("numpy", "scipy", "cn2an", "textual", "git", "jieba", "rjieba.rjieba")


def _texts(corpus) -> list[str]:
    """Every paragraph and sentence of the bundled corpus, and the labelled quotes."""
    out = [p.text for doc in corpus for p in doc.paragraphs()]
    out += [s.text for doc in corpus for s in doc.sentences()]
    return out + labelled_strings()


def _tokens(texts: list[str]) -> list[list[tuple[str, int, int, str]]]:
    segment._tokenize_cached.cache_clear()
    return [[(t.text, t.start, t.end, t.kind) for t in segment.tokenize(x)] for x in texts]


def test_cached_tokens_are_identical_to_jieba(corpus, tmp_path: Path) -> None:
    texts = _texts(corpus)
    assert len(texts) > 300
    previous = segment.get_cache()
    try:
        segment.set_cache(None)
        plain = _tokens(texts)
        cold = SqliteTokenCache(tmp_path / "tokens.sqlite3")
        segment.set_cache(cold)
        assert _tokens(texts) == plain  # filling the cache
        cold.close()
        warm = SqliteTokenCache(tmp_path / "tokens.sqlite3")
        segment.set_cache(warm)
        assert _tokens(texts) == plain  # read back from disk
        assert warm.hits > 0 and warm.misses == 0  # jieba was not needed
        warm.close()
    finally:
        segment.set_cache(previous)
        segment._tokenize_cached.cache_clear()


def test_corrupt_cache_is_rebuilt(tmp_path: Path) -> None:
    path = tmp_path / "tokens.sqlite3"
    path.write_bytes(b"not a database" * 100)
    previous = segment.get_cache()
    cache = SqliteTokenCache(path)
    try:
        segment.set_cache(cache)
        assert [t.text for t in segment.tokenize("上海人工智能产业规模")]
        cache.close()
        assert path.read_bytes().startswith(b"SQLite format 3")
    finally:
        segment.set_cache(previous)


def _cli_modules(root: Path, *args: str, env: dict[str, str] | None = None) -> dict:
    code = (
        "import json, sys\n"
        "from policydiff.cli import cli\n"
        "try:\n    cli(sys.argv[1:], prog_name='policydiff')\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}), file=sys.stderr)\n"
    )
    import os

    run = subprocess.run([sys.executable, "-c", code, "--root", str(root), *args],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, **(env or {})})
    return json.loads(run.stderr.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [("--help",), ("docs",), ("targets",), ("check",)])
def test_light_commands_import_no_heavy_module(args: tuple[str, ...], tmp_path: Path) -> None:
    copy_project(tmp_path)
    loaded = _cli_modules(tmp_path, *args)
    if args == ("check",):  # check resolves anchors, which may need cuts: jieba on a cold cache
        loaded.pop("jieba"), loaded.pop("rjieba.rjieba")
    assert not any(loaded.values()), loaded


def test_warm_diff_does_not_load_jieba(tmp_path: Path) -> None:
    copy_project(tmp_path)
    args = ("diff", "2017-opinions", "2021-14th-plan", "--format", "json")
    first = _cli_modules(tmp_path, *args)
    assert first["jieba"] or first["rjieba.rjieba"]  # first run cuts and fills the cache
    assert cache_path(tmp_path).exists()
    second = _cli_modules(tmp_path, *args)
    assert not (second["jieba"] or second["rjieba.rjieba"])  # second run: every cut cached


def test_chinese_numerals_match_cn2an() -> None:
    """Every numeral the fast reader accepts (all strings of up to 5 of these
    characters, and cn2an's own spelling of many integers) reads as cn2an reads it."""
    import random

    import cn2an

    checked = 0
    for n in range(1, 6):
        for text in map("".join, itertools.product("零一两三九十百千万亿", repeat=n)):
            fast = _cn_numeral(text)
            if fast is None:
                continue
            assert fast == float(cn2an.cn2an(text.replace("两", "二"), "normal")), text
            checked += 1
    assert checked > 1000
    rng = random.Random(7)
    for value in [*range(0, 3000), *(rng.randrange(10**13) for _ in range(3000))]:
        assert _cn_numeral(cn2an.an2cn(value)) in (None, float(value))
    for n in range(1, 4):  # units alone are refused without asking cn2an, as cn2an refuses them
        for text in map("".join, itertools.product("百千万亿", repeat=n)):
            assert parse_number(text) is None
            with pytest.raises(ValueError):
                cn2an.cn2an(text, "normal")
    for text in map("".join, itertools.product("〇零一二九", repeat=4)):
        assert _cn_digits(text) == float(cn2an.cn2an(text, "smart")), text


def test_tui_paints_before_the_project_is_loaded(tmp_path: Path, monkeypatch) -> None:
    """With background_load the first screen is the loading screen; the themes view follows.

    The load is held until the first screen is seen: with the fast store a real load
    could finish before the test looked (it did, once the C loader landed)."""
    import asyncio
    import threading

    from policydiff.tui import app as app_module
    from policydiff.tui.app import LoadingScreen, PolicydiffApp
    from tui_project import make_project

    root = make_project(tmp_path / "proj")
    seen: list[str] = []
    release = threading.Event()
    real_open = app_module.Workspace.open

    def slow_open(*args, **kwargs):  # the load waits until the test has seen the first paint
        release.wait(10)
        return real_open(*args, **kwargs)

    async def run() -> None:
        app = PolicydiffApp(root, preload_segmenter=False, background_load=True)
        async with app.run_test(size=(120, 40)) as pilot:
            seen.append(type(app.screen).__name__)
            await pilot.press("3")  # a view key while loading is ignored, not a crash
            release.set()
            for _ in range(200):
                if app.workspace is not None and not isinstance(app.screen, LoadingScreen):
                    break
                await pilot.pause(0.05)
            await pilot.pause()
            seen.append(type(app.screen).__name__)
            assert app.workspace is not None and app.workspace.alignments()

    monkeypatch.setattr(app_module.Workspace, "open", slow_open)
    asyncio.run(run())
    assert seen == ["LoadingScreen", "ThemesScreen"]


def test_cache_is_shared_by_concurrent_processes(tmp_path: Path, corpus) -> None:
    """Two processes filling one cache at once both succeed; a third finds every cut."""
    texts = [p.text for doc in corpus for p in doc.paragraphs()]
    halves = [texts[::2], texts[1::2]]
    code = (
        "import json, sys\n"
        "from policydiff.core import segment\n"
        "from policydiff.store.token_cache import SqliteTokenCache\n"
        "cache = SqliteTokenCache(sys.argv[1])\n"
        "segment.set_cache(cache)\n"
        "for t in json.loads(sys.stdin.read()):\n"
        "    segment.tokenize(t)\n"
        "cache.close()\n"
        "print(cache.hits, cache.misses)\n"
    )
    path = tmp_path / "tokens.sqlite3"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for _ in halves]
    for proc, half in zip(procs, halves, strict=True):
        proc.stdin.write(json.dumps(half, ensure_ascii=False))  # type: ignore[union-attr]
        proc.stdin.close()  # type: ignore[union-attr]
    assert all(proc.wait(timeout=120) == 0 for proc in procs)
    for proc in procs:
        proc.stdout.close()  # type: ignore[union-attr]
    third = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                           text=True, check=True, input=json.dumps(texts, ensure_ascii=False))
    hits, misses = map(int, third.stdout.split())
    assert hits > 0 and misses == 0


def test_a_cache_locked_by_another_process_is_never_deleted(tmp_path: Path, monkeypatch) -> None:
    """'database is locked' is not corruption: the other process's cache stays intact."""
    import sqlite3

    from policydiff.store.token_cache import SqliteTokenCache

    path = tmp_path / "tokens.sqlite3"
    first = SqliteTokenCache(path)
    first.put(b"k", b"v")
    first.close()
    real_connect = sqlite3.connect

    def busy(*args, **kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(sqlite3, "connect", busy)
    second = SqliteTokenCache(path, busy_timeout=0.1)
    assert second.get(b"k") is None  # busy: this process goes on without the cache
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert path.exists()
    third = SqliteTokenCache(path)
    assert third.get(b"k") == b"v"
    third.close()
