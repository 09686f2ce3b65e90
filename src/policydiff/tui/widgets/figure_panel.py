"""The figure under the Targets cursor: its sentence, who says it, its scope and its verdict.

An analyst must not put 重点产业规模 beside 规上产业规模 without noticing: the panel
warns when the figures of one metric measure different scopes or places, and shows
the progress verdict (met / not met / not comparable) with the figure it rests on.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.text import Text
from textual.widgets import Static

VERDICT_STYLES = {"met": "bold green", "not met": "bold red"}


def figure_key(t: Any) -> tuple[str, int, int]:
    """A figure's identity across tables (document and place in its body)."""
    return (t.doc, t.start, t.end)


def scope_warnings(figures: Sequence[Any]) -> list[str]:
    """Where one metric's figures do not measure the same thing: scope or jurisdiction."""
    out = []
    for attr, what in (("scope", "scope"), ("jurisdiction", "place")):
        seen: dict[str, list[str]] = {}
        for t in figures:
            seen.setdefault(getattr(t, attr) or "—", [])
            if t.doc not in seen[getattr(t, attr) or "—"]:
                seen[getattr(t, attr) or "—"].append(t.doc)
        if len(seen) > 1:
            parts = "; ".join(f"{k} ({', '.join(v)})" for k, v in seen.items())
            out.append(f"{what} differs: {parts} — not one series")
    return out


def sentence_text(t: Any) -> Text:
    """The source sentence with the figure picked out."""
    sentence = (t.text or "").strip()  # ``t.sentence`` is its place (3.3/2.3), not its text
    text = Text("“", "dim")
    at = sentence.find(t.figure) if t.figure else -1
    if at < 0:
        text.append(sentence)
    else:
        text.append(sentence[:at])
        text.append(t.figure, "bold reverse")
        text.append(sentence[at + len(t.figure):])
    text.append("”", "dim")
    if t.section:
        text.append(f" §{t.section}", "cyan")
    return text


def figure_text(t: Any, progress: Any | None) -> Text:
    """One figure: value, kind and deadline, scope, place, policy, speaker, verdict, source."""
    text = Text()
    text.append(t.figure, "bold")
    when = f" → {t.year}" if t.kind == "target" and t.year else (f" @ {t.year}" if t.year else "")
    text.append(f"  {t.kind}{when}", "green" if t.kind == "target" else "dim")
    facts = [("scope", t.scope), ("place", t.jurisdiction), ("policy", t.policy),
             ("said by", t.speaker)]
    for name, value in facts:
        if value:
            text.append(f"  {name}: ", "dim")
            text.append(value)
    if t.source != "extracted":
        text.append(f"  ({t.source})", "magenta")
    if progress is not None:
        text.append("\n  verdict: ", "dim")
        text.append(progress.verdict, VERDICT_STYLES.get(progress.verdict, "yellow"))
        if progress.compared is not None:
            c = progress.compared
            text.append(f" vs {c.figure} @ {c.year} ({c.doc})", "dim")
        if progress.cagr is not None:
            text.append(f"  implies {progress.cagr:+.1%}/yr", "dim")
        for note in progress.notes:
            text.append(f"\n  ⚠ {note}", "yellow")
    text.append("\n  ")
    text.append_text(sentence_text(t))
    return text


class FigurePanel(Static):
    """The cell's figures (or, on the metric column, the metric's summary and warnings)."""

    DEFAULT_CSS = """
    FigurePanel {
        height: auto;
        padding: 0 1;
    }
    """

    def show(self, metric: str, name: str, doc: str | None, figures: Sequence[Any],
             all_figures: Sequence[Any], progress: Mapping[tuple[str, int, int], Any]) -> None:
        """``figures``: those of the cell; ``all_figures``: the metric's, for the warnings.

        ``doc`` None (the metric column): one line per figure of the metric with its
        verdict; a document's cell: each figure in full with its source sentence.
        """
        text = Text()
        text.append(f"{name}", "bold")
        if name != metric:
            text.append(f" {metric}", "cyan")
        if doc is None:
            text.append(f"   {len(all_figures)} figure(s)", "dim")
            for t in all_figures:
                text.append(f"\n  {t.figure}", "bold")
                when = f" → {t.year}" if t.kind == "target" and t.year else (
                    f" @ {t.year}" if t.year else "")
                text.append(f"{when} ({t.doc})", "dim")
                p = progress.get(figure_key(t))
                if p is not None:
                    text.append(f"  {p.verdict}", VERDICT_STYLES.get(p.verdict, "yellow"))
            text.append("\n→ a document's cell: its sentence, who says it · o: read it", "dim")
        else:
            text.append(f"  in {doc}", "cyan")
            if not figures:
                text.append("\n  no figure of this metric in this document", "dim")
            for t in figures:
                text.append("\n")
                text.append_text(figure_text(t, progress.get(figure_key(t))))
        for warning in scope_warnings(all_figures):
            text.append(f"\n⚠ {warning}", "bold yellow")
        self.update(text)
