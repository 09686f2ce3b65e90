"""Reader: the corpus outline and a document's text, aligned passages highlighted.

] and [ step through the aligned passages of the document; g jumps from the current
passage to its alignment (Themes), whose passage list jumps back here. m marks a
section and d diffs the marked section against the current one.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from policydiff.tui.screens.base import ViewScreen
from policydiff.tui.widgets.document_view import DocumentView
from policydiff.tui.widgets.outline import Outline


class ReaderScreen(ViewScreen):
    """Outline on the left, text on the right."""

    VIEW = "reader"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "passage(1)", "Next passage", key_display="]"),
        Binding("left_square_bracket", "passage(-1)", "Prev passage", key_display="["),
        Binding("g", "goto_alignment", "Its alignment"),
        Binding("m", "mark", "Mark section"),
        Binding("d", "diff_marked", "Diff with mark"),
    ]

    class Retarget(Message):
        """The app set a new reader target (document, offset, alignment)."""

    def __init__(self) -> None:
        super().__init__()
        self.doc_id: str | None = None
        self.section: str | None = None
        self.marked: tuple[str, str | None] | None = None

    def compose_view(self) -> ComposeResult:
        with Horizontal(id="reader-body"):
            yield Outline(id="outline")
            yield DocumentView(id="document")
        yield Static(id="reader-status")

    async def on_mount(self) -> None:
        outline = self.query_one(Outline)
        outline.populate(self.workspace.corpus.documents())
        if self.app.reader_target is None:  # type: ignore[attr-defined]
            first = self.workspace.corpus.ids[0]
            await self.open(first)
            outline.focus_ref(first, None)
        outline.focus()

    async def on_screen_resume(self) -> None:
        await self.show_target()

    async def on_reader_screen_retarget(self, _message: Retarget) -> None:
        await self.show_target()

    async def show_target(self) -> None:
        """Open what the app asked for (document, offset, alignment) and consume it."""
        target = self.app.reader_target  # type: ignore[attr-defined]
        if target is None:
            return
        self.app.reader_target = None  # type: ignore[attr-defined]
        doc_id, offset, alignment_id = target
        await self.open(doc_id)
        view = self.query_one(DocumentView)
        span = next((s for s in view.spans if s.alignment == alignment_id
                     and (offset is None or s.start <= offset < max(s.end, s.start + 1))), None)
        if span is not None:
            view.set_current(span)
        if offset is not None:
            view.scroll_to_offset(offset)
            self.section = view.doc.section_at(offset).id
        self.query_one(Outline).focus_ref(doc_id, self.section)
        self._status()

    async def open(self, doc_id: str) -> None:
        if doc_id == self.doc_id:
            return
        ws = self.workspace
        doc = ws.corpus.get(doc_id)
        self.doc_id, self.section = doc_id, None
        await self.query_one(DocumentView).show(doc, ws.spans(doc_id))
        self._status()

    async def on_outline_section_highlighted(self, event: Outline.SectionHighlighted) -> None:
        await self.open(event.doc)
        self.section = event.section
        self.query_one(DocumentView).scroll_to_section(event.section)
        self._status()

    def _status(self) -> None:
        view = self.query_one(DocumentView)
        text = Text()
        if self.doc_id:
            text.append(f"{self.doc_id}", "bold")
            if self.section:
                text.append(f" § {self.section}", "cyan")
            text.append(f"   {len(view.spans)} aligned passage(s)", "dim")
        if view.current is not None:
            text.append(f"   current: {view.current.alignment} [{view.current.status}]", "yellow")
        if self.marked:
            d, s = self.marked
            text.append(f"   marked: {d}{':' + s if s else ''}", "magenta")
        self.query_one("#reader-status", Static).update(text)

    def action_passage(self, delta: int) -> None:
        view = self.query_one(DocumentView)
        if not view.spans:
            self.notify("No aligned passage in this document.", severity="information")
            return
        if view.current in view.spans:
            index = (view.spans.index(view.current) + delta) % len(view.spans)
        else:
            index = 0 if delta > 0 else len(view.spans) - 1
        view.set_current(view.spans[index])
        self.section = view.doc.section_at(view.spans[index].start).id
        self._status()

    def action_goto_alignment(self) -> None:
        view = self.query_one(DocumentView)
        if view.current is None:
            self.notify("No current passage: press ] to step to one.", severity="warning")
            return
        self.app.select_alignment(view.current.alignment, "themes")  # type: ignore[attr-defined]

    def action_mark(self) -> None:
        if self.doc_id:
            self.marked = (self.doc_id, self.section)
            self._status()

    def action_diff_marked(self) -> None:
        if not self.marked or not self.doc_id:
            self.notify("Mark a section first (m), then move to another and press d.",
                        severity="warning")
            return
        self.app.compare_two(self.marked, (self.doc_id, self.section))  # type: ignore[attr-defined]
