"""An alignment's passages, one per document in date order; choose one to read it in place."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import ListItem, ListView, Static

from ..workspace import Passage

RESOLUTION_STYLE = {"exact": "green", "drifted": "yellow", "orphaned": "bold red",
                    "absent": "dim"}


def passage_heading(p: Passage) -> Text:
    head = Text()
    head.append(f"{p.date} ", "bold cyan")
    head.append(p.doc, "bold")
    if p.section:
        head.append(f" § {p.section}", "cyan")
    if p.status != "exact":
        head.append(f"  [{p.status}]", RESOLUTION_STYLE.get(p.status, ""))
    return head


class PassageItem(ListItem):
    def __init__(self, passage: Passage):
        super().__init__(classes="passage absent" if passage.absent else "passage")
        self.passage = passage

    def compose(self):
        p = self.passage
        yield Static(passage_heading(p), classes="passage-head")
        if p.absent:
            yield Static(Text(f"silent — {p.note}" if p.note else "silent", "dim italic"),
                         classes="passage-text")
        else:
            yield Static(Text(p.text), classes="passage-text")
            if p.note:
                yield Static(Text(p.note, "italic"), classes="passage-note")


class PassageList(ListView):
    """The members of one alignment; enter (or click) opens a passage in the reader."""

    class Open(Message):
        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    def show(self, passages: list[Passage]) -> None:
        self.clear()
        self.extend(PassageItem(p) for p in passages)

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, PassageItem):
            self.post_message(self.Open(event.item.passage))
