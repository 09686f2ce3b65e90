"""Search (/): every occurrence of a word across the corpus; choose one to read it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from policydiff.tui.messages import OpenReader
from policydiff.tui.screens.dialogs import NAV_BINDINGS, modal_nav
from policydiff.tui.workspace import SearchHit, Workspace

if TYPE_CHECKING:
    from policydiff.tui.app import PolicydiffApp

SHOWN = 500
"""Hits listed at most (the count above the list is always the full one)."""


class SearchScreen(ModalScreen[None]):
    """Type to search; down moves into the results, enter opens one in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_search", "Close"),
        Binding("down", "focus_results", "Results", show=False),
        *NAV_BINDINGS,
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.hits: list[SearchHit] = []

    @property
    def workspace(self) -> Workspace:
        return cast("PolicydiffApp", self.app).workspace

    def compose(self) -> ComposeResult:
        with Vertical(id="search-dialog"):
            yield Input(self.query_text, placeholder="Search the corpus (e.g. 产业规模)",
                        id="search-input")
            yield Label("", id="search-count")
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.query_text:
            self._search(self.query_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        results = self.query_one(OptionList)
        if results.option_count:
            results.highlighted = 0
            results.focus()

    def _search(self, query: str) -> None:
        self.hits = self.workspace.search(query)
        results = self.query_one(OptionList)
        results.clear_options()
        options = []
        for k, hit in enumerate(self.hits[:SHOWN]):
            prompt = Text()
            prompt.append(f"{hit.doc}", "bold cyan")
            prompt.append(f" § {hit.section}  ", "cyan")
            context = Text(hit.context)
            context.highlight_words([query.strip()], "reverse", case_sensitive=False)
            prompt.append_text(context)
            options.append(Option(prompt, id=str(k)))
        results.add_options(options)
        docs = len({h.doc for h in self.hits})
        count = f"{len(self.hits)} match(es) in {docs} document(s)" if query.strip() else ""
        if len(self.hits) > SHOWN:
            count += f" (first {SHOWN} listed; n/N in the reader steps through all)"
        self.query_one("#search-count", Label).update(count)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        hit = self.hits[int(event.option.id or 0)]
        query = self.query_one(Input).value.strip()
        self.dismiss(None)
        self.app.post_message(OpenReader(hit.doc, hit.start, hit.end, query=query))

    def action_focus_results(self) -> None:
        results = self.query_one(OptionList)
        if results.option_count and not results.has_focus:
            results.highlighted = 0
            results.focus()

    def action_nav(self, where: str) -> None:
        modal_nav(self, where)

    def action_dismiss_search(self) -> None:
        self.dismiss(None)
