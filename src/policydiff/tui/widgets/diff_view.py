"""A wording diff, inline or side by side, one row per sentence pair; rows with changes marked.

Rendering goes through :mod:`policydiff.render.diff` (``ops_text``, ``figures_table``) so
a deletion looks the same here as on the CLI and in the report; this widget only
lays the rows out so that next/previous change can move between them.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Static

from policydiff.core.worddiff import EQUAL, Op, PassageDiff, merge_ops
from policydiff.render.diff import MOVED_STYLE, figures_table, ops_text
from policydiff.tui.widgets.wrapped import WrappedText


def no_color() -> bool:
    """NO_COLOR is set (https://no-color.org): changes need [-…-]{+…+} marks to be seen."""
    return bool(os.environ.get("NO_COLOR"))


@dataclass(frozen=True)
class Row:
    """One displayed row: a sentence pair, or neighbouring lone deletions/insertions merged."""

    mark: str
    ops: list[Op]

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.ops)


def display_rows(diff: PassageDiff) -> list[Row]:
    """Rows of a passage diff: one per pair; lone deleted/inserted sentences merged."""
    rows: list[Row] = []
    lone: list[Op] = []
    for pair in diff.sentences:
        if pair.kind in ("deleted", "inserted") and not pair.moved:
            lone.extend(pair.ops)
            continue
        if lone:
            rows.append(Row("", merge_ops(lone)))
            lone = []
        mark = "↕ moved " if pair.moved else (f"⇹ {pair.kind} " if pair.kind in ("split", "merge")
                                              else "")
        rows.append(Row(mark, list(pair.ops)))
    if lone:
        rows.append(Row("", merge_ops(lone)))
    return rows


def _cell(row: Row, side: str) -> Text:
    text = Text(row.mark, MOVED_STYLE) if row.mark and side != "a" else Text()
    text.append_text(ops_text(row.ops, side, markers=no_color()))
    text.rstrip()
    return text


class DiffView(VerticalScroll):
    """The steps of an evolution chain (or one of them), rows focusable by next/previous."""

    can_focus = True

    class ChangeMoved(Message):
        """The current change moved: ``index`` of ``total`` (1-based)."""

        def __init__(self, index: int, total: int) -> None:
            super().__init__()
            self.index = index
            self.total = total

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.current = -1

    @property
    def changes(self) -> list:
        return list(self.query(".change"))

    async def show_steps(self, steps: list, side_by_side: bool) -> None:
        """Replace the content with ``steps`` (evolution Steps), inline or in two columns."""
        await self.remove_children()
        self.current = -1
        widgets: list[Static | WrappedText | Horizontal] = []
        for step in steps:
            widgets.append(Static(self._heading(step), classes="step-head"))
            widgets += _diff_widgets(display_rows(step.diff), step.diff, side_by_side)
        await self.mount_all(widgets)
        self.scroll_home(animate=False)
        self.post_message(self.ChangeMoved(0, len(self.changes)))

    async def show_pair(self, pair: Any, doc_a: str, doc_b: str, side_by_side: bool) -> None:
        """Replace the content with one pair of a document comparison (``core.compare.Pair``).

        Added and deleted units have no diff: their text is one inserted or deleted row."""
        await self.remove_children()
        self.current = -1
        head = Text()
        head.append(f"--- {doc_a}", "bold red")
        left = " + ".join(u.heading or u.key for u in pair.a)
        head.append(f" § {left}" if left else " (none)", "red")
        head.append("\n")
        head.append(f"+++ {doc_b}", "bold green")
        right = " + ".join(u.heading or u.key for u in pair.b)
        head.append(f" § {right}" if right else " (none)", "green")
        head.append(f"\n{pair.status}", "bold")
        if pair.a and pair.b:
            head.append(f"   similarity {pair.similarity:.0%}", "dim")
        if pair.figures:
            head.append(f"   {len(pair.figures)} figure(s) changed", "bold yellow")
        widgets: list[Static | WrappedText | Horizontal] = [Static(head, classes="step-head")]
        rows = display_rows(pair.diff) if pair.diff is not None else [Row("", pair.ops)]
        widgets += _diff_widgets(rows, pair.diff, side_by_side)
        await self.mount_all(widgets)
        self.scroll_home(animate=False)
        self.post_message(self.ChangeMoved(0, len(self.changes)))

    def show_message(self, message: str) -> None:
        self.remove_children()
        self.mount(Static(Text(message, "dim italic"), classes="row"))

    @staticmethod
    def _heading(step) -> Text:
        head = Text()
        head.append(f"--- {step.a.date} {step.a.doc}", "bold red")
        if step.a.section:
            head.append(f" § {step.a.section}", "red")
        head.append("\n")
        head.append(f"+++ {step.b.date} {step.b.doc}", "bold green")
        if step.b.section:
            head.append(f" § {step.b.section}", "green")
        head.append(f"   similarity {step.diff.similarity:.0%}", "dim")
        if step.diff.figures:
            head.append(f"   {len(step.diff.figures)} figure(s) changed", "bold yellow")
        if step.skipped:
            head.append(f"\n(silent in between: {', '.join(v.doc for v in step.skipped)})",
                        "dim")
        return head

    def move_change(self, delta: int) -> None:
        changes = self.changes
        if not changes:
            self.notify("No change here.", severity="information")
            return
        if 0 <= self.current < len(changes):
            changes[self.current].remove_class("-current")
        self.current = max(0, min(len(changes) - 1, self.current + delta))
        target = changes[self.current]
        target.add_class("-current")
        self.scroll_to_widget(target, animate=False, top=False)
        self.post_message(self.ChangeMoved(self.current + 1, len(changes)))


def _diff_widgets(rows: list[Any], diff: Any, side_by_side: bool,
                  ) -> list[Static | WrappedText | Horizontal]:
    """The rows of one diff (inline or two columns), its figures table and a no-change line.

    ``diff`` is a :class:`~policydiff.core.worddiff.PassageDiff`, or None for an added or
    deleted unit of a document comparison (its rows stand alone)."""
    out: list[Static | WrappedText | Horizontal] = []
    for row in rows:
        classes = "row change" if row.changed else "row"
        if side_by_side:
            out.append(Horizontal(WrappedText(_cell(row, "a"), classes="cell side-a"),
                                  WrappedText(_cell(row, "b"), classes="cell side-b"),
                                  classes=classes + " sbs"))
        else:
            out.append(WrappedText(_cell(row, "both"), classes=classes))
    if diff is not None and diff.figures:
        out.append(Static(figures_table(diff.figures), classes="figures"))
    if diff is not None and not diff.changed:
        out.append(Static(Text("(no change in wording)", "dim"), classes="row"))
    return out
