"""The Targets chart's value axis: few round ticks an analyst can read a figure off
(0, 2,000, 4,000 rather than 500.0, 1666.7, 2250.0, 3416.7, 4000.0 at 80×24)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from policydiff.tui.widgets.metric_chart import nice_ticks, tick_label
from tui_project import app_for, make_project, press, settle, sync


def is_round(step: float) -> bool:
    mantissa = step / 10 ** math.floor(math.log10(step))
    return any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5))


FIGURES = st.integers(-10**11, 10**11).map(lambda n: n / 100)  # figures to the cent


@given(FIGURES, FIGURES, st.integers(3, 8))
def test_ticks_are_few_round_and_cover_the_figures(a: float, b: float, most: int) -> None:
    ticks = nice_ticks(a, b, most)
    assert 2 <= len(ticks) <= most
    assert ticks[0] <= min(a, b) + 1e-6 * max(1, abs(a), abs(b))
    assert ticks[-1] >= max(a, b) - 1e-6 * max(1, abs(a), abs(b))
    steps = {round(y - x, 6) for x, y in itertools.pairwise(ticks)}
    assert len(steps) == 1 and is_round(next(iter(steps)))


def test_labels_are_short_and_keep_the_frame() -> None:
    assert [tick_label(v, "亿") for v in (0, 2000, 4000)] == ["0", "2,000", "4,000"]
    assert tick_label(12.5, "%") == "12.5%" and tick_label(300000, "人") == "300,000"


@sync
async def test_chart_axis_at_80x24_reads_in_round_figures(tmp_path: Path) -> None:
    app = app_for(make_project(tmp_path / "proj", git=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        chart = app.screen.query_one("#chart")
        assert app.screen.cell[0] == "industry-scale"
        assert 3 <= len(chart.ticks) <= 4 and chart.ticks[0] == "0"
        assert chart.ticks[-1] == "4,000"  # the largest figure is on a tick, not above it
        shot = app.export_screenshot()
        assert "4,000" in shot and "1666.7" not in shot and "3416.7" not in shot
