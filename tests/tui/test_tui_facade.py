"""The TUI reads the alignment store through the façade, leniently: a broken file is a
problem line and the other files load (``open_project(..., strict=False)``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from policydiff.core.errors import StoreError
from tui_project import make_project

TUI = Path(__file__).resolve().parents[2] / "src" / "policydiff" / "tui"


def break_talent(root: Path) -> None:
    path = root / "alignments" / "talent.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5] + " : : ["
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_open_project_lenient_skips_a_broken_file(tmp_path: Path) -> None:
    import policydiff

    root = make_project(tmp_path / "proj", git=False)
    break_talent(root)
    with pytest.raises(StoreError) as err:
        policydiff.open_project(root, token_cache=False).alignments()
    assert "talent.yaml" in str(err.value)
    project = policydiff.open_project(root, token_cache=False, strict=False)
    assert [a.id for a in project.alignments()] == ["targets-scale"]
    assert any("talent.yaml" in str(p.path) for p in project.store.problems)
    # Fixed on disk: read again, everything is there.
    make_project(tmp_path / "fixed", git=False)
    (root / "alignments" / "talent.yaml").write_text(
        (tmp_path / "fixed" / "alignments" / "talent.yaml").read_text(encoding="utf-8"),
        encoding="utf-8")
    assert [a.id for a in project.alignments()] == ["targets-scale"]  # cached until asked
    project.reload_store()
    assert {a.id for a in project.alignments()} == {"targets-scale", "talent-hub",
                                                    "talent-training"}
    assert project.store.problems == []


def test_the_tui_opens_the_store_through_the_facade(tmp_path: Path) -> None:
    from policydiff.tui.workspace import Workspace

    root = make_project(tmp_path / "proj", git=False)
    break_talent(root)
    ws = Workspace.open(root, check_git=False)
    assert ws.store is ws.api.store and not ws.api.strict
    assert [a.id for a in ws.alignments()] == ["targets-scale"]
    for path in TUI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "store.alignments import" not in text, path
        assert re.search(r"\bload_store(_at)?\(", text) is None, path
