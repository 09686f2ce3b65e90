"""The alignment store as read: a read-only snapshot of ``alignments/`` (themes and alignments).

Every reader (the façade, the report, the CLI's read commands, the TUI's views, git
revisions) needs the themes and alignments with their ``file:line``, never the
means to edit them; :class:`AlignmentSnapshot` is that. Editing is
:class:`policydiff.store.alignments.AlignmentStore`, a snapshot that can also write.

Files are read with the fast C-backed loader (:mod:`policydiff.store.fastyaml`) and
validated against the schema once per content (:mod:`policydiff.store.schema_cache`);
a file the fast loader cannot read exactly as the round-trip parser would (a YAML
error, a duplicate key, an alias, a schema violation…) is read by the round-trip
parser, so every problem is reported with the same words and line as always.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.core.alignment import STATUSES, Alignment, Anchor, Member, Theme
from policydiff.core.errors import InputError, StoreError
from policydiff.core.problems import Problem
from policydiff.core.themes import THEMES_FILE, themes_from_data
from policydiff.store.project import Project

ALIGNMENTS_DIR = "alignments"
#: Files in ``alignments/`` that belong to other parts of the tool (targets).
RESERVED_FILES = frozenset({"metrics.yaml", "target-overrides.yaml"})
ALIGNMENT_SCHEMA = "alignments.schema.json"
THEMES_SCHEMA = "themes.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="
_CONFLICT_MARKS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")

#: How many files were parsed, by parser (``fast``, ``round_trip``); tests count parses.
PARSES = {"fast": 0, "round_trip": 0}


@dataclass
class StoreFile:
    """One YAML file of the store, as read."""

    rel: str  # path relative to the project root, with "/"
    text: str
    data: Any = None  # plain data with line info (fast) or round-trip data; None if broken
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def schema_for(rel: str) -> str:
    """The packaged schema a store file is validated against."""
    return THEMES_SCHEMA if rel.rsplit("/", 1)[-1] == THEMES_FILE else ALIGNMENT_SCHEMA


def parse_store_file(rel: str, text: str, root: Path | None = None,
                     valid: list[str] | None = None) -> StoreFile:
    """Read one store file: fast when it is clean, round-trip when anything is amiss.

    ``root`` is the project whose schema cache to use (None: this process only);
    digests of newly validated contents are appended to ``valid`` for the caller to
    remember in one write (or remembered at once when ``valid`` is None).
    """
    from policydiff.store import schema_cache

    schema = schema_for(rel)
    if not any(mark in text for mark in _CONFLICT_MARKS):
        from policydiff.store.fastyaml import Fallback, load

        try:
            data = load(text)
        except Fallback:
            data = None
        if isinstance(data, dict):
            PARSES["fast"] += 1
            key = schema_cache.digest(schema, text)
            known = schema_cache.known_valid(root, key)
            if not known:
                from policydiff.store.yamltext import schema_problems

                known = not schema_problems(rel, data, schema)
            if known:
                if not schema_cache.persisted(root, key):  # for the next process too
                    if valid is None:
                        schema_cache.remember_valid(root, [key])
                    else:
                        valid.append(key)
                return StoreFile(rel, text, data, [])
    return parse_round_trip(rel, text)


def parse_round_trip(rel: str, text: str) -> StoreFile:
    """Read one store file with the round-trip parser (every problem with its line)."""
    from policydiff.store.yamltext import parse_yaml, schema_problems

    PARSES["round_trip"] += 1
    data, problems = parse_yaml(rel, text)
    if problems:
        return StoreFile(rel, text, None, problems)
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        return StoreFile(rel, text, None, [Problem(rel, 1, "expected a mapping at the top")])
    return StoreFile(rel, text, data, schema_problems(rel, data, schema_for(rel)))


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _member(item: Mapping[str, Any], line: int) -> Member:
    anchor = None
    if item.get("anchor") is not None:
        a = item["anchor"]
        anchor = Anchor(exact=_str(a.get("exact")), prefix=_str(a.get("prefix")),
                        suffix=_str(a.get("suffix")), start=int(a.get("start") or 0))
    section = item.get("section")
    return Member(doc=str(item["doc"]), section=None if section is None else str(section),
                  anchor=anchor, absent=bool(item.get("absent", False)),
                  note=_str(item.get("note")), line=line)


def alignments_from_data(rel: str, data: Any) -> list[Alignment]:
    """Alignments of a schema-valid alignment file, in file order (with their lines)."""
    from policydiff.store.yamltext import line_of

    theme = str(data["theme"])
    found = []
    items = data.get("alignments") or []
    for i, item in enumerate(items):
        members = []
        listed = item.get("members") or []
        lc = getattr(listed, "lc", None)  # each member's line read off its list at once
        for j, m in enumerate(listed):
            try:
                line = lc.item(j)[0] + 1 if lc is not None else None
            except (KeyError, IndexError, TypeError):
                line = None
            if line is None:  # what line_of finds when the list does not know its items
                line = line_of(data, ["alignments", i, "members", j])
            members.append(_member(m, line))
        found.append(Alignment(
            id=str(item["id"]), theme=theme, label=str(item["label"]),
            status=str(item["status"]), note=_str(item.get("note")), members=members,
            origin=_str(item.get("origin")), file=rel,
            line=line_of(data, ["alignments", i, "id"]),
        ))
    return found


def is_store_file(name: str) -> bool:
    """Whether a file of ``alignments/`` belongs to the store (themes and alignments)."""
    return name.endswith(".yaml") and name not in RESERVED_FILES


class AlignmentSnapshot:
    """Themes and alignments of one project (or one git revision of it), read-only.

    ``texts`` maps paths relative to the project root (``alignments/x.yaml``) to file
    contents; ``parsed`` are files already read (a git revision's unchanged blobs).
    Broken files (YAML errors, conflict markers, schema violations) are skipped and
    listed in :attr:`problems`; ``strict`` snapshots raise instead.
    """

    def __init__(self, root: Path, texts: Mapping[str, str], *, strict: bool = True,
                 label: str = "", parsed: Mapping[str, StoreFile] | None = None):
        from policydiff.store import schema_cache

        self.root = Path(root)
        self.label = label or "working tree"
        self.problems: list[Problem] = []
        self._themes: list[Theme] = []
        self._alignments: dict[str, Alignment] = {}
        files = dict(parsed or {})
        valid: list[str] = []
        for rel in texts:
            files[rel] = parse_store_file(rel, texts[rel], self.root, valid)
        schema_cache.remember_valid(self.root, valid)
        self._files: dict[str, StoreFile] = {rel: files[rel] for rel in sorted(files)}
        self._rebuild()
        if strict:
            self.raise_for_problems()

    @property
    def folder(self) -> Path:
        return self.root / ALIGNMENTS_DIR

    def _rebuild(self) -> None:
        from policydiff.store.yamltext import line_of

        self.problems = [p for f in self._files.values() for p in f.problems]
        themes_rel = f"{ALIGNMENTS_DIR}/{THEMES_FILE}"
        themes_file = self._files.get(themes_rel)
        self._themes = themes_from_data(themes_file.data) if themes_file and themes_file.ok else []
        if themes_file is None:
            self.problems.append(Problem(themes_rel, 0, "missing: the store needs its themes"))
        seen_theme: dict[str, int] = {}
        for i, theme in enumerate(self._themes):
            if theme.id in seen_theme:
                line = line_of(themes_file.data, ["themes", i, "id"]) if themes_file else 0
                first = (line_of(themes_file.data, ["themes", seen_theme[theme.id], "id"])
                         if themes_file else 0)
                self.problems.append(Problem(themes_rel, line, f"duplicate theme id {theme.id!r} "
                                             f"(also line {first}): theme ids must be unique"))
            seen_theme.setdefault(theme.id, i)
        order = {t.id: i for i, t in enumerate(self._themes)}
        self._alignments = {}
        files = [f for rel, f in self._files.items() if rel != themes_rel and f.ok]
        files.sort(key=lambda f: (order.get(f.data["theme"], len(order)), f.rel))
        for f in files:
            for al in alignments_from_data(f.rel, f.data):
                if al.id in self._alignments:
                    other = self._alignments[al.id]
                    self.problems.append(Problem(f.rel, al.line, f"duplicate alignment id "
                                                 f"{al.id!r} (also {other.file}:{other.line})"))
                    continue
                self._alignments[al.id] = al

    def raise_for_problems(self) -> None:
        """Raise :class:`StoreError` for the first error (with ``file:line``)."""
        errors = [p for p in self.problems if p.severity == "error"]
        if errors:
            first = errors[0]
            more = (f" (and {len(errors) - 1} more; run `policydiff check`)"
                    if len(errors) > 1 else "")
            raise StoreError(first.message + more, path=first.path, line=first.line or None)

    def files(self) -> list[str]:
        """Paths (relative to the project) of the store's files."""
        return list(self._files)

    def stored_file(self, rel: str) -> StoreFile:
        """A file as parsed (text, data with line information, problems)."""
        return self._files[rel]

    def file_text(self, rel: str) -> str:
        return self._files[rel].text

    def file_data(self, rel: str) -> Any:
        """Data of a file with ruamel-style ``lc`` line information (None when broken)."""
        return self._files[rel].data

    def themes(self) -> list[Theme]:
        """Themes in the order of ``themes.yaml``."""
        return list(self._themes)

    def theme(self, theme_id: str) -> Theme:
        for theme in self._themes:
            if theme.id == theme_id:
                return theme
        known = ", ".join(t.id for t in self._themes) or "none"
        raise InputError(f"unknown theme {theme_id!r} (known: {known})")

    def alignments(self, theme: str | None = None, status: str | None = None) -> list[Alignment]:
        """Alignments (themes in ``themes.yaml`` order, then file order), optionally filtered."""
        if status is not None and status not in STATUSES:
            raise InputError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        return [a for a in self._alignments.values()
                if (theme is None or a.theme == theme) and (status is None or a.status == status)]

    def get(self, alignment_id: str) -> Alignment:
        """The alignment with this id; :class:`InputError` (with near ids) if there is none."""
        try:
            return self._alignments[alignment_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(alignment_id, list(self._alignments), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            broken = [f.rel for f in self._files.values() if not f.ok]
            if broken:
                hint += f"; {', '.join(broken)} could not be read: run `policydiff check`"
            raise InputError(f"unknown alignment {alignment_id!r}{hint}") from None

    def __contains__(self, alignment_id: object) -> bool:
        return alignment_id in self._alignments

    def new_id(self, theme: str) -> str:
        """A free id ``<theme>-<n>`` for a new alignment."""
        n = 1
        while f"{theme}-{n}" in self._alignments:
            n += 1
        return f"{theme}-{n}"

    def path_for(self, theme: str) -> Path:
        """The file a theme's alignments live in."""
        return self.folder / f"{theme}.yaml"


# --- loading ------------------------------------------------------------------------


def read_folder(folder: Path) -> dict[str, str]:
    """The store files of an ``alignments/`` folder (relative path -> text).

    Folders named ``x.yaml``, sockets and other non-files are skipped; an unreadable
    file is one clear :class:`StoreError`.
    """
    texts: dict[str, str] = {}
    if not folder.is_dir():
        return texts
    for path in sorted(folder.glob("*.yaml")):
        if not is_store_file(path.name) or not path.is_file():
            continue
        rel = f"{ALIGNMENTS_DIR}/{path.name}"
        try:
            texts[rel] = read_store_text(path)
        except UnicodeDecodeError:
            raise StoreError("not UTF-8 text", path=rel) from None
        except OSError as exc:
            raise StoreError(f"cannot read: {exc.strerror or exc}", path=rel) from None
    return texts


def read_store_text(path: Path) -> str:
    """A store file's text, line ends as written (CRLF files stay CRLF when edited)."""
    with open(path, encoding="utf-8", newline="") as handle:
        return handle.read()


def read_texts(project: Project) -> dict[str, str]:
    """The store's files in the working tree (relative path -> text)."""
    return read_folder(project.alignments_dir)


def load_snapshot(project: Project, *, strict: bool = True) -> AlignmentSnapshot:
    """The project's alignments from the working tree, read-only (what readers use).

    ``strict`` (the default) raises :class:`StoreError` with ``file:line`` when a
    file is broken; ``strict=False`` skips broken files and lists them in
    ``problems`` (for views that must keep working).
    """
    if not project.alignments_dir.is_dir():
        raise StoreError("no alignments/ folder in the project", path=str(project.root))
    return AlignmentSnapshot(project.root, read_texts(project), strict=strict)
