"""The ``# yaml-language-server: $schema=…`` reference an alignment file carries.

The reference is committed and read by colleagues' editors, so it must not point
into the writer's own installation (``../../venv/lib/python3.11/site-packages/…``
works on one machine only). Rule: if the packaged schema lies inside the project
tree (a checkout of policydiff itself), point at it relatively; otherwise point at
the project's own copy in ``schemas/`` (as ``policydiff init`` makes it), copying
the packaged schema there first when it is missing. ``policydiff check`` validates
against the packaged schema whatever the line says, and warns about a line that
points outside the project.
"""

from __future__ import annotations

import os
from pathlib import Path

from policydiff.store.fsutil import atomic_write_bytes
from policydiff.store.yamltext import schema_path

#: The project folder holding copies of the schemas (``policydiff init`` fills it).
SCHEMA_DIR = "schemas"


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path`` is in the project's committed tree: lexically under ``root``
    (a symlink the project itself holds counts as inside) and not in an installed
    environment (a ``.venv`` in the project is not committed)."""
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.relative_to(os.path.abspath(root))
    except ValueError:
        return False
    return "site-packages" not in rel.parts and "dist-packages" not in rel.parts


def schema_reference(root: Path, folder: Path, name: str) -> str:
    """The ``$schema`` target for a file in ``folder`` of the project at ``root``.

    May copy the packaged schema ``name`` to ``root/schemas/`` (atomically) so the
    reference resolves for everyone who clones the project.
    """
    packaged = schema_path(name)
    if _inside(packaged, root):
        return Path(os.path.relpath(packaged, folder)).as_posix()
    copy = root / SCHEMA_DIR / name
    if not copy.is_file():
        atomic_write_bytes(copy, packaged.read_bytes())
    return Path(os.path.relpath(copy, folder)).as_posix()


def points_outside(root: Path, folder: Path, target: str) -> bool:
    """Whether a ``$schema`` target (not a URL) leaves the project's committed tree."""
    if "://" in target:
        return False
    path = Path(target)
    return not _inside(path if path.is_absolute() else folder / path, root)
