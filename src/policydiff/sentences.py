"""Sentence splitting for Chinese policy prose.

Sentences end at 。！？；(and their ASCII forms ! ? ;) and at line ends, but never
inside quotes or brackets: “……。”吴清说。 is one sentence. Closing quotes and
brackets end with the quotation they close; doubled marks (。。, ！？, ……) stay together.

The split is a partition: the spans are contiguous and cover the whole text, so no
character is ever lost or added (a property test checks this).
"""

from __future__ import annotations

TERMINATORS = frozenset("。！？；!?;")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")",
           "【": "】", "〔": "〕", "[": "]"}
CLOSERS = frozenset(OPENERS.values())
_TRAILING_MARKS = TERMINATORS | {"…"}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans of the sentences of ``text``.

    Whitespace between sentences belongs to the sentence before it; a text of only
    whitespace is one span (or none if empty).
    """
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        end_here = False
        if ch in OPENERS:
            stack.append(OPENERS[ch])
        elif ch in CLOSERS:
            if stack and stack[-1] == ch:
                stack.pop()
            elif ch in stack:  # unbalanced: drop back to the matching opener
                while stack and stack.pop() != ch:
                    pass
        elif ch == "\n":
            stack.clear()  # a line end closes everything: OCR often loses a quote mark
            end_here = True
        elif ch in TERMINATORS and not stack:
            end_here = True
        if end_here:
            j = i + 1
            while j < n and text[j] in _TRAILING_MARKS:
                j += 1
            while j < n and text[j] in " \t\u3000\n":
                j += 1
            spans.append((start, j))
            start = j
            i = j
            continue
        i += 1
    if start < n:
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((start, n))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (each with its trailing whitespace)."""
    return [text[s:e] for s, e in sentence_spans(text)]
