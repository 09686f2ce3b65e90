"""A TUI test project (copy of the corpus + alignments built through the store), and tests
of the TUI's workspace adapter: broken files and a missing git repository become banner
lines, search finds corpus sentences, passages come back in date order."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui_project import make_project


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def test_passages_in_date_order_with_absent_member(project_dir: Path) -> None:
    from policydiff.tui.workspace import Workspace

    ws = Workspace.open(project_dir)
    assert ws.problems == []
    passages = ws.passages("talent-hub")
    assert [p.doc for p in passages] == ["2017-opinions", "2021-14th-plan", "2022-pudong-plan"]
    assert passages[-1].absent and "Pudong" in passages[-1].note
    assert passages[0].text.startswith("到2020年，基本建成") and passages[0].status == "exact"


def test_broken_file_is_a_banner_line_and_the_rest_loads(project_dir: Path) -> None:
    from policydiff.tui.workspace import Workspace

    path = project_dir / "alignments" / "talent.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + " : : ["
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ws = Workspace.open(project_dir)
    assert len(ws.problems) >= 1
    assert ws.problems[0].startswith("alignments/talent.yaml:")
    assert [a.id for a in ws.alignments()] == ["targets-scale"]  # the other file still loads
    assert ws.search("4000亿元")


def test_missing_git_repository_is_a_banner_line(tmp_path: Path) -> None:
    from policydiff.tui.workspace import Workspace

    root = make_project(tmp_path / "nogit", git=False)
    ws = Workspace.open(root)
    assert not ws.has_git
    assert "not a git repository" in ws.problems[0] and ws.problems[0].startswith("nogit/: ")
    assert ws.history("talent-hub") == []


def test_search_finds_every_occurrence_in_date_order(project_dir: Path) -> None:
    from policydiff.tui.workspace import Workspace

    ws = Workspace.open(project_dir)
    hits = ws.search("产业规模")
    docs = [h.doc for h in hits]
    assert docs == sorted(docs, key=ws.corpus.ids.index)
    for h in hits:
        assert ws.corpus.get(h.doc).body[h.start:h.end] == "产业规模"
    expected = sum(d.body.count("产业规模") for d in ws.corpus)
    assert len(hits) == expected
