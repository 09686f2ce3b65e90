"""A document's text, section by section, with aligned passages highlighted."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from policydiff.tui.workspace import Span

SPAN_STYLES = {"accepted": "on #1f3d2b", "proposed": "on #3d3a1f", "rejected": "strike dim"}
CURRENT_STYLE = "reverse"


class SectionBlock(Static):
    def __init__(self, section, content: Text, **kwargs):
        super().__init__(content, **kwargs)
        self.section = section


class DocumentView(VerticalScroll):
    """One Static per section, so the outline and passages can scroll to it."""

    can_focus = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.doc = None
        self.spans: list[Span] = []
        self.current: Span | None = None

    def _render_section(self, section) -> Text:
        text = Text()
        if section.heading:
            text.append("#" * max(section.level, 1) + " ", "dim")
            text.append(section.heading, "bold magenta" if section.level <= 1 else "bold")
        for p in section.paragraphs:
            if text:
                text.append("\n\n")
            para = Text(p.text, "italic" if p.kind == "caption" else "")
            for span in self.spans:
                if span.end <= p.start or span.start >= p.end:
                    continue
                style = CURRENT_STYLE if span == self.current else SPAN_STYLES.get(span.status, "")
                para.stylize(style, max(span.start, p.start) - p.start,
                             min(span.end, p.end) - p.start)
            text.append_text(para)
        return text

    async def show(self, doc, spans: list[Span]) -> None:
        self.doc, self.spans, self.current = doc, spans, None
        await self.remove_children()
        head = Text(doc.meta.title, "bold")
        head.append(f"\n{doc.id} · {doc.date} · {doc.meta.issuer or doc.meta.publisher or ''}",
                    "dim")
        widgets: list[Static] = [Static(head, classes="doc-title")]
        widgets += [SectionBlock(s, self._render_section(s), classes="section")
                    for s in doc.sections]
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
        if self.doc is None:
            return
        self.scroll_to_section(self.doc.section_at(offset).id)

    def set_current(self, span: Span | None) -> None:
        """Mark ``span`` as the current passage and re-render the sections it touches."""
        old, self.current = self.current, span
        for s in (old, span):
            if s is None or self.doc is None:
                continue
            for block in self.query(SectionBlock):
                sec = block.section
                if sec.paragraphs and sec.paragraphs[0].start < s.end and \
                        sec.paragraphs[-1].end > s.start:
                    block.update(self._render_section(sec))
        if span is not None:
            self.scroll_to_offset(span.start)
