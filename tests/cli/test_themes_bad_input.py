"""Bad input around themes (issue 16): an empty theme, a theme id that collides, an
accepted alignment whose passages are all gone. Each ends in one clear line — an error
with exit 2, or a warning where the command can carry on — never a traceback, never
an empty text diffed, nothing half-written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli
from policydiff.store.project import Project

ONE_LINE = re.compile(r"^policydiff: error: [^\n]+\n$")
THEMES = Path("alignments") / "themes.yaml"


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "proj")


def _add_theme(root: Path, entry: str) -> None:
    path = root / THEMES
    path.write_text(path.read_text(encoding="utf-8") + entry, encoding="utf-8")


def _no_traceback(result) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# --- a theme with no description, no terms and no example -----------------------------

EMPTY = "  - id: empty\n    name_zh: 空\n    name_en: Empty\n    terms: []\n"
DESCRIBED = ("  - id: described\n    name_zh: 描述\n    name_en: Described\n    terms: []\n"
             "    description: Public compute platforms and intelligent computing centres.\n")


def test_check_says_an_empty_theme_needs_a_description_or_an_example(proj):
    _add_theme(proj.root, EMPTY + DESCRIBED)
    result = run(proj.root, "check")
    _no_traceback(result)
    lines = [line for line in result.output.splitlines() if "'empty'" in line]
    assert len(lines) == 1 and "needs a description or an example" in lines[0], result.output
    # a description alone defines a theme (a new project's themes start so): no warning
    assert "'described'" not in result.output


def test_suggest_over_all_themes_skips_an_empty_theme_with_one_warning(proj):
    _add_theme(proj.root, EMPTY)
    result = run(proj.root, "suggest", "--top", "1", "--format", "json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "'empty'" in line]
    assert warnings == ["policydiff: warning: skipping theme 'empty': it needs a description, "
                        "terms or an accepted example"]
    assert not any(s["theme"] == "empty" for s in json.loads(result.stdout))


# --- a theme id that collides -----------------------------------------------------------

TWIN = "  - id: talent\n    name_zh: 人才（二）\n    name_en: Talent again\n    terms: [人才]\n"


@pytest.mark.parametrize("args", [
    ("suggest", "--theme", "talent"),
    ("alignments",),
    ("diff", "--theme", "talent", "2017-opinions", "2021-14th-plan"),
    ("evolve", "--theme", "talent"),
    ("report", "-o", "report.md"),
    ("align", "talent", "--label", "x", "--quote", "2017-opinions=人才高地",
     "--quote", "2022-lingang-plan=集聚AI人才2-3万人"),
])
def test_duplicate_theme_id_is_one_line_naming_both_entries(proj, args):
    _add_theme(proj.root, TWIN)
    before = {p: p.read_bytes() for p in (proj.root / "alignments").glob("*.yaml")}
    result = run(proj.root, *[a if a != "report.md" else str(proj.root / a) for a in args])
    _no_traceback(result)
    assert result.exit_code == 2, result.output
    assert ONE_LINE.match(result.stderr), result.stderr
    line = proj.root.joinpath(THEMES).read_text(encoding="utf-8").splitlines()
    first = next(n for n, text in enumerate(line, 1) if text.strip() == "- id: talent")
    assert f"duplicate theme id 'talent' (also line {first})" in result.stderr
    # nothing written: no report, no alignment file touched
    assert not (proj.root / "report.md").exists()
    assert {p: p.read_bytes() for p in (proj.root / "alignments").glob("*.yaml")} == before


def test_check_reports_a_duplicate_theme_id_with_both_lines(proj):
    _add_theme(proj.root, TWIN)
    result = run(proj.root, "check")
    _no_traceback(result)
    assert result.exit_code == 1
    assert re.search(r"themes\.yaml:\d+: duplicate theme id 'talent' \(also line \d+\)",
                     result.output), result.output


# --- an accepted alignment whose members are all orphaned -------------------------------

#: talent-targets' quotes (see alignments/talent.yaml), deleted from a corpus copy.
GONE = {
    "2017-opinions": ["到2020年，基本建成人工智能人才高地"],
    "2021-14th-plan": ["集聚20个以上国际顶尖人工智能团队，建成20个左右人才培养与实训基地，"
                       "完善人工智能产业人才梯队建设，力争到2025年上海人工智能人才规模达到30万人"],
    "2022-lingang-plan": ["集聚AI人才2-3万人", "预计未来三至五年可带动集聚相关专业人才约5000名"],
}


@pytest.fixture
def orphaned(proj) -> Project:
    for doc, quotes in GONE.items():
        path = proj.root / "corpus" / f"{doc}.md"
        text = path.read_text(encoding="utf-8")
        for quote in quotes:
            assert quote in text
            text = text.replace(quote, "")
        path.write_text(text, encoding="utf-8")
    return proj


def test_suggest_says_the_alignment_is_all_orphaned(orphaned):
    result = run(orphaned.root, "suggest", "--theme", "talent", "--format", "json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    said = [line for line in result.stderr.splitlines() if line.startswith(
        "policydiff: warning: talent-targets: none of its passages is found")]
    assert len(said) == 1, result.stderr
    assert not any(s.get("extends") == "talent-targets" for s in json.loads(result.stdout))


def test_report_says_the_alignment_is_all_orphaned(orphaned):
    out = orphaned.root / "report.md"
    result = run(orphaned.root, "report", "-o", str(out))
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| › 人才规模目标"))
    assert "anchor orphaned" in row and "not aligned" not in row.split("|")[2], row
    section = text.split("### 人才规模目标")[1].split("\n### ")[0]
    assert "None of this alignment's passages is found in the corpus any more" in section
    assert "####" not in section  # no comparison of empty texts


def test_diff_and_evolve_warn_and_never_diff_empty_text(orphaned):
    result = run(orphaned.root, "diff", "--theme", "talent", "2017-opinions", "2021-14th-plan",
                 "--format", "json")
    _no_traceback(result)
    assert result.exit_code == 0, result.output
    assert "2017-opinions:h4: anchor orphaned" in result.stderr
    assert "2021-14th-plan:3.3: anchor orphaned" in result.stderr
    for item in json.loads(result.stdout):
        assert item["a"]["text"].strip() and item["b"]["text"].strip(), item
    only = run(orphaned.root, "diff", "--theme", "talent", "2017-opinions", "2022-lingang-plan")
    _no_traceback(only)
    assert only.exit_code == 2 and "anchor orphaned" in only.stderr
    assert only.stderr.splitlines()[-1].startswith("policydiff: error: nothing to diff: ")
    assert "orphaned anchor(s)" in only.stderr.splitlines()[-1]
    evolve = run(orphaned.root, "evolve", "--theme", "talent")
    _no_traceback(evolve)
    assert evolve.exit_code == 0 and "talent-targets: 2017-opinions:h4: anchor orphaned" \
        in evolve.stderr


def test_check_names_every_orphaned_member(orphaned):
    result = run(orphaned.root, "check")
    _no_traceback(result)
    assert result.exit_code == 1
    gone = [line for line in result.output.splitlines()
            if "talent-targets: quote not found" in line]
    assert len(gone) == 4, result.output
    assert "talent-targets: only 0 passage(s) found" in result.output


def test_tui_shows_the_orphaned_passages_and_compares_nothing(orphaned):
    """The TUI opens an all-orphaned alignment without an error: each passage is marked
    [orphaned], and Compare diffs no empty text."""
    import asyncio

    from policydiff.tui.app import PolicydiffApp
    from policydiff.tui.widgets.passage_list import PassageItem

    async def scenario() -> None:
        app = PolicydiffApp(orphaned.root, preload_segmenter=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.selected_alignment = "talent-targets"
            await app.workers.wait_for_complete()
            await pilot.pause()
            shown = [item.passage for item in app.screen.query(PassageItem)]
            assert shown and {p.status for p in shown} == {"orphaned", "absent"}
            await pilot.press("d")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.current_mode == "compare"

    asyncio.run(scenario())


def test_tui_coverage_marks_orphaned_cells_not_covered(orphaned):
    """The coverage grid showed the orphaned talent-targets sections as covered (§h4 ✓):
    no passage of those documents is found any more, so the cell says orphaned."""
    from policydiff.tui.workspace import Workspace

    ws = Workspace.open(orphaned.root, check_git=False)
    row = {c.doc: c for c in ws.coverage("talent", "talent-targets")}
    assert row["2017-opinions"].state == "orphaned" and not row["2017-opinions"].sections
    assert row["2021-14th-plan"].state == "orphaned"
