"""The corpus outline: documents in date order, each with its sections nested by heading."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

Ref = tuple[str, str | None]  # (document id, section id or None for the whole document)


class Outline(Tree[Ref]):
    """Highlight a section to scroll the reader to it."""

    class SectionHighlighted(Message):
        def __init__(self, doc: str, section: str | None) -> None:
            super().__init__()
            self.doc = doc
            self.section = section

    def __init__(self, **kwargs):
        super().__init__("corpus", **kwargs)
        self.show_root = False
        self.guide_depth = 2
        self._jumps: list[Ref] = []  # cursor moves made by the app, not the reader
        self._pending = 0  # jumps asked for and not yet made

    def populate(self, documents: list) -> None:
        self.clear()
        for doc in documents:
            label = Text(f"{doc.date[:4]} ", "cyan") + Text(doc.id, "bold")
            node = self.root.add(label, data=(doc.id, None), expand=False)
            nodes = {}
            for section in doc.sections:
                parent = nodes.get(section.parent, node)
                text = Text(f"{section.id} ", "dim") + Text(section.label)
                has_children = any(s.parent == section.id for s in doc.sections)
                if has_children:
                    nodes[section.id] = parent.add(text, data=(doc.id, section.id), expand=True)
                else:
                    nodes[section.id] = parent.add_leaf(text, data=(doc.id, section.id))

    def focus_ref(self, doc: str, section: str | None) -> None:
        """Expand ``doc`` (collapsing the others) and put the cursor on ``section``."""
        for node in self.root.children:
            if node.data and node.data[0] == doc:
                node.expand()
                target = node
                if section:
                    stack = list(node.children)
                    while stack:
                        n = stack.pop(0)
                        if n.data == (doc, section):
                            target = n
                            break
                        stack.extend(n.children)
                self._pending += 1
                self.call_after_refresh(self._jump, target)
            else:
                node.collapse()

    def _jump(self, node: TreeNode[Ref]) -> None:
        """Move the cursor for the app: the highlight it causes is not a reader's move."""
        self._pending = max(0, self._pending - 1)
        if self.cursor_node is not node and node.data is not None:
            self._jumps.append(node.data)
        self.move_cursor(node)

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()
        if event.node.data in self._jumps:
            self._jumps.remove(event.node.data)
            return
        if self._pending:
            # A jump is under way: expanding one document and collapsing another rebuilds
            # the lines, and the cursor line first names whatever node is now at its old
            # row (the reader said "§ p10" for a match in p8). Not a reader's move.
            return
        if event.node.data:
            self.post_message(self.SectionHighlighted(*event.node.data))

    def on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()
