"""Text normalisation for comparing wording across scripts and typesetting.

Two policies that say the same thing may differ in script (a Hong Kong or Taiwan
reprint in Traditional characters), in character width (ＡＩ, ２０２５ from a Word
export) and in whitespace (OCR line breaks inside words). Comparisons of wording
should see none of that, so they run on the normalised text; :func:`normalize_map`
keeps, for each normalised character, the offset of the original character it came
from, so results can point back into the document as written.

Minimal version written for ``policydiff reuse``; the ingest branch provides the
same API (``normalize``, ``normalize_map``, ``to_simplified``) and the two are
reconciled at merge.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def _converter():  # -> opencc.OpenCC
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional characters to Simplified (OpenCC ``t2s``); Simplified text is unchanged."""
    if not text:
        return text
    return _converter().convert(text)


def _fold_width(ch: str) -> str:
    """Full-width ASCII letters and digits to half-width; CJK punctuation is kept.

    NFKC would also turn ，；！？ into ASCII, which the sentence splitter and the word
    diff read as different marks, so only letters, digits and the ideographic space fold.
    """
    o = ord(ch)
    if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return chr(o - 0xFEE0)
    if o == 0x3000:
        return " "
    return ch


def normalize_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the original offset.

    Simplified script, half-width letters and digits, every run of whitespace one
    space (none at either end). ``offsets[i]`` is the index in ``text`` of the
    character normalised character ``i`` comes from.
    """
    simple = to_simplified(text)
    if len(simple) != len(text):
        # A phrase conversion changed the length: convert character by character so
        # every output character still has its source (t2s is almost always 1:1).
        simple = "".join(to_simplified(ch) if len(to_simplified(ch)) == 1 else ch
                         for ch in text)
    out: list[str] = []
    offsets: list[int] = []
    pending_space = -1
    for i, ch in enumerate(simple):
        ch = _fold_width(ch)
        if ch.isspace():
            if out and pending_space < 0:
                pending_space = i
            continue
        if pending_space >= 0:
            out.append(" ")
            offsets.append(pending_space)
            pending_space = -1
        out.append(ch)
        offsets.append(i)
    return "".join(out), offsets


def normalize(text: str) -> str:
    """The normalised text (see :func:`normalize_map`)."""
    return normalize_map(text)[0]


__all__ = ["normalize", "normalize_map", "to_simplified"]
