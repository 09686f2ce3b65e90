"""Notice when the alignment or corpus files change on disk (an editor, git, a script).

A cheap poll of ``(mtime, size)`` per file, about once a second, in the event loop:
a project holds tens to a few hundred files, a ``stat`` each costs microseconds, and
it needs no watcher thread or extra dependency. The app compares two snapshots and
reloads only what changed: the alignments, or the corpus.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

Stamp = tuple[int, int]  # (mtime in ns, size in bytes)


def folder_stamps(folder: Path, suffix: str) -> dict[str, Stamp]:
    """``name → (mtime_ns, size)`` of the files in ``folder`` ending with ``suffix``.

    A missing folder is an empty mapping (the change that matters is reported by
    loading, not here); a file removed between listing and ``stat`` is skipped.
    """
    out: dict[str, Stamp] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for entry in entries:
        if not entry.name.endswith(suffix) or entry.name.startswith("."):
            continue
        try:
            st = entry.stat()
        except OSError:
            continue
        out[entry.name] = (st.st_mtime_ns, st.st_size)
    return out


@dataclass(frozen=True)
class Snapshot:
    """What the alignment and corpus folders looked like at one moment."""

    alignments: dict[str, Stamp]
    corpus: dict[str, Stamp]

    @classmethod
    def take(cls, alignments_dir: Path, corpus_dir: Path) -> Snapshot:
        return cls(folder_stamps(alignments_dir, ".yaml"), folder_stamps(corpus_dir, ".md"))

    def changed(self, newer: Snapshot) -> tuple[list[str], list[str]]:
        """Names of alignment files and corpus files that differ (added, removed, touched)."""
        def diff(a: dict[str, Stamp], b: dict[str, Stamp]) -> list[str]:
            return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))

        return diff(self.alignments, newer.alignments), diff(self.corpus, newer.corpus)
