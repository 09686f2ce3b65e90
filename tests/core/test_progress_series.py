"""The series index behind the progress table and the report's summary.

``Series`` groups figures by (metric, jurisdiction) so a target looks only at its own
series; the verdicts must be exactly what comparing every pair of figures gives. The
reference (``tests/progress_reference.py``) is that plain comparison, and
hypothesis generates ledgers with repeated dates, several scopes, units, places, quoted
policies and classes of one metric (领军企业 / 专精特新企业) to hold them equal.
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.core.progress import Series, progress
from policydiff.core.summary import target_changes
from policydiff.core.targets import Target, TargetRow
from progress_reference import reference_progress

# ------------------------------------------------------------------ generated ledgers

_ITEMS = ("领军企业", "专精特新企业", "重点企业", "企业")  # what a figure of 企业 counts
_PLACES = (("上海市", ""), ("上海市", ""), ("浦东新区", "上海市"), ("临港新片区", "上海市"))
_UNITS = ("家", "家", "亿元", "万元", "%")


@st.composite
def ledgers(draw) -> tuple[list[Target], dict[str, str], dict[str, str]]:
    n_docs = draw(st.integers(1, 5))
    years = draw(st.lists(st.sampled_from(["2017", "2021", "2021", "2021-07", "2023"]),
                          min_size=n_docs, max_size=n_docs))
    # ids out of date order: ties between documents of one date go by the corpus order
    docs = [f"d{i}" for i in draw(st.permutations(range(n_docs)))]
    dates = dict(sorted(zip(docs, years, strict=True), key=lambda kv: kv[1]))
    policies = {d: draw(st.sampled_from(["甲规划", f"{d}政策", f"{d}政策"])) for d in docs}
    rows = []
    for i in range(draw(st.integers(0, 40))):
        doc = draw(st.sampled_from(docs))
        place, parent = draw(st.sampled_from(_PLACES))
        item = draw(st.sampled_from(_ITEMS))
        value = draw(st.sampled_from([0, 5, 20, 100, 2000]))
        unit = draw(st.sampled_from(_UNITS))
        figure = f"{value}{unit}"
        text = f"培育{item}{figure}，"
        at = text.index(figure)
        quoted = draw(st.integers(0, 9)) == 0
        rows.append(Target(
            doc=doc, metric=draw(st.sampled_from(["enterprises"] * 4 + ["scale", "other"])),
            value=value, value_max=draw(st.sampled_from([None, value * 2])), unit=unit,
            year=draw(st.sampled_from([None, 2020, 2025, 2025])), qualifier="",
            kind=draw(st.sampled_from(["target"] * 3 + ["baseline"] * 2 + ["forecast"])),
            text=text, section="1", sentence="1/1", figure=figure, start=at + 100 * i,
            end=at + 100 * i + len(figure), term="企业",
            year_max=draw(st.sampled_from([None, None, 2030])),
            scope=draw(st.sampled_from(["", "", "", "重点", "规上"])), jurisdiction=place,
            parent_jurisdiction=parent, policy="《某某规划》" if quoted else policies[doc]))
    return rows, dates, policies


@settings(max_examples=300, deadline=None)
@given(ledgers())
def test_the_series_index_answers_as_every_pair_compared(ledger):
    rows, dates, policies = ledger
    got = progress(rows, dates, policies)
    want = reference_progress(rows, dates, policies)
    assert [p.target for p in got] == [w[0] for w in want]
    for p, (_, later, base, previous, parent) in zip(got, want, strict=True):
        assert p.evidence == later
        assert p.base is base and p.previous is previous and p.parent is parent


def _row(doc: str, text: str, figure: str, value: float, year: int, scope: str = "",
         place: str = "某市") -> TargetRow:
    at = text.index(figure)
    t = Target(doc=doc, metric="scale", value=value, value_max=None, unit="亿元", year=year,
               qualifier="", kind="target", text=text, section="1", sentence="1/1",
               figure=figure, start=at, end=at + len(figure), term="产业规模", scope=scope,
               jurisdiction=place, policy=doc)
    return TargetRow(t, 1, "", "产业规模")


def test_summary_and_progress_name_the_same_previous_target():
    """A 规上 target of 2023 revises the 规上 target of 2017, not the 重点 one of 2020 between
    them: the summary said 'not comparable with the 2020 figure' while the progress table
    gave the ratio to 2017's (two rules for one question)."""
    dates = {"a": "2017", "b": "2020", "c": "2023"}
    a = _row("a", "规上产业规模达到1000亿元", "1000亿元", 1000, 2020, "规上")
    b = _row("b", "重点产业规模达到300亿元", "300亿元", 300, 2022, "重点")
    c = _row("c", "规上产业规模达到2000亿元", "2000亿元", 2000, 2025, "规上")
    rows = [a, b, c]
    verdict = {p.target.doc: p for p in progress([r.target for r in rows], dates)}
    assert verdict["c"].previous is a.target and verdict["c"].ratio_to_previous == 2.0
    said = [s for s in target_changes(rows, lambda d: "某市", dates) if s.doc == "c"]
    assert [s.kind for s in said] == ["target-raised"]
    assert "1000亿元 (2020) (a) → 2000亿元 (2025), ×2.00" in said[0].text


def test_a_district_target_is_a_share_of_its_own_city_only():
    """The summary took any higher-level document's figure as the whole (a district of
    one city against another city's target); now only the district's own city's."""
    dates = {"a": "2021", "b": "2021-06", "c": "2022"}
    city = _row("a", "产业规模达到4000亿元", "4000亿元", 4000, 2025, place="甲市")
    other = _row("b", "产业规模达到1000亿元", "1000亿元", 1000, 2025, place="乙市")
    t = _row("c", "产业规模达到500亿元", "500亿元", 500, 2025, place="某区")
    district = TargetRow(replace(t.target, parent_jurisdiction="甲市"), 1, "", "产业规模")
    said = target_changes([city, other, district], lambda d: {"a": "甲市", "b": "乙市",
                                                               "c": "某区"}[d], dates)
    assert [s.kind for s in said] == ["target-share"]
    assert "12% of 甲市's 达到4000亿元" not in said[0].text  # the cell has no qualifier
    assert "is 12% of 甲市's 4000亿元 (2025) (a)" in said[0].text
    assert Series([r.target for r in (city, other, district)], dates).parent(
        district.target) is city.target


def test_ties_go_to_the_document_first_in_the_corpus():
    """Two reviews of one date give the 2020 level: the base is the first document's, as
    the corpus lists them (not the first id in alphabetical order)."""
    dates = {"z-review": "2021", "a-review": "2021", "plan": "2022"}
    first = _row("z-review", "产业规模达到100亿元", "100亿元", 100, 2020)
    second = _row("a-review", "产业规模达到120亿元", "120亿元", 120, 2020)
    target = _row("plan", "产业规模达到300亿元", "300亿元", 300, 2025)
    first, second = (TargetRow(replace(r.target, kind="baseline"), 1, "", "产业规模")
                     for r in (first, second))
    got = progress([r.target for r in (first, second, target)], dates)
    assert got[0].base is first.target
    assert [r.doc for r in got[0].evidence] == []
