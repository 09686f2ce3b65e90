"""Exclusive locks around read-modify-write of the project's files.

Two ``policydiff`` processes editing the same alignment file (``note A`` and
``reject B`` in two terminals, or the TUI and the CLI) would otherwise both read
the file, both change their copy and both write it back: the second write drops
the first edit, and both exit 0. Every edit of a store file and of the manifest
therefore runs under an exclusive lock, and re-reads the file *under* the lock.

The lock is a file beside what it protects (``alignments/.policydiff.lock`` for
the store, ``corpus/.sources.yaml.lock`` for the manifest), taken with the
`filelock <https://pypi.org/project/filelock/>`_ package (``flock`` on POSIX,
``msvcrt`` on Windows; the kernel drops it when a process dies, so a ``kill -9``
never leaves a stale lock behind). Locks are re-entrant within a process, so a
command can hold the store lock across its edit *and* its commit (commits are
serialised that way) while the store's own edit methods take it again.

A process that had to wait says so (through :func:`set_wait_reporter`, which the
CLI points at stderr); one that waits too long gets one clear line naming the
lock file.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from policydiff.core.errors import StoreError

#: Seconds to wait for another process before giving up with a clear message.
LOCK_TIMEOUT = 60.0

_reporter: Callable[[str], None] | None = None
_held: dict[str, tuple[object, int]] = {}
_guard = threading.RLock()


def set_wait_reporter(report: Callable[[str], None] | None) -> None:
    """Where "waited for another process" messages go (the CLI: stderr)."""
    global _reporter
    _reporter = report


def lock_path_for(path: str | os.PathLike[str]) -> Path:
    """The lock file that guards ``path`` (a file or a folder): beside it, hidden."""
    target = Path(path)
    if target.is_dir():
        return target / ".policydiff.lock"
    return target.parent / f".{target.name}.lock"


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], *, what: str = "",
           timeout: float | None = None) -> Iterator[Path]:
    """Hold the exclusive lock guarding ``path`` (re-entrant within this process).

    Yields the lock file's path. Raises :class:`StoreError` naming the lock file if
    another process holds it for longer than ``timeout`` seconds, or if the lock
    cannot be created (a read-only folder).
    """
    from filelock import FileLock, Timeout

    lock_file = lock_path_for(path)
    key = str(lock_file.resolve() if lock_file.parent.exists() else lock_file)
    with _guard:
        held = _held.get(key)
        if held is not None:
            _held[key] = (held[0], held[1] + 1)
    if held is not None:
        try:
            yield lock_file
        finally:
            with _guard:
                lock, count = _held[key]
                _held[key] = (lock, count - 1)
        return
    lock = FileLock(str(lock_file), thread_local=False)
    limit = LOCK_TIMEOUT if timeout is None else timeout
    label = what or str(path)
    began = time.monotonic()
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            if _reporter is not None:
                _reporter(f"waiting for another policydiff process editing {label} "
                          f"(lock {lock_file})")
            lock.acquire(timeout=limit)
            if _reporter is not None:
                _reporter(f"waited {time.monotonic() - began:.1f} s for {label}; "
                          "continuing with its current content")
    except Timeout:
        raise StoreError(f"another process has held the lock for more than {limit:.0f} s; "
                         "if no policydiff is running, delete the lock file",
                         path=str(lock_file)) from None
    except OSError as exc:
        raise StoreError(f"cannot create the lock file: {exc.strerror or exc}",
                         path=str(lock_file)) from None
    with _guard:
        _held[key] = (lock, 1)
    try:
        yield lock_file
    finally:
        with _guard:
            _held.pop(key)
        lock.release()
