"""Word segmentation of Chinese policy text, for diffs and term evidence.

A character diff of Chinese is noise and a whitespace split finds no words, so text
is cut into tokens: Chinese runs by jieba (with a policy-term dictionary so that
人工智能 or 临港新片区 stay whole), every quantity found by
:func:`policydiff.core.quantities.quantity_spans` as ONE token (``4000亿元``, ``12%以上``,
``2020年``), Latin/digit runs whole, punctuation and whitespace apart.

Tokens tile the text: joining their texts gives the input back exactly. jieba costs
about half a second to load, so it is loaded on first use of a Chinese run and
cached; pure ASCII/number text never loads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal

from policydiff.core.quantities import quantity_spans

TokenKind = Literal["word", "number", "punct", "space"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f〇"
_ALNUM = rf"(?:(?![{_CJK}])[^\W_])"  # a letter or digit of any script but Chinese
_PIECE = re.compile(
    rf"(?P<space>\s+)"
    rf"|(?P<cjk>[{_CJK}]+)"
    rf"|(?P<num>(?>\d+(?:[.．]\d+)?)(?!{_ALNUM}))"
    rf"|(?P<latin>{_ALNUM}+(?:[._\-]{_ALNUM}+)*)"
    rf"|(?P<punct>(.)\6*)",
    re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    """A token and where it sits in the text it came from."""

    text: str
    start: int
    end: int
    kind: TokenKind


@lru_cache(maxsize=1)
def _jieba():  # -> jieba.Tokenizer
    """The jieba tokenizer with the policy-term dictionary, loaded once."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    terms = resources.files("policydiff").joinpath("data/policy_terms.txt")
    with terms.open("r", encoding="utf-8") as fh:
        tokenizer.load_userdict(fh)
    return tokenizer


def load() -> None:
    """Load the segmenter now (e.g. while a UI starts) instead of on first use."""
    _jieba()


def _cut_cjk(run: str) -> list[str]:
    pieces = list(_jieba().cut(run, HMM=False))
    if "".join(pieces) != run:  # never lose a character, whatever jieba does
        return list(run)
    return pieces


def _tokenize_gap(text: str, start: int, end: int, out: list[Token]) -> None:
    for m in _PIECE.finditer(text, start, end):
        kind = m.lastgroup
        s, e = m.start(), m.end()
        if kind == "cjk":
            pos = s
            for piece in _cut_cjk(m.group()):
                out.append(Token(piece, pos, pos + len(piece), "word"))
                pos += len(piece)
        elif kind == "num":
            out.append(Token(m.group(), s, e, "number"))
        elif kind == "latin":
            out.append(Token(m.group(), s, e, "word"))
        elif kind == "space":
            out.append(Token(m.group(), s, e, "space"))
        else:
            out.append(Token(m.group(), s, e, "punct"))


@lru_cache(maxsize=4096)
def _tokenize_cached(text: str) -> tuple[Token, ...]:
    out: list[Token] = []
    pos = 0
    for qs, qe in quantity_spans(text):
        if (qs > 0 and text[qs - 1].isdigit()) or (qe < len(text) and text[qe].isdigit()):
            continue  # a span inside a run of non-ASCII digits (１２): keep the run whole
        if qs > pos:
            _tokenize_gap(text, pos, qs, out)
        out.append(Token(text[qs:qe], qs, qe, "number"))
        pos = qe
    if pos < len(text):
        _tokenize_gap(text, pos, len(text), out)
    return tuple(out)


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order; their texts joined give ``text`` back exactly."""
    return list(_tokenize_cached(text))


def words(text: str) -> list[str]:
    """The words and figures of ``text`` (no punctuation, no whitespace)."""
    return [t.text for t in _tokenize_cached(text) if t.kind in ("word", "number")]


def is_loaded() -> bool:
    """Whether jieba has been loaded in this process (for tests and benchmarks)."""
    return _jieba.cache_info().currsize > 0
