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
from tui_project import app_for, make_project, plain, settle, sync

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
        await pilot.press("slash", *"算力", "enter", "enter")
        await settle(pilot)
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
            await pilot.press("n")
            await settle(pilot)
