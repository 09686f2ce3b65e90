"""Review dialogs: edit an alignment's note, commit the alignment files with a message."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea


class NoteDialog(ModalScreen[str | None]):
    """A multi-line note; ctrl+s saves, escape keeps the draft for next time."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel (draft kept)"),
    ]

    def __init__(self, alignment_id: str, text: str, drafts: dict[str, str]):
        super().__init__()
        self.alignment_id = alignment_id
        self.text = text
        self.drafts = drafts

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(f"Note for {self.alignment_id}", style="bold"))
            yield TextArea(self.text, id="note", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)  # continue writing where the note ends
        area.focus()

    def _value(self) -> str:
        return self.query_one(TextArea).text.strip()

    def action_save(self) -> None:
        self.dismiss(self._value())

    def action_cancel(self) -> None:
        value = self._value()
        if value != self.text.strip():
            self.drafts[self.alignment_id] = value
            self.notify("Draft kept: press n again to continue.", severity="information")
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


class CommitDialog(ModalScreen[str | None]):
    """The alignment files to commit and a message; enter commits, escape keeps the draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel (draft kept)"),
    ]

    def __init__(self, files: list[str], message: str = ""):
        super().__init__()
        self.files = files
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text("Commit alignment files", style="bold"))
            yield Static(Text("\n".join(f"  M {f}" for f in self.files), style="green"),
                         id="files")
            yield Input(self.message, placeholder="Commit message", id="message")
            with Horizontal(classes="buttons"):
                yield Button("Commit (enter)", variant="primary", id="commit")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def _submit(self) -> None:
        message = self.query_one(Input).value.strip()
        if not message:
            self.notify("Write a commit message first.", severity="warning")
            return
        self.dismiss(message)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def action_cancel(self) -> None:
        self.app.commit_draft = self.query_one(Input).value  # type: ignore[attr-defined]
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "commit":
            self._submit()
        else:
            self.action_cancel()
