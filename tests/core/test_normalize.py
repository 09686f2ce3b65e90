"""core.normalize: what comparisons see, and the way back to the original text."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from policydiff.core.normalize import normalize, normalize_map, original_span, to_simplified


def test_traditional_to_simplified_phrases():
    assert to_simplified("發展條例（徵求意見稿）") == "发展条例（征求意见稿）"
    assert to_simplified("乾燥") == "干燥"
    assert to_simplified("乾隆") == "乾隆"  # phrase-aware, not a character table
    assert normalize("來源：訪問次數") == "来源：访问次数"


def test_width_and_punctuation():
    assert normalize("到２０２５年，规模达到１，０００亿元") == "到2025年，规模达到1,000亿元"
    assert normalize("(一)总则: 目标; 好!") == "（一）总则：目标；好！"
    assert normalize("10:30 与 1,000") == "10:30与1,000"
    assert normalize("「總則」") == "“总则”"
    assert normalize("①项目") == "①项目"  # enclosed numbers keep their marker
    assert normalize("ＡＩ产业 ％") == "AI产业%"


def test_whitespace():
    assert normalize("  上海\n市 人工\u3000智能 ") == "上海市人工智能"
    assert normalize("Open  AI\n芯片") == "Open AI芯片"
    assert normalize("a\u200bb") == "ab"


def test_map_points_back_to_the_original():
    text = "到 ２０２５年，\n產業規模達到1000億元"
    norm, mapping = normalize_map(text)
    assert norm == "到2025年，产业规模达到1000亿元"
    start = norm.index("产业规模")
    s, e = original_span(mapping, start, start + 4)
    assert text[s:e] == "產業規模"


_TEXT = st.text(alphabet=st.sampled_from(list("發展条例上海AIab12３４，,:：;() \n\u3000「」①.。、")),  # noqa: E501
                max_size=60)


@given(_TEXT)
def test_map_is_monotonic_and_complete(text):
    norm, mapping = normalize_map(text)
    assert len(norm) + 1 == len(mapping) and mapping[-1] == len(text)
    assert all(a < b for a, b in itertools.pairwise(mapping[:-1]))
    assert all(0 <= i < len(text) for i in mapping[:-1])
    # Every non-space character of the original is represented.
    kept = set(mapping[:-1])
    assert all(i in kept for i, ch in enumerate(text) if not ch.isspace())


@given(_TEXT)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


def test_anchor_found_in_a_traditional_or_reflowed_copy():
    from policydiff.core.anchors import make_anchor, resolve_anchor

    body = "前言。到2025年，人工智能产业规模达到4000亿元。其他内容在这里。"
    start = body.index("人工智能产业规模")
    anchor = make_anchor(body, start, start + len("人工智能产业规模达到4000亿元"), context=6)
    copy = "前言。到２０２５年，人工智能產業規模\n達到４０００億元。其他內容在這裡。"
    res = resolve_anchor(anchor, copy)
    assert res.found and res.status == "drifted"
    assert copy[res.start:res.end] == "人工智能產業規模\n達到４０００億元"
