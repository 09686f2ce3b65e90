"""Compare: the selected alignment's passages as a chain of diffs (or two chosen sections).

Diffs need the segmenter, so they are computed in a thread worker: the screen paints
at once with a "computing" line and fills in when the chain is ready.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import CompareSections, SectionRef
from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.widgets.diff_view import DiffView


def _step_label(step: Any) -> str:
    """``2017→2021``; months added when both documents are of the same year."""
    a, b = step.a.date, step.b.date
    if a[:4] == b[:4] and a != b:
        return f"{a[:7]}→{b[:7]}"
    return f"{a[:4]}→{b[:4]}"


class CompareScreen(AlignmentScreen):
    """Inline or side-by-side diffs; ] and [ move between changes, . and , between pairs."""

    VIEW = "compare"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "change(1)", "Next change", key_display="]"),
        Binding("left_square_bracket", "change(-1)", "Prev change", key_display="["),
        Binding("s", "toggle_side_by_side", "Side by side"),
        Binding("full_stop", "step(1)", "Next pair", key_display="."),
        Binding("comma", "step(-1)", "Prev pair", key_display=",", show=False),
        *REVIEW_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.side_by_side = False
        self.step = -1  # -1: the whole chain, else one pair
        self.chain: Any = None
        self.sections: tuple[SectionRef, SectionRef] | None = None
        """Two marked sections to compare; None: the current alignment."""
        self._key: Any = None
        self._cache: dict[Any, Any] = {}

    def compose_view(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield Static(id="compare-status")
        yield DiffView(id="diff")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DiffView).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def on_selected(self, alignment_id: str | None) -> None:
        self.sections = None  # compare follows the alignment again
        if self.is_current:
            self.load()

    def on_store_changed(self, _revision: int) -> None:
        if self.is_current:
            self.load(force_title=True)

    def on_compare_sections(self, message: CompareSections) -> None:
        message.stop()
        self.sections = (message.a, message.b)
        self.load()

    def load(self, force_title: bool = False) -> None:
        """Show two marked sections if asked for, else the current alignment."""
        sections = self.sections
        title = self.query_one("#compare-title", Static)
        if sections is not None:
            self.shown = None  # no single alignment on screen: review keys off
            key: Any = ("sections", sections)
            title.update(Text(" ↔ ".join(f"{d}:{s}" if s else d for d, s in sections), "bold"))
        else:
            alignment_id = self.app.selected_alignment
            al = self.workspace.alignment(alignment_id) if alignment_id else None
            self.shown = al.id if al else None
            if al is None:
                title.update(Text("No alignment selected — choose one in Themes (1).", "dim"))
                self.query_one(DiffView).show_message("Nothing to compare.")
                self.chain, self._key = None, None
                return
            key = ("alignment", al.id)
            head = Text()
            head.append(f"{al.id} ", "bold")
            head.append(f"[{al.status}] ", "dim")
            head.append(al.label or "")
            title.update(head)
        if key == self._key and self.chain is not None:
            return
        self._key = key
        if key in self._cache:
            self._show(self._cache[key])
            return
        self.chain = None
        self.query_one(DiffView).show_message("Computing the diff (loading the segmenter)…")
        self._compute(key)

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def _compute(self, key: Any) -> None:
        ws = self.workspace
        try:
            chain = ws.chain(key[1]) if key[0] == "alignment" else ws.section_chain(*key[1])
        except PolicydiffError as exc:
            self.app.call_from_thread(self.query_one(DiffView).show_message, str(exc))
            return
        self.app.call_from_thread(self._ready, key, chain)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure in a diff worker becomes a line on screen, never a traceback."""
        if event.state == WorkerState.ERROR:
            self.query_one(DiffView).show_message(f"The diff failed: {event.worker.error}")

    def _ready(self, key: Any, chain: Any) -> None:
        self._cache[key] = chain
        if key == self._key:
            self._show(chain)

    def _show(self, chain: Any) -> None:
        self.chain = chain
        if self.step >= len(chain.steps):
            self.step = -1
        self.run_worker(self._redraw, exclusive=True, group="render")

    async def _redraw(self) -> None:
        chain = self.chain
        view = self.query_one(DiffView)
        if chain is None:
            return
        if not chain.steps:
            view.show_message("Fewer than two documents have a passage: nothing to compare.")
            self._status()
            return
        steps = chain.steps if self.step < 0 else [chain.steps[self.step]]
        await view.show_steps(steps, self.side_by_side)
        self._status()

    async def _relayout(self) -> None:
        """Redraw in the other layout, keeping the current change (or the scroll place)."""
        view = self.query_one(DiffView)
        current = view.current
        ratio = view.scroll_y / view.max_scroll_y if view.max_scroll_y else 0.0
        await self._redraw()
        if current >= 0:
            view.move_change(current + 1)
        else:
            view.call_after_refresh(lambda: view.scroll_to(y=ratio * view.max_scroll_y,
                                                           animate=False))

    def _status(self, change: tuple[int, int] | None = None) -> None:
        chain = self.chain
        text = Text()
        if chain is not None:
            versions = " → ".join(
                f"{v.doc}{' (silent)' if v.absent else ''}" for v in chain.versions)
            text.append(versions, "dim")
            text.append("\n")
            labels = ["all"] + [_step_label(s) for s in chain.steps]
            for k, label in enumerate(labels):
                style = "reverse bold" if k - 1 == self.step else ""
                text.append(f" {label} ", style)
            text.append("  ")
        text.append("side by side" if self.side_by_side else "inline", "cyan")
        if change:
            text.append(f"   change {change[0]}/{change[1]}", "yellow")
        self.query_one("#compare-status", Static).update(text)

    def on_diff_view_change_moved(self, event: DiffView.ChangeMoved) -> None:
        self._status((event.index, event.total))

    def action_change(self, delta: int) -> None:
        self.query_one(DiffView).move_change(delta)

    def action_toggle_side_by_side(self) -> None:
        self.side_by_side = not self.side_by_side
        if self.chain is not None:
            self.run_worker(self._relayout, exclusive=True, group="render")
        else:
            self._status()

    def action_step(self, delta: int) -> None:
        if self.chain is None or not self.chain.steps:
            return
        n = len(self.chain.steps)
        self.step = (self.step + 1 + delta) % (n + 1) - 1
        self.run_worker(self._redraw, exclusive=True, group="render")
