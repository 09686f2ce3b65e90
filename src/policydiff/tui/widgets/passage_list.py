"""An alignment's passages, one per document in date order; choose one to read it in place."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import ListItem, ListView

from policydiff.core.passages import ResolvedPassage as Passage
from policydiff.tui.widgets.wrapped import WrappedText

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


def passage_text(p: Passage) -> Text:
    """Heading line, then the passage (or why the document is silent), then its note."""
    text = passage_heading(p)
    text.append("\n")
    if p.absent:
        text.append(f"silent — {p.note}" if p.note else "silent", "dim italic")
    else:
        text.append(p.text)
        if p.note:
            text.append(f"\n{p.note}", "italic")
    return text


class PassageItem(ListItem):
    def __init__(self, passage: Passage):
        self.body = WrappedText(passage_text(passage), classes="passage-text")
        super().__init__(self.body, classes="passage absent" if passage.absent else "passage")
        self.passage = passage

    def set_passage(self, passage: Passage) -> None:
        self.passage = passage
        self.set_class(passage.absent, "absent")
        self.body.update(passage_text(passage))


class PassageList(ListView):
    """The members of one alignment; enter (or click) opens a passage in the reader."""

    class Open(Message):
        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    def show(self, passages: list[Passage]) -> None:
        """Show ``passages``, reusing the items already mounted (fast alignment switch)."""
        items = self._items
        for item, passage in zip(items, passages, strict=False):
            item.set_passage(passage)
        for item in items[len(passages):]:
            item.remove()
        del items[len(passages):]
        if len(passages) > len(items):
            new = [PassageItem(p) for p in passages[len(items):]]
            items.extend(new)
            self.extend(new)
        self.index = 0 if passages else None

    @property
    def _items(self) -> list[PassageItem]:
        """The items shown (kept here: removals and mounts finish after ``show`` returns)."""
        if not hasattr(self, "_shown_items"):
            self._shown_items: list[PassageItem] = []
        return self._shown_items

    def on_list_view_selected(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, PassageItem):
            self.post_message(self.Open(event.item.passage))
