"""Anchors under adversarial edits: the quoted sentence copied elsewhere (a heading, a
summary, a reworded original beside a verbatim copy): the resolver lands on the original
or orphans it, never on the copy. The cases are built in ``tests/anchor_adversary.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from anchor_adversary import matrix, wrong_cases
from policydiff.core.anchors import make_anchor, resolve_anchor


@pytest.fixture(scope="module")
def bodies(corpus) -> dict[str, str]:
    return {doc.id: doc.body for doc in corpus}


def test_no_anchor_lands_on_a_copy(bodies: dict[str, str]) -> None:
    wrong = wrong_cases(bodies)
    assert [(c.kind, c.doc, c.anchor.exact) for c in wrong] == []


@pytest.mark.parametrize("seed", [1, 2])
def test_no_anchor_lands_on_a_copy_other_seeds(bodies: dict[str, str], seed: int) -> None:
    wrong = wrong_cases(bodies, count=30, seed=seed)
    assert [(c.kind, c.doc, c.anchor.exact) for c in wrong] == []


def test_unchanged_originals_are_still_found(bodies: dict[str, str]) -> None:
    """Copies alone (the original untouched) must not cost the original: found, except
    where a copy right after it carries the context the original lost (both places then
    hold the quote with one side of its context: orphaned, as two are plausible)."""
    table = matrix(bodies)
    for kind in ("heading copy", "copy far"):
        assert table[kind]["correct"] == sum(table[kind].values()), (kind, table[kind])
    assert table["copy near"]["correct"] >= 0.6 * sum(table["copy near"].values())


def test_deleted_originals_are_orphaned(bodies: dict[str, str]) -> None:
    table = matrix(bodies)
    for kind in ("delete + copy far", "delete + heading copy"):
        assert table[kind]["orphaned"] == sum(table[kind].values()), (kind, table[kind])


def test_the_reported_heading_case(tmp_path: Path) -> None:
    """A heading repeating a paragraph's sentence, paragraph unchanged: stays put."""
    para = ("本市将加快建设人工智能创新策源高地。到2025年，人工智能产业规模达到4000亿元，"
            "培育一批具有国际影响力的龙头企业。")
    body = "# 总体要求\n\n前言部分说明编制依据。\n\n" + para + "\n\n# 保障措施\n\n加强组织领导。\n"
    quote = "到2025年，人工智能产业规模达到4000亿元"
    start = body.index(quote)
    anchor = make_anchor(body, start, start + len(quote))
    edited = body.replace("\n\n" + para, f"\n\n## {quote}\n\n" + para)
    res = resolve_anchor(anchor, edited)
    assert res.start == edited.index(para) + para.index(quote)
