"""Revisions of a text: a plausible one (the golden diff test and the diff benchmarks) and
generated ones (hypothesis: a text and an edited copy, for diff round-trips)."""

from __future__ import annotations

from typing import Any


def edited_copy(text: str) -> str:
    """Figures changed, a sentence moved, one deleted, one added, 人工智能→AI here and there."""
    from policydiff.core.sentences import split_sentences

    out = text.replace("4000亿元", "5000亿元").replace("12%", "15%").replace("2025年", "2026年", 5)
    sents = split_sentences(out)
    if len(sents) > 40:
        moved = sents.pop(10)
        sents.insert(30, moved)
        del sents[20]
        sents.insert(35, "新增：支持建设人工智能开源社区，打造3个以上开放平台。")
        for k in range(0, len(sents), 9):
            sents[k] = sents[k].replace("人工智能", "AI", 1)
    return "".join(sents)


def edited_pairs(texts: Any, inserts: Any, *, edits: tuple[int, int] = (0, 4),
                 span: int = 8) -> Any:
    """A hypothesis strategy of ``(a, b)``: two unrelated ``texts`` half the time, else a
    text and a copy with ``edits`` replacements of up to ``span`` characters by
    ``inserts`` (so the diff has equalities to keep as well as changes)."""
    from hypothesis import strategies as st

    @st.composite
    def pairs(draw: st.DrawFn) -> tuple[str, str]:
        a = draw(texts)
        if draw(st.booleans()):
            return a, draw(texts)
        b = a
        for _ in range(draw(st.integers(*edits))):
            i = draw(st.integers(0, len(b)))
            j = draw(st.integers(i, min(len(b), i + span)))
            b = b[:i] + draw(inserts) + b[j:]
        return a, b

    return pairs()
