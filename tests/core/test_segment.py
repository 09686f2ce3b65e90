"""Segmentation: tokens tile the text, figures stay whole, jieba only when needed."""

from __future__ import annotations

import re
import subprocess
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core.quantities import quantity_spans
from policydiff.core.segment import tokenize, words

FRAGMENTS = [
    "人工智能", "产业", "规模", "重点", "规上", "临港新片区", "浦东新区", "应用场景",
    "智能网联汽车", "2020年", "2025年", "1000亿", "4000亿元", "12%", "以上",
    "2-3万人", "3.5", "１２亿元", "第3",
    "十四五", "二〇二五年", "三分之一", "，", "。", "；", "（", "）", "“", "”", " ", "\n", "\u3000",
    "AI", "GPT-4", "5G", "abc", "v1.2", "超过", "达到", "到", "年均增长", "约", "余", "万", "亿",
]
texts = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.text(max_size=60),
    st.text(alphabet="人工智能产业规模0123456789.%亿万元年-，。 abAB１２", max_size=60),
)


@given(texts)
@settings(max_examples=300, deadline=None)
def test_tokens_tile_the_text(text: str) -> None:
    toks = tokenize(text)
    assert "".join(t.text for t in toks) == text
    pos = 0
    for t in toks:
        assert t.start == pos and t.end == pos + len(t.text) and t.text
        assert text[t.start:t.end] == t.text
        pos = t.end


@given(texts)
@settings(max_examples=300, deadline=None)
def test_no_figure_or_digit_run_is_split(text: str) -> None:
    bounds = {t.start for t in tokenize(text)} | {len(text)}
    for m in re.finditer(r"\d+", text):
        assert not any(m.start() < b < m.end() for b in bounds), (text, m.group())
    for s, e in quantity_spans(text):
        if not ((s and text[s - 1].isdigit()) or (e < len(text) and text[e].isdigit())):
            assert s in bounds and e in bounds
            assert not any(s < b < e for b in bounds), (text, text[s:e])


def test_policy_sentence_tokens() -> None:
    text = ("到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元，"
            "临港新片区智能网联汽车应用场景")
    toks = [(t.text, t.kind) for t in tokenize(text)]
    for figure in ("2025年", "12%以上", "4000亿元"):
        assert (figure, "number") in toks
    for term in ("人工智能", "产业规模", "临港新片区", "智能网联汽车", "应用场景"):
        assert (term, "word") in toks
    assert ("，", "punct") in toks
    assert words("培育2-3万人，") == ["培育", "2-3万人"]


def test_jieba_not_loaded_for_ascii_and_numbers() -> None:
    code = (
        "import sys; from policydiff.core.segment import tokenize, is_loaded;"
        "tokenize('GPT-4 2020 12% v1.2');"
        "assert not is_loaded() and 'jieba' not in sys.modules;"
        "tokenize('人工智能'); assert is_loaded()"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
