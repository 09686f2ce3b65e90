"""Terms over time: how often watch terms occur per 10,000 characters, document by document.

Rates, not counts, because a 3,000-character press report and a 35,000-character
plan must be comparable. Without configured watch terms the ones whose rate moves
most across the series (rising and falling) are chosen automatically from the
segmenter's words. Function words and figures are filtered by generic rules (a word
must hold two or more Han characters, not only numerals, not only function
characters) — never by a list of one corpus's words.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policydiff.core import segment

# Characters that make up Chinese function words (particles, pronouns, prepositions,
# conjunctions, demonstratives): a word made only of these says nothing of policy.
FUNCTION_CHARS = frozenset("的了和与及等在将对为以其之是有并也都而或把被从向于着该此这那"
                           "我们你他她它个所就还又更最很已要可会能即则但如若因由至各每本")
NUMERAL_CHARS = frozenset("〇零一二三四五六七八九十百千万亿两几多余第半双首")


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


@lru_cache(maxsize=65536)
def is_content_word(word: str) -> bool:
    """Two or more Han characters; not a numeral (十四五, 一批); not only function characters."""
    if len(word) < 2 or not all(is_han(c) for c in word):
        return False
    if word[0] in NUMERAL_CHARS:
        return False
    return not all(c in FUNCTION_CHARS for c in word)


def text_length(text: str) -> int:
    """Characters that count for a rate: everything but whitespace."""
    return len("".join(text.split()))  # split() and isspace() agree on whitespace; in C


@lru_cache(maxsize=512)
def content_words(text: str) -> Counter[str]:
    """Content words of ``text`` with their counts (cached: callers must not modify it)."""
    return Counter(w for w in segment.words(text) if is_content_word(w))


@dataclass(frozen=True)
class TermSeries:
    """One watch term: its rate per 10,000 characters and its count in each document."""

    term: str
    rates: tuple[float, ...]
    counts: tuple[int, ...]
    trend: str  # "rising" | "falling" | "watched"

    def to_dict(self) -> dict[str, object]:
        return {"term": self.term, "rates": list(self.rates), "counts": list(self.counts),
                "trend": self.trend}


def _slope(values: Sequence[float]) -> float:
    n = len(values)
    if n < 2:
        return 0.0
    mx = (n - 1) / 2
    my = sum(values) / n
    den = sum((i - mx) ** 2 for i in range(n))
    return sum((i - mx) * (v - my) for i, v in enumerate(values)) / den


def count_term(text: str, term: str) -> int:
    """Occurrences of ``term`` as a substring (configured terms may span several words)."""
    return text.count(term) if term else 0


def terms_over_time(texts: Sequence[str], watch: Sequence[str] | None = None,
                    per_side: int = 6, min_docs: int = 2, min_count: int = 4
                    ) -> list[TermSeries]:
    """Rates of ``watch`` terms (or the most rising and falling ones) in ``texts`` (date order).

    Automatic choice: content words found in at least ``min_docs`` documents and
    ``min_count`` times overall, ranked by the slope of their rate over the series;
    the ``per_side`` steepest rising then the ``per_side`` steepest falling.
    """
    lengths = [max(text_length(t), 1) for t in texts]
    if watch:
        out = []
        for term in dict.fromkeys(w.strip() for w in watch if w and w.strip()):
            counts = tuple(count_term(t, term) for t in texts)
            rates = tuple(round(c * 10000 / n, 1) for c, n in zip(counts, lengths, strict=True))
            out.append(TermSeries(term, rates, counts, "watched"))
        return out
    per_doc = [content_words(t) for t in texts]
    total: Counter[str] = Counter()
    docs_with: Counter[str] = Counter()
    for c in per_doc:
        total.update(c)
        docs_with.update(c.keys())
    need_docs = min(min_docs, len(texts))
    candidates = [w for w, n in total.items() if n >= min_count and docs_with[w] >= need_docs]
    scored = []
    for w in candidates:
        counts = tuple(c[w] for c in per_doc)
        rates = tuple(c * 10000 / n for c, n in zip(counts, lengths, strict=True))
        scored.append((_slope(rates), w, counts, rates))
    rising = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))[:per_side]
    falling = sorted((s for s in scored if s[0] < 0), key=lambda s: (s[0], s[1]))[:per_side]
    if len(texts) < 2:  # no series: the most frequent words
        rising = sorted(scored, key=lambda s: (-sum(s[2]), s[1]))[:per_side]
    return [TermSeries(w, tuple(round(r, 1) for r in rates), counts,
                       "rising" if slope > 0 or len(texts) < 2 else "falling")
            for group in (rising, falling) for slope, w, counts, rates in group]


GENERAL_WORD_PER_MILLION = 20.0
"""Above this general-language frequency a word is prose (完善, 相关, 开发), not a key term."""


def specificity(word: str) -> float:
    """How much a word says about a policy's subject: rare in general Chinese scores high."""
    return math.log(1_000_000 / (segment.general_frequency(word) + 0.5))


def first_seen(texts: Sequence[str], min_count: int = 3, limit: int = 5
               ) -> list[list[tuple[str, int]]]:
    """Per document: the key terms it uses ``min_count``+ times that no earlier one used.

    Words common in general Chinese (measured by the segmenter's dictionary counts, not a
    list) are left out; the rest are ranked by count × specificity. Empty for the first
    document.
    """
    seen: set[str] = set()
    out: list[list[tuple[str, int]]] = []
    for k, text in enumerate(texts):
        words = content_words(text)
        new = sorted(((w, n) for w, n in words.items() if n >= min_count and w not in seen
                      and segment.general_frequency(w) <= GENERAL_WORD_PER_MILLION),
                     key=lambda x: (-x[1] * specificity(x[0]), x[0]))
        # A cut the segmenter makes inside a name it does not know (滴水|湖): shown whole.
        tokens = segment.words(text)
        whole = [(_whole_unit(w, tokens), w, n) for w, n in new]
        new = [(u, n) for u, w, n in whole  # a name an earlier text had is not new
               if u == w or not any(u in t for t in texts[:k])]
        # A word inside a longer new word (人工 in 人工智能) adds nothing.
        new = [(w, n) for w, n in new if not any(w != o and w in o for o, _ in new)]
        new = list(dict.fromkeys(new))
        out.append(new[:limit] if k else [])
        seen.update(words)
    return out


#: Function characters of written Chinese: never part of a name, so never added to one.
_PARTICLES = frozenset("的了和与及在是等为对将把被以而或并之其于从向")


def _whole_unit(word: str, tokens: list[str]) -> str:
    """``word`` with the single-character token that stands beside *every* one of its
    occurrences (滴水|湖 → 滴水湖, when each 滴水 is followed by 湖): the segmenter cut a
    name it does not know. Only a lone character is taken (a name's 湖, 港, 区), never a
    word of its own (完善|算力|调度 stays 算力), and only with two occurrences or more."""
    at = [i for i, t in enumerate(tokens) if t == word]
    if len(at) < 2:
        return word

    def lone(k: int) -> str:
        t = tokens[k] if 0 <= k < len(tokens) else ""
        return t if len(t) == 1 and "\u4e00" <= t <= "\u9fff" and t not in _PARTICLES else ""

    after = {lone(i + 1) for i in at}
    before = {lone(i - 1) for i in at}
    suffix = after.pop() if len(after) == 1 else ""
    prefix = before.pop() if len(before) == 1 else ""
    return prefix + word + suffix
