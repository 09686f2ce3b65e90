"""A chart of one metric's figures over the years (textual-plotext), targets and baselines.

Figures are drawn on one scale: each converted to the unit of the metric's first
figure (亿 and 亿元, 万人 and 人 are the same amount written two ways); a figure
whose unit cannot be converted is left out and counted under the chart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from textual_plotext import PlotextPlot

from policydiff.core.units import convert


@dataclass(frozen=True)
class Point:
    """One figure on the chart: its year, its value in the chart's unit, what it is."""

    year: int
    value: float
    kind: str
    doc: str
    figure: str


def chart_points(figures: Sequence[Any], dates: Mapping[str, str],
                 ) -> tuple[str, list[Point], int]:
    """(unit, points, figures left out) of one metric's figures.

    A target is placed at its deadline, a baseline at the year it counts (or the year
    of its document): the line is the series as the policies state it.
    """
    unit = ""
    points: list[Point] = []
    left_out = 0
    for t in sorted(figures, key=lambda t: (dates.get(t.doc, ""), t.start)):
        year = t.year or int((dates.get(t.doc, "") or "0")[:4] or 0)
        value = t.value_max if t.value_max is not None else t.value
        if not year or value is None:
            left_out += 1
            continue
        if not unit:
            unit = t.unit
        converted = convert(value, t.unit, unit) if t.unit != unit else value
        if converted is None:
            left_out += 1
            continue
        points.append(Point(year, converted, t.kind, t.doc, t.figure))
    return unit, points, left_out


class MetricChart(PlotextPlot):
    """Targets (●) and baselines (○) of the selected metric, by year."""

    DEFAULT_CSS = """
    MetricChart {
        height: 1fr;
        min-height: 6;
    }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.points: list[Point] = []
        """What is drawn (tests and the figure panel read it)."""
        self.unit = ""

    def show(self, metric: str, name: str, figures: Sequence[Any],
             dates: Mapping[str, str]) -> None:
        self.unit, self.points, left_out = chart_points(figures, dates)
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        title = f"{metric} ({self.unit})" if self.unit else metric
        if left_out:
            title += f" · {left_out} not drawn"
        plt.title(title)
        # Points, not lines: two figures of one year come from different documents
        # (a city's and a district's), and a line through them would read as a series.
        for kind, marker in (("target", "●"), ("baseline", "○")):
            pts = [p for p in self.points if p.kind == kind]
            if pts:
                plt.scatter([p.year for p in pts], [p.value for p in pts], marker=marker,
                            label=kind)
        years = sorted({p.year for p in self.points})
        if years:
            plt.xticks(years, [str(y) for y in years])
        self.refresh()
