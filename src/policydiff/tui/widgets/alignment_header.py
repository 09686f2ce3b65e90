"""The selected alignment in a few lines: id, status, label, theme, note, where it is stored."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from policydiff.tui.widgets.alignment_tree import BADGES


def alignment_summary(al) -> Text:
    text = Text()
    glyph, style = BADGES.get(al.status, ("·", "dim"))
    text.append(f"{glyph} {al.status}", style)
    text.append(f"  {al.id}", "bold")
    text.append(f"  {al.theme}", "cyan")
    where = f"{al.file}:{al.line}" if getattr(al, "file", "") else ""
    if where:
        text.append(f"  {where}", "dim")
    if al.label:
        text.append(f"\n{al.label}", "bold")
    if al.note:
        text.append(f"\n{al.note}", "italic")
    return text


class AlignmentHeader(Static):
    """Summary of one alignment (or a hint when none is selected)."""

    def show(self, al) -> None:
        if al is None:
            self.update(Text("No alignment selected — pick one in the tree.", "dim"))
        else:
            self.update(alignment_summary(al))
