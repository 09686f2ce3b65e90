"""Targets: metric × document table in date order, and a chart of the selected metric."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import OpenReader
from policydiff.tui.screens.base import ViewScreen
from policydiff.tui.widgets.metric_chart import MetricChart
from policydiff.tui.widgets.target_table import TargetTable


class TargetsScreen(ViewScreen):
    """The figures table; b shows baselines (figures already reached) beside the targets."""

    VIEW = "targets"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_baselines", "Baselines"),
        Binding("o", "open_reader", "Read"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kinds: tuple[str, ...] = ("target",)
        self.targets: list = []
        self.names: dict[str, str] = {}
        self.metric: str | None = None
        self._opened: dict[tuple[str | None, str | None], int] = {}
        self._last_opened: tuple[str | None, str | None] | None = None

    def compose_view(self) -> ComposeResult:
        yield Static(id="targets-caption")
        yield TargetTable(id="target-table")
        with VerticalScroll(id="chart-pane"):
            yield MetricChart(id="chart")

    def on_mount(self) -> None:
        try:
            rows = self.workspace.targets()
            self.targets = [r.target for r in rows]
            self.names = {r.metric: r.metric_name.replace(" / ", " ") for r in rows
                          if r.metric_name != r.metric}
        except PolicydiffError as exc:
            self.query_one("#targets-caption", Static).update(Text(f"⚠ {exc}", "bold red"))
            return
        self._show()
        self.query_one(TargetTable).focus()

    def _show(self) -> None:
        docs = self.workspace.corpus.documents()
        table = self.query_one(TargetTable)
        row, column = table.cursor_keys()
        table.show(self.targets, docs, self.names, self.kinds)
        table.restore_cursor(row, column)
        shown = "targets and baselines (dim)" if "baseline" in self.kinds else "targets"
        n = sum(1 for t in self.targets if t.kind in self.kinds)
        self.query_one("#targets-caption", Static).update(
            Text(f"{n} figures · {shown} · documents in date order · b: toggle baselines",
                 "dim"))

    def on_target_table_metric_highlighted(self, event: TargetTable.MetricHighlighted) -> None:
        self.metric = event.metric
        dates = {d.id: d.date for d in self.workspace.corpus}
        figures = [t for t in self.targets if t.metric == event.metric and t.kind in self.kinds]
        name = self.names.get(event.metric, event.metric)
        self.query_one(MetricChart).show(event.metric, name, figures, dates)

    def action_toggle_baselines(self) -> None:
        self.kinds = ("target",) if "baseline" in self.kinds else ("target", "baseline")
        self._show()

    def action_open_reader(self) -> None:
        table = self.query_one(TargetTable)
        if table.row_count == 0:
            return
        row_key, column_key = table.coordinate_to_cell_key(table.cursor_coordinate)
        doc = column_key.value if column_key.value != "metric" else None
        figures = [t for t in self.targets if t.metric == row_key.value and t.kind in self.kinds
                   and (doc is None or t.doc == doc)]
        if not figures:
            self.notify("No figure in this cell.", severity="information")
            return
        key = (row_key.value, doc)
        k = self._opened.get(key, -1) + 1 if key == self._last_opened else 0
        k %= len(figures)  # o again: the cell's next figure
        self._opened[key], self._last_opened = k, key
        figure = figures[k]
        self.app.post_message(OpenReader(figure.doc, figure.start, figure.end))
