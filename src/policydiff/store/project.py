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

    @property
    def info_path(self) -> Path:
        return self.root / PROJECT_FILE


PROJECT_FILE = "project.yaml"


@dataclass(frozen=True)
class ProjectInfo:
    """What the project is about (``project.yaml``): the report's title and subject."""

    title: str = ""
    subject: str = ""
    region: str = ""
    extra: tuple[tuple[str, object], ...] = ()


def load_project_info(project: Project) -> ProjectInfo:
    """``project.yaml`` of the project; empty fields when the file is absent."""
    path = project.info_path
    if not path.is_file():
        return ProjectInfo()
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
        from policydiff.store.limits import refuse_aliases  # hostile: no aliases

        refuse_aliases(text, path)
        data = YAML(typ="safe").load(text) or {}
    except (YAMLError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the project file: {str(exc).splitlines()[0]}",
                         path=str(path)) from None
    if not isinstance(data, dict):
        raise InputError("the project file must be a mapping (title, subject, region)",
                         path=str(path))
    known = {"title", "subject", "region"}
    return ProjectInfo(str(data.get("title") or ""), str(data.get("subject") or ""),
                       str(data.get("region") or ""),
                       tuple((k, v) for k, v in data.items() if k not in known))


def project_relative(path: str | os.PathLike[str], project: Project) -> str:
    """``path`` as the user sees it in messages: relative to the project root when inside it."""
    p = Path(path)
    try:
        rel = p.resolve().relative_to(project.root.resolve())
    except (ValueError, OSError):
        return str(p)
    return rel.as_posix() if str(rel) != "." else f"{project.root.name}/"


def find_project(start: str | os.PathLike[str] | None = None) -> Project:
    """The project containing ``start`` (default: ``$POLICYDIFF_ROOT`` or the cwd).

    Walks up from ``start`` to the first folder holding ``corpus/``.
    """
    if start is None:
        start = os.environ.get("POLICYDIFF_ROOT") or Path.cwd()
    here = Path(start).resolve()
    if not here.is_dir():  # a mistyped --root must not find the project around the cwd
        raise InputError(f"{start}: no such folder (the project root to use)")
    for folder in (here, *here.parents):
        if (folder / "corpus").is_dir():
            return Project(folder)
    raise InputError(
        f"no policydiff project found at or above {here} (a folder with corpus/); "
        "use --root or run inside a project"
    )
