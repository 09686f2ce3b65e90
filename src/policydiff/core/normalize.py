"""One canonical form of Chinese text, so that script, width and spacing are never "changes".

A draft published in Traditional script (``第一條（立法目的）為了…``) and its final text in
Simplified (``第一条``) say the same thing; so do ``２０２５年`` and ``2025年``, ``(一)`` and
``（一）``, and a PDF line broken as ``人工 智能``. Comparisons run on :func:`normalize`'s
output; :func:`normalize_map` also says where each normalised character came from, so a
diff computed on the canonical text can be shown on the original one.

The canonical form:

* Simplified script (OpenCC ``t2s``, phrase-aware; Simplified text passes unchanged);
* half-width Latin letters, digits and ``%`` (``２０２５`` → ``2025``); CJK compatibility
  ideographs folded (NFKC, only for them: NFKC would also turn ``，`` into ``,``);
* Chinese punctuation full-width: ``, ; : ! ? ( )`` next to Chinese text become
  ``，；：！？（）`` (a comma inside ``1,000`` stays);
* whitespace: none next to a Chinese character or punctuation mark (``AI 芯片`` and
  ``AI芯片`` are one text), one space between two Latin words, none at either end.

This module is a placeholder with the API the ingest branch builds
(``normalize``, ``normalize_map``, ``to_simplified``); the two are reconciled at merge.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CJK_RANGES = (
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF00, 0xFFEF),  # full-width forms
    (0x2E80, 0x2FDF), (0x20000, 0x3134F),
    (0x2010, 0x2027),  # dashes, quotes “”‘’, ellipsis
)
_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


_CJK_CLASS = re.compile("[" + "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _CJK_RANGES) + "]")


def _is_cjk(ch: str) -> bool:
    return _CJK_CLASS.match(ch) is not None


@lru_cache(maxsize=1)
def _converter():  # -> opencc.OpenCC | None
    try:
        import opencc
    except ImportError:  # pragma: no cover - a declared dependency; degrade, do not crash
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` in Simplified script (OpenCC t2s, phrase-aware); other text is unchanged."""
    conv = _converter()
    if conv is None or not text:
        return text
    return conv.convert(text)


def _simplified_chars(text: str) -> list[tuple[str, int]]:
    """Simplified text as (character, original index) pairs.

    OpenCC's t2s keeps the length for almost every text; when a phrase conversion
    changes it, the text is converted character by character instead so that each
    output character still knows its source.
    """
    simple = to_simplified(text)
    if len(simple) == len(text):
        return [(c, i) for i, c in enumerate(simple)]
    out: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        out.extend((c, i) for c in to_simplified(ch))
    return out


def _fold(ch: str) -> str:
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        ascii_ch = chr(o - 0xFEE0)
        if ascii_ch.isalnum() or ascii_ch in "%.+-/":
            return ascii_ch
        return ch
    if ch == "\u3000":
        return " "
    if 0xF900 <= o <= 0xFAFF or 0x2F800 <= o <= 0x2FA1F:
        return unicodedata.normalize("NFKC", ch)
    return ch


_NEEDS_WORK = re.compile(r"[\s\uff01-\uff5e\u3000\uf900-\ufaff\U0002f800-\U0002fa1f,;:!?()]")
_NEEDS_FOLD = re.compile(r"[\uff01-\uff5e\u3000\uf900-\ufaff\U0002f800-\U0002fa1f]")


def normalize_map(text: str) -> tuple[str, list[int]]:
    """The canonical form of ``text`` and, for each of its characters, the index in ``text``.

    The map has one more entry than the result: ``len(text)``, so a span ``[s, e)`` of
    the result maps to ``text[m[s]:m[e]]`` (dropped whitespace is attached to the
    character before it).
    """
    if not _NEEDS_WORK.search(text):  # the common case: only the script may change
        simple = _simplified_chars(text)
        return "".join(c for c, _ in simple), [i for _, i in simple] + [len(text)]
    chars: list[tuple[str, int]] = []
    if _NEEDS_FOLD.search(text):
        for ch, i in _simplified_chars(text):
            for c in _fold(ch):
                chars.append((c, i))
    else:
        chars = _simplified_chars(text)
    # punctuation width needs the neighbours, which may change too: repeat to a fixed point
    n = len(chars)
    changed = True
    while changed:
        changed = False
        for k in [k for k, (c, _) in enumerate(chars) if c in _TO_FULL]:
            c, i = chars[k]
            full = _TO_FULL.get(c)
            if full is None:
                continue
            prev = next((chars[j][0] for j in range(k - 1, -1, -1)
                         if not chars[j][0].isspace()), "")
            nxt = next((chars[j][0] for j in range(k + 1, n) if not chars[j][0].isspace()), "")
            if c in ",:" and prev.isascii() and prev.isalnum() and nxt.isascii() \
                    and nxt.isalnum():
                continue  # 1,000 and 10:30 keep their ASCII marks
            if c in "()" or (prev and _is_cjk(prev)) or (nxt and _is_cjk(nxt)):
                chars[k] = (full, i)
                changed = True
    out: list[str] = []
    where: list[int] = []
    k = 0
    while k < n:
        c, i = chars[k]
        if not c.isspace():
            out.append(c)
            where.append(i)
            k += 1
            continue
        j = k
        while j < n and chars[j][0].isspace():
            j += 1
        if out and j < n and not (_is_cjk(out[-1]) or _is_cjk(chars[j][0])):
            out.append(" ")
            where.append(i)
        k = j
    where.append(len(text))
    return "".join(out), where


def normalize(text: str) -> str:
    """The canonical form of ``text``: Simplified script, folded width, collapsed spaces."""
    return normalize_map(text)[0]
