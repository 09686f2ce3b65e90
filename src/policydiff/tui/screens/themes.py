"""Themes: the themes, their alignments with status badges and counts, and the passages."""

from __future__ import annotations

import time
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical

from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.widgets.alignment_header import AlignmentHeader
from policydiff.tui.widgets.alignment_tree import AlignmentTree
from policydiff.tui.widgets.passage_list import PassageList


class ThemesScreen(AlignmentScreen):
    """Tree of themes → alignments; the selected alignment's passages by date."""

    VIEW = "themes"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "open_compare", "Diff"),
        Binding("v", "open_review", "Review"),
        Binding("o", "open_reader", "Read"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        *REVIEW_BINDINGS,
    ]

    last_switch_ms: float = 0.0

    def compose_view(self) -> ComposeResult:
        with Horizontal(id="themes-body"):
            yield AlignmentTree(id="alignment-tree")
            with Vertical(id="alignment-pane"):
                yield AlignmentHeader(id="alignment-header")
                yield PassageList(id="passages")

    def on_mount(self) -> None:
        self._populate()
        super().on_mount()
        self.query_one(AlignmentTree).focus()

    def _populate(self) -> None:
        ws = self.workspace
        tree = self.query_one(AlignmentTree)
        selected = self.app.selected_alignment  # type: ignore[attr-defined]
        if selected is None:
            first = next(iter(ws.alignments()), None)
            selected = first.id if first else None
        tree.populate(ws.themes(), ws.alignments, selected)
        if selected is not None and self.app.selected_alignment is None:  # type: ignore[attr-defined]
            self.app.selected_alignment = selected  # type: ignore[attr-defined]

    def show_alignment(self, alignment_id: str | None) -> None:
        started = time.perf_counter()
        ws = self.workspace
        al = ws.alignment(alignment_id) if alignment_id else None
        self.query_one(AlignmentHeader).show(al)
        self.query_one(PassageList).show(ws.passages(al.id) if al else [])
        self.last_switch_ms = (time.perf_counter() - started) * 1000
        if al is not None:
            self._refresh_tree_labels(al.id)

    def _refresh_tree_labels(self, alignment_id: str) -> None:
        ws = self.workspace
        self.query_one(AlignmentTree).refresh_labels(ws.themes(), ws.alignments)

    def on_alignment_tree_highlighted(self, event: AlignmentTree.Highlighted) -> None:
        if self.app.selected_alignment != event.alignment_id:  # type: ignore[attr-defined]
            self.app.selected_alignment = event.alignment_id  # type: ignore[attr-defined]

    def on_alignment_tree_chosen(self, event: AlignmentTree.Chosen) -> None:
        self.app.select_alignment(event.alignment_id, "compare")  # type: ignore[attr-defined]

    def on_passage_list_open(self, event: PassageList.Open) -> None:
        p = event.passage
        self.app.open_reader(p.doc, p.start, self.app.selected_alignment)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        selected = self.app.selected_alignment  # type: ignore[attr-defined]
        if selected:
            self.query_one(AlignmentTree).select_alignment(selected)

    def action_open_compare(self) -> None:
        if self.app.selected_alignment:  # type: ignore[attr-defined]
            self.app.compare_sections = None  # type: ignore[attr-defined]
            self.app.switch_mode("compare")

    def action_open_review(self) -> None:
        self.app.switch_mode("review")

    def action_open_reader(self) -> None:
        passages = [p for p in self.query_one(PassageList).children
                    if getattr(p, "passage", None) and not p.passage.absent]
        highlighted = self.query_one(PassageList).highlighted_child
        item = highlighted if getattr(highlighted, "passage", None) else (
            passages[0] if passages else None)
        if item is None:
            self.notify("No passage to read.", severity="warning")
            return
        p = item.passage  # type: ignore[attr-defined]
        self.app.open_reader(p.doc, p.start, self.app.selected_alignment)  # type: ignore[attr-defined]

    def action_reload(self) -> None:
        self.app.reload()  # type: ignore[attr-defined]
        self._populate()
