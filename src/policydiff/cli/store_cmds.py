"""Alignment store commands: ``check``, ``alignments``, ``align``, ``accept``,
``reject``, ``note``, ``history``, ``changes``."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from policydiff.cli.app import EXIT_PROBLEMS, cli, emit_json, format_option, get_project, warn
from policydiff.cli.app import emit_table as _emit_table
from policydiff.core.errors import InputError
from policydiff.store.project import project_relative

COMMIT_HELP = "Commit the alignment files this command touched (and nothing else)."


def emit_table(columns: list[str], rows: list[list[object]], title: str) -> None:
    """A table whose cells are text, never rich markup (labels may contain brackets)."""
    _emit_table(columns, rows, title=title)


def _commit_options(func):
    func = click.option("-m", "--message", default=None,
                        help="Commit message (with --commit). Default: says what was done.")(func)
    return click.option("--commit", "do_commit", is_flag=True, help=COMMIT_HELP)(func)


def _commit(project, paths: list[Path], message: str, already_dirty: set[Path]) -> None:
    from policydiff.store import gitstore

    changed = {p.resolve() for p in gitstore.changed_files(project)}
    if not any(p.resolve() in changed for p in paths):
        click.echo(f"nothing to commit: {', '.join(project_relative(p, project) for p in paths)} "
                   "is as in the last commit")
        return
    short = gitstore.commit_files(project, paths, message)
    files = ", ".join(project_relative(p, project) for p in paths)
    click.echo(f"committed {short}: {files}")
    if gitstore.detached_head(project):
        warn(f"HEAD is detached: commit {short} is on no branch; keep it with "
             f"`git switch -c NEW-BRANCH` (or `git branch NAME {short}`)")
    mixed = [p for p in paths if p.resolve() in already_dirty]
    if mixed:
        names = ", ".join(project_relative(p, project) for p in mixed)
        click.echo(f"note: {names} also had earlier uncommitted edits; they are part of this "
                   "commit", err=True)


def _dirty_before(project, do_commit: bool) -> set[Path]:
    """With --commit, make sure git is usable before editing anything."""
    if not do_commit:
        return set()
    from policydiff.core.errors import StoreError
    from policydiff.store import gitstore

    try:
        gitstore.open_repo(project)
    except StoreError:
        raise StoreError("not a git repository, so --commit cannot work; nothing was "
                         "changed (run the command without --commit, or `git init` first)",
                         path=str(project.root)) from None
    return {p.resolve() for p in gitstore.changed_files(project)}


@contextlib.contextmanager
def _editing(project):
    """Hold the store lock for a whole command: its reads, edits and commit.

    Another policydiff process editing the store waits (and says so) instead of
    overwriting this one's edit, and a commit holds exactly this command's edit.
    """
    from policydiff.store.alignments import ALIGNMENTS_DIR
    from policydiff.store.locking import locked, set_wait_reporter

    set_wait_reporter(warn)
    with locked(project.alignments_dir, what=f"{ALIGNMENTS_DIR}/"):
        yield


# --- check --------------------------------------------------------------------------


@cli.command("check")
@click.option("--fix", is_flag=True,
              help="Re-anchor drifted passages in place (never deletes anything).")
@format_option("text", "json")
def check_cmd(fix: bool, fmt: str) -> None:
    """Validate the alignment files against their schema and the corpus.

    Reports YAML errors, git conflict markers, unknown documents, themes and
    sections, duplicate ids, and quotes that drifted or can no longer be found,
    each as file:line: message. Exit 1 when there are errors.

    \b
    Examples:
      policydiff check
      policydiff check --fix
      policydiff check --format json
    """
    from policydiff.store.check import check_project

    project = get_project()
    if fix:
        with _editing(project):
            result = check_project(project, fix=fix)
    else:
        result = check_project(project, fix=fix)
    if fmt == "json":
        emit_json({"ok": result.ok, "summary": result.summary(), "fixed": result.fixed,
                   "problems": [{"path": p.path, "line": p.line, "severity": p.severity,
                                 "message": p.message} for p in result.problems]})
    else:
        for line in result.fixed:
            click.echo(f"fixed: {line}")
        for problem in result.problems:
            click.echo(str(problem))
        click.echo(result.summary(), err=True)
    if not result.ok:
        sys.exit(EXIT_PROBLEMS)


# --- alignments -----------------------------------------------------------------------


@cli.command("alignments")
@click.option("--theme", default=None, help="Only this theme.")
@click.option("--status", type=click.Choice(["proposed", "accepted", "rejected"]), default=None,
              help="Only alignments with this status.")
@click.option("--rev", default=None,
              help="Read the alignments at this git revision (from git objects, no checkout).")
@format_option("table", "json")
def alignments_cmd(theme: str | None, status: str | None, rev: str | None, fmt: str) -> None:
    """List alignments: id, theme, status, label and their passages.

    \b
    Examples:
      policydiff alignments --theme talent
      policydiff alignments --status proposed --format json
      policydiff alignments --rev HEAD~3
    """
    project = get_project()
    if rev:
        from policydiff.store.gitstore import load_store_at

        store = load_store_at(project, rev)
    else:
        from policydiff.store.snapshot import load_snapshot

        store = load_snapshot(project)
    if theme is not None:
        store.theme(theme)  # unknown theme: one clear error with the known ones
    found = store.alignments(theme=theme, status=status)
    if fmt == "json":
        emit_json([a.to_dict() for a in found])
        return
    rows = []
    for a in found:
        passages = "\n".join(
            f"{m.doc} (absent)" if m.absent else f"{m.doc} §{m.section or '?'}"
            for m in a.members)
        rows.append([a.id, a.theme, a.status, a.label, passages])
    where = f" at {rev}" if rev else ""
    emit_table(["id", "theme", "status", "label", "passages"], rows,
               title=f"{len(rows)} alignments{where}")


# --- edits --------------------------------------------------------------------------


def _set_status(ids: tuple[str, ...], status: str, do_commit: bool, message: str | None) -> None:

    project = get_project()
    dirty = _dirty_before(project, do_commit)
    with _editing(project):
        _set_status_locked(project, ids, status, do_commit, message, dirty)


def _set_status_locked(project, ids: tuple[str, ...], status: str, do_commit: bool,
                       message: str | None, dirty: set[Path]) -> None:
    from policydiff.store.alignments import load_store

    store = load_store(project)
    for alignment_id in ids:
        store.get(alignment_id)  # every id must exist before anything is written
    touched: list[Path] = []
    for alignment_id in ids:
        before = store.get(alignment_id).status
        path = store.set_status(alignment_id, status)
        if before == status:
            click.echo(f"{alignment_id} is already {status}")
            continue
        click.echo(f"{alignment_id}: {before} → {status} ({project_relative(path, project)})")
        if path not in touched:
            touched.append(path)
    if do_commit:
        if not touched:
            click.echo("nothing to commit")
            return
        verb = {"accepted": "accept", "rejected": "reject"}.get(status, status)
        _commit(project, touched, message or f"{verb} {', '.join(ids)}", dirty)


@cli.command("accept")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--member", "member_doc", default=None, metavar="DOC",
              help="Add the proposed member of DOC (from suggest --write) to accepted "
                   "alignment ID.")
@_commit_options
def accept_cmd(ids: tuple[str, ...], member_doc: str | None, do_commit: bool,
               message: str | None) -> None:
    """Mark alignments as accepted (or, with --member, add a proposed member to one).

    \b
    Examples:
      policydiff accept talent-3 --commit
      policydiff accept finance-funds --member 2023-wuhan-plan --commit
    """
    if member_doc is None:
        _set_status(ids, "accepted", do_commit, message)
        return
    from policydiff.store.alignments import load_store
    from policydiff.store.members import accept_member

    if len(ids) != 1:
        raise InputError("--member takes one alignment ID")
    project = get_project()
    dirty = _dirty_before(project, do_commit)
    path, proposal = accept_member(load_store(project), ids[0], member_doc)
    click.echo(f"{ids[0]}: + {member_doc} (from {proposal}) ({project_relative(path, project)})")
    if do_commit:
        _commit(project, [path], message or f"accept {member_doc} into {ids[0]}", dirty)


@cli.command("reject")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@_commit_options
def reject_cmd(ids: tuple[str, ...], do_commit: bool, message: str | None) -> None:
    """Mark alignments as rejected (suggest never proposes them again).

    \b
    Examples:
      policydiff reject talent-s4c168c9b
      policydiff reject talent-s4c168c9b --commit -m "not the same point"
    """
    _set_status(ids, "rejected", do_commit, message)


@cli.command("note")
@click.argument("alignment_id", metavar="ID")
@click.argument("text", metavar="TEXT")
@_commit_options
def note_cmd(alignment_id: str, text: str, do_commit: bool, message: str | None) -> None:
    """Replace an alignment's note (TEXT "-" reads it from stdin).

    \b
    Examples:
      policydiff note talent-targets "2017 names no figure; 2021 sets 30万人"
      policydiff note talent-targets - < note.txt
    """

    if text == "-":
        text = sys.stdin.read()
    project = get_project()
    dirty = _dirty_before(project, do_commit)
    with _editing(project):
        _note_locked(project, alignment_id, text, do_commit, message, dirty)


def _note_locked(project, alignment_id: str, text: str, do_commit: bool, message: str | None,
                 dirty: set[Path]) -> None:
    from policydiff.store.alignments import load_store

    store = load_store(project)
    before = store.get(alignment_id).note
    path = store.set_note(alignment_id, text)
    if store.get(alignment_id).note == before:
        click.echo(f"{alignment_id}: note unchanged")
        if do_commit:
            click.echo("nothing to commit")
        return
    click.echo(f"{alignment_id}: note updated ({project_relative(path, project)})")
    if do_commit:
        _commit(project, [path], message or f"note on {alignment_id}", dirty)


def _split(value: str, sep: str, what: str) -> tuple[str, str]:
    if sep not in value:
        raise InputError(f"{what} must look like DOC{sep}…, got {value!r}")
    doc, rest = value.split(sep, 1)
    return doc.strip(), rest


@cli.command("align")
@click.argument("theme")
@click.option("--label", required=True, help="What the passages have in common.")
@click.option("--id", "alignment_id", default=None, help="Id (a-z, 0-9, -). Default: THEME-N.")
@click.option("--quote", "quotes", multiple=True, metavar="DOC=TEXT",
              help="A passage: text quoted verbatim from DOC (must occur once). Repeatable.")
@click.option("--span", "spans", multiple=True, metavar="DOC:START-END",
              help="A passage by character offsets into DOC's body. Repeatable.")
@click.option("--absent", "absents", multiple=True, metavar="DOC=NOTE",
              help="DOC has no comparable passage; NOTE says why. Repeatable.")
@click.option("--note", default="", help="Why the passages belong together.")
@click.option("--status", type=click.Choice(["proposed", "accepted", "rejected"]),
              default="proposed", show_default=True)
@_commit_options
def align_cmd(theme: str, label: str, alignment_id: str | None, quotes: tuple[str, ...],
              spans: tuple[str, ...], absents: tuple[str, ...], note: str, status: str,
              do_commit: bool, message: str | None) -> None:
    """Record a new alignment: passages of several documents on one point.

    Members are listed in corpus date order, whatever the order of the options.

    \b
    Examples:
      policydiff align talent --label "Talent goals" \\
        --quote 2017-opinions=基本建成人工智能人才高地 \\
        --quote 2021-14th-plan=人才规模达到30万人 --absent 2022-pudong-plan="no figure"
    """

    project = get_project()
    dirty = _dirty_before(project, do_commit)
    with _editing(project):
        _align_locked(project, theme, label, alignment_id, quotes, spans, absents, note, status,
                      do_commit, message, dirty)


def _align_locked(project, theme: str, label: str, alignment_id: str | None,
                  quotes: tuple[str, ...], spans: tuple[str, ...], absents: tuple[str, ...],
                  note: str, status: str, do_commit: bool, message: str | None,
                  dirty: set[Path]) -> None:
    from policydiff.core.alignment import Alignment, Member
    from policydiff.core.anchors import make_anchor
    from policydiff.store.alignments import load_store
    from policydiff.store.corpus import load_corpus

    store = load_store(project)
    store.theme(theme)
    corpus = load_corpus(project)
    members: list[Member] = []
    for value in quotes:
        doc_id, text = _split(value, "=", "--quote")
        text = text.strip()
        body = corpus.get(doc_id).body
        count = body.count(text) if text else 0
        if count == 0:
            raise InputError(f"--quote: text not found in {doc_id}: {text[:30]!r}")
        if count > 1:
            raise InputError(f"--quote: text occurs {count} times in {doc_id}; quote more of it "
                             f"or use --span {doc_id}:START-END")
        start = body.index(text)
        members.append(_member(corpus, doc_id, make_anchor(body, start, start + len(text))))
    for value in spans:
        doc_id, rest = _split(value, ":", "--span")
        try:
            start, end = (int(x) for x in rest.split("-", 1))
        except ValueError:
            raise InputError(f"--span must look like DOC:START-END, got {value!r}") from None
        body = corpus.get(doc_id).body
        members.append(_member(corpus, doc_id, make_anchor(body, start, end)))
    for value in absents:
        doc_id, why = _split(value, "=", "--absent")
        corpus.get(doc_id)
        members.append(Member(doc=doc_id, absent=True, note=why.strip()))
    if len([m for m in members if not m.absent]) < 1:
        raise InputError("give at least one passage with --quote or --span")
    order = {doc_id: i for i, doc_id in enumerate(corpus.ids)}
    members.sort(key=lambda m: order.get(m.doc, len(order)))
    alignment = Alignment(id=alignment_id or store.new_id(theme), theme=theme, label=label,
                          status=status, note=note.strip(), members=members)
    path = store.add(alignment)
    present = sum(1 for m in members if not m.absent)
    click.echo(f"added {alignment.id} to {project_relative(path, project)} ({present} passages, "
               f"{len(members) - present} absent)")
    if do_commit:
        _commit(project, [path], message or f"align {alignment.id}: {label}", dirty)


def _member(corpus, doc_id: str, anchor):
    from policydiff.core.alignment import Member

    section = corpus.get(doc_id).section_at(anchor.start).id
    return Member(doc=doc_id, section=section, anchor=anchor)


# --- history ------------------------------------------------------------------------


@cli.command("history")
@click.argument("target", required=False, metavar="[THEME|ID]")
@click.option("--since", default=None, help="Only commits after this revision.")
@click.option("--limit", type=int, default=None, help="At most this many commits.")
@format_option("table", "json")
def history_cmd(target: str | None, since: str | None, limit: int | None, fmt: str) -> None:
    """Commits that changed alignments, with what they changed (not a line diff).

    \b
    Examples:
      policydiff history talent-targets
      policydiff history --format json
    """
    from policydiff.store.history import history

    entries = history(get_project(), target, since=since, limit=limit)
    if fmt == "json":
        emit_json([e.to_dict() for e in entries])
        return
    rows = []
    for e in entries:
        what = "\n".join(f"• {c}" for c in e.changes) or "(comments or formatting only)"
        rows.append([e.short, e.date[:10], e.author, f"{e.message}\n{what}"])
    title = f"{len(rows)} commits" + (f" changing {target}" if target else "")
    emit_table(["commit", "date", "author", "message and changes"], rows, title=title)


@cli.command("changes")
@click.argument("rev_range", metavar="REV1..REV2")
@format_option("table", "json")
def changes_cmd(rev_range: str, fmt: str) -> None:
    """What changed in the alignments between two revisions.

    REV1..REV2 compares two revisions, REV1.. compares with HEAD, and a single REV
    compares with the working tree (uncommitted edits included).

    \b
    Examples:
      policydiff changes HEAD~3..HEAD
      policydiff changes HEAD
    """
    from policydiff.store.history import changes

    old, new, found = changes(get_project(), rev_range)
    if fmt == "json":
        emit_json({"from": old, "to": new, "changes": [c.to_dict() for c in found]})
        return
    rows = [[c.alignment or "", c.theme, c.kind, c.summary] for c in found]
    emit_table(["alignment", "theme", "kind", "change"], rows,
               title=f"{len(rows)} changes {old} → {new}")
