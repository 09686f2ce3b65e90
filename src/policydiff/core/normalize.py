"""Normalisation for comparison, never for storage.

The same policy reaches an analyst in different clothes: a draft posted in
Traditional script (``發展``), a web copy with full-width digits (``２０２５年``), an
OCR'd page with hard line breaks, a Word export with ``(一)`` where the final text
has ``（一）``. Comparisons (anchor resolution, word diffs, target extraction,
search) should not see these differences; the user should still be shown the
original text. So this module is pure and only ever returns a *view*:

* :func:`normalize` — the text comparisons see;
* :func:`normalize_map` — the same text plus, for each of its characters, the index
  of the character of the original it came from, so a match found in the
  normalised text can be shown in the original (:func:`original_span`);
* :func:`to_simplified` — Traditional → Simplified only.

What is folded, and why
-----------------------
1. **Script**: Traditional → Simplified with OpenCC's ``t2s`` configuration (phrase
   aware: 發展→发展, 條例→条例, 乾燥→干燥 but 乾隆 stays). It converts characters,
   not regional vocabulary (軟體 stays 软体, not 软件): the texts compared are
   mainland policies, sometimes rendered in Traditional script, and vocabulary
   substitution would invent differences. ``t2s`` keeps the length of the text;
   if a phrase ever changed length the conversion falls back to character by
   character for that stretch, so the offset map stays exact.
2. **Width**: full-width Latin letters, digits and symbols (``Ａ``, ``２``, ``％``,
   ``．``) become ASCII (what NFKC does), but *not* the enclosed numbers (``①``
   stays: NFKC would turn it into ``1`` and lose the item marker).
3. **Punctuation**: Chinese punctuation carries meaning and is the canonical form in
   Chinese prose, so ASCII punctuation that stands for it is folded *to the Chinese
   form*: ``,`` ``;`` ``:`` ``!`` ``?`` → ``，`` ``；`` ``：`` ``！`` ``？`` — except between two
   digits, where a comma or colon (either width) is part of a number and becomes
   ASCII (``1，000`` → ``1,000``, ``10：30`` → ``10:30``); ``(`` ``)`` → ``（`` ``）``;
   ``「」`` → ``“”`` and
   ``『』`` → ``‘’`` (Traditional quotation marks). ``.`` is left alone (decimal point);
   ``。`` stays distinct from it.
4. **Whitespace**: zero-width characters go; a run of whitespace (including the
   ideographic space U+3000 and line breaks) disappears next to a CJK character or
   Chinese punctuation (Chinese is written without spaces, so a space there is a
   line wrap or indentation) and becomes one space between two Latin/digit
   characters (``AI 芯片`` → ``AI芯片``, ``Open AI`` stays). Leading and trailing
   whitespace is dropped.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["normalize", "normalize_map", "original_span", "to_simplified"]

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_TO_CHINESE = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_FROM_CHINESE = {"，": ",", "：": ":"}
_ALWAYS = {"(": "（", ")": "）", "「": "“", "」": "”", "『": "‘", "』": "’"}


@lru_cache(maxsize=1)
def _converter():  # -> opencc.OpenCC | None
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a declared dependency
        return None
    return opencc.OpenCC("t2s")


def _convert_piece(text: str) -> str:
    converter = _converter()
    return converter.convert(text) if converter is not None else text


def to_simplified(text: str) -> str:
    """Traditional → Simplified (OpenCC ``t2s``), always the same length as ``text``."""
    if not text or text.isascii():
        return text
    converted = _convert_piece(text)
    if len(converted) == len(text):
        return converted
    # A phrase changed length (not seen with t2s, but not excluded): convert the
    # characters one by one so every index keeps its meaning.
    out = []
    for ch in text:
        one = _convert_piece(ch)
        out.append(one if len(one) == 1 else ch)
    return "".join(out)


def _is_cjk(ch: str) -> bool:
    code = ord(ch)
    return (0x3000 <= code <= 0x303F or 0x3400 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF
            or 0xFF00 <= code <= 0xFFEF or 0x2E80 <= code <= 0x2FDF
            or 0x20000 <= code <= 0x3FFFF
            or ch in "“”‘’…—·《》")


def _fold_width(ch: str) -> str:
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ascii_ch = chr(code - 0xFEE0)
        # Full-width forms of the Chinese prose punctuation are the Chinese form already.
        if ascii_ch in _TO_CHINESE or ascii_ch in "()":
            return ch
        return ascii_ch
    return ch


def normalize_map(text: str) -> tuple[str, list[int]]:
    """The normalised text and, per character of it, its index in ``text``.

    The map has one more entry than the result, ``len(text)``, so a span ``[s, e)`` of
    the result comes from ``text[m[s]:m[e - 1] + 1]`` and an end offset ``e`` can be
    looked up directly as ``m[e]`` (see :func:`original_span`).
    """
    simplified = to_simplified(text)
    chars: list[str] = []
    index: list[int] = []
    pending_space: int | None = None  # index of the first whitespace of a pending run
    n = len(simplified)
    for i, ch in enumerate(simplified):
        if ch in _ZERO_WIDTH:
            continue
        if ch.isspace():
            if pending_space is None:
                pending_space = i
            continue
        ch = _fold_width(ch)
        if ch in _ALWAYS:
            ch = _ALWAYS[ch]
        elif ch in _TO_CHINESE or ch in _FROM_CHINESE:
            before = chars[-1] if chars else ""
            j = i + 1
            while j < n and (simplified[j].isspace() or simplified[j] in _ZERO_WIDTH):
                j += 1
            after = _fold_width(simplified[j]) if j < n else ""
            if before.isascii() and before.isdigit() and after.isascii() and after.isdigit():
                ch = _FROM_CHINESE.get(ch, ch)  # 1，000 and 10：30 are numbers
            else:
                ch = _TO_CHINESE.get(ch, ch)
        if pending_space is not None:
            if chars and not _is_cjk(chars[-1]) and not _is_cjk(ch):
                chars.append(" ")
                index.append(pending_space)
            pending_space = None
        chars.append(ch)
        index.append(i)
    index.append(len(text))
    return "".join(chars), index


def normalize(text: str) -> str:
    """The text comparisons see (see the module docstring for what is folded)."""
    return normalize_map(text)[0]


def original_span(mapping: list[int], start: int, end: int) -> tuple[int, int]:
    """The span of the original text that normalised ``[start, end)`` came from."""
    if len(mapping) <= 1:
        return 0, 0
    if start >= end:
        pos = mapping[min(start, len(mapping) - 1)]
        return pos, pos
    return mapping[start], mapping[end - 1] + 1
