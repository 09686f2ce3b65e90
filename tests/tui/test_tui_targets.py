"""Targets view (issue 17): frozen metric column, a cell cursor, the figure's sentence with
its kind, scope, place and policy, scope warnings, progress verdicts, and the chart."""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.tui.widgets.figure_panel import scope_warnings
from tui_project import app_for, make_project, plain, press, settle, sync


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", git=False)


async def to_cell(pilot, metric: str, doc: str) -> None:
    table = pilot.app.screen.query_one("#target-table")
    table.move_cursor(row=table.get_row_index(metric), column=table.get_column_index(doc))
    await settle(pilot)


@sync
async def test_cell_cursor_shows_the_figure_sentence_scope_and_verdict(project_dir: Path,
                                                                      ) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        table = app.screen.query_one("#target-table")
        assert table.fixed_columns == 1 and table.cursor_type == "cell"
        panel = app.screen.query_one("#figure")
        # On the metric column: every figure of the metric with its verdict.
        text = plain(panel)
        assert "1000亿 → 2020 (2017-opinions)" in text
        assert "not comparable (scope differs: 重点 vs 规上)" in text
        await to_cell(pilot, "industry-scale", "2021-14th-plan")
        text = " ".join(plain(panel).split())
        assert "in 2021-14th-plan" in text
        assert "4000亿元 target → 2025" in text
        assert "scope: 规上" in text and "place: 上海市" in text and "policy:" in text
        assert "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元" in text
        assert "verdict: no later figure" in text
        assert "scope differs: 重点 (2017-opinions); 规上 (2021-14th-plan)" in text
        await press(pilot, "right")  # the next document: Pudong's 2000亿元
        assert "2000亿元" in plain(panel) and "in 2022-pudong-plan" in plain(panel)
        await press(pilot, "o")
        assert app.current_mode == "reader"


@sync
async def test_metric_column_stays_while_documents_scroll(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        table = app.screen.query_one("#target-table")
        await press(pilot, *["right"] * (len(table.columns) - 1))
        assert table.scroll_x > 0
        assert table.cursor_coordinate.column == len(table.columns) - 1
        shot = app.export_screenshot()
        assert "industry-scale" in shot  # the frozen column is still drawn


@sync
async def test_chart_follows_the_metric_and_the_baselines(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        chart = app.screen.query_one("#chart")
        assert {p.kind for p in chart.points} == {"target"}
        await press(pilot, "b")
        assert "baseline" in {p.kind for p in chart.points}
        await press(pilot, "down")
        metric = app.screen.cell[0]
        assert metric != "industry-scale"
        assert all(p.figure in {t.figure for t in app.screen.targets if t.metric == metric}
                   for p in chart.points)
        await pilot.press("z")
        assert not chart.display


def test_scope_warnings_name_scopes_and_places() -> None:
    class F:
        def __init__(self, doc: str, scope: str, place: str) -> None:
            self.doc, self.scope, self.jurisdiction = doc, scope, place

    figures = [F("a", "重点", "上海市"), F("b", "规上", "上海市"), F("c", "", "浦东新区")]
    warnings = scope_warnings(figures)
    assert warnings[0] == "scope differs: 重点 (a); 规上 (b); — (c) — not one series"
    assert warnings[1].startswith("place differs: 上海市 (a, b); 浦东新区 (c)")
    assert scope_warnings(figures[:1]) == []
