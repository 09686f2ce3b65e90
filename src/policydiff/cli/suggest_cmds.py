"""``policydiff suggest``: proposed alignments with scores and evidence, optionally written."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any

import click

from policydiff.cli.app import cli, console, emit_json, emit_table, format_option, get_project
from policydiff.core.errors import InputError


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


@contextmanager
def _progress():
    """A rich progress bar on stderr (silent when stderr is not a terminal)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = console(stderr=True)
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
@click.option("--theme", "theme_opt", metavar="T[,T…]", help="Only these themes (default: all).")
@click.option("--docs", "docs_opt", metavar="A,B[,…]",
              help="Only these documents (default: the whole corpus).")
@click.option("--top", type=click.IntRange(min=1), default=3, show_default=True,
              help="Suggestions per theme.")
@format_option("table", "json")
@click.option("--write", is_flag=True,
              help="Add the suggestions to the alignment files as status: proposed "
                   "(skips any that match an alignment already there, rejected ones included).")
def suggest_cmd(theme_opt: str | None, docs_opt: str | None, top: int, fmt: str,
                write: bool) -> None:
    """Propose alignments: comparable passages across documents, per theme.

    Each suggestion groups one passage from each of several documents, with a score
    and its evidence (theme terms, shared words, shared figures). Review them with
    `policydiff accept ID` / `policydiff reject ID` after --write.
    """
    from policydiff.core.suggest import alignment_spans, find_existing, suggest
    from policydiff.store.corpus import load_corpus
    from policydiff.store.proposals import record

    project = get_project()
    corpus = load_corpus(project)
    store = _load_store(project)
    themes = store.themes()
    wanted = _split(theme_opt)
    if wanted:
        known = {t.id: t for t in themes}
        unknown = [t for t in wanted if t not in known]
        if unknown:
            raise InputError(f"unknown theme {unknown[0]!r} (known: {', '.join(known)})")
        themes = [known[t] for t in wanted]
    docs = _split(docs_opt)
    for doc in docs:
        corpus.get(doc)  # raises UnknownDocumentError naming the known ids
    if docs_opt is not None and len(docs) < 2:
        raise InputError("--docs needs at least two documents to compare")

    with _progress() as report:
        suggestions = suggest(corpus, themes, docs=docs or None, top=top, progress=report)

    existing = list(store.alignments())
    spans = {a.id: alignment_spans(a, corpus) for a in existing}
    matches = {s.id: find_existing(s, existing, spans) for s in suggestions}
    written = None
    if write:
        written = record(store, corpus, suggestions)
    if fmt == "json":
        out = []
        for s in suggestions:
            data = s.to_dict(corpus)
            match = matches[s.id]
            data["existing"] = ({"id": match.id, "status": match.status}
                                if match is not None else None)
            if written is not None:
                data["written"] = s.id in written.added
                data["id"] = written.added.get(s.id, s.id)
            out.append(data)
        emit_json(out)
    else:
        rows = []
        for s in suggestions:
            match = matches[s.id]
            status = f"in store: {match.status} {match.id}" if match is not None else "new"
            for n, m in enumerate(s.members):
                head = [s.id, s.theme, f"{s.score:.2f}"] if n == 0 else ["", "", ""]
                if n == 1:
                    head[0] = status
                rows.append([*head, f"{m.passage.doc} §{m.passage.section}",
                             _short(corpus, m)])
            rows.append(["", "", "", "why", _why(s)])
        emit_table(["id", "theme", "score", "passage", "quote"], rows,
                   title=f"{len(suggestions)} suggestions")
    if written is not None:
        click.echo(f"wrote {len(written.added)} proposed alignment(s)"
                   + (f": {', '.join(written.added.values())}" if written.added else "")
                   + (f"; skipped {len(written.skipped)} already in the store ("
                      + ", ".join(f"{i} {st}" for _, i, st in written.skipped) + ")"
                      if written.skipped else ""), err=True)


def _why(s) -> str:
    ev = s.evidence
    parts = ["theme terms " + "、".join(t["term"] for t in ev["theme_terms"][:5])]
    if ev["shared_terms"]:
        parts.append("shared " + "、".join(t["term"] for t in ev["shared_terms"][:5]))
    if ev["figures"]:
        parts.append("figures " + "、".join(f"{f['unit']}×{f['docs']}" for f in ev["figures"][:4]))
    return "; ".join(parts)


def _short(corpus, member, width: int = 40) -> str:
    text = corpus.get(member.passage.doc).body[member.start:member.end].replace("\n", " ")
    return text if len(text) <= width else text[:width] + "…"


def _load_store(project):
    try:
        from policydiff.store.alignments import load_store
    except ImportError as exc:  # the store lands separately (issue 3)
        raise InputError(f"the alignment store is not available: {exc}") from None
    return load_store(project)
