"""The sentence splitter as it was before its plain-sentence fast path, kept verbatim.

tests/core/test_sentences.py checks that ``sentence_spans`` returns exactly these spans.
"""

from __future__ import annotations

from policydiff.core.sentences import _AFTER_END, _SPECIAL, CLOSERS, OPENERS


def reference_sentence_spans(text: str) -> list[tuple[int, int]]:
    """Contiguous ``(start, end)`` spans, every special character visited in one loop."""
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
