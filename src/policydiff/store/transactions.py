"""Ingest as a transaction: a document's raw file, corpus file and manifest entry
are written so that a crash leaves either all of them or none.

Before: ``ingest B --force`` with the same file name as an earlier source
overwrote that document's raw file; ``--force`` dropped the curated manifest
fields (title, policy, issuer, publisher, kind, period, layout hints, comments);
a ``kill -9`` between ``corpus/ID.md`` and the manifest left a document the
manifest did not know, and temp files of up to 20 MB stayed behind.

Now: raw files are stored under the document's id (``raw/<id><ext>``), so another
document never overwrites them; :func:`merge_entry` keeps curated fields unless
told to reset them; :func:`ingest_transaction` writes a journal
(``corpus/.ingest-journal.json``) holding what it is about to replace, writes
raw, corpus file and manifest (manifest last), then deletes the journal. Any
later ingest first calls :func:`recover`, which puts the previous files back if a
journal is left over, and removes stale ``.*.tmp`` files of atomic writes. All of
it runs under the manifest's lock (:mod:`policydiff.store.locking`).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from policydiff.store.fsutil import atomic_write_bytes, atomic_write_text
from policydiff.store.locking import locked
from policydiff.store.project import Project

JOURNAL = ".ingest-journal.json"
#: Manifest fields a reviewer curates; ``--force`` keeps them unless reset.
CURATED = ("title", "policy", "issuer", "publisher", "date", "kind", "period", "layout",
           "source_url")


def raw_name(doc_id: str, source: Path) -> str:
    """The raw file's name in ``corpus/raw/``: the document id and the source's extension.

    Unique per document, so ingesting another document with the same file name
    never overwrites it.
    """
    suffix = "".join(source.suffixes[-1:]).lower()
    return f"{doc_id}{suffix}"


def merge_entry(old: Mapping[str, Any] | None, new: Mapping[str, Any], *,
                reset: bool = False) -> dict[str, Any]:
    """The manifest entry after a re-ingest: curated fields of ``old`` survive unless
    ``new`` gives them (or ``reset`` asks to drop them); comments stay with ``old``."""
    if old is None or reset:
        return dict(new)
    merged = old  # keep the round-trip object: its comments and key order
    for key, value in new.items():
        if value is not None and value != "" and value != []:
            merged[key] = value  # type: ignore[index]
    return merged  # type: ignore[return-value]


def _journal_path(project: Project) -> Path:
    return project.corpus_dir / JOURNAL


def recover(project: Project) -> list[str]:
    """Undo a half-done ingest (left by a crash) and remove stale temp files.

    Returns what was done, one line each (for the command to report).
    """
    done: list[str] = []
    journal = _journal_path(project)
    if journal.is_file():
        try:
            data = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        for rel, previous in (data.get("files") or {}).items():
            path = project.root / rel
            if previous is None:
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
            else:
                atomic_write_bytes(path, bytes.fromhex(previous))
        journal.unlink()
        if data:
            done.append(f"rolled back an interrupted ingest of {data.get('id', '?')}")
    for folder in (project.corpus_dir, project.raw_dir, project.alignments_dir):
        if not folder.is_dir():
            continue
        for tmp in folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()
                done.append(f"removed a temp file left by a crash: {tmp.name}")
    return done


@contextlib.contextmanager
def manifest_lock(project: Project) -> Iterator[None]:
    """The manifest's exclusive lock (read-modify-write of ``corpus/sources.yaml``)."""
    with locked(project.manifest_path, what=project.manifest_path.name):
        yield


def ingest_transaction(project: Project, doc_id: str, writes: Mapping[Path, bytes | str],
                       manifest_text: str) -> None:
    """Write ``writes`` (raw and corpus files) and then the manifest, all or nothing.

    Call under :func:`manifest_lock`. The journal records the previous content of
    every file (or that it did not exist) before anything is touched.
    """
    targets = [*writes, project.manifest_path]
    previous: dict[str, str | None] = {}
    for path in targets:
        rel = os.path.relpath(path, project.root)
        previous[rel] = path.read_bytes().hex() if path.is_file() else None
    atomic_write_text(_journal_path(project),
                      json.dumps({"id": doc_id, "files": previous}, ensure_ascii=False))
    for path, content in writes.items():
        if isinstance(content, bytes):
            atomic_write_bytes(path, content)
        else:
            atomic_write_text(path, content)
    atomic_write_text(project.manifest_path, manifest_text)
    _journal_path(project).unlink()
