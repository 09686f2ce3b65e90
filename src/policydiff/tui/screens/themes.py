"""Themes: the themes, their alignments with status badges and counts, and the passages.

The right pane shows what the tree cursor is on: an alignment (its passages, review
keys on), or a theme's header row (the theme, review keys off).
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from policydiff.tui.messages import ViewText
from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.viewtext import alignment_view, coverage_view, passage_view
from policydiff.tui.widgets.alignment_header import AlignmentHeader
from policydiff.tui.widgets.alignment_tree import AlignmentTree
from policydiff.tui.widgets.coverage import CoverageGrid
from policydiff.tui.widgets.passage_list import PassageItem, PassageList


class ThemesScreen(AlignmentScreen):
    """Tree of themes → alignments; the alignment under the cursor, passages by date."""

    VIEW = "themes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "open_compare", "Diff"),
        Binding("v", "open_review", "Review"),
        Binding("o", "open_reader", "Read"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        *REVIEW_BINDINGS,
    ]

    last_switch_ms: float = 0.0
    _following_tree = False
    _theme: str | None = None  # the theme whose header row is shown (no alignment)

    def clip(self) -> ViewText | None:
        """The highlighted passage; on a theme row, its coverage grid (TSV)."""
        ws = self.workspace
        al = ws.alignment(self.shown) if self.shown else None
        if al is None:
            theme = [t for t in ws.themes() if t.id == self._theme]
            return coverage_view(ws, theme, sep="\t") if theme else None
        item = self.query_one(PassageList).highlighted_child
        if isinstance(item, PassageItem) and not item.passage.absent:
            return passage_view(item.passage, al.id)
        return alignment_view(al, ws.passages(al.id))

    def export_view(self) -> ViewText | None:
        """The alignment as Markdown (every passage); on a theme row, the grid as CSV."""
        ws = self.workspace
        al = ws.alignment(self.shown) if self.shown else None
        if al is None:
            theme = [t for t in ws.themes() if t.id == self._theme]
            return coverage_view(ws, theme) if theme else None
        return alignment_view(al, ws.passages(al.id))

    def compose_view(self) -> ComposeResult:
        with Horizontal(id="themes-body"):
            yield AlignmentTree(id="alignment-tree")
            with Vertical(id="alignment-pane"):
                yield AlignmentHeader(id="alignment-header")
                yield CoverageGrid(id="theme-coverage")
                yield PassageList(id="passages")

    def on_mount(self) -> None:
        self._populate()
        super().on_mount()
        self.query_one(AlignmentTree).focus()

    def _populate(self) -> None:
        ws = self.workspace
        tree = self.query_one(AlignmentTree)
        selected = self.app.selected_alignment
        if selected is None:
            first = next(iter(ws.alignments()), None)
            selected = first.id if first else None
        tree.populate(ws.themes(), ws.alignments, selected)
        if selected is not None and self.app.selected_alignment is None:
            self.app.selected_alignment = selected
        themes = ws.themes()
        if selected is None and themes:  # a new project: no alignment yet, say how to start
            self.show_theme(themes[0].id)

    def on_selected(self, alignment_id: str | None) -> None:
        """The current alignment changed (tree, palette, reader): cursor and pane follow."""
        if self._following_tree or alignment_id is None or \
                self.workspace.alignment(alignment_id) is None:
            return  # the tree set it: its cursor is already there (or moving on)
        self.query_one(AlignmentTree).select_alignment(alignment_id)
        self.show_alignment(alignment_id)

    def on_store_changed(self, _revision: int) -> None:
        ws = self.workspace
        tree = self.query_one(AlignmentTree)
        leaves = [leaf.data[1] for node in tree.root.children for leaf in node.children
                  if leaf.data]
        if leaves != [a.id for a in ws.alignments()]:
            self._populate()  # an alignment was added (or the files changed on disk)
        else:
            tree.refresh_labels(ws.themes(), ws.alignments)
        if self.shown is not None:
            self.show_alignment(self.shown)

    def show_alignment(self, alignment_id: str) -> None:
        started = time.perf_counter()
        ws = self.workspace
        al = ws.alignment(alignment_id)
        self.shown = al.id if al else None
        self.query_one(CoverageGrid).display = False
        self.query_one(PassageList).display = True
        self.query_one(AlignmentHeader).show(al)
        self.query_one(PassageList).show(ws.passages(al.id) if al else [])
        self.last_switch_ms = (time.perf_counter() - started) * 1000

    def show_theme(self, theme_id: str) -> None:
        """A theme's header row: the theme, no alignment (review keys off)."""
        self.shown = None
        self._theme = theme_id
        self.app.theme_in_view = theme_id
        ws = self.workspace
        theme = next((t for t in ws.themes() if t.id == theme_id), None)
        if theme is None:
            return
        alignments = ws.alignments(theme_id)
        text = Text()
        text.append(f"{theme.name_zh} ", "bold")
        text.append(f"{theme.name_en}  ", "bold")
        text.append(theme.id, "cyan")
        text.append(f"  {len(alignments)} alignment(s)", "dim")
        if theme.description:
            text.append(f"\n{theme.description}", "italic")
        if alignments:
            text.append("\n↓ to an alignment to review it", "dim")
        else:
            text.append("\nNo alignment yet: Reader (4), p on a passage of each document, "
                        "A; or `policydiff suggest`, then 5, w.", "yellow")
        self.query_one(AlignmentHeader).update(text)
        self.query_one(PassageList).show([])
        self.query_one(PassageList).display = False
        grid = self.query_one(CoverageGrid)
        grid.show(ws, [theme], by_alignment=True)
        grid.display = True

    def on_alignment_tree_highlighted(self, event: AlignmentTree.Highlighted) -> None:
        tree = self.query_one(AlignmentTree)
        if tree.cursor_node is not None and tree.cursor_node.data != (
                "alignment", event.alignment_id):
            return  # the cursor has moved on (keys faster than the screen): a later one comes
        if self.shown != event.alignment_id:
            self.show_alignment(event.alignment_id)
        if self.app.selected_alignment != event.alignment_id:
            self._following_tree = True
            try:
                self.app.selected_alignment = event.alignment_id
            finally:
                self._following_tree = False

    def on_alignment_tree_theme_highlighted(self, event: AlignmentTree.ThemeHighlighted,
                                            ) -> None:
        tree = self.query_one(AlignmentTree)
        if tree.cursor_node is not None and tree.cursor_node.data != ("theme", event.theme_id):
            return
        self.show_theme(event.theme_id)

    def on_alignment_tree_chosen(self, event: AlignmentTree.Chosen) -> None:
        self.app.select_alignment(event.alignment_id, "compare")

    def on_passage_list_open(self, event: PassageList.Open) -> None:
        p = event.passage
        self.app.open_reader(p.doc, p.start, self.shown)

    def on_screen_resume(self) -> None:
        selected = self.app.selected_alignment
        if selected and self.shown != selected:
            self.query_one(AlignmentTree).select_alignment(selected)

    def action_open_compare(self) -> None:
        if self.shown:
            self.app.select_alignment(self.shown, "compare")
        else:
            self.notify("Move to an alignment first.", severity="warning")

    def action_open_review(self) -> None:
        if self.shown:
            self.app.select_alignment(self.shown)
        self.app.switch_mode("review")

    def action_open_reader(self) -> None:
        passages = [p for p in self.query_one(PassageList).query_children(PassageItem)
                    if not p.passage.absent]
        highlighted = self.query_one(PassageList).highlighted_child
        item = highlighted if isinstance(highlighted, PassageItem) and \
            not highlighted.passage.absent else (passages[0] if passages else None)
        if item is None:
            self.notify("No passage to read.", severity="warning")
            return
        p = item.passage
        self.app.open_reader(p.doc, p.start, self.shown)

    def action_reload(self) -> None:
        self.app.reload()
        self._populate()
