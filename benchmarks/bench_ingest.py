"""Ingest accuracy on the labelled evaluation set (tests/data/ingest), in- and out-of-sample.

Run: ``python benchmarks/bench_ingest.py [--misses]``. Prints the table of docs/ingest.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from ingest_scoring import FIELDS, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    args = parser.parse_args()
    scores = {split: score(split) for split in ("in", "out")}
    print("| measure | in-sample | out-of-sample |")
    print("|---|---|---|")
    print(f"| files | {scores['in'].files} | {scores['out'].files} |")
    for key in FIELDS:
        cells = [f"{s.fields[key]}/{s.files} ({s.rate(key):.0%})" for s in scores.values()]
        print(f"| {key} | {cells[0]} | {cells[1]} |")
    cells = [f"{s.outline_exact}/{s.files} ({s.outline_rate:.0%})" for s in scores.values()]
    print(f"| outline exactly right | {cells[0]} | {cells[1]} |")
    cells = [f"{s.jaccard:.2f}" for s in scores.values()]
    print(f"| outline section ids, mean Jaccard | {cells[0]} | {cells[1]} |")
    if args.misses:
        for split, s in scores.items():
            for miss in s.misses:
                print(f"{split}: {miss}")


if __name__ == "__main__":
    main()
