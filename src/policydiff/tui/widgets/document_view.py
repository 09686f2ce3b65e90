"""A document's text, section by section, with aligned passages and a search hit highlighted."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from policydiff.tui.widgets.wrapped import WrappedText, wrap_text
from policydiff.tui.workspace import Span

SPAN_STYLES = {"accepted": "on #1f3d2b", "proposed": "on #3d3a1f", "rejected": "strike dim"}
CURRENT_STYLE = "reverse"
HIT_STYLE = "bold reverse yellow"
PICKED_STYLE = "underline bold magenta"
TARGET_STYLE = "bold reverse cyan"
"""The section gone to with ``:``: its heading (or, without one, its first sentence)."""


class SectionBlock(WrappedText):
    """One section's text; ``starts`` maps each paragraph's body offset to its place here."""

    def __init__(self, section: Any, content: Text, starts: list[tuple[int, int]], **kwargs):
        super().__init__(content, **kwargs)
        self.section = section
        self.starts = starts

    def set_text(self, content: Text, starts: list[tuple[int, int]]) -> None:
        self.starts = starts
        self.update(content)

    def index_of(self, offset: int) -> int:
        """Where body ``offset`` sits in this block's text (0 when before every paragraph)."""
        index = 0
        for body_start, text_start in self.starts:
            if body_start <= offset:
                index = text_start + offset - body_start
        return index


class DocumentView(VerticalScroll):
    """One Static per section, so the outline and passages can scroll to it."""

    can_focus = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.doc: Any = None
        self.spans: list[Span] = []
        self.current: Span | None = None
        self.hit: tuple[int, int] | None = None
        self.picked: tuple[int, int] | None = None
        self.target: str | None = None

    def _render_section(self, section: Any) -> tuple[Text, list[tuple[int, int]]]:
        text = Text()
        starts: list[tuple[int, int]] = []
        if section.heading:
            text.append("#" * max(section.level, 1) + " ", "dim")
            style = "bold magenta" if section.level <= 1 else "bold"
            text.append(section.heading, TARGET_STYLE if section.id == self.target else style)
        for p in section.paragraphs:
            if text:
                text.append("\n\n")
            starts.append((p.start, len(text)))
            para = Text(p.text, "italic" if p.kind == "caption" else "")
            for span in self.spans:
                if span.end <= p.start or span.start >= p.end:
                    continue
                style = CURRENT_STYLE if span == self.current else SPAN_STYLES.get(span.status, "")
                para.stylize(style, max(span.start, p.start) - p.start,
                             min(span.end, p.end) - p.start)
            if self.picked and self.picked[0] < p.end and self.picked[1] > p.start:
                para.stylize(PICKED_STYLE, max(self.picked[0], p.start) - p.start,
                             min(self.picked[1], p.end) - p.start)
            if self.hit and self.hit[0] < p.end and self.hit[1] > p.start:
                para.stylize(HIT_STYLE, max(self.hit[0], p.start) - p.start,
                             min(self.hit[1], p.end) - p.start)
            if section.id == self.target and not section.heading and p is section.paragraphs[0]:
                first = p.sentences[0].end - p.start if p.sentences else len(p.text)
                para.stylize(TARGET_STYLE, 0, first)
            text.append_text(para)
        return text, starts

    async def show(self, doc: Any, spans: list[Span]) -> None:
        self.doc, self.spans, self.current, self.hit = doc, spans, None, None
        self.picked = self.target = None
        await self.remove_children()
        head = Text(doc.meta.title, "bold")
        head.append(f"\n{doc.id} · {doc.date} · {doc.meta.issuer or doc.meta.publisher or ''}",
                    "dim")
        widgets: list[Static | SectionBlock] = [Static(head, classes="doc-title")]
        for s in doc.sections:
            content, starts = self._render_section(s)
            widgets.append(SectionBlock(s, content, starts, classes="section"))
        await self.mount_all(widgets)

    def block(self, section_id: str | None) -> SectionBlock | None:
        for block in self.query(SectionBlock):
            if block.section.id == section_id:
                return block
        return None

    def scroll_to_section(self, section_id: str | None) -> None:
        block = self.block(section_id) if section_id else None
        if block is None:
            self.scroll_home(animate=False)
        else:
            self.scroll_to_widget(block, animate=False, top=True)

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so that the line holding body ``offset`` is near the top (2 lines above)."""
        if self.doc is None:
            return
        block = self.block(self.doc.section_at(offset).id)
        if block is None:
            self.scroll_home(animate=False)
            return

        def scroll() -> None:
            width = block.content_region.width or self.size.width
            prefix = block.content[:block.index_of(offset)]
            words = block.uses_words()
            line = wrap_text(prefix, max(1, width), words).plain.count("\n") if prefix else 0
            self.scroll_to(y=max(0, block.virtual_region.y + line - 2), animate=False)

        self.call_after_refresh(scroll)

    def _rerender(self, *ranges: tuple[int, int] | None) -> None:
        for r in ranges:
            if r is None or self.doc is None:
                continue
            for block in self.query(SectionBlock):
                sec = block.section
                if sec.paragraphs and sec.paragraphs[0].start < r[1] and \
                        sec.paragraphs[-1].end > r[0]:
                    block.set_text(*self._render_section(sec))

    def set_current(self, span: Span | None) -> None:
        """Mark ``span`` as the current passage and re-render the sections it touches."""
        old, self.current = self.current, span
        self._rerender(*((s.start, s.end) if s else None for s in (old, span)))
        if span is not None:
            self.scroll_to_offset(span.start)

    def set_hit(self, hit: tuple[int, int] | None) -> None:
        """Highlight a search hit (body offsets) and scroll it into view."""
        old, self.hit = self.hit, hit
        self._rerender(old, hit)
        if hit is not None:
            self.scroll_to_offset(hit[0])

    def set_target(self, section_id: str | None) -> None:
        """Highlight the heading of ``section_id`` (None: no section highlighted)."""
        old, self.target = self.target, section_id
        for block in self.query(SectionBlock):
            if block.section.id in (old, section_id) and old != section_id:
                block.set_text(*self._render_section(block.section))

    def set_picked(self, picked: tuple[int, int] | None) -> None:
        """Underline the passage picked for a new alignment in this document."""
        old, self.picked = self.picked, picked
        self._rerender(old, picked)
