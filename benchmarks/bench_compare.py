"""Benchmark ``compare``: a 200-article law against its revision, beside ``git diff --word-diff``.

The law is built from the sentences of the bundled corpus (real policy prose), 200
articles in 10 chapters, the draft in Traditional script; the revision (Simplified)
renumbers every article after 10 inserted ones, deletes 5, rewrites 30 (words and
figures), moves 3, splits 2 and merges 2. Timed: ``compare_documents`` on the parsed
documents (median of several runs, segmenter loaded once and token cache cleared
before each run, as in a long-lived process), the same with parsing included, and
``git diff --no-index --word-diff`` on the two files in the same run. The goal is < 1 s.

    python benchmarks/bench_compare.py            # print the table
    python benchmarks/bench_compare.py --write    # also update "## Compare" in RESULTS.md
"""

from __future__ import annotations

import argparse
import platform
import random
import re
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
HEADING = "## Compare"
RUNS = 7
ARTICLES = 200


def _sentences() -> list[str]:
    from policydiff.core.sentences import split_sentences
    from policydiff.store.corpus import load_document

    out: list[str] = []
    for path in sorted((ROOT / "corpus").glob("*.md")):
        doc = load_document(path)
        for p in doc.paragraphs():
            for s in split_sentences(p.text):
                s = s.strip()
                if 12 <= len(s) <= 120 and s.endswith(("。", "；")):
                    out.append(s)
    return list(dict.fromkeys(out))


def _law(articles: list[list[str]], captions: list[str], doc_id: str, date: str) -> str:
    import cn2an

    lines = [f"---\nid: {doc_id}\ntitle: 示例条例\ndate: '{date}'\nkind: official\n---\n",
             "# 示例条例\n"]
    per_chapter = max(1, len(articles) // 10)
    for n, (body, caption) in enumerate(zip(articles, captions, strict=True), 1):
        if (n - 1) % per_chapter == 0:
            lines.append(f"## 第{cn2an.an2cn((n - 1) // per_chapter + 1)}章 第{n}部分\n")
        lines.append(f"### 第{cn2an.an2cn(n)}条（{caption}）\n")
        lines.extend(f"{s}\n" for s in body)
    return "\n".join(lines)


def build_pair(seed: int = 7) -> tuple[str, str]:
    """The draft (Traditional) and the revision (Simplified) as corpus files."""
    import opencc

    rng = random.Random(seed)
    pool = _sentences()
    rng.shuffle(pool)
    it = iter(pool * 3)
    arts = [[next(it) for _ in range(rng.randint(1, 3))] for _ in range(ARTICLES)]
    caps = [f"事项{k}" for k in range(ARTICLES)]
    new = [list(a) for a in arts]
    new_caps = list(caps)
    for k in rng.sample(range(ARTICLES), 30):  # rewrites: words and figures
        s = new[k][0]
        s = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), s, count=1)
        new[k][0] = s.replace("推进", "加快推进", 1).replace("支持", "鼓励", 1) + "并定期评估。"
    for k in (20, 60):  # splits
        if len(new[k]) > 1:
            new.insert(k + 1, [new[k].pop()])
            new_caps.insert(k + 1, caps[k] + "之二")
    for k in (100, 140):  # merges
        new[k] = new[k] + new.pop(k + 1)
        new_caps.pop(k + 1)
    for _ in range(5):  # deletions
        k = rng.randrange(len(new))
        new.pop(k)
        new_caps.pop(k)
    for _ in range(3):  # moves
        k = rng.randrange(len(new))
        art, cap = new.pop(k), new_caps.pop(k)
        j = rng.randrange(len(new))
        new.insert(j, art)
        new_caps.insert(j, cap)
    for t in range(10):  # insertions
        j = rng.randrange(len(new))
        new.insert(j, [next(it), f"新增条款{t}，应当遵守本条例。"])
        new_caps.insert(j, f"新增{t}")
    draft = opencc.OpenCC("s2t").convert(_law(arts, caps, "law-draft", "2023-01-01"))
    draft = draft.replace("id: law-draft", "id: law-draft")
    final = _law(new, new_caps, "law-final", "2023-06-01")
    return draft, final


def median_time(fn: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=RUNS)
    ap.add_argument("--write", action="store_true", help="update RESULTS.md")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from policydiff.core import segment
    from policydiff.core.compare import compare_documents
    from policydiff.store.corpus import parse_document

    draft, final = build_pair()
    t = time.perf_counter()
    segment.load()
    jieba_s = time.perf_counter() - t

    def run(parse: bool = False) -> object:
        segment._tokenize_cached.cache_clear()
        return compare_documents(parse_document(draft), parse_document(final))

    da, db = parse_document(draft), parse_document(final)

    def run_parsed() -> object:
        segment._tokenize_cached.cache_clear()
        return compare_documents(da, db)

    result = run_parsed()
    counts = result.summary["counts"]
    med, worst = median_time(run_parsed, args.runs)
    med_p, _ = median_time(run, args.runs)
    rows = [("compare_documents, 200 articles (parsed documents)", med, worst),
            ("same, parsing both documents included", med_p, None)]
    git = shutil.which("git")
    git_med = None
    if git:
        with tempfile.TemporaryDirectory() as tmp:
            a, b = Path(tmp) / "a.md", Path(tmp) / "b.md"
            a.write_text(draft, encoding="utf-8")
            b.write_text(final, encoding="utf-8")
            cmd = [git, "diff", "--no-index", "--word-diff", "--", str(a), str(b)]
            git_med, _ = median_time(lambda: subprocess.run(cmd, capture_output=True,
                                                            check=False), args.runs)
        rows.append(("git diff --no-index --word-diff, same two files", git_med, None))
    lines = [
        f"`python benchmarks/bench_compare.py --runs {args.runs}` on {platform.machine()}, "
        f"CPython {platform.python_version()}: a {ARTICLES}-article law (draft in Traditional "
        f"script, {len(draft):,} characters) against its Simplified revision "
        f"({len(final):,} characters); pairs found: "
        + ", ".join(f"{k} {v}" for k, v in counts.items() if v) + ".",
        "",
        "| measure | median | max |",
        "|---|---:|---:|",
    ]
    for name, m, w in rows:
        worst_cell = "" if w is None else f"{w * 1000:.0f} ms"
        lines.append(f"| {name} | {m * 1000:.0f} ms | {worst_cell} |")
    lines.append("")
    if git_med:
        lines.append(f"- compare / git word diff: {med / git_med:.0f}× (git diffs lines of "
                     "bytes; it sees every article as changed, since the scripts differ).")
    lines.append(f"- Segmenter (jieba) start-up, once per process: {jieba_s:.2f} s.")
    lines.append("- Goal: < 1 s for the 200-article pair: "
                 + ("met." if med < 1.0 else "NOT met."))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        old = RESULTS.read_text(encoding="utf-8")
        block = f"{HEADING}\n\n{text}"
        if HEADING in old:
            start = old.index(HEADING)
            nxt = old.find("\n## ", start + len(HEADING))
            new = old[:start] + block + (old[nxt + 1:] if nxt >= 0 else "")
        else:
            new = old.rstrip("\n") + "\n\n" + block
        RESULTS.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
