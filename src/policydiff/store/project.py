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


PROJECT_FILE = "project.yaml"


@dataclass(frozen=True)
class ProjectInfo:
    """What ``project.yaml`` says about a project (the report's title comes from here).

    Every field has a default, so a project without the file (the bundled one, an old
    checkout) still reads.
    """

    title: str = "Policy comparison"
    subject: str = ""
    region: str = ""


def load_project_info(project: Project) -> ProjectInfo:
    """Read ``project.yaml``; defaults when it is absent; InputError when it is malformed."""
    path = project.root / PROJECT_FILE
    if not path.is_file():
        return ProjectInfo()
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8")) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"malformed project file: {str(exc).splitlines()[0]}",
                         path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("project file must be a mapping (title, subject, region)",
                         path=str(path))
    default = ProjectInfo()
    return ProjectInfo(
        title=str(data.get("title") or default.title),
        subject=str(data.get("subject") or ""),
        region=str(data.get("region") or ""),
    )
