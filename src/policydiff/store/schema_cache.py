"""Files already known to be schema-valid, so a read-only command validates each
file content once, not on every run.

JSON Schema validation (jsonschema) costs ~75 ms to import and more to run on big
files, on every command that reads the store, for files that rarely change. A
valid file's digest — of the schema's bytes, the schema's name and the file's text —
is remembered in memory and in ``.policydiff/schema-valid.txt`` (ignored by git,
like the token cache). Only *valid* contents are remembered: a file with problems
is validated every time, so its messages never come from a cache. A lost or
corrupt cache file only costs a re-validation; ``POLICYDIFF_SCHEMA_CACHE=0`` turns
the file off (to measure).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from functools import lru_cache
from pathlib import Path

CACHE_DIR = ".policydiff"
CACHE_FILE = "schema-valid.txt"
#: Digests kept in the file (the newest); a store has a few dozen files.
KEEP = 2048

_memory: set[str] = set()
_on_disk: dict[Path, set[str]] = {}


@lru_cache(maxsize=8)
def _schema_digest(name: str) -> bytes:
    from policydiff.store.yamltext import schema_path

    return hashlib.blake2b(name.encode() + b"\0" + schema_path(name).read_bytes(),
                           digest_size=16).digest()


def digest(schema: str, text: str) -> str:
    """The key of ``text`` validated against packaged schema ``schema``."""
    h = hashlib.blake2b(_schema_digest(schema), digest_size=16)
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _enabled() -> bool:
    return os.environ.get("POLICYDIFF_SCHEMA_CACHE", "1") not in ("0", "off", "no")


def _path(root: Path) -> Path:
    return Path(root) / CACHE_DIR / CACHE_FILE


def _disk(root: Path | None) -> set[str]:
    if root is None or not _enabled():
        return set()
    path = _path(root)
    if path not in _on_disk:
        try:
            _on_disk[path] = set(path.read_text(encoding="ascii").split())
        except (OSError, ValueError):
            _on_disk[path] = set()
    return _on_disk[path]


def known_valid(root: Path | None, key: str) -> bool:
    """Whether the content with this digest was validated before (this process or the
    project's cache file)."""
    return key in _memory or key in _disk(root)


def persisted(root: Path | None, key: str) -> bool:
    """Whether the project's cache file holds this digest (memory may know more)."""
    return root is None or not _enabled() or key in _disk(root)


def remember_valid(root: Path | None, keys: list[str]) -> None:
    """Remember digests of contents that validated; written to the project's cache
    file at once (atomically; a failure to write is ignored)."""
    _memory.update(keys)
    if root is None or not keys or not _enabled():
        return
    known = _disk(root)
    new = [k for k in keys if k not in known]
    if not new:
        return
    known.update(new)
    path = _path(root)
    from policydiff.store.fsutil import atomic_write_text

    with contextlib.suppress(Exception):  # a cache: failing to write it never fails a command
        folder = path.parent
        folder.mkdir(parents=True, exist_ok=True)
        if not (folder / ".gitignore").exists():  # caches are never committed
            (folder / ".gitignore").write_text("*\n", encoding="utf-8")
        try:
            old = path.read_text(encoding="ascii").split()
        except (OSError, ValueError):
            old = []
        lines = [k for k in old if k not in set(new)] + new
        atomic_write_text(path, "\n".join(lines[-KEEP:]) + "\n")
