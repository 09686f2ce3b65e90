"""Results derived from content alone, kept between runs: the figures of each document,
the reuse between documents, and the report's comparisons of passages and terms.

Extracting the figures of the bundled corpus costs ~0.1 s, aligning its reused passages
another ~0.1 s (plus importing numpy), and the word diffs and term counts of a report
~0.15 s, in *every* ``report``, ``targets`` or ``check``, although none of them changes
unless a document (or the code) does. They are
stored in the ``derived`` table of the project's token cache
(:mod:`policydiff.store.token_cache`: one SQLite file under ``.policydiff/``, ignored by
git, safe under concurrent processes, rebuilt when corrupt) under a key that hashes

* what the result depends on: the document's id, body and metadata (figures), every
  corpus file's bytes (reuse), the passages and their jurisdictions (comparisons), the
  texts (terms), plus the metrics, region or parameters used; and
* the code version: the package version and the source of ``policydiff.core`` and of
  the store modules that derive them, so an edited rule never serves an old result.

An entry is therefore never stale, only unused (the entries of another code version are
dropped when a process first uses the cache); a missing or unreadable cache just
means computing (and the result is the same either way: tests compare the bytes of a
report built with and without the cache). ``POLICYDIFF_TOKEN_CACHE=0`` turns it off
together with the token cache.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

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

T = TypeVar("T")

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
    if not isinstance(cache, SqliteTokenCache):
        return None
    if id(cache) not in _versioned:
        _versioned.add(id(cache))
        cache.derived_version(code_version())
    return cache


_versioned: set[int] = set()
"""Caches whose entries of other code versions were dropped in this process."""


def _key(kind: str, *parts: str | bytes) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    h.update(kind.encode() + b"\0" + code_version())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little") + data)
    return h.digest()


def cached_json(kind: str, parts: Sequence[str | bytes], compute: Callable[[], T],
                dump: Callable[[T], Any], load: Callable[[Any], T]) -> T:
    """``compute()``, or its result from the cache under ``kind`` and ``parts``.

    ``parts`` must name everything the result depends on besides the code; ``dump``
    turns the result into JSON data and ``load`` back (an entry ``load`` cannot read is
    computed again).
    """
    cache = active_cache()
    key = _key(kind, *parts) if cache is not None else b""
    if cache is not None:
        blob = cache.get_derived(key)
        if blob is not None:
            try:
                return load(json.loads(blob))
            except (ValueError, TypeError, KeyError, IndexError):
                pass
    computed[kind] += 1
    value = compute()
    if cache is not None:
        cache.put_derived({key: json.dumps(dump(value), ensure_ascii=False).encode()})
    return value


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


# ---------------------------------------------------------------- comparisons of passages


def compare_passages_cached(passages: Sequence[Any], place: Callable[[str], str],
                            level: Callable[[str], int]) -> list[Any]:
    """:func:`policydiff.core.summary.compare_passages`, kept between runs.

    The comparisons of an alignment depend on its passages (as resolved now: document,
    date, text, status) and on the jurisdiction and level of their documents; the word
    diffs inside cost most of a report's own work.
    """
    from policydiff.core.summary import Comparison, compare_passages

    docs = list(dict.fromkeys(p.doc for p in passages))
    parts = [repr(p) for p in passages] + [f"{d}\0{place(d)}\0{level(d)}" for d in docs]

    def index(p: Any) -> int:
        return next(i for i, q in enumerate(passages) if q is p)

    def dump(rows: list[Comparison]) -> list[dict[str, Any]]:
        return [{"kind": c.kind, "a": index(c.a), "b": index(c.b),
                 "diff": None if c.diff is None else _dump_diff(c.diff),
                 "added": c.added, "dropped": c.dropped, "figures_a": c.figures_a,
                 "figures_b": c.figures_b, "shares": c.shares,
                 "strength": [list(s) for s in c.strength],
                 "jurisdictions": list(c.jurisdictions)} for c in rows]

    def load(data: list[dict[str, Any]]) -> list[Comparison]:
        return [Comparison(
            str(c["kind"]), passages[c["a"]], passages[c["b"]],
            None if c["diff"] is None else _load_diff(c["diff"]),
            added=list(c["added"]), dropped=list(c["dropped"]),
            figures_a=list(c["figures_a"]), figures_b=list(c["figures_b"]),
            shares=list(c["shares"]), strength=[(str(x), str(y)) for x, y in c["strength"]],
            jurisdictions=(str(c["jurisdictions"][0]), str(c["jurisdictions"][1])))
            for c in data]

    return cached_json("compare", parts, lambda: compare_passages(passages, place, level),
                       dump, load)


def _dump_diff(diff: Any) -> dict[str, Any]:
    def quantity(q: Any) -> dict[str, Any] | None:
        return None if q is None else dict(q.__dict__)

    return {"a": diff.a, "b": diff.b, "ops": [list(op) for op in diff.ops],
            "sentences": [{"kind": s.kind, "a": list(s.a), "b": list(s.b), "a_text": s.a_text,
                           "b_text": s.b_text, "ops": [list(op) for op in s.ops],
                           "moved": s.moved,
                           "figures": [[quantity(f.a), quantity(f.b), f.context_a, f.context_b]
                                       for f in s.figures]}
                          for s in diff.sentences]}


def _load_diff(data: dict[str, Any]) -> Any:
    from policydiff.core.quantities import Quantity
    from policydiff.core.worddiff import FigureChange, PassageDiff, SentencePair

    def quantity(q: dict[str, Any] | None) -> Quantity | None:
        return None if q is None else Quantity(**q)

    return PassageDiff(
        data["a"], data["b"], [(int(op), str(t)) for op, t in data["ops"]],
        [SentencePair(s["kind"], tuple(s["a"]), tuple(s["b"]), s["a_text"], s["b_text"],
                      [(int(op), str(t)) for op, t in s["ops"]], bool(s["moved"]),
                      [FigureChange(quantity(a), quantity(b), ca, cb)
                       for a, b, ca, cb in s["figures"]])
         for s in data["sentences"]])
