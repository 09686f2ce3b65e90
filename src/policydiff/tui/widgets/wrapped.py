"""Text laid out with Chinese line-breaking rules: figures and words stay whole.

Textual folds a line wherever the width runs out. :class:`WrappedText` breaks its
text itself (:mod:`policydiff.core.linebreak`) for the width it has, re-done on
resize, so each line fits and the terminal never needs to fold it.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from policydiff.core import linebreak


def word_spans(text: str) -> list[tuple[int, int]]:
    """Multi-character words of the segmenter (loaded already: never loaded for this)."""
    from policydiff.core import segment

    return [(t.start, t.end) for t in segment.tokenize(text)
            if t.kind == "word" and t.end - t.start > 1]


def wrap_text(text: Text, width: int, words: bool = False) -> Text:
    """``text`` (styles kept) with newlines at :func:`linebreak.line_breaks` points.

    ``words``: keep the segmenter's words whole too (only once the app has loaded it,
    so a layout never depends on what else ran in the process).
    """
    keep = word_spans(text.plain) if words else None
    breaks = linebreak.line_breaks(text.plain, width, keep)
    if not breaks:
        return text
    parts = text.divide(breaks)
    out = Text(style=text.style, end="")
    for k, part in enumerate(parts):
        if k:
            out.append("\n")
        out.append_text(part)
    return out


class WrappedText(Widget):
    """A block of rich text that wraps by the rules above; ``content`` is the text."""

    DEFAULT_CSS = """
    WrappedText {
        height: auto;
    }
    """

    def __init__(self, content: Text | str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._text = content if isinstance(content, Text) else Text(content)
        self._cache: tuple[int, bool, Text] | None = None
        self._visual: tuple[Text, Content] | None = None

    @property
    def content(self) -> Text:
        return self._text

    def update(self, content: Text | str) -> None:
        self._text = content if isinstance(content, Text) else Text(content)
        self._cache = None
        self.refresh(layout=True)

    def uses_words(self) -> bool:
        return bool(getattr(self.app, "segmenter_ready", False))

    def wrapped(self, width: int) -> Text:
        words = self.uses_words()
        if self._cache is None or self._cache[:2] != (width, words):
            self._cache = (width, words, wrap_text(self._text, max(1, width), words))
        return self._cache[2]

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.wrapped(width).plain.split("\n"))

    def render(self) -> Content:
        """The wrapped text, converted once (not at every repaint)."""
        text = self.wrapped(self.size.width)
        if self._visual is None or self._visual[0] is not text:
            self._visual = (text, Content.from_rich_text(text, console=self.app.console))
        return self._visual[1]
