"""Figures as a metric × document table, documents in date order."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnDoesNotExist, RowDoesNotExist

MAX_IN_CELL = 2


def cell(figures: list) -> Text:
    """The figures of one metric in one document: as written, with their year."""
    text = Text()
    for k, t in enumerate(figures[:MAX_IN_CELL]):
        if k:
            text.append("; ", "dim")
        style = "bold" if t.kind == "target" else "dim italic"
        text.append(t.figure, style)
        if t.year:
            text.append(f" ({t.year})", "dim")
    if len(figures) > MAX_IN_CELL:
        text.append(f" +{len(figures) - MAX_IN_CELL}", "cyan")
    return text


class TargetTable(DataTable):
    """One row per metric, one column per document; the metric column stays in view."""

    class CellMoved(Message):
        """The cursor is on (metric, document); ``doc`` is "metric" on the first column."""

        def __init__(self, metric: str, doc: str | None) -> None:
            super().__init__()
            self.metric = metric
            self.doc = doc

    def show(self, targets: list, docs: list, names: dict[str, str], kinds: tuple[str, ...],
             ) -> None:
        self.clear(columns=True)
        self.cursor_type = "cell"  # o opens the figure of the cell under the cursor
        self.fixed_columns = 1  # the metric stays in view while the documents scroll
        self.zebra_stripes = True
        self.add_column("metric", key="metric")
        for doc in docs:
            self.add_column(Text(f"{doc.date[:4]} {doc.id}"), key=doc.id)
        grid: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for t in targets:
            if t.kind in kinds:
                grid[t.metric][t.doc].append(t)
        order = [*names, *sorted(set(grid) - set(names))]
        for metric in order:
            if metric not in grid:
                continue
            label = Text(metric, "bold")
            self.add_row(label, *[cell(grid[metric].get(d.id, [])) for d in docs], key=metric)

    def cursor_keys(self) -> tuple[str | None, str | None]:
        """(metric, document) under the cursor, to put it back after a rebuild."""
        if self.row_count == 0:
            return None, None
        row_key, column_key = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value, column_key.value

    def restore_cursor(self, row: str | None, column: str | None) -> None:
        """Cursor back on (metric, document) if both are still in the table."""
        if row is None or self.row_count == 0:
            return
        try:
            r = self.get_row_index(row)
        except RowDoesNotExist:  # the metric is gone: stay at the top
            return
        try:
            c = self.get_column_index(column) if column else 0
        except ColumnDoesNotExist:
            c = 0
        self.move_cursor(row=r, column=c, animate=False)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        event.stop()
        row_key = event.cell_key.row_key.value
        if row_key is not None:
            self.post_message(self.CellMoved(str(row_key), event.cell_key.column_key.value))
