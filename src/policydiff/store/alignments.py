"""The alignment store: ``alignments/themes.yaml`` and one YAML file per theme.

Reviewers edit these files by hand and review them in git, so the tool edits them
like a careful reviewer would: an edit rewrites only the characters of the values
it changes (found through ruamel.yaml's node positions), leaves comments, key
order, quoting and every other line alone, re-reads the result to prove it says
what was meant, and writes it atomically (:mod:`policydiff.store.yamltext` does the
splicing). An untouched file is never rewritten.

The store knows nothing of git: :mod:`policydiff.store.gitstore` builds one from the
files of any revision.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.core.alignment import STATUSES, Alignment, Anchor, Member, Theme, valid_id
from policydiff.core.errors import InputError, StoreError
from policydiff.core.problems import Problem
from policydiff.core.themes import THEMES_FILE, themes_from_data
from policydiff.store.fsutil import atomic_write_text
from policydiff.store.locking import locked
from policydiff.store.project import Project, project_relative
from policydiff.store.yamltext import (
    Edit,
    YamlText,
    dump,
    get_key,
    is_mapping,
    line_of,
    parse_yaml,
    plain,
    round_trip,
    schema_problems,
    text_value,
)

ALIGNMENTS_DIR = "alignments"
#: Files in ``alignments/`` that belong to other parts of the tool (targets).
RESERVED_FILES = frozenset({"metrics.yaml", "target-overrides.yaml"})
ALIGNMENT_SCHEMA = "alignments.schema.json"
THEMES_SCHEMA = "themes.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="


# --- the model from files -------------------------------------------------------


@dataclass
class StoreFile:
    """One YAML file of the store, as read."""

    rel: str  # path relative to the project root, with "/"
    text: str
    data: Any = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


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
    """Alignments of a schema-valid alignment file, in file order."""
    theme = str(data["theme"])
    found = []
    items = data.get("alignments") or []
    for i, item in enumerate(items):
        members = []
        for j, m in enumerate(item.get("members") or []):
            members.append(_member(m, line_of(data, ["alignments", i, "members", j])))
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


class AlignmentStore:
    """Themes and alignments of one project (or of one git revision of it).

    ``texts`` maps paths relative to the project root (``alignments/x.yaml``) to file
    contents. Broken files (YAML errors, conflict markers, schema violations) are
    skipped and listed in :attr:`problems`; ``strict`` stores raise instead.
    Edits need a ``writable`` store (the working tree, not a git revision).
    """

    def __init__(self, root: Path, texts: Mapping[str, str], *, writable: bool = True,
                 strict: bool = True, label: str = "",
                 parsed: Mapping[str, StoreFile] | None = None):
        self.root = Path(root)
        self.writable = writable
        self.label = label or "working tree"
        self.problems: list[Problem] = []
        self._files: dict[str, StoreFile] = {}
        self._themes: list[Theme] = []
        self._alignments: dict[str, Alignment] = {}
        files = dict(parsed or {})
        for rel in texts:
            files[rel] = self._parse(rel, texts[rel])
        self._files = {rel: files[rel] for rel in sorted(files)}
        self._rebuild()
        if strict:
            self.raise_for_problems()

    # -- reading --------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self.root / ALIGNMENTS_DIR

    def _parse(self, rel: str, text: str) -> StoreFile:
        name = rel.rsplit("/", 1)[-1]
        data, problems = parse_yaml(rel, text)
        if problems:
            return StoreFile(rel, text, None, problems)
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            return StoreFile(rel, text, None, [Problem(rel, 1, "expected a mapping at the top")])
        schema = THEMES_SCHEMA if name == THEMES_FILE else ALIGNMENT_SCHEMA
        return StoreFile(rel, text, data, schema_problems(rel, data, schema))

    def _rebuild(self) -> None:
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
        """A file as parsed (text, round-trip data, problems)."""
        return self._files[rel]

    def file_text(self, rel: str) -> str:
        return self._files[rel].text

    def file_data(self, rel: str) -> Any:
        """Round-trip data of a file (None when it does not parse)."""
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

    # -- editing --------------------------------------------------------------

    def set_status(self, alignment_id: str, status: str) -> Path:
        """Set an alignment's status (proposed, accepted, rejected); returns the file."""
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r} (use {', '.join(STATUSES)})")
        return self._edit_alignment(alignment_id, {"status": status},
                                    after={"status": ("label", "id")})

    def set_note(self, alignment_id: str, text: str) -> Path:
        """Replace an alignment's note; returns the file."""
        note = "\n".join(line.rstrip() for line in text.strip().splitlines())
        return self._edit_alignment(alignment_id, {"note": text_value(note)},
                                    after={"note": ("status", "label", "id")})

    def set_label(self, alignment_id: str, label: str) -> Path:
        """Replace an alignment's label; returns the file."""
        if not label.strip():
            raise InputError("a label cannot be empty")
        return self._edit_alignment(alignment_id, {"label": label.strip()},
                                    after={"label": ("id",)})

    def set_member_anchor(self, alignment_id: str, index: int, anchor: Anchor,
                          section: str | None = None) -> Path:
        """Re-anchor member ``index`` (0-based) of an alignment (``check --fix``)."""
        al = self.get(alignment_id)
        if not 0 <= index < len(al.members) or al.members[index].anchor is None:
            raise InputError(f"alignment {alignment_id!r} has no anchored member {index + 1}")
        old = al.members[index]
        values: dict[str, Any] = {"prefix": anchor.prefix, "exact": anchor.exact,
                                  "suffix": anchor.suffix, "start": anchor.start}

        def change(node_text: YamlText, item: Any) -> list[Edit]:
            members = get_key(item, "members")
            if members is None or index >= len(members[1].value):
                raise StoreError("the file changed while editing it; run the command again")
            member = members[1].value[index]
            doc = get_key(member, "doc")
            if doc is None or doc[1].value != old.doc:
                raise StoreError("the file changed while editing it; run the command again")
            edits = []
            anchor_kv = get_key(member, "anchor")
            if anchor_kv is None or not is_mapping(anchor_kv[1]):
                raise StoreError(f"member {index + 1} of {alignment_id!r} has no anchor mapping")
            order = ("prefix", "exact", "suffix", "start")
            for key in order:
                before = order[:order.index(key)]
                edits += node_text.set_key(anchor_kv[1], key, values[key], after=before[::-1])
            if section is not None:
                edits += node_text.set_key(member, "section", section, after=("doc",))
            return edits

        def expect(data: Any) -> None:
            member = _find_item(data, alignment_id)["members"][index]
            member["anchor"].update(values)
            if section is not None:
                member["section"] = section

        return self._edit(al, change, expect)

    def add(self, alignment: Alignment) -> Path:
        """Append a new alignment to its theme's file (created if needed); returns the file."""
        self._require_writable()
        with locked(self.folder, what=f"{ALIGNMENTS_DIR}/"):
            # Under the lock, see what other processes wrote since this store was read.
            self.reload()
            return self._add_locked(alignment)

    def _add_locked(self, alignment: Alignment) -> Path:
        self._check_new(alignment)
        path = self.path_for(alignment.theme)
        rel = self._rel(path)
        item = alignment_to_yaml(alignment)
        if not path.is_file():
            text = new_file_text(alignment.theme, path, [item], self._theme_title(alignment.theme))
            self._write(rel, path, text, expected=None)
            return path
        current, crlf = _lf(self._current_text(rel, path))

        def expect(data: Any) -> None:
            if data.get("alignments") is None:
                data["alignments"] = []
            data["alignments"].append(plain(item))

        doc = YamlText(current)
        new_text = doc.apply(doc.append_item(item))
        self._verify_and_write(rel, path, current, _crlf(new_text, crlf), expect)
        return path

    # -- editing machinery -----------------------------------------------------

    def _theme_title(self, theme_id: str) -> str:
        for theme in self._themes:
            if theme.id == theme_id:
                return f"{theme.name_zh} / {theme.name_en}"
        return theme_id

    def _check_new(self, alignment: Alignment) -> None:
        if not valid_id(alignment.id):
            raise InputError(f"invalid alignment id {alignment.id!r}: use a-z, 0-9 and -")
        if alignment.id in self._alignments:
            raise InputError(f"alignment {alignment.id!r} already exists "
                             f"({self._alignments[alignment.id].file})")
        if alignment.status not in STATUSES:
            raise InputError(f"unknown status {alignment.status!r} (use {', '.join(STATUSES)})")
        if not valid_id(alignment.theme):
            raise InputError(f"invalid theme id {alignment.theme!r}")
        if self._themes and alignment.theme not in {t.id for t in self._themes}:
            self.theme(alignment.theme)  # raises with the known themes
        if not alignment.label.strip():
            raise InputError("an alignment needs a label")
        if not alignment.members:
            raise InputError("an alignment needs at least one member")
        for m in alignment.members:
            if m.absent and not m.note.strip():
                raise InputError(f"absent member {m.doc!r} needs a note saying why")
            if not m.absent and (m.anchor is None or not m.anchor.exact):
                raise InputError(f"member {m.doc!r} needs an anchor (or absent with a note)")

    def _rel(self, path: Path) -> str:
        return project_relative(path, Project(self.root))

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"the store at {self.label} is read-only")

    def _current_text(self, rel: str, path: Path) -> str:
        """The file as it is on disk now (a reviewer may have edited it meanwhile)."""
        self._require_writable()
        try:
            text = read_store_text(path)
        except UnicodeDecodeError:
            raise StoreError("not UTF-8 text", path=rel) from None
        except OSError as exc:
            raise StoreError(f"cannot read: {exc.strerror}", path=rel) from None
        parsed = self._parse(rel, text)
        if not parsed.ok:
            first = next(p for p in parsed.problems if p.severity == "error")
            raise StoreError(f"cannot edit a broken file: {first.message}", path=rel,
                             line=first.line or None)
        return text

    def _edit_alignment(self, alignment_id: str, values: dict[str, Any],
                        after: dict[str, tuple[str, ...]]) -> Path:
        al = self.get(alignment_id)

        def change(doc: YamlText, item: Any) -> list[Edit]:
            edits = []
            for key, value in values.items():
                if value == "" and get_key(item, key) is None:
                    continue  # no note and an empty note are the same
                edits += doc.set_key(item, key, value, after=after.get(key, ()))
            return edits

        def expect(data: Any) -> None:
            item = _find_item(data, alignment_id)
            item.update({k: v for k, v in values.items() if v != "" or k in item})

        return self._edit(al, change, expect)

    def reload(self) -> None:
        """Re-read the store's files from disk (another process may have written them)."""
        self._require_writable()
        texts = read_folder(self.folder)
        files = {rel: (self._files[rel] if rel in self._files and self._files[rel].text == text
                       else self._parse(rel, text)) for rel, text in texts.items()}
        self._files = {rel: files[rel] for rel in sorted(files)}
        self._rebuild()

    def _edit(self, al: Alignment, change: Callable[[YamlText, Any], list[Edit]],
              expect: Callable[[Any], None]) -> Path:
        self._require_writable()
        with locked(self.folder, what=f"{ALIGNMENTS_DIR}/"):
            return self._edit_locked(al, change, expect)

    def _edit_locked(self, al: Alignment, change: Callable[[YamlText, Any], list[Edit]],
                     expect: Callable[[Any], None]) -> Path:
        rel = al.file
        path = self.root / rel
        on_disk = self._current_text(rel, path)
        current, crlf = _lf(on_disk)
        doc = YamlText(current)
        if doc.count_alignment(al.id) > 1:
            raise StoreError(f"cannot edit: alignment id {al.id!r} appears twice in the file; "
                             "give one of them another id", path=rel)
        item = doc.find_alignment(al.id)
        if item is None:
            raise StoreError(f"alignment {al.id!r} is no longer in the file; run the command "
                             "again", path=rel)
        new_text = doc.apply(change(doc, item))
        if new_text != current:
            self._verify_and_write(rel, path, current, _crlf(new_text, crlf), expect)
        else:
            self._refresh(rel, on_disk)
        return path

    def _verify_and_write(self, rel: str, path: Path, old_text: str, new_text: str,
                          expect: Callable[[Any], None]) -> None:
        expected = plain(round_trip().load(old_text))
        expect(expected)
        self._write(rel, path, new_text, expected=expected)

    def _write(self, rel: str, path: Path, text: str, expected: Any) -> None:
        self._require_writable()
        parsed = self._parse(rel, text)
        if not parsed.ok or (expected is not None and plain(parsed.data) != expected):
            detail = parsed.problems[0].message if parsed.problems else "content differs"
            raise StoreError(f"internal error: the edit would not read back as intended "
                             f"({detail}); the file was left unchanged", path=rel)
        atomic_write_text(path, text)
        self._files[rel] = parsed
        self._rebuild()

    def _refresh(self, rel: str, text: str) -> None:
        if self._files.get(rel) is None or self._files[rel].text != text:
            self._files[rel] = self._parse(rel, text)
            self._rebuild()


def _lf(text: str) -> tuple[str, bool]:
    """Text with ``\n`` line ends for editing, and whether the file used CRLF."""
    crlf = "\r\n" in text
    return (text.replace("\r\n", "\n") if crlf else text), crlf


def _crlf(text: str, crlf: bool) -> str:
    """Back to the file's own line ends: one edit never rewrites a CRLF file whole."""
    return text.replace("\n", "\r\n") if crlf else text


def _find_item(data: Any, alignment_id: str) -> dict:
    for item in data.get("alignments") or []:
        if item.get("id") == alignment_id:
            return item
    raise StoreError(f"alignment {alignment_id!r} not found while editing")


# --- rendering ------------------------------------------------------------------


def alignment_to_yaml(alignment: Alignment) -> Any:
    """An alignment as round-trip YAML data, keys in the order reviewers read them."""
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap()
    item["id"] = alignment.id
    item["label"] = alignment.label
    item["status"] = alignment.status
    if alignment.origin:
        item["origin"] = alignment.origin
    if alignment.note:
        item["note"] = text_value(alignment.note)
    members = []
    for m in alignment.members:
        entry = CommentedMap()
        entry["doc"] = m.doc
        if m.section is not None:
            entry["section"] = str(m.section)
        if m.absent:
            entry["absent"] = True
        elif m.anchor is not None:
            anchor = CommentedMap()
            if m.anchor.prefix:
                anchor["prefix"] = m.anchor.prefix
            anchor["exact"] = m.anchor.exact
            if m.anchor.suffix:
                anchor["suffix"] = m.anchor.suffix
            anchor["start"] = int(m.anchor.start)
            entry["anchor"] = anchor
        if m.note:
            entry["note"] = text_value(m.note)
        members.append(entry)
    item["members"] = members
    return item


def new_file_text(theme: str, path: Path, items: list[Any], title: str = "") -> str:
    """A new alignment file: schema line, a comment, ``theme`` and the items."""
    from ruamel.yaml.comments import CommentedMap

    from policydiff.store.schema_ref import schema_reference

    schema = schema_reference(path.parent.parent, path.parent, ALIGNMENT_SCHEMA)
    data = CommentedMap()
    data["theme"] = theme
    data["alignments"] = items
    header = (f"{SCHEMA_LINE}{schema}\n"
              f"# Theme {theme!r}{f' ({title})' if title else ''}: alignments of passages,\n"
              "# one or more per document, that speak to the same point. Edit by hand or with\n"
              "# policydiff align/accept/reject/note; validate with `policydiff check`.\n")
    return header + dump(data)


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


def load_store(project: Project, *, strict: bool = True) -> AlignmentStore:
    """The project's alignment store from the working tree.

    ``strict`` (the default) raises :class:`StoreError` with ``file:line`` when a
    file is broken; ``strict=False`` skips broken files and lists them in
    ``store.problems`` (for views that must keep working).
    """
    if not project.alignments_dir.is_dir():
        raise StoreError("no alignments/ folder in the project", path=str(project.root))
    return AlignmentStore(project.root, read_texts(project), writable=True, strict=strict)
