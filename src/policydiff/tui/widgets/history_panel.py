"""The selected alignment's semantic history from git: who changed what, when, and why."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static


def entry_text(entry: Any) -> Text:
    """One history entry: short hash, date, author, message, then its semantic events."""
    text = Text()
    commit = str(getattr(entry, "short", "") or getattr(entry, "sha", "") or "")[:8]
    text.append(f"{commit} ", "yellow")
    date = str(getattr(entry, "date", "") or "")
    text.append(f"{date[:16]} ", "dim")
    text.append(f"{getattr(entry, 'author', '')} ", "cyan")
    text.append(str(getattr(entry, "message", "")).splitlines()[0] if getattr(
        entry, "message", "") else "", "bold")
    for event in getattr(entry, "events", None) or []:
        text.append("\n    • ")
        text.append(str(event))
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
