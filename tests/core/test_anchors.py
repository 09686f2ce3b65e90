"""Anchors: made unambiguous, found exactly, followed through edits, orphaned when gone."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from anchor_edits import Tracked, apply_edit, classify
from policydiff.core.alignment import Anchor
from policydiff.core.anchors import (
    Resolution,
    make_anchor,
    refresh_anchor,
    resolve_anchor,
    similarity,
)
from policydiff.core.errors import InputError

FIXTURES = [HealthCheck.function_scoped_fixture]
PLAN = "2021-14th-plan"
SENTENCE = "到2025年，上海人工智能规上产业规模年均增长12%以上"  # the 十四五 plan's scale target


@pytest.fixture(scope="module")
def plan_body(corpus) -> str:
    return corpus.get(PLAN).body


@pytest.fixture(scope="module")
def bodies(corpus) -> list[str]:
    return [doc.body for doc in corpus]


def _span(body: str, text: str) -> tuple[int, int]:
    start = body.index(text)
    return start, start + len(text)


def test_make_anchor_quotes_text_with_context(plan_body: str) -> None:
    start, end = _span(plan_body, SENTENCE)
    anchor = make_anchor(plan_body, start, end)
    assert anchor.exact == SENTENCE and anchor.start == start
    assert plan_body[start - len(anchor.prefix):start] == anchor.prefix
    assert plan_body[end:end + len(anchor.suffix)] == anchor.suffix
    assert len(anchor.prefix) >= 16 or start - len(anchor.prefix) == 0


def test_make_anchor_grows_context_until_unique() -> None:
    body = "甲" * 40 + "重复的句子。" + "乙" * 40 + "重复的句子。" + "甲" * 40
    start = body.rindex("重复的句子。")
    anchor = make_anchor(body, start, start + 6, context=4)
    selector = anchor.prefix + anchor.exact + anchor.suffix
    assert body.count(selector) == 1
    assert resolve_anchor(anchor, body).start == start


@pytest.mark.parametrize("span", [(-1, 3), (5, 5), (8, 3), (0, 10_000_000)])
def test_make_anchor_rejects_spans_outside_the_text(plan_body: str, span) -> None:
    with pytest.raises(InputError):
        make_anchor(plan_body, *span)


def test_unchanged_body_resolves_exactly(plan_body: str) -> None:
    start, end = _span(plan_body, SENTENCE)
    res = resolve_anchor(make_anchor(plan_body, start, end), plan_body)
    assert res == Resolution("exact", start, end, 0, 1.0, 1.0)
    assert not res.stale


def test_moved_text_is_exact_and_reports_the_drift(plan_body: str) -> None:
    start, end = _span(plan_body, SENTENCE)
    anchor = make_anchor(plan_body, start, end)
    inserted = "新增的一段说明文字。\n\n" * 30
    edited = inserted + plan_body
    res = resolve_anchor(anchor, edited)
    assert (res.status, res.drift) == ("exact", len(inserted))
    assert edited[res.start:res.end] == SENTENCE
    assert res.stale


def test_long_quote_with_a_typo_is_drifted_not_lost(plan_body: str) -> None:
    # Longer than the matcher's 32-character pattern limit.
    start = plan_body.index("加快培育人工智能龙头企业")
    end = plan_body.index("。", start) + 1
    assert end - start > 40
    anchor = make_anchor(plan_body, start, end)
    typo_at = start + 20
    edited = plan_body[:typo_at] + "X" + plan_body[typo_at + 1:]
    res = resolve_anchor(anchor, edited)
    assert res.status == "drifted"
    assert (res.start, res.end) == (start, end)
    assert 0.9 < res.similarity < 1.0
    fixed = refresh_anchor(anchor, edited, res)
    assert fixed.exact == edited[start:end]
    assert resolve_anchor(fixed, edited).status == "exact"


def test_deleted_quote_is_orphaned_not_guessed(plan_body: str) -> None:
    start = plan_body.index(SENTENCE)
    end = plan_body.index("。", start) + 1
    anchor = make_anchor(plan_body, start, end)
    edited = plan_body[:start] + plan_body[end:]
    res = resolve_anchor(anchor, edited)
    assert res.status == "orphaned" and res.start is None and res.reason
    with pytest.raises(InputError):
        refresh_anchor(anchor, edited, res)


def test_verbatim_quote_elsewhere_is_not_taken_when_its_place_was_rewritten() -> None:
    # A headline repeats the sentence; the anchored body sentence is then rewritten.
    sentence = "到2020年人工智能重点产业规模超过1000亿元"
    body = f"标题：{sentence}\n\n" + "其他内容。" * 60 + f"正文指出，{sentence}，并培育标杆企业。"
    start = body.rindex(sentence)
    anchor = make_anchor(body, start, start + len(sentence))
    rewritten = body[:start] + "到2021年产业发展取得明显成效" + body[start + len(sentence):]
    res = resolve_anchor(anchor, rewritten)
    assert res.status == "orphaned"


def test_similarity_is_one_minus_normalised_edit_distance() -> None:
    assert similarity("人工智能", "人工智能") == 1.0
    assert similarity("人工智能", "人工智慧") == 0.75
    assert similarity("", "") == 1.0
    assert similarity("abc", "") == 0.0


def test_empty_quote_is_orphaned() -> None:
    assert resolve_anchor(Anchor(exact=""), "文本").status == "orphaned"


@settings(max_examples=150, deadline=None, suppress_health_check=FIXTURES)
@given(data=st.data())
def test_any_span_of_the_corpus_resolves_to_itself(bodies: list[str], data) -> None:
    body = data.draw(st.sampled_from(bodies))
    start = data.draw(st.integers(0, len(body) - 2))
    end = data.draw(st.integers(start + 1, min(len(body), start + 200)))
    assume(body[start:end].strip())
    res = resolve_anchor(make_anchor(body, start, end), body)
    # A span can repeat with identical context (up to 64 characters); then the hint decides.
    assert (res.status, res.start, res.end) == ("exact", start, end)


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES)
@given(data=st.data())
def test_one_edit_anywhere_never_misplaces_an_anchor(bodies: list[str], data) -> None:
    body = data.draw(st.sampled_from(bodies))
    start = data.draw(st.integers(0, len(body) - 9))
    end = data.draw(st.integers(start + 8, min(len(body), start + 150)))
    anchor = make_anchor(body, start, end)
    pos = data.draw(st.integers(max(0, start - 40), min(len(body), end + 40)))
    dlen = data.draw(st.integers(0, min(30, len(body) - pos)))
    ins = data.draw(st.text(alphabet=body[max(0, start - 200):end + 200], max_size=30))
    edited = body[:pos] + ins + body[pos + dlen:]
    truth = Tracked(start, start, end, end)
    apply_edit(truth, pos, dlen, len(ins))
    res = resolve_anchor(anchor, edited)
    verbatim = res.start is not None and edited[res.start:res.end] == anchor.exact
    assert classify((res.start, res.end), truth, verbatim=verbatim) != "wrong", res
