"""``policydiff reuse`` past one machine: the same candidates and alignment as a Dask job.

The embedded path (:mod:`policydiff.store.reuse_index`) joins postings in SQLite; this is
the same computation as a map/shuffle/reduce over a Dask bag, so it runs on a laptop in
local mode (tests, CI) and unchanged on a cluster (``dask.distributed``, Kubernetes,
YARN, SLURM via dask-jobqueue) for a national corpus of 10^5–10^6 documents:

1. map (one task per chunk of files): documents → ``(fingerprint, doc)`` postings
   (winnowed, as the index holds), as numpy arrays split into buckets by hash;
2. shuffle + reduce (one task per bucket): postings of one bucket from every chunk,
   sorted — document frequency, boilerplate (df ≥ the limit) dropped, and the count of
   shared fingerprints of every document pair;
3. merge the pair counts; keep pairs with ``min_shared``;
4. map (a Dask bag over the pairs): align each candidate pair (files read where the
   task runs — a shared file system path).

Optional extra: ``pip install 'policydiff[cluster]'`` (``dask[bag]``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from policydiff.core.errors import InputError
from policydiff.core.reuse import (
    Candidate,
    ReuseParams,
    ReusePassage,
    ReuseResult,
    align_pair,
    fingerprint,
)


def _bag():
    try:
        import dask.bag as db
    except ImportError:
        raise InputError("the distributed path needs Dask: pip install 'policydiff[cluster]'"
                         ) from None
    return db


def _load(path: str):
    from policydiff.store.reuse_index import load_reuse_doc

    return load_reuse_doc(Path(path))


def _fingerprint_chunk(paths: Sequence[str], offset: int, params: ReuseParams,
                      buckets: int) -> tuple[list[tuple[str, str, int, int]], list[np.ndarray]]:
    """Map: documents → their metadata and postings ``(hash, doc number)``, split by bucket.

    Postings travel as numpy arrays, one per bucket (``hash % buckets``): the shuffle moves
    arrays, not millions of Python tuples.
    """
    meta = []
    hs, ds = [], []
    for i, path in enumerate(paths):
        doc = _load(path)
        h = fingerprint(doc, params).index_hashes.astype(np.int64)
        meta.append((doc.date, doc.id, len(doc.body), offset + i))
        hs.append(h)
        ds.append(np.full(h.shape[0], offset + i, dtype=np.int64))
    h = np.concatenate(hs) if hs else np.zeros(0, dtype=np.int64)
    d = np.concatenate(ds) if ds else np.zeros(0, dtype=np.int64)
    which = h % buckets
    return meta, [np.stack([h[which == b], d[which == b]]) for b in range(buckets)]


def _bucket_pairs(pieces: Sequence[np.ndarray], limit: int,
                  ) -> tuple[list[int], dict[tuple[int, int], int]]:
    """Reduce one bucket: boilerplate hashes and shared-fingerprint counts per doc pair."""
    both = np.concatenate(pieces, axis=1) if pieces else np.zeros((2, 0), dtype=np.int64)
    order = np.lexsort((both[1], both[0]))
    h, d = both[0][order], both[1][order]
    if not h.size:
        return [], {}
    bounds = np.flatnonzero(np.diff(h)) + 1
    starts = np.concatenate([[0], bounds])
    ends = np.concatenate([bounds, [h.shape[0]]])
    boiler: list[int] = []
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for s, e in zip(starts[(ends - starts) >= 2].tolist(), ends[(ends - starts) >= 2].tolist(),
                    strict=True):
        docs = sorted(set(d[s:e].tolist()))
        if len(docs) >= limit:
            boiler.append(int(h[s]))
            continue
        for i, a in enumerate(docs):
            for b in docs[i + 1:]:
                counts[(a, b)] += 1
    return boiler, dict(counts)


def _merge(results: Sequence[tuple[list[int], dict]]) -> tuple[list[int], dict]:
    boiler: list[int] = []
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for b, c in results:
        boiler += b
        for k, v in c.items():
            counts[k] += v
    return boiler, dict(counts)


def _align(pair: tuple[str, str], params: ReuseParams,
           boilerplate: frozenset[int]) -> list[ReusePassage]:
    src_path, tgt_path = pair
    src = fingerprint(_load(src_path), params)
    tgt = fingerprint(_load(tgt_path), params)
    return align_pair(src, tgt, params, boilerplate)


def find_reuse_dask(paths: Sequence[str | Path], params: ReuseParams | None = None, *,
                    partitions: int | None = None, scheduler: str | None = None,
                    ) -> ReuseResult:
    """Reuse across corpus files with Dask; same candidates and passages as the index.

    ``scheduler`` is passed to ``compute`` (``"processes"``, ``"threads"``,
    ``"synchronous"``); with a ``dask.distributed.Client`` active, leave it ``None``.
    """
    db = _bag()
    import dask

    params = params or ReuseParams()
    files = [str(p) for p in paths]
    n_docs = len(files)
    limit = params.boilerplate_limit(n_docs)
    npart = max(1, min(n_docs, partitions or 64))
    buckets = npart
    kw = {"scheduler": scheduler} if scheduler else {}
    size = -(-n_docs // npart) if n_docs else 1
    chunks = [dask.delayed(_fingerprint_chunk)(files[k:k + size], k, params, buckets)
              for k in range(0, n_docs, size)]
    metas = [c[0] for c in chunks]
    reduced = [dask.delayed(_bucket_pairs)([c[1][b] for c in chunks], limit)
               for b in range(buckets)]
    meta_lists, (boiler_list, counts) = dask.compute(metas, dask.delayed(_merge)(reduced),
                                                     **kw)
    meta = sorted(m for ms in meta_lists for m in ms)  # (date, id, size, number)
    by_number = {m[3]: m for m in meta}
    rank = {m[3]: i for i, m in enumerate(meta)}
    boilerplate = frozenset(boiler_list)
    pairs = []
    for (a, b), n in counts.items():
        if n < params.min_shared:
            continue
        if rank[a] > rank[b]:
            a, b = b, a
        pairs.append((by_number[b][1], by_number[a][1], n, files[a], files[b]))
    pairs.sort()
    cands = [Candidate(t, s, n) for t, s, n, _, _ in pairs]
    passages: list[ReusePassage] = []
    if pairs:
        bag = db.from_sequence([(sp, tp) for _, _, _, sp, tp in pairs],
                               npartitions=max(1, min(len(pairs), npart)))
        for chunk in bag.map(_align, params, boilerplate).compute(**kw):
            passages.extend(chunk)
    return ReuseResult([m[1] for m in meta], {m[1]: m[2] for m in meta}, passages, cands,
                       len(boilerplate), params)


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m policydiff.store.reuse_dask CORPUS... [--scheduler ADDRESS] -o out.json``."""
    import argparse
    import json

    ap = argparse.ArgumentParser(
        prog="python -m policydiff.store.reuse_dask",
        description="Inherited wording across corpus files, as a Dask job (local or cluster).")
    ap.add_argument("corpus", nargs="+", help="corpus folders or .md files")
    ap.add_argument("--scheduler", default=None,
                    help="address of a dask.distributed scheduler (tcp://host:8786); "
                         "default: local processes")
    ap.add_argument("--partitions", type=int, default=None)
    ap.add_argument("--min-chars", type=int, default=None)
    ap.add_argument("-o", "--output", default="-", help="JSON file (default: stdout)")
    args = ap.parse_args(argv)
    paths: list[Path] = []
    for item in args.corpus:
        p = Path(item)
        paths += sorted(p.glob("*.md")) if p.is_dir() else [p]
    params = ReuseParams()
    if args.min_chars:
        from dataclasses import replace

        params = replace(params, min_chars=args.min_chars)
    if args.scheduler:
        from dask.distributed import Client

        with Client(args.scheduler):
            result = find_reuse_dask(paths, params, partitions=args.partitions)
    else:
        result = find_reuse_dask(paths, params, partitions=args.partitions,
                                 scheduler="processes")
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=1)
    if args.output == "-":
        print(text)
    else:
        from policydiff.store.fsutil import atomic_write_text

        atomic_write_text(args.output, text + "\n")


if __name__ == "__main__":
    main()
