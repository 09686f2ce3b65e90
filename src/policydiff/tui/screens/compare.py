"""Compare: the selected alignment's passages as a chain of diffs, two chosen sections, or
two whole documents article by article (the pair list on the left, a pair's diff on the right).

Diffs need the segmenter, so they are computed in a thread worker: the screen paints
at once with a "computing" line and fills in when the chain is ready.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Label, ListItem, ListView, Static
from textual.worker import Worker, WorkerState

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import CompareDocuments, CompareSections, SectionRef, ViewText
from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.viewtext import chain_view, comparison_view
from policydiff.tui.widgets.diff_view import DiffView


def _step_label(step: Any) -> str:
    """``2017→2021``; months added when both documents are of the same year."""
    a, b = step.a.date, step.b.date
    if a[:4] == b[:4] and a != b:
        return f"{a[:7]}→{b[:7]}"
    return f"{a[:4]}→{b[:4]}"


def pair_line(pair: Any) -> Text:
    """One row of the pair list: status, similarity, headings (plain words: NO_COLOR safe)."""
    sim = f"{pair.similarity:.0%}" if pair.a and pair.b else "—"
    style = "dim" if pair.status == "unchanged" else {
        "added": "green", "deleted": "red"}.get(pair.status, "yellow")
    text = Text()
    text.append(f"{pair.status:<10}", style)
    text.append(f" {sim:>4} ", "dim")
    text.append(pair.label.replace(" → ", "→"))
    return text


class CompareScreen(AlignmentScreen):
    """Inline or side-by-side diffs; ] and [ move between changes, . and , between pairs.

    In document mode (two documents compared article by article) ] and [ move between
    changed pairs of the list; no single alignment is on screen, so review keys are off.
    """

    VIEW = "compare"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "change(1)", "Next change", key_display="]"),
        Binding("left_square_bracket", "change(-1)", "Prev change", key_display="["),
        Binding("s", "toggle_side_by_side", "Side by side"),
        Binding("full_stop", "step(1)", "Next pair", key_display="."),
        Binding("comma", "step(-1)", "Prev pair", key_display=",", show=False),
        Binding("C", "compare_with", "Compare docs", show=False,
                tooltip="Compare two whole documents article by article"),
        *REVIEW_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.side_by_side = False
        self.step = -1  # -1: the whole chain, else one pair
        self.chain: Any = None
        self.sections: tuple[SectionRef, SectionRef] | None = None
        """Two marked sections to compare; None: the current alignment."""
        self.docs: tuple[str, str] | None = None
        """Two documents compared article by article; None: sections or the alignment."""
        self.comparison: Any = None
        self.pair_index = -1
        self._key: Any = None
        self._cache: dict[Any, Any] = {}

    def clip(self) -> ViewText | None:
        """The diff on screen as Markdown: the alignment's chain, or the two documents."""
        if self.docs is not None:
            return comparison_view(self.comparison) if self.comparison is not None else None
        return chain_view(self.chain) if self.chain is not None else None

    def compose_view(self) -> ComposeResult:
        yield Static(id="compare-title")
        yield Static(id="compare-status")
        with Horizontal(id="compare-body"):
            yield ListView(id="pair-list")
            yield DiffView(id="diff")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(DiffView).focus()

    def on_screen_resume(self) -> None:
        self.load()

    def on_selected(self, alignment_id: str | None) -> None:
        self.sections = None  # compare follows the alignment again
        self.docs = None
        if self.is_current:
            self.load()

    def on_store_changed(self, _revision: int) -> None:
        if self.is_current:
            self.load(force_title=True)

    def on_compare_sections(self, message: CompareSections) -> None:
        message.stop()
        self.sections = (message.a, message.b)
        self.docs = None
        self.load()

    def on_compare_documents(self, message: CompareDocuments) -> None:
        message.stop()
        self.docs = (message.a, message.b)
        self.sections = None
        self.load()

    def load(self, force_title: bool = False) -> None:
        """Show two marked sections if asked for, else the current alignment."""
        sections = self.sections
        title = self.query_one("#compare-title", Static)
        pair_list = self.query_one("#pair-list", ListView)
        pair_list.display = self.docs is not None
        if self.docs is not None:
            self.shown = None  # a whole document pair: review keys off
            key: Any = ("docs", self.docs)
            title.update(Text(f"{self.docs[0]} ↔ {self.docs[1]}   article by article", "bold"))
        elif sections is not None:
            self.shown = None  # no single alignment on screen: review keys off
            key = ("sections", sections)
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
        if key == self._key and (self.comparison if key[0] == "docs" else self.chain) is not None:
            return
        self._key = key
        if key in self._cache:
            self._show(self._cache[key])
            return
        self.chain = None
        self.comparison = None
        if key[0] == "docs":
            pair_list.clear()
        self.query_one(DiffView).show_message("Computing the diff (loading the segmenter)…")
        self._compute(key)

    @work(thread=True, exclusive=True, group="diff", exit_on_error=False)
    def _compute(self, key: Any) -> None:
        ws = self.workspace
        try:
            if key[0] == "docs":
                result: Any = ws.compare_docs(*key[1])
            elif key[0] == "alignment":
                result = ws.chain(key[1])
            else:
                result = ws.section_chain(*key[1])
        except PolicydiffError as exc:
            self.app.call_from_thread(self.query_one(DiffView).show_message, str(exc))
            return
        self.app.call_from_thread(self._ready, key, result)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure in a diff worker becomes a line on screen, never a traceback."""
        if event.state == WorkerState.ERROR:
            self.query_one(DiffView).show_message(f"The diff failed: {event.worker.error}")

    def _ready(self, key: Any, result: Any) -> None:
        self._cache[key] = result
        if key == self._key:
            self._show(result)

    def _show(self, chain: Any) -> None:
        if self.docs is not None:
            self.run_worker(self._show_comparison(chain), exclusive=True, group="render")
            return
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

    async def _show_comparison(self, comparison: Any) -> None:
        """Fill the pair list and show the first changed pair (the first pair if none)."""
        self.comparison = comparison
        pair_list = self.query_one("#pair-list", ListView)
        await pair_list.clear()
        await pair_list.extend(ListItem(Label(pair_line(p))) for p in comparison.pairs)
        changed = [k for k, p in enumerate(comparison.pairs) if p.status != "unchanged"]
        self.pair_index = -1
        pair_list.index = changed[0] if changed else (0 if comparison.pairs else None)
        pair_list.focus()
        if not comparison.pairs:
            self.query_one(DiffView).show_message("No article or section to compare.")
        self._status()

    def on_list_view_highlighted(self, event: ListView.Highlighted) -> None:
        event.stop()
        if self.comparison is None or event.list_view.index is None:
            return
        index = event.list_view.index
        if index != self.pair_index:
            self.pair_index = index
            self.run_worker(self._draw_pair, exclusive=True, group="render")

    async def _draw_pair(self) -> None:
        c = self.comparison
        if c is None or not 0 <= self.pair_index < len(c.pairs):
            return
        await self.query_one(DiffView).show_pair(c.pairs[self.pair_index], c.a.id, c.b.id,
                                                 self.side_by_side)
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
        c = self.comparison if self.docs is not None else None
        if c is not None:
            counts: dict[str, int] = {}
            for p in c.pairs:
                counts[p.status] = counts.get(p.status, 0) + 1
            text.append(", ".join(f"{n} {s}" for s, n in counts.items()), "dim")
            for note in c.notes:
                text.append(f"\n{note}", "yellow")
            text.append("\n")
            if 0 <= self.pair_index < len(c.pairs):
                text.append(f"pair {self.pair_index + 1}/{len(c.pairs)}  ")
            text.append("]/[: changed pairs  ", "dim")
        elif chain is not None:
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
        c = self.comparison if self.docs is not None else None
        if c is None:
            self.query_one(DiffView).move_change(delta)
            return
        k = self.pair_index + delta
        while 0 <= k < len(c.pairs):
            if c.pairs[k].status != "unchanged":
                self.query_one("#pair-list", ListView).index = k
                return
            k += delta
        self.notify("No further changed pair.", severity="information")

    def action_toggle_side_by_side(self) -> None:
        self.side_by_side = not self.side_by_side
        if self.docs is not None:
            if self.comparison is not None:
                self.run_worker(self._draw_pair, exclusive=True, group="render")
        elif self.chain is not None:
            self.run_worker(self._relayout, exclusive=True, group="render")
        else:
            self._status()

    def action_step(self, delta: int) -> None:
        if self.docs is not None or self.chain is None or not self.chain.steps:
            return
        n = len(self.chain.steps)
        self.step = (self.step + 1 + delta) % (n + 1) - 1
        self.run_worker(self._redraw, exclusive=True, group="render")

    def _first_document(self) -> str | None:
        """The document on the left now: of the document pair, the sections or the chain."""
        if self.docs is not None:
            return self.docs[0]
        if self.sections is not None:
            return self.sections[0][0]
        if self.chain is not None and self.chain.versions:
            return str(self.chain.versions[0].doc)
        return None

    def action_compare_with(self) -> None:
        """Ask for the documents to compare article by article (the first one if none shown)."""
        first = self._first_document()
        if first is not None:
            ask_second_document(self, first)
            return

        def chosen(doc_id: str | None) -> None:
            if doc_id:
                ask_second_document(self, doc_id)

        self.app.push_screen(document_picker(self, "Compare documents: the first (older) one"),
                             chosen)


def document_picker(screen: AlignmentScreen, title: str, exclude: str | None = None) -> Any:
    """A selection list of the corpus documents in date order."""
    from policydiff.tui.screens.dialogs import DocumentPicker

    docs = [(d.id, d.date, d.meta.title) for d in screen.workspace.corpus if d.id != exclude]
    return DocumentPicker(title, docs)


def ask_second_document(screen: AlignmentScreen, first: str) -> None:
    """Ask which document to compare ``first`` with, then open the document pair (date order)."""
    app = screen.app

    def chosen(doc_id: str | None) -> None:
        if not doc_id:
            return
        order = screen.workspace.corpus.ids
        a, b = sorted((first, doc_id), key=order.index)
        app.compare_documents(a, b)

    app.push_screen(document_picker(screen, f"Compare {first} with…", exclude=first), chosen)
