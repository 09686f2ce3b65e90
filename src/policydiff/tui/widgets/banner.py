"""A banner listing what is broken (``file:line: message``) while the rest keeps working."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

MAX_LINES = 3


class ProblemBanner(Static):
    """Shows the app's problem lines; hidden when there are none."""

    def on_mount(self) -> None:
        self.watch(self.app, "problems", self._show, init=True)

    def _show(self, problems: tuple[str, ...]) -> None:
        self.display = bool(problems)
        if not problems:
            return
        text = Text()
        for k, line in enumerate(problems[:MAX_LINES]):
            if k:
                text.append("\n")
            text.append("⚠ ", "bold")
            text.append(line)
        if len(problems) > MAX_LINES:
            text.append(f"\n… and {len(problems) - MAX_LINES} more (run `policydiff check`)")
        self.update(text)
