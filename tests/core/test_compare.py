"""policydiff compare: units, matching by content, statuses, figures, renderers, CLI, bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policydiff.cli import cli
from policydiff.core.compare import (
    actors,
    compare_chain,
    compare_documents,
    document_units,
    strip_markup,
)
from policydiff.core.normalize import normalize, normalize_map, to_simplified
from policydiff.store.corpus import load_corpus, parse_document

DATA = Path(__file__).resolve().parents[1] / "data" / "compare"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DATA)


def _doc(doc_id: str, body: str, kind: str = "official", date: str = "2022-01-01"):
    return parse_document(f"---\nid: {doc_id}\ntitle: {doc_id}\ndate: '{date}'\nkind: {kind}\n"
                          f"---\n\n{body}")


def _by_key(c, side: str) -> dict[str, object]:
    return {u.key: p for p in c.pairs for u in (p.a if side == "a" else p.b)}


# ---------------------------------------------------------------- normalize


def test_normalize_folds_script_width_and_spacing() -> None:
    assert normalize("第一條（立法目的）為了促進發展") == "第一条（立法目的）为了促进发展"
    assert normalize("到２０２５年，达到(左右) 1,000 个") == "到2025年，达到（左右）1,000个"
    assert normalize(" 人工 智能\n产业 ") == "人工智能产业"
    assert normalize("AI 芯片") == normalize("AI芯片")
    assert to_simplified("臺灣發展") == "台湾发展"


_ALPHABET = "第一條為了發展規劃２０２５年人工智能 ，,()（）\n\u3000abAB12%"


@given(st.text(alphabet=_ALPHABET, max_size=60))
def test_normalize_map_points_into_the_original(text: str) -> None:
    norm, where = normalize_map(text)
    assert len(where) == len(norm) + 1 and where[-1] == len(text)
    assert all(0 <= i < len(text) for i in where[:-1])
    assert where[:-1] == sorted(where[:-1])
    assert normalize(norm) == norm  # idempotent


def test_strip_markup() -> None:
    assert strip_markup("### 第一条") == "第一条"
    assert strip_markup("- **应当**加强[管理](http://x)") == "应当加强管理"


# ---------------------------------------------------------------- units and matching


def test_articles_are_units_in_either_script(corpus) -> None:
    draft = document_units(corpus.get("ai-reg-draft"))
    assert draft.mode == "articles"
    keys = [u.key for u in draft.units if u.kind == "article"]
    assert keys == [f"a{n}" for n in range(1, 22)]
    first = next(u for u in draft.units if u.key == "a1")
    assert first.heading == "第一條（立法目的）" and first.label == "第一條"
    assert first.norm.startswith("（立法目的）\n为了促进")


def test_plan_sections_and_paragraphs(corpus) -> None:
    plan = document_units(corpus.get("dig-plan-draft"))
    assert plan.mode == "sections"
    assert "3.1.2" in [u.key for u in plan.units] and "3" not in [u.key for u in plan.units]
    press = document_units(corpus.get("robot-news"))
    assert press.mode == "paragraphs" and press.units[0].key == "p1"


def test_inline_articles_without_article_headings() -> None:
    doc = _doc("inline", "## 第一章 总则\n\n第一条　为了规范管理，制定本办法。\n\n"
                         "第二条　本办法适用于本市。\n\n（一）第一项；\n\n"
                         "第三条　本办法自公布之日起施行。\n")
    units = document_units(doc)
    assert units.mode == "articles"
    assert [u.key for u in units.units] == ["a1", "a2", "a3"]
    assert "（一）第一项" in units.units[1].text


def test_script_differences_are_never_changes(corpus) -> None:
    c = compare_documents(corpus.get("eldercare-draft"), corpus.get("eldercare-final"))
    a1 = _by_key(c, "a")["a1"]
    assert a1.status == "unchanged" and a1.similarity == 1.0
    a10 = _by_key(c, "a")["a10"]  # ２０２２ in full width on the final side
    assert a10.status == "changed"
    assert [(f.change.a.text, f.change.b.text) for f in a10.figures] == [("1200个左右", "1600个")]
    # every changed op is a real change, not a script or width variant
    for p in c.pairs:
        for op, text in p.ops:
            if op != 0:
                assert all(normalize(line) == line for line in text.split("\n"))


def test_statuses_of_the_draft_and_final(corpus) -> None:
    c = compare_documents(corpus.get("ai-reg-draft"), corpus.get("ai-reg-final"))
    by_a = _by_key(c, "a")
    assert by_a["a1"].status == "changed"  # caption dropped: a change, not a new article
    assert by_a["a5"].status == "renumbered"
    assert by_a["a9"].status == "moved" and by_a["a9"].b[0].key == "a13"
    assert by_a["a11"].status == "split" and [u.key for u in by_a["a11"].b] == ["a10", "a11"]
    assert by_a["a7"] is by_a["a8"] and by_a["a7"].status == "merged"
    assert by_a["a13"].status == "deleted"
    assert _by_key(c, "b")["a21"].status == "added"
    s = c.summary
    assert s["counts"]["split"] == 1 and s["counts"]["merged"] == 1
    assert s["obligations"]["应当"]["added"] >= 1  # 可以开展 → 应当开展
    assert "市科技部门" in s["new_actors"]
    figs = {(f["a"], f["b"]) for f in s["figures"]}
    assert ("500万元", "1000万元") in figs and ("50个", "100个") in figs


def test_figures_of_unpaired_sentences_are_listed() -> None:
    from policydiff.core.worddiff import diff_passages

    d = diff_passages("到2025年建成10个园区。其他内容不变。",
                      "其他内容不变。新增一句话，培育30个企业。")
    assert [s.kind for s in d.sentences] == ["deleted", "equal", "inserted"]
    # a deleted and an inserted figure of one family pair up; a lone one stays lone
    assert [str(f) for f in d.figures] == ["2025年 → ∅", "10个 → 30个"]


def test_unchanged_articles_are_listed(corpus) -> None:
    c = compare_documents(corpus.get("ai-reg-draft"), corpus.get("ai-reg-final"))
    unchanged = [p for p in c.pairs if p.status == "unchanged"]
    assert len(unchanged) == 6


def test_side_runs_show_each_side_as_written(corpus) -> None:
    c = compare_documents(corpus.get("ai-reg-draft"), corpus.get("ai-reg-final"))
    p = _by_key(c, "a")["a6"]
    left = "".join(t for _, t in p.side_runs("a"))
    right = "".join(t for _, t in p.side_runs("b"))
    assert "5個以上" in left and "統籌規劃" in left
    assert "8个以上" in right and "统筹规划" in right
    assert (-1, "5個以上") in p.side_runs("a")


def test_markdown_markup_never_appears_as_text() -> None:
    a = _doc("ma", "# 标题\n\n## 一、总体要求\n\n**加强**组织领导。\n\n"
                   "## 二、保障措施\n\n- 加大资金投入。\n")
    b = _doc("mb", "# 标题\n\n## 一、总体要求\n\n加强组织领导，强化统筹。\n\n"
                   "## 二、保障措施\n\n加大资金投入。\n")
    c = compare_documents(a, b)
    for p in c.pairs:
        for _, text in p.ops:
            assert "#" not in text and "**" not in text and not text.startswith("- ")
    assert [p.status for p in c.pairs] == ["changed", "unchanged"]


# ---------------------------------------------------------------- hypothesis: matching is stable

_LAW = (DATA / "corpus" / "eldercare-draft.md").read_text(encoding="utf-8")


def _articles(text: str) -> list[tuple[str, str]]:
    """(caption, body) of each article of a corpus law file."""
    out = []
    for m in re.finditer(r"^### 第[^（\n]+条(（[^）]+）)?\n\n(.+?)(?=\n\n#|\Z)", text, re.M | re.S):
        out.append((m.group(1) or "", m.group(2).strip()))
    return out


def _law(articles: list[tuple[str, str]], traditional: set[int], doc_id: str):
    import cn2an
    import opencc

    t = opencc.OpenCC("s2t")
    lines = []
    for n, (caption, body) in enumerate(articles, 1):
        head = f"第{cn2an.an2cn(n)}条{caption}"
        if n - 1 in traditional:
            head, body = t.convert(head), t.convert(body)
        lines.append(f"### {head}\n\n{body}\n")
    return _doc(doc_id, "\n".join(lines))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_shuffling_renumbering_rescripting_keep_the_matching(data) -> None:
    arts = _articles(_LAW)
    assert len(arts) == 19
    order = data.draw(st.permutations(range(len(arts))))
    trad = data.draw(st.sets(st.integers(0, len(arts) - 1)))
    a = _law(arts, set(), "law-a")
    b = _law([arts[k] for k in order], trad, "law-b")
    c = compare_documents(a, b)
    got = {(p.a[0].key, p.b[0].key) for p in c.pairs if p.a and p.b}
    want = {(f"a{k + 1}", f"a{pos + 1}") for pos, k in enumerate(order)}
    assert got == want
    for p in c.pairs:
        assert p.status in ("unchanged", "renumbered", "moved")
        assert p.similarity == 1.0


# ---------------------------------------------------------------- bad input and edge cases


def test_self_comparison_says_so(corpus) -> None:
    d = corpus.get("eldercare-draft")
    c = compare_documents(d, d)
    assert {p.status for p in c.pairs} == {"unchanged"}
    assert any("itself" in n for n in c.notes)


def test_unrelated_documents_pair_nothing(corpus) -> None:
    c = compare_documents(corpus.get("eldercare-draft"), corpus.get("dig-plan-final"),
                          mode="versions")
    assert not [p for p in c.pairs if p.a and p.b]
    assert any("share no" in n for n in c.notes)
    assert any("different policies" in n for n in c.notes)


def test_document_without_structure_falls_back_to_paragraphs() -> None:
    a = _doc("flat-a", "本市推进数据开放。\n\n到2025年开放数据集1000个。\n")
    b = _doc("flat-b", "到2025年开放数据集2000个。\n\n本市推进数据开放。\n")
    c = compare_documents(a, b)
    assert c.mode == "versions" and c.unit_kind_a == "paragraphs"
    assert any("no headings" in n for n in c.notes)
    assert sorted(p.status for p in c.pairs) == ["changed", "moved"]


def test_report_mode_maps_paragraphs_and_flags_figures(corpus) -> None:
    c = compare_documents(corpus.get("robot-plan"), corpus.get("robot-news"))
    assert c.mode == "report"
    issues = {(f.change.b.text if f.change.b else None, f.issue)
              for p in c.pairs for f in p.figures}
    assert ("6个", "qualifier") in issues and ("50亿元", "absent") in issues
    assert ("500万元", "value") in issues


def test_chain_history_says_where_each_change_happened(corpus, tmp_path: Path) -> None:
    final = (DATA / "corpus" / "eldercare-final.md").read_text(encoding="utf-8")
    amended = final.replace("id: eldercare-final", "id: eldercare-2024") \
        .replace("date: '2020-12-30'", "date: '2024-05-01'").replace("1600個", "2000個")
    assert amended.count("2000個") == 1
    docs = [parse_document(amended), corpus.get("eldercare-final"), corpus.get("eldercare-draft")]
    chain = compare_chain(docs)
    assert [d.id for d in chain.docs] == ["eldercare-draft", "eldercare-final", "eldercare-2024"]
    meal = next(h for h in chain.histories if h.versions[0] and h.versions[0][0].key == "a10")
    assert [u.key for u in meal.versions[2]] == ["a11"]
    assert meal.changed_in == [1, 2]
    purpose = next(h for h in chain.histories if h.versions[0] and h.versions[0][0].key == "a1")
    assert purpose.changed_in == []
    data = chain.to_dict()
    assert data["docs"][0] == "eldercare-draft" and data["histories"]


def test_actors() -> None:
    assert "市经济信息化部门" in actors("由市经济信息化部门会同市科技部门设立委员会。")
    assert actors("优化产业布局，持续举办论坛。") == []


# ---------------------------------------------------------------- CLI and renderers


def _run(*args: str):
    return CliRunner().invoke(cli, ["--root", str(DATA), "compare", *args])


def test_cli_json_shape() -> None:
    r = _run("ai-reg-draft", "ai-reg-final", "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["a"] == "ai-reg-draft" and data["b"] == "ai-reg-final"
    assert {"summary", "pairs", "notes", "mode"} <= set(data)
    p = data["pairs"][1]
    assert {"status", "a", "b", "similarity", "ops", "figures"} <= set(p)
    assert {"section", "heading"} <= set(p["a"])
    assert all(op in (-1, 0, 1) for op, _ in p["ops"])


def test_cli_markdown_and_html(tmp_path: Path) -> None:
    r = _run("ai-reg-draft", "ai-reg-final", "--format", "md")
    assert r.exit_code == 0
    assert "| 修改前 · ai-reg-draft | 修改后 · ai-reg-final | status |" in r.stdout
    assert "<del>5個以上</del>" in r.stdout and "<ins>8个以上</ins>" in r.stdout
    assert "{+#+}" not in r.stdout and "\n| ### " not in r.stdout
    out = tmp_path / "cmp.html"
    r = _run("ai-reg-draft", "ai-reg-final", "--format", "html", "-o", str(out))
    assert r.exit_code == 0 and out.exists()
    page = out.read_text(encoding="utf-8")
    assert "<details>" in page and "<del>" in page and "<ins>" in page
    assert not re.search(r"(src|href)=\"https?://", page)  # self-contained


def test_cli_rich_and_chain() -> None:
    r = _run("dig-plan-draft", "dig-plan-final")
    assert r.exit_code == 0 and "unchanged" in r.stdout
    r = _run("eldercare-draft", "eldercare-final", "ai-reg-draft", "--format", "md")
    assert r.exit_code == 0 and "changed in" in r.stdout


def test_cli_bad_input_is_one_line_exit_2(tmp_path: Path) -> None:
    r = _run("eldercare-draft", "no-such-doc")
    assert r.exit_code == 2
    assert r.stderr.strip().count("\n") == 0 and "unknown document 'no-such-doc'" in r.stderr
    r = _run("eldercare-draft")
    assert r.exit_code == 2 and r.stderr.count("\n") == 1
    r = _run("eldercare-draft", "eldercare-final", "-o", str(tmp_path / "x.txt"))
    assert r.exit_code == 2 and r.stderr.count("\n") == 1


def test_cli_accepts_paths(tmp_path: Path) -> None:
    a = tmp_path / "a.md"
    shutil.copy(DATA / "corpus" / "eldercare-draft.md", a)
    r = CliRunner().invoke(cli, ["compare", str(a), str(a), "--format", "json"])
    assert r.exit_code == 0
    assert "itself" in r.stderr


def test_markdown_table_renders_as_one_table(corpus) -> None:
    from markdown_it import MarkdownIt

    from policydiff.render.compare import render_markdown

    c = compare_documents(corpus.get("eldercare-draft"), corpus.get("eldercare-final"))
    md = render_markdown(c)
    html = MarkdownIt("commonmark").enable("table").render(md)
    table = html.split("<h2>对照表</h2>")[1].split("</table>")[0]
    # one row per pair that is shown, one per folded run; three cells each
    assert table.count("<tr>") == 1 + len([ln for ln in md.split("## 对照表")[1]
                                           .split("<details>")[0].splitlines()
                                           if ln.startswith("| ") and "修改前" not in ln])
    assert all(row.count("<td") == 3 for row in table.split("<tr>")[2:])
    assert "<del>1200个左右</del>" in html and "<ins>1600個</ins>" in html
