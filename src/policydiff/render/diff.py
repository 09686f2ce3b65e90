"""Renderings of a wording diff: rich (inline or side by side), Markdown, JSON.

The CLI, the TUI and ``policydiff report`` all show diffs through these functions,
so a deletion looks the same everywhere: struck through in red (``<del>`` in
Markdown), insertions green (``<ins>``). In Markdown the tags are used rather than
``~~``/``**`` because CommonMark's flanking rules ignore emphasis next to Chinese
punctuation (``**，上海**`` stays literal); the tags read plainly and render on
GitHub. When colour is unavailable, rich output can add git-style markers
``[-…-]``/``{+…+}`` so a piped diff still says what changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policydiff.core.worddiff import (
    DELETE,
    EQUAL,
    INSERT,
    FigureChange,
    Op,
    PassageDiff,
    SentencePair,
    merge_ops,
)

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.text import Text

DELETE_STYLE = "strike red"
INSERT_STYLE = "bold green"
MOVED_STYLE = "dim cyan"


@dataclass(frozen=True)
class Side:
    """Where one side of a diff comes from, for headings and JSON."""

    doc: str
    section: str | None = None
    label: str = ""

    @property
    def title(self) -> str:
        where = f"{self.doc}:{self.section}" if self.section else self.doc
        return f"{where} {self.label}".strip()


# ---------------------------------------------------------------- rich


def ops_text(ops: Iterable[Op], side: str = "both", markers: bool = False) -> Text:
    """Ops as a rich Text: ``side`` "a" shows equal + deleted, "b" equal + inserted."""
    from rich.text import Text

    text = Text()
    for op, chunk in ops:
        if op == EQUAL:
            text.append(chunk)
        elif op == DELETE and side in ("both", "a"):
            _append_change(text, chunk, DELETE_STYLE, "[-", "-]", markers)
        elif op == INSERT and side in ("both", "b"):
            _append_change(text, chunk, INSERT_STYLE, "{+", "+}", markers)
    return text


def _append_change(text: Text, chunk: str, style: str, opener: str, closer: str,
                   markers: bool) -> None:
    core = chunk.rstrip()
    if markers and core:
        text.append(f"{opener}{core}{closer}", style)
        text.append(chunk[len(core):])
    else:
        text.append(chunk, style)


def _row_marker(row: SentencePair) -> str:
    if row.moved:
        return "↕ moved "
    if row.kind in ("split", "merge"):
        return f"⇹ {row.kind} "
    return ""


def inline_runs(rows: Sequence[SentencePair]) -> list[tuple[str, list[Op]]]:
    """Rows for inline display: unmarked neighbours merged (one deletion, one insertion)."""
    runs: list[tuple[str, list[Op]]] = []
    for row in rows:
        mark = _row_marker(row)
        if not mark and runs and not runs[-1][0]:
            runs[-1] = ("", merge_ops([*runs[-1][1], *row.ops]))
        else:
            runs.append((mark, list(row.ops)))
    return runs


def figures_table(figures: Sequence[FigureChange]):  # -> rich.table.Table
    """Changed figures as a table: old, new, words around."""
    from rich.table import Table

    table = Table(title="Figures changed", title_justify="left", show_edge=False,
                  header_style="bold")
    table.add_column("before", style="red", no_wrap=True)
    table.add_column("after", style="green", no_wrap=True)
    table.add_column("context", overflow="fold")
    for f in figures:
        table.add_row(f.a.text if f.a else "—", f.b.text if f.b else "—", f.context)
    return table


def render_rich(diff: PassageDiff, a: Side | None = None, b: Side | None = None, *,
                side_by_side: bool = False, markers: bool = False,
                figures: bool = True) -> RenderableType:
    """The diff as a rich renderable: inline (default) or in two columns."""
    from rich.console import Group
    from rich.text import Text

    parts: list[Any] = []
    if a or b:
        head = Text()
        head.append(f"--- {a.title if a else 'a'}\n", "red")
        head.append(f"+++ {b.title if b else 'b'}", "green")
        head.append(f"   similarity {diff.similarity:.0%}", "dim")
        parts.append(head)
    if side_by_side:
        parts.append(_side_by_side(diff, a, b, markers))
    else:
        body = Text()
        for mark, ops in inline_runs(diff.sentences):
            if mark:
                body.append(f"[{mark.strip()}] " if markers else mark, MOVED_STYLE)
            body.append_text(ops_text(ops, "both", markers))
        parts.append(body)
    if figures and diff.figures:
        parts.append(Text())
        parts.append(figures_table(diff.figures))
    return Group(*parts)


def _side_by_side(diff: PassageDiff, a: Side | None, b: Side | None, markers: bool):
    from rich.table import Table
    from rich.text import Text

    table = Table(expand=True, show_lines=True, header_style="bold", pad_edge=False)
    table.add_column(a.title if a else "a", ratio=1, overflow="fold")
    table.add_column(b.title if b else "b", ratio=1, overflow="fold")
    lone: list[SentencePair] = []  # deleted/inserted rows between pairs: one table row

    def flush() -> None:
        if lone:
            ops = merge_ops(op for row in lone for op in row.ops)
            add(ops_text(ops, "a", markers), ops_text(ops, "b", markers), "")
            lone.clear()

    def add(left: Text, right: Text, mark: str) -> None:
        left.rstrip()
        right.rstrip()
        if mark:
            right = Text(mark, MOVED_STYLE) + right
        table.add_row(left, right)

    for row in diff.sentences:
        if row.kind in ("deleted", "inserted") and not row.moved:
            lone.append(row)
            continue
        flush()
        add(ops_text(row.ops, "a", markers), ops_text(row.ops, "b", markers), _row_marker(row))
    flush()
    return table


# ---------------------------------------------------------------- Markdown

_MD_ALWAYS = re.compile(r"([\\`*_\[\]<>|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def md_escape_inline(text: str) -> str:
    """Escape inline Markdown (emphasis, links, HTML, pipes, code): enough for table cells."""
    return _MD_ALWAYS.sub(r"\\\1", text)


def md_escape(text: str) -> str:
    """Escape Markdown syntax so the text renders literally (CommonMark/GFM)."""
    text = md_escape_inline(text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + re.sub(r"([#>+=.)-])", r"\\\1",
                                                            m.group(2)), text)


def ops_markdown(ops: Iterable[Op]) -> str:
    """Ops as Markdown: ``<del>`` and ``<ins>`` never span a line break."""
    out: list[str] = []
    for op, chunk in ops:
        for k, line in enumerate(chunk.split("\n")):
            if k:
                out.append("\n")
            if not line:
                continue
            core = line.strip()
            lead = line[: len(line) - len(line.lstrip())]
            trail = line[len(lead) + len(core):]
            if op == EQUAL or not core:
                out.append(md_escape(line))
            else:
                tag = "del" if op == DELETE else "ins"
                out.append(f"{lead}<{tag}>{md_escape(core)}</{tag}>{trail}")
    return "".join(out)


def render_markdown(diff: PassageDiff, a: Side | None = None, b: Side | None = None, *,
                    heading_level: int = 3, figures: bool = True) -> str:
    """The diff as safe Markdown: a heading, the inline diff, a table of changed figures."""
    lines: list[str] = []
    if a or b:
        h = "#" * heading_level
        lines.append(f"{h} {md_escape(a.title if a else 'a')} → {md_escape(b.title if b else 'b')}")
        lines.append("")
        lines.append(f"Similarity {diff.similarity:.0%}.")
        lines.append("")
    body: list[str] = []
    for mark, ops in inline_runs(diff.sentences):
        prefix = f"*({mark.strip()})* " if mark else ""
        body.append(prefix + ops_markdown(ops))
    lines.append("".join(body).rstrip("\n"))
    if figures and diff.figures:
        lines += ["", "| before | after | context |", "|---|---|---|"]
        for f in diff.figures:
            cells = [f.a.text if f.a else "—", f.b.text if f.b else "—", f.context]
            lines.append("| " + " | ".join(md_escape(c).replace("\n", " ") for c in cells)
                         + " |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- JSON


def diff_json(diff: PassageDiff, a: Side, b: Side) -> dict[str, Any]:
    """The JSON shape of issue 5: sides, ops, similarity, figures, sentences."""
    data = diff.to_dict()
    return {
        "a": {"doc": a.doc, "section": a.section, "text": diff.a},
        "b": {"doc": b.doc, "section": b.section, "text": diff.b},
        **data,
    }
