"""Atomic file writes: a crash mid-write must never leave a half-written file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from policydiff.core.errors import InputError


def _destination(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` must replace.

    A symlink is followed (the rename then replaces its target, and the link keeps
    pointing at it); a folder, FIFO, device or socket is refused with
    :class:`InputError`: renaming a file over them would either fail with a raw OS
    error or silently swap a pipe someone is reading for a plain file.
    """
    real = Path(os.path.realpath(path))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real
    if stat.S_ISDIR(mode):
        raise InputError("is a folder: give a file name to write to", path=str(path))
    if not stat.S_ISREG(mode):
        raise InputError("is not a regular file (a FIFO, device or socket): policydiff "
                         "writes only regular files, atomically; give a file name",
                         path=str(path))
    return real


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and a rename.

    The old file stays intact until the new content is fully on disk. A symlink
    is written through (its target is replaced); anything but a regular file or a
    new name is refused with :class:`InputError`.
    """
    target = _destination(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp, target.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    """Write UTF-8 text atomically, keeping ``\\n`` line ends as given."""
    atomic_write_bytes(path, text.encode("utf-8"))
