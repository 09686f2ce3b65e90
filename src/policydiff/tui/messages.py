"""Messages that move TUI state between screens; each carries the data it is about.

A screen (or a widget inside it) posts one of these; it bubbles to the app, which
switches to the view that handles it and forwards it there. Nothing is left in an
app attribute for a screen to pick up later.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

SectionRef = tuple[str, str | None]
"""(document id, section id or None for the whole document)."""


class OpenReader(Message):
    """Show ``doc`` in the reader, at ``start``..``end`` (highlighted) if given.

    ``alignment`` makes that alignment's passage the current one; ``query`` lets
    n/N step through the other matches of a search.
    """

    def __init__(self, doc: str, start: int | None = None, end: int | None = None,
                 alignment: str | None = None, query: str | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.start = start
        self.end = end
        self.alignment = alignment
        self.query = query


class CompareSections(Message):
    """Compare two sections (or whole documents) instead of an alignment."""

    def __init__(self, a: SectionRef, b: SectionRef) -> None:
        super().__init__()
        self.a = a
        self.b = b


class CompareDocuments(Message):
    """Compare two whole documents article by article (the 对照表 of ``compare_documents``)."""

    def __init__(self, a: str, b: str) -> None:
        super().__init__()
        self.a = a
        self.b = b


class SelectAlignment(Message):
    """Make ``alignment`` the current alignment, in view ``mode`` if given."""

    def __init__(self, alignment: str, mode: str | None = None) -> None:
        super().__init__()
        self.alignment = alignment
        self.mode = mode


@dataclass(frozen=True)
class Edit:
    """One review write, enough to undo it: the field's value before and after."""

    alignment: str
    field: str  # "status" or "note"
    before: str
    after: str
    path: str  # the file, relative to the project
    text_before: str  # the whole file before the write (exact undo while untouched)
    text_after: str


@dataclass(frozen=True)
class DialogText:
    """What a note or commit dialog closed with: the text, and whether to use it now.

    ``done=False`` (escape) hands back what was typed so the screen that opened the
    dialog keeps it as a draft for next time; nothing is left in the app.
    """

    text: str
    done: bool


@dataclass(frozen=True)
class ViewText:
    """The view on screen as text: what ``y`` copies and ``x`` exports.

    ``what`` names it in the notification (``diff of targets-scale``); ``stem`` and
    ``suffix`` name the exported file (``exports/<stem>.<suffix>``).
    """

    what: str
    text: str
    stem: str
    suffix: str = "md"
