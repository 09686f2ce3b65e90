"""``policydiff report``: the Markdown (or HTML) report of how policies evolved."""

from __future__ import annotations

from pathlib import Path

import click

from policydiff.cli.app import cli, get_project


@cli.command("report")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--theme", "themes", multiple=True, help="Only this theme (repeatable).")
@click.option("--docs", default=None, help="Only these documents, comma-separated.")
@click.option("--rev", default=None, help="Alignments as of this git revision.")
@click.option("--status", type=click.Choice(["accepted", "all"]), default="accepted",
              show_default=True, help="Which alignments to show.")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md",
              show_default=True, help="Markdown, or one self-contained HTML page.")
@click.option("--date", default=None,
              help="Generation date to print (default: $SOURCE_DATE_EPOCH, else today).")
def report_cmd(output: Path | None, themes: tuple[str, ...], docs: str | None, rev: str | None,
               status: str, fmt: str, date: str | None) -> None:
    """Write a report of how the policies' goals and wording evolved, theme by theme.

    The same inputs give the same bytes: pass --date (or set SOURCE_DATE_EPOCH) to pin
    the only part that depends on the clock.
    """
    from policydiff.render.report import build_report, render_html, render_markdown
    from policydiff.store.corpus import load_corpus
    from policydiff.store.fsutil import atomic_write_text

    project = get_project()
    corpus = load_corpus(project)
    doc_ids = [d.strip() for d in docs.split(",") if d.strip()] if docs else None
    report = build_report(project, corpus, themes=list(themes) or None, docs=doc_ids, rev=rev,
                          status=status, date=date)
    text = render_html(report) if fmt == "html" else render_markdown(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        click.echo(f"wrote {output} ({len(report.themes)} themes, "
                   f"{sum(len(t.alignments) for t in report.themes)} alignments, "
                   f"{len(report.targets)} targets)", err=True)
