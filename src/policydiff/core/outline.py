"""The numbering of Chinese policy texts: what a heading or item marker looks like.

Shared by extraction (which decides what is a heading when reading a raw source) and
the document model (which gives sections ids from their numbering), so both read a
marker the same way. Pure: text in, data out.

Two families:

* **legal structure** — ``第X编`` (part), ``第X章`` (chapter), ``第X节`` (section),
  ``第X条`` (article), with Chinese or Arabic numerals, optional spaces (``第 一 章``)
  and, for an article, an optional caption in brackets (``第一条（立法目的）``,
  ``第一条【立法目的】``);
* **list numbering** — ``一、`` / ``（一）`` ``(一)`` / ``1.`` ``1、`` ``1。`` ``1．`` /
  ``（1）`` ``(1)`` / ``①`` at outline levels 1 to 5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.core.quantities import parse_number

CN_NUM = "一二三四五六七八九十百千零〇两"
_NUM = rf"[{CN_NUM}\d]+"
_SP = r"[ \t\u3000]*"

#: level, pattern (group 1: the number) of list numbering, outermost first.
HEADING_NUMBERING: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{CN_NUM}]+)、")),
    (2, re.compile(rf"^[（(]([{CN_NUM}]+)[）)]")),
    (3, re.compile(r"^(\d+)[、.．。](?![\d%％])")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
    (5, re.compile(r"^([①-⑳])")),
)

LEGAL_KINDS = ("part", "chapter", "section", "article")
_LEGAL_CHAR = {"编": "part", "章": "chapter", "节": "section", "条": "article",
               "編": "part", "節": "section", "條": "article"}
LEGAL_MARKER = re.compile(rf"^第{_SP}({_NUM}(?:{_SP}{_NUM})*){_SP}([编章节条編節條])")
_CAPTION = re.compile(rf"{_SP}([（(【\[〔][^（()）【】\[\]〔〕。，；]{{1,24}}[）)】\]〕])")


@dataclass(frozen=True)
class Marker:
    """A numbering found at the start of a line."""

    kind: str  # part | chapter | section | article | list
    value: int
    level: int  # list level 1-5; 0 for legal structure
    end: int  # where the marker (and an article's caption) ends in the line
    caption: str = ""


def to_int(numeral: str) -> int | None:
    """``十二`` → 12, ``①`` → 1, ``3`` → 3; None if it is not a numeral."""
    numeral = re.sub(r"\s+", "", numeral)
    if len(numeral) == 1 and "①" <= numeral <= "⑳":
        return ord(numeral) - ord("①") + 1
    value = parse_number(numeral)
    if value is None or value != int(value) or value < 0:
        return None
    return int(value)


def legal_marker(text: str) -> Marker | None:
    """``第X编/章/节/条`` at the start of ``text`` (with an article's caption)."""
    m = LEGAL_MARKER.match(text)
    if not m:
        return None
    value = to_int(m.group(1))
    if value is None:
        return None
    kind = _LEGAL_CHAR[m.group(2)]
    end, caption = m.end(), ""
    if kind == "article":
        c = _CAPTION.match(text, end)
        if c:
            caption, end = c.group(1), c.end()
    return Marker(kind, value, 0, end, caption)


def list_marker(text: str) -> Marker | None:
    """List numbering (一、 / （一） / 1. / （1） / ①) at the start of ``text``."""
    for level, pattern in HEADING_NUMBERING:
        m = pattern.match(text)
        if m:
            value = to_int(m.group(1))
            if value is not None:
                return Marker("list", value, level, m.end())
    return None


def marker(text: str) -> Marker | None:
    """Any numbering at the start of ``text``."""
    return legal_marker(text) or list_marker(text)


def numbering(heading: str) -> tuple[str, int | None]:
    """The list numbering as written (``四、``) and its value (4), if the heading has one."""
    found = list_marker(heading)
    if found is None:
        return "", None
    return heading[:found.end], found.value
