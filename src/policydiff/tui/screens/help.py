"""Help (?): every key of every view, read from the bindings the classes declare."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from policydiff.tui.screens.dialogs import NAV_BINDINGS, modal_nav

INTRO = (
    "policydiff — compare successive policies. Views: 1 Themes · 2 Compare · 3 Targets · "
    "4 Reader · 5 Review · 6 Coverage. Mouse: click view names, tree nodes, rows and buttons; "
    "wheel scrolls. Badges: ✓ accepted  ? proposed  ✗ rejected. In Compare, red struck text "
    "was deleted, green was inserted ([-…-] and {+…+} with NO_COLOR); ↕ marks a moved "
    "sentence. Review keys act only on the alignment on screen; u undoes the last status or "
    "note change. Alignment and corpus files are watched: a change saved elsewhere shows at "
    "once (a broken save puts up a banner and keeps what was shown)."
)


def key_name(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"slash": "/", "question_mark": "?", "full_stop": ".", "comma": ",",
             "right_square_bracket": "]", "left_square_bracket": "[", "escape": "esc"}
    return ", ".join(names.get(k, k) for k in binding.key.split(","))


def bindings_of(cls: type, own: bool = False) -> list[Binding]:
    """The bindings a class declares, its bases' included (as Textual merges them).

    ``own``: leave out those of Textual's own classes (``Screen``'s tab, shift+tab,
    ctrl+c), which every screen has and the help lists once.
    """
    seen: dict[str, Binding] = {}
    for base in reversed(cls.__mro__):
        if own and base.__module__.startswith("textual."):
            continue
        for b in base.__dict__.get("BINDINGS", []):
            binding = b if isinstance(b, Binding) else Binding(*b)
            seen[binding.key] = binding
    return list(seen.values())


def help_table() -> Table:
    from policydiff.tui.app import PolicydiffApp
    from policydiff.tui.screens.dialogs import (
        CommitDialog,
        ConfirmQuit,
        GotoSection,
        NewAlignmentDialog,
        NoteDialog,
    )
    from policydiff.tui.screens.queue import QueueScreen
    from policydiff.tui.screens.search import SearchScreen

    table = Table(show_header=True, header_style="bold", box=None, expand=True, pad_edge=False)
    table.add_column("view", style="cyan", no_wrap=True)
    table.add_column("key", style="bold yellow", no_wrap=True)
    table.add_column("does")
    from textual.screen import Screen

    groups: list[tuple[str, list[Binding]]] = [("everywhere", [
        *bindings_of(PolicydiffApp), *bindings_of(Screen)])]
    for mode, screen in PolicydiffApp.MODES.items():
        groups.append((mode, bindings_of(screen, own=True)))
    groups += [("search", bindings_of(SearchScreen, own=True)),
               ("note dialog", bindings_of(NoteDialog, own=True)),
               ("commit dialog", [*bindings_of(CommitDialog, own=True),
                                  Binding("enter", "", "Commit")]),
               ("quit question", bindings_of(ConfirmQuit, own=True)),
               ("review queue (5, w)", bindings_of(QueueScreen, own=True)),
               ("new alignment (4, A)", bindings_of(NewAlignmentDialog, own=True)),
               ("go to section (4, :)", [Binding("enter", "", "Go there"),
                                         *bindings_of(GotoSection, own=True)])]
    for name, bindings in groups:
        first = True
        for b in bindings:
            if not b.description:  # Textual's internal keys (e.g. the ctrl+c quit hint)
                continue
            does = b.description
            if b.tooltip:
                does = f"{does} — {b.tooltip}"
            table.add_row(name if first else "", key_name(b), does)
            first = False
    table.add_row("trees, lists", "↑ ↓ enter", "move, choose (open compare / open passage)")
    table.add_row("tables", "← → ↑ ↓", "move the cell cursor (Targets)")
    return table


class HelpScreen(ModalScreen[None]):
    """All keys; escape or ? closes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "close", "Close", key_display="esc"),
        *NAV_BINDINGS,
    ]

    def on_mount(self) -> None:
        self.query_one("#help-dialog").focus()  # j/k, PgUp/PgDn scroll it

    def action_nav(self, where: str) -> None:
        modal_nav(self, where)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog"):
            yield Static(Text(INTRO), id="help-intro")
            yield Static(help_table(), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)
