"""Review queue, like ``git add -p``: the proposed alignments one by one.

Each shows its progress (3/17), its label and passages as a chain of diffs; a
accepts, r rejects (both go on to the next), e opens it in $EDITOR, i edits the
note, s skips. After the
last one the commit dialog opens with a message made from what was decided.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import ViewText
from policydiff.tui.screens.base import AlignmentScreen
from policydiff.tui.viewtext import alignment_view
from policydiff.tui.widgets.alignment_header import AlignmentHeader
from policydiff.tui.widgets.diff_view import DiffView


class QueueScreen(AlignmentScreen):
    """Proposed alignments in store order; a/r/e/i/s; esc leaves the queue."""

    DEFAULT_CSS = """
    #queue-progress {
        height: 1;
        padding: 0 1;
        background: $boost;
    }
    QueueScreen AlignmentHeader {
        height: auto;
        max-height: 30%;
        padding: 0 1;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "decide('accepted')", "Accept, next"),
        Binding("r", "decide('rejected')", "Reject, next"),
        Binding("e", "open_editor", "Edit", tooltip="In $EDITOR at its line; reloads after"),
        Binding("i", "edit_note", "Note"),
        Binding("s", "skip", "Skip"),
        Binding("c", "commit", "Commit"),
        Binding("escape", "leave", "Leave queue"),
    ]

    def __init__(self, ids: list[str]) -> None:
        super().__init__()
        self.ids = ids
        self.index = 0
        self.decided: dict[str, str] = {}

    def clip(self) -> ViewText | None:
        al = self.workspace.alignment(self.shown) if self.shown else None
        return alignment_view(al, self.workspace.passages(al.id)) if al else None

    def compose_view(self) -> ComposeResult:
        yield Static(id="queue-progress")
        yield AlignmentHeader(id="queue-header")
        yield DiffView(id="queue-diff")

    def on_mount(self) -> None:
        super().on_mount()
        self._show()
        self.query_one(DiffView).focus()

    def on_selected(self, alignment_id: str | None) -> None:
        """The queue decides what is shown, not the app's current alignment."""

    def _show(self) -> None:
        ws = self.workspace
        progress = Text()
        if self.index >= len(self.ids):
            self.shown = None
            counts = {s: sum(1 for v in self.decided.values() if v == s)
                      for s in ("accepted", "rejected")}
            skipped = len(self.ids) - len(self.decided)
            progress.append(f"done: {counts['accepted']} accepted, {counts['rejected']} "
                            f"rejected, {skipped} skipped", "bold green")
            self.query_one("#queue-progress", Static).update(progress)
            self.query_one(AlignmentHeader).update(Text("c: commit · esc: leave", "dim"))
            self.query_one(DiffView).show_message("No proposed alignment left in the queue.")
            if self.decided:
                self.action_commit()
            return
        al_id = self.ids[self.index]
        al = ws.alignment(al_id)
        self.shown = al.id if al else None
        progress.append(f"{self.index + 1}/{len(self.ids)}", "bold reverse")
        progress.append(f"  proposed alignments · {len(self.decided)} decided", "dim")
        self.query_one("#queue-progress", Static).update(progress)
        self.query_one(AlignmentHeader).show(al)
        self.query_one(DiffView).show_message("Computing the diff…")
        if al is not None:
            self.app.selected_alignment = al.id
            self._compute(al.id)

    @work(thread=True, exclusive=True, group="queue-diff", exit_on_error=False)
    def _compute(self, al_id: str) -> None:
        try:
            chain = self.workspace.chain(al_id)
        except PolicydiffError as exc:
            self.app.call_from_thread(self.query_one(DiffView).show_message, str(exc))
            return
        self.app.call_from_thread(self._ready, al_id, chain)

    async def _ready(self, al_id: str, chain: Any) -> None:
        if al_id != self.shown:
            return
        if not chain.steps:
            self.query_one(DiffView).show_message("One document only: nothing to diff.")
            return
        await self.query_one(DiffView).show_steps(chain.steps, False)

    def on_store_changed(self, _revision: int) -> None:
        if self.shown:
            self.query_one(AlignmentHeader).show(self.workspace.alignment(self.shown))

    def action_decide(self, status: str) -> None:
        if self.shown is None:
            return
        al_id = self.shown
        self.action_set_status(status)
        al = self.workspace.alignment(al_id)
        if al is not None and al.status == status:
            self.decided[al_id] = status
            self.action_skip()

    def action_skip(self) -> None:
        if self.index < len(self.ids):
            self.index += 1
            self._show()

    def action_leave(self) -> None:
        self.app.pop_screen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("decide", "skip"):
            return self.shown is not None
        return super().check_action(action, parameters)
