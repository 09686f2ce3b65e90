"""Issue 15: the report as analysis — summary, coverage, terms, citations, charts, comparisons.

The Markdown is parsed with markdown-it and the HTML with the stdlib parser; links
are checked against the ids the page really has, SVG with xml.etree.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from conftest import REPO, copy_project, init_git
from policydiff.cli import cli
from policydiff.core.summary import REWRITE_THRESHOLD
from policydiff.store.project import Project

SECTIONS = ["Summary", "Corpus", "Coverage", "Targets", "Progress", "Terms over time",
            "Citations", "Reuse", "Provenance"]


def run(root: Path, *args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["--root", str(root), *args], env=env)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    project = copy_project(tmp_path_factory.mktemp("analysis") / "proj")
    # The region says Lingang and Pudong are districts of 上海市: their targets are shares.
    (project.root / "project.yaml").write_bytes((REPO / "project.yaml").read_bytes())
    init_git(project.root)
    return project


@pytest.fixture(scope="module")
def markdown(project) -> str:
    result = run(project.root, "report", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def page(project) -> str:
    result = run(project.root, "report", "--format", "html", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    return result.output


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.h2: list[str] = []
        self._in_h2 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if a.get("href"):
            self.hrefs.append(a["href"])
        self._in_h2 = tag == "h2"

    def handle_data(self, data):
        if self._in_h2:
            self.h2.append(data)
            self._in_h2 = False


def _md_parts(markdown: str) -> tuple[set[str], list[str], list[str]]:
    """Ids, hrefs and h2 headings of the Markdown as GitHub would render it."""
    md = MarkdownIt("gfm-like")
    tokens = md.parse(markdown)
    h2 = [tokens[i + 1].content for i, t in enumerate(tokens)
          if t.type == "heading_open" and t.tag == "h2"]
    rendered = md.render(markdown)
    parser = _Links()
    parser.feed(rendered)
    from policydiff.render.report import github_slug

    return parser.ids | {github_slug(h) for h in h2}, parser.hrefs, h2


def _section(markdown: str, heading: str) -> str:
    return markdown.split(f"\n## {heading}\n")[1].split("\n## ")[0]


def test_every_section_is_present_in_markdown_and_html(markdown, page):
    _, _, h2 = _md_parts(markdown)
    for name in SECTIONS:
        assert name in h2
    parser = _Links()
    parser.feed(page)
    for name in SECTIONS:
        assert name in parser.h2
    for anchor in ("summary", "coverage", "terms-over-time", "citations", "progress"):
        assert anchor in parser.ids and f"#{anchor}" in parser.hrefs  # TOC reaches it


def test_every_summary_statement_links_to_an_existing_anchor(markdown, page):
    summary = _section(markdown, "Summary")
    statements = [ln for ln in summary.splitlines() if ln.startswith("- ")]
    assert len(statements) >= 10
    ids, _, _ = _md_parts(markdown)
    md = MarkdownIt("gfm-like")
    for line in statements:
        parser = _Links()
        parser.feed(md.render(line))
        assert parser.hrefs, line
        for href in parser.hrefs:
            assert href.startswith("#") and href[1:] in ids, (href, line)
    html_ids = _Links()
    html_ids.feed(page)
    html_summary = page.split("id='summary'")[1].split("<section")[0]
    hrefs = re.findall(r'href="#([^"]+)"', html_summary)
    assert hrefs and all(h in html_ids.ids for h in hrefs)


def test_summary_measures_targets_and_silences(markdown):
    summary = _section(markdown, "Summary")
    plan = summary.split("### `2021-14th-plan`")[1].split("### ")[0]
    # 1000亿 of 重点 industries (2017) and 4000亿元 of 规上 output (2021) count different
    # things: no ratio, no implied growth, and the reader is told why.
    assert "not comparable with 超过1000亿 (2020) (2017-opinions)" in plan
    assert "(重点 vs 规上)" in plan
    assert "×4.00" not in plan and "a year 2020–2025" not in plan
    # The news item's 15% is the 战略性新兴产业 plan's, not a cut of the AI plan's 12%.
    assert "lowered" not in plan
    lingang = summary.split("### `2022-lingang-plan`")[1]
    # A district's target is a share of the city's, never a cut from Pudong's 2000亿元.
    assert "12% of 上海市's 达到4000亿元" in lingang
    assert "lowered" not in lingang
    news = summary.split("### `2021-14th-plan-news`")[1].split("### ")[0]
    assert "Not mentioned" in news and "not evidence the policy dropped it" in news
    assert "Dropped:" not in news


def test_no_low_similarity_pair_or_self_pair_is_a_character_diff(markdown, page):
    diffs = re.findall(r"^#### (\S+) → (\S+) \(similarity ([0-9.]+)\)$", markdown, re.M)
    assert diffs
    for a, b, sim in diffs:
        assert a != b
        assert float(sim) >= REWRITE_THRESHOLD
    assert not re.search(r"^#### (\S+) → \1[ :]", markdown, re.M)
    for a, b, sim in re.findall(r"<h4>(\S+) → (\S+) \(similarity ([0-9.]+)\)</h4>", page):
        assert a != b and float(sim) >= REWRITE_THRESHOLD
    assert "reworded (similarity 0.00" in markdown


def test_parallel_jurisdictions_are_shares_not_revisions(markdown):
    # A district is compared with its city (the higher jurisdiction), never as a revision.
    assert "2021-14th-plan (上海市) ∥ 2022-lingang-plan (临港新片区)" in markdown
    assert "Shares: 临港新片区 2-3万人 = 7–10% of 上海市 30万人" in markdown
    assert "2022-pudong-plan → 2022-lingang-plan" not in markdown
    assert "= 0% of" not in markdown  # no time spans compared as shares


def test_two_passages_of_one_document_are_passages_not_a_step(markdown):
    talent = markdown.split("### 人才规模目标")[1].split("\n### ")[0]
    assert "集聚AI人才2-3万人" in talent and "约5000名" in talent
    assert "2022-lingang-plan → 2022-lingang-plan" not in talent


def test_coverage_qualifies_silence_by_source(markdown):
    cov = _section(markdown, "Coverage")
    assert "silent (press report, 1,187 characters)" in cov
    assert "[§3.3](#p-" in cov


def test_terms_over_time_table_and_heat_map(markdown, page):
    terms = _section(markdown, "Terms over time")
    rows = [ln for ln in terms.splitlines()
            if ln.startswith("| ") and ("| rising |" in ln or "| falling |" in ln)]
    assert len(rows) >= 6
    for ln in rows:
        term = ln.split("|")[1].strip()
        assert len(term) >= 2 and not re.search(r"\d", term)
        assert term not in ("上海", "上海市")  # place names of the corpus's own documents
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) >= 2
    for svg in svgs:
        ET.fromstring(svg)  # well-formed
    assert any("terms per 10,000 characters" in s for s in svgs)
    assert any("产业规模" in s and "浦东新区" in s for s in svgs)  # timeline with scope labels


def test_citations_link_corpus_documents_and_list_missing_ones(markdown):
    cites = _section(markdown, "Citations")
    assert ("| `2021-14th-plan` | 沪府办发〔2017〕66号 | [2017-opinions](#doc-2017-opinions) |"
            in cites)
    assert ("《关于本市推动新一代人工智能发展的实施意见》 | [2017-opinions](#doc-2017-opinions)"
            in cites)
    missing = cites.split("### Missing from the corpus")[1]
    assert "《上海市先进制造业发展“十四五”规划》 — cited by `2021-14th-plan`" in missing
    assert "《实施意见》" not in cites  # a back-reference, not a citation


def test_html_has_figure_sources_links_and_no_script(page):
    assert "Where each figure comes from" in page
    parser = _Links()
    parser.feed(page)
    fig_links = [h for h in parser.hrefs if h.startswith("#fig-")]
    assert len(fig_links) >= 30 and all(h[1:] in parser.ids for h in fig_links)
    assert "<script" not in page and "src=" not in page
    assert not re.search(r"href=(?!['\"]?#)", page)
    assert "@media print" in page


def test_deterministic_with_source_date_epoch(project):
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    for fmt in ("md", "html"):
        first = run(project.root, "report", "--format", fmt, env=env)
        second = run(project.root, "report", "--format", fmt, env=env)
        assert first.exit_code == 0 and first.output == second.output


def test_section_option_chooses_what_goes_in(project):
    result = run(project.root, "report", "--section", "summary,coverage", "--section",
                 "citations", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    h2 = re.findall(r"^## (.+)$", result.output, re.M)
    # Evidence: the quotes the summary and coverage link to, as their sections are left out.
    assert h2 == ["Contents", "Summary", "Coverage", "Citations", "Evidence"]
    bad = run(project.root, "report", "--section", "nope")
    assert bad.exit_code == 2 and "unknown report section nope" in bad.output


def test_watch_terms_from_the_project_file(tmp_path):
    project = copy_project(tmp_path / "p")
    (project.root / "project.yaml").write_text("title: T\nwatch_terms: [算法, 赋能, 大模型]\n",
                                               encoding="utf-8")
    result = run(project.root, "report", "--section", "terms", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    rows = [ln.split("|")[1].strip() for ln in result.output.splitlines()
            if ln.startswith("| ") and "watched" in ln]
    assert rows == ["算法", "赋能", "大模型"]
    (project.root / "project.yaml").write_text("watch_terms: 算法\n", encoding="utf-8")
    bad = run(project.root, "report", "--section", "terms")
    assert bad.exit_code == 2 and "watch_terms must be a list" in bad.output


def test_progress_section_gives_the_verdicts_with_their_evidence(project):
    result = run(project.root, "report", "--section", "progress", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "## Progress" in out
    # 2017: 60 scenarios by 2020; the 十四五 plan's review counts 58 by 2020.
    assert "| application-scenarios | 60个 (2020) — 2017-opinions | **not met** | " \
           "58个 (2020) — 2021-14th-plan |" in out
    # 重点 industries in 2017, 规上 output in 2021: not one series.
    assert "**not comparable (scope differs: 重点 vs 规上)**" in out
    assert "×4.00" not in out  # no ratio between targets that count different scopes


def test_a_summary_without_the_theme_sections_still_links_to_its_evidence(project):
    result = run(project.root, "report", "--section", "summary", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    ids, hrefs, h2 = _md_parts(result.output)
    assert "Evidence" in h2
    assert hrefs and all(h[1:] in ids for h in hrefs if h.startswith("#"))
    assert "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元" in result.output
    page = run(project.root, "report", "--section", "summary", "--format", "html").output
    parser = _Links()
    parser.feed(page)
    assert all(h[1:] in parser.ids for h in parser.hrefs)


def test_reuse_section_lists_inherited_wording(project, tmp_path):
    import shutil

    from policydiff.store.project import Project

    shutil.copytree(project.root / "corpus", tmp_path / "corpus")
    shutil.copytree(project.root / "alignments", tmp_path / "alignments")
    copy = Project(tmp_path)
    result = run(copy.root, "report", "--section", "reuse", "--date", "2026-01-01")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "| `2017-opinions` | `2021-14th-plan` |" in out
    assert "数据资源丰富、应用领域广泛、产业门类齐全" in out  # the 十四五 plan's wording
    assert "was: 数据资源丰富，智慧应用广泛、产业门类齐全" in out  # adapted from 2017
    assert "is a press report" in out  # the news item as a source is qualified


def test_forecasts_and_estimates_are_not_listed_as_levels_reached(markdown):
    """Lingang's 预计…约5000名 is a forecast and 李彦宏's 2.4%至4.8% an estimate: the
    baselines table ("figures already reached") must not show them (it did)."""
    targets = _section(markdown, "Targets")
    baselines = targets.split("### Baselines (figures already reached)")[1].split("###")[0]
    assert "约5000名" not in baselines and "2.4%至4.8%" not in baselines
    assert "超过300亿元" in baselines  # 合计投资额超过300亿元: reached on the day
    expected = targets.split("### Forecasts and estimates")[1].split("###")[0]
    assert "约5000名" in expected and "2.4%至4.8%" in expected
    sources = targets.split("### Where each figure comes from")[1]
    assert re.search(r"2\.4%至4\.8%[^|]*\| estimate \(百度创始人[^|]*李彦宏\)", sources)
    assert re.search(r"约5000名[^|]*\| forecast \|", sources)
