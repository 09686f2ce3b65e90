"""A chart of one metric's figures over the years (textual-plotext), targets and baselines.

Figures are drawn on one scale: each converted to the unit of the metric's first
figure (亿 and 亿元, 万人 and 人 are the same amount written two ways); a figure
whose unit cannot be converted is left out and counted under the chart.
"""

from __future__ import annotations

import math
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


def nice_ticks(low: float, high: float, most: int = 5) -> list[float]:
    """At most ``most`` (at least 3) round values (steps of 1, 2, 2.5, 5 × 10ⁿ) over low..high.

    plotext divides the span evenly (500.0, 1666.7, 2250.0 … at 80×24): a reader wants
    0, 1000, 2000 … to read a figure off the axis.
    """
    low, high = min(low, high), max(low, high)
    if low > 0 and low <= high / 2:
        low = 0.0  # amounts: from zero, unless all are close together
    if high == low:  # one figure: in the middle of the axis
        low, high = (0.0, 2 * high) if high > 0 else (low - 1, high + 1)
    most = max(3, most)  # below 3, a span across zero (-1, 0, 1) cannot be covered
    power = 10.0 ** math.floor(math.log10((high - low) / (most - 1)))
    step = 0.0
    while not step:
        step = next((m * power for m in (1, 2, 2.5, 5)
                     if math.ceil(high / (m * power)) - math.floor(low / (m * power)) + 1
                     <= most), 0.0)
        power *= 10
    first, last = math.floor(low / step), math.ceil(high / step)
    return [round(k * step, 10) for k in range(first, last + 1)]


def tick_label(value: float, unit: str) -> str:
    """``4000``, ``12%``, ``300,000``: the number as short as it is exact, thousands
    grouped. Only an ASCII unit (%) is written on the axis: plotext counts a Chinese
    character (亿, 个) as one column, so such a label pushes its line out of the frame;
    the chart's title carries the unit instead (``industry-scale (亿)``)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if text in ("0", "-0"):
        return "0"
    return text + unit if unit.isascii() else text


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
        self.ticks: list[str] = []
        """The value axis's labels as drawn (round values with the unit)."""

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
        values = [p.value for p in self.points]
        self.ticks = []
        if values:
            # A tick every other row or so: 3 or 4 at 80×24, 5 on a tall terminal.
            rows = self.size.height or 8
            ticks = nice_ticks(min(values), max(values), max(3, min(5, rows // 2)))
            self.ticks = [tick_label(v, self.unit) for v in ticks]
            plt.ylim(ticks[0], ticks[-1])
            plt.yticks(ticks, self.ticks)
        self.refresh()
