"""``policydiff suggest``: proposed alignments with scores and evidence, optionally written."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import click

from policydiff.cli.app import (
    cli,
    console,
    doc_option,
    emit_json_list,
    emit_table,
    format_option,
    get_policy_project,
    theme_option,
    warn,
)
from policydiff.core.errors import InputError


@contextmanager
def _progress():
    """A rich progress bar on stderr (none when stderr is not a terminal: then the
    ~45 ms import of rich.progress is skipped too)."""
    err = console(stderr=True)
    if not err.is_terminal:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        tasks: dict[str, Any] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report


@cli.command("suggest")
@theme_option("Only this theme (repeatable; default: all).")
@doc_option("Only this document (repeatable; default: the whole corpus; at least two).")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Suggestions per theme.")
@format_option("table", "json")
@click.option("--write", is_flag=True,
              help="Add the suggestions to the alignment files as status: proposed "
                   "(skips any that match an alignment already there, rejected ones included).")
def suggest_cmd(themes: tuple[str, ...], docs: tuple[str, ...], top: int, fmt: str,
                write: bool) -> None:
    """Propose alignments: comparable passages across documents, per theme.

    Each suggestion groups one passage from each of several documents, with a score
    and its evidence (theme terms, shared words, shared figures). Review them with
    `policydiff accept ID` / `policydiff reject ID` after --write.

    \b
    Examples:
      policydiff suggest --theme talent
      policydiff suggest --theme talent --doc 2017-opinions --doc 2021-14th-plan --write
    """
    from policydiff.core.suggest import SpansMemo, alignments_spans, find_existing, suggest
    from policydiff.store.proposals import record

    project = get_policy_project()
    corpus = project.scan_corpus()  # large corpora: documents parsed one at a time
    store = project.store
    chosen = project.check_themes(themes)
    project.check_docs(docs)
    if docs and len(docs) < 2:
        raise InputError("--doc needs at least two documents to compare")
    accepted = {a.theme for a in store.alignments(status="accepted")}
    empty = [t.id for t in chosen
             if not t.terms and not t.description.strip() and t.id not in accepted]
    if empty and themes:
        raise InputError(f"theme {empty[0]!r} has no description, no terms and no accepted "
                         "alignment: give it a description in alignments/themes.yaml or "
                         "accept an example passage")
    for theme_id in empty:
        warn(f"skipping theme {theme_id!r}: it needs a description, terms or an accepted "
             "example")
    chosen = [t for t in chosen if t.id not in empty]

    memo = SpansMemo()  # each stored alignment resolved once: engine, this, the write
    with _progress() as report:
        suggestions = suggest(corpus, chosen, docs=list(docs) or None, top=top, progress=report,
                              alignments=store.alignments(), memo=memo)

    existing = list(store.alignments())
    spans = alignments_spans(existing, corpus, memo)
    chosen_ids = {t.id for t in chosen}
    for a in existing:
        if (a.status == "accepted" and a.theme in chosen_ids and not spans[a.id]
                and any(not m.absent for m in a.members)):
            warn(f"{a.id}: none of its passages is found in the corpus (every anchor is "
                 "orphaned), so it gives no example and gets no new member — run "
                 "`policydiff check`")
    matches = {s.id: find_existing(s, existing, spans) for s in suggestions}
    written = None
    if write:
        written = record(store, corpus, suggestions, memo)
    if fmt == "json":
        def described(s) -> dict:
            data = s.to_dict()
            match = matches[s.id]
            data["existing"] = ({"id": match.id, "status": match.status}
                                if match is not None else None)
            if written is not None:
                data["written"] = s.id in written.added
                data["id"] = written.added.get(s.id, s.id)
            return data

        emit_json_list(described(s) for s in suggestions)  # one suggestion's dict at a time
    else:
        rows = []
        for s in suggestions:
            shown = _shown_members(s.members)
            for n, m in enumerate(shown):
                head = [s.id, s.theme, f"{s.score:.2f}"] if n == 0 else ["", "", ""]
                rows.append([*head, f"{m.passage.doc} §{m.passage.section}",
                             _short(m)])
            if len(shown) < len(s.members):
                rows.append(["", "", "", f"+ {len(s.members) - len(shown):,} more",
                             f"members in {len(s.members):,} documents: --format json or "
                             "--write lists them all"])
            rows.append(["", "", "", "why", _why(s)])
            # its own row: in the id column (never wrapped) it widened that column so
            # much that an 80-column terminal left the quotes three characters wide
            rows.append(["", "", "", "store", _in_store(s, matches[s.id])])
        emit_table(["id", "theme", "score", "passage", "quote"], rows,
                   title=f"{len(suggestions)} suggestions")
    if written is not None:
        click.echo(f"wrote {len(written.added)} proposed alignment(s)"
                   + (f": {', '.join(written.added.values())}" if written.added else "")
                   + (f"; skipped {len(written.skipped)} already in the store ("
                      + ", ".join(f"{i} {st}" for _, i, st in written.skipped) + ")"
                      if written.skipped else ""), err=True)


def _in_store(s, match) -> str:
    """Whether the store already has this suggestion (any status), and as which id."""
    if match is None:
        return "new"
    return f"{match.status}" + ("" if match.id == s.id else f" as {match.id}")


def _why(s) -> str:
    ev = s.evidence
    parts = ["theme terms " + "、".join(t["term"] for t in ev["theme_terms"][:5])]
    if ev["shared_terms"]:
        parts.append("shared " + "、".join(t["term"] for t in ev["shared_terms"][:5]))
    if ev["figures"]:
        parts.append("figures " + "、".join(f"{f['unit']}×{f['docs']}" for f in ev["figures"][:4]))
    return "; ".join(parts)


#: Members of one suggestion shown in the table (a corpus of thousands of documents gives
#: suggestions of thousands of members: a table of them all is read by nobody).
TABLE_MEMBERS = 12


def _shown_members(members: list) -> list:
    """The :data:`TABLE_MEMBERS` best-scoring members, in their (document) order."""
    if len(members) <= TABLE_MEMBERS:
        return members
    best = sorted(range(len(members)), key=lambda i: -members[i].score)[:TABLE_MEMBERS]
    return [members[i] for i in sorted(best)]


def _short(member, width: int = 40) -> str:
    from policydiff.core.suggest import member_quote

    text = member_quote(member).replace("\n", " ")
    return text if len(text) <= width else text[:width] + "…"
