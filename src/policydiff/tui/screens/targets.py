"""Targets: metric × document table in date order; the figure under the cursor with its
sentence, scope and verdict; a chart of the metric's figures over the years.

The metric column stays put while the documents scroll (a frozen column); the cursor
is a cell: the panel below shows that cell's figures — who states them, for which
policy and scope, whether the target was met — and ``o`` opens the figure in the reader.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import OpenReader, ViewText
from policydiff.tui.screens.base import ViewScreen
from policydiff.tui.viewtext import targets_view
from policydiff.tui.widgets.figure_panel import FigurePanel, figure_key
from policydiff.tui.widgets.metric_chart import MetricChart
from policydiff.tui.widgets.target_table import TargetTable


class TargetsScreen(ViewScreen):
    """The figures table; b shows baselines (figures already reached) beside the targets."""

    VIEW = "targets"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("b", "toggle_baselines", "Baselines"),
        Binding("o", "open_reader", "Read", tooltip="The cell's figure in the reader "
                "(again: its next figure)"),
        Binding("z", "toggle_chart", "Chart", tooltip="Chart beside the figure, or hidden"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.kinds: tuple[str, ...] = ("target",)
        self.rows: list[Any] = []
        self.targets: list[Any] = []
        self.names: dict[str, str] = {}
        self.progress: dict[tuple[str, int, int], Any] = {}
        self.metric: str | None = None
        self.cell: tuple[str | None, str | None] = (None, None)
        self._opened: dict[tuple[str | None, str | None], int] = {}
        self._last_opened: tuple[str | None, str | None] | None = None

    def compose_view(self) -> ComposeResult:
        yield Static(id="targets-caption")
        yield TargetTable(id="target-table")
        with Horizontal(id="targets-detail"):
            with VerticalScroll(id="figure-pane"):
                yield FigurePanel(id="figure")
            yield MetricChart(id="chart")

    def on_mount(self) -> None:
        self.watch(self.app, "corpus_revision", self._load, init=False)
        self._load()
        self.query_one(TargetTable).focus()

    def _load(self, _revision: int = 0) -> None:
        ws = self.workspace
        try:
            self.rows = ws.targets()
            self.targets = [r.target for r in self.rows]
            self.names = {r.metric: r.metric_name.replace(" / ", " ") for r in self.rows
                          if r.metric_name != r.metric}
        except PolicydiffError as exc:
            self.query_one("#targets-caption", Static).update(Text(f"⚠ {exc}", "bold red"))
            return
        try:
            self.progress = {figure_key(p.target): p for p in ws.progress()}
        except PolicydiffError:
            self.progress = {}  # verdicts are extra: the table stands without them
        self._show()

    def _show(self) -> None:
        docs = self.workspace.corpus.documents()
        table = self.query_one(TargetTable)
        row, column = table.cursor_keys()
        table.show(self.targets, docs, self.names, self.kinds)
        table.restore_cursor(row, column)
        shown = "targets and baselines (dim)" if "baseline" in self.kinds else "targets"
        n = sum(1 for t in self.targets if t.kind in self.kinds)
        self.query_one("#targets-caption", Static).update(
            Text(f"{n} figures · {shown} · documents in date order · b: baselines · o: read",
                 "dim"))
        if table.row_count:
            self._cell_changed(*table.cursor_keys())

    def _figures(self, metric: str | None, doc: str | None = None) -> list[Any]:
        return [t for t in self.targets if t.metric == metric and t.kind in self.kinds
                and (doc is None or t.doc == doc)]

    def on_target_table_cell_moved(self, event: TargetTable.CellMoved) -> None:
        self._cell_changed(event.metric, event.doc)

    def _cell_changed(self, metric: str | None, doc: str | None) -> None:
        if metric is None:
            return
        doc = None if doc == "metric" else doc
        self.cell = (metric, doc)
        name = self.names.get(metric, metric)
        self.query_one(FigurePanel).show(metric, name, doc, self._figures(metric, doc),
                                         self._figures(metric), self.progress)
        if metric != self.metric:
            self.metric = metric
            dates = {d.id: d.date for d in self.workspace.corpus}
            self.query_one(MetricChart).show(metric, name, self._figures(metric), dates)

    def clip(self) -> ViewText | None:
        """The table (the kinds shown) as TSV: it pastes into a spreadsheet as cells."""
        rows = [r for r in self.rows if r.kind in self.kinds]
        return targets_view(rows, sep="\t") if rows else None

    def export_view(self) -> ViewText | None:
        rows = [r for r in self.rows if r.kind in self.kinds]
        return targets_view(rows) if rows else None

    def action_toggle_baselines(self) -> None:
        self.kinds = ("target",) if "baseline" in self.kinds else ("target", "baseline")
        self.metric = None  # the chart changes with the kinds shown
        self._show()

    def action_toggle_chart(self) -> None:
        chart = self.query_one(MetricChart)
        chart.display = not chart.display

    def action_open_reader(self) -> None:
        metric, doc = self.cell
        figures = self._figures(metric, doc)
        if metric is None or not figures:
            self.notify("No figure in this cell.", severity="information")
            return
        key = (metric, doc)
        k = self._opened.get(key, -1) + 1 if key == self._last_opened else 0
        k %= len(figures)  # o again: the cell's next figure
        self._opened[key], self._last_opened = k, key
        figure = figures[k]
        self.app.post_message(OpenReader(figure.doc, figure.start, figure.end))
