"""Coverage at a glance: theme × document, each cell the sections that speak to the theme.

A cell reads ``§3.3 ✓`` (a passage, its section and the alignment's status), ``silent``
(an alignment records that the document says nothing on it) or ``·`` (no alignment
covers the document yet). Column heads give the year, the id and the source type.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from policydiff.tui.widgets.alignment_tree import BADGES
from policydiff.tui.workspace import Coverage, Workspace

MAX_SECTIONS = 2


def coverage_cell(c: Coverage) -> Text:
    if c.state == "silent":
        return Text("silent", "bold red")
    if c.state == "none":
        return Text("·", "dim")
    text = Text()
    shown = c.sections[:MAX_SECTIONS]
    text.append(" ".join(f"§{s}" for s in shown), "green")
    if len(c.sections) > MAX_SECTIONS:
        text.append(f" +{len(c.sections) - MAX_SECTIONS}", "cyan")
    best = "accepted" if "accepted" in c.statuses else "proposed"
    glyph, style = BADGES[best]
    text.append(f" {glyph}", style)
    return text


def coverage_table(ws: Workspace, themes: list[Any], by_alignment: bool = False) -> Table:
    """Rows: themes (and their alignments); columns: documents (year, id, source type)."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold",
                  expand=False, padding=(0, 1))
    table.add_column("theme", no_wrap=True)
    for doc in ws.corpus.documents():
        head = Text(f"{doc.date[:7]}\n", "bold")
        head.append(f"{doc.id}\n", "cyan")
        head.append(doc.meta.kind or "", "dim")
        table.add_column(head, overflow="fold", min_width=6)
    for theme in themes:
        table.add_row(Text(f"{theme.name_zh} {theme.id}", "bold cyan"),
                      *[coverage_cell(c) for c in ws.coverage(theme.id)])
        if by_alignment:
            for al in ws.alignments(theme.id):
                style = "dim strike" if al.status == "rejected" else ""
                table.add_row(Text(f"  {al.id}", style),
                              *[coverage_cell(c) for c in ws.coverage(theme.id, al.id)])
    return table


def silent_docs(ws: Workspace, theme: str) -> list[str]:
    """Documents that say nothing on ``theme`` (recorded silent or not covered)."""
    return [c.doc for c in ws.coverage(theme) if c.state != "passage"]


class CoverageGrid(Static):
    """The grid for some themes (one on a theme row, all in the Coverage view)."""

    DEFAULT_CSS = """
    CoverageGrid {
        height: auto;
        padding: 1 1;
    }
    """

    def show(self, ws: Workspace, themes: list[Any], by_alignment: bool = False) -> None:
        if not themes:
            self.update(Text("No themes in alignments/themes.yaml.", "dim"))
            return
        out = Table.grid()
        out.add_row(coverage_table(ws, themes, by_alignment))
        legend = Text("§ section with a passage (✓ accepted ? proposed) · silent: recorded "
                      "as saying nothing · ·: no alignment yet", "dim")
        out.add_row(legend)
        self.update(out)
