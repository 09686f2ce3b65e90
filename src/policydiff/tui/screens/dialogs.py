"""Dialogs: edit an alignment's note, commit the alignment files, choose a document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from policydiff.tui.messages import DialogText, Edit

VERBS = {"accepted": "accept", "rejected": "reject", "proposed": "reopen"}

NAV_BINDINGS: list[BindingType] = [
    # A modal screen does not hear the app's keys: the list keys again, for its list or
    # text (letters typed into an input go there first, so j/k/g/G still type).
    Binding("j", "nav('down')", "Down", show=False),
    Binding("k", "nav('up')", "Up", show=False),
    Binding("g", "nav('top')", "Top", show=False),
    Binding("G", "nav('bottom')", "Bottom", show=False),
]


def modal_nav(screen: ModalScreen, where: str) -> None:
    """j/k/g/G in a modal screen: as the app does it for the focused widget."""
    from policydiff.tui.app import PolicydiffApp

    app = screen.app
    if isinstance(app, PolicydiffApp):
        app.action_nav(where)


def proposed_message(edits: Sequence[Edit], added: Sequence[tuple[str, str]] = ()) -> str:
    """A commit message from this session's semantic changes: what was decided, on what.

    The last write to each (alignment, field) wins; undone and no-op writes are gone
    already. ``Accept targets-scale, talent-hub; reject talent-training; note on x``.
    """
    last: dict[tuple[str, str], Edit] = {}
    for e in edits:
        last[(e.alignment, e.field)] = e
    groups: dict[str, list[str]] = {}
    for (alignment, field), e in last.items():
        verb = VERBS.get(e.after, f"set {e.after}") if field == "status" else "note on"
        groups.setdefault(verb, []).append(alignment)
    parts = [f"add {al_id}: {label}" for al_id, label in added]
    parts += [f"{verb} {', '.join(ids)}" for verb, ids in groups.items()]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


class NoteDialog(ModalScreen[DialogText]):
    """A multi-line note; ctrl+s saves, escape hands back what was typed as a draft."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save note"),
        Binding("escape", "cancel", "Cancel (draft kept)"),
    ]

    def __init__(self, alignment_id: str, text: str):
        super().__init__()
        self.alignment_id = alignment_id
        self.text = text

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
        self.dismiss(DialogText(self._value(), done=True))

    def action_cancel(self) -> None:
        value = self._value()
        if value != self.text.strip():
            self.notify("Draft kept: press i again to continue.", severity="information")
        self.dismiss(DialogText(value, done=False))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()


class CommitDialog(ModalScreen[DialogText]):
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
        self.dismiss(DialogText(message, done=True))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def action_cancel(self) -> None:
        self.dismiss(DialogText(self.query_one(Input).value, done=False))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "commit":
            self._submit()
        else:
            self.action_cancel()


class ConfirmQuit(ModalScreen[bool]):
    """Quit with uncommitted alignment edits? y quits, n/esc stays (c commits first)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Quit anyway"),
        Binding("n,escape", "answer(False)", "Stay", key_display="n/esc"),
    ]

    def __init__(self, files: list[str]):
        super().__init__()
        self.files = files

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text("Quit with uncommitted alignment edits?", style="bold"))
            yield Static(Text("\n".join(f"  M {f}" for f in self.files), style="yellow"),
                         id="files")
            yield Label(Text("y: quit anyway   n/esc: stay (then c to commit)", style="dim"))
            with Horizontal(classes="buttons"):
                yield Button("Quit (y)", variant="error", id="yes")
                yield Button("Stay (n)", variant="primary", id="no")

    def action_answer(self, quit_anyway: bool) -> None:
        self.dismiss(quit_anyway)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


NewAlignment = tuple[str, str, str]
"""(theme id, label, note) of an alignment to create."""


class NewAlignmentDialog(ModalScreen[NewAlignment | None]):
    """Theme, label and note for the picked passages; ctrl+s (or enter in the label) creates."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "create", "Create alignment"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, themes: list[tuple[str, str]], theme: str | None,
                 passages: list[str]):
        super().__init__()
        self.themes = themes
        self.theme = theme if theme in {t for t, _ in themes} else (
            themes[0][0] if themes else None)
        self.passages = passages

    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        with Vertical(id="dialog"):
            yield Label(Text(f"New alignment of {len(self.passages)} passage(s)", style="bold"))
            yield Static(Text("\n".join(f"  {p}" for p in self.passages), style="cyan"),
                         id="picked")
            yield Select([(f"{name} ({tid})", tid) for tid, name in self.themes],
                         value=self.theme if self.theme else Select.BLANK, allow_blank=False,
                         id="theme")
            yield Input(placeholder="Label (what the passages say, in a few words)", id="label")
            yield TextArea("", id="new-note", soft_wrap=True)
            with Horizontal(classes="buttons"):
                yield Button("Create (ctrl+s)", variant="primary", id="create")
                yield Button("Cancel (esc)", id="cancel")

    def on_mount(self) -> None:
        if self.app.size.height < 30:  # 80×24: the buttons must stay on screen
            self.query_one("#new-note", TextArea).styles.height = 3
            self.query_one(".buttons").styles.margin = (0, 0, 0, 0)
            self.query_one("#picked").styles.max_height = 3
        self.query_one("#label", Input).focus()

    def action_create(self) -> None:
        from textual.widgets import Select

        theme = self.query_one("#theme", Select).value
        label = self.query_one("#label", Input).value.strip()
        if not label:
            self.notify("Write a label first.", severity="warning")
            self.query_one("#label", Input).focus()
            return
        if not isinstance(theme, str):
            self.notify("Choose a theme first.", severity="warning")
            return
        self.dismiss((theme, label, self.query_one("#new-note", TextArea).text.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_create()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self.action_create()
        else:
            self.action_cancel()


class DocumentPicker(ModalScreen[str | None]):
    """Choose a document from a list (Enter), or cancel (Esc): the other side of a comparison."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel"),
                                             *NAV_BINDINGS]

    def __init__(self, title: str, documents: Sequence[tuple[str, str, str]]):
        """``documents``: (id, date, title) rows, in the order to show."""
        super().__init__()
        self.title_text = title
        self.documents = list(documents)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(Text(self.title_text, style="bold"))
            yield OptionList(*[Option(Text.assemble((doc_id, "bold"), f"  {date}  {title}"),
                                      id=doc_id) for doc_id, date, title in self.documents],
                             id="doc-picker")
            yield Label(Text("Enter: choose   esc: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_nav(self, where: str) -> None:
        modal_nav(self, where)

    def action_cancel(self) -> None:
        self.dismiss(None)


class GotoSection(ModalScreen[str | None]):
    """A one-line prompt at the bottom (like vi's ``:``) for a section id as the document
    shows it: 3.3, 第十二条, 十二, p7. Enter goes there, escape does nothing."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, doc_id: str, examples: Sequence[str]):
        super().__init__()
        self.doc_id = doc_id
        self.examples = list(examples)

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-dialog"):
            hint = " · ".join(self.examples) or "3.3 · 第十二条 · p7"
            yield Label(Text.assemble(("Go to section of ", "bold"), (self.doc_id, "bold cyan"),
                                      (f"   e.g. {hint}", "dim")))
            yield Input(placeholder="section id or numbering, then enter (esc: cancel)",
                        id="goto-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
