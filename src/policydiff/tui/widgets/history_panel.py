"""The selected alignment's semantic history from git: who changed what, when, and why."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def entry_text(entry: Any) -> Text:
    """One history entry: short hash, date, author, message, then its semantic events."""
    text = Text()
    text.append(f"{entry.short} ", "yellow")
    text.append(f"{entry.date[:16].replace('T', ' ')} ", "dim")
    text.append(f"{entry.author} ", "cyan")
    text.append(entry.message.splitlines()[0] if entry.message else "", "bold")
    for change in entry.changes:
        text.append("\n    • ")
        text.append(change.summary)
    return text


class HistoryPanel(Static):
    """Commits that changed the alignment, newest first."""

    def show(self, entries: list[Any] | None, problem: str = "") -> None:
        if problem:
            self.update(Text(problem, "dim italic"))
            return
        if entries is None:
            self.update(Text("Reading history…", "dim italic"))
            return
        if not entries:
            self.update(Text("No commit has changed this alignment yet.", "dim italic"))
            return
        out = Text()
        for k, e in enumerate(entries):
            if k:
                out.append("\n")
            out.append_text(entry_text(e))
        self.update(out)
