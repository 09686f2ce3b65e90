"""Time the progress table (every target against its series) as the ledger grows.

A long document (a statistical yearbook, a 10 MB regulation collection) can hold
thousands of figures of one metric in one jurisdiction. ``progress()`` answers each
target's questions (later figures, base, previous target, city's target) from an index
of its series; the reference in the same run is the plain comparison of every pair
(``tests/progress_reference.py``), which gives the same answers (property-tested).

    python benchmarks/bench_progress.py                 # 250 … 2,000 figures, 3 runs each
    python benchmarks/bench_progress.py --sizes 500,4000 --runs 5 --docs 1

Ledgers: ``n`` figures of 企业 (two classes: 领军 / 专精特新), a third baselines, spread
over ``--docs`` documents a year apart (1 = everything in one long document).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from policydiff.core.progress import progress  # noqa: E402
from policydiff.core.targets import Target  # noqa: E402
from progress_reference import reference_progress  # noqa: E402


def ledger(n: int, docs: int) -> tuple[list[Target], dict[str, str]]:
    """``n`` figures of one metric and jurisdiction over ``docs`` documents."""
    rows = []
    for i in range(n):
        item = "领军企业" if i % 2 else "专精特新企业"
        figure = f"{i + 1}家"
        text = f"培育人工智能{item}{figure}；"
        at = text.index(figure) + 40 * i
        doc = f"d{i % docs:03d}"
        rows.append(Target(doc=doc, metric="enterprises", value=i + 1, value_max=None, unit="家",
                           year=2020 + i % 8, qualifier="", kind="baseline" if i % 3 == 0
                           else "target", text=text, section="1", sentence="1/1", figure=figure,
                           start=at, end=at + len(figure), term="企业", jurisdiction="某市",
                           policy=doc))
    return rows, {f"d{k:03d}": str(2000 + k) for k in range(docs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,500,1000,2000")
    parser.add_argument("--docs", type=int, default=30)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"progress() in process, {args.docs} document(s), median of {args.runs} alternated "
          f"runs, load {load:.2f}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
    print("| figures | series index | every pair (reference) | ratio |\n|---:|---:|---:|---:|")
    for n in (int(s) for s in args.sizes.split(",")):
        rows, dates = ledger(n, args.docs)
        times: dict[str, list[float]] = {"index": [], "pairs": []}
        for _ in range(args.runs):
            for name, fn in (("index", progress), ("pairs", reference_progress)):
                began = time.perf_counter()
                fn(rows, dates)
                times[name].append(time.perf_counter() - began)
        a, b = statistics.median(times["index"]), statistics.median(times["pairs"])
        print(f"| {n:,} | {a:.3f} s | {b:.3f} s | {a / b:.2f}× |")


if __name__ == "__main__":
    main()
