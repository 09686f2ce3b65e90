"""Progress verdicts, kinds, scopes and bad input of `policydiff targets` (issue 14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from conftest import copy_project
from policydiff.api import open_project
from policydiff.cli import cli
from policydiff.core.metrics import MetricSet
from policydiff.core.progress import progress
from policydiff.core.targets import Context, Target, figures_in, scope_of
from policydiff.core.units import commensurable, convert, parse_unit
from policydiff.store.metrics_file import parse_metrics

REPO = Path(__file__).resolve().parents[2]
EMPTY = MetricSet()


def run(*args: str, root: Path = REPO):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def read(text: str, doc_year: int = 2022, period=(2022, 2025), **ctx):
    return [(f.quantity.text, f.kind, f.year, f.year_max, f.base_year, f.scope, f.speaker,
             f.policy) for f in figures_in(text, EMPTY, Context(doc_year, period,
                                                                 policy="本方案", **ctx))]


# ------------------------------------------------------------------ kinds, bases, scopes


def test_a_comparison_base_is_not_a_baseline():
    got = read("到2020年，单位生产总值能耗比2015年下降18%，碳排放比2010年下降45%。", 2016,
               (2016, 2020))
    assert [(f, k, y, b) for f, k, y, _, b, *_ in got] == [
        ("18%", "target", 2020, 2015), ("45%", "target", 2020, 2010)]


def test_forecast_and_estimate_are_not_targets():
    got = read("预计未来三至五年可带动集聚相关专业人才约5000名。")
    assert got[0][:4] == ("5000名", "forecast", 2025, 2027)
    got = read("某公司董事长张三在致辞中表示，智能交通可降低90%的事故率。")
    assert got[0][1] == "estimate" and got[0][2] is None and "张三" in got[0][6]
    got = read("据中国信通院测算，全国数字经济规模达到50万亿元。")
    assert got[0][1] == "estimate" and got[0][6] == "中国信通院"


def test_a_quoted_policy_owns_its_figures():
    got = read("《某省数字经济发展规划》提出，“十四五”期间产业规模年均增速达到15%左右。", 2021,
               (2021, 2025))
    assert got[0][7] == "某省数字经济发展规划" and got[0][2] == 2025
    assert read("《行动方案》提出，到2025年建成10个平台。")[0][7] == "本方案"


def test_scope_words():
    text = "上海人工智能规上产业规模年均增长12%以上，达到4000亿元。"
    from policydiff.core.quantities import find_quantities

    assert [scope_of(text, q) for q in find_quantities(text)] == ["规上", "规上"]
    text = "集聚了各领域近300家重点企业。"
    assert scope_of(text, find_quantities(text)[0]) == "重点"


def test_deadline_carries_from_a_lead_paragraph(tmp_path):
    root = copy_project(tmp_path / "p", alignments=False).root
    (root / "corpus").mkdir(exist_ok=True)
    for f in (root / "corpus").glob("*.md"):
        f.unlink()
    (root / "corpus" / "2016-energy.md").write_text(
        "---\nid: 2016-energy\ntitle: 某市能源发展“十三五”规划\npolicy: 某市能源发展“十三五”规划\n"
        "issuer: 某市人民政府\ndate: '2016-05-01'\nkind: official\n---\n\n## 二、发展目标\n\n"
        "到2020年，全市能源发展的主要目标是：\n\n——煤炭消费总量控制在5000万吨以内。\n\n"
        "——风电装机容量达到100万千瓦。\n", encoding="utf-8")
    rows = open_project(root).targets()
    assert [(t.figure, t.unit, t.year, t.jurisdiction) for t in rows] == [
        ("5000万吨以内", "万吨", 2020, "某市"), ("100万千瓦", "万千瓦", 2020, "某市")]


# ------------------------------------------------------------------ units


def test_units_table_converts_commensurable_units():
    assert parse_unit("万千瓦").multiplier == 1e4 and parse_unit("万千瓦").unit.word == "千瓦"
    assert convert(1.2, "亿千瓦", "万千瓦") == pytest.approx(12000)
    assert convert(3, "成", "%") == pytest.approx(30)
    assert convert(15, "万亩", "公顷") == pytest.approx(150000 * 666.6667 / 10000)
    assert not commensurable("亿元", "家") and commensurable("1000亿"[4:], "亿元")
    assert not commensurable("批", "个")


@given(st.text(alphabet="0123456789万亿千百十吨瓦时亩辆个%％至－~两三成分之翻番比较", max_size=20))
def test_parsers_never_raise(text):
    figures_in(text, EMPTY, Context(2022, (2022, 2025)))


# ------------------------------------------------------------------ progress


def test_progress_on_the_corpus():
    rows = {(p.target.doc, p.target.figure): p for p in open_project(REPO).progress()}
    scale = rows[("2017-opinions", "1000亿")]
    assert scale.verdict == "not comparable (scope differs: 重点 vs 规上)"
    assert scale.compared.doc == "2021-14th-plan-news"
    assert rows[("2017-opinions", "60个")].verdict == "not met"  # 58 scenarios by 2020
    lingang = rows[("2022-lingang-plan", "500亿元")]
    assert lingang.share_of_parent == pytest.approx(500 / 4000)
    quoted = rows[("2021-14th-plan-news", "15%左右")]
    # The news item's figure belongs to the 战略性新兴产业 plan (the item's own policy since
    # the corpus was corrected), never a revision of the AI plan's 12%.
    assert quoted.previous is None
    assert "战略性新兴产业" in (quoted.target.policy or "")


def _t(doc, value, unit, year, kind="target", scope="", **kw):
    return Target(doc=doc, metric="m", value=value, value_max=None, unit=unit, year=year,
                  qualifier=kw.pop("qualifier", ""), kind=kind, text=kw.pop("text", ""),
                  section="s", sentence="s/1", figure=f"{value}{unit}", start=int(value),
                  end=int(value) + 1, scope=scope, jurisdiction="某市", **kw)


def test_progress_verdicts_and_cagr():
    dates = {"a": "2016", "b": "2021"}
    rows = progress([_t("a", 100, "亿元", 2015, "baseline"), _t("a", 200, "亿元", 2020),
                     _t("b", 2.5, "万亿元", 2020, "baseline"),
                     _t("a", 50, "万吨", 2020, text="控制在50万吨以内", qualifier="以内"),
                     _t("b", 60, "万吨", 2020, "baseline"),
                     _t("a", 9, "家", 2020), _t("b", 8, "家", 2020, "baseline", "重点")],
                    dates)
    got = {p.target.figure: p for p in rows}
    assert got["200亿元"].verdict == "met"
    assert got["200亿元"].cagr == pytest.approx(2 ** (1 / 5) - 1)
    assert got["50万吨"].verdict == "not met"
    assert got["9家"].verdict.startswith("not comparable (scope differs")
    assert json.loads(json.dumps([p.to_dict() for p in rows]))


def test_cli_progress_json_and_table():
    result = run("targets", "--progress", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"verdict", "compared", "evidence", "cagr", "share_of_parent"} <= set(data[0])
    result = run("targets", "--progress", "--metric", "industry-scale")
    assert result.exit_code == 0 and "not comparable" in result.output
    result = run("targets", "--kind", "estimate", "--format", "json")
    assert {d["figure"] for d in json.loads(result.output)} >= {"90%", "2.4%至4.8%"}


# ------------------------------------------------------------------ bad input


def test_metrics_file_unknown_unit_and_duplicate_key(tmp_path):
    _, problems = parse_metrics("metrics:\n  - key: a\n    terms: [x]\n    units: [斤斤]\n")
    assert problems[0].line == 2 and "unknown unit '斤斤'" in problems[0].message
    _, problems = parse_metrics("metrics:\n  - key: a\n    key: b\n")
    assert problems[0].line == 3 and "\n" not in problems[0].message
    root = copy_project(tmp_path / "p").root
    path = root / "alignments" / "metrics.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("units: [件, 项]",
                                                             "units: [件, 斤斤]"),
                    encoding="utf-8")
    result = run("targets", root=root)
    assert result.exit_code == 2
    assert "metrics.yaml:" in result.output and "斤斤" in result.output
    assert "Traceback" not in result.output


def test_odd_figures_do_not_break():
    got = read("力争产业规模达到两千亿元，占比超过三成，比2020年翻两番，覆盖三分之一以上，"
               "增速15％－30％。")
    assert [g[0] for g in got] == ["两千亿元", "三成", "翻两番", "三分之一以上", "15％－30％"]
    past = read("到2020年，建成10个平台。", 2022)
    assert past[0][2] == 2020  # a deadline before the document: kept, noted
    note = figures_in("到2020年，建成10个平台。", EMPTY, Context(2022, (2022, 2025)))[0].note
    assert "before the document" in note


def test_an_override_for_every_copy_of_a_sentence(tmp_path):
    root = copy_project(tmp_path / "p").root
    (root / "alignments" / "target-overrides.yaml").write_text(
        "overrides:\n  - doc: '*'\n    figure: 1200家以上\n    quote: 上海人工智能相关企业达\n"
        "    scope: 相关企业\n    note: both copies of the lead\n", encoding="utf-8")
    rows = [t for t in open_project(root).targets(["2021-14th-plan-news"])
            if t.figure == "1200家以上"]
    assert len(rows) == 2 and {t.scope for t in rows} == {"相关企业"}
    (root / "alignments" / "target-overrides.yaml").write_text(
        "overrides:\n  - doc: '*'\n    figure: 1200家以上\n    scope: x\n", encoding="utf-8")
    result = run("targets", root=root)
    assert result.exit_code == 2 and "target-overrides.yaml:2" in result.output


def _target(doc: str, text: str, figure: str, value: float, year: int, term: str,
            unit: str = "家") -> Target:
    at = text.index(figure)
    return Target(doc=doc, metric="enterprises", value=value, value_max=None, unit=unit,
                  year=year, qualifier="", kind="target", text=text, section="1",
                  sentence="1/1", figure=figure, start=at, end=at + len(figure), term=term,
                  jurisdiction="某市", policy=doc)


def test_two_classes_of_one_metric_are_not_one_series():
    """领军企业20家 (2019) → 领军企业30家、专精特新企业100家 (2023): the report said the
    target was 'raised ×5.00' (20 领军 against 100 专精特新), seen on a composed city plan."""
    from policydiff.core.targets import counts_another_thing

    old = _target("a", "培育人工智能领军企业20家，形成50个以上典型应用场景；", "20家", 20, 2022,
                  "企业")
    new_text = "培育人工智能领军企业30家、专精特新企业100家；"
    leaders = _target("b", new_text, "30家", 30, 2025, "企业")
    niche = _target("b", new_text, "100家", 100, 2025, "企业")
    assert not counts_another_thing(old, leaders) and counts_another_thing(old, niche)
    got = {p.target.figure: p for p in progress([old, leaders, niche], {"a": "2019", "b": "2023"})}
    assert got["30家"].previous is old and got["30家"].ratio_to_previous == 1.5
    assert got["100家"].previous is None
    # scope words are compared as scopes, not as other things: 重点 vs 规上 stays one metric
    a = _target("a", "实现人工智能重点产业规模超过1000亿", "1000亿", 1000, 2020, "产业规模", "亿")
    b = _target("b", "规上产业规模不完全统计为2000多亿元", "2000多亿元", 2000, 2021, "产业规模",
                "亿元")
    assert not counts_another_thing(a, b)


def test_two_terms_of_one_metric_are_not_one_series():
    """建成开放创新平台15个 (2019) → 建成开放创新平台30个、开放应用场景300个 (2023), and a
    district's 开放应用场景100个: under a generic 项目、平台与设施 metric the report said the
    city's 30 platforms were ×0.30 of its 100 scenarios and the district's 100 scenarios
    333% of the city's 30 platforms (the items share 开放; seen on a composed project)."""
    from dataclasses import replace

    def fig(doc: str, text: str, figure: str, value: float, year: int, term: str,
            place: str = "某市", parent: str = "") -> Target:
        return replace(_target(doc, text, figure, value, year, term, "个"), metric="projects",
                       jurisdiction=place, parent_jurisdiction=parent)

    old_text = "建成开放创新平台15个，开放应用场景100个；"
    new_text = "建成开放创新平台30个，开放应用场景300个；"
    rows = [fig("a", old_text, "15个", 15, 2022, "平台"), fig("a", old_text, "100个", 100, 2022,
                                                                "场景"),
            fig("b", new_text, "30个", 30, 2025, "平台"), fig("b", new_text, "300个", 300, 2025,
                                                                "场景"),
            fig("c", "开放应用场景100个。", "100个", 100, 2025, "场景", "某区", "某市")]
    got = {(p.target.doc, p.target.figure): p for p in progress(
        rows, {"a": "2019", "b": "2023", "c": "2023-09"})}
    assert got["b", "30个"].ratio_to_previous == 2.0
    assert got["b", "300个"].ratio_to_previous == 3.0
    assert got["c", "100个"].parent is rows[3]
    assert round(got["c", "100个"].share_of_parent, 2) == 0.33
    # the summary says what is counted when the metric's name lists several things
    from policydiff.core.summary import target_changes
    from policydiff.core.targets import TargetRow

    said = target_changes([TargetRow(r, 1, "", "项目、平台与设施 / Projects") for r in rows],
                          lambda d: "某区" if d == "c" else "某市",
                          {"a": "2019", "b": "2023", "c": "2023-09"})
    texts = [s.text for s in said]
    assert any("(平台) raised: 15个 (2022) (a) → 30个 (2025), ×2.00" in t for t in texts), texts
    assert any("(场景) of 某区 (100个 (2025)) is 33% of 某市's 300个" in t for t in texts), texts
