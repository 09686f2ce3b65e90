"""Review: the selected alignment, its passages, and its semantic history from git.

Accept (a), reject (r), note (i) write through the store; commit (c) commits only
the alignment files. History is read in a worker so git never blocks the screen.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import ViewText
from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.viewtext import alignment_view
from policydiff.tui.widgets.alignment_header import AlignmentHeader
from policydiff.tui.widgets.history_panel import HistoryPanel
from policydiff.tui.widgets.passage_list import PassageList


class ReviewScreen(AlignmentScreen):
    """Alignment, passages, pending files and history."""

    VIEW = "review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "queue", "Work through proposed",
                tooltip="Proposed alignments one by one: a/r/e/i/s, then commit"),
        Binding("h", "refresh_history", "Refresh history"),
        *REVIEW_BINDINGS,
    ]

    def clip(self) -> ViewText | None:
        al = self.workspace.alignment(self.shown) if self.shown else None
        return alignment_view(al, self.workspace.passages(al.id)) if al else None

    def compose_view(self) -> ComposeResult:
        with Vertical(id="review-body"):
            yield AlignmentHeader(id="review-header")
            yield PassageList(id="review-passages")
            yield Static(id="pending")
            with VerticalScroll(id="history-pane"):
                yield HistoryPanel(id="history")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(PassageList).focus()

    def on_selected(self, alignment_id: str | None) -> None:
        if self.is_current:
            self.show_alignment(alignment_id)

    def on_screen_resume(self) -> None:
        self.show_alignment(self.app.selected_alignment)

    def on_store_changed(self, _revision: int) -> None:
        if self.is_current:
            self.show_alignment(self.app.selected_alignment)

    def show_alignment(self, alignment_id: str | None) -> None:
        ws = self.workspace
        al = ws.alignment(alignment_id) if alignment_id else None
        self.shown = al.id if al else None
        self.query_one(AlignmentHeader).show(al)
        self.query_one(PassageList).show(ws.passages(al.id) if al else [])
        self._pending()
        self.action_refresh_history()

    def _pending(self) -> None:
        ws = self.workspace
        text = Text()
        if ws.has_git:
            try:
                files = ws.pending_files()
            except PolicydiffError as exc:
                files, text = [], Text(str(exc), "red")
            if files:
                text.append("uncommitted: ", "bold yellow")
                text.append(", ".join(files))
                text.append("   c: commit", "dim")
            elif not text:
                text.append("alignment files committed", "dim")
        self.query_one("#pending", Static).update(text)

    def action_refresh_history(self) -> None:
        panel = self.query_one(HistoryPanel)
        alignment_id = self.shown
        ws = self.workspace
        if not ws.has_git:
            panel.show([], "History needs a git repository: " + ws.git_problems[0])
            return
        if not alignment_id:
            panel.show([])
            return
        panel.show(None)
        self._history(alignment_id)

    @work(thread=True, exclusive=True, group="history", exit_on_error=False)
    def _history(self, alignment_id: str) -> None:
        try:  # git failures become a line in the panel
            entries = self.workspace.history(alignment_id)
        except PolicydiffError as exc:
            self.app.call_from_thread(self.query_one(HistoryPanel).show, [], str(exc))
            return
        self.app.call_from_thread(self.query_one(HistoryPanel).show, entries)

    def action_queue(self) -> None:
        from policydiff.tui.screens.queue import QueueScreen

        ids = [a.id for a in self.workspace.alignments() if a.status == "proposed"]
        if not ids:
            self.notify("No proposed alignment to review.", severity="information")
            return
        self.app.push_screen(QueueScreen(ids))

    def on_passage_list_open(self, event: PassageList.Open) -> None:
        p = event.passage
        self.app.open_reader(p.doc, p.start, self.shown)
