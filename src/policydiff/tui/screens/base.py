"""What every view shares: the view bar, the problem banner, the footer; review keys.

Review keys write only to the alignment the view shows (``shown``): where a view
shows no single alignment — a theme's header row, two marked sections compared —
they are disabled and gone from the footer, so a key can never change an alignment
that is not on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import DialogText, ViewText
from policydiff.tui.widgets.banner import ProblemBanner
from policydiff.tui.widgets.view_tabs import ViewTabs
from policydiff.tui.workspace import Workspace

if TYPE_CHECKING:
    from policydiff.tui.app import PolicydiffApp


class ViewScreen(Screen[None]):
    """A view: bar of views on top, banner when something is broken, footer of keys."""

    VIEW = ""

    @property
    def app(self) -> PolicydiffApp:
        """The running app, typed (screens call its methods and read its state)."""
        return cast("PolicydiffApp", super().app)

    def compose(self) -> ComposeResult:
        yield ViewTabs(self.VIEW, id="views")
        yield ProblemBanner(id="banner")
        yield from self.compose_view()
        yield Footer()

    def compose_view(self) -> ComposeResult:
        yield from ()

    @property
    def workspace(self) -> Workspace:
        return self.app.workspace

    def clip(self) -> ViewText | None:
        """What ``y`` copies: the passage, diff or table on screen (override)."""
        return None

    def export_view(self) -> ViewText | None:
        """What ``x`` writes to a file: the view as Markdown or CSV (default: the clip)."""
        return self.clip()


REVIEW_BINDINGS: list[BindingType] = [
    Binding("a", "set_status('accepted')", "Accept"),
    Binding("r", "set_status('rejected')", "Reject"),
    Binding("e", "open_editor", "Edit",
            tooltip="Open the alignment shown in $EDITOR at its line; reloads after"),
    Binding("i", "edit_note", "Note", tooltip="Write the note of the alignment shown"),
    Binding("c", "commit", "Commit"),
]
"""Review keys; each view lists them after its own so its own come first in the footer."""

NEEDS_ALIGNMENT = {"set_status", "edit_note", "open_editor"}


class AlignmentScreen(ViewScreen):
    """A view that may show one alignment, with the review keys acting on that one only."""

    # Subclasses add *REVIEW_BINDINGS at the end of their own BINDINGS.

    shown: var[str | None] = var(None)
    """The alignment on screen now (None: no single alignment shown, review keys off)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.note_drafts: dict[str, str] = {}
        """Notes typed and cancelled in this view, per alignment: the dialog starts there."""
        self.commit_draft = ""
        """A commit message typed and cancelled (or refused) in this view."""

    def on_mount(self) -> None:
        self.watch(self.app, "selected_alignment", self.on_selected, init=True)
        self.watch(self.app, "store_revision", self.on_store_changed, init=False)

    def on_selected(self, alignment_id: str | None) -> None:
        """The app's current alignment changed (override)."""

    def on_store_changed(self, _revision: int) -> None:
        """The store was written (an edit, undo, commit or reload): re-render (override)."""

    def watch_shown(self, old: str | None, new: str | None) -> None:
        if (old is None) != (new is None):  # the footer recomposes: only when keys change
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NEEDS_ALIGNMENT:
            return self.shown is not None and self.workspace.alignment(self.shown) is not None
        return True

    def _failed(self, exc: PolicydiffError) -> None:
        self.notify(str(exc), title="Not saved", severity="error", timeout=8)
        self.app.refresh_problems()

    def action_set_status(self, status: str) -> None:
        if self.shown is None:
            return
        try:
            edit = self.app.write(self.shown, "status", status)
        except PolicydiffError as exc:
            self._failed(exc)
            return
        self.notify(f"{edit.alignment}: {status} ({edit.path})   u: undo")

    def action_open_editor(self) -> None:
        if self.shown is not None:
            self.app.open_in_editor(self.shown)

    def action_edit_note(self) -> None:
        from policydiff.tui.screens.dialogs import NoteDialog

        al = self.workspace.alignment(self.shown) if self.shown else None
        if al is None:
            return
        drafts = self.note_drafts

        def done(result: DialogText | None) -> None:
            if result is None:
                return
            if not result.done:  # cancelled: keep what was typed for next time
                if result.text != (al.note or "").strip():
                    drafts[al.id] = result.text
                return
            try:
                edit = self.app.write(al.id, "note", result.text)
            except PolicydiffError as exc:
                drafts[al.id] = result.text
                self._failed(exc)
                return
            drafts.pop(al.id, None)
            self.notify(f"{al.id}: note saved ({edit.path})   u: undo")

        self.app.push_screen(NoteDialog(al.id, drafts.get(al.id, al.note or "")), done)

    def action_commit(self) -> None:
        from policydiff.tui.screens.dialogs import CommitDialog, proposed_message

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

        def done(result: DialogText | None) -> None:
            if result is None:
                return
            if not result.done:
                self.commit_draft = result.text
                return
            try:
                commit = ws.commit(result.text, files)
            except PolicydiffError as exc:
                self.commit_draft = result.text
                self._failed(exc)
                return
            self.commit_draft = ""
            app.committed()
            self.notify(f"committed {commit}: {result.text.splitlines()[0]}")

        draft = self.commit_draft or proposed_message(app.edits, app.added)
        app.push_screen(CommitDialog(files, draft), done)
