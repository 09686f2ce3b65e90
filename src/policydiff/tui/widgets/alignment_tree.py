"""Themes and their alignments as a tree, each alignment with its status badge."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree

BADGES = {"accepted": ("✓", "bold green"), "proposed": ("?", "bold yellow"),
          "rejected": ("✗", "bold red")}


def badge(status: str) -> Text:
    glyph, style = BADGES.get(status, ("·", "dim"))
    return Text(glyph, style)


def theme_label(theme, alignments: list) -> Text:
    label = Text()
    label.append(f"{theme.name_zh} ", "bold")
    label.append(theme.id)
    label.append(f" ({len(alignments)}) ", "dim")
    for status in BADGES:
        n = sum(1 for a in alignments if a.status == status)
        if n:
            label.append_text(badge(status))
            label.append(f"{n} ")
    return label


def alignment_label(al) -> Text:
    return badge(al.status) + Text(f" {al.id} ", "bold") + Text(al.label or "")


class AlignmentTree(Tree[tuple[str, str]]):
    """Theme nodes (with counts by status) holding alignment leaves."""

    class Highlighted(Message):
        """The cursor is on an alignment."""

        def __init__(self, alignment_id: str) -> None:
            super().__init__()
            self.alignment_id = alignment_id

    class ThemeHighlighted(Message):
        """The cursor is on a theme's header row: no single alignment is shown."""

        def __init__(self, theme_id: str) -> None:
            super().__init__()
            self.theme_id = theme_id

    class Chosen(Message):
        """An alignment was chosen (enter or click): open it."""

        def __init__(self, alignment_id: str) -> None:
            super().__init__()
            self.alignment_id = alignment_id

    def __init__(self, **kwargs):
        super().__init__("themes", **kwargs)
        self.show_root = False
        self.guide_depth = 2

    def populate(self, themes: list, alignments_of, selected: str | None = None) -> None:
        """Rebuild from ``themes`` and ``alignments_of(theme)``; cursor on ``selected``."""
        self.clear()
        target = None
        for theme in themes:
            alignments = alignments_of(theme.id)
            node = self.root.add(theme_label(theme, alignments), data=("theme", theme.id),
                                 expand=True)
            for al in alignments:
                leaf = node.add_leaf(alignment_label(al), data=("alignment", al.id))
                if al.id == selected:
                    target = leaf
        if target is not None:
            self.call_after_refresh(self.move_cursor, target)

    def refresh_labels(self, themes: list, alignments_of) -> None:
        """Update badges and counts in place (after a status change), keeping the cursor."""
        by_id = {t.id: t for t in themes}
        for node in self.root.children:
            theme = by_id.get(node.data[1]) if node.data else None
            if theme is None:
                continue
            alignments = {a.id: a for a in alignments_of(theme.id)}
            node.set_label(theme_label(theme, list(alignments.values())))
            for leaf in node.children:
                al = alignments.get(leaf.data[1]) if leaf.data else None
                if al is not None:
                    leaf.set_label(alignment_label(al))

    @property
    def cursor_alignment(self) -> str | None:
        """The alignment under the cursor (None on a theme row)."""
        node = self.cursor_node
        if node is not None and node.data and node.data[0] == "alignment":
            return node.data[1]
        return None

    def select_alignment(self, alignment_id: str) -> None:
        """Move the cursor to ``alignment_id`` (expanding its theme)."""
        if self.cursor_alignment == alignment_id:
            return
        for node in self.root.children:
            for leaf in node.children:
                if leaf.data == ("alignment", alignment_id):
                    if not node.is_expanded:  # expand() re-lays the whole tree out: only if shut
                        node.expand()
                    self.call_after_refresh(self.move_cursor, leaf)
                    return

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "alignment":
            self.post_message(self.Highlighted(event.node.data[1]))
        elif event.node.data and event.node.data[0] == "theme":
            self.post_message(self.ThemeHighlighted(event.node.data[1]))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data and event.node.data[0] == "alignment":
            self.post_message(self.Chosen(event.node.data[1]))
