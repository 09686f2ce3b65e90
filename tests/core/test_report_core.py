"""The pure analysis behind the report: citations, jurisdictions, terms, strength, shares."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policydiff.core.citations import extract_citations, normalise_number, resolve_citations
from policydiff.core.document import DocumentMeta
from policydiff.core.jurisdiction import jurisdiction, level
from policydiff.core.summary import is_stronger, shares, strength_shifts
from policydiff.core.terms import first_seen, is_content_word, terms_over_time


def meta(id_: str, policy: str, issuer: str = "", kind: str = "official", **extra) -> DocumentMeta:
    return DocumentMeta(id_, policy, policy, issuer, None, "2020", kind, None, None, None, None,
                        extra)


def test_document_numbers_are_found_without_the_words_before_them():
    text = ("根据国发〔2017〕35号和沪府办发〔2017〕66号文件，"
            "按照京政发[2019]7号的要求，浦府（2021）8 号。")
    assert [c.text for c in extract_citations(text)] == [
        "国发〔2017〕35号", "沪府办发〔2017〕66号", "京政发〔2019〕7号", "浦府〔2021〕8号"]


def test_titles_are_cited_once_with_counts_and_back_references_are_skipped():
    text = ("《广东省新一代人工智能发展规划》提出……《规划》要求……"
            "再次落实《广东省新一代人工智能发展规划》。")
    cites = extract_citations(text)
    assert [(c.text, c.times) for c in cites] == [("广东省新一代人工智能发展规划", 2)]


def test_citations_resolve_by_title_policy_or_number_preferring_the_official_text():
    docs = [meta("press", "关于本市推动新一代人工智能发展的实施意见", kind="press"),
            meta("full", "关于本市推动新一代人工智能发展的实施意见（沪府办发〔2017〕66号）")]
    text = ("《关于本市推动新一代人工智能发展的实施意见》（沪府办发〔2017〕66号）"
            "和《浙江省数字经济促进条例》")
    got = {c.text: c.target for c in resolve_citations(extract_citations(text), docs)}
    assert got == {"关于本市推动新一代人工智能发展的实施意见": "full",
                   "沪府办发〔2017〕66号": "full", "浙江省数字经济促进条例": ""}


@given(st.sampled_from(["国发", "沪府办发", "粤府", "京政办发"]), st.integers(1990, 2030),
       st.integers(1, 300), st.sampled_from(["〔〕", "[]", "（）", "［］"]),
       st.lists(st.sampled_from(["根据", "按照", "和", "及", "印发"]), max_size=2).map("".join))
def test_any_written_form_of_a_number_normalises_to_one(code, year, serial, brackets, lead):
    written = f"{lead}{code}{brackets[0]}{year}{brackets[1]}{serial}号"
    assert normalise_number(written) == f"{code}〔{year}〕{serial}号"


@given(st.text(max_size=200))
def test_extraction_never_fails_and_spans_are_inside_the_text(text):
    for c in extract_citations(text):
        assert 0 <= c.start < max(len(text), 1) and c.times >= 1


def test_jurisdiction_from_metadata_else_policy_else_issuer():
    assert jurisdiction(meta("a", "浦东新区人工智能赋能三年行动方案")) == "浦东新区"
    office = meta("b", "关于本市推动人工智能发展的实施意见", "上海市人民政府办公厅")
    assert jurisdiction(office) == "上海市"
    assert jurisdiction(meta("c", "深圳市南山区促进人工智能产业发展若干措施")) == "南山区"
    assert jurisdiction(meta("d", "广东省新一代人工智能发展规划")) == "广东省"
    assert jurisdiction(meta("e", "某规划", jurisdiction="雄安新区")) == "雄安新区"
    assert level("上海市") == 0 and level("浦东新区") == 1 and level("临港新片区") == 1


def test_content_words_are_filtered_by_generic_rules():
    assert is_content_word("赋能") and is_content_word("人工智能")
    for word in ("的", "我们", "十四五", "一批", "2025", "AI", "以及其"):
        assert not is_content_word(word), word


def test_terms_rates_are_per_10000_characters_and_trends_have_a_direction():
    texts = ["算法" * 10 + "数据" * 40 + "。" * 50, "算法" * 30 + "数据" * 20 + "。" * 50,
             "算法" * 50 + "数据" * 5 + "。" * 45]
    series = {t.term: t for t in terms_over_time(texts, min_count=1)}
    assert series["算法"].trend == "rising" and series["数据"].trend == "falling"
    watched = terms_over_time(texts, ["算法"])
    assert watched[0].counts == (10, 30, 50) and watched[0].rates[0] == 666.7  # 10 in 150 chars


def test_first_seen_words_are_new_to_the_series():
    texts = ["推进数据开放。" * 3, "推进数据开放，完善算力调度，发展具身智能。" * 3]
    new = [w for w, _ in first_seen(texts, min_count=3)[1]]
    assert "算力" in new  # new and rare in general Chinese: a key term
    assert "完善" not in new and "发展" not in new  # new here, but everyday prose
    assert "数据" not in new and "开放" not in new  # not new
    assert first_seen(texts)[0] == []


def test_strength_shifts_follow_the_ladders():
    assert strength_shifts("鼓励企业参与", "推动企业参与") == [("鼓励", "推动")]
    assert strength_shifts("力争到2025年", "确保到2025年") == [("力争", "确保")]
    assert strength_shifts("全面建成", "初步建成") == [("全面", "初步")]
    assert is_stronger(("探索", "建立")) and not is_stronger(("全面", "初步"))
    assert strength_shifts("支持", "没有阶梯词") == []


def test_shares_compare_the_same_measure_and_never_time_spans():
    city = "到2025年，全市人工智能产业规模达到4000亿元，人才规模达到30万人。"
    district = "力争三年内产业规模升至500亿元，集聚人才2万人，引进人才1-3万人。"
    got = shares(city, district, "上海市", "临港")
    assert "临港 500亿元 = 12% of 上海市 4000亿元" in got
    assert "临港 2万人 = 7% of 上海市 30万人" in got
    assert "临港 1-3万人 = 3–10% of 上海市 30万人" in got
    assert not any("年" in s.split("=")[0] for s in got)


def test_place_names_a_title_starts_with_outermost_first():
    from policydiff.core.jurisdiction import places

    assert places("某市某区新能源汽车产业三年行动方案") == ["某市", "某区"]
    assert places("上海市浦东新区人工智能赋能方案") == ["上海市", "浦东新区"]
    assert places("江苏省苏州市制造业数字化转型方案") == ["江苏省", "苏州市"]
    assert places("临港新片区大力培育人工智能产业行动方案") == ["临港新片区"]
    assert places("上海市人工智能产业发展规划") == ["上海市"]
    assert places("关于本市推动新一代人工智能发展的实施意见") == []


def test_a_district_titled_under_its_city_is_the_district_with_the_city_as_parent():
    from policydiff.core.document import DocumentMeta
    from policydiff.core.jurisdiction import document_jurisdiction

    meta = DocumentMeta("d", "某市某区新能源汽车产业三年行动方案（2022-2024年）",
                        "某市某区新能源汽车产业三年行动方案（2022-2024年）", "某区人民政府办公室",
                        None, "2022-03-01", "official", (2022, 2024), None, None, None)
    assert document_jurisdiction(meta) == ("某区", "某市")


def test_two_orphaned_members_of_one_document_get_distinct_report_ids(corpus):
    """Both used to be ``…-silent``: two rows of the report with one id, and a link that
    could reach only the first (a recorded silence is still ``…-silent``)."""
    from policydiff.core.alignment import Alignment, Anchor, Member
    from policydiff.core.passages import resolve_alignment
    from policydiff.core.summary import passage_anchor

    gone = [Member("2021-14th-plan", "3.3", Anchor(exact=f"这句话从未出现在任何文件里{i}。"))
            for i in range(2)]
    al = Alignment("x-1", "targets", "x", "accepted",
                   members=[*gone, Member("2017-opinions", absent=True)])
    passages = resolve_alignment(al, corpus)
    assert [p.status for p in passages] == ["absent", "orphaned", "orphaned"]
    ids = [passage_anchor(al.id, p) for p in passages]
    assert len(set(ids)) == 3
    assert ids[0] == "p-x-1-2017-opinions-silent"


def test_a_new_key_word_cut_inside_an_unknown_name_is_shown_whole():
    """Lingang's summary listed 滴水 (4×): the segmenter cuts 滴水湖, a name it does not
    know, into 滴水|湖. Every 滴水 is followed by 湖, so the key word is 滴水湖."""
    first = "上海市推动人工智能产业发展。"
    later = ("在滴水湖周边建设创新港。滴水湖AI创新港启动。围绕滴水湖一环带布局。"
             "滴水湖国际创新协同区集聚企业的人工智能项目。")
    words = [w for w, _ in first_seen([first, later])[1]]
    assert "滴水湖" in words and "滴水" not in words
