"""The on-disk fingerprint index behind ``policydiff reuse``, kept up to date incrementally.

One SQLite file, ``.policydiff/reuse.sqlite`` in the project (git-ignored: it is a cache,
rebuilt from ``corpus/`` whenever it is missing or stale). Tables:

* ``docs``: one row per indexed document — id, date, body length, the SHA-256 of its
  corpus file (the staleness key) and its winnowed fingerprints as a blob (to delete
  its postings when it changes, and to look up one document's candidates).
* ``postings``: ``(hash, doc)``, clustered by hash (``WITHOUT ROWID``), so document
  frequencies and the all-against-all self-join are sequential scans in SQLite's C code
  and Python never holds the corpus's postings in memory.
* ``pending``: postings of documents added since the last search, appended in arrival
  order (cheap), merged into ``postings`` in hash order before the next query — one
  sorted bulk insert instead of millions of random b-tree inserts (an LSM-style merge).

Adding a document touches only its own rows (:func:`document_written` is the hook
``policydiff ingest`` calls after writing a corpus file); :func:`sync` compares every
corpus file's hash with the index and re-indexes only what changed, so ``reuse`` on a
large corpus after one ingest costs one document, not a rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from policydiff.core.errors import InputError, PolicydiffError
from policydiff.core.reuse import (
    Candidate,
    Fingerprint,
    ReuseDoc,
    ReuseParams,
    ReuseResult,
    align_candidates,
    fingerprint,
)
from policydiff.store.project import Project

SCHEMA_VERSION = 2
"""Bumped whenever the tables change: an index of another version is rebuilt."""
CACHE_DIR = ".policydiff"
INDEX_FILE = "reuse.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    doc INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, sha TEXT NOT NULL,
    date TEXT NOT NULL, size INTEGER NOT NULL, body_start INTEGER NOT NULL,
    sections TEXT NOT NULL, hashes BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    h INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (h, doc)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS pending (h INTEGER NOT NULL, doc INTEGER NOT NULL);
"""


def index_path(project: Project) -> Path:
    return project.root / CACHE_DIR / INDEX_FILE


def file_sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_reuse_doc(path: Path) -> ReuseDoc:
    """A corpus file as reuse sees it (id, date, body, section starts)."""
    from policydiff.store.corpus import load_document

    return ReuseDoc.from_document(load_document(path))


def _body_start(path: Path, doc: ReuseDoc) -> int:
    text = path.read_text(encoding="utf-8")
    if not text.endswith(doc.body):
        raise InputError("cannot locate the document body", path=str(path))
    return len(text) - len(doc.body)


@dataclass
class SyncStats:
    added: int = 0
    updated: int = 0
    removed: int = 0
    kept: int = 0

    def __str__(self) -> str:
        return (f"{self.added} added, {self.updated} updated, {self.removed} removed, "
                f"{self.kept} unchanged")


class ReuseIndex:
    """The fingerprint index of one project (or of any folder, for benchmarks)."""

    def __init__(self, path: Path, params: ReuseParams | None = None):
        self.path = Path(path)
        self.params = params or ReuseParams()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if not ignore.exists():
            with contextlib.suppress(OSError):
                ignore.write_text("*\n", encoding="utf-8")
        try:
            self.db = sqlite3.connect(self.path, timeout=30)
            # free pages (the pending table after a merge) go back to the file system;
            # takes effect when the file is created
            self.db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA cache_size=-65536")  # 64 MB page cache, whatever the corpus
            self.db.execute("CREATE TABLE IF NOT EXISTS meta "
                            "(key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            key = f"{SCHEMA_VERSION}:{self.params.index_key()}"
            row = self.db.execute("SELECT value FROM meta WHERE key='params'").fetchone()
            if row is None or row[0] != key:  # another layout or other shingles: start over
                with self.db:
                    for table in ("docs", "postings", "pending"):
                        self.db.execute(f"DROP TABLE IF EXISTS {table}")
                self.db.executescript(_SCHEMA)
                with self.db:
                    self.db.execute("INSERT OR REPLACE INTO meta VALUES ('params', ?)", (key,))
        except sqlite3.DatabaseError as exc:
            raise InputError(f"reuse index is unreadable ({exc}); delete it to rebuild",
                             path=str(self.path)) from None

    @classmethod
    def for_project(cls, project: Project, params: ReuseParams | None = None) -> ReuseIndex:
        return cls(index_path(project), params)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ReuseIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- writing

    def add(self, doc: ReuseDoc, sha: str, fp: Fingerprint | None = None, *,
            body_start: int = 0, commit: bool = True) -> None:
        """Index (or re-index) one document; only its own rows change.

        Its postings wait in ``pending`` until the next query merges them. With
        ``commit=False`` the caller commits (:func:`sync` batches many documents).
        """
        import numpy as np

        fp = fp or fingerprint(doc, self.params)
        hashes = fp.index_hashes.astype(np.int64)
        sections = json.dumps([[sid, start] for sid, start in doc.sections],
                              ensure_ascii=False)
        self._delete(doc.id)
        cur = self.db.execute(
            "INSERT INTO docs (id, sha, date, size, body_start, sections, hashes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (doc.id, sha, doc.date, len(doc.body), body_start, sections, hashes.tobytes()))
        key = cur.lastrowid
        self.db.executemany("INSERT INTO pending VALUES (?, ?)",
                            ((h, key) for h in hashes.tolist()))
        if commit:
            self.db.commit()

    def remove(self, doc_id: str) -> None:
        with self.db:
            self._delete(doc_id)

    def _delete(self, doc_id: str) -> None:
        row = self.db.execute("SELECT doc, hashes FROM docs WHERE id=?", (doc_id,)).fetchone()
        if row is None:
            return
        import numpy as np

        key, blob = row
        old = np.frombuffer(blob, dtype=np.int64).tolist()
        self.db.executemany("DELETE FROM postings WHERE h=? AND doc=?", ((h, key) for h in old))
        self.db.execute("DELETE FROM pending WHERE doc=?", (key,))
        self.db.execute("DELETE FROM docs WHERE doc=?", (key,))

    def merge(self) -> None:
        """Move pending postings into the hash-ordered table, sorted (one bulk insert)."""
        if self.db.execute("SELECT 1 FROM pending LIMIT 1").fetchone() is None:
            return
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO postings SELECT h, doc FROM pending "
                            "ORDER BY h, doc")
            self.db.execute("DELETE FROM pending")
        self.db.executescript("PRAGMA incremental_vacuum;")  # run to completion (execute: 1 page)
        self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def stored(self, doc_id: str) -> tuple[str, int, tuple[tuple[str, int], ...]] | None:
        """Date, body offset in its file and section starts of an indexed document."""
        row = self.db.execute("SELECT date, body_start, sections FROM docs WHERE id=?",
                              (doc_id,)).fetchone()
        if row is None:
            return None
        return row[0], row[1], tuple((sid, start) for sid, start in json.loads(row[2]))

    # -------------------------------------------------------------- reading

    def shas(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT id, sha FROM docs"))

    def order(self) -> list[str]:
        """Indexed documents in corpus order (date, then id)."""
        return [r[0] for r in self.db.execute("SELECT id FROM docs ORDER BY date, id")]

    def sizes(self) -> dict[str, int]:
        return dict(self.db.execute("SELECT id, size FROM docs"))

    def __len__(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM docs").fetchone()[0])

    def boilerplate(self) -> frozenset[int]:
        """Fingerprints in at least ``boilerplate_limit`` documents (one scan in SQLite)."""
        self.merge()
        limit = self.params.boilerplate_limit(len(self))
        rows = self.db.execute(
            "SELECT h FROM postings GROUP BY h HAVING COUNT(*) >= ?", (limit,))
        return frozenset(r[0] for r in rows)

    def candidates(self, target: str | None = None) -> list[Candidate]:
        """Document pairs sharing ``min_shared`` non-boilerplate fingerprints.

        The self-join runs only over fingerprints in two or more documents and below the
        boilerplate limit, found by one ordered scan; Python sees the pairs, not postings.
        """
        import numpy as np

        self.merge()
        limit = self.params.boilerplate_limit(len(self))
        rank = {doc_id: i for i, doc_id in enumerate(self.order())}
        ids = dict(self.db.execute("SELECT doc, id FROM docs"))
        db = self.db
        db.execute("DROP TABLE IF EXISTS temp.shared")
        if target is None:
            db.execute("CREATE TEMP TABLE shared AS SELECT h FROM postings GROUP BY h "
                       "HAVING COUNT(*) >= 2 AND COUNT(*) < ?", (limit,))
            rows = db.execute(
                "SELECT a.doc, b.doc, COUNT(*) FROM shared s "
                "JOIN postings a ON a.h = s.h JOIN postings b ON b.h = s.h AND b.doc > a.doc "
                "GROUP BY a.doc, b.doc HAVING COUNT(*) >= ?", (self.params.min_shared,))
        else:
            row = db.execute("SELECT doc, hashes FROM docs WHERE id=?", (target,)).fetchone()
            if row is None:
                return []
            db.execute("CREATE TEMP TABLE shared (h INTEGER PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO shared VALUES (?)",
                           ((h,) for h in np.frombuffer(row[1], dtype=np.int64).tolist()))
            rows = db.execute(
                "SELECT ?, p.doc, COUNT(*) FROM shared s JOIN postings p ON p.h = s.h "
                "WHERE p.doc != ? AND (SELECT COUNT(*) FROM postings q WHERE q.h = s.h) < ? "
                "GROUP BY p.doc HAVING COUNT(*) >= ?",
                (row[0], row[0], limit, self.params.min_shared))
        out = []
        for a, b, n in rows:
            x, y = ids[a], ids[b]
            if rank[x] > rank[y]:
                x, y = y, x
            if target is None or y == target:
                out.append(Candidate(y, x, n))
        db.execute("DROP TABLE IF EXISTS temp.shared")
        return sorted(out)


# ------------------------------------------------------------------ project level


def corpus_files(project: Project) -> dict[str, Path]:
    folder = project.corpus_dir
    if not folder.is_dir():
        raise InputError("corpus folder not found", path=str(folder))
    return {p.stem: p for p in sorted(folder.glob("*.md")) if p.name.lower() != "readme.md"}


def sync(index: ReuseIndex, files: dict[str, Path], shas: dict[str, str] | None = None,
         batch: int = 200) -> SyncStats:
    """Bring the index in line with the corpus files: re-index only changed documents.

    Changes are committed every ``batch`` documents, so an interrupted first build keeps
    what it has done and the next run carries on from there. ``shas``: the files' SHA-256
    when the caller has them already.
    """
    stats = SyncStats()
    known = index.shas()
    for doc_id in sorted(set(known) - set(files)):
        index.remove(doc_id)
        stats.removed += 1
    todo = []
    for doc_id, path in files.items():
        sha = shas[doc_id] if shas and doc_id in shas else file_sha(path)
        if known.get(doc_id) == sha:
            stats.kept += 1
        else:
            todo.append((doc_id, path, sha))
    for k in range(0, len(todo), batch):
        with index.db:
            for doc_id, path, sha in todo[k:k + batch]:
                doc = load_reuse_doc(path)
                if doc.id != doc_id:
                    raise InputError(f"file name does not match its id {doc.id!r}",
                                     path=str(path))
                index.add(doc, sha, body_start=_body_start(path, doc), commit=False)
                if doc_id in known:
                    stats.updated += 1
                else:
                    stats.added += 1
    index.merge()
    return stats


def document_written(project: Project, path: str | Path) -> None:
    """Hook for ``policydiff ingest``: index a corpus file just written.

    The index is a cache: if it cannot be updated now (locked, unreadable, a bad
    file), ``reuse`` re-indexes the file lazily, so this never fails an ingest.
    """
    path = Path(path)
    with contextlib.suppress(sqlite3.Error, OSError, PolicydiffError), \
            ReuseIndex.for_project(project) as index:
        doc = load_reuse_doc(path)
        index.add(doc, file_sha(path), body_start=_body_start(path, doc))


def index_loader(index: ReuseIndex, files: dict[str, Path]):
    """Documents for alignment: the file's body, with id, date and sections from the index.

    Parsing a document (sections, paragraphs, sentences) costs more than fingerprinting
    it; the index kept what alignment needs at indexing time.
    """
    def load(doc_id: str) -> Fingerprint:
        date, body_start, sections = index.stored(doc_id) or ("", 0, ())
        body = files[doc_id].read_text(encoding="utf-8")[body_start:]
        return fingerprint(ReuseDoc(doc_id, date, body, sections), index.params)

    return load


def find_project_reuse(project: Project, params: ReuseParams | None = None, *,
                       target: str | None = None) -> tuple[ReuseResult, SyncStats]:
    """Reuse across a project's corpus through its index (synced first).

    The result itself is kept in the project's derived cache (:mod:`policydiff.store.derived`)
    under a hash of every corpus file and the parameters: an unchanged corpus is neither
    re-indexed nor re-aligned (nor is numpy imported; the stats then count every document
    as unchanged). A missing index (``reuse --rebuild``) always means a search.
    """
    from policydiff.store import derived

    params = params or ReuseParams()
    files = corpus_files(project)
    if target is not None and target not in files:
        raise InputError(f"unknown document {target!r} (known: {', '.join(files) or 'none'})")
    shas = {doc_id: file_sha(path) for doc_id, path in files.items()}
    key = derived.reuse_key(shas, params, target)
    cached = derived.load_reuse(key) if index_path(project).exists() else None
    if cached is not None:
        return cached, SyncStats(kept=len(files))
    with ReuseIndex.for_project(project, params) as index:
        stats = sync(index, files, shas)
        result = reuse_from_index(index, index_loader(index, files), target=target)
    derived.store_reuse(key, result)
    return result, stats


def reuse_from_index(index: ReuseIndex, load, *, target: str | None = None) -> ReuseResult:
    """Candidates and boilerplate from the index, alignment on documents from ``load``."""
    boiler = index.boilerplate()
    cands = index.candidates(target=target)
    passages = align_candidates(cands, load, index.params, boiler)
    return ReuseResult(index.order(), index.sizes(), passages, cands, len(boiler),
                       index.params)
