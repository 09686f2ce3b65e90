"""Where to break a line of mixed Chinese and Latin text for a terminal of a given width.

A terminal folds a line at whatever cell the width runs out, which cuts figures in two
(``达到4`` / ``000亿元``) and starts lines with a comma. This module picks break
points instead: never inside a figure, a Latin word or number, or a word the caller
keeps whole (e.g. the segmenter's); never before closing punctuation (，。、》…) nor
after opening punctuation (《（“…), the line-start rules of Chinese typesetting. When a
line cannot be broken by those rules the break falls where the width runs out.
Pure: text in, offsets out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from policydiff.core.quantities import quantity_spans

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%％,.;:?!)]}>、～-")
"""Characters a line must not start with (closing and mid-sentence punctuation)."""
NO_LINE_END = frozenset("（《「『【〔〈“‘([{<")
"""Characters a line must not end with (opening punctuation)."""

_LATIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%'_/-]*[A-Za-z0-9%]|[A-Za-z0-9]")


def cell_width(ch: str) -> int:
    """Terminal cells of one character: 2 for wide (CJK) characters, 0 for combining."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@lru_cache(maxsize=512)
def keep_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans never broken inside: figures (``4000亿元``, ``100个``) and Latin runs."""
    spans = list(quantity_spans(text))
    spans += [(m.start(), m.end()) for m in _LATIN.finditer(text) if m.end() - m.start() > 1]
    return tuple(sorted(spans))


def _forbidden(text: str, keep: Iterable[tuple[int, int]]) -> set[int]:
    """Offsets where a new line may not start."""
    out: set[int] = set()
    for start, end in keep:
        out.update(range(start + 1, end))
    for i, ch in enumerate(text):
        if ch in NO_LINE_START:
            out.add(i)
        if ch in NO_LINE_END:
            out.add(i + 1)
    return out


def line_breaks(text: str, width: int, keep: Sequence[tuple[int, int]] | None = None,
                ) -> list[int]:
    """Offsets where new lines start so that no line of ``text`` is wider than ``width``.

    Existing newlines are kept (and not listed). ``keep`` adds spans (e.g. segmenter
    words) to :func:`keep_spans`. A line is made shorter rather than broken against
    the rules, except when no allowed break exists in it at all.
    """
    if width <= 0:
        return []
    spans = list(keep_spans(text)) + list(keep or ())
    bad = _forbidden(text, spans)
    breaks: list[int] = []
    line_start, col = 0, 0
    for i, ch in enumerate(text):
        if ch == "\n":
            line_start, col = i + 1, 0
            continue
        w = cell_width(ch)
        if col + w > width and i > line_start:
            b = i
            while b > line_start and b in bad:
                b -= 1
            if b == line_start or sum(cell_width(c) for c in text[b:i]) + w > width:
                b = i  # nothing allowed (or the carried text would not fit): break here
            breaks.append(b)
            line_start = b
            col = sum(cell_width(c) for c in text[b:i])
        col += w
    return breaks


def wrap(text: str, width: int, keep: Sequence[tuple[int, int]] | None = None) -> list[str]:
    """``text`` as lines no wider than ``width`` (see :func:`line_breaks`)."""
    out, prev = [], 0
    for b in line_breaks(text, width, keep):
        out.append(text[prev:b])
        prev = b
    out.append(text[prev:])
    return [line for chunk in out for line in chunk.split("\n")] if "\n" in text else out
