"""``policydiff reuse`` past one machine: the same candidates and alignment as a Dask job.

The embedded path (:mod:`policydiff.store.reuse_index`) joins postings in SQLite; this is
the same computation as a map/shuffle/reduce over a Dask bag, so it runs on a laptop in
local mode (tests, CI) and unchanged on a cluster (``dask.distributed``, Kubernetes,
YARN, SLURM via dask-jobqueue) for a national corpus of 10^5–10^6 documents:

1. map: corpus files → ``(fingerprint, doc)`` postings (winnowed, as the index holds);
2. shuffle by fingerprint: document frequency; boilerplate (df ≥ the limit) dropped;
3. emit every document pair sharing a fingerprint; reduce by pair: shared counts;
4. map: align each candidate pair (files read where the task runs — a shared file
   system or object store path).

Optional extra: ``pip install 'policydiff[cluster]'`` (``dask[bag]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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


def _meta(path: str) -> tuple[str, str, int]:
    doc = _load(path)
    return doc.date, doc.id, len(doc.body)


def _postings(path: str, params: ReuseParams) -> list[tuple[int, tuple[str, str, str]]]:
    doc = _load(path)
    fp = fingerprint(doc, params)
    key = (doc.date, doc.id, path)
    return [(int(h), key) for h in fp.index_hashes.tolist()]


def _pairs(group: tuple[int, list], limit: int) -> list[tuple[tuple, tuple]]:
    _, owners = group
    docs = sorted(set(owners))
    if len(docs) < 2 or len(docs) >= limit:
        return []
    return [(docs[i], b) for i in range(len(docs)) for b in docs[i + 1:]]


def _align(pair: tuple[tuple, tuple, int], params: ReuseParams,
           boilerplate: frozenset[int]) -> list[ReusePassage]:
    (_, _, src_path), (_, _, tgt_path), _ = pair
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
    params = params or ReuseParams()
    files = [str(p) for p in paths]
    n_docs = len(files)
    limit = params.boilerplate_limit(n_docs)
    npart = partitions or max(1, min(n_docs, 64))
    kw = {"scheduler": scheduler} if scheduler else {}
    docs = db.from_sequence(files, npartitions=npart)
    postings = docs.map(_postings, params).flatten()
    groups = postings.groupby(lambda hp: hp[0], npartitions=npart).map(
        lambda g: (g[0], [key for _, key in g[1]]))
    groups = groups.persist(**kw)
    boilerplate = frozenset(groups.filter(lambda g: len(set(g[1])) >= limit)
                            .map(lambda g: g[0]).compute(**kw))
    counts = (groups.map(_pairs, limit).flatten()
              .foldby(lambda ab: ab, lambda acc, _: acc + 1, 0,
                      lambda x, y: x + y, 0))
    pairs = [(a, b, n) for (a, b), n in counts.compute(**kw) if n >= params.min_shared]
    cands = sorted(Candidate(b[1], a[1], n) for a, b, n in pairs)
    aligned = db.from_sequence(pairs, npartitions=max(1, min(len(pairs), npart))) \
        if pairs else None
    passages: list[ReusePassage] = []
    if aligned is not None:
        for chunk in aligned.map(_align, params, boilerplate).compute(**kw):
            passages.extend(chunk)
    meta = sorted(docs.map(_meta).compute(**kw))
    passages.sort(key=lambda p: (p.target, p.source, p.target_start))
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
