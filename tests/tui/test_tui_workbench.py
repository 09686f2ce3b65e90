"""Pilot tests of issue 17 (the TUI as the analyst's workbench): one per thing seen.

Each drives the app with keys on a copy of the real corpus in a git repository and
checks what an analyst would: which file changed, where the cursor is, what is on
screen. Written to fail on the app before the fix.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import git
import pytest

from policydiff.tui.app import PolicydiffApp
from policydiff.tui.widgets.alignment_tree import AlignmentTree
from policydiff.tui.widgets.diff_view import DiffView
from policydiff.tui.widgets.document_view import DocumentView
from policydiff.tui.widgets.outline import Outline
from tui_project import app_for, make_project, plain, press, settle, sync

SIZE = (120, 40)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def store_texts(root: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8")
            for p in sorted((root / "alignments").glob("*.yaml"))}


def footer_keys(app: PolicydiffApp) -> set[str]:
    """Keys the footer shows now (enabled, visible bindings of the focused chain)."""
    return {key for key, active in app.screen.active_bindings.items()
            if active.enabled and active.binding.show}


# --- 1, 2: review keys only where one alignment is on screen ---------------------------


@sync
async def test_reject_on_theme_header_row_writes_nothing(project_dir: Path) -> None:
    app = app_for(project_dir)
    before = store_texts(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "up")  # from targets-scale to the header row of its theme
        tree = app.screen.query_one(AlignmentTree)
        assert tree.cursor_alignment is None
        assert "r" not in footer_keys(app) and "a" not in footer_keys(app)
        await press(pilot, "r", "a", "e")
        assert store_texts(project_dir) == before
        assert "targets-scale" not in plain(app.screen.query_one("#alignment-header"))
        await press(pilot, "down", "r")  # back on the alignment: the key works again
        assert "status: rejected" in (project_dir / "alignments/targets.yaml").read_text()


@sync
async def test_reject_in_adhoc_compare_writes_nothing(project_dir: Path) -> None:
    app = app_for(project_dir)
    before = store_texts(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_reader("2022-pudong-plan", 1)
        await settle(pilot)
        await pilot.press("m")
        app.open_reader("2022-lingang-plan", 1)
        await settle(pilot)
        await press(pilot, "d")
        assert app.current_mode == "compare"
        assert plain(app.screen.query_one("#compare-title")).startswith("2022-pudong-plan:p1")
        assert "r" not in footer_keys(app)
        await press(pilot, "r", "a")
        assert store_texts(project_dir) == before


# --- 3: every way to an alignment moves the cursor; keys keep positions -----------------


@sync
async def test_palette_moves_the_tree_cursor(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"talent-training")
        await pilot.pause(0.5)
        await press(pilot, "enter")
        tree = app.screen.query_one(AlignmentTree)
        assert tree.cursor_alignment == "talent-training"
        await press(pilot, "r")
        assert "Training system" in plain(app.screen.query_one("#alignment-header"))


@sync
async def test_reader_next_passage_starts_at_the_outline_cursor(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        outline = app.screen.query_one(Outline)
        doc = app.workspace.corpus.get("2017-opinions")
        stack = list(outline.root.children[0].children)
        while stack[0].data[1] != "h4":
            stack.extend(stack.pop(0).children)
        h4 = stack[0]
        outline.move_cursor(h4)  # the talent passage (1470) is in h4; the first (737) is not
        await settle(pilot)
        await pilot.press("right_square_bracket")
        view = app.screen.query_one(DocumentView)
        assert view.current is not None and view.current.alignment == "talent-hub"
        assert doc.section_at(view.current.start).id == "h4"
        assert app.selected_alignment == "talent-hub"  # the app follows the reader


@sync
async def test_targets_o_opens_the_cell_and_b_keeps_the_cursor(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "3")
        table = app.screen.query_one("#target-table")
        # industry-scale row: move right to the 2022 Pudong column
        col = [c.value for c in table.columns].index("2022-pudong-plan")
        await pilot.press(*["right"] * col)
        await pilot.press("down")
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate)[0].value
        await press(pilot, "b")
        assert table.cursor_coordinate.column == col
        assert table.coordinate_to_cell_key(table.cursor_coordinate)[0].value == row_key
        await pilot.press("up")
        await press(pilot, "o")
        assert app.current_mode == "reader"
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == "2022-pudong-plan"
        assert view.hit is not None and "2000亿元" in view.doc.body[view.hit[0]:view.hit[1]]


@sync
async def test_side_by_side_keeps_the_current_change(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        await pilot.press(*["right_square_bracket"] * 3)
        view = app.screen.query_one(DiffView)
        assert view.current == 2
        await press(pilot, "s")
        assert view.current == 2 and view.changes[2].has_class("-current")
        assert "change 3/" in plain(app.screen.query_one("#compare-status"))


# --- 4: search counts every match and opens at it --------------------------------------


@sync
async def test_search_counts_all_and_opens_at_the_hit(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"人工智能")
        await pilot.pause()
        corpus = app.workspace.corpus
        total = sum(d.body.count("人工智能") for d in corpus)
        docs = sum(1 for d in corpus if "人工智能" in d.body)
        assert total > 200
        assert plain(app.screen.query_one("#search-count")).startswith(
            f"{total} match(es) in {docs} document(s)")
        results = app.screen.query_one("#search-results")
        await pilot.press("enter")
        results.highlighted = 100  # deep inside the 2021 plan
        hit = app.screen.hits[100]
        await press(pilot, "enter")
        assert app.current_mode == "reader"
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == hit.doc and view.hit == (hit.start, hit.end)
        assert view.scroll_y > 0  # not the top of the document
        block = view.block(view.doc.section_at(hit.start).id)
        assert block.virtual_region.y <= view.scroll_y + view.size.height
        assert "“人工智能” 101/" in plain(app.screen.query_one("#reader-status"))
        await pilot.press("n")
        assert view.hit == (app.screen.hits[101].start, app.screen.hits[101].end)
        await pilot.press("N", "N")
        assert view.hit == (app.screen.hits[99].start, app.screen.hits[99].end)


# --- 6: quitting, going back, vi keys ----------------------------------------------


@sync
async def test_q_asks_when_edits_are_uncommitted(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        await press(pilot, "q")
        assert type(app.screen).__name__ == "ConfirmQuit"
        assert "alignments/targets.yaml" in plain(app.screen.query_one("#files"))
        await press(pilot, "n")
        assert app.is_running and app.current_mode == "themes"
        await press(pilot, "q", "y")
        assert not app.is_running


@sync
async def test_q_quits_at_once_when_all_is_committed(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        assert not app.is_running


@sync
async def test_escape_goes_back_and_vi_keys_move(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "3", "4")
        await press(pilot, "escape")
        assert app.current_mode == "targets"
        await press(pilot, "escape")
        assert app.current_mode == "themes"
        await press(pilot, "j", "j")
        assert app.selected_alignment == "talent-hub"
        await press(pilot, "G")
        assert app.selected_alignment == "talent-training"
        await press(pilot, "g")
        assert app.screen.query_one(AlignmentTree).cursor_line == 0
        await pilot.press("k")


@sync
async def test_vi_keys_move_in_the_search_results(project_dir: Path) -> None:
    """G then enter opens the last match (seen in tmux: G did nothing in the results)."""
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"芯片", "enter", "G")
        hits = app.screen.hits
        assert app.screen.query_one("#search-results").highlighted == len(hits) - 1
        await press(pilot, "k", "enter")
        view = app.screen.query_one(DocumentView)
        assert view.doc.id == hits[-2].doc and view.hit == (hits[-2].start, hits[-2].end)


# --- undo --------------------------------------------------------------------------


@sync
async def test_undo_restores_the_file_exactly_until_commit(project_dir: Path) -> None:
    from policydiff.tui.screens.dialogs import proposed_message

    repo = git.Repo(project_dir)
    app = app_for(project_dir)
    before = store_texts(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "u" not in footer_keys(app)
        await pilot.press("a", "i")
        await pilot.pause()
        app.screen.query_one("#note").text = "checked against the 2021 plan"
        await press(pilot, "ctrl+s")
        assert "u" in footer_keys(app)
        assert proposed_message(app.edits) == "Accept targets-scale; note on targets-scale"
        await press(pilot, "u")
        assert "status: accepted" in store_texts(project_dir)["targets.yaml"]
        assert "checked against" not in store_texts(project_dir)["targets.yaml"]
        await press(pilot, "u")
        assert store_texts(project_dir) == before
        assert "?" in str(app.screen.query_one(AlignmentTree).root.children[0].label)
        await pilot.press("r", "c")
        await pilot.pause()
        assert app.screen.query_one("#message").value == "Reject targets-scale"
        await press(pilot, "enter")
        assert repo.head.commit.message.strip() == "Reject targets-scale"
        assert not app.edits
        await press(pilot, "u")  # nothing to undo after a commit
        assert "status: rejected" in store_texts(project_dir)["targets.yaml"]


# --- 5, 7: text layout, NO_COLOR ------------------------------------------------------


def laid_out_lines(widget) -> list[str]:
    return widget.wrapped(widget.size.width).plain.split("\n")


@sync
async def test_lines_keep_figures_whole_and_start_rightly(project_dir: Path) -> None:
    from policydiff.core.linebreak import NO_LINE_START
    from policydiff.core.quantities import quantity_spans
    from policydiff.tui.widgets.document_view import SectionBlock

    app = app_for(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for doc_id in ("2021-14th-plan", "2022-pudong-plan"):
            app.open_reader(doc_id, 1)
            await settle(pilot)
            blocks = list(app.screen.query(SectionBlock))
            assert blocks
            for block in blocks:
                lines = laid_out_lines(block)
                assert all(len(line) <= block.size.width for line in lines)
                starts = [line[0] for prev, line in itertools.pairwise(lines)
                          if line and prev]  # lines a wrap started (not a paragraph)
                assert not [c for c in starts if c in NO_LINE_START], (block.section.id, lines)
                text = block.content.plain
                for start, end in quantity_spans(text):
                    figure = text[start:end]
                    if 2 * len(figure) < block.size.width:
                        assert any(figure in line for line in lines), (figure, lines)
        await press(pilot, "1", "d")
        rows = app.screen.query_one(DiffView).query(".row")
        joined = "\n".join("\n".join(laid_out_lines(r)) for r in rows if hasattr(r, "wrapped"))
        assert "4000亿元" in joined and "1000亿" in joined


@sync
async def test_no_color_marks_changes_in_text(project_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "d")
        changed = "".join(plain(w) for w in app.screen.query_one(DiffView).changes)
        assert "[-" in changed and "-]" in changed and "{+" in changed and "+}" in changed
        assert "[-1000亿-]" in changed.replace(" ", "") or "1000亿-]" in changed


# --- d: a new alignment made in the reader -------------------------------------------


@sync
async def test_new_alignment_from_picked_passages_then_commit(project_dir: Path) -> None:
    repo = git.Repo(project_dir)
    path = project_dir / "alignments" / "targets.yaml"
    before = path.read_text(encoding="utf-8")
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"产业规模", "enter", "enter")  # first hit: 2017
        assert app.current_mode == "reader"
        await pilot.press("p")
        for doc in ("2021-14th-plan", "2022-pudong-plan"):
            while app.screen.query_one(DocumentView).doc.id != doc:
                await pilot.press("n")
                await settle(pilot, 1)
            await pilot.press("p")
        await settle(pilot)
        picks = list(app.screen.picks)
        assert list(picks) == ["2017-opinions", "2021-14th-plan", "2022-pudong-plan"]
        await pilot.press("A")
        await pilot.pause()
        await press(pilot, *"Scale goal, three plans", "enter")
        after = path.read_text(encoding="utf-8")
        assert after.startswith(before)  # appended: the old text and its comments unchanged
        added = after[len(before):]
        assert "id: targets-1" in added and "label: Scale goal, three plans" in added
        assert added.count("- doc:") == 3
        al = app.workspace.alignment("targets-1")
        assert al is not None and al.docs() == list(picks)
        assert app.selected_alignment == "targets-1"
        texts = [p.text for p in app.workspace.passages("targets-1")]
        assert all("产业规模" in t for t in texts)  # the sentences of the hits
        await press(pilot, "1")
        tree = app.screen.query_one(AlignmentTree)
        assert tree.cursor_alignment == "targets-1"  # visible at once, cursor on it
        await pilot.press("c")
        await pilot.pause()
        assert app.screen.query_one("#message").value == (
            "Add targets-1: Scale goal, three plans")
        await press(pilot, "enter")
        assert repo.head.commit.message.strip() == "Add targets-1: Scale goal, three plans"
        assert not repo.is_dirty(path="alignments")


# --- f: coverage ----------------------------------------------------------------------


@sync
async def test_coverage_on_theme_row_and_as_a_view(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await press(pilot, "down")  # the talent theme's header row
        grid = plain(app.screen.query_one("#theme-coverage"))
        assert app.screen.query_one("#theme-coverage").display
        row = next(line for line in grid.splitlines() if "talent" in line)
        assert "§h4" in row and "silent" in row  # 2017 has a passage, Pudong is silent
        assert "news" in grid or "plan" in grid or "opinion" in grid  # source types
        await press(pilot, "6")
        assert app.current_mode == "coverage"
        everything = plain(app.screen.query_one("#coverage"))
        assert "targets" in everything and "talent" in everything
        await press(pilot, "5", "1", "a")  # an edit elsewhere: the grid follows


# --- e: review queue -----------------------------------------------------------------


@sync
async def test_review_queue_one_by_one_then_commit(project_dir: Path) -> None:
    from policydiff.store.alignments import load_store
    from policydiff.store.project import Project

    load_store(Project(project_dir)).set_status("talent-training", "proposed")
    repo = git.Repo(project_dir)
    repo.index.add(["alignments/talent.yaml"])
    repo.index.commit("reopen talent-training")
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "5", "w")
        assert plain(app.screen.query_one("#queue-progress")).startswith("1/2")
        assert app.screen.query_one(DiffView).changes  # the pair's diff is on screen
        await press(pilot, "a")
        assert "status: accepted" in (project_dir / "alignments/targets.yaml").read_text()
        assert plain(app.screen.query_one("#queue-progress")).startswith("2/2")
        assert "talent-training" in plain(app.screen.query_one("#queue-header"))
        await press(pilot, "s")
        assert app.screen.query_one("#message").value == "Accept targets-scale"
        await press(pilot, "enter")
        assert repo.head.commit.message.strip() == "Accept targets-scale"
        assert "done: 1 accepted, 0 rejected, 1 skipped" in plain(
            app.screen.query_one("#queue-progress"))
        await press(pilot, "escape")
        assert app.current_mode == "review"


@sync
async def test_fast_keys_do_not_pull_the_cursor_back(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "j", "j", "j")  # no pause: highlights arrive after the cursor moved
        tree = app.screen.query_one(AlignmentTree)
        assert tree.cursor_alignment == "talent-training"
        assert app.selected_alignment == "talent-training"
        assert "Training system" in plain(app.screen.query_one("#alignment-header"))


@sync
async def test_coverage_at_80_columns_uses_short_labels_with_a_legend(project_dir: Path,
                                                                      ) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        text = plain(app.screen.query_one("#coverage"))
        docs = app.workspace.corpus.ids
        head = next(line for line in text.splitlines() if "D1" in line)
        assert [f"D{k + 1}" for k in range(len(docs))] == head.split()
        assert f"D1 {docs[0]}" in " ".join(text.split())  # the legend names each code
        assert len(head.rstrip()) <= 78  # the grid fits the screen
        rows = [line.split()[0] for line in text.splitlines() if line.strip()]
        assert "talent-hub" not in rows  # themes only at first …
        await press(pilot, "v")
        assert "talent-hub" in plain(app.screen.query_one("#coverage"))  # … v: per alignment
    async with app_for(project_dir).run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await press(pilot, "6")
        text = plain(pilot.app.screen.query_one("#coverage"))
        assert "2017-opinions" in text.splitlines()[1] or "2017-opinions" in text
        assert "D1" not in text


@sync
async def test_new_project_without_alignments_says_how_to_start(tmp_path: Path) -> None:
    root = make_project(tmp_path / "proj", git=False)
    for name in ("targets.yaml", "talent.yaml"):
        (root / "alignments" / name).unlink()
    app = app_for(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = plain(app.screen.query_one("#alignment-header"))
        assert "No alignment yet" in header and "p on a passage" in header
        assert app.screen.shown is None  # review keys off: nothing to act on
