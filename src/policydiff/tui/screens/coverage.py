"""Coverage: every theme × every document, to see at once who says what and who is silent."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll

from policydiff.tui.messages import ViewText
from policydiff.tui.screens.base import ViewScreen
from policydiff.tui.viewtext import coverage_view
from policydiff.tui.widgets.coverage import CoverageGrid


class CoverageScreen(ViewScreen):
    """The theme × document grid; it follows every write to the store."""

    VIEW = "coverage"
    DEFAULT_CSS = """
    #coverage-pane {
        height: 1fr;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("v", "toggle_alignments", "Per alignment",
                tooltip="A row per alignment under each theme, or themes only"),
    ]

    by_alignment = False
    """Themes only at first: every theme on one screen, silent documents at a glance."""

    def clip(self) -> ViewText | None:
        return coverage_view(self.workspace, self.workspace.themes(), sep="\t")

    def export_view(self) -> ViewText | None:
        return coverage_view(self.workspace, self.workspace.themes())

    def compose_view(self) -> ComposeResult:
        with VerticalScroll(id="coverage-pane"):
            yield CoverageGrid(id="coverage")

    def on_mount(self) -> None:
        self.watch(self.app, "store_revision", self._show, init=True)
        self.query_one("#coverage-pane").focus()

    def _show(self, _revision: int = 0) -> None:
        ws = self.workspace
        self.query_one(CoverageGrid).show(ws, ws.themes(), by_alignment=self.by_alignment)

    def on_resize(self) -> None:
        self._show()  # full document ids when they fit, D1 … with a legend when not

    def action_toggle_alignments(self) -> None:
        self.by_alignment = not self.by_alignment
        self._show()
