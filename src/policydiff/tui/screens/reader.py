"""Reader: the corpus outline and a document's text, aligned passages highlighted.

] and [ step through the aligned passages of the document from where the outline
cursor is; t jumps from the current passage to its alignment (Themes), whose passage
list jumps back here. The current passage is the app's current alignment, and the
review keys act on it. After a search, n and N step through the matches. m marks a
section and d diffs the marked section against the current one. ``:`` asks for a
section id as the document shows it (3.3, 第十二条, 十二, p7) and goes there.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from policydiff.core.errors import PolicydiffError
from policydiff.tui.messages import CompareSections, OpenReader, ViewText
from policydiff.tui.screens.base import REVIEW_BINDINGS, AlignmentScreen
from policydiff.tui.widgets.document_view import DocumentView
from policydiff.tui.widgets.outline import Outline
from policydiff.tui.workspace import SearchHit, Span


class ReaderScreen(AlignmentScreen):
    """Outline on the left, text on the right."""

    VIEW = "reader"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "passage(1)", "Next passage", key_display="]"),
        Binding("left_square_bracket", "passage(-1)", "Prev passage", key_display="["),
        Binding("n", "hit(1)", "Next match", tooltip="After a search (/)"),
        Binding("N", "hit(-1)", "Prev match", show=False),
        Binding("colon", "goto_section", "Go to section", key_display=":", show=False,
                tooltip="Type its id as the document shows it: 3.3, 4.2.1, 第十二条, 十二, "
                        "第三章, p7, h4 (g alone is top)"),
        Binding("t", "goto_alignment", "Its alignment"),
        Binding("p", "pick", "Pick passage",
                tooltip="The sentence at the match (again: extend), else the section"),
        Binding("P", "clear_picks", "Clear picks", show=False),
        Binding("A", "new_alignment", "Align picks", tooltip="New alignment of the picks"),
        Binding("m", "mark", "Mark section"),
        Binding("d", "diff_marked", "Diff with mark"),
        Binding("C", "compare_with", "Compare docs", show=False,
                tooltip="Compare this document with another, article by article"),
        *REVIEW_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__()
        self.doc_id: str | None = None
        self.section: str | None = None
        self.marked: tuple[str, str | None] | None = None
        self.query_text = ""
        self.hits: list[SearchHit] = []
        self.hit_index = -1
        self._from_cursor = True  # the outline moved since the last ]/[: step from there
        self.picks: dict[str, tuple[int, int]] = {}
        """Passages picked for a new alignment: document → (start, end) in its body."""

    def compose_view(self) -> ComposeResult:
        with Horizontal(id="reader-body"):
            yield Outline(id="outline")
            yield DocumentView(id="document")
        yield Static(id="reader-status")

    async def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "corpus_revision", self.on_corpus_changed, init=False)
        outline = self.query_one(Outline)
        outline.populate(self.workspace.corpus.documents())
        if self.doc_id is None and self.workspace.corpus.ids:
            first = self.workspace.corpus.ids[0]
            await self.open(first)
            outline.focus_ref(first, None)
        outline.focus()

    def clip(self) -> ViewText | None:
        """The current passage (or the search hit's sentence), else the section in view."""
        view = self.query_one(DocumentView)
        doc = view.doc
        if doc is None:
            return None
        where = self.section or ""
        if view.current is not None:
            text = doc.body[view.current.start:view.current.end]
            return ViewText(f"passage of {view.current.alignment} in {doc.id}", text.strip(),
                            f"passage-{view.current.alignment}-{doc.id}")
        if view.hit is not None:
            sentence = self._pick_range()
            if sentence is not None:
                return ViewText(f"sentence at the match in {doc.id}",
                                doc.body[sentence[0]:sentence[1]].strip(), f"sentence-{doc.id}")
        text = doc.subtree_text(where) if where else doc.body
        return ViewText(f"{doc.id} §{where}" if where else doc.id, text.strip(),
                        f"{doc.id}-{where}" if where else doc.id)

    def export_view(self) -> ViewText | None:
        """The section in view (or the document) as Markdown, with its title and date."""
        clip = self.clip()
        doc = self.query_one(DocumentView).doc
        if clip is None or doc is None:
            return None
        head = f"# {doc.meta.title or doc.id}\n\n{doc.id} · {doc.date}\n\n"
        return ViewText(clip.what, head + clip.text + "\n", clip.stem)

    def on_corpus_changed(self, _revision: int) -> None:
        """A document changed on disk: the outline and the open document are read again."""
        self.query_one(Outline).populate(self.workspace.corpus.documents())
        doc_id, self.doc_id = self.doc_id, None
        if doc_id is not None and doc_id in self.workspace.corpus.ids:
            self.run_worker(self.open(doc_id), group="reopen")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hit":
            return bool(self.hits)
        if action in ("new_alignment", "clear_picks"):
            return bool(self.picks)
        return super().check_action(action, parameters)

    def on_store_changed(self, _revision: int) -> None:
        view = self.query_one(DocumentView)
        if view.doc is None:
            return
        spans = self.workspace.spans(view.doc.id)
        current = view.current
        view.spans = spans
        match = next((s for s in spans if current and s.alignment == current.alignment
                      and s.start == current.start), None)
        view.current = None
        view.set_current(match)
        self._status()

    async def on_open_reader(self, message: OpenReader) -> None:
        """Open what was asked for: a document, a place in it, an alignment, a search."""
        message.stop()
        await self.open(message.doc)
        view = self.query_one(DocumentView)
        offset = message.start
        if message.query is not None and message.query != self.query_text:
            self.query_text = message.query
            self.hits = self.workspace.search(message.query)
            self.refresh_bindings()
        if message.query is not None:
            self.hit_index = next((k for k, h in enumerate(self.hits)
                                   if h.doc == message.doc and h.start == message.start), -1)
        span = next((s for s in view.spans if s.alignment == message.alignment
                     and (offset is None or s.start <= offset < max(s.end, s.start + 1))), None)
        if span is not None:
            self._set_current(span)
        if offset is not None:
            end = message.end if message.end is not None else None
            if end is not None:
                view.set_hit((offset, end))
            else:
                view.scroll_to_offset(offset)
            self.section = view.doc.section_at(offset).id
        self.query_one(Outline).focus_ref(message.doc, self.section)
        self._from_cursor = False
        self._status()

    async def open(self, doc_id: str) -> None:
        if doc_id == self.doc_id:
            return
        ws = self.workspace
        doc = ws.corpus.get(doc_id)
        self.doc_id, self.section = doc_id, None
        view = self.query_one(DocumentView)
        await view.show(doc, ws.spans(doc_id))
        view.set_picked(self.picks.get(doc_id))
        self.shown = None
        self._status()

    async def on_outline_section_highlighted(self, event: Outline.SectionHighlighted) -> None:
        if (event.doc, event.section) == (self.doc_id, self.section):
            return  # the cursor followed a jump: nothing moved
        await self.open(event.doc)
        self.section = event.section
        self._from_cursor = True
        view = self.query_one(DocumentView)
        view.set_target(None)
        view.scroll_to_section(event.section)
        self._status()

    def _set_current(self, span: Span | None) -> None:
        """Make ``span`` the current passage: the app's current alignment, review keys on."""
        self.query_one(DocumentView).set_current(span)
        self.shown = span.alignment if span else None
        if span is not None and self.app.selected_alignment != span.alignment:
            self.app.selected_alignment = span.alignment

    def _status(self) -> None:
        view = self.query_one(DocumentView)
        text = Text()
        if self.doc_id:
            text.append(f"{self.doc_id}", "bold")
            if self.section:
                text.append(f" § {self.section}", "cyan")
            text.append(f"   {len(view.spans)} aligned passage(s)", "dim")
        if view.current is not None:
            text.append(f"   current: {view.current.alignment} [{view.current.status}]", "yellow")
        if self.hits:
            place = f"{self.hit_index + 1}/" if self.hit_index >= 0 else ""
            text.append(f"   “{self.query_text}” {place}{len(self.hits)} (n/N)", "green")
        if self.picks:
            text.append(f"   picked: {', '.join(self.picks)} (A: align)", "bold magenta")
        if self.marked:
            d, s = self.marked
            text.append(f"   marked: {d}{':' + s if s else ''}", "magenta")
        self.query_one("#reader-status", Static).update(text)

    def _cursor_offset(self) -> int:
        """Where the outline cursor is in the document body (its section's start)."""
        view = self.query_one(DocumentView)
        if view.doc is None or not self.section:
            return 0
        section = view.doc.section(self.section)
        return section.heading_start if section.heading_start is not None else section.start

    def action_passage(self, delta: int) -> None:
        view = self.query_one(DocumentView)
        spans = view.spans
        if not spans:
            self.notify("No aligned passage in this document.", severity="information")
            return
        if view.current in spans and not self._from_cursor:
            index = (spans.index(view.current) + delta) % len(spans)
        else:
            at = self._cursor_offset()
            if delta > 0:
                index = next((k for k, s in enumerate(spans) if s.start >= at), 0)
            else:
                index = next((k for k in range(len(spans) - 1, -1, -1)
                              if spans[k].start < at), len(spans) - 1)
        self._from_cursor = False
        span = spans[index]
        self._set_current(span)
        self.section = view.doc.section_at(span.start).id
        self.query_one(Outline).focus_ref(view.doc.id, self.section)
        self._status()

    async def action_hit(self, delta: int) -> None:
        if not self.hits:
            self.notify("Search first (/), then n and N step through the matches.",
                        severity="information")
            return
        self.hit_index = (self.hit_index + delta) % len(self.hits)
        hit = self.hits[self.hit_index]
        await self.open(hit.doc)
        view = self.query_one(DocumentView)
        view.set_hit((hit.start, hit.end))
        self.section = view.doc.section_at(hit.start).id
        self.query_one(Outline).focus_ref(hit.doc, self.section)
        self._from_cursor = False
        self._status()

    def action_goto_section(self) -> None:
        """Ask for a section id (``:``) and go to it, its heading highlighted."""
        from policydiff.tui.screens.dialogs import GotoSection

        doc = self.query_one(DocumentView).doc
        if doc is None:
            return
        examples = _examples(doc.sections)
        def done(ref: str | None) -> None:
            if ref:
                self.goto_section(ref)

        self.app.push_screen(GotoSection(doc.id, examples), done)

    def goto_section(self, ref: str) -> bool:
        """Scroll to the section ``ref`` names and highlight its heading; an unknown one
        says so in one line and nothing moves."""
        from policydiff.core.sectionref import find_section

        view = self.query_one(DocumentView)
        if view.doc is None:
            return False
        section = find_section(view.doc, ref)
        if section is None:
            self.notify(f"{view.doc.id} has no section “{ref}” (e.g. "
                        f"{', '.join(_examples(view.doc.sections))})", severity="warning")
            return False
        self.section = section.id
        self._from_cursor = True
        view.set_target(section.id)
        view.scroll_to_section(section.id)
        self.query_one(Outline).focus_ref(view.doc.id, section.id)
        self._status()
        return True

    def action_goto_alignment(self) -> None:
        view = self.query_one(DocumentView)
        if view.current is None:
            self.notify("No current passage: press ] to step to one.", severity="warning")
            return
        self.app.select_alignment(view.current.alignment, "themes")

    def action_mark(self) -> None:
        if self.doc_id:
            self.marked = (self.doc_id, self.section)
            self._status()

    def action_compare_with(self) -> None:
        """Ask for a second document; compare the two whole documents article by article."""
        from policydiff.tui.screens.compare import ask_second_document

        if self.doc_id:
            ask_second_document(self, self.doc_id)

    def action_diff_marked(self) -> None:
        if not self.marked or not self.doc_id:
            self.notify("Mark a section first (m), then move to another and press d.",
                        severity="warning")
            return
        self.post_message(CompareSections(self.marked, (self.doc_id, self.section)))

    def _pick_range(self) -> tuple[int, int] | None:
        """The sentence at the current match, else the section under the outline cursor."""
        view = self.query_one(DocumentView)
        doc = view.doc
        if doc is None:
            return None
        if view.hit is not None:
            at = view.hit[0]
            for sentence in doc.sentences():
                if sentence.start <= at < max(sentence.end, sentence.start + 1):
                    return sentence.start, sentence.end
        if self.section:
            paragraphs = [p for s in doc.subtree(self.section) for p in s.paragraphs]
            if paragraphs:
                return paragraphs[0].start, paragraphs[-1].end
        return None

    def action_pick(self) -> None:
        view = self.query_one(DocumentView)
        picked = self._pick_range()
        if picked is None or view.doc is None:
            self.notify("Move to a section (or search for a sentence) to pick it.",
                        severity="warning")
            return
        doc_id = view.doc.id
        if doc_id in self.picks:  # a second pick in one document: the range between
            old = self.picks[doc_id]
            wide = (min(old[0], picked[0]), max(old[1], picked[1]))
            if wide != old and wide != picked:
                self._say_widened(view.doc, old, picked, wide)
            picked = wide
        self.picks[doc_id] = picked
        view.set_picked(picked)
        self.refresh_bindings()
        self._status()

    def _say_widened(self, doc, old: tuple[int, int], new: tuple[int, int],
                     wide: tuple[int, int]) -> None:
        """A second pick in one document takes everything between the two: say so, with
        the sections and size of the range, so a widened member is never a surprise."""
        first = doc.section_at(wide[0]).id
        last = doc.section_at(max(wide[0], wide[1] - 1)).id
        where = f"§ {first}" if first == last else f"§ {first} to § {last}"
        between = max(0, max(old[0], new[0]) - min(old[1], new[1]))
        gap = f", with {between} characters between the two picks" if between else ""
        self.notify(f"{doc.id}: one passage per document, so the pick now runs over {where} "
                    f"({wide[1] - wide[0]} characters{gap}). P clears the picks.",
                    title="Pick widened", severity="warning", timeout=8)

    def action_clear_picks(self) -> None:
        self.picks.clear()
        self.query_one(DocumentView).set_picked(None)
        self.refresh_bindings()
        self._status()

    def action_new_alignment(self) -> None:
        from policydiff.tui.screens.dialogs import NewAlignment, NewAlignmentDialog

        ws = self.workspace
        if not self.picks:
            return
        themes = [(t.id, t.name_zh) for t in ws.themes()]
        if not themes:
            self.notify("The store has no themes: add one to alignments/themes.yaml.",
                        severity="error")
            return
        listing = [f"{doc} {ws.corpus.get(doc).body[a:b][:40]}…"
                   for doc, (a, b) in self.picks.items()]

        def done(result: NewAlignment | None) -> None:
            if result is None:
                return
            theme, label, note = result
            passages = [(doc, a, b) for doc, (a, b) in self.picks.items()]
            try:
                new_id, path = ws.add_alignment(theme, label, note, passages)
            except PolicydiffError as exc:
                self._failed(exc)
                return
            self.action_clear_picks()
            self.app.added.append((new_id, label))
            self.app.reload()
            self.app.selected_alignment = new_id
            self.notify(f"added {new_id} to {path} ({len(passages)} passages)   c: commit")

        self.app.push_screen(NewAlignmentDialog(themes, self.app.theme_in_view, listing), done)


def _examples(sections: list) -> list[str]:
    """A few ids the prompt can show as examples: a nested one, the last, a printed
    article or chapter number (第十二条) where the document has them."""
    if not sections:
        return []
    middle = sections[len(sections) // 2:]
    nested = next((s.id for s in middle if "." in s.id), middle[0].id)
    found = [nested, sections[-1].id]
    printed = next((s.numbering for s in reversed(sections)
                    if s.kind in ("article", "chapter")), "")
    if printed:
        found.append(printed.split("（")[0].split("(")[0].split("【")[0])
    return list(dict.fromkeys(found))
