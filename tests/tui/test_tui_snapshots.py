"""Snapshot tests (pytest-textual-snapshot) of every view and dialog at 80×24 and 160×48.

The project is the test project of ``test_tui_fixtures`` (the repo's corpus, fixed test
alignments) so a snapshot changes only when the UI or the corpus does. Review is shot
outside git so the banner shows and no commit hash or date enters the picture.
Update after an intended change with ``pytest tests/tui/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_project import app_for, make_docs_project, make_project, press, settle, steady_cursors

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((160, 48), id="160x48")]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("snap") / "proj", git=False)


def keys(*pressed: str):
    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in pressed:
            await press(pilot, key)
        await steady_cursors(pilot)
        await pilot.pause(0.2)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_themes(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("down", "down"))


@pytest.mark.parametrize("size", SIZES)
def test_compare_inline(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("d", "right_square_bracket"))


@pytest.mark.parametrize("size", SIZES)
def test_compare_side_by_side(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("d", "s"))


@pytest.mark.parametrize("size", SIZES)
def test_targets(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("3"))


@pytest.mark.parametrize("size", SIZES)
def test_reader(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("4", "right_square_bracket"))


@pytest.mark.parametrize("size", SIZES)
def test_review_without_git(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("5"))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_search(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("slash", *"产业规模"))


@pytest.mark.parametrize("size", SIZES)
def test_theme_row_coverage(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("down"))


@pytest.mark.parametrize("size", SIZES)
def test_coverage(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("6"))


@pytest.mark.parametrize("size", SIZES)
def test_review_queue(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("5", "w"))


@pytest.mark.parametrize("size", SIZES)
def test_search_hit_in_reader(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("slash", *"4000亿元", "enter", "enter"))


@pytest.fixture(scope="module")
def docs_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_docs_project(tmp_path_factory.mktemp("snapdocs") / "proj", git=False)


@pytest.mark.parametrize("size", SIZES)
def test_compare_documents(snap_compare, docs_project: Path, size) -> None:
    """Document mode: the pair list with statuses, the second changed pair's diff."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.compare_documents("ai-reg-draft", "ai-reg-final")
        await settle(pilot)
        await settle(pilot)
        await press(pilot, "right_square_bracket")
        await steady_cursors(pilot)
        await pilot.pause(0.2)

    assert snap_compare(app_for(docs_project), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_targets_cell(snap_compare, project: Path, size) -> None:
    """A document's cell: the figure's sentence, scope, place, policy, verdict, warnings."""
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("3", "right", "right", "right"))


@pytest.mark.parametrize("size", SIZES)
def test_targets_with_baselines(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("3", "b"))


@pytest.mark.parametrize("size", SIZES)
def test_coverage_per_alignment(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("6", "v"))


@pytest.mark.parametrize("size", SIZES)
def test_note_dialog(snap_compare, project: Path, size) -> None:
    assert snap_compare(app_for(project), terminal_size=size, run_before=keys("i"))


@pytest.mark.parametrize("size", SIZES)
def test_new_alignment_dialog(snap_compare, project: Path, size) -> None:
    """Reader: pick the first aligned passage of two documents, then A."""
    assert snap_compare(app_for(project), terminal_size=size,
                        run_before=keys("4", "right_square_bracket", "p", "down", "down",
                                        "right_square_bracket", "p", "A"))


@pytest.mark.parametrize("size", SIZES)
def test_quit_question(snap_compare, tmp_path: Path, size) -> None:
    """q with an uncommitted edit (a project copy: the edit must not reach other shots)."""
    root = make_project(tmp_path / "proj", git=False)
    assert snap_compare(app_for(root), terminal_size=size, run_before=keys("a", "q"))


@pytest.mark.parametrize("size", SIZES)
def test_broken_file_banner(snap_compare, tmp_path: Path, size) -> None:
    root = make_project(tmp_path / "proj", git=False)
    path = root / "alignments" / "talent.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n  - id: [unclosed\n", encoding="utf-8")
    assert snap_compare(app_for(root), terminal_size=size, run_before=keys("down"))
