"""Inherited wording (``policydiff reuse``): labelled planted clauses, the bundled corpus,
the on-disk index (incremental, same answers as in memory) and the command."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.core.normalize import to_simplified
from policydiff.core.reuse import (
    ReuseDoc,
    ReuseParams,
    content_keys,
    find_reuse,
    inherited_marks,
)
from policydiff.store.project import Project
from policydiff.store.reuse_index import ReuseIndex, find_project_reuse, index_path, sync
from reuse_eval import build_composed, build_corpus, evaluate

# --------------------------------------------------------------- normalisation and keys


def test_normalize_folds_script_for_reuse() -> None:
    # (normalisation itself is tested in test_normalize.py)
    assert to_simplified("發揮上海數據資源豐富") == "发挥上海数据资源丰富"


def test_keys_fold_figures_and_drop_punctuation() -> None:
    keys = content_keys("到2025年，產業規模達到4,000.5亿元（AI）")
    text = "".join(chr(c) for c in keys.codes)
    assert text == "到#年产业规模达到#亿元ai"
    body = "到2025年，產業規模達到4,000.5亿元（AI）"
    assert [body[o] for o in keys.offsets[:3]] == ["到", "2", "年"]


# --------------------------------------------------------------- labelled sets


@pytest.fixture(scope="module")
def heldout():
    return evaluate("heldout")


@pytest.mark.parametrize("shape", ["composed", "corpus"])
def test_heldout_precision_and_recall_floors(heldout, shape: str) -> None:
    """Floors on the held-out clauses (docs/reuse.md has the tuning figures beside them)."""
    score = heldout[shape]
    assert score.recall >= 0.95, (score.found, score.labels)
    assert score.precision >= 0.85, [p.target_text for p in score.false]


def test_every_variant_is_found_on_heldout(heldout) -> None:
    for shape in heldout.values():
        for variant, (hit, total) in shape.by_variant.items():
            assert hit == total, (variant, hit, total)


def test_boilerplate_is_recognised_by_document_frequency() -> None:
    docs, _ = build_composed("heldout")
    result = find_reuse(docs)
    assert result.boilerplate > 0
    boiler = "印发给你们"
    assert not any(boiler in p.target_text for p in result.passages)
    # documents that share only the notice formula inherit nothing
    assert not [p for p in result.passages if p.target.startswith("other-")]
    # in a corpus too small to tell, the formula is (honestly) reported as shared text
    small = find_reuse(docs[:4], ReuseParams(boilerplate_min_docs=50))
    assert result.boilerplate and small.boilerplate == 0


def test_traditional_reprint_is_marked_with_offsets_into_the_target() -> None:
    docs, labels = build_composed("heldout")
    result = find_reuse(docs)
    by_id = {d.id: d for d in docs}
    trad = [lb for lb in labels if lb.variant == "traditional"]
    assert trad
    for lb in trad:
        marks = [m for m in result.marks(lb.target) if m.source == lb.source]
        assert any(m.start < lb.end and lb.start < m.end for m in marks)
    for m in result.marks():
        text = by_id[m.doc].body[m.start:m.end]
        assert text and by_id[m.doc].section_at(m.start) == m.section
        assert set(m.to_dict()) >= {"doc", "section", "start", "end", "source",
                                    "source_section", "source_start", "source_end", "score"}


def test_marks_do_not_overlap() -> None:
    docs, _ = build_corpus("tuning")
    result = find_reuse(docs)
    marks = inherited_marks(result.passages)
    for a, b in itertools.pairwise(marks):
        if a.doc == b.doc:
            assert a.end <= b.start + (b.end - b.start) // 2


# --------------------------------------------------------------- the bundled corpus


def test_bundled_corpus_inheritance(corpus) -> None:
    docs = [ReuseDoc.from_document(d) for d in corpus]
    result = find_reuse(docs)
    plan = result.for_target("2021-14th-plan")
    assert any(p.source == "2017-opinions" and "产业门类齐全" in p.target_text for p in plan)
    # The 2021-11-05 news item and the plan (issued 2021-12) share wording; in date
    # order the plan is the later text, so that is where the shared passages are marked.
    shared = [p for p in plan if p.source == "2021-14th-plan-news"]
    assert len(shared) >= 5
    edges = {(e.source, e.target): e for e in result.edges()}
    assert edges[("2021-14th-plan-news", "2021-14th-plan")].share > 0.0
    assert not result.for_target("2021-14th-plan-news")
    # nothing flows backwards in time, and the title citations are not inheritance
    assert not result.for_target("2017-opinions")
    assert not any("关于本市推动新一代人工智能发展的实施意见" in p.target_text
                   for p in result.passages)
    diff = plan[0].diff()
    assert diff.similarity > 0.5


# --------------------------------------------------------------- index


def _project(tmp_path: Path) -> Project:
    shutil.copytree(Path(__file__).resolve().parents[2] / "corpus", tmp_path / "corpus")
    return Project(tmp_path)


def test_index_gives_the_in_memory_answer_and_updates_incrementally(tmp_path, corpus) -> None:
    project = _project(tmp_path)
    result, stats = find_project_reuse(project)
    assert (stats.added, stats.kept) == (5, 0)
    memory = find_reuse([ReuseDoc.from_document(d) for d in corpus])
    assert result.candidates == memory.candidates
    assert [p.to_dict() for p in result.passages] == [p.to_dict() for p in memory.passages]
    assert index_path(project).is_file()
    # one new document: only it is indexed
    news = project.corpus_dir / "2021-14th-plan-news.md"
    copy = news.read_text(encoding="utf-8").replace("id: 2021-14th-plan-news", "id: news-copy")
    copy = copy.replace("date: '2021-11-05'", "date: '2023-01-01'")
    (project.corpus_dir / "news-copy.md").write_text(copy, encoding="utf-8")
    result, stats = find_project_reuse(project)
    assert (stats.added, stats.updated, stats.removed, stats.kept) == (1, 0, 0, 5)
    assert ("2021-14th-plan-news", "news-copy") in {(e.source, e.target) for e in result.edges()}
    assert max(e.share for e in result.edges() if e.target == "news-copy") > 0.9
    # an edited document is re-indexed, a deleted one leaves the index
    news.write_text(news.read_text(encoding="utf-8") + "\n补充一段新的文字。\n", encoding="utf-8")
    (project.corpus_dir / "news-copy.md").unlink()
    _, stats = find_project_reuse(project)
    assert (stats.added, stats.updated, stats.removed, stats.kept) == (0, 1, 1, 4)


def test_index_single_target_matches_corpus_run(tmp_path) -> None:
    project = _project(tmp_path)
    full, _ = find_project_reuse(project)
    one, _ = find_project_reuse(project, target="2021-14th-plan-news")
    assert [p.to_dict() for p in one.passages] == \
        [p.to_dict() for p in full.for_target("2021-14th-plan-news")]


def test_index_rebuilds_when_params_change(tmp_path) -> None:
    project = _project(tmp_path)
    find_project_reuse(project)
    with ReuseIndex.for_project(project, ReuseParams(ngram=9)) as index:
        assert len(index) == 0
        from policydiff.store.reuse_index import corpus_files

        assert sync(index, corpus_files(project)).added == 5


def test_ingest_hook_indexes_the_new_document(tmp_path) -> None:
    project = _project(tmp_path)
    find_project_reuse(project)
    source = tmp_path / "notice.txt"
    source.write_text("关于加快人工智能发展的通知\n\n上海发挥数据资源丰富、应用领域广泛、"
                      "产业门类齐全的优势，立足国际视野、加强系统布局。\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["--root", str(tmp_path), "ingest", str(source),
                                      "--id", "notice", "--date", "2024-01-02"])
    assert result.exit_code == 0, result.output
    with ReuseIndex.for_project(project) as index:
        assert "notice" in index.shas()
    _, stats = find_project_reuse(project)
    assert stats.added == 0 and stats.kept == 6


# --------------------------------------------------------------- command


def _run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), "reuse", *args])


def test_cli_document_corpus_and_errors(tmp_path) -> None:
    _project(tmp_path)
    out = _run(tmp_path, "2021-14th-plan", "--format", "json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["document"] == "2021-14th-plan" and data["passages"]
    sources = {p["source"] for p in data["passages"]}
    assert {"2021-14th-plan-news", "2017-opinions"} <= sources
    assert all("ops" in p["diff"] for p in data["passages"])
    assert data["marks"] and data["edges"]
    md = _run(tmp_path, "--format", "md")
    assert md.exit_code == 0 and "| 2021-14th-plan-news | 2021-14th-plan |" in md.stdout
    table = _run(tmp_path, "2021-14th-plan", "--min-chars", "10")
    assert table.exit_code == 0 and "2017-opinions" in table.stdout
    bad = _run(tmp_path, "no-such-doc")
    assert bad.exit_code == 2 and bad.stderr.count("\n") == 1 and "no-such-doc" in bad.stderr
    assert _run(tmp_path, "--min-chars", "2").exit_code == 2
    rebuilt = _run(tmp_path, "--rebuild", "--format", "json")
    assert rebuilt.exit_code == 0 and "5 added" in rebuilt.stderr


def test_a_chain_of_copies_names_the_earliest_source_in_marks() -> None:
    clause = ("统筹布局智能算力基础设施，支持算力资源跨区域调度，降低中小企业使用算力的成本，"
              "建立数据开放质量评价机制。")
    docs = [ReuseDoc("a", "2019", "甲方开篇的其他文字，和后文无关。\n\n" + clause),
            ReuseDoc("b", "2020", clause + "\n\n乙方另写的一段不同文字内容。"),
            ReuseDoc("c", "2021", "丙方前言写得很不一样。\n\n" + clause)]
    result = find_reuse(docs)
    assert {(p.source, p.target) for p in result.passages} == {("a", "b"), ("a", "c"),
                                                               ("b", "c")}
    marks = result.marks("c")
    assert len(marks) == 1 and marks[0].source == "a" and marks[0].score == 1.0
    assert {(e.source, e.target) for e in result.edges()} == {("a", "b"), ("a", "c"),
                                                              ("b", "c")}


def test_ingest_hook_never_fails_an_ingest(tmp_path) -> None:
    from policydiff.store.reuse_index import document_written

    project = _project(tmp_path)
    bad = project.corpus_dir / "broken.md"
    bad.write_text("no front matter", encoding="utf-8")
    document_written(project, bad)  # logs nothing, raises nothing: reuse re-syncs lazily
    document_written(project, project.corpus_dir / "missing.md")
