"""Results derived from content alone, kept between runs: the figures of each document
and the reuse between documents.

Extracting the figures of the bundled corpus costs ~0.1 s and aligning its reused
passages another ~0.1 s (plus importing numpy) in *every* ``report``, ``targets`` or
``check``, although neither changes unless a document (or the code) does. They are
stored in the ``derived`` table of the project's token cache
(:mod:`policydiff.store.token_cache`: one SQLite file under ``.policydiff/``, ignored by
git, safe under concurrent processes, rebuilt when corrupt) under a key that hashes

* what the result depends on: the document's id, body and metadata (figures), or every
  corpus file's bytes (reuse), plus the metrics, region or parameters used; and
* the code version: the package version and the source of ``policydiff.core`` and of
  the store modules that derive them, so an edited rule never serves an old result.

An entry is therefore never stale, only unused; a missing or unreadable cache just
means computing (and the result is the same either way: tests compare the bytes of a
report built with and without the cache). ``POLICYDIFF_TOKEN_CACHE=0`` turns it off
together with the token cache.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from policydiff.core.corpus import Corpus
    from policydiff.core.document import Document
    from policydiff.core.metrics import MetricSet
    from policydiff.core.reuse import ReuseParams, ReuseResult
    from policydiff.core.targets import Target
    from policydiff.store.token_cache import SqliteTokenCache

FORMAT = "derived-v1"
"""Bumped when what is stored (not the code that computes it) changes shape."""

computed: Counter[str] = Counter()
"""How many results were computed (not read from the cache), by kind: ``targets`` (one
per document) and ``reuse`` (one per corpus). Tests read it to see the cache work."""

_STORE_MODULES = ("derived.py", "reuse_index.py", "target_overrides.py")


@lru_cache(maxsize=1)
def code_version() -> bytes:
    """A hash of the code that derives the cached results (~2 ms: the files are small)."""
    from policydiff import __version__

    package = Path(__file__).resolve().parent.parent
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FORMAT} {__version__}\n".encode())
    files = sorted((package / "core").glob("*.py")) + [package / "store" / name
                                                       for name in _STORE_MODULES]
    for path in files:
        h.update(path.name.encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()


def active_cache() -> SqliteTokenCache | None:
    """The project's cache the command installed (``open_project``, the CLI), if any."""
    from policydiff.core import segment
    from policydiff.store.token_cache import SqliteTokenCache

    cache = segment.get_cache()
    return cache if isinstance(cache, SqliteTokenCache) else None


def _key(kind: str, *parts: str | bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    h.update(kind.encode() + b"\0" + code_version())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


# ---------------------------------------------------------------- figures per document


def document_key(doc: Document, metrics: MetricSet, region: str) -> bytes:
    """What a document's figures depend on: its text and metadata, the metrics, the region."""
    return _key("targets", doc.id, doc.body, repr(doc.meta), repr(metrics), region)


def extract_targets_cached(corpus: Corpus, metrics: MetricSet, docs: Sequence[str] | None = None,
                           region: str = "") -> list[Target]:
    """:func:`policydiff.core.targets.extract_targets`, each document's figures read from
    the cache when its text, metadata, the metrics and the code are unchanged."""
    from policydiff.core.targets import Target, extract_document

    chosen = [corpus.get(d) for d in docs] if docs else corpus.documents()
    cache = active_cache()
    keys = [document_key(d, metrics, region) for d in chosen] if cache is not None else []
    out: list[Target] = []
    new: dict[bytes, bytes] = {}
    for i, doc in enumerate(chosen):
        blob = cache.get_derived(keys[i]) if cache is not None else None
        found: list[Target] | None = None
        if blob is not None:
            try:
                found = [Target(**row) for row in json.loads(blob)]
            except (ValueError, TypeError):
                found = None  # an entry this code cannot read: compute it again
        if found is None:
            computed["targets"] += 1
            found = extract_document(doc, metrics, region)
            if cache is not None:
                new[keys[i]] = json.dumps([_target_row(t) for t in found],
                                          ensure_ascii=False).encode()
        out.extend(found)
    if cache is not None:
        cache.put_derived(new)
    return out


def _target_row(target: Target) -> dict[str, Any]:
    return dict(target.__dict__)  # flat: text, numbers and None only


# ---------------------------------------------------------------- reuse of a corpus


def reuse_key(shas: dict[str, str], params: ReuseParams, target: str | None) -> bytes:
    """What a reuse run depends on: every corpus file (id and SHA-256), the parameters."""
    parts: list[str | bytes] = [repr(params), target or ""]
    for doc_id in sorted(shas):
        parts += [doc_id, shas[doc_id]]
    return _key("reuse", *parts)


def load_reuse(key: bytes) -> ReuseResult | None:
    """The cached reuse result under ``key``, or None."""
    cache = active_cache()
    blob = cache.get_derived(key) if cache is not None else None
    if blob is None:
        return None
    from policydiff.core.reuse import Candidate, ReusePassage, ReuseResult

    try:
        data = json.loads(blob)
        params = _params(data["params"])
        return ReuseResult(list(data["order"]), dict(data["sizes"]),
                           [ReusePassage(**p) for p in data["passages"]],
                           [Candidate(*c) for c in data["candidates"]],
                           int(data["boilerplate"]), params)
    except (ValueError, TypeError, KeyError):
        return None


def store_reuse(key: bytes, result: ReuseResult) -> None:
    """Keep a reuse result for the next run (no-op without a cache)."""
    computed["reuse"] += 1
    cache = active_cache()
    if cache is None:
        return
    data = {"order": result.order, "sizes": result.sizes,
            "passages": [dict(p.__dict__) for p in result.passages],
            "candidates": [[c.target, c.source, c.shared] for c in result.candidates],
            "boilerplate": result.boilerplate, "params": dict(result.params.__dict__)}
    cache.put_derived({key: json.dumps(data, ensure_ascii=False).encode()})


def _params(data: dict[str, Any]) -> ReuseParams:
    from policydiff.core.reuse import ReuseParams

    return ReuseParams(**data)
