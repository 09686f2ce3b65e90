"""Views as text: what ``y`` copies and ``x`` exports (Markdown for prose, CSV for tables).

The same renderers the CLI uses for ``--format md`` (diffs, document comparisons), so
an exported view reads like the command-line output an analyst already knows.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from policydiff.core.passages import ResolvedPassage
from policydiff.tui.messages import ViewText

TARGET_COLUMNS = ("metric", "metric_name", "doc", "date", "figure", "value", "value_max",
                  "unit", "year", "kind", "scope", "jurisdiction", "policy", "speaker",
                  "section", "times", "text")


def table_text(header: Sequence[str], rows: Sequence[Sequence[Any]], sep: str = ",") -> str:
    """CSV (or TSV with ``sep="\\t"``, which pastes into a spreadsheet as cells)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return out.getvalue()


def passage_markdown(p: ResolvedPassage) -> str:
    where = f"{p.doc} ({p.date})" + (f" §{p.section}" if p.section else "")
    if p.absent:
        return f"**{where}** — silent" + (f": {p.note}" if p.note else "")
    quoted = "\n".join(f"> {line}" if line else ">" for line in p.text.splitlines())
    return f"**{where}**\n\n{quoted}"


def alignment_view(al: Any, passages: Sequence[ResolvedPassage]) -> ViewText:
    """An alignment as Markdown: label, status, note, then each passage quoted by date."""
    lines = [f"# {al.label or al.id}", "",
             f"`{al.id}` · theme `{al.theme}` · {al.status}", ""]
    if al.note:
        lines += [al.note, ""]
    for p in passages:
        lines += [passage_markdown(p), ""]
    return ViewText(f"alignment {al.id}", "\n".join(lines), f"alignment-{al.id}")


def passage_view(p: ResolvedPassage, alignment: str = "") -> ViewText:
    """One passage: its text only (what a reader pastes into a memo)."""
    where = f"{p.doc} §{p.section}" if p.section else p.doc
    stem = f"passage-{alignment or p.doc}-{p.doc}"
    return ViewText(f"passage {where}", p.text.strip(), stem)


def chain_view(chain: Any) -> ViewText:
    """An alignment's chain of diffs as Markdown (as ``policydiff evolve --format md``)."""
    from policydiff.render.diff import Side, render_markdown

    title = chain.alignment or chain.label or "passages"
    out = [f"# {chain.label or chain.alignment}\n"]
    for s in chain.steps:
        out.append(render_markdown(s.diff, Side(s.a.doc, s.a.section, s.a.date),
                                   Side(s.b.doc, s.b.section, s.b.date)))
    if not chain.steps:
        out.append("*(fewer than two documents have a passage: nothing to compare)*\n")
    return ViewText(f"diff of {title}", "\n".join(out), f"diff-{title}")


def comparison_view(comparison: Any) -> ViewText:
    """Two documents article by article (as ``policydiff compare --format md``)."""
    from policydiff.render.compare import render_markdown

    a, b = comparison.a.id, comparison.b.id
    return ViewText(f"comparison {a} ↔ {b}", render_markdown(comparison), f"compare-{a}-{b}")


def targets_view(rows: Sequence[Any], sep: str = ",") -> ViewText:
    """The targets table, one distinct figure per line, with its sentence."""
    body = [[getattr(r, c) if c != "value" else r.target.value for c in TARGET_COLUMNS]
            for r in rows]
    suffix = "csv" if sep == "," else "tsv"
    return ViewText(f"targets table ({len(rows)} figures)", table_text(TARGET_COLUMNS, body, sep),
                    "targets", suffix)


def coverage_view(ws: Any, themes: Sequence[Any], sep: str = ",") -> ViewText:
    """Theme × document: each cell the sections with a passage, ``silent`` or empty."""
    docs = ws.corpus.ids
    rows = []
    for theme in themes:
        cells = []
        for c in ws.coverage(theme.id):
            cells.append(" ".join(f"§{s}" for s in c.sections) if c.state == "passage"
                         else (c.state if c.state in ("silent", "orphaned") else ""))
        rows.append([theme.id, *cells])
    suffix = "csv" if sep == "," else "tsv"
    return ViewText(f"coverage of {len(themes)} theme(s)", table_text(["theme", *docs], rows,
                                                                       sep), "coverage", suffix)
