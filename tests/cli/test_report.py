"""``policydiff report`` on the real corpus: content, valid Markdown, determinism, HTML."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]
THEMES = ("targets", "layout", "talent", "governance")


def run(root: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--root", str(root), *args], env=env)


@pytest.fixture(scope="module")
def git_project(tmp_path_factory) -> Project:
    """A copy of the project in a real git repository with the alignments committed."""
    project = copy_project(tmp_path_factory.mktemp("reportproj") / "proj")
    init_git(project.root)
    return project


@pytest.fixture(scope="module")
def markdown(git_project) -> str:
    result = run(git_project.root, "report", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    return result.output


def _section(markdown: str, heading_start: str) -> str:
    parts = markdown.split("\n## ")
    for part in parts:
        if part.startswith(heading_start):
            return part
    raise AssertionError(f"no section {heading_start!r}")


def test_targets_section_names_industry_scale_in_date_order(markdown):
    targets = _section(markdown, "Targets")
    positions = [targets.index(f) for f in ("1000亿", "4000亿元", "2000亿元", "500亿元")]
    assert positions == sorted(positions)
    assert "30万人" in targets and "2-3万人" in targets
    baselines = targets.split("### Baselines")[1]
    assert "1149家" in baselines and "2000多亿元" in baselines
    assert "1149家" not in targets.split("### Baselines")[0]


def test_every_theme_has_a_section(markdown, git_project):
    from policydiff.store.alignments import load_store

    names = {t.id: t.name_zh for t in load_store(git_project).themes()}
    for theme in THEMES:
        assert f"\n## {names[theme]} · " in markdown


def test_accepted_alignments_show_passages_diffs_and_figures(markdown):
    text = markdown.split("\n## 发展目标 · ")[1]
    assert "<del>" in text and "<ins>" in text
    assert "| before | after | context |" in text
    # Silence of a press report is qualified, not read as the policy's silence (issue 15).
    assert "not mentioned in this source (press report, " in text


def test_markdown_parses_and_tables_are_tables(markdown):
    tokens = MarkdownIt("gfm-like").parse(markdown)
    tables = [t for t in tokens if t.type == "table_open"]
    assert len(tables) >= 4  # corpus, targets, baselines, provenance (+ figures)
    html = MarkdownIt("gfm-like").render(markdown)
    assert "<table>" in html and "<h2>" in html
    # Every row of every table has as many cells as its header: no quoted text broke one.
    width = None
    for tok in tokens:
        if tok.type == "tr_open":
            cells = 0
        elif tok.type in ("th_open", "td_open"):
            cells += 1
        elif tok.type == "tr_close":
            if width is None:
                width = cells
            assert cells == width
        elif tok.type == "table_close":
            width = None
    # markdown-it pads or cuts rows to the header, so also count unescaped pipes per line.
    for block in markdown.split("\n\n"):
        rows = [ln for ln in block.splitlines() if ln.startswith("|")]
        pipes = {len(re.findall(r"(?<!\\)\|", ln)) for ln in rows}
        assert len(pipes) <= 1, block


def test_policy_text_cannot_break_the_layout():
    from policydiff.render.report import md_cell

    nasty = "| a | *b* [c](d) <script>x</script> # e\n- f `g` ~~h~~"
    rendered = MarkdownIt("gfm-like").render(f"| x |\n|---|\n| {md_cell(nasty)} |\n")
    assert "<script>" not in rendered and "<em>" not in rendered and "<a " not in rendered
    assert rendered.count("<td>") == 1


def test_report_is_deterministic_and_honours_source_date_epoch(git_project):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = run(git_project.root, "report", env=env)
    second = run(git_project.root, "report", env=env)
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    assert "Generated 2023-11-14" in first.output


def test_provenance_names_commit_dirty_state_and_hashes(git_project, markdown):
    head = subprocess.run(["git", "-C", str(git_project.root), "rev-parse", "HEAD"],
                          capture_output=True, text=True, check=True).stdout.strip()
    prov = _section(markdown, "Provenance")
    assert head in prov and "clean" in prov
    assert prov.count("corpus/") == 5 and "policydiff 0." in prov


def test_options_theme_docs_status_and_output(git_project, tmp_path):
    out = tmp_path / "r.md"
    result = run(git_project.root, "report", "--theme", "talent", "--docs",
                 "2021-14th-plan,2022-lingang-plan", "--status", "all", "-o", str(out),
                 "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "`2017-opinions`" not in text and "`2022-lingang-plan`" in text
    # contents, summary, corpus, coverage, targets, progress, terms, citations, reuse,
    # one theme, provenance
    assert text.count("\n## ") == 11
    bad = run(git_project.root, "report", "--theme", "nope")
    assert bad.exit_code == 2 and "unknown theme" in bad.output
    bad = run(git_project.root, "report", "--docs", "nope")
    assert bad.exit_code == 2 and "unknown document" in bad.output


def test_html_is_one_self_contained_page(git_project):
    result = run(git_project.root, "report", "--format", "html", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page
    assert "<script" not in page and "src=" not in page  # nothing to fetch: self-contained
    assert not re.search(r"href=(?!['\"]?#)", page)  # links only within the page
    assert "class='sbs'" in page and "4000亿元" in page


def test_a_document_with_two_passages_shows_both(markdown):
    talent = markdown.split("### 人才规模目标")[1].split("\n### ")[0]
    assert "集聚AI人才2-3万人" in talent and "约5000名" in talent


def test_contents_link_to_theme_headings(markdown):
    from policydiff.render.report import github_slug

    assert github_slug("发展目标 · Targets") == "发展目标--targets"
    html = MarkdownIt("gfm-like").render(markdown)
    assert 'href="#发展目标--targets"' in html or "href=\"#%E5" in html
