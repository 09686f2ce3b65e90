"""Benchmark ``policydiff reuse`` on synthetic corpora: index build, one-document update,
all-against-all search; time, peak memory, index size, and recall of the planted reuse.

Documents are generated here: 10,000–30,000 characters of random ideographs (Zipf-like
frequencies, punctuation and paragraphs), each opening with the same notice formula (the
boilerplate), and from the eleventh on each copies 0–3 passages of 100–400 characters
from random earlier documents with about 5 % of the characters replaced. Each size runs
in its own process so peak memory is that size's alone.

    python benchmarks/bench_reuse.py --sizes 100,1000,10000
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BOILERPLATE = "现将《实施方案》印发给你们，请结合本地区本部门实际，认真贯彻执行。"
ALPHABET = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]


def generate(folder: Path, n: int, seed: int = 7) -> list[tuple[str, str]]:
    """Write ``n`` corpus files; return the planted (source, target) pairs."""
    rng = np.random.default_rng(seed)
    weights = 1.0 / np.arange(1, len(ALPHABET) + 1) ** 0.8
    weights /= weights.sum()
    alphabet = np.array(ALPHABET)
    header = f"\n\n{BOILERPLATE}\n\n"
    planted: list[tuple[str, str]] = []
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        length = int(rng.integers(10_000, 30_001))
        chars = alphabet[rng.choice(len(ALPHABET), size=length, p=weights)]
        punct = rng.random(length)
        chars[punct < 0.05] = "，"
        chars[(punct >= 0.05) & (punct < 0.08)] = "。"
        text = list("".join(chars))
        for k in range(300, length, 300):
            text[k] = "\n\n"
        body = "".join(text)
        if i >= 10:
            for _ in range(int(rng.integers(0, 4))):
                j = int(rng.integers(0, i))
                text_j = (folder / f"doc-{j:05d}.md").read_text(encoding="utf-8")
                src = text_j[text_j.index(header) + len(header):]  # files, not memory
                size = int(rng.integers(100, 401))
                start = int(rng.integers(0, len(src) - size))
                piece = list(src[start:start + size].replace("\n\n", "。"))
                for k in rng.choice(len(piece), size=len(piece) // 20, replace=False):
                    piece[k] = ALPHABET[int(rng.integers(0, len(ALPHABET)))]
                at = int(rng.integers(0, len(body)))
                body = body[:at] + "\n\n" + "".join(piece) + "\n\n" + body[at:]
                planted.append((f"doc-{j:05d}", f"doc-{i:05d}"))
        date = (dt.date(1990, 1, 1) + dt.timedelta(days=i)).isoformat()
        (folder / f"doc-{i:05d}.md").write_text(
            f"---\nid: doc-{i:05d}\ndate: '{date}'\n---\n\n{BOILERPLATE}\n\n{body}\n",
            encoding="utf-8")
    return sorted(set(planted))


def run_size(n: int) -> dict:
    from policydiff.core.reuse import ReuseParams
    from policydiff.store.project import Project
    from policydiff.store.reuse_index import (
        ReuseIndex,
        _body_start,
        corpus_files,
        file_sha,
        index_loader,
        load_reuse_doc,
        reuse_from_index,
        sync,
    )

    root = Path(tempfile.mkdtemp(prefix=f"bench-reuse-{n}-"))
    try:
        t = time.perf_counter()
        planted = generate(root / "corpus", n + 1)
        extra = root / "corpus" / f"doc-{n:05d}.md"
        held = root / "extra.md"
        shutil.move(extra, held)  # the (n+1)th document is added incrementally below
        gen = time.perf_counter() - t
        project = Project(root)
        params = ReuseParams()
        files = corpus_files(project)
        chars = sum(len(load_reuse_doc(p).body) for p in list(files.values())[:50]) / min(50, n)
        with ReuseIndex.for_project(project, params) as index:
            t = time.perf_counter()
            stats = sync(index, files)
            build = time.perf_counter() - t
            assert stats.added == n
            t = time.perf_counter()
            result = reuse_from_index(index, index_loader(index, files))
            search = time.perf_counter() - t
            shutil.move(held, extra)
            t = time.perf_counter()
            doc = load_reuse_doc(extra)
            index.add(doc, file_sha(extra), body_start=_body_start(extra, doc))
            index.merge()
            add_one = time.perf_counter() - t
            postings = index.db.execute("SELECT COUNT(*) FROM postings").fetchone()[0]
        size = sum(p.stat().st_size for p in (root / ".policydiff").glob("reuse.sqlite*"))
        found = {(p.source, p.target) for p in result.passages}
        wanted = {pair for pair in planted if pair[1] != f"doc-{n:05d}"}
        recall = len(wanted & found) / len(wanted) if wanted else 1.0
        extra_pairs = len(found - set(planted))
        return {
            "docs": n, "avg_chars": round(chars), "generate_s": round(gen, 1),
            "index_build_s": round(build, 1), "add_one_doc_s": round(add_one, 3),
            "all_against_all_s": round(search, 1), "candidates": len(result.candidates),
            "passages": len(result.passages), "planted_pairs": len(wanted),
            "pair_recall": round(recall, 3), "unplanted_pairs": extra_pairs,
            "postings": postings, "index_mb": round(size / 1e6, 1),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }
    finally:
        shutil.rmtree(root, ignore_errors=True)


def run_dask(n: int) -> dict:
    """Throughput of the Dask job in local mode: one core (synchronous), then processes."""
    from policydiff.store.reuse_dask import find_reuse_dask

    root = Path(tempfile.mkdtemp(prefix=f"bench-reuse-dask-{n}-"))
    try:
        generate(root / "corpus", n)
        paths = sorted((root / "corpus").glob("*.md"))
        out: dict = {"docs": n, "avg_chars": 19233}
        for name, scheduler, cores in (("synchronous", "synchronous", 1),
                                       ("processes", "processes", os.cpu_count() or 1)):
            t = time.perf_counter()
            result = find_reuse_dask(paths, scheduler=scheduler, partitions=8)
            took = time.perf_counter() - t
            out[f"{name}_s"] = round(took, 1)
            out[f"{name}_docs_per_core_s"] = round(n / took / cores, 1)
            out["candidates"] = len(result.candidates)
        return out
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,1000")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--dask", type=int, metavar="N",
                    help="measure the Dask job (local mode) on N documents instead")
    args = ap.parse_args()
    if args.dask:
        print(json.dumps(run_dask(args.dask)))
        return
    if args.one:
        print(json.dumps(run_size(args.one)))
        return
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], check=True,
                             capture_output=True, text=True, env=os.environ)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
