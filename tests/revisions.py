"""A plausible revision of a text, the same in the golden diff test and the diff benchmarks."""

from __future__ import annotations


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
