"""Renderings of a :class:`~policydiff.core.compare.Comparison`: the 修改前后对照表.

Markdown and HTML give the two-column table analysts paste into a memo (old | new,
deletions struck, insertions marked), each side in its own script as written; runs of
unchanged articles fold into one row (``<details>`` in HTML) so a 200-article law stays
readable. The HTML page is self-contained (inline CSS, no CDN) and prints with every
fold opened. Rich output is for the terminal; JSON is ``Comparison.to_dict``.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from policydiff.core.compare import Chain, Comparison, FigureNote, History, Pair, Unit
from policydiff.core.worddiff import DELETE, EQUAL, INSERT
from policydiff.render.diff import DELETE_STYLE, INSERT_STYLE, md_escape_inline

if TYPE_CHECKING:
    from rich.console import RenderableType

STATUS_ZH = {"unchanged": "未修改", "changed": "修改", "moved": "移动", "renumbered": "条号变化",
             "split": "拆分", "merged": "合并", "added": "新增", "deleted": "删除"}
ISSUE_TEXT = {"qualifier": "stated with another qualifier", "value": "a different figure",
              "absent": "not in the official text"}


def _fold_kind(c: Comparison, p: Pair) -> str:
    """Rows shown folded: unchanged ones, and in a report the official units not reported."""
    if p.status in ("unchanged", "renumbered"):
        # a renumbered article's text is the same too: after one inserted article, every
        # later one is renumbered, and a 200-article law must not show them all in full
        return "text unchanged"
    if c.mode == "report":
        official_only = (p.a and not p.b and c.b.meta.kind == "press") or \
            (p.b and not p.a and c.a.meta.kind == "press")
        if official_only:
            return "not reported"
    return ""


def _blocks(c: Comparison) -> list[tuple[str, list[Pair]]]:
    """Pairs in order, consecutive foldable ones grouped (each other pair alone)."""
    out: list[tuple[str, list[Pair]]] = []
    for p in c.pairs:
        fold = _fold_kind(c, p)
        if fold and out and out[-1][0] == fold:
            out[-1][1].append(p)
        else:
            out.append((fold, [p]))
    return out


def _run_label(run: Sequence[Pair]) -> str:
    def one(p: Pair) -> str:
        b = " + ".join(_name(u) for u in (p.b or p.a))
        if p.renumbered and p.a and p.b:
            return " + ".join(_name(u) for u in p.a) + "→" + b
        return b

    names = [one(p) for p in run]
    if len(names) > 3:
        return f"{names[0]} … {names[-1]}"
    return "、".join(names)


def _run_statuses(run: Sequence[Pair]) -> str:
    """``unchanged 2, renumbered 3`` for a folded run; ``not reported 31`` in a report."""
    if run and (not run[0].a or not run[0].b):
        return f"not reported {len(run)}"
    counts: dict[str, int] = {}
    for p in run:
        counts[p.status] = counts.get(p.status, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def _name(u: Unit) -> str:
    if u.kind == "article":
        return u.heading.split("（")[0].split("(")[0].strip() or u.key
    return (u.heading or u.key)[:24]


def _headings(p: Pair, side: str) -> list[str]:
    units = p.a if side == "a" else p.b
    return [u.label or (u.key if u.kind == "paragraph" else "") for u in units]


def _fig_cell(f: FigureNote, side: str) -> str:
    data = f.to_dict()
    return data[f"{side}_stated"] or "—"


def _titles(c: Comparison) -> tuple[str, str]:
    if c.mode == "report":
        return (f"{c.a.id} ({c.a.meta.kind})", f"{c.b.id} ({c.b.meta.kind})")
    return (f"修改前 · {c.a.id}", f"修改后 · {c.b.id}")


def _summary_lines(c: Comparison) -> list[tuple[str, str]]:
    """(label, text) lines of the summary, shared by every format."""
    s = c.summary
    lines = [("pairs", ", ".join(f"{k} {v}" for k, v in s["counts"].items()))]
    if s["most_changed"]:
        lines.append(("most changed", "; ".join(
            f"{m['pair']} ({m['status']}, {m['similarity']:.0%})" for m in s["most_changed"])))
    lines.append(("figures changed", str(s["figures_changed"])))
    for key, label in (("obligations", "obligations (应当/必须…)"),
                       ("softened", "encouragement (鼓励/支持…)")):
        if s[key]:
            lines.append((label, ", ".join(f"{w} +{v['added']}/−{v['dropped']}"
                                           for w, v in s[key].items())))
    if s["new_actors"]:
        lines.append(("new actors", "、".join(s["new_actors"])))
    if s["dropped_actors"]:
        lines.append(("actors no longer named", "、".join(s["dropped_actors"])))
    return lines


# ---------------------------------------------------------------- Markdown


def _md_runs(runs: Iterable[tuple[int, str]]) -> str:
    out: list[str] = []
    for op, chunk in runs:
        for k, line in enumerate(chunk.split("\n")):
            if k:
                out.append("<br>")
            core = line.strip()
            if not core:
                continue
            text = md_escape_inline(core)
            if op == EQUAL:
                out.append(text)
            else:
                tag = "del" if op == DELETE else "ins"
                out.append(f"<{tag}>{text}</{tag}>")
    return "".join(out)


def _md_side(p: Pair, side: str) -> str:
    heads = [h for h in _headings(p, side) if h]
    runs = p.side_runs(side)
    if not runs:
        return "—"
    if (side == "a" and not p.b) or (side == "b" and not p.a):
        body = _md_runs((EQUAL, t) for _, t in runs)
    else:
        body = _md_runs(runs)
    head = "<br>".join(f"**{md_escape_inline(h)}**" for h in heads)
    return f"{head}<br>{body}" if head else body


def _md_status(p: Pair) -> str:
    extra = []
    if p.a and p.b:
        extra.append(f"{p.similarity:.0%}")
    if p.moved and p.status != "moved":
        extra.append("moved")
    if p.renumbered and p.status != "renumbered":
        extra.append("renumbered")
    return f"{p.status} {STATUS_ZH[p.status]}" + (f" ({', '.join(extra)})" if extra else "")


def render_markdown(c: Comparison) -> str:
    """The comparison as Markdown: summary, then the two-column 对照表."""
    ta, tb = _titles(c)
    lines = [f"# {md_escape_inline(c.a.meta.title)} → {md_escape_inline(c.b.meta.title)}", "",
             f"`{c.a.id}` ({c.a.date}) → `{c.b.id}` ({c.b.date}); "
             f"units: {c.unit_kind_a} / {c.unit_kind_b}; mode: {c.mode}.", ""]
    for note in c.notes:
        lines.append(f"> {md_escape_inline(note)}")
    if c.notes:
        lines.append("")
    lines += ["## Summary", ""]
    for label, text in _summary_lines(c):
        lines.append(f"- **{label}**: {md_escape_inline(text)}")
    lines.append("")
    figs = [(p, f) for p in c.pairs for f in p.figures]
    if figs:
        lines += ["## Figures", "", "| where | before | after | issue | context |",
                  "|---|---|---|---|---|"]
        for p, f in figs:
            cells = [p.label, _fig_cell(f, "a"), _fig_cell(f, "b"),
                     ISSUE_TEXT.get(f.issue, f.issue), f.change.context]
            lines.append("| " + " | ".join(md_escape_inline(x).replace("\n", " ")
                                           for x in cells) + " |")
        lines.append("")
    lines += ["## 对照表", "", f"| {md_escape_inline(ta)} | {md_escape_inline(tb)} | status |",
              "|---|---|---|"]
    folded: dict[str, list[Pair]] = {}
    for fold, run in _blocks(c):
        if fold:
            folded.setdefault(fold, []).extend(run)
            label = _run_label(run)
            lines.append(f"| *{md_escape_inline(label)}* | *{fold} ({len(run)})* | "
                         f"{_run_statuses(run)} |")
            continue
        p = run[0]
        lines.append(f"| {_md_side(p, 'a')} | {_md_side(p, 'b')} | {_md_status(p)} |")
    lines.append("")
    for fold, run in folded.items():
        lines += [f"<details><summary>{fold.capitalize()} ({len(run)})</summary>", "",
                  f"| {md_escape_inline(ta)} | {md_escape_inline(tb)} |", "|---|---|"]
        for p in run:
            lines.append(f"| {_md_side(p, 'a')} | {_md_side(p, 'b')} |")
        lines += ["", "</details>", ""]
    return "\n".join(lines)


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
sans-serif;margin:2em auto;max-width:75em;padding:0 1em;line-height:1.6;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.35em .5em;vertical-align:top;text-align:left}
thead th{background:#f3f3f3}
table.cmp td.side{width:44%}table.cmp td.st{width:12%;font-size:.85em;color:#555}
del{background:#fdd;color:#900;text-decoration:line-through}
ins{background:#dfd;color:#060;text-decoration:none;font-weight:600}
.h{font-weight:700;display:block}.none{color:#999}
tr.added td.st,tr.deleted td.st,tr.split td.st,tr.merged td.st,tr.moved td.st{color:#a40}
details summary{cursor:pointer;color:#555}
.notes{background:#fffbe6;border-left:4px solid #e6c200;padding:.4em .8em}
@media print{body{max-width:none;margin:0}thead{display:table-header-group}
tr{break-inside:avoid}details summary{list-style:none}}
"""
_PRINT_JS = ("<script>addEventListener('beforeprint',()=>document.querySelectorAll('details')"
             ".forEach(d=>d.open=true))</script>")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_runs(runs: Iterable[tuple[int, str]]) -> str:
    out = []
    for op, chunk in runs:
        text = _e(chunk).replace("\n", "<br>")
        if op == EQUAL:
            out.append(text)
        elif op == DELETE:
            out.append(f"<del>{text}</del>")
        else:
            out.append(f"<ins>{text}</ins>")
    return "".join(out)


def _html_side(p: Pair, side: str) -> str:
    runs = p.side_runs(side)
    if not runs:
        return '<span class="none">—</span>'
    heads = "".join(f'<span class="h">{_e(h)}</span>' for h in _headings(p, side) if h)
    lone = (side == "a" and not p.b) or (side == "b" and not p.a)
    body = _e("".join(t for _, t in runs)).replace("\n", "<br>") if lone else _html_runs(runs)
    return heads + body


def _html_row(p: Pair) -> str:
    figs = ""
    if p.figures:
        items = "".join(
            f"<li>{_e(_fig_cell(f, 'a'))} → {_e(_fig_cell(f, 'b'))}"
            f"{' · ' + _e(ISSUE_TEXT.get(f.issue, f.issue)) if f.issue else ''}</li>"
            for f in p.figures)
        figs = f"<ul>{items}</ul>"
    return (f'<tr class="{p.status}"><td class="side">{_html_side(p, "a")}</td>'
            f'<td class="side">{_html_side(p, "b")}</td>'
            f'<td class="st">{_e(_md_status(p))}{figs}</td></tr>')


def render_html(c: Comparison) -> str:
    """One self-contained HTML page: summary, figures, the 对照表 with folded unchanged runs."""
    ta, tb = _titles(c)
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_e(c.a.id)} → {_e(c.b.id)}</title><style>{_CSS}</style>{_PRINT_JS}"
             "</head><body>",
             f"<h1>{_e(c.a.meta.title)} → {_e(c.b.meta.title)}</h1>",
             f"<p><code>{_e(c.a.id)}</code> ({_e(c.a.date)}) → <code>{_e(c.b.id)}</code> "
             f"({_e(c.b.date)}) · units: {_e(c.unit_kind_a)} / {_e(c.unit_kind_b)} · "
             f"mode: {_e(c.mode)}</p>"]
    if c.notes:
        parts.append('<div class="notes">' + "".join(f"<p>{_e(n)}</p>" for n in c.notes)
                     + "</div>")
    parts.append("<h2>Summary</h2><ul>")
    for label, text in _summary_lines(c):
        parts.append(f"<li><b>{_e(label)}</b>: {_e(text)}</li>")
    parts.append("</ul>")
    figs = [(p, f) for p in c.pairs for f in p.figures]
    if figs:
        parts.append("<h2>Figures</h2><table><thead><tr><th>where</th><th>before</th>"
                     "<th>after</th><th>issue</th><th>context</th></tr></thead><tbody>")
        for p, f in figs:
            parts.append(f"<tr><td>{_e(p.label)}</td><td>{_e(_fig_cell(f, 'a'))}</td>"
                         f"<td>{_e(_fig_cell(f, 'b'))}</td>"
                         f"<td>{_e(ISSUE_TEXT.get(f.issue, f.issue))}</td>"
                         f"<td>{_e(f.change.context)}</td></tr>")
        parts.append("</tbody></table>")
    parts.append(f'<h2>对照表</h2><table class="cmp"><thead><tr><th>{_e(ta)}</th>'
                 f"<th>{_e(tb)}</th><th>status</th></tr></thead><tbody>")
    for fold, run in _blocks(c):
        if fold:
            inner = "".join(_html_row(p) for p in run)
            parts.append(f'<tr class="unchanged"><td colspan="3"><details><summary>'
                         f"{_e(_run_statuses(run))}: {_e(_run_label(run))}</summary>"
                         f'<table class="cmp"><tbody>{inner}</tbody></table>'
                         "</details></td></tr>")
        else:
            parts.append(_html_row(run[0]))
    parts.append("</tbody></table></body></html>\n")
    return "\n".join(parts)


# ---------------------------------------------------------------- rich


def _rich_runs(runs: Iterable[tuple[int, str]], markers: bool):  # -> rich.text.Text
    from rich.text import Text

    text = Text()
    for op, chunk in runs:
        if op == EQUAL:
            text.append(chunk)
        else:
            core = chunk.rstrip()
            if markers and core:
                opener, closer = ("[-", "-]") if op == DELETE else ("{+", "+}")
                chunk = f"{opener}{core}{closer}{chunk[len(core):]}"
            text.append(chunk, DELETE_STYLE if op == DELETE else INSERT_STYLE)
    return text


def render_rich(c: Comparison, *, markers: bool = False, show_unchanged: bool = False,
                ) -> RenderableType:
    """The comparison for the terminal: summary, then each changed pair in two columns."""
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    ta, tb = _titles(c)
    parts: list[Any] = [Text(f"{c.a.id} → {c.b.id}", style="bold"),
                        Text(f"{c.a.meta.title} → {c.b.meta.title}", style="dim")]
    for note in c.notes:
        parts.append(Text(f"note: {note}", style="yellow"))
    summary = Table(show_header=False, box=None, pad_edge=False)
    summary.add_column(style="bold", no_wrap=True)
    summary.add_column(overflow="fold")
    for label, text in _summary_lines(c):
        summary.add_row(label, text)
    parts.append(summary)
    for fold, run in _blocks(c):
        if fold and not show_unchanged:
            parts.append(Text(f"= {_run_statuses(run)}: {_run_label(run)}", style="dim"))
            continue
        for p in run:
            parts.append(Rule(Text(f"{p.label}  ·  {_md_status(p)}", style="bold"),
                              align="left"))
            table = Table(expand=True, show_lines=False, header_style="dim", pad_edge=False)
            table.add_column(ta, ratio=1, overflow="fold")
            table.add_column(tb, ratio=1, overflow="fold")
            left = p.side_runs("a")
            right = p.side_runs("b")
            if not p.b:
                left = [(DELETE, "".join(t for _, t in left))]
            if not p.a:
                right = [(INSERT, "".join(t for _, t in right))]
            table.add_row(_rich_runs(left, markers), _rich_runs(right, markers))
            parts.append(table)
            for f in p.figures:
                issue = f"  ({ISSUE_TEXT.get(f.issue, f.issue)})" if f.issue else ""
                parts.append(Text(f"  figure: {_fig_cell(f, 'a')} → {_fig_cell(f, 'b')}"
                                  f"  {f.change.context}{issue}", style="cyan"))
    return Group(*parts)


# ---------------------------------------------------------------- chains


def _chain_cell(h: History, k: int) -> str:
    units = h.versions[k]
    return " + ".join(_name(u) for u in units) or "—"


def render_chain_markdown(chain: Chain) -> str:
    """Each article's history across versions: where it stood, and where it changed."""
    ids = [d.id for d in chain.docs]
    lines = [f"# {' → '.join(ids)}", ""]
    for c in chain.steps:
        counts = ", ".join(f"{k} {v}" for k, v in c.summary["counts"].items())
        lines.append(f"- **{c.a.id} → {c.b.id}**: {counts}")
        for note in c.notes:
            lines.append(f"  - {md_escape_inline(note)}")
    lines += ["", "| " + " | ".join(md_escape_inline(i) for i in ids) + " | changed in |",
              "|" + "---|" * (len(ids) + 1)]
    for h in chain.histories:
        cells = [_chain_cell(h, k) for k in range(len(ids))]
        where = []
        for k, p in enumerate(h.steps):
            if p is not None and p.status != "unchanged":
                where.append(f"{ids[k + 1]} ({p.status})")
        lines.append("| " + " | ".join(md_escape_inline(x) for x in cells) + " | "
                     + md_escape_inline(", ".join(where) or "—") + " |")
    lines += ["", "## Changes, version by version", ""]
    for h in chain.histories:
        for k, p in enumerate(h.steps):
            if p is None or p.status == "unchanged":
                continue
            lines.append(f"### {md_escape_inline(p.label)} — {ids[k]} → {ids[k + 1]}: "
                         f"{_md_status(p)}")
            lines.append("")
            lines.append(f"| {md_escape_inline(ids[k])} | {md_escape_inline(ids[k + 1])} |")
            lines.append("|---|---|")
            lines.append(f"| {_md_side(p, 'a')} | {_md_side(p, 'b')} |")
            lines.append("")
    return "\n".join(lines)


def render_chain_html(chain: Chain) -> str:
    """The chain as one self-contained page (history table, then each step's changes)."""
    ids = [d.id for d in chain.docs]
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>{_e(' → '.join(ids))}</title><style>{_CSS}</style>{_PRINT_JS}"
             "</head><body>", f"<h1>{_e(' → '.join(ids))}</h1><table><thead><tr>"]
    parts.append("".join(f"<th>{_e(i)}</th>" for i in ids) + "<th>changed in</th></tr>"
                 "</thead><tbody>")
    for h in chain.histories:
        where = [f"{ids[k + 1]} ({p.status})" for k, p in enumerate(h.steps)
                 if p is not None and p.status != "unchanged"]
        parts.append("<tr>" + "".join(f"<td>{_e(_chain_cell(h, k))}</td>"
                                      for k in range(len(ids)))
                     + f"<td>{_e(', '.join(where) or '—')}</td></tr>")
    parts.append("</tbody></table>")
    for k, c in enumerate(chain.steps):
        parts.append(f"<h2>{_e(ids[k])} → {_e(ids[k + 1])}</h2>"
                     f'<table class="cmp"><tbody>')
        parts.extend(_html_row(p) for p in c.pairs if p.status != "unchanged")
        parts.append("</tbody></table>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def render_chain_rich(chain: Chain, *, markers: bool = False) -> RenderableType:
    """The history table, then each step as :func:`render_rich` shows it."""
    from rich.console import Group
    from rich.table import Table

    ids = [d.id for d in chain.docs]
    table = Table(title="history", title_justify="left", header_style="bold")
    for i in ids:
        table.add_column(i, overflow="fold")
    table.add_column("changed in", overflow="fold")
    for h in chain.histories:
        where = [f"{ids[k + 1]} ({p.status})" for k, p in enumerate(h.steps)
                 if p is not None and p.status != "unchanged"]
        table.add_row(*[_chain_cell(h, k) for k in range(len(ids))], ", ".join(where) or "—")
    return Group(table, *(render_rich(c, markers=markers) for c in chain.steps))


__all__ = ["render_chain_html", "render_chain_markdown", "render_chain_rich", "render_html",
           "render_markdown", "render_rich"]
