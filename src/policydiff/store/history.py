"""What changed in the alignments, said the way a reviewer thinks of it.

A line diff of YAML shows moved quotes and re-indented notes; reviewers want
"status proposed → accepted", "passage added in 2021-14th-plan §3.1", "note
changed". :func:`diff_stores` compares two stores (pure); :func:`history` and
:func:`changes` apply it to git revisions through :mod:`policydiff.store.gitstore`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policydiff.core.alignment import Alignment, Member
from policydiff.store.project import Project
from policydiff.store.snapshot import AlignmentSnapshot

PREVIEW = 40


@dataclass(frozen=True)
class Change:
    """One semantic change.

    ``kind`` is one of: ``added``, ``removed``, ``status``, ``label``, ``note``,
    ``theme`` (alignment moved to another theme), ``member_added``,
    ``member_removed``, ``member_moved``, ``member_absent``, ``member_note``,
    ``theme_added``, ``theme_removed``, ``theme_changed``, ``broken`` (a file that
    does not parse at the new revision: its alignments are not compared, rather than
    reported removed) and ``repaired`` (a file broken at the old revision, readable at
    the new one: its alignments are not reported added).
    """

    kind: str
    alignment: str  # alignment id ("" for changes of a theme definition)
    theme: str
    summary: str
    doc: str | None = None
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        return f"{self.alignment}: {self.summary}" if self.alignment else self.summary

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "alignment": self.alignment or None, "theme": self.theme,
                "doc": self.doc, "summary": self.summary, "old": self.old, "new": self.new}


@dataclass
class HistoryEntry:
    """A commit that changed the store, and what it changed."""

    commit: str
    short: str
    author: str
    email: str
    date: str
    message: str
    changes: list[Change] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"commit": self.commit, "short": self.short, "author": self.author,
                "email": self.email, "date": self.date, "message": self.message,
                "changes": [c.to_dict() for c in self.changes]}


def _q(text: str) -> str:
    flat = " ".join(text.split())
    return "«" + (flat if len(flat) <= PREVIEW else flat[:PREVIEW] + "…") + "»"


def _where(member: Member) -> str:
    return f"{member.doc} §{member.section}" if member.section else member.doc


# --- comparing two stores ---------------------------------------------------------


def _broken(store: AlignmentSnapshot | None) -> dict[str, Any]:
    """Files of ``store`` that do not parse: relative path -> their first error."""
    if store is None:
        return {}
    out = {}
    for rel in store.files():
        f = store.stored_file(rel)
        if not f.ok:
            out[rel] = next(p for p in f.problems if p.severity == "error")
    return out


def _file_theme(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].removesuffix(".yaml")


def diff_stores(old: AlignmentSnapshot | None, new: AlignmentSnapshot | None) -> list[Change]:
    """Semantic changes from ``old`` to ``new`` (either may be None: no store).

    A file broken at either side (a merge conflict, a YAML or schema error) is
    reported once as ``broken`` or ``repaired`` with its ``file:line``; the
    alignments it held are not reported removed or added, because nobody removed
    them: the file just cannot be read there.
    """
    changes: list[Change] = []
    old_broken, new_broken = _broken(old), _broken(new)
    for rel, problem in new_broken.items():
        if old_broken.get(rel) == problem:
            continue
        label = new.label if new is not None else "new"
        changes.append(Change("broken", "", _file_theme(rel), f"{rel} is broken at {label} "
                              f"({problem}): its alignments are not compared",
                              new=str(problem)))
    for rel in old_broken.keys() - new_broken.keys():
        label = old.label if old is not None else "old"
        changes.append(Change("repaired", "", _file_theme(rel), f"{rel} was broken at {label} "
                              f"({old_broken[rel]}) and is readable again",
                              old=str(old_broken[rel])))
    skip_themes = any(rel.endswith("/themes.yaml") for rel in [*old_broken, *new_broken])
    old_themes = {t.id: t for t in (old.themes() if old and not skip_themes else [])}
    new_themes = {t.id: t for t in (new.themes() if new and not skip_themes else [])}
    for tid, theme in new_themes.items():
        before = old_themes.get(tid)
        if before is None:
            changes.append(Change("theme_added", "", tid, f"theme {tid} added: {theme.name_zh} / "
                                  f"{theme.name_en}", new=theme.to_dict()))
        elif before != theme:
            changes.append(Change("theme_changed", "", tid, _theme_summary(before, theme),
                                  old=before.to_dict(), new=theme.to_dict()))
    for tid in old_themes.keys() - new_themes.keys():
        changes.append(Change("theme_removed", "", tid, f"theme {tid} removed"))

    old_al = {a.id: a for a in (old.alignments() if old else [])}
    new_al = {a.id: a for a in (new.alignments() if new else [])}
    for aid, al in new_al.items():
        before = old_al.get(aid)
        if before is None:
            if al.file in old_broken:
                continue
            present = len([m for m in al.members if not m.absent])
            changes.append(Change("added", aid, al.theme, f"added [{al.status}] «{al.label}» "
                                  f"with {present} passage(s)", new=al.to_dict()))
        else:
            changes.extend(diff_alignment(before, al))
    for aid, al in old_al.items():
        if aid not in new_al and al.file not in new_broken:
            changes.append(Change("removed", aid, al.theme, f"removed «{al.label}»",
                                  old=al.to_dict()))
    return changes


def _theme_summary(old: Any, new: Any) -> str:
    parts = []
    if (old.name_zh, old.name_en) != (new.name_zh, new.name_en):
        parts.append(f"renamed {old.name_zh} / {old.name_en} → {new.name_zh} / {new.name_en}")
    added = [t for t in new.terms if t not in old.terms]
    removed = [t for t in old.terms if t not in new.terms]
    if added or removed:
        terms = [f"+{t}" for t in added] + [f"−{t}" for t in removed]
        parts.append("terms " + " ".join(terms))
    if old.description != new.description:
        parts.append("description changed")
    return f"theme {new.id}: " + ("; ".join(parts) if parts else "changed")


def diff_alignment(old: Alignment, new: Alignment) -> list[Change]:
    """Changes of one alignment (same id) between two versions."""
    out: list[Change] = []
    aid, theme = new.id, new.theme
    if old.theme != new.theme:
        out.append(Change("theme", aid, theme, f"moved from theme {old.theme} to {new.theme}",
                          old=old.theme, new=new.theme))
    if old.status != new.status:
        out.append(Change("status", aid, theme, f"status {old.status} → {new.status}",
                          old=old.status, new=new.status))
    if old.label != new.label:
        out.append(Change("label", aid, theme, f"label «{old.label}» → «{new.label}»",
                          old=old.label, new=new.label))
    if old.note.strip() != new.note.strip():
        verb = "added" if not old.note.strip() else "removed" if not new.note.strip() else "changed"
        out.append(Change("note", aid, theme, f"note {verb}: {_q(new.note)}" if new.note.strip()
                          else f"note {verb}", old=old.note, new=new.note))
    out.extend(_member_changes(old, new))
    return out


def _pair_members(old: list[Member], new: list[Member]) -> tuple[list[tuple[Member, Member]],
                                                                  list[Member], list[Member]]:
    """Pair members of one document: same quote first, then in order."""
    pairs: list[tuple[Member, Member]] = []
    rest_old = list(old)
    rest_new = []
    for m in new:
        match = next((o for o in rest_old if o.quote == m.quote and o.absent == m.absent), None)
        if match is not None:
            rest_old.remove(match)
            pairs.append((match, m))
        else:
            rest_new.append(m)
    while rest_old and rest_new:
        pairs.append((rest_old.pop(0), rest_new.pop(0)))
    return pairs, rest_old, rest_new


def _member_changes(old: Alignment, new: Alignment) -> list[Change]:
    out: list[Change] = []
    aid, theme = new.id, new.theme
    docs = list(dict.fromkeys([m.doc for m in old.members] + [m.doc for m in new.members]))
    for doc in docs:
        pairs, removed, added = _pair_members([m for m in old.members if m.doc == doc],
                                              [m for m in new.members if m.doc == doc])
        for m in added:
            out.append(_member_added(aid, theme, m))
        for m in removed:
            what = "absence record removed" if m.absent else f"passage removed: {_q(m.quote)}"
            out.append(Change("member_removed", aid, theme, f"{_where(m)}: {what}", doc,
                              old=_member_dict(m)))
        for before, after in pairs:
            change = _member_change(aid, theme, before, after)
            if change is not None:
                out.append(change)
    return out


def _member_added(aid: str, theme: str, m: Member) -> Change:
    if m.absent:
        return Change("member_absent", aid, theme, f"{m.doc} recorded absent: {_q(m.note)}",
                      m.doc, new=_member_dict(m))
    return Change("member_added", aid, theme, f"passage added in {_where(m)}: {_q(m.quote)}",
                  m.doc, new=_member_dict(m))


def _member_change(aid: str, theme: str, before: Member, after: Member) -> Change | None:
    doc = after.doc
    if before.absent != after.absent:
        if after.absent:
            return Change("member_absent", aid, theme, f"{doc} marked absent (was "
                          f"{_q(before.quote)}): {_q(after.note)}", doc, _member_dict(before),
                          _member_dict(after))
        return Change("member_added", aid, theme, f"passage found in {_where(after)} (was "
                      f"absent): {_q(after.quote)}", doc, _member_dict(before),
                      _member_dict(after))
    parts = []
    if before.quote != after.quote:
        parts.append(f"quote {_q(before.quote)} → {_q(after.quote)}")
    if before.section != after.section:
        parts.append(f"section {before.section or '?'} → {after.section or '?'}")
    if before.anchor and after.anchor and before.anchor.start != after.anchor.start:
        parts.append(f"offset {after.anchor.start - before.anchor.start:+d}")
    if parts:
        return Change("member_moved", aid, theme, f"passage in {doc} moved: " + ", ".join(parts),
                      doc, _member_dict(before), _member_dict(after))
    if before.note.strip() != after.note.strip() or (
            before.anchor and after.anchor and before.anchor != after.anchor):
        what = "note changed" if before.note.strip() != after.note.strip() else "context changed"
        return Change("member_note", aid, theme, f"{_where(after)}: {what}", doc,
                      _member_dict(before), _member_dict(after))
    return None


def _member_dict(m: Member) -> dict[str, Any]:
    from policydiff.core.alignment import member_to_dict

    return member_to_dict(m)


# --- over git ---------------------------------------------------------------------------


def _matches(change: Change, target: str | None, is_theme: bool) -> bool:
    if target is None:
        return True
    return change.theme == target if is_theme else change.alignment == target


def _is_theme(project: Project, target: str | None, stores: list[AlignmentSnapshot]) -> bool:
    if target is None:
        return False
    return any(target in {t.id for t in s.themes()} for s in stores if s is not None)


def history(project: Project, target: str | None = None, since: str | None = None,
            limit: int | None = None) -> list[HistoryEntry]:
    """Commits that changed the store, newest first, with their semantic changes.

    ``target`` is a theme id or an alignment id: only commits that changed it are
    listed, with only its changes. ``since`` excludes that revision and its ancestors.
    Commits that changed only comments or formatting are listed with no changes.
    """
    from policydiff.store import gitstore

    repo = gitstore.open_repo(project)
    if not repo.head.is_valid():
        return []
    entries: list[HistoryEntry] = []
    is_theme: bool | None = None
    for commit in gitstore.store_commits(project, since=since):
        new = gitstore.store_at_commit(project, repo, commit)
        parent = commit.parents[0] if commit.parents else None
        old = gitstore.store_at_commit(project, repo, parent) if parent is not None else None
        if is_theme is None:
            is_theme = _is_theme(project, target, [new])
        found = [c for c in diff_stores(old, new) if _matches(c, target, is_theme)]
        if target is not None and not found:
            continue
        info = gitstore.commit_info(commit)
        entries.append(HistoryEntry(info.sha, info.short, info.author, info.email, info.date,
                                    info.message, found))
        if limit is not None and len(entries) >= limit:
            break
    return entries


def changes(project: Project, rev_range: str) -> tuple[str, str, list[Change]]:
    """Semantic changes between two revisions: ``A..B``, ``A..`` (to HEAD), or ``A``
    alone (to the working tree, uncommitted edits included). Returns (from, to, changes)."""
    from policydiff.core.errors import InputError
    from policydiff.store import gitstore
    from policydiff.store.snapshot import load_snapshot

    repo = gitstore.open_repo(project)
    if ".." in rev_range:
        if "..." in rev_range:
            raise InputError("use REV1..REV2 (two dots)")
        a, b = rev_range.split("..", 1)
        a, b = a or "HEAD", b or "HEAD"
        old = gitstore.store_at_commit(project, repo, gitstore.resolve_commit(repo, a), label=a)
        new = gitstore.store_at_commit(project, repo, gitstore.resolve_commit(repo, b), label=b)
        return a, b, diff_stores(old, new)
    a = rev_range or "HEAD"
    old = gitstore.store_at_commit(project, repo, gitstore.resolve_commit(repo, a), label=a)
    return a, "working tree", diff_stores(old, load_snapshot(project, strict=False))
