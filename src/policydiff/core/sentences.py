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


_ALL_MARKS = "".join(OPENERS) + "".join(CLOSERS) + "".join(TERMINATORS) + "\n"
_OUTSIDE = "[^" + re.escape("".join(OPENERS) + "".join(TERMINATORS)) + "\n]*"
_SIMPLE_GROUP = "(?:" + "|".join(re.escape(o) + "[^" + re.escape(_ALL_MARKS) + "]*" + re.escape(c)
                                 for o, c in OPENERS.items()) + ")"
_PLAIN = re.compile(_OUTSIDE + "(?:" + _SIMPLE_GROUP + _OUTSIDE + ")*["
                    + re.escape("".join(TERMINATORS)) + "\n]" + _AFTER_END.pattern)
"""A sentence whose quotes and brackets hold no other mark, whole, with what trails it.

Outside quotes and brackets a closing mark changes nothing, and a quote or bracket
closed before any other mark leaves nothing open; so such a sentence runs to the
first terminator or line end outside them, and one regex match takes it at C speed.
"""


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans of the sentences of ``text``.

    Whitespace between sentences belongs to the sentence before it; a text of only
    whitespace is one span (or none if empty). Most sentences open no quote or
    bracket and are taken by one regex match (:data:`_PLAIN`); the others are
    walked mark by mark (:func:`_sentence_end`). Linear either way.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    plain = _PLAIN.match
    while start < n:
        m = plain(text, start)
        end = m.end() if m is not None else _sentence_end(text, start)
        if end is None:
            break
        spans.append((start, end))
        start = end
    if start < n:
        if spans and not text[start:].strip():
            spans[-1] = (spans[-1][0], n)
        else:
            spans.append((start, n))
    return spans


def _sentence_end(text: str, start: int) -> int | None:
    """End of the sentence starting at ``start`` (None if the text ends first).

    Only quote, bracket, terminator and line-end characters are visited (a regex
    finds them): a terminator ends the sentence only outside quotes and brackets.
    """
    stack: list[str] = []
    m = _SPECIAL.search(text, start)
    while m is not None:
        ch = m.group()
        i = m.start()
        if ch in OPENERS:
            stack.append(OPENERS[ch])
        elif ch in CLOSERS:
            if stack and stack[-1] == ch:
                stack.pop()
            elif ch in stack:  # unbalanced: drop back to the matching opener
                while stack and stack.pop() != ch:
                    pass
        elif ch == "\n" or not stack:  # a line end closes everything: OCR loses quote marks
            return _AFTER_END.match(text, i + 1).end()
        m = _SPECIAL.search(text, i + 1)
    return None


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` (each with its trailing whitespace)."""
    return [text[s:e] for s, e in sentence_spans(text)]
