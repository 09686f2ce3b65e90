"""The one-line bar naming the views and their keys; click a name to switch."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

VIEWS = (("1", "themes", "Themes"), ("2", "compare", "Compare"), ("3", "targets", "Targets"),
         ("4", "reader", "Reader"), ("5", "review", "Review"), ("6", "coverage", "Coverage"))


class ViewTabs(Static):
    """Current view highlighted; each name is a link to its mode."""

    def __init__(self, current: str, **kwargs):
        super().__init__(**kwargs)
        self.current = current

    def on_mount(self) -> None:
        parts = []
        for key, mode, name in VIEWS:  # fixed names: safe to write as markup
            click = f"@click=app.switch_mode('{mode}')"
            if mode == self.current:
                parts.append(Content.from_markup(f"[reverse bold {click}] {key} {name} [/]"))
            else:
                parts.append(Content.from_markup(f"[{click}] [dim]{key}[/dim] {name} [/]"))
        self.update(Content(" ").join(parts))
