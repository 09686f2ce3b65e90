"""The alignment store's editor: ``alignments/themes.yaml`` and one YAML file per theme.

Reviewers edit these files by hand and review them in git, so the tool edits them
like a careful reviewer would: an edit rewrites only the characters of the values
it changes (found through the YAML node positions), leaves comments, key order,
quoting, line ends and every other line alone, re-reads the result to prove it says
what was meant, and writes it atomically (:mod:`policydiff.store.yamltext` does the
splicing). An untouched file is never rewritten.

Reading is :class:`~policydiff.store.snapshot.AlignmentSnapshot` (what every reader
uses); :class:`AlignmentStore` is a snapshot that can also edit. Edits are batched:
inside ``with store.batch():`` every edit is queued (and visible at once through
``get``), and on leaving the block each changed file is read once, composed once,
has all its edits spliced in one pass, is verified once and written once, under the
store's lock. An edit outside a batch is a batch of one.

The store knows nothing of git: :mod:`policydiff.store.gitstore` builds one from the
files of any revision.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.core.alignment import STATUSES, Alignment, Anchor, valid_id
from policydiff.core.collector import gc_paused
from policydiff.core.errors import InputError, StoreError
from policydiff.store.fsutil import atomic_write_text
from policydiff.store.locking import locked
from policydiff.store.project import Project, project_relative
from policydiff.store.snapshot import (  # noqa: F401  (re-exported: the store's vocabulary)
    ALIGNMENT_SCHEMA,
    ALIGNMENTS_DIR,
    RESERVED_FILES,
    SCHEMA_LINE,
    THEMES_FILE,
    THEMES_SCHEMA,
    AlignmentSnapshot,
    StoreFile,
    alignments_from_data,
    is_store_file,
    load_snapshot,
    parse_store_file,
    read_folder,
    read_store_text,
    read_texts,
)
from policydiff.store.yamltext import (
    Edit,
    YamlText,
    get_key,
    is_mapping,
    plain,
    text_value,
)

__all__ = [
    "ALIGNMENTS_DIR", "ALIGNMENT_SCHEMA", "SCHEMA_LINE", "THEMES_FILE", "THEMES_SCHEMA",
    "AlignmentSnapshot", "AlignmentStore", "StoreFile", "alignment_to_yaml", "as_editor",
    "is_store_file",
    "load_snapshot", "load_store", "new_file_text", "read_folder", "read_store_text",
    "read_texts",
]

#: (yaml text, item node) -> edits; (the item as plain data) -> None: what to expect;
#: (the item as plain data) -> (the part the edit changed, its schema definition).
Change = Callable[[YamlText, Any], list[Edit]]
Expect = Callable[[dict], None]
Part = Callable[[dict], tuple[Any, str]]


def _whole(item: dict) -> tuple[Any, str]:
    return item, "alignment"


@dataclass
class _ItemEdit:
    """A queued edit of one existing alignment."""

    alignment: str
    change: Change
    expect: Expect
    part: Part = _whole  # what to validate after the edit


@dataclass
class _Pending:
    """Edits queued for one file."""

    edits: list[_ItemEdit] = dataclasses.field(default_factory=list)
    added: list[Alignment] = dataclasses.field(default_factory=list)


class AlignmentStore(AlignmentSnapshot):
    """A snapshot that can edit its files (the working tree; not a git revision).

    Edits need a ``writable`` store; a store built with ``writable=False`` (a git
    revision) refuses them with one clear error. The editing methods return the
    file they change (inside a batch: the file they will change).
    """

    def __init__(self, root: Path, texts: Mapping[str, str], *, writable: bool = True,
                 strict: bool = True, label: str = "",
                 parsed: Mapping[str, StoreFile] | None = None):
        self.writable = writable
        self._pending: dict[str, _Pending] | None = None
        super().__init__(root, texts, strict=strict, label=label, parsed=parsed)

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

        def expect(item: dict) -> None:
            member = item["members"][index]
            member["anchor"].update(values)
            if section is not None:
                member["section"] = section

        members = list(al.members)
        members[index] = dataclasses.replace(
            old, anchor=Anchor(exact=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix,
                               start=int(anchor.start)),
            section=old.section if section is None else section)
        def part(item: dict) -> tuple[Any, str]:
            return item["members"][index], "member"

        return self._queue(al, _ItemEdit(al.id, change, expect, part),
                           dataclasses.replace(al, members=members))

    def add(self, alignment: Alignment) -> Path:
        """Append a new alignment to its theme's file (created if needed); returns the file."""
        with self._batch_of_one():
            self._check_new(alignment)
            path = self.path_for(alignment.theme)
            rel = self._rel(path)
            assert self._pending is not None
            self._pending.setdefault(rel, _Pending()).added.append(alignment)
            self._alignments[alignment.id] = dataclasses.replace(alignment, file=rel, line=0)
            return path

    @contextlib.contextmanager
    def batch(self) -> Iterator[AlignmentStore]:
        """Queue every edit made in the block; write each changed file once at the end.

        Holds the store's lock for the block and starts from the files on disk (another
        process may have written them). If the block raises, nothing is written and the
        store is read again from disk. The garbage collector waits until the end: a batch
        builds and reads back many objects with no cycles among them, and with a corpus in
        memory each collection walked millions (see :mod:`policydiff.core.collector`).
        """
        if self._pending is not None:  # nested: the outer batch writes
            yield self
            return
        self._require_writable()
        with locked(self.folder, what=f"{ALIGNMENTS_DIR}/"), gc_paused():
            before = dict(self._files)
            self.reload()
            self._pending = {}
            try:
                yield self
                pending, self._pending = self._pending, None
                self._commit(pending)
            except BaseException:
                # Nothing was written: the store reads as it did before the batch (a
                # viewer showing the last good state of a file broken on disk keeps it).
                self._pending = None
                self._files = before
                self._rebuild()
                raise

    # -- editing machinery -----------------------------------------------------

    @contextlib.contextmanager
    def _batch_of_one(self) -> Iterator[None]:
        if self._pending is not None:
            yield
            return
        with self.batch():
            yield

    def _queue(self, al: Alignment, edit: _ItemEdit, after: Alignment) -> Path:
        with self._batch_of_one():
            assert self._pending is not None
            self._refuse_broken(al)
            current = self.get(al.id)  # as of the batch start (the file on disk)
            self._pending.setdefault(current.file, _Pending()).edits.append(edit)
            self._alignments[al.id] = dataclasses.replace(
                after, file=current.file, line=current.line)
            return self.root / current.file

    def _refuse_broken(self, al: Alignment) -> None:
        """An alignment whose file no longer parses on disk: say that, not 'unknown id'."""
        work = self._files.get(al.file)
        if al.id not in self._alignments and work is not None and not work.ok:
            first = next((p for p in work.problems if p.severity == "error"), None)
            raise StoreError("cannot edit a broken file" + (f": {first.message}" if first else ""),
                             path=al.file, line=(first.line or None) if first else None)

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

        def expect(item: dict) -> None:
            item.update({k: plain(v) for k, v in values.items() if v != "" or k in item})

        return self._queue(al, _ItemEdit(alignment_id, change, expect),
                           dataclasses.replace(al, **{k: str(v) for k, v in values.items()}))

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
            if not valid_id(m.doc):
                raise InputError(f"member document {m.doc!r} is not a document id "
                                 "(a-z, 0-9 and -)")
            if m.anchor is not None and m.anchor.start < 0:
                raise InputError(f"member {m.doc!r}: an anchor's start cannot be negative")
            if m.absent and not m.note.strip():
                raise InputError(f"absent member {m.doc!r} needs a note saying why")
            if not m.absent and (m.anchor is None or not m.anchor.exact):
                raise InputError(f"member {m.doc!r} needs an anchor (or absent with a note)")

    def _rel(self, path: Path) -> str:
        return project_relative(path, Project(self.root))

    def _require_writable(self) -> None:
        if not self.writable:
            raise StoreError(f"the store at {self.label} is read-only")

    def reload(self) -> None:
        """Re-read the store's files from disk (another process may have written them);
        files whose text did not change are not parsed again."""
        self._require_writable()
        texts = read_folder(self.folder)
        from policydiff.store import schema_cache

        valid: list[str] = []
        files = {rel: (self._files[rel] if rel in self._files and self._files[rel].text == text
                       else parse_store_file(rel, text, self.root, valid))
                 for rel, text in texts.items()}
        schema_cache.remember_valid(self.root, valid)
        self._files = {rel: files[rel] for rel in sorted(files)}
        self._rebuild()

    def _commit(self, pending: dict[str, _Pending]) -> None:
        """Write every file with queued edits: once each, verified, atomically."""
        try:
            for rel, work in pending.items():
                self._commit_file(rel, work)
        finally:
            self._rebuild()

    def _commit_file(self, rel: str, work: _Pending) -> None:
        path = self.root / rel
        if not path.is_file():
            if work.edits:
                raise StoreError("the file disappeared while editing it; run the command "
                                 "again", path=rel)
            theme = work.added[0].theme
            items = [alignment_to_yaml(a) for a in work.added]
            text = new_file_text(theme, path, items, self._theme_title(theme))
            # read back and compared; not schema-checked again: _check_new let in only
            # what the schema allows (a property test holds the two together)
            self._write(rel, path, text, expected={"theme": theme, "alignments": items},
                        changed=[])
            return
        if rel not in self._files:
            raise StoreError("not a file of the alignment store", path=rel)
        on_disk = self._files[rel].text  # reload() read it under the lock
        if not self._files[rel].ok:
            first = next(p for p in self._files[rel].problems if p.severity == "error")
            raise StoreError(f"cannot edit a broken file: {first.message}", path=rel,
                             line=first.line or None)
        current, crlf = _lf(on_disk)
        doc = YamlText(current)
        items = doc.alignment_items()
        expected, by_id = _expectation(self._files[rel].data)
        edits: list[Edit] = []
        changed: dict[int, tuple[Any, str]] = {}  # parts as they will read (validated alone)
        for edit in work.edits:
            nodes = items.get(edit.alignment, [])
            if len(nodes) > 1:
                raise StoreError(f"cannot edit: alignment id {edit.alignment!r} appears twice "
                                 "in the file; give one of them another id", path=rel)
            if not nodes or edit.alignment not in by_id:
                raise StoreError(f"alignment {edit.alignment!r} is no longer in the file; run "
                                 "the command again", path=rel)
            edits += edit.change(doc, nodes[0])
            edit.expect(by_id[edit.alignment])
            value, definition = edit.part(by_id[edit.alignment])
            changed[id(value)] = (value, definition)
        if work.added:
            new_items = [alignment_to_yaml(a) for a in work.added]
            edits += doc.append_items(new_items)
            if expected.get("alignments") is None:
                expected["alignments"] = []
            # schema-valid as made (see _check_new): read back and compared only
            expected["alignments"].extend(plain(item) for item in new_items)
        new_text = doc.apply(edits)
        if new_text != current:
            self._write(rel, path, _crlf(new_text, crlf), expected=expected,
                        changed=list(changed.values()))

    def _verified(self, rel: str, text: str, expected: Any,
                  changed: list[tuple[Any, str]]) -> StoreFile | None:
        """The new text as read, if it reads as ``expected`` and the ``changed`` parts are
        schema-valid: the rest of the file was valid and reads the same, and alignments
        added are valid as made (:meth:`_check_new`), so the file is valid without
        validating it whole (its digest is remembered as valid)."""
        from policydiff.store import fastyaml, schema_cache, snapshot
        from policydiff.store.yamltext import valid_definition

        try:
            data = fastyaml.load(text)
        except fastyaml.Fallback:
            return None
        snapshot.PARSES["fast"] += 1
        # plain data (no ruamel types) compares as it is: no copy of a big file
        if not isinstance(data, dict) or data != expected or not all(
                valid_definition(value, ALIGNMENT_SCHEMA, definition)
                for value, definition in changed):
            return None
        schema_cache.remember_valid(self.root, [schema_cache.digest(ALIGNMENT_SCHEMA, text)])
        return StoreFile(rel, text, data, [])

    def _write(self, rel: str, path: Path, text: str, expected: Any,
               changed: list[tuple[Any, str]] | None = None) -> None:
        self._require_writable()
        parsed = None
        if expected is not None and changed is not None and rel.endswith(".yaml") and \
                not rel.endswith("/" + THEMES_FILE):
            parsed = self._verified(rel, text, expected, changed)
        if parsed is None:
            parsed = parse_store_file(rel, text, self.root)
        if not parsed.ok or (expected is not None and _plain_data(parsed.data) != expected):
            detail = parsed.problems[0].message if parsed.problems else "content differs"
            raise StoreError(f"internal error: the edit would not read back as intended "
                             f"({detail}); the file was left unchanged", path=rel)
        atomic_write_text(path, text)
        self._files[rel] = parsed


class _Items(dict):
    """Alignment items by id, copied (as plain data) the first time one is looked up:
    an edit changes the copy, the file's data stays as read."""

    def __init__(self, items: list[Any]):
        super().__init__()
        self._items = items
        self._index = {item.get("id"): i for i, item in enumerate(items)
                       if isinstance(item, Mapping)}

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def __missing__(self, key: str) -> Any:
        i = self._index[key]
        self._items[i] = copy = plain(self._items[i])
        self[key] = copy
        return copy


def _expectation(data: Any) -> tuple[dict, Mapping[str, Any]]:
    """What the file should read after its edits: a copy of ``data`` to change, and its
    items by id. Plain data from the fast loader is copied only where edits change it
    (a 5,000-alignment file is not copied whole for one edit); round-trip data is made
    plain whole (its dates and ruamel types read back as plain values)."""
    from policydiff.store.fastyaml import LineMap

    if not isinstance(data, LineMap):
        expected = plain(data)
        return expected, {item.get("id"): item for item in (expected.get("alignments") or [])}
    expected = dict(data)
    items = data.get("alignments")
    if not isinstance(items, list):
        return expected, {}
    expected["alignments"] = copied = list(items)
    return expected, _Items(copied)


def _plain_data(data: Any) -> Any:
    """``data`` as plain values to compare: the fast loader's are already (a new file of
    30,000 members is not copied to be compared), round-trip data is converted."""
    from policydiff.store.fastyaml import LineMap

    return data if isinstance(data, LineMap) else plain(data)


def _lf(text: str) -> tuple[str, bool]:
    """Text with ``\\n`` line ends for editing, and whether the file used CRLF."""
    crlf = "\r\n" in text
    return (text.replace("\r\n", "\n") if crlf else text), crlf


def _crlf(text: str, crlf: bool) -> str:
    """Back to the file's own line ends: one edit never rewrites a CRLF file whole."""
    return text.replace("\n", "\r\n") if crlf else text


# --- rendering ------------------------------------------------------------------


def alignment_to_yaml(alignment: Alignment) -> dict[str, Any]:
    """An alignment as YAML data, keys in the order reviewers read them. Plain dicts (the
    dumper keeps their order): a new item has no comments to keep, and building ruamel's
    round-trip maps for 30,000 members was a sixth of ``suggest --write``."""
    item: dict[str, Any] = {"id": alignment.id, "label": alignment.label,
                            "status": alignment.status}
    if alignment.origin:
        item["origin"] = alignment.origin
    if alignment.note:
        item["note"] = text_value(alignment.note)
    members = []
    for m in alignment.members:
        entry: dict[str, Any] = {"doc": m.doc}
        if m.section is not None:
            entry["section"] = str(m.section)
        if m.absent:
            entry["absent"] = True
        elif m.anchor is not None:
            anchor: dict[str, Any] = {}
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
    from policydiff.store.schema_ref import schema_reference

    schema = schema_reference(path.parent.parent, path.parent, ALIGNMENT_SCHEMA)
    header = (f"{SCHEMA_LINE}{schema}\n"
              f"# Theme {theme!r}{f' ({title})' if title else ''}: alignments of passages,\n"
              "# one or more per document, that speak to the same point. Edit by hand or with\n"
              "# policydiff align/accept/reject/note; validate with `policydiff check`.\n")
    return header + _new_file_body(theme, items)


def _new_file_body(theme: str, items: list[Any]) -> str:
    """``dump({"theme": theme, "alignments": items})``, fast (see ``dump_items``)."""
    from policydiff.store.yamltext import dump_items, render_value

    return f"theme: {render_value(theme, flow=False, indent=0)}\nalignments:\n" + \
        dump_items(items)


# --- loading ------------------------------------------------------------------------


def as_editor(store: AlignmentSnapshot) -> AlignmentStore:
    """An editor over a snapshot's files as read (nothing is parsed again); a store that
    is already an editor (or a read-only git revision) is returned as it is."""
    if isinstance(store, AlignmentStore):
        return store
    return AlignmentStore(store.root, {}, strict=False, label=store.label,
                          parsed={rel: store.stored_file(rel) for rel in store.files()})


def load_store(project: Project, *, strict: bool = True) -> AlignmentStore:
    """The project's alignment store from the working tree, for editing.

    ``strict`` (the default) raises :class:`StoreError` with ``file:line`` when a
    file is broken; ``strict=False`` skips broken files and lists them in
    ``store.problems`` (for views that must keep working). Readers that never edit
    use :func:`~policydiff.store.snapshot.load_snapshot`.
    """
    if not project.alignments_dir.is_dir():
        raise StoreError("no alignments/ folder in the project", path=str(project.root))
    return AlignmentStore(project.root, read_texts(project), writable=True, strict=strict)
