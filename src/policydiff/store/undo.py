"""Put an alignment file back as it was before a write, if nobody changed it since.

The TUI's undo (``u``) restores the exact text it replaced, so an undone edit leaves
no trace in ``git diff`` (a semantic re-edit would leave e.g. an empty ``note:``).
When the file changed after the write — by hand or another tool — nothing is
restored and the caller falls back to the store's own edit functions.
"""

from __future__ import annotations

from pathlib import Path

from policydiff.store.fsutil import atomic_write_text


def restore_text(path: str | Path, written: str, previous: str) -> bool:
    """Write ``previous`` to ``path`` if it still holds ``written``; True if restored."""
    path = Path(path)
    try:
        current = path.read_text(encoding="utf-8")
    except OSError:
        return False
    if current != written:
        return False
    atomic_write_text(path, previous)
    return True
