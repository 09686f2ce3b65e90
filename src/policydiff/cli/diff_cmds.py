"""``policydiff diff`` and ``policydiff evolve``: wording diffs on the command line.

Thin adapter: resolves documents, sections and alignments, calls
:mod:`policydiff.core.worddiff` / :mod:`policydiff.core.evolution`, prints with
:mod:`policydiff.render.diff`. The segmenter is imported only when a diff runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from policydiff.cli.app import (
    cli,
    console,
    doc_option,
    emit_json,
    format_option,
    get_policy_project,
    status_option,
    warn,
)
from policydiff.core.errors import InputError

if TYPE_CHECKING:
    from policydiff.core.document import Document
    from policydiff.core.evolution import Chain


def _split_ref(ref: str) -> tuple[str, str | None]:
    doc, sep, section = ref.partition(":")
    if not doc or (sep and not section):
        raise InputError(f"bad reference {ref!r}: use DOC or DOC:SECTION")
    return doc, section or None


def _print_rich(renderables: list[Any]) -> None:
    con = console()
    for k, item in enumerate(renderables):
        if k:
            con.print()
        con.print(item)


def _markers() -> bool:
    """Textual [-…-]/{+…+} marks when colour cannot show the change (pipes, NO_COLOR)."""
    con = console()
    return not con.is_terminal or con.no_color


def _section_text(doc: Document, section: str | None) -> str:
    if section is not None:
        return doc.subtree_text(section)
    from policydiff.core.compare import strip_markup  # no "#" of headings in the diff

    return "\n".join(strip_markup(line) for line in doc.body.split("\n"))


@cli.command("diff")
@click.argument("ref_a", metavar="DOC_A[:SECTION]")
@click.argument("ref_b", metavar="DOC_B[:SECTION]")
@click.option("--theme", "theme", default=None, metavar="THEME",
              help="Diff the passages the theme's alignments give for DOC_A and DOC_B "
                   "(every passage of each document).")
@status_option(help="Which alignments --theme uses: accepted, proposed, rejected or any.")
@format_option("rich", "md", "json")
@click.option("--side-by-side", is_flag=True, help="Two columns (rich format).")
def diff_cmd(ref_a: str, ref_b: str, theme: str | None, status: str, fmt: str,
             side_by_side: bool) -> None:
    """Word-by-word diff of two passages: sections (DOC:SECTION) or a theme's alignment.

    \b
    Examples:
      policydiff diff 2017-opinions:h4 2021-14th-plan:3.3
      policydiff diff 2017-opinions 2021-14th-plan --theme targets --format md
    """
    from policydiff.core.worddiff import diff_passages
    from policydiff.render.diff import Side, diff_json, render_markdown, render_rich

    project = get_policy_project()
    (doc_a, sec_a), (doc_b, sec_b) = _split_ref(ref_a), _split_ref(ref_b)
    da, db = project.document(doc_a), project.document(doc_b)
    pairs: list[tuple[Side, Side, str, str, str]] = []  # side a, side b, text a, text b, title
    if theme:
        if sec_a or sec_b:
            raise InputError("--theme picks the passages itself: give DOC_A DOC_B without :SECTION")
        found = project.theme_pairs(theme, doc_a, doc_b, status)
        for p in found.orphaned:
            warn(f"{p.doc}:{p.section or '?'}: anchor orphaned ({p.reason}); not diffed — "
                 "run `policydiff check`")
        if not found.pairs and found.orphaned:
            raise InputError(f"nothing to diff: the {status} alignments of theme {theme!r} that "
                             f"cover {doc_a} and {doc_b} have {len(found.orphaned)} orphaned "
                             "anchor(s) (above) — run `policydiff check`")
        if not found.pairs:
            raise InputError(f"no {status} alignment of theme {theme!r} has passages in both "
                             f"{doc_a} and {doc_b}")
        pairs = [(Side(doc_a, pp.a.section), Side(doc_b, pp.b.section), pp.a.text, pp.b.text,
                  pp.title) for pp in found.pairs]
    else:
        pairs = [(Side(doc_a, sec_a, _heading(da, sec_a)), Side(doc_b, sec_b, _heading(db, sec_b)),
                  _section_text(da, sec_a), _section_text(db, sec_b), "")]
    diffs = [(sa, sb, diff_passages(ta, tb), title) for sa, sb, ta, tb, title in pairs]
    if fmt == "json":
        out = []
        for sa, sb, d, title in diffs:
            data = diff_json(d, sa, sb)
            if title:
                data = {"alignment": title, **data}
            out.append(data)
        emit_json(out if theme else out[0])
    elif fmt == "md":
        chunks = []
        for sa, sb, d, title in diffs:
            md = render_markdown(d, sa, sb)
            chunks.append(f"## {title}\n\n{md}" if title else md)
        click.echo("\n".join(chunks), nl=False)
    else:
        from rich.text import Text

        markers = _markers()
        items: list[Any] = []
        for sa, sb, d, title in diffs:
            if title:
                items.append(Text(title, style="bold"))
            items.append(render_rich(d, sa, sb, side_by_side=side_by_side, markers=markers))
        _print_rich(items)


def _heading(doc: Document, section: str | None) -> str:
    if section is None:
        return doc.meta.date
    return doc.section(section).heading


@cli.command("evolve")
@click.option("--theme", "theme", required=True, metavar="THEME",
              help="Theme id (see `policydiff alignments`).")
@status_option(help="Which alignments to follow: accepted, proposed, rejected or any.")
@doc_option("Only this document (repeatable).")
@format_option("rich", "md", "json")
@click.option("--side-by-side", is_flag=True, help="Two columns (rich format).")
def evolve_cmd(theme: str, status: str, docs: tuple[str, ...], fmt: str,
               side_by_side: bool) -> None:
    """How a theme's wording evolved: each aligned passage against the one before, by date.

    \b
    Examples:
      policydiff evolve --theme talent
      policydiff evolve --theme targets --doc 2017-opinions --doc 2021-14th-plan --format md
    """
    from policydiff.render.diff import Side, render_markdown, render_rich

    project = get_policy_project()
    chains = project.chains(theme, status=status, docs=docs or None)
    if not chains:
        raise InputError(f"theme {theme!r} has no {status} alignments")
    for c in chains:
        for v in c.versions:
            if v.status == "orphaned":
                warn(f"{c.alignment}: {v.doc}:{v.section or '?'}: anchor orphaned ({v.reason}); "
                     "not diffed — run `policydiff check`")
    if fmt == "json":
        emit_json({"theme": theme, "chains": [c.to_dict() for c in chains]})
        return
    if fmt == "md":
        out = [f"# {theme}\n"]
        for c in chains:
            out.append(f"## {c.alignment} · {c.label}\n" if c.label else f"## {c.alignment}\n")
            out.append(_versions_line(c) + "\n")
            for s in c.steps:
                out.append(render_markdown(s.diff, Side(s.a.doc, s.a.section, s.a.date),
                                           Side(s.b.doc, s.b.section, s.b.date)))
            if not c.steps:
                out.append("*(fewer than two documents have a passage: nothing to compare)*\n")
        click.echo("\n".join(out), nl=False)
        return
    from rich.rule import Rule
    from rich.text import Text

    markers = _markers()
    items: list[Any] = []
    for c in chains:
        items.append(Rule(Text(f"{c.alignment} {c.label}", style="bold"), align="left"))
        items.append(Text(_versions_line(c), style="dim"))
        for s in c.steps:
            items.append(render_rich(s.diff, Side(s.a.doc, s.a.section, s.a.date),
                                     Side(s.b.doc, s.b.section, s.b.date),
                                     side_by_side=side_by_side, markers=markers))
        if not c.steps:
            items.append(Text("(fewer than two documents have a passage: nothing to compare)"))
    _print_rich(items)


def _versions_line(chain: Chain) -> str:
    parts = []
    for v in chain.versions:
        mark = " (silent)" if v.absent else (f" ({v.status})" if v.status != "exact" else "")
        parts.append(f"{v.doc}{mark}")
    return " → ".join(parts)
