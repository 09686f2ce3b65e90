"""Corpus commands: ``docs``, ``show``, ``ingest``."""

from __future__ import annotations

from pathlib import Path

import click

from policydiff.cli.app import cli, console, emit_json, emit_table, format_option, get_project


def _corpus():
    from policydiff.store.corpus import load_corpus

    return load_corpus(get_project())


@cli.command("docs")
@format_option("table", "json")
def docs_cmd(fmt: str) -> None:
    """List the documents of the corpus in date order."""
    corpus = _corpus()
    rows = []
    for doc in corpus:
        rows.append({
            "id": doc.id, "title": doc.meta.title, "policy": doc.meta.policy,
            "issuer": doc.meta.issuer, "publisher": doc.meta.publisher, "date": doc.date,
            "kind": doc.meta.kind, "sections": len(doc.sections),
            "paragraphs": len(doc.paragraphs()), "sentences": len(doc.sentences()),
            "chars": len(doc.body),
        })
    if fmt == "json":
        emit_json(rows)
        return
    emit_table(["id", "date", "kind", "policy", "sections", "chars"],
               [[r["id"], r["date"], r["kind"], r["policy"], r["sections"], r["chars"]]
                for r in rows], title=f"{len(rows)} documents")


@cli.command("show")
@click.argument("doc_id", metavar="DOC")
@click.option("--outline", is_flag=True, help="Only the section outline.")
@click.option("--section", "section_id", default=None,
              help="Only this section (and its sub-sections).")
@format_option("text", "json")
def show_cmd(doc_id: str, outline: bool, section_id: str | None, fmt: str) -> None:
    """Show a document: metadata, outline or text, by section."""
    doc = _corpus().get(doc_id)
    sections = doc.subtree(section_id) if section_id else doc.sections
    if fmt == "json":
        data = doc.meta.to_dict()
        data["sections"] = [
            {"id": s.id, "heading": s.heading, "level": s.level, "numbering": s.numbering,
             "path": list(s.path), "parent": s.parent, "start": s.start, "end": s.end,
             **({} if outline else {
                 "text": s.text,
                 "paragraphs": [{"id": p.id, "kind": p.kind, "start": p.start, "end": p.end,
                                 "sentences": [{"id": t.id, "text": t.text, "start": t.start,
                                                "end": t.end} for t in p.sentences]}
                                for p in s.paragraphs]})}
            for s in sections
        ]
        emit_json(data)
        return
    from rich.markup import escape
    from rich.tree import Tree

    out = console()
    meta = doc.meta
    out.print(f"[bold]{escape(meta.title)}[/]  [dim]{meta.id} · {meta.date} · {meta.kind}[/]")
    out.print(f"[dim]policy:[/] {escape(meta.policy)}   [dim]issuer:[/] {escape(meta.issuer or '')}"
              + (f"   [dim]publisher:[/] {escape(meta.publisher)}" if meta.publisher else ""))
    if outline:
        tree = Tree(f"{meta.id} ({len(doc.sections)} sections)")
        nodes = {None: tree}
        for s in sections:
            parent = nodes.get(s.parent, tree)
            nodes[s.id] = parent.add(f"[cyan]{s.id}[/]  {escape(s.label)}  "
                                     f"[dim]{len(s.paragraphs)}¶ {s.end - s.start}c[/]")
        out.print(tree)
        return
    for s in sections:
        if s.heading:
            out.print()
            out.print(f"[bold cyan]{'#' * max(s.level, 1)} {escape(s.heading)}[/]  [dim]§{s.id}[/]")
        else:
            out.print(f"[dim]§{s.id}[/]")
        for p in s.paragraphs:
            style = "italic dim" if p.kind == "caption" else ""
            out.print(f"[{style}]{escape(p.text)}[/]" if style else escape(p.text))
            out.print()


@cli.command("ingest")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--id", "doc_id", help="Document id ([a-z0-9-]+). Required for a single file.")
@click.option("--title", help="Title (default: from the source).")
@click.option("--policy", help="The policy the source is about (default: the title).")
@click.option("--issuer", help="Who issued the policy.")
@click.option("--publisher", help="Who published this source (newspaper, site).")
@click.option("--kind", type=click.Choice(["official", "press"]),
              help="official full text or press report (default: from the source's shape).")
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD (its real precision).")
@click.option("--period", help="The plan's span, e.g. 2022-2025.")
@click.option("--source-url", help="Where the source was found.")
@click.option("--force", is_flag=True, help="Replace an existing document with the same id "
              "(its curated manifest fields are kept unless given again).")
@click.option("--reset-metadata", is_flag=True,  # hostile: --force keeps curated fields
              help="With --force: drop the curated manifest fields of the old entry.")
def ingest_cmd(path: Path, doc_id: str | None, force: bool, period: str | None,
               reset_metadata: bool, **fields: str | None) -> None:
    """Add a source (.txt, .md, .html, .docx) to the corpus, or regenerate it.

    PATH is a file (with --id) or corpus/raw/, which regenerates every document listed
    in corpus/sources.yaml byte for byte. Encodings: UTF-8 (with or without BOM),
    UTF-16, GB18030/GBK.
    """
    from policydiff.core.errors import InputError
    from policydiff.store.ingest import ingest_file, regenerate

    project = get_project()
    if path.is_dir():
        if doc_id:
            raise InputError("--id is for a single file; a folder regenerates the corpus")
        written = regenerate(project, path)
        click.echo(f"regenerated {len(written)} documents: "
                   + ", ".join(p.stem for p in written))
        return
    if not doc_id:
        raise InputError("--id is required when ingesting a file")
    span = None
    if period:
        try:
            a, b = (int(x) for x in period.replace("至", "-").split("-"))
        except ValueError:
            raise InputError(
                f"invalid --period {period!r}: use START-END, e.g. 2022-2025") from None
        span = (a, b)
    target = ingest_file(project, path, doc_id, force=force, period=span,
                         reset_metadata=reset_metadata, **fields)
    click.echo(f"wrote {target.relative_to(project.root)}")
