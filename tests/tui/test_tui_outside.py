"""The TUI and the world outside it (issue 17): files changed on disk, $EDITOR, the
clipboard (OSC 52), exported views."""

from __future__ import annotations

import base64
import csv
import io
import sys
from pathlib import Path

import pytest

from policydiff.tui.outside import editor_command, export_path
from policydiff.tui.widgets.alignment_header import AlignmentHeader
from policydiff.tui.widgets.alignment_tree import AlignmentTree
from policydiff.tui.widgets.banner import ProblemBanner
from tui_project import app_for, make_project, plain, press, settle, sync

SIZE = (120, 40)


@pytest.fixture
def project_dir(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


def leaves(app) -> list[str]:
    tree = app.screen.query_one(AlignmentTree)
    return [leaf.data[1] for node in tree.root.children for leaf in node.children if leaf.data]


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


# --- files changed on disk ---------------------------------------------------------


@sync
async def test_alignment_file_changed_on_disk_is_reloaded_by_the_timer(project_dir: Path,
                                                                       ) -> None:
    app = app_for(project_dir, watch_interval=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Industry scale goal" in plain(app.screen.query_one(AlignmentHeader))
        rewrite(project_dir / "alignments" / "targets.yaml", "label: Industry scale goal",
                "label: Scale of the AI industry")
        await pilot.pause(0.5)  # a few ticks of the watch timer, no key pressed
        await settle(pilot)
        assert "Scale of the AI industry" in plain(app.screen.query_one(AlignmentHeader))
        assert not app.problems


@sync
async def test_broken_save_shows_a_banner_and_keeps_the_last_good_state(project_dir: Path,
                                                                        ) -> None:
    app = app_for(project_dir)
    path = project_dir / "alignments" / "talent.yaml"
    good = path.read_text(encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = leaves(app)
        assert "talent-hub" in before
        path.write_text(good + "\n  - id: [unclosed\n", encoding="utf-8")  # half an edit
        aligned, corpus = app.poll_files()
        await settle(pilot)
        assert aligned == ["talent.yaml"] and corpus == []
        banner = app.screen.query_one(ProblemBanner)
        assert banner.display
        assert "alignments/talent.yaml:" in plain(banner)
        assert "as they were before the change" in plain(banner)
        assert leaves(app) == before  # the talent alignments are still there
        await press(pilot, "down", "down", "down")  # still usable
        path.write_text(good.replace("label: Talent hub", "label: Talent highland"),
                        encoding="utf-8")
        app.poll_files()
        await settle(pilot)
        assert not app.problems and not banner.display
        assert app.workspace.alignment("talent-hub").label == "Talent highland"


@sync
async def test_a_write_refused_while_the_file_on_disk_is_broken(project_dir: Path) -> None:
    app = app_for(project_dir)
    path = project_dir / "alignments" / "targets.yaml"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        path.write_text(path.read_text(encoding="utf-8") + "\n: : :\n", encoding="utf-8")
        app.poll_files()
        await settle(pilot)
        await press(pilot, "a")  # accept targets-scale: its file is broken on disk
        assert ": : :" in path.read_text(encoding="utf-8")  # nothing written over it
        assert app.workspace.alignment("targets-scale").status == "proposed"


@sync
async def test_corpus_document_changed_on_disk_is_reloaded(project_dir: Path) -> None:
    app = app_for(project_dir)
    doc = project_dir / "corpus" / "2022-pudong-plan.md"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "4")
        doc.write_text(doc.read_text(encoding="utf-8") + "\n新增一句用于测试重新加载。\n",
                       encoding="utf-8")
        assert app.poll_files() == ([], ["2022-pudong-plan.md"])
        await settle(pilot)
        assert "新增一句用于测试重新加载" in app.workspace.corpus.get("2022-pudong-plan").body
        assert app.corpus_revision == 1
        assert not app.problems


@sync
async def test_own_writes_are_not_reported_as_changes_on_disk(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        assert app.poll_files() == ([], [])


# --- $EDITOR -------------------------------------------------------------------------

EDITOR_SCRIPT = """\
#!{python}
import sys
from pathlib import Path
Path(sys.argv[0]).with_name("args.txt").write_text("\\n".join(sys.argv[1:]), encoding="utf-8")
path = Path(sys.argv[-1])
text = path.read_text(encoding="utf-8")
path.write_text(text.replace("{old}", "{new}", 1), encoding="utf-8")
"""


def fake_editor(folder: Path, name: str, old: str, new: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(EDITOR_SCRIPT.format(python=sys.executable, old=old, new=new),
                      encoding="utf-8")
    script.chmod(0o755)
    return script


@sync
async def test_e_opens_the_alignment_in_the_editor_at_its_line_and_reloads(
        project_dir: Path, tmp_path: Path, monkeypatch) -> None:
    script = fake_editor(tmp_path / "bin", "vi", "label: Industry scale goal",
                         "label: Edited in vi")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        line = app.workspace.alignment("targets-scale").line
        assert line > 1
        await press(pilot, "e")
        args = (script.parent / "args.txt").read_text(encoding="utf-8").splitlines()
        assert args == [f"+{line}", str(project_dir / "alignments" / "targets.yaml")]
        assert app.workspace.alignment("targets-scale").label == "Edited in vi"
        assert "Edited in vi" in plain(app.screen.query_one(AlignmentHeader))


@sync
async def test_e_with_a_broken_edit_keeps_the_app_and_shows_the_banner(
        project_dir: Path, tmp_path: Path, monkeypatch) -> None:
    script = fake_editor(tmp_path / "bin", "nano", "status: proposed", "status: [proposed")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "e")
        assert "alignments/targets.yaml" in plain(app.screen.query_one(ProblemBanner))
        assert app.workspace.alignment("targets-scale").status == "proposed"
        assert app.is_running


@sync
async def test_e_is_off_on_a_theme_row(project_dir: Path, tmp_path: Path, monkeypatch) -> None:
    script = fake_editor(tmp_path / "bin", "vi", "status", "status")
    monkeypatch.setenv("EDITOR", str(script))
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "home")
        await press(pilot, "e")
        assert not (script.parent / "args.txt").exists()


def test_editor_command_puts_the_line_where_each_editor_takes_it(tmp_path: Path) -> None:
    path = tmp_path / "alignments" / "targets.yaml"
    assert editor_command(path, 12, {"EDITOR": "vim"}) == ["vim", "+12", str(path)]
    assert editor_command(path, 12, {"EDITOR": "/usr/bin/nano -w"}) == [
        "/usr/bin/nano", "-w", "+12", str(path)]
    assert editor_command(path, 12, {"EDITOR": "emacs", "VISUAL": "code --wait"}) == [
        "code", "--wait", "-g", f"{path}:12"]
    assert editor_command(path, 12, {"EDITOR": "notepad-like"}) == ["notepad-like", str(path)]
    assert editor_command(path, 12, {}) == ["vi", "+12", str(path)]


# --- clipboard, export ---------------------------------------------------------------


def osc52_writes(app) -> list[str]:
    """Start recording what the app writes to the terminal; returns the (live) list."""
    written: list[str] = []
    driver = app._driver
    original = driver.write

    def write(data: str) -> None:
        written.append(data)
        original(data)

    driver.write = write
    return written


def osc52_text(written: list[str]) -> str:
    payloads = [w for w in written if w.startswith("\x1b]52;c;")]
    assert payloads, "no OSC 52 sequence written"
    return base64.b64decode(payloads[-1][len("\x1b]52;c;"):-1]).decode("utf-8")


@sync
async def test_y_copies_the_passage_with_osc52(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        written = osc52_writes(app)
        await pilot.press("tab")  # to the passage list: its first passage is highlighted
        await press(pilot, "y")
        text = osc52_text(written)
        assert text == "到2020年，上海将实现人工智能重点产业规模超过1000亿"
        assert app.clipboard == text


@sync
async def test_y_copies_the_diff_and_the_targets_table(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        written = osc52_writes(app)
        await press(pilot, "d")
        await press(pilot, "y")
        diff = osc52_text(written)
        assert diff.startswith("# Industry scale goal")
        assert "2017-opinions" in diff and "2021-14th-plan" in diff
        await press(pilot, "3")
        await press(pilot, "y")
        table = osc52_text(written)
        rows = list(csv.reader(io.StringIO(table), delimiter="\t"))
        assert rows[0][:4] == ["metric", "metric_name", "doc", "date"]
        assert any(r[4] == "4000亿元" for r in rows[1:])


@sync
async def test_x_exports_the_view_under_the_project(project_dir: Path) -> None:
    app = app_for(project_dir)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "x")
        md = project_dir / "exports" / "alignment-targets-scale.md"
        assert md.read_text(encoding="utf-8").startswith("# Industry scale goal")
        await press(pilot, "3")
        await press(pilot, "x")
        rows = list(csv.reader(io.StringIO(
            (project_dir / "exports" / "targets.csv").read_text(encoding="utf-8"))))
        assert rows[0][0] == "metric" and len(rows) > 10
        await press(pilot, "6")
        await press(pilot, "x")
        grid = (project_dir / "exports" / "coverage.csv").read_text(encoding="utf-8")
        assert grid.splitlines()[0].startswith("theme,2017-opinions,")
        assert "silent" in grid


def test_export_path_is_a_safe_name_under_exports(tmp_path: Path) -> None:
    assert export_path(tmp_path, "diff-a/b c", "md") == tmp_path / "exports" / "diff-a-b-c.md"
    assert export_path(tmp_path, "../..", "csv") == tmp_path / "exports" / "view.csv"
