"""Pilot tests of the TUI: every flow driven with keys on a real project copy in a git repo."""

from __future__ import annotations

from pathlib import Path

import git
import pytest

from policydiff.tui.app import PolicydiffApp
from policydiff.tui.screens.help import HelpScreen, bindings_of, key_name
from policydiff.tui.widgets.alignment_tree import AlignmentTree
from policydiff.tui.widgets.banner import ProblemBanner
from policydiff.tui.widgets.diff_view import DiffView
from policydiff.tui.widgets.document_view import DocumentView
from policydiff.tui.widgets.passage_list import PassageItem
from tui_project import app_for, make_project, plain, press, settle, sync

SIZE = (120, 40)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def passage_docs(screen) -> list[str]:
    return [item.passage.doc for item in screen.query(PassageItem)]


@sync
async def test_navigate_themes_shows_passages_in_date_order(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.current_mode == "themes"
        assert app.selected_alignment == "targets-scale"
        assert passage_docs(app.screen) == ["2017-opinions", "2021-14th-plan",
                                            "2022-pudong-plan", "2022-lingang-plan"]
        tree = app.screen.query_one(AlignmentTree)
        labels = [str(n.label) for n in tree.root.children]
        assert labels[0].startswith("发展目标 targets (1) ?1")
        assert labels[1].startswith("人才 talent (2) ✓1 ✗1")
        await press(pilot, "down", "down")  # theme node "talent", then its first alignment
        assert app.selected_alignment == "talent-hub"
        assert passage_docs(app.screen) == ["2017-opinions", "2021-14th-plan",
                                            "2022-pudong-plan"]
        absent = app.screen.query(PassageItem).last()
        assert absent.passage.absent and "silent" in plain(absent.query(".passage-text").first())


@sync
async def test_compare_next_change_and_side_by_side(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        assert app.current_mode == "compare"
        view = app.screen.query_one(DiffView)
        heads = [plain(w) for w in view.query(".step-head")]
        assert len(heads) == 3  # 2017→2021→2022 Pudong→2022 Lingang
        assert "2017-opinions" in heads[0] and "2021-14th-plan" in heads[0]
        figures = plain(view.query(".figures").first())
        assert "1000亿" in figures and "4000亿元" in figures and "2020年" in figures
        changes = view.changes
        assert len(changes) >= 3
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert changes[1].has_class("-current") and not changes[0].has_class("-current")
        assert "change 2/" in plain(app.screen.query_one("#compare-status"))
        await pilot.press("left_square_bracket")
        assert changes[0].has_class("-current")
        assert not view.query(".sbs")
        await press(pilot, "s")
        rows = view.query(".sbs")
        assert rows and "side by side" in plain(app.screen.query_one("#compare-status"))
        left = plain(rows.first().query(".side-a").first())
        right = plain(rows.first().query(".side-b").first())
        assert "1000亿" in left and "4000亿元" not in left
        assert "4000亿元" in right and "1000亿" not in right
        await press(pilot, "full_stop")  # one pair only
        assert len(view.query(".step-head")) == 1
        await press(pilot, "s")
        assert not view.query(".sbs")


@sync
async def test_accept_edits_file_commit_appears_in_history(project_dir: Path) -> None:
    repo = git.Repo(project_dir)
    (project_dir / "notes.txt").write_text("unrelated work in progress\n", encoding="utf-8")
    app = app_for(project_dir)
    path = project_dir / "alignments" / "targets.yaml"
    before = path.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        after = path.read_text(encoding="utf-8")
        assert after != before and "status: accepted" in after
        assert [ln for ln in after.splitlines() if ln not in before.splitlines()] == [
            "    status: accepted"]
        tree = app.screen.query_one(AlignmentTree)
        assert str(tree.root.children[0].label).startswith("发展目标 targets (1) ✓1")
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"Accept the scale goal")
        await press(pilot, "enter")
        head = repo.head.commit
        assert head.message.strip() == "Accept the scale goal"
        assert list(head.stats.files) == ["alignments/targets.yaml"]
        assert "notes.txt" in repo.untracked_files  # other work left alone
        await pilot.press("5")
        await settle(pilot, 5)
        history = plain(app.screen.query_one("#history"))
        assert "Accept the scale goal" in history
        assert head.hexsha[:7] in history
        assert "status proposed → accepted" in history
        assert "initial corpus and alignments" in history  # the commit that added it


@sync
async def test_note_draft_survives_cancel_then_saves(project_dir: Path) -> None:
    app = app_for(project_dir)
    path = project_dir / "alignments" / "targets.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        area = app.screen.query_one("#note")
        area.text = "Scale goals rise from 1000亿 to 4000亿元."
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.note_drafts["targets-scale"].startswith("Scale goals rise")
        assert "4000亿元." not in path.read_text(encoding="utf-8")
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one("#note").text.startswith("Scale goals rise")
        await press(pilot, "ctrl+s")
        assert "note: Scale goals rise from 1000亿 to 4000亿元." in path.read_text(
            encoding="utf-8")
        assert "targets-scale" not in app.screen.note_drafts
        assert not hasattr(app, "note_drafts")  # the view owns its drafts (issue 11)


@sync
async def test_search_opens_reader_at_match(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"4000亿元")
        await pilot.pause()
        count = plain(app.screen.query_one("#search-count"))
        expected = sum(d.body.count("4000亿元") for d in app.workspace.corpus)
        assert count.startswith(f"{expected} match(es)")
        await press(pilot, "enter", "enter")
        assert app.current_mode == "reader"
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == "2021-14th-plan"
        status = plain(app.screen.query_one("#reader-status"))
        assert status.startswith("2021-14th-plan § 3.3")


@sync
async def test_help_lists_every_key(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.query_one("#help-keys"))
        for cls in [PolicydiffApp, *PolicydiffApp.MODES.values()]:
            for b in bindings_of(cls):  # type: ignore[arg-type]
                if not b.description:
                    continue  # Textual's own undescribed keys
                assert key_name(b) in text and b.description in text, b
        keys = {line.split()[1] if line.split()[0] in ("everywhere",) else line.split()[0]
                for line in text.splitlines()[1:] if line.split()}
        assert {"j", "k", "g", "G", "PgUp", "PgDn", "esc", "y", "x", "u"} <= keys
        for hidden in ("n", "N", "P", "C", "ctrl+r", "z", "v", "i", "e"):
            assert any(line.split()[:2] and hidden in line.split()[:2]
                       for line in text.splitlines()), hidden
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


@sync
async def test_broken_file_banner_and_rest_keeps_working(project_dir: Path) -> None:
    path = project_dir / "alignments" / "talent.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(8, "<<<<<<< HEAD")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        banner = app.screen.query_one(ProblemBanner)
        assert banner.display
        assert "alignments/talent.yaml:9" in plain(banner)
        tree = app.screen.query_one(AlignmentTree)
        leaves = [leaf.data for node in tree.root.children for leaf in node.children]
        assert leaves == [("alignment", "targets-scale")]
        await press(pilot, "3")
        assert app.screen.query_one("#target-table").row_count > 5
        assert app.screen.query_one(ProblemBanner).display
        await press(pilot, "4", "right_square_bracket")
        assert app.screen.query_one(DocumentView).current is not None


@sync
async def test_no_git_repository_banner_edits_still_saved(tmp_path: Path) -> None:
    root = make_project(tmp_path / "nogit", git=False)
    app = app_for(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "not a git repository" in plain(app.screen.query_one(ProblemBanner))
        await press(pilot, "r")
        assert "status: rejected" in (root / "alignments" / "targets.yaml").read_text(
            encoding="utf-8")
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ThemesScreen"  # no dialog without git
        await press(pilot, "5")
        assert "needs a git repository" in plain(app.screen.query_one("#history"))


@sync
async def test_reader_passage_to_alignment_and_back(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == "2017-opinions"
        await pilot.press("right_square_bracket", "right_square_bracket")
        second = view.current
        assert second is not None and second.alignment == "talent-hub"
        await press(pilot, "t")
        assert app.current_mode == "themes" and app.selected_alignment == "talent-hub"
        passages = app.screen.query_one("#passages")
        passages.focus()
        passages.index = 1  # the 2021 passage
        await press(pilot, "enter")
        assert app.current_mode == "reader"
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == "2021-14th-plan"
        assert view.current is not None and view.current.alignment == "talent-hub"
        assert "加快完善人才支撑体系" in view.doc.body[view.current.start:view.current.end]


@sync
async def test_mark_and_diff_two_sections(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_reader("2017-opinions", app.workspace.corpus.get("2017-opinions")
                        .section("h4").start)
        await settle(pilot)
        await pilot.press("m")
        app.open_reader("2021-14th-plan", app.workspace.corpus.get("2021-14th-plan")
                        .section("3.3").start)
        await settle(pilot)
        await press(pilot, "d")
        assert app.current_mode == "compare"
        title = plain(app.screen.query_one("#compare-title"))
        assert title == "2017-opinions:h4 ↔ 2021-14th-plan:3.3"
        assert app.screen.query_one(DiffView).changes


@sync
async def test_command_palette_selects_alignment(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"talent-training")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        assert app.selected_alignment == "talent-training"


@sync
async def test_cli_tui_command_is_registered() -> None:
    from policydiff.cli import cli

    assert "tui" in cli.commands


@sync
async def test_targets_table_chart_and_baselines(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        table = app.screen.query_one("#target-table")
        docs = app.workspace.corpus.ids
        assert [c.value for c in table.columns] == ["metric", *docs]  # date order
        assert table.get_row_at(0)[0].plain == "industry-scale"
        chart = app.screen.query_one("#chart")
        values = {p.figure: p.value for p in chart.points}
        assert chart.unit == "亿"  # 亿 and 亿元 on one scale
        assert values["1000亿"] == 1000 and values["4000亿元"] == 4000
        assert values["1000亿"] < values["2000亿元"] < values["4000亿元"]
        assert {p.year for p in chart.points} >= {2020, 2023, 2025}  # targets at deadlines
        targets_only = table.row_count
        caption = plain(app.screen.query_one("#targets-caption"))
        await press(pilot, "b")
        assert "baselines" in plain(app.screen.query_one("#targets-caption"))
        assert plain(app.screen.query_one("#targets-caption")) != caption
        assert table.row_count >= targets_only


@sync
async def test_mouse_view_bar_and_tree(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.click("#views", offset=(15, 0))  # " 1 Themes  2 Compare …"
        await settle(pilot)
        assert app.current_mode == "compare"
        await pilot.click("#views", offset=(3, 0))
        await settle(pilot)
        assert app.current_mode == "themes"
        tree = app.screen.query_one(AlignmentTree)
        leaf = tree.root.children[1].children[1]  # talent-training
        await pilot.click(AlignmentTree, offset=(6, leaf.line))
        await settle(pilot)
        assert app.selected_alignment == "talent-training"


@sync
async def test_diff_failure_is_a_message(project_dir: Path, monkeypatch) -> None:
    app = app_for(project_dir)

    def broken(*_args):
        raise RuntimeError("segmenter exploded")

    monkeypatch.setattr(app.workspace, "chain", broken)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        text = plain(app.screen.query_one(DiffView).query("Static").first())
        assert "The diff failed: segmenter exploded" in text
