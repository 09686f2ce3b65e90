"""The quantity parser: examples from the corpus and properties over generated figures."""

from __future__ import annotations

import cn2an  # imported here: the import (~0.1 s) must not count against a deadline
import pytest
from hypothesis import given
from hypothesis import strategies as st

from policydiff.core.quantities import (
    UNITS,
    find_quantities,
    multiplier,
    parse_number,
    quantity_spans,
)


def only(text: str):
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("text", "figure", "value", "value_max", "unit"), [
    ("到2025年，上海人工智能规上产业规模达到4000亿元。", "4000亿元", 4000, None, "亿元"),
    ("集聚AI人才2-3万人", "2-3万人", 2, 3, "万人"),
    ("集聚AI人才2至3万人", "2至3万人", 2, 3, "万人"),
    ("年均增长12%以上", "12%以上", 12, None, "%"),
    ("年均增速达到15%左右", "15%左右", 15, None, "%"),
    ("规上产业规模不完全统计为2000多亿元", "2000多亿元", 2000, None, "亿元"),
    ("国内有1/3以上的人工智能人才", "1/3以上", 1 / 3, None, ""),
    ("占全国三分之一左右", "三分之一左右", 1 / 3, None, ""),
    ("拿出300万方空间载体", "300万方", 300, None, "万方"),
    ("累计开放3批应用场景", "3批", 3, None, "批"),
    ("两万人", "两万人", 2, None, "万人"),
    ("提高百分之十五", "百分之十五", 15, None, "%"),
    ("投资1,000亿元", "1,000亿元", 1000, None, "亿元"),
    ("建设１００个项目", "１００个", 100, None, "个"),
])
def test_corpus_figures(text, figure, value, value_max, unit):
    q = next(q for q in find_quantities(text) if q.unit != "年")
    assert (q.text, q.value, q.value_max, q.unit) == (figure, pytest.approx(value), value_max,
                                                      unit)
    assert text[q.start:q.end] == q.text


def test_prefix_and_suffix_qualifiers():
    q = only("产业规模升至500亿元")
    assert (q.prefix, q.suffix, q.qualifier) == ("升至", "", "升至")
    q = only("超过1000家人工智能企业")
    assert q.prefix == "超过"
    assert only("1200家以上").suffix == "以上"


@pytest.mark.parametrize("text", ["一是夯实核心基础能力", "“十四五”规划", "第十四个", "第一批",
                                  "荣威RX5", "5G网络", "深入千家万户", "十三五期间"])
def test_words_are_not_quantities(text):
    assert [q for q in find_quantities(text) if q.unit not in ("年",)] == []


def test_parse_number_forms():
    assert parse_number("二〇三五") == 2035
    assert parse_number("两") == 2
    assert parse_number("1/3") == pytest.approx(1 / 3)
    assert parse_number("1,200") == 1200
    assert parse_number("1/0") is None
    assert parse_number("") is None


COUNTERS = [u for u in UNITS if u not in ("年", "月", "日", "天")]
FILLER = st.text(alphabet="人工智能产业发展规划建设上海，。、", max_size=6)


@given(st.integers(min_value=1, max_value=10**7), st.sampled_from(COUNTERS), FILLER, FILLER)
def test_arabic_figure_roundtrip(n, unit, before, after):
    text = f"{before}{n}{unit}{after}"
    q = find_quantities(text)[0]
    assert q.value == n
    assert q.text.startswith(f"{n}{unit}")
    assert text[q.start:q.end] == q.text


@given(st.integers(min_value=2, max_value=99999), st.sampled_from(["个", "家", "项", "亿元"]))
def test_chinese_numeral_roundtrip(n, unit):
    numeral = cn2an.an2cn(n)
    q = only(f"建设{numeral}{unit}")
    # the value is the number as written: 两万个 is 2 with unit 万个
    assert q.value * multiplier(q.unit) == n * multiplier(unit)
    assert q.unit.endswith(unit)


@given(st.integers(min_value=1, max_value=500), st.integers(min_value=1, max_value=500),
       st.sampled_from(["-", "至", "~"]), st.sampled_from(["万人", "%", "家", "亿元"]))
def test_ranges_keep_both_ends(a, b, sep, unit):
    q = only(f"达到{a}{sep}{b}{unit}")
    assert (q.value, q.value_max, q.unit) == (a, b, unit)


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_decimal_percentages(x):
    q = only(f"增长{x}%")
    assert q.value == pytest.approx(float(x))
    assert q.unit == "%"


@given(st.text(max_size=60))
def test_spans_are_ordered_disjoint_and_in_bounds(text):
    spans = quantity_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
