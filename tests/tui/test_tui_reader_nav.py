"""Pilot tests of the Reader's navigation left open by issue 17: go to a section by its
id, the status line naming the section a match is in, and picks that widen.

Each drives the app with keys on a copy of the real corpus and checks what an analyst
sees; each was written to fail on the app before its fix.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from policydiff.tui.widgets.document_view import DocumentView
from policydiff.tui.widgets.outline import Outline
from tui_project import app_for, make_project, plain, press, settle, sync

SIZE = (80, 24)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj", git=False)


def status(app) -> str:
    return plain(app.screen.query_one("#reader-status"))


@sync
async def test_status_names_the_section_of_every_match(project_dir: Path) -> None:
    """Stepping with n from one document into another: the outline is rebuilt, and its
    cursor briefly sat on the row the old cursor had (p10 of the Lingang plan) — the
    status said "§ p10" and the text scrolled there for a match in p8."""
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"算力", "enter", "enter")
        hits = app.screen.hits
        assert {h.doc for h in hits} >= {"2021-14th-plan", "2022-lingang-plan"}
        for k in range(len(hits) + 1):
            hit = hits[app.screen.hit_index]
            view = app.screen.query_one(DocumentView)
            assert view.doc.id == hit.doc and view.hit == (hit.start, hit.end)
            section = view.doc.section_at(hit.start).id
            assert f"{hit.doc} § {section} " in status(app), k
            assert app.screen.section == section
            assert app.screen.query_one(Outline).cursor_node.data == (hit.doc, section)
            block = view.block(section)
            assert block.virtual_region.y <= view.scroll_y + view.size.height
            assert view.scroll_y <= block.virtual_region.bottom
            await press(pilot, "n")


async def open_doc(app, pilot, doc_id: str) -> DocumentView:
    from policydiff.tui.messages import OpenReader

    await press(pilot, "4")
    app.screen.post_message(OpenReader(doc_id))
    await settle(pilot)
    view = app.screen.query_one(DocumentView)
    assert view.doc.id == doc_id
    return view


async def goto(pilot, ref: str) -> None:
    await pilot.press("colon")
    await pilot.pause()
    await press(pilot, *ref, "enter")


def heading_is_highlighted(view: DocumentView, section: str) -> bool:
    from policydiff.tui.widgets.document_view import TARGET_STYLE

    block = view.block(section)
    spans = [sp for sp in block.content.spans if str(sp.style) == TARGET_STYLE]
    return bool(spans) and spans[0].start <= len("#" * 4) + 1


@sync
async def test_colon_goes_to_a_section_by_its_id(tmp_path: Path) -> None:
    from tui_project import make_docs_project

    root = make_docs_project(tmp_path / "proj")
    app = app_for(root)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        view = await open_doc(app, pilot, "2021-14th-plan")
        await goto(pilot, "3.3")
        assert app.screen.section == "3.3" and view.target == "3.3"
        assert "2021-14th-plan § 3.3 " in status(app)
        assert app.screen.query_one(Outline).cursor_node.data == ("2021-14th-plan", "3.3")
        block = view.block("3.3")
        assert view.scroll_y == min(block.virtual_region.y, view.max_scroll_y) > 0
        assert heading_is_highlighted(view, "3.3")
        await goto(pilot, "4.2.1")
        assert app.screen.section == "4.2.1" and heading_is_highlighted(view, "4.2.1")
        assert not heading_is_highlighted(view, "3.3")  # one highlighted heading at a time
        # An unknown id: one line says so, nothing moves.
        before = (view.scroll_y, app.screen.section, view.target)
        await goto(pilot, "第十二条")
        assert (view.scroll_y, app.screen.section, view.target) == before
        notes = [n.message for n in app._notifications]
        assert any("no section “第十二条”" in m and "\n" not in m for m in notes)
        # A regulation: its articles and chapters by the numbering it prints.
        view = await open_doc(app, pilot, "ai-reg-final")
        for ref, section in (("第十二条", "a12"), ("十二", "a12"), ("第三章", "ch3"),
                             ("a7", "a7")):
            await goto(pilot, ref)
            assert app.screen.section == section, ref
            assert view.target == section and heading_is_highlighted(view, section)
        # A press report without headings: p7, its first sentence highlighted.
        view = await open_doc(app, pilot, "2022-lingang-plan")
        await goto(pilot, "p7")
        assert app.screen.section == "p7" and "§ p7 " in status(app)
        assert any(str(sp.style) == "bold reverse cyan" for sp in view.block("p7").content.spans)
        await press(pilot, "colon", "escape")  # escape: nothing happens
        assert app.screen.section == "p7"


def test_help_lists_go_to_section() -> None:
    from rich.console import Console

    from policydiff.tui.screens.help import help_table

    console = Console(width=160, record=True, file=__import__("io").StringIO())
    console.print(help_table())
    text = console.export_text()
    line = next(line for line in text.splitlines() if "Go to section" in line)
    assert " : " in line and "第十二条" in line and "g alone is top" in line


# --- the new-alignment dialog starts on the theme the analyst is looking at -------------


async def pick_and_align(app, pilot, query: str, label: str) -> str:
    """In the Reader: search ``query``, pick the first hit's sentence, A, label, ctrl+s."""
    await press(pilot, "slash", *query, "enter", "enter")
    assert app.current_mode == "reader"
    await pilot.press("p", "A")
    await pilot.pause()
    await press(pilot, *label, "ctrl+s")
    added = app.added[-1][0]
    return app.workspace.alignment(added).theme


@sync
async def test_new_alignment_preselects_the_theme_row_in_view(project_dir: Path) -> None:
    from policydiff.tui.widgets.alignment_tree import AlignmentTree

    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.selected_alignment == "targets-scale"
        await press(pilot, "down")  # the talent theme's header row
        assert app.screen.query_one(AlignmentTree).cursor_node.data == ("theme", "talent")
        assert await pick_and_align(app, pilot, "人才", "Talent one") == "talent"


@sync
async def test_new_alignment_preselects_the_current_alignments_theme(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "down", "down")  # talent-hub
        assert app.selected_alignment == "talent-hub"
        await press(pilot, "1", "up", "up")  # back to targets-scale: its theme wins now
        assert app.selected_alignment == "targets-scale"
        assert await pick_and_align(app, pilot, "人才", "Targets one") == "targets"


@sync
async def test_a_second_pick_in_one_document_says_it_widened(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "slash", *"算力", "enter", "enter")  # 2021 plan, § 2.2
        await pilot.press("p")
        first = app.screen.picks["2021-14th-plan"]
        for _ in range(3):  # 4.2.2, further on in the same document
            await pilot.press("n")
            await settle(pilot, 1)
        assert app.screen.section == "4.2.2"
        await press(pilot, "p")
        wide = app.screen.picks["2021-14th-plan"]
        assert wide[0] == first[0] and wide[1] > first[1]
        notes = [n for n in app._notifications if n.title == "Pick widened"]
        assert len(notes) == 1
        message = notes[0].message
        assert "§ 2.2 to § 4.2.2" in message and f"({wide[1] - wide[0]} characters" in message
        assert "P clears" in message
        await press(pilot, "p")  # the same sentence again: nothing widens, nothing said
        assert len([n for n in app._notifications if n.title == "Pick widened"]) == 1
