"""A small bar chart of one metric's figures over the documents, in date order."""

from __future__ import annotations

from rich.bar import Bar
from rich.table import Table
from rich.text import Text
from textual.widgets import Static


def scale_unit(unit: str) -> str:
    """Units drawn on one scale: 亿 and 亿元 are the same amount written two ways."""
    return unit.removesuffix("元")


class MetricChart(Static):
    """Bars scaled per unit (亿元 against 亿元, 万人 against 万人), one per figure."""

    def show(self, metric: str, name: str, figures: list, dates: dict[str, str]) -> None:
        if not figures:
            self.update(Text(f"{metric}: no figures", "dim"))
            return
        top: dict[str, float] = {}
        for t in figures:
            value = t.value_max if t.value_max is not None else t.value
            key = scale_unit(t.unit)
            top[key] = max(top.get(key, 0.0), value or 0.0)
        table = Table(title=Text(f"{name} — {metric}", "bold"), title_justify="left",
                      show_header=False, box=None, pad_edge=False, expand=True)
        table.add_column("doc", no_wrap=True)
        table.add_column("figure", no_wrap=True, justify="right")
        table.add_column("bar", ratio=1)
        for t in sorted(figures, key=lambda t: (dates.get(t.doc, ""), t.year or 0)):
            value = t.value_max if t.value_max is not None else t.value
            scale = top.get(scale_unit(t.unit)) or 1.0
            style = "green" if t.kind == "target" else "grey50"
            when = f"→{t.year}" if t.kind == "target" and t.year else (
                f"@{t.year}" if t.year else "")
            table.add_row(Text(f"{dates.get(t.doc, '')[:4]} {t.doc}", "cyan"),
                          Text(f"{t.figure} {when}", "bold" if t.kind == "target" else "dim"),
                          Bar(scale, 0, value or 0, color=style))
        self.update(table)
