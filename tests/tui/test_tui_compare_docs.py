"""Compare view, document mode: two documents article by article (issues 13 and 17).

The project is the TUI test project plus the draft and final of a regulation composed
for the compare tests (tests/data/compare/corpus), which share a ``policy`` key.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from textual.widgets import ListView

from policydiff.tui.screens.dialogs import DocumentPicker
from policydiff.tui.widgets.diff_view import DiffView
from tui_project import app_for, make_docs_project, plain, press, settle, sync

SIZE = (120, 40)


@pytest.fixture
def docs_project(tmp_path: Path) -> Path:
    return make_docs_project(tmp_path / "proj")


def pair_rows(screen) -> list[str]:
    return [plain(item.query_one("Label")) for item in screen.query_one("#pair-list",
                                                                       ListView).children]


def diff_head(screen) -> str:
    return plain(screen.query_one(DiffView).query_one(".step-head"))


async def open_from_palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot, 5)


def test_palette_offers_policy_pairs_and_consecutive_pairs(docs_project: Path) -> None:
    from policydiff.tui.workspace import Workspace

    pairs = Workspace.open(docs_project).document_pairs()
    assert pairs[0] == ("ai-reg-draft", "ai-reg-final")  # same policy key first
    ids = Workspace.open(docs_project).corpus.ids
    for a, b in pairwise(ids):
        assert (a, b) in pairs


@sync
async def test_palette_opens_the_pair_list_with_statuses(docs_project: Path) -> None:
    app = app_for(docs_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_palette(pilot, "Compare documents: ai-reg-draft")
        assert app.current_mode == "compare"
        screen = app.screen
        assert plain(screen.query_one("#compare-title")).startswith(
            "ai-reg-draft ↔ ai-reg-final")
        rows = pair_rows(screen)
        c = screen.comparison
        assert len(rows) == len(c.pairs) > 5
        statuses = {p.status for p in c.pairs}
        assert "unchanged" in statuses and statuses - {"unchanged"}
        for row, p in zip(rows, c.pairs, strict=True):
            assert row.split()[0] == p.status
        # the first changed pair is selected and shown
        first = next(k for k, p in enumerate(c.pairs) if p.status != "unchanged")
        assert screen.query_one("#pair-list", ListView).index == first
        assert c.pairs[first].status in diff_head(screen)
        assert screen.shown is None


@sync
async def test_brackets_move_between_changed_pairs(docs_project: Path) -> None:
    app = app_for(docs_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_from_palette(pilot, "Compare documents: ai-reg-draft")
        screen = app.screen
        pairs = screen.comparison.pairs
        changed = [k for k, p in enumerate(pairs) if p.status != "unchanged"]
        assert len(changed) >= 2
        await press(pilot, "right_square_bracket")
        assert screen.pair_index == changed[1]
        head = diff_head(screen)
        right = " + ".join(u.heading or u.key for u in pairs[changed[1]].b)
        left = " + ".join(u.heading or u.key for u in pairs[changed[1]].a)
        assert (right and right in head) or (left and left in head)
        assert pairs[changed[1]].status in head
        await press(pilot, "left_square_bracket")
        assert screen.pair_index == changed[0]


@sync
async def test_review_keys_do_nothing_in_document_mode(docs_project: Path) -> None:
    app = app_for(docs_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "1", "down", "down")  # an alignment is current
        before = {al.id: (al.status, al.note) for al in app.workspace.alignments()}
        await open_from_palette(pilot, "Compare documents: ai-reg-draft")
        screen = app.screen
        assert screen.shown is None
        assert not screen.check_action("set_status", ("accepted",))
        assert not screen.check_action("edit_note", ())
        for key in ("a", "r", "e"):
            await press(pilot, key)
        assert app.screen is screen  # no note dialog
        after = {al.id: (al.status, al.note) for al in app.workspace.alignments()}
        assert after == before and not app.edits


@sync
async def test_reader_key_asks_for_the_second_document(docs_project: Path) -> None:
    app = app_for(docs_project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_reader("ai-reg-final")
        await settle(pilot)
        await press(pilot, "C")
        picker = app.screen
        assert isinstance(picker, DocumentPicker)
        assert "ai-reg-final" not in [d for d, _, _ in picker.documents]
        index = [d for d, _, _ in picker.documents].index("ai-reg-draft")
        picker.query_one("#doc-picker").highlighted = index
        await pilot.press("enter")
        await settle(pilot, 5)
        assert app.current_mode == "compare"
        assert app.screen.docs == ("ai-reg-draft", "ai-reg-final")  # date order
        assert pair_rows(app.screen)
