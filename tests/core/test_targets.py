"""Targets: kind, deadline and metric of figures in real sentences; overrides; the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.core.errors import InputError
from policydiff.core.targets import Context, extract_targets, figures_in, resolve_duration
from policydiff.store.corpus import load_corpus
from policydiff.store.metrics_file import load_metrics, parse_metrics
from policydiff.store.target_overrides import check_overrides, load_targets

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def metrics():
    return load_metrics(type("P", (), {"alignments_dir": REPO / "alignments"})())


def found(metrics, text, doc_year=2021, period=(2021, 2025), **ctx):
    return [(f.quantity.text, f.metric, f.kind, f.year)
            for f in figures_in(text, metrics, Context(doc_year, period, **ctx))]


# Sentences copied from corpus/raw/.
def test_news_baselines_are_not_targets(metrics):
    text = ("数据显示，截至2021年9月底，上海人工智能相关企业达1200家以上，"
            "规上产业规模不完全统计为2000多亿元，一些重要的企业。")
    assert found(metrics, text) == [("1200家以上", "enterprises", "baseline", 2021),
                                    ("2000多亿元", "industry-scale", "baseline", 2021)]


def test_growth_goal_of_the_14th_plan(metrics):
    text = ("今年7月发布的《上海市战略性新兴产业和先导产业发展“十四五”规划》提出，“十四五”期间，"
            "人工智能产业规模年均增速达到15%左右，一批独角兽企业加速成长。")
    assert found(metrics, text) == [("15%左右", "growth-rate", "target", 2025)]


def test_section_reviewing_the_previous_plan_holds_baselines(metrics):
    text = "累计开放3批58个应用场景，建设智能网联汽车等4条全国人工智能应用创新揭榜赛道。"
    got = found(metrics, text, section_baseline=True, section_year=2020)
    assert [k for _, _, k, _ in got] == ["baseline"] * 3
    assert got[1] == ("58个", "application-scenarios", "baseline", 2020)
    # 截止到2020年底 marks a baseline even outside such a section
    assert found(metrics, "截止到2020年底，上海人工智能重点企业1149家。") == [
        ("1149家", "enterprises", "baseline", 2020)]


def test_targets_with_deadlines(metrics):
    text = ("加快培育人工智能龙头企业，形成10个以上百亿级细分领域产业集群，到2025年，"
            "上海人工智能规上产业规模年均增长12%以上，达到4000亿元。")
    assert found(metrics, text) == [("10个以上", "industry-clusters", "target", 2025),
                                    ("12%以上", "growth-rate", "target", 2025),
                                    ("4000亿元", "industry-scale", "target", 2025)]
    assert found(metrics, "到2020年，上海将实现人工智能重点产业规模超过1000亿。", 2017,
                 (2017, 2020)) == [("1000亿", "industry-scale", "target", 2020)]


def test_duration_resolved_against_the_plan_period(metrics):
    text = "临港新片区力争用3年时间，集聚AI人才2-3万人，汇集企业500家，产业规模升至500亿元。"
    assert found(metrics, text, 2022, (2022, 2025)) == [
        ("2-3万人", "talent", "target", 2025), ("500家", "enterprises", "target", 2025),
        ("500亿元", "industry-scale", "target", 2025)]
    assert resolve_duration(3, 2022, (2022, 2025)) == 2025
    assert resolve_duration(2, 2022, (2021, 2023)) == 2023
    assert resolve_duration(3, 2022, None) == 2025
    assert resolve_duration(10, 2022, (2022, 2025)) == 2032


def test_mixed_sentence_splits_kinds_at_cues(metrics):
    text = ("当天，“滴水湖AI创新港”正式启动，共有超过40个人工智能产业重点项目签约入驻，"
            "合计投资额超过300亿元，预计未来三至五年可带动集聚相关专业人才约5000名。")
    got = found(metrics, text, 2022, (2022, 2025))
    assert [(f, k) for f, _, k, _ in got] == [("40个", "baseline"), ("300亿元", "baseline"),
                                              ("5000名", "forecast")]
    assert got[1][1] == "investment"


def test_cue_after_the_figure_in_its_clause(metrics):
    text = "据我们了解有10家左右的独角兽已经形成了影响力，但考验是3年以后这些企业还在不在。"
    assert found(metrics, text, 2017, (2017, 2020)) == [
        ("10家左右", "unicorns", "baseline", 2017)]


def test_not_figures(metrics):
    assert found(metrics, "《实施意见》共五个部分21条措施。主要内容突出“三个深度融合”。") == []
    assert found(metrics, "全力深化“五个中心”建设，蓄势发展“五个新城”。") == []
    assert found(metrics, "办好2024国际人工智能联合会议，在浦东开发开放30周年庆祝大会上。") == []
    assert found(metrics, "建设一批智能制造创新中心，连续成功举办三届世界人工智能大会。") == []
    assert found(metrics, "《行动方案》提出了“5大工程23项任务”，从6个方面提出保障措施。") == []


def test_specific_metric_terms_beat_general_ones(metrics):
    text = "推动软件和信息服务业产业规模达到3750亿元，集成电路产业规模达到2100亿元。"
    assert [m for _, m, _, _ in found(metrics, text, 2022, (2021, 2023))] == [
        "related-industry-scale", "related-industry-scale"]
    assert found(metrics, "到2025年，培育500家智能化示范企业。")[0][1] == \
        "demonstration-enterprises"


def test_metric_units_must_fit():
    metric_set, problems = parse_metrics(
        "metrics:\n  - {key: a, terms: [企业], units: [家]}\n", "m.yaml")
    assert not problems
    assert metric_set.classify("企业达1200亿元", 3, 10, "亿元").metric == "other"
    assert metric_set.classify("企业达1200家", 3, 8, "家").metric == "a"


def test_metric_file_problems_have_lines():
    text = "metrics:\n  - key: ok\n    terms: [x]\n    units: [个]\n  - key: Bad Key\n" \
           "    terms: [y]\n    units: [个]\n  - key: ok\n    terms: [z]\n    units: [个]\n"
    _, problems = parse_metrics(text, "alignments/metrics.yaml")
    assert [p.line for p in problems] == [5, 8]
    assert "lower-case" in problems[0].message and "duplicate" in problems[1].message


# --------------------------------------------------------------------------- real corpus


def test_industry_scale_of_the_four_policies(project, corpus):
    rows = [t for t in load_targets(project, corpus) if t.metric == "industry-scale"
            and t.kind == "target"]
    seen = {(t.doc, t.value, t.unit, t.year) for t in rows}
    assert seen == {("2017-opinions", 1000, "亿", 2020), ("2021-14th-plan", 4000, "亿元", 2025),
                    ("2022-pudong-plan", 2000, "亿元", 2023),
                    ("2022-lingang-plan", 500, "亿元", 2025)}
    order = [t.doc for t in rows]
    assert order == sorted(order, key=corpus.ids.index)


def test_offsets_point_into_the_body(corpus, metrics):
    for t in extract_targets(corpus, metrics):
        assert corpus.get(t.doc).body[t.start:t.end] == t.figure


def test_overrides_apply_and_validate(project_copy):
    corpus = load_corpus(project_copy)
    path = project_copy.alignments_dir / "target-overrides.yaml"
    path.write_text(
        "# reviewers' corrections\n"
        "overrides:\n"
        "  - doc: 2022-lingang-plan\n"
        "    figure: 90%\n"
        "    drop: true  # a speaker's estimate, not a plan figure\n"
        "  - doc: 2022-lingang-plan\n"
        "    figure: 5000名\n"
        "    year: 2027\n"
        "    note: 未来三至五年\n"
        "  - doc: 2017-opinions\n"
        "    figure: 五个\n"
        "    quote: 共五个部分21条措施\n"
        "    add: true\n"
        "    metric: plan-structure\n"
        "    kind: target\n", encoding="utf-8")
    assert check_overrides(project_copy, corpus) == []
    targets = load_targets(project_copy, corpus)
    lingang = {t.figure: t for t in targets if t.doc == "2022-lingang-plan"}
    assert "90%" not in lingang
    assert lingang["5000名"].year == 2027 and lingang["5000名"].source == "override"
    added = [t for t in targets if t.source == "added"]
    assert len(added) == 1 and corpus.get("2017-opinions").body[added[0].start:added[0].end] \
        == "五个"


def test_override_problems_name_file_and_line(project_copy):
    corpus = load_corpus(project_copy)
    path = project_copy.alignments_dir / "target-overrides.yaml"
    path.write_text(
        "overrides:\n"
        "  - doc: 2017-opinions\n"      # line 2: figure occurs 3 times
        "    figure: 1000亿\n"
        "    year: 2021\n"
        "  - doc: nowhere\n"            # line 5: unknown document
        "    figure: 1个\n"
        "    drop: true\n"
        "  - doc: 2021-14th-plan\n"     # line 8: unknown metric, bad kind
        "    figure: 30万人\n"
        "    metric: happiness\n"
        "    kind: dream\n"
        "  - doc: 2021-14th-plan\n"     # line 12: matches nothing
        "    figure: 31万人\n"
        "    kind: target\n", encoding="utf-8")
    problems = check_overrides(project_copy, corpus)
    lines = sorted({p.line for p in problems})
    assert lines == [2, 5, 8, 12]
    text = "\n".join(map(str, problems))
    assert "alignments/target-overrides.yaml:2:" in text and "matches 3 figures" in text
    assert "unknown metric 'happiness'" in text and "kind must be" in text
    with pytest.raises(InputError, match=r"target-overrides\.yaml"):
        load_targets(project_copy, corpus)


# --------------------------------------------------------------------------- CLI


def run(*args: str, root: Path = REPO):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result


def test_cli_industry_scale_row_group_in_date_order():
    result = run("targets", "--metric", "industry-scale")
    assert result.exit_code == 0, result.output
    lines = [ln for ln in result.output.splitlines() if "20" in ln and "│" in ln]
    docs = [d for ln in lines for d in ("2017-opinions", "2021-14th-plan ", "2021-14th-plan-news",
                                        "2022-pudong-plan", "2022-lingang-plan") if d in ln + " "]
    # The 十四五 plan is dated 2021-12, after the 2021-11-05 press report.
    assert docs == ["2017-opinions", "2021-14th-plan-news", "2021-14th-plan ",
                    "2022-pudong-plan", "2022-lingang-plan"]
    assert result.output.count("│ industry-scale") == 1  # one row group
    assert "⚠ industry-scale: scope differs" in result.output


def test_cli_json_fields_and_kind_filter():
    result = run("targets", "--kind", "baseline", "--doc", "2021-14th-plan-news",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {d["kind"] for d in data} == {"baseline"}
    first = data[0]
    for key in ("doc", "metric", "value", "value_max", "unit", "year", "qualifier", "kind",
                "text", "section"):
        assert key in first
    assert (first["value"], first["unit"], first["metric"]) == (1200, "家", "enterprises")


def test_cli_markdown_and_errors():
    result = run("targets", "--metric", "talent", "--format", "md")
    assert result.exit_code == 0
    assert "| 2021-14th-plan | 2021-12 | target | 30 | 万人 | 2025 |" in result.output
    bad = run("targets", "--metric", "nope")
    assert bad.exit_code == 2 and "unknown metric 'nope'" in bad.output
    bad = run("targets", "--doc", "nope")
    assert bad.exit_code == 2 and "nope" in bad.output


def test_distinct_figures_counts_repeats(project, corpus):
    from policydiff.core.targets import distinct_figures
    from policydiff.store.target_overrides import load_targets

    figures = distinct_figures(load_targets(project, corpus, docs=["2017-opinions"]))
    scale = [(t.figure, n) for t, n in figures if t.metric == "industry-scale"]
    assert scale == [("1000亿", 3)]  # lead, sub-headline and body say it once each


@pytest.mark.parametrize("text, kept", [
    ("对顶尖人才团队给予最高1亿元项目资助。", []),
    ("经认定的企业，最高奖励500万元。", []),
    ("给予不超过200万元的补贴。", []),
    ("按投资额的10%给予最高1000万元支持。", []),
    ("设立规模100亿元的人工智能产业基金。", ["100亿元"]),  # a fund's size is a commitment
    ("对首台套给予300万元奖励，到2025年产业规模达到500亿元。", ["500亿元"]),
    ("研发投入年均增长10%，给予企业支持。", ["10%"]),
])
def test_a_subsidy_the_policy_offers_is_not_a_figure(text, kept):
    """给予最高1亿元资助 was listed as a target of the 'other' metric (seen on a composed
    city plan): a support measure's ceiling is no goal, level or expectation."""
    from policydiff.core.quantities import find_quantities
    from policydiff.core.targets import is_figure

    found = [q.number + q.unit for q in find_quantities(text) if is_figure(q, text)]
    assert found == kept
