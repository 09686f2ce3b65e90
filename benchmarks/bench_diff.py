"""Benchmark the wording diff beside ``git diff --no-index --word-diff`` on the same files.

Cases: the full 十四五 plan against an edited copy of itself, two whole documents
against each other, and a 20,000-character pair. Each is timed in the same run as
git (median of several runs; the token cache is cleared before every run, the
segmenter is loaded once, as in a long-lived process). Segmenter start-up and the
end-to-end ``policydiff diff`` command are measured separately, because they are
part of what a user waits for.

    python benchmarks/bench_diff.py            # print a table
    python benchmarks/bench_diff.py --write    # also update "## Wording diff" in RESULTS.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from revisions import edited_copy  # noqa: E402  (shared with the golden diff test)

HEADING = "## Wording diff"
RUNS = 9


def median_time(fn: Callable[[], object], runs: int = RUNS) -> float:
    """Median seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def timed(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def paired_case(a: str, b: str, fa: Path, fb: Path, cache_dir: Path,
                ) -> tuple[float, float, float, float, float, float]:
    """Medians of policydiff (jieba cuts, cached cuts), git word-diff and git char diff,
    run alternately so a machine that slows down mid-run slows all four, and the
    medians of the pairwise ratios of ours to git's char diff."""
    from policydiff.core import segment
    from policydiff.core.worddiff import diff_passages
    from policydiff.store.token_cache import SqliteTokenCache

    git = ["git", "diff", "--no-index", "--word-diff"]
    word = [*git, "--", str(fa), str(fb)]
    char = [*git, "--word-diff-regex=.", "--", str(fa), str(fb)]
    cache = SqliteTokenCache(cache_dir / "tokens.sqlite3")
    previous = segment.get_cache()

    def ours(with_cache: bool) -> float:
        segment.set_cache(cache if with_cache else None)  # also clears the in-process memo
        return timed(lambda: diff_passages(a, b))

    try:
        ours(True)  # fills the cache, as any earlier command on these texts would
        cache.flush()
        samples = [(ours(False), ours(True),
                    timed(lambda: subprocess.run(word, capture_output=True, check=False)),
                    timed(lambda: subprocess.run(char, capture_output=True, check=False)))
                   for _ in range(RUNS)]
    finally:
        segment.set_cache(previous)
        cache.close()
    med = [statistics.median(col) for col in zip(*samples, strict=True)]
    return (*med, statistics.median(s[0] / s[3] for s in samples),
            statistics.median(s[1] / s[3] for s in samples))  # type: ignore[return-value]


def startup_time() -> tuple[float, float]:
    """Seconds to import policydiff.core.segment and to load jieba, in a fresh process."""
    code = (
        "import time; t=time.perf_counter(); from policydiff.core import segment;"
        "t1=time.perf_counter(); segment.load(); t2=time.perf_counter();"
        "print(t1-t, t2-t1)"
    )
    samples = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              check=True).stdout.split() for _ in range(3)]
    return (statistics.median(float(s[0]) for s in samples),
            statistics.median(float(s[1]) for s in samples))


def cli_time(*args: str) -> float:
    exe = shutil.which("policydiff") or "policydiff"
    return median_time(lambda: subprocess.run([exe, "--root", str(ROOT), *args],
                                              capture_output=True, check=True), runs=3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()

    from policydiff.core import segment
    from policydiff.store.corpus import load_corpus

    corpus = load_corpus(ROOT)
    plan = corpus.get("2021-14th-plan").body
    others = [d.body for d in corpus if d.id != "2021-14th-plan"]
    pool = plan + "\n\n" + "\n\n".join(others)
    big = (pool + "\n\n" + pool)[:20000]
    cases = [
        ("十四五 plan vs edited copy", plan, edited_copy(plan)),
        ("2021-14th-plan vs 2017-opinions", plan, corpus.get("2017-opinions").body),
        ("20,000-char pair (edited copy)", big, edited_copy(big)),
    ]
    segment.load()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, a, b in cases:
            fa, fb = Path(tmp, "a.md"), Path(tmp, "b.md")
            fa.write_text(a, encoding="utf-8")
            fb.write_text(b, encoding="utf-8")
            cache_dir = Path(tmp, f"cache{len(rows)}")
            cache_dir.mkdir()
            rows.append((name, len(a), len(b), *paired_case(a, b, fa, fb, cache_dir)))
    imp, load = startup_time()
    cli_sections = cli_time("diff", "2017-opinions:h4", "2021-14th-plan:3.3", "--format", "json")
    cli_help = cli_time("--help")
    one, five, _ = os.getloadavg()

    lines = [
        HEADING,
        "",
        f"`python benchmarks/bench_diff.py --write` on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs shared with "
        f"other jobs (load average {one:.2f} over 1 min, {five:.2f} over 5 min at the end), "
        f"median of {RUNS} runs; the four measures run alternately on the same files and "
        "each ratio is the median of the run-by-run ratios. policydiff time is "
        "`diff_passages` in-process (sentence pairing + word diff + figures), jieba already "
        "loaded; \"jieba cuts\": no token cache, every Chinese run cut by jieba in every run; "
        "\"cached cuts\": the cuts read from a token cache (`.policydiff/tokens.sqlite3`, "
        "filled by one earlier run), as any command after the first; the in-process memo is "
        "cleared before every run either way. git time is the `git diff --no-index --word-diff` "
        "process. `git (char)` adds `--word-diff-regex=.`: Chinese has no spaces, so plain "
        "`--word-diff` compares whole lines.",
        "",
        "| case | chars a | chars b | policydiff (jieba cuts) | policydiff (cached cuts) "
        "| git word-diff | git (char) | ratio jieba / git (char) | ratio cached / git (char) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, la, lb, ours, cached, g, gc, r_ours, r_cached in rows:
        lines.append(f"| {name} | {la} | {lb} | {ours * 1000:.1f} ms | {cached * 1000:.1f} ms | "
                     f"{g * 1000:.1f} ms | {gc * 1000:.1f} ms | {r_ours:.1f}× | "
                     f"{r_cached:.1f}× |")
    lines += [
        "",
        "- Sentence pairing and token diffs run diff-match-patch's algorithm in C++ "
        "(fast-diff-match-patch, same ops as the Python port: a property test compares them); "
        "the pairing scores only the sentence pairs a sparse product finds near a threshold, "
        "and returns exactly what the exhaustive pairing returned "
        "(`tests/core/test_worddiff_pairing.py`).",
        "- Segmenter start-up (fresh process): import `policydiff.core.segment` "
        f"{imp * 1000:.0f} ms, load jieba + policy terms {load * 1000:.0f} ms. "
        "Paths without Chinese text to cut "
        "(identical passages, empty sides, ASCII-only text, `policydiff --help`) never load it.",
        f"- End to end, `policydiff diff 2017-opinions:h4 2021-14th-plan:3.3 --format json`: "
        f"{cli_sections * 1000:.0f} ms (Python start-up, corpus, cuts from the project token "
        "cache, diff: jieba is not loaded); "
        f"`policydiff --help`: {cli_help * 1000:.0f} ms.",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if args.write:
        write_section(report)


def write_section(section: str) -> None:
    """Replace (or append) only the ``## Wording diff`` section of RESULTS.md."""
    from policydiff.store.fsutil import atomic_write_text

    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n\n"
    start = text.find(HEADING + "\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(HEADING))
        text = text[:start] + section + ("\n" + text[end + 1:] if end >= 0 else "")
    atomic_write_text(RESULTS, text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
