"""Corpus commands: ``docs``, ``show``, ``ingest``."""

from __future__ import annotations

from pathlib import Path

import click

from policydiff.cli.app import cli, console, emit_json, emit_table, format_option, get_project


def _corpus():
    """The corpus through the façade: past a few hundred files documents are parsed when
    used and not all held (``docs`` over 10,000 documents held 690 MB of them)."""
    from policydiff.cli.app import get_policy_project

    return get_policy_project().scan_corpus()


@cli.command("docs")
@format_option("table", "json")
def docs_cmd(fmt: str) -> None:
    """List the documents of the corpus in date order, grouped by the policy they are about.

    Versions of one policy (press report and official text, draft and final, a repost)
    share a ``policy`` key. A date shows its precision: 2021 (year), 2021-12 (month).

    \b
    Examples:
      policydiff docs
      policydiff docs --format json
    """
    from policydiff.core.normalize import normalize

    corpus = _corpus()
    rows = []
    for doc in corpus:
        m = doc.meta
        rows.append({
            "id": doc.id, "title": m.title, "policy": m.policy, "issuer": m.issuer,
            "number": m.number, "date": doc.date, "status": m.status, "kind": m.kind,
            "period": list(m.period) if m.period else None, "publisher": m.publisher,
            "precision": {1: "year", 2: "month"}.get(len(doc.date.split("-")), "day"),
            "provenance": dict(m.provenance), "sections": len(doc.sections),
            "paragraphs": len(doc.paragraphs()), "sentences": len(doc.sentences()),
            "chars": len(doc.body),
        })
    if fmt == "json":
        emit_json(rows)
        return
    groups: dict[str, list[dict]] = {}
    for row in rows:  # first appearance (date order) decides a policy's place
        groups.setdefault(normalize(row["policy"]), []).append(row)
    table_rows = []
    for members in groups.values():
        for n, r in enumerate(members):
            table_rows.append([r["id"], r["date"], r["kind"], r["status"], r["number"] or "",
                               r["policy"] if n == 0 else "〃 (same policy)", r["sections"]])
    emit_table(["id", "date", "kind", "status", "文号", "policy", "sections"], table_rows,
               title=f"{len(rows)} documents, {len(groups)} policies")


@cli.command("show")
@click.argument("doc_id", metavar="DOC")
@click.option("--outline", is_flag=True, help="Only the section outline.")
@click.option("--section", "section_id", default=None,
              help="Only this section (and its sub-sections).")
@click.option("--normalized", is_flag=True,
              help="The text as comparisons see it (Simplified script, half-width digits, "
                   "no spaces): core/normalize.py.")
@format_option("text", "json")
def show_cmd(doc_id: str, outline: bool, section_id: str | None, normalized: bool,
             fmt: str) -> None:
    """Show a document: metadata, outline or text, by section.

    \b
    Examples:
      policydiff show 2021-14th-plan --outline
      policydiff show 2021-14th-plan --section 3.3
      policydiff show 2017-opinions --normalized
    """
    doc = _corpus().get(doc_id)
    sections = doc.subtree(section_id) if section_id else doc.sections
    if normalized:
        from policydiff.core.normalize import normalize

        if fmt == "json":
            emit_json([{"id": s.id, "heading": normalize(s.heading),
                        "paragraphs": [{"id": p.id, "text": normalize(p.text)}
                                       for p in s.paragraphs]} for s in sections])
            return
        for s in sections:
            if s.heading:
                click.echo(f"§{s.id} {normalize(s.heading)}")
            for p in s.paragraphs:
                click.echo(f"{p.id}\t{normalize(p.text)}")
        return
    if fmt == "json":
        data = doc.meta.to_dict()
        data["sections"] = [
            {"id": s.id, "heading": s.heading, "level": s.level, "numbering": s.numbering,
             "path": list(s.path), "parent": s.parent, "kind": s.kind, "start": s.start,
             "end": s.end,
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
    out.print(f"[bold]{escape(meta.title)}[/]  [dim]{meta.id} · {meta.date} · {meta.kind}"
              f"{' · draft' if meta.status == 'draft' else ''}"
              f"{' · ' + escape(meta.number) if meta.number else ''}[/]")
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
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--id", "doc_ids", multiple=True,
              help="Document id ([a-z0-9-]+); repeat once per file (default: from the file name).")
@click.option("--title", help="Title (default: the text's own title line).")
@click.option("--policy", help="The policy the source is about (links versions; default: "
                               "the title without 草案/征求意见稿).")
@click.option("--issuer", help="Who issued the policy (default: signature, 发文机关 …).")
@click.option("--publisher", help="Who published this source (newspaper, site).")
@click.option("--number", help="文号, e.g. 沪府办发〔2017〕66号 (default: from the text).")
@click.option("--status", type=click.Choice(["draft", "final"]),
              help="draft (草案, 征求意见稿) or final (default: from the title).")
@click.option("--kind", type=click.Choice(["official", "press"]),
              help="official full text or press report (default: judged from the text).")
@click.option("--date", help="YYYY, YYYY-MM or YYYY-MM-DD; needed only when the text gives none.")
@click.option("--period", help="The plan's span, e.g. 2022-2025 (default: from the title).")
@click.option("--source-url", help="Where the source was found.")
@click.option("--force", is_flag=True, help="Replace an existing document with the same id "
              "(its curated manifest fields are kept unless given again).")
@click.option("--reset-metadata", is_flag=True,
              help="With --force: drop the curated manifest fields of the old entry.")
def ingest_cmd(paths: tuple[Path, ...], doc_ids: tuple[str, ...], force: bool,
               reset_metadata: bool, period: str | None, **fields: str | None) -> None:
    """Add sources (.txt, .md, .html, .docx) to the corpus, or regenerate it.

    PATHS are files or folders of files; each document's id comes from its file name
    unless --id is given (once per file). Title, date, issuer, 文号, status, kind and
    period are read from the text (`show DOC` and the front matter's `provenance:` say
    where from); an option overrides the text. corpus/raw/ itself regenerates every
    document listed in corpus/sources.yaml byte for byte. Encodings: UTF-8 (with or
    without BOM), UTF-16, GB18030/GBK.

    \b
    Examples:
      policydiff ingest ~/Downloads/notice.html --id 2023-city-plan
      policydiff ingest sources/ --kind official
      policydiff ingest corpus/raw/
    """
    from policydiff.core.errors import InputError
    from policydiff.store.ingest import (
        SUPPORTED,
        id_from_name,
        load_manifest,
        plan_ingest,
        read_source,
        regenerate,
        write_planned,
    )

    project = get_project()
    if len(paths) == 1 and paths[0].is_dir() and \
            paths[0].resolve() == project.raw_dir.resolve():
        if doc_ids:
            raise InputError("--id is for files; corpus/raw/ regenerates the corpus")
        written = regenerate(project, paths[0])
        click.echo(f"regenerated {len(written)} documents: "
                   + ", ".join(p.stem for p in written))
        return
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in SUPPORTED)
            if not found:
                raise InputError(f"no {', '.join(SUPPORTED)} files in the folder", path=str(path))
            files.extend(found)
        else:
            files.append(path)
    if doc_ids and len(doc_ids) != len(files):
        raise InputError(f"{len(doc_ids)} --id for {len(files)} files: give one --id per file "
                         "or none (ids from file names)")
    span = None
    if period:
        try:
            a, b = (int(x) for x in period.replace("至", "-").split("-"))
        except ValueError:
            raise InputError(
                f"invalid --period {period!r}: use START-END, e.g. 2022-2025") from None
        span = (a, b)
    if len(files) > 1 and any(fields.get(k) for k in ("title", "number", "date")):
        raise InputError("--title, --number and --date describe one file; ingest it alone")
    from rich.progress import Progress

    from policydiff.store.transactions import manifest_lock, recover

    plans, failed = [], []
    taken: set[str] = set()
    with manifest_lock(project), Progress(console=console(stderr=True), transient=True,
                                          disable=len(files) < 4) as progress:
        for line in recover(project):
            click.echo(f"policydiff: {line}", err=True)
        manifest = load_manifest(project)
        task = progress.add_task("ingesting", total=len(files))
        for n, path in enumerate(files):
            progress.update(task, description=path.name[:30])
            try:
                raw = read_source(path)
                doc_id = doc_ids[n] if doc_ids else id_from_name(path, raw)
                plan = plan_ingest(project, path, doc_id, manifest, force=force, taken=taken,
                                   reset_metadata=reset_metadata, raw=raw, period=span,
                                   **fields)
            except InputError as exc:
                if len(files) == 1:
                    raise
                failed.append(f"skipped {exc}")
            else:
                plans.append(plan)
                taken.add(doc_id)
            progress.advance(task)
        written = write_planned(project, manifest, plans) if plans else []
    for plan in plans:
        for warning in plan.built.warnings or []:
            click.echo(f"policydiff: warning: {plan.built.doc_id}: {warning}", err=True)
    for line in failed:
        click.echo(f"policydiff: {line}", err=True)
    for target in written:
        click.echo(f"wrote {target.relative_to(project.root)}")
    if failed:
        raise click.exceptions.Exit(2)


@cli.command("init")
@click.argument("folder", required=False, default=".",
                type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="", help="The project's (and report's) title.")
@click.option("--subject", default="", help="What the policies are about.")
@click.option("--region", default="", help="Where (city, province).")
@click.option("--force", is_flag=True, help="Create the project in a folder that is not empty.")
def init_cmd(folder: Path, title: str, subject: str, region: str, force: bool) -> None:
    """Start a project: project.yaml, corpus/, alignments/ (generic themes and metrics), git.

    Inside an existing git repository the files are committed there; otherwise a new
    repository is created. Then: `policydiff ingest FILES…`.

    \b
    Examples:
      policydiff init my-project --title "深圳人工智能政策演变" --region 深圳市
      policydiff init . --force
    """
    from policydiff.store.scaffold import init_project

    project = init_project(folder, title=title, subject=subject, region=region, force=force)
    click.echo(f"created a policydiff project in {project.root}")
    click.echo("next: policydiff ingest FILE… (title, date, issuer and 文号 are read from "
               "the text); edit alignments/themes.yaml and alignments/metrics.yaml")
