"""Sentence splitting for Chinese policy prose.

Sentences end at 。！？；(and their ASCII forms ! ? ;) and at line ends, but never
inside quotes or brackets: “……。”吴清说。 is one sentence. Closing quotes and
brackets end with the quotation they close; doubled marks (。。, ！？, ……) stay together.

The split is a partition: the spans are contiguous and cover the whole text, so no
character is ever lost or added (a property test checks this).
"""

from __future__ import annotations

import re

TERMINATORS = frozenset("。！？；!?;")
OPENERS = {"“": "”", "‘": "’", "「": "」", "『": "』", "《": "》", "（": "）", "(": ")",
           "【": "】", "〔": "〕", "[": "]"}
CLOSERS = frozenset(OPENERS.values())
_TRAILING_MARKS = TERMINATORS | {"…"}


_SPECIAL = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS) + "".join(TERMINATORS))
                      + "\n]")
_AFTER_END = re.compile("[" + re.escape("".join(_TRAILING_MARKS)) + "]*[ \t\u3000\n]*")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans of the sentences of ``text``.

    Whitespace between sentences belongs to the sentence before it; a text of only
    whitespace is one span (or none if empty). Only quote, bracket, terminator and
    line-end characters are visited (a regex finds them), which keeps this linear and
    fast on long plans.
    """
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    n = len(text)
    m = _SPECIAL.search(text)
    while m is not None:
        ch = m.group()
        i = m.start()
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
        elif not stack:  # a terminator outside quotes and brackets
            end_here = True
        if end_here:
            j = _AFTER_END.match(text, i + 1).end()
            spans.append((start, j))
            start = j
            m = _SPECIAL.search(text, j)
            continue
        m = _SPECIAL.search(text, i + 1)
    if start < n:
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((start, n))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (each with its trailing whitespace)."""
    return [text[s:e] for s, e in sentence_spans(text)]
