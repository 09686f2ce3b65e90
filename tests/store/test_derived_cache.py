"""Derived results (figures per document, corpus reuse) are computed once and read back.

``policydiff report`` a second time must read the figures and the reuse from the
project's cache (``.policydiff/``) and print the same bytes; editing one document must
recompute that document's figures (and the reuse), and the report must show the edit.
:data:`policydiff.store.derived.computed` counts what was computed, not read.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.core import segment
from policydiff.store import derived
from policydiff.store.project import Project


@pytest.fixture
def fresh_cache():
    """Each test installs its project's cache; the process's previous one comes back after."""
    previous = segment.get_cache()
    yield
    segment.set_cache(previous)


def _report(root: Path) -> str:
    result = CliRunner().invoke(cli, ["--root", str(root), "report", "--date", "2026-01-01"],
                                env={"POLICYDIFF_TOKEN_CACHE": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def _git_project(tmp_path: Path) -> Project:
    project = copy_project(tmp_path / "proj")
    init_git(project.root)
    return project


def test_second_report_reads_the_cache_and_prints_the_same_bytes(tmp_path, fresh_cache):
    project = _git_project(tmp_path)
    n_docs = len([p for p in project.corpus_dir.glob("*.md") if p.name.lower() != "readme.md"])
    derived.computed.clear()
    cold = _report(project.root)
    assert derived.computed["targets"] == n_docs
    assert derived.computed["reuse"] == 1
    assert derived.computed["compare"] > 0 and derived.computed["terms"] == 1
    derived.computed.clear()
    warm = _report(project.root)
    assert not +derived.computed  # figures, reuse, terms, comparisons: all read back
    assert warm == cold
    assert "## Targets" in warm and "## Reuse" in warm


def test_report_without_a_cache_prints_the_same_bytes(tmp_path, fresh_cache):
    """The cached figures and reuse equal freshly computed ones (cache turned off)."""
    project = _git_project(tmp_path)
    _report(project.root)
    warm = _report(project.root)
    segment.set_cache(None)
    derived.computed.clear()
    result = CliRunner().invoke(
        cli, ["--root", str(project.root), "report", "--date", "2026-01-01"],
        env={"POLICYDIFF_TOKEN_CACHE": "0"})
    assert result.exit_code == 0, result.output
    assert derived.computed["targets"] > 0 and derived.computed["reuse"] == 1
    assert result.output == warm


_GOAL = re.compile(r"[^。\n]*到20\d\d年[^。\n]*?(\d{2,5})(?:家|个|亿元|万人)[^。\n]*。")


def _a_goal(text: str) -> tuple[str, str]:
    """A sentence of the corpus text with a goal figure (到2025年…N家/个/亿元), and its number."""
    for m in _GOAL.finditer(text):
        return m.group(0), m.group(1)
    raise AssertionError("no goal sentence in the document")


def test_an_edited_document_is_recomputed_and_its_figures_change(tmp_path, fresh_cache):
    project = _git_project(tmp_path)
    before = _report(project.root)
    docs = sorted(p for p in project.corpus_dir.glob("*.md") if p.name.lower() != "readme.md")
    path = next(p for p in docs if re.search(r"到20\d\d年[^。\n]*?\d{2,5}(?:家|个|亿元|万人)",
                                             p.read_text(encoding="utf-8")))
    text = path.read_text(encoding="utf-8")
    sentence, number = _a_goal(text)
    new_number = "7391" if number != "7391" else "7392"
    assert new_number not in before
    edited = sentence.replace(number, new_number, 1)
    path.write_text(text.replace(sentence, edited, 1), encoding="utf-8")

    derived.computed.clear()
    after = _report(project.root)
    assert derived.computed["targets"] == 1  # only the edited document
    assert derived.computed["reuse"] == 1  # the corpus changed: reuse is searched again
    targets = after.split("## Targets", 1)[1].split("\n## ", 1)[0]
    assert new_number in targets
    derived.computed.clear()
    assert _report(project.root) == after
    assert derived.computed["targets"] == 0


def test_an_unreadable_entry_is_recomputed(tmp_path, fresh_cache):
    project = _git_project(tmp_path)
    first = _report(project.root)
    cache = derived.active_cache()
    assert cache is not None
    cache._connect().execute("UPDATE derived SET v = X'7B'")  # "{": not JSON
    derived.computed.clear()
    assert _report(project.root) == first
    assert derived.computed["reuse"] == 1 and derived.computed["targets"] > 0


def test_cached_comparisons_equal_computed_ones(tmp_path, fresh_cache):
    """Every alignment's comparisons (word diffs, figures, key words) survive the cache."""
    from policydiff.api import open_project
    from policydiff.core.summary import compare_passages
    from policydiff.store.derived import compare_passages_cached

    project = copy_project(tmp_path / "proj")
    api = open_project(project.root)

    def by_issuer(doc: str) -> str:  # parallel policies (no diff) between issuers
        return str(api.document(doc).meta.issuer or "")

    def one_place(doc: str) -> str:  # every pair a revision or a rewrite (word diffs)
        return ""

    checked = 0
    kinds: set[str] = set()
    for place in (by_issuer, one_place):
        def level(doc: str, place=place) -> int:
            return len(place(doc))

        for al in api.alignments(status="any"):
            passages = api.passages(al)
            direct = compare_passages(passages, place, level)
            derived.computed.clear()
            first = compare_passages_cached(passages, place, level)
            again = compare_passages_cached(passages, place, level)
            assert derived.computed["compare"] == 1
            assert first == direct and again == direct
            assert all(a.a is b.a and a.b is b.b for a, b in zip(again, direct, strict=True))
            checked += sum(1 for c in direct if c.diff is not None and c.diff.figures)
            kinds.update(c.kind for c in direct)
    assert kinds == {"revision", "rewrite", "parallel"}  # all three went through the cache
    assert checked > 0  # comparisons with changed figures (Quantity round trip)
    assert checked > 0  # some comparisons carry changed figures (Quantity round trip)


def test_entries_of_another_code_version_are_dropped(tmp_path):
    from policydiff.store.token_cache import SqliteTokenCache

    cache = SqliteTokenCache(tmp_path / "tokens.sqlite3")
    try:
        cache.derived_version(b"v1")
        cache.put_derived({b"k": b"old"})
        cache.derived_version(b"v1")  # same code: kept
        assert cache.get_derived(b"k") == b"old"
        cache.derived_version(b"v2")  # other code: nobody can ask for it again
        assert cache.get_derived(b"k") is None
        cache.put_derived({b"k": b"new"})
        assert SqliteTokenCache(tmp_path / "tokens.sqlite3").get_derived(b"k") == b"new"
    finally:
        cache.close()
