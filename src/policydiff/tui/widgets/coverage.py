"""Coverage at a glance: theme × document, each cell the sections that speak to the theme.

A cell reads ``§3.3 ✓`` (a passage, its section and the alignment's status), ``silent``
(an alignment records that the document says nothing on it), ``orphaned`` (aligned, but no
member's quote is found in the document any more) or ``·`` (no alignment covers the
document yet). Column heads give the year, the id and the source type.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from policydiff.tui.widgets.alignment_tree import BADGES
from policydiff.tui.workspace import Coverage, Workspace

MAX_SECTIONS = 2


def coverage_cell(c: Coverage, max_sections: int = MAX_SECTIONS) -> Text:
    if c.state == "silent":
        return Text("silent", "bold red")
    if c.state == "orphaned":
        return Text("orphaned", "bold yellow")  # run `policydiff check`
    if c.state == "none":
        return Text("·", "dim")
    text = Text()
    shown = c.sections[:max_sections]
    text.append(" ".join(f"§{s}" for s in shown), "green")
    if len(c.sections) > max_sections:
        text.append(f" +{len(c.sections) - max_sections}", "cyan")
    best = "accepted" if "accepted" in c.statuses else "proposed"
    glyph, style = BADGES[best]
    text.append(f" {glyph}", style)
    return text


CELL_WIDTH = 10  # "§p1 §p4 ✓" and a gap: a full cell; below it the grid goes compact


def doc_code(k: int) -> str:
    """Short column label of the k-th document (date order): D1, D2 …"""
    return f"D{k + 1}"


def fits(ws: Workspace, themes: list[Any], by_alignment: bool, width: int) -> bool:
    """Whether full column heads (document ids) and two sections per cell fit ``width``."""
    labels = [f"{t.name_zh} {t.id}" for t in themes]
    if by_alignment:
        labels += [f"  {a.id}" for t in themes for a in ws.alignments(t.id)]
    first = max((cell_len(x) for x in labels), default=5) + 1
    docs = ws.corpus.documents()
    need = first + sum(max(CELL_WIDTH, len(d.id) + 1) for d in docs)
    return need <= width


def cell_len(text: str) -> int:
    from rich.cells import cell_len as _cell_len

    return _cell_len(text)


def coverage_table(ws: Workspace, themes: list[Any], by_alignment: bool = False,
                   compact: bool = False) -> Table:
    """Rows: themes (and their alignments); columns: documents (year, id, source type).

    ``compact`` (a narrow terminal): columns headed D1, D2 … with the year, one section
    per cell; :func:`doc_legend` says which document each code is.
    """
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold",
                  expand=False, padding=(0, 1))
    table.add_column("theme", no_wrap=True)
    for k, doc in enumerate(ws.corpus.documents()):
        if compact:
            head = Text(f"{doc_code(k)}\n", "bold cyan")
            head.append(doc.date[:4], "bold")
            table.add_column(head, no_wrap=True)
            continue
        head = Text(f"{doc.date[:7]}\n", "bold")
        head.append(f"{doc.id}\n", "cyan")
        head.append(doc.meta.kind or "", "dim")
        table.add_column(head, overflow="fold", min_width=6)
    per_cell = 1 if compact else MAX_SECTIONS
    for theme in themes:
        label = theme.id if compact else f"{theme.name_zh} {theme.id}"
        table.add_row(Text(label, "bold cyan"),
                      *[coverage_cell(c, per_cell) for c in ws.coverage(theme.id)])
        if by_alignment:
            for al in ws.alignments(theme.id):
                style = "dim strike" if al.status == "rejected" else ""
                table.add_row(Text(f"  {al.id}", style),
                              *[coverage_cell(c, per_cell) for c in ws.coverage(theme.id, al.id)])
    return table


def doc_legend(ws: Workspace) -> Text:
    """``D1 2017-opinions (press) · D2 …``: the documents behind the compact column codes."""
    text = Text()
    for k, doc in enumerate(ws.corpus.documents()):
        if k:
            text.append(" · ", "dim")
        text.append(doc_code(k), "bold cyan")
        text.append(f" {doc.id}")
        if doc.meta.kind:
            text.append(f" ({doc.meta.kind})", "dim")
    return text


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
        width = (self.container_size.width or self.app.size.width) - 2
        compact = not fits(ws, themes, by_alignment, width)
        out = Table.grid()
        out.add_row(coverage_table(ws, themes, by_alignment, compact))
        if compact:
            out.add_row(doc_legend(ws))
        legend = Text("§ section with a passage (✓ accepted ? proposed) · silent: recorded "
                      "as saying nothing · ·: no alignment yet", "dim")
        if any(c.state == "orphaned" for t in themes for c in ws.coverage(t.id)):
            legend.append(" · orphaned: its quote is no longer found (run policydiff check)",
                          "yellow")
        out.add_row(legend)
        self.update(out)
