"""The project's on-disk token cache: segment the corpus once, not in every command.

Loading jieba's dictionary costs about half a second, more than most commands
take otherwise. :mod:`policydiff.core.segment` asks an injected
:class:`~policydiff.core.segment.TokenCache` for the cut of each Chinese run before
loading jieba; this module is that cache, kept under the project in
``.policydiff/tokens.sqlite3`` (ignored by git).

Why SQLite: one file, safe under concurrent processes (WAL journal, a busy
timeout, ``INSERT OR IGNORE`` — two processes that cut the same run write the
same bytes), and a lookup costs microseconds without reading the whole cache.
Keys are content hashes that already include the segmenter version and the
dictionaries' fingerprint; when the fingerprint changes the old entries are
dropped so the file does not grow with stale cuts. Anything going wrong (read-only
folder, a corrupt file, a locked database) degrades to "no cache": the file is
rebuilt when it is corrupt, and segmentation never fails because of the cache.

The same file keeps a ``derived`` table: results computed from content alone (the
figures of a document, the reuse of a corpus), keyed by a hash of that content and
of the code that derives them (:mod:`policydiff.store.derived`).
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from pathlib import Path
from typing import Any

CACHE_DIR = ".policydiff"
CACHE_FILE = "tokens.sqlite3"
_FLUSH_EVERY = 2000
_BATCH = 500
"""Keys per batched lookup (well under SQLite's limit on bound parameters)."""


_UNAVAILABLE = object()  # the cache could not be read (not the same as a miss)

class SqliteTokenCache:
    """A :class:`~policydiff.core.segment.TokenCache` in one SQLite file.

    The connection is opened on first use (a command that tokenises nothing pays
    nothing); new entries are buffered and written in one transaction at exit or
    every few thousand entries.
    """

    def __init__(self, path: str | os.PathLike[str], busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout  # seconds to wait for another process's write
        self._db: Any = None
        self._failed = False
        self._pending: dict[bytes, bytes] = {}
        self.hits = 0
        self.misses = 0
        self._lock = threading.Lock()  # the TUI segments in a worker thread
        atexit.register(self.flush)

    # -- connection -------------------------------------------------------------

    def _connect(self) -> Any:
        if self._db is not None or self._failed:
            return self._db
        import sqlite3

        from policydiff.core.segment import fingerprint

        corrupt_retried = False
        for attempt in range(8):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(str(self.path), timeout=self.busy_timeout,
                                     isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS cuts (k BLOB PRIMARY KEY, v BLOB NOT NULL)"
                           " WITHOUT ROWID")
                db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
                db.execute("CREATE TABLE IF NOT EXISTS derived (k BLOB PRIMARY KEY, "
                           "v BLOB NOT NULL) WITHOUT ROWID")
                fp = fingerprint()
                row = db.execute("SELECT value FROM meta WHERE name='fingerprint'").fetchone()
                if row is None or bytes(row[0]) != fp:
                    with db:  # another segmenter or dictionary: its cuts are useless now
                        db.execute("BEGIN IMMEDIATE")
                        # re-read under the write lock: a process that started at the same
                        # time may have set the fingerprint and begun filling the cache
                        row = db.execute(
                            "SELECT value FROM meta WHERE name='fingerprint'").fetchone()
                        if row is None or bytes(row[0]) != fp:
                            db.execute("DELETE FROM cuts")
                            db.execute("DELETE FROM derived")  # may rest on the old cuts
                            db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)",
                                       (fp,))
                self._db = db
                return db
            except sqlite3.OperationalError:
                # "database is locked": another process is creating or writing the file
                # (switching a new file to WAL does not wait on the busy timeout). Not
                # corruption: never delete it; wait a little and try again, then go on
                # without the cache in this process.
                if attempt < 7:
                    time.sleep(0.02 * 2 ** attempt)  # 2.5 s in all
                    continue
                self._failed = True
            except sqlite3.DatabaseError:  # "file is not a database", "malformed"
                if not corrupt_retried and self._remove_corrupt():
                    corrupt_retried = True
                    continue
                self._failed = True
            except OSError:
                self._failed = True
            break
        return None

    def _remove_corrupt(self) -> bool:
        """Delete a cache file SQLite cannot read (it only holds derived data)."""
        removed = False
        for suffix in ("", "-wal", "-shm"):
            try:
                Path(str(self.path) + suffix).unlink()
                removed = True
            except FileNotFoundError:
                pass
            except OSError:
                return False
        return removed

    # -- TokenCache ---------------------------------------------------------------

    def get(self, key: bytes) -> bytes | None:
        value = self._pending.get(key)
        if value is not None:
            return value
        row = self._select("cuts", key)
        if row is _UNAVAILABLE:
            return None
        if not isinstance(row, bytes):
            self.misses += 1
            return None
        self.hits += 1
        return row

    def _select(self, table: str, key: bytes) -> bytes | object | None:
        """The value of ``key`` in ``table``, None if absent, ``_UNAVAILABLE`` if the cache
        cannot be read (a broken or locked file: the caller computes instead)."""
        db = self._connect()
        if db is None:
            return _UNAVAILABLE
        try:
            with self._lock:
                row = db.execute(f"SELECT v FROM {table} WHERE k=?", (key,)).fetchone()
        except Exception:
            return _UNAVAILABLE
        return None if row is None else bytes(row[0])

    def get_many(self, keys: list[bytes]) -> dict[bytes, bytes]:
        """The cached values of ``keys`` (hits only), in a few queries instead of one each."""
        found = {k: v for k in keys if (v := self._pending.get(k)) is not None}
        ask = [k for k in keys if k not in found]
        db = self._connect() if ask else None
        if db is not None:
            try:
                with self._lock:
                    for n in range(0, len(ask), _BATCH):
                        chunk = ask[n:n + _BATCH]
                        marks = ",".join("?" * len(chunk))
                        found.update((bytes(k), bytes(v)) for k, v in db.execute(
                            f"SELECT k, v FROM cuts WHERE k IN ({marks})", chunk))
            except Exception:
                pass
        hits = sum(1 for k in ask if k in found)
        self.hits += hits
        self.misses += len(ask) - hits
        return found

    def put(self, key: bytes, value: bytes) -> None:
        self._pending[key] = value
        if len(self._pending) >= _FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write buffered entries in one transaction (also run at exit)."""
        if not self._pending:
            return
        items = list(self._pending.items())
        self._pending.clear()
        self._insert("INSERT OR IGNORE INTO cuts VALUES (?, ?)", items)

    def _insert(self, sql: str, items: list[tuple[bytes, bytes]]) -> None:
        """Rows in one transaction; a cache that cannot be written is skipped (it is a
        cache: the next run computes again)."""
        db = self._connect()
        if db is None:
            return
        try:
            with self._lock, db:
                db.execute("BEGIN")
                db.executemany(sql, items)
        except Exception:
            pass

    # -- derived results ----------------------------------------------------------

    def get_derived(self, key: bytes) -> bytes | None:
        """A derived result (figures of a document, reuse of a corpus) stored under ``key``.

        Keys are content hashes that include the code version (:mod:`policydiff.store.derived`),
        so an entry is never stale, only unused.
        """
        row = self._select("derived", key)
        return row if isinstance(row, bytes) else None

    def derived_version(self, version: bytes) -> None:
        """Drop derived results of another code version (they can never be asked for again).

        Called once per process before the first derived lookup; keeps the file from
        growing with every upgrade or edit of the code.
        """
        db = self._connect()
        if db is None:
            return
        try:
            row = db.execute("SELECT value FROM meta WHERE name='derived'").fetchone()
            if row is not None and bytes(row[0]) == version:
                return
            with self._lock, db:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT value FROM meta WHERE name='derived'").fetchone()
                if row is None or bytes(row[0]) != version:
                    db.execute("DELETE FROM derived")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('derived', ?)", (version,))
        except Exception:
            pass

    def put_derived(self, items: dict[bytes, bytes]) -> None:
        """Store derived results now, in one transaction (same key, same bytes: two
        processes writing the same entry agree)."""
        if not items:
            return
        self._insert("INSERT OR REPLACE INTO derived VALUES (?, ?)", list(items.items()))

    def close(self) -> None:
        """Flush and close the connection."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None
        atexit.unregister(self.flush)


def cache_path(root: str | os.PathLike[str]) -> Path:
    """Where a project's token cache lives."""
    return Path(root) / CACHE_DIR / CACHE_FILE


def install(root: str | os.PathLike[str]) -> SqliteTokenCache | None:
    """Install the project's token cache into the segmenter (unless disabled).

    ``POLICYDIFF_TOKEN_CACHE=0`` turns it off (to measure, or on a read-only
    checkout where even the attempt is unwanted).
    """
    from policydiff.core import segment

    if os.environ.get("POLICYDIFF_TOKEN_CACHE", "1") in ("0", "off", "no"):
        return None
    current = segment.get_cache()
    path = cache_path(root)
    if isinstance(current, SqliteTokenCache) and current.path == path:
        return current
    if isinstance(current, SqliteTokenCache):
        current.close()
    cache = SqliteTokenCache(path)
    segment.set_cache(cache)
    return cache
