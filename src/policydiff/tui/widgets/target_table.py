"""Figures as a metric × document table, documents in date order."""

from __future__ import annotations

from collections import defaultdict

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

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
    """One row per metric; the cursor row drives the chart."""

    class MetricHighlighted(Message):
        def __init__(self, metric: str) -> None:
            super().__init__()
            self.metric = metric

    def show(self, targets: list, docs: list, names: dict[str, str], kinds: tuple[str, ...],
             ) -> None:
        self.clear(columns=True)
        self.cursor_type = "row"
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

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.MetricHighlighted(str(event.row_key.value)))
