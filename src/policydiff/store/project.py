"""Where a policydiff project lives: a folder with ``corpus/`` and ``alignments/``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from policydiff.core.errors import InputError


@dataclass(frozen=True)
class Project:
    """Paths of one project. Pure data: no I/O beyond ``exists`` checks."""

    root: Path

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def raw_dir(self) -> Path:
        return self.root / "corpus" / "raw"

    @property
    def manifest_path(self) -> Path:
        return self.root / "corpus" / "sources.yaml"

    @property
    def alignments_dir(self) -> Path:
        return self.root / "alignments"


def find_project(start: str | os.PathLike[str] | None = None) -> Project:
    """The project containing ``start`` (default: ``$POLICYDIFF_ROOT`` or the cwd).

    Walks up from ``start`` to the first folder holding ``corpus/``.
    """
    if start is None:
        start = os.environ.get("POLICYDIFF_ROOT") or Path.cwd()
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / "corpus").is_dir():
            return Project(folder)
    raise InputError(
        f"no policydiff project found at or above {here} (a folder with corpus/); "
        "use --root or run inside a project"
    )
