"""Sentence splitting is a partition: no character lost or added; quotes stay intact."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core.sentences import sentence_spans, split_sentences
from reference_sentences import reference_sentence_spans

ALPHABET = st.sampled_from(list("人工智能产业规模到年亿元。！？；，、“”‘’《》（）()[]\n 　AI12%-…"))


@given(st.text(alphabet=ALPHABET, max_size=200))
def test_spans_partition_the_text(text):
    spans = sentence_spans(text)
    assert "".join(text[s:e] for s, e in spans) == text
    for (_, end), (start, _) in itertools.pairwise(spans):
        assert end == start
    assert all(e > s for s, e in spans)


EVERY_MARK = st.sampled_from(list("人工智能到年亿元。！？；!?;，、“”‘’「」『』《》（）()【】〔〕[]"
                                  "\n 　\t1%…"))


@given(st.text(alphabet=EVERY_MARK, max_size=300))
@settings(max_examples=1000)
def test_spans_equal_the_mark_by_mark_splitter(text):
    """The plain-sentence fast path cuts exactly where the old one-loop splitter cut."""
    assert sentence_spans(text) == reference_sentence_spans(text)


def test_spans_equal_the_mark_by_mark_splitter_on_the_corpus(corpus):
    for doc in corpus:
        assert sentence_spans(doc.body) == reference_sentence_spans(doc.body)


@given(st.text(max_size=300))
def test_any_unicode_text_is_partitioned(text):
    assert "".join(split_sentences(text)) == text


def test_splits_on_chinese_terminators_and_line_ends():
    assert split_sentences("一是推进；二是促进。三是？好！\n末") == [
        "一是推进；", "二是促进。", "三是？", "好！\n", "末"]


def test_quotes_and_brackets_are_kept_intact():
    text = ("“上海作为中国最大的经济中心城市。这些都为发展提供了基础。”吴清说。"
            "（以下简称《意见》。）下一句。")
    assert split_sentences(text) == [
        "“上海作为中国最大的经济中心城市。这些都为发展提供了基础。”吴清说。",
        "（以下简称《意见》。）下一句。",
    ]


def test_unbalanced_quote_does_not_swallow_the_next_line():
    assert split_sentences("他说：“没有结束。\n下一行。") == ["他说：“没有结束。\n", "下一行。"]
