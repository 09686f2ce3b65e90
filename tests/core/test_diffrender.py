"""Renderers: Markdown that reads and renders, rich output correct for wide characters."""

from __future__ import annotations

import io
import json

from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

from policydiff.core.worddiff import DELETE, EQUAL, INSERT, diff_passages
from policydiff.render.diff import (
    Side,
    diff_json,
    md_escape,
    ops_markdown,
    ops_text,
    render_markdown,
    render_rich,
)

A = "到2020年实现人工智能重点产业规模超过1000亿。"
B = "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元。"


def _html(md: str) -> str:
    return MarkdownIt("commonmark").render(md)


def test_markdown_marks_render_and_read_plainly() -> None:
    md = render_markdown(diff_passages(A, B), Side("2017-opinions", "h4"), Side("2021-14th-plan"))
    assert "<del>2020年实现</del>" in md and "<ins>2025年，上海</ins>" in md
    html = _html(md)
    assert "<del>2020年实现</del>" in html and "<ins>2025年，上海</ins>" in html
    assert "<td>1000亿</td>" not in html  # the figures table is GFM, plain text in CommonMark
    assert "| 1000亿 | 4000亿元 |" in md


def test_markdown_escapes_syntax_in_policy_text() -> None:
    a = "# 标题 *重点* [链接](x) <b>粗</b> a|b ~~c~~ \\ 1. 项"
    b = a + "新增"
    md = ops_markdown([(EQUAL, a), (INSERT, "新增")])
    html = _html(md)
    assert "<h1>" not in html and "<em>" not in html and "<a " not in html
    assert "<b>" not in html and "&lt;b&gt;" in html and "<ins>新增</ins>" in html
    assert md_escape("1. 项\n- 列表").count("\\") == 2
    assert b.endswith("新增")


def test_markdown_tags_never_span_a_line_break() -> None:
    md = ops_markdown([(DELETE, "第一段。\n\n第二段。"), (INSERT, "新段。\n")])
    assert md == "<del>第一段。</del>\n\n<del>第二段。</del><ins>新段。</ins>\n"


def test_inline_rich_styles_and_markers() -> None:
    d = diff_passages(A, B)
    text = ops_text(d.ops, markers=True)
    plain = text.plain
    assert "[-2020年实现-]{+2025年，上海+}" in plain
    assert any("strike" in str(span.style) for span in text.spans)
    buf = io.StringIO()
    Console(file=buf, width=60, color_system=None).print(render_rich(d, markers=True))
    assert "1000亿" in buf.getvalue() and "4000亿元" in buf.getvalue()


def test_side_by_side_fits_wide_characters() -> None:
    d = diff_passages(A * 3, B * 3)
    buf = io.StringIO()
    console = Console(file=buf, width=50, color_system=None)
    console.print(render_rich(d, Side("a"), Side("b"), side_by_side=True, figures=False))
    lines = buf.getvalue().splitlines()
    widths = {Text(line).cell_len for line in lines if line.strip()}
    assert max(widths) <= 50
    assert len({w for w in widths if w > 40}) == 1  # every table line has the same width


def test_json_shape() -> None:
    d = diff_passages(A, B)
    data = json.loads(json.dumps(diff_json(d, Side("2017-opinions", "h4"), Side("2021-14th-plan",
                                                                            "3.3"))))
    assert data["a"] == {"doc": "2017-opinions", "section": "h4", "text": A}
    assert data["b"]["section"] == "3.3"
    assert "".join(t for op, t in data["ops"] if op != 1) == A
    assert "".join(t for op, t in data["ops"] if op != -1) == B
    assert 0 < data["similarity"] < 1
    figs = {(f["a"], f["b"]) for f in data["figures"]}
    assert ("1000亿", "4000亿元") in figs and ("2020年", "2025年") in figs
    assert data["sentences"][0]["kind"] == "changed"
