"""What every view shares: the view bar, the problem banner, the footer; review keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from policydiff.core.errors import PolicydiffError
from policydiff.tui.widgets.banner import ProblemBanner
from policydiff.tui.widgets.view_tabs import ViewTabs


class ViewScreen(Screen[None]):
    """A view: bar of views on top, banner when something is broken, footer of keys."""

    VIEW = ""

    def compose(self) -> ComposeResult:
        yield ViewTabs(self.VIEW, id="views")
        yield ProblemBanner(id="banner")
        yield from self.compose_view()
        yield Footer()

    def compose_view(self) -> ComposeResult:
        yield from ()

    @property
    def workspace(self):  # -> Workspace
        return self.app.workspace  # type: ignore[attr-defined]


REVIEW_BINDINGS: list[BindingType] = [
    Binding("a", "set_status('accepted')", "Accept"),
    Binding("r", "set_status('rejected')", "Reject"),
    Binding("n", "edit_note", "Note"),
    Binding("c", "commit", "Commit"),
]
"""Review keys; each view lists them after its own so its own come first in the footer."""


class AlignmentScreen(ViewScreen):
    """A view of the selected alignment, with the review keys (accept, reject, note, commit)."""

    # Subclasses add *REVIEW_BINDINGS at the end of their own BINDINGS.

    def on_mount(self) -> None:
        self.watch(self.app, "selected_alignment", self.show_alignment, init=True)

    def show_alignment(self, alignment_id: str | None) -> None:
        """Render the selected alignment (override)."""

    def _selected(self):
        alignment_id = self.app.selected_alignment  # type: ignore[attr-defined]
        al = self.workspace.alignment(alignment_id) if alignment_id else None
        if al is None:
            self.notify("Select an alignment first (view 1, Themes).", severity="warning")
        return al

    def _failed(self, exc: PolicydiffError) -> None:
        self.notify(str(exc), title="Not saved", severity="error", timeout=8)
        self.app.refresh_problems()  # type: ignore[attr-defined]

    def action_set_status(self, status: str) -> None:
        al = self._selected()
        if al is None:
            return
        try:
            path = self.workspace.set_status(al.id, status)
        except PolicydiffError as exc:
            self._failed(exc)
            return
        self.notify(f"{al.id}: {status} ({self.workspace._rel(path)})")
        self.app.mutate_reactive(type(self.app).selected_alignment)  # type: ignore[arg-type]

    def action_edit_note(self) -> None:
        from policydiff.tui.screens.dialogs import NoteDialog

        al = self._selected()
        if al is None:
            return
        drafts = self.app.note_drafts  # type: ignore[attr-defined]
        start = drafts.get(al.id, al.note or "")

        def done(result: str | None) -> None:
            if result is None:  # cancelled: keep what was typed for next time
                return
            try:
                path = self.workspace.set_note(al.id, result)
            except PolicydiffError as exc:
                drafts[al.id] = result
                self._failed(exc)
                return
            drafts.pop(al.id, None)
            self.notify(f"{al.id}: note saved ({self.workspace._rel(path)})")
            self.app.mutate_reactive(type(self.app).selected_alignment)  # type: ignore[arg-type]

        self.app.push_screen(NoteDialog(al.id, start, drafts), done)

    def action_commit(self) -> None:
        from policydiff.tui.screens.dialogs import CommitDialog

        ws = self.workspace
        if not ws.has_git:
            self.notify(ws.git_problems[0], title="Cannot commit", severity="error", timeout=8)
            return
        try:
            files = ws.pending_files()
        except PolicydiffError as exc:
            self._failed(exc)
            return
        if not files:
            self.notify("No alignment file has uncommitted changes.", severity="warning")
            return
        app = self.app

        def done(message: str | None) -> None:
            if message is None:
                return
            try:
                commit = ws.commit(message, files)
            except PolicydiffError as exc:
                app.commit_draft = message  # type: ignore[attr-defined]
                self._failed(exc)
                return
            app.commit_draft = ""  # type: ignore[attr-defined]
            self.notify(f"committed {commit}: {message.splitlines()[0]}")
            app.mutate_reactive(type(app).selected_alignment)  # type: ignore[arg-type]

        self.app.push_screen(CommitDialog(files, app.commit_draft), done)  # type: ignore[attr-defined]
