"""``policydiff report``: the Markdown (or HTML) report of how policies evolved."""

from __future__ import annotations

from pathlib import Path

import click

from policydiff.cli.app import (
    cli,
    doc_option,
    get_policy_project,
    output_format,
    output_format_option,
    output_option,
    rev_option,
    status_option,
    theme_option,
)


@cli.command("report")
@output_option()
@theme_option()
@doc_option()
@rev_option()
@status_option(help="Which alignments to show: accepted, proposed, rejected or any.")
@output_format_option("md", "html")
@click.option("--date", default=None,
              help="Generation date to print (default: $SOURCE_DATE_EPOCH, else today).")
@click.option("--section", "sections", multiple=True, metavar="NAME[,NAME…]",
              help="Sections to include (repeatable or comma-separated): summary, corpus, "
                   "coverage, targets, progress, terms, citations, reuse, themes, provenance. "
                   "Default: all.")
def report_cmd(output: Path | None, themes: tuple[str, ...], docs: tuple[str, ...],
               rev: str | None, status: str, fmt: str | None, date: str | None,
               sections: tuple[str, ...]) -> None:
    """Write a report of how the policies' goals and wording evolved, theme by theme.

    The same inputs give the same bytes: pass --date (or set SOURCE_DATE_EPOCH) to pin
    the only part that depends on the clock.

    \b
    Examples:
      policydiff report -o report.md
      policydiff report --theme talent -o talent.html     # HTML: one self-contained page
      policydiff report --section summary,coverage,citations
    """
    from policydiff.render.report import render_html, render_markdown
    from policydiff.store.fsutil import atomic_write_text

    project = get_policy_project(rev)
    report = project.report(themes=themes, docs=docs, status=status, date=date,
                            sections=sections)
    fmt = output_format(fmt, output, ("md", "html"))
    text = render_html(report) if fmt == "html" else render_markdown(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        atomic_write_text(output, text)
        click.echo(f"wrote {output} ({len(report.themes)} themes, "
                   f"{sum(len(t.alignments) for t in report.themes)} alignments, "
                   f"{len(report.targets)} targets)", err=True)
