"""Word diff: ops rebuild both sides, figures are never split, sentences pair up."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core.quantities import quantity_spans
from policydiff.core.worddiff import (
    DELETE,
    EQUAL,
    INSERT,
    changed_figures,
    diff_passages,
    diff_tokens,
    similarity,
    text_a,
    text_b,
)
from revisions import edited_pairs

FRAGMENTS = [
    "人工智能", "产业", "规模", "重点", "规上", "临港新片区", "应用场景", "2020年", "2025年",
    "1000亿", "4000亿元", "12%", "以上", "2-3万人", "3.5", "１２亿元", "十四五", "，", "。",
    "；", "\n", " ", "AI", "5G", "超过", "达到", "到", "年均增长", "万", "亿", "2020", "2025",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    st.text(max_size=50),
    st.text(alphabet="人工智能产业规模0123456789.%亿万元年-，。；\n abAB", max_size=50),
)


TEXT_PAIRS = edited_pairs(texts, texts.filter(lambda t: len(t) < 10), span=6)


def _sides(ops: list[tuple[int, str]]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Spans each op covers on side a and side b."""
    sa, sb, pa, pb = [], [], 0, 0
    for op, t in ops:
        if op != INSERT:
            sa.append((pa, pa + len(t)))
            pa += len(t)
        if op != DELETE:
            sb.append((pb, pb + len(t)))
            pb += len(t)
    return sa, sb


def _numbers(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"\d+(?:\.\d+)?", text)]
    spans += [(s, e) for s, e in quantity_spans(text)
              if not ((s and text[s - 1].isdigit()) or (e < len(text) and text[e].isdigit()))]
    return spans


def _assert_not_split(text: str, op_spans: list[tuple[int, int]]) -> None:
    cuts = {s for s, _ in op_spans} | {e for _, e in op_spans}
    for s, e in _numbers(text):
        assert not any(s < c < e for c in cuts), (text, text[s:e])


@given(TEXT_PAIRS)
@settings(max_examples=300, deadline=None)
def test_token_ops_rebuild_both_sides_and_keep_numbers_whole(pair: tuple[str, str]) -> None:
    a, b = pair
    ops = diff_tokens(a, b)
    assert text_a(ops) == a and text_b(ops) == b
    assert all(t for _, t in ops)
    sa, sb = _sides(ops)
    _assert_not_split(a, sa)
    _assert_not_split(b, sb)
    assert 0.0 <= similarity(ops) <= 1.0


@given(TEXT_PAIRS)
@settings(max_examples=200, deadline=None)
def test_passage_ops_rebuild_both_sides(pair: tuple[str, str]) -> None:
    a, b = pair
    d = diff_passages(a, b)
    assert text_a(d.ops) == a and text_b(d.ops) == b
    sa, sb = _sides(d.ops)
    _assert_not_split(a, sa)
    _assert_not_split(b, sb)
    seen_a = [i for row in d.sentences for i in row.a]
    seen_b = [j for row in d.sentences for j in row.b]
    assert sorted(seen_a) == list(range(len(seen_a))) and len(set(seen_a)) == len(seen_a)
    assert sorted(seen_b) == seen_b == list(range(len(seen_b)))
    for row in d.sentences:
        assert text_a(row.ops) == row.a_text and text_b(row.ops) == row.b_text
    assert "".join(row.b_text for row in d.sentences) == b


def test_year_and_amount_are_whole_tokens_in_the_diff() -> None:
    ops = diff_tokens("到2020年实现人工智能重点产业规模超过1000亿",
                      "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元")
    deleted = "".join(t for op, t in ops if op == DELETE)
    inserted = "".join(t for op, t in ops if op == INSERT)
    assert "2020年" in deleted and "2025年" in inserted
    assert "1000亿" in deleted and "4000亿元" in inserted
    # Words both sides share stay equal instead of being swallowed by the clean-up.
    equal = [t for op, t in ops if op == EQUAL]
    assert "人工智能" in equal and "产业规模" in equal


def test_changed_figures_pair_by_what_they_measure() -> None:
    a = "到2020年实现人工智能重点产业规模超过1000亿"
    b = "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元"
    pairs = {(f.a.text if f.a else None, f.b.text if f.b else None) for f in changed_figures(a, b)}
    assert pairs == {("2020年", "2025年"), ("1000亿", "4000亿元"), (None, "12%以上")}
    amount = next(f for f in changed_figures(a, b) if f.a and f.a.text == "1000亿")
    assert "达到4000亿元" in amount.context and "产业规模超过1000亿" in (amount.context_a or "")


def test_unchanged_figures_are_not_listed() -> None:
    a = "培育500家智能化示范企业，到2025年形成10大类应用案例。"
    b = "培育600家智能化示范企业，到2025年形成10大类应用案例。"
    changes = changed_figures(a, b)
    assert [(f.a.text, f.b.text) for f in changes if f.a and f.b] == [("500家", "600家")]
    assert len(changes) == 1


def test_moved_sentence_is_shown_as_moved_not_deleted() -> None:
    a = "推动算法创新，建设开源平台。加快培育龙头企业。集聚顶尖人才团队。"
    b = "集聚顶尖人才团队。推动算法创新，建设开源平台。加快培育龙头企业和独角兽企业。"
    d = diff_passages(a, b)
    moved = [r for r in d.sentences if r.moved]
    assert len(moved) == 1 and moved[0].kind == "equal" and moved[0].b_text == "集聚顶尖人才团队。"
    assert not any(r.kind in ("deleted", "inserted") for r in d.sentences)
    changed = next(r for r in d.sentences if r.kind == "changed")
    assert (INSERT, "和独角兽企业") in changed.ops


def test_split_sentence_pairs_with_both_parts() -> None:
    a = "建设人工智能创新平台并完善数据开放共享机制，形成产业集群。"
    b = "建设人工智能创新平台。完善数据开放共享机制，形成产业集群。"
    d = diff_passages(a, b)
    assert [r.kind for r in d.sentences] == ["split"]
    assert d.sentences[0].a == (0,) and d.sentences[0].b == (0, 1)


def test_identical_passages_need_no_segmenter() -> None:
    d = diff_passages("人工智能。\n\n产业规模。", "人工智能。\n\n产业规模。")
    assert d.similarity == 1.0 and not d.changed and not d.figures


def test_bare_numbers_are_not_changed_figures():
    from policydiff.core.worddiff import changed_figures

    assert changed_figures("完善“4+X”总体布局。", "深化构建产业布局。") == []
    changes = changed_figures("占全国三分之一左右。", "集聚30万人。")
    assert [(c.a.text if c.a else None, c.b.text if c.b else None) for c in changes] == [
        ("三分之一左右", None), (None, "30万人")]
