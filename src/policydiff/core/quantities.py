"""Quantities in Chinese policy text: a number with its multiplier, unit and qualifiers.

One module finds them so that every consumer agrees on what a figure is: the word
diff keeps each quantity as one token (``4000亿元`` never splits into ``4000`` and
``亿元``), targets extraction reads value, unit and qualifiers from it, and the
suggestion engine uses figures as evidence.

Chinese numerals are converted with ``cn2an`` (not by hand). A Chinese numeral only
counts as a quantity when a multiplier or unit follows it, so ``一是``, ``一批`` and
``十四五`` are words, not figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from policydiff.core.units import MULTIPLIERS, parse_unit, unit_words

# Units as they are written after a number, from the units table (core/units.py).
UNITS: tuple[str, ...] = tuple(unit_words())
MULTIPLIER_CHARS = "十百千万亿"
APPROX_CHARS = "余多"
PREFIX_QUALIFIERS: tuple[str, ...] = (
    "不少于", "不低于", "不超过", "超过", "突破", "达到", "升至", "增至", "提高到", "提升至",
    "力争", "至少", "约", "近", "逾", "达", "超",
)
SUFFIX_QUALIFIERS: tuple[str, ...] = ("以上", "以下", "以内", "左右", "上下")

_CN_DIGITS = "零〇一二两三四五六七八九"
# 一万二千 is one numeral; 两万人 is 两 with the multiplier 万 (kept in the unit, as written)
_CN_NUM = f"[{_CN_DIGITS}十百千]+(?:[万亿][{_CN_DIGITS}十百千]+)*"
_CN_BEFORE = frozenset(_CN_DIGITS + "十百千万亿第")
_AR_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # 1,000 or 1000.5
_PERCENT = f"百分之(?:{_CN_NUM}|\\d+(?:\\.\\d+)?)"  # 百分之十五 = 15%
_FRACTION = rf"(?:\d+/\d+|[{_CN_DIGITS}十百]+分之[{_CN_DIGITS}十百]+)"
# 千 in front of 瓦/克/米 belongs to the unit (100万千瓦 = 100 × 万 × 千瓦).
_MULT = r"(?:[十百万亿]|千(?![瓦克米]))*"
_DOUBLING = re.compile(r"翻(?P<n>[一两二三四五六七八九]|\d)番")
_UNIT_RE = "|".join(re.escape(u) for u in sorted(set(UNITS), key=len, reverse=True))
_SEP = r"(?:-|－|–|—|~|～|至|到)"
_SUFFIX_RE = "|".join(SUFFIX_QUALIFIERS)
_PREFIX_RE = "|".join(sorted(PREFIX_QUALIFIERS, key=len, reverse=True))


def _part(tag: str) -> str:
    return (
        rf"(?P<{tag}num>{_PERCENT}|{_FRACTION}|{_AR_NUM}|{_CN_NUM})"
        rf"(?P<{tag}ap1>[{APPROX_CHARS}])?"
        rf"(?P<{tag}mult>{_MULT})"
        rf"(?P<{tag}ap2>[{APPROX_CHARS}])?"
        rf"(?P<{tag}unit>{_UNIT_RE})?"
    )


_QUANTITY = re.compile(
    rf"(?<![A-Za-z0-9.第])"
    rf"{_part('a')}"
    rf"(?:{_SEP}{_part('b')})?"
    rf"(?P<suffix>{_SUFFIX_RE})?"
    rf"(?:(?<=[0-9.])(?![A-Za-z0-9.])|(?<![0-9.]))"
)
_PREFIX_BEFORE = re.compile(rf"(?:{_PREFIX_RE})$")


@dataclass(frozen=True)
class Quantity:
    """A figure found in a text.

    ``start``/``end`` span the token (number, multiplier, approximation, unit and a
    suffix qualifier such as 以上); ``prefix`` is a qualifier word right before it
    (超过, 达到, …), kept apart because it is a word of the sentence.
    """

    start: int
    end: int
    text: str
    number: str
    value: float
    value_max: float | None
    unit: str
    approx: str
    suffix: str
    prefix: str

    @property
    def figure(self) -> str:
        """The figure as an analyst quotes it: number and unit, e.g. ``4000亿元``."""
        return self.text

    @property
    def is_bare(self) -> bool:
        """A number without a unit that is not a share (1/3, 三分之一): the 4 of “4+X”,
        the 2024 of “2024国际…会议”. Such a number names something; it measures nothing."""
        return not self.unit and "/" not in self.number and "分之" not in self.number

    @property
    def qualifier(self) -> str:
        """Prefix and suffix qualifiers joined, e.g. ``超过`` or ``以上``."""
        return "".join(q for q in (self.prefix, self.approx and self.approx, self.suffix) if q)


def _cn2an():  # imported on first use: cn2an costs ~80 ms at start-up
    import cn2an

    return cn2an.cn2an


_CN_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def _cn_digits(text: str) -> float | None:
    """Digit-by-digit numerals (二〇三五) as cn2an's "smart" mode reads them, or None."""
    if "两" in text or not all(c in _CN_VALUE for c in text):
        return None
    return float(int("".join(str(_CN_VALUE[c]) for c in text)))


def _cn_section(text: str) -> int | None:
    """A numeral below 10,000 (三千零五, 十五, 二百); None for abbreviations (一百五)."""
    if not text or "〇" in text:
        return None
    total, digit, last_unit, zero = 0, None, None, False
    for c in text:
        if c in _CN_UNIT:
            unit = _CN_UNIT[c]
            if last_unit is not None and unit >= last_unit:
                return None
            if digit is None and (unit != 10 or last_unit is not None or zero):
                return None  # only 十 may stand alone, and only first (十五)
            if zero and last_unit is not None and unit * 10 >= last_unit:
                return None  # 零 stands for a skipped place: 一千零一百 is not a numeral
            total += (1 if digit is None else digit) * unit
            digit, last_unit, zero = None, unit, False
        elif c == "零":
            if digit is not None or zero or last_unit not in (100, 1000):
                return None
            zero = True
        elif c in _CN_VALUE:
            if digit is not None:
                return None
            digit = _CN_VALUE[c]
        else:
            return None
    if zero and digit is None:
        return None
    if digit is not None:
        if last_unit is not None and last_unit != 10 and not zero:
            return None  # 一百五 means 150: leave such abbreviations to cn2an
        total += digit
    return total


def _cn_numeral(text: str) -> float | None:
    """A Chinese numeral (一亿零五百万, 两千, 十五) without cn2an, or None to ask cn2an.

    Importing cn2an compiles its patterns (~0.1-0.3 s), more than a whole command
    otherwise takes; the regular forms are read here and only the rare irregular ones
    (一万二, 一百五, 〇 inside a numeral) go to cn2an. A test checks both agree.
    """
    for big, mult in (("亿", 10**8), ("万", 10**4)):
        head, found, tail = text.partition(big)
        if found:
            if not head or (big == "万" and "亿" in tail):
                return None
            h = _cn_numeral(head)
            if h is None or (big == "万" and h >= 10**4):
                return None
            if not tail:
                return h * mult
            if tail.startswith("零"):
                t = _cn_numeral(tail[1:])
                if t is None or t * 10 >= mult:
                    return None
            else:
                t = _cn_numeral(tail)
                if t is None or t * 10 < mult:  # 一万二 (12000): cn2an's reading
                    return None
            if t >= mult:
                return None
            return h * mult + t
    section = _cn_section(text)
    return None if section is None else float(section)


@lru_cache(maxsize=4096)
def parse_number(text: str) -> float | None:
    """Convert an Arabic or Chinese numeral (or a fraction like 1/3, 三分之一) to a float."""
    if not text:
        return None
    if "/" in text:
        num, _, den = text.partition("/")
        try:
            return int(num) / int(den)
        except (ValueError, ZeroDivisionError):
            return None
    if text.startswith("百分之"):
        return parse_number(text[3:])
    if re.fullmatch(_AR_NUM, text):
        return float(text.replace(",", ""))
    if "分之" in text:
        den, _, num = text.partition("分之")
        d, n = parse_number(den), parse_number(num)
        return n / d if d and n is not None else None
    if re.fullmatch(f"[{_CN_DIGITS}]{{2,}}", text) and not text.startswith(("两",)):
        # Digit-by-digit numerals such as 二〇三五 (years).
        fast = _cn_digits(text)
        if fast is not None:
            return fast
        try:
            return float(_cn2an()(text, "smart"))
        except ValueError:
            return None
    fast = _cn_numeral(text)
    if fast is not None:
        return fast
    if not text.startswith("十") and not any(c in _CN_VALUE for c in text):
        return None  # units alone (百, 千万) are no numeral: cn2an would refuse them too
    try:
        return float(_cn2an()(text.replace("两", "二"), "normal"))
    except (ValueError, KeyError):
        return None


def _is_chinese(num: str) -> bool:
    return not any(ch.isdigit() for ch in num)


def find_quantities(text: str) -> list[Quantity]:
    """All quantities in ``text``, left to right, non-overlapping."""
    found: list[Quantity] = []
    for m in _DOUBLING.finditer(text):  # 翻一番 = ×2, 翻两番 = ×4
        n = parse_number(m["n"])
        if n is not None and 0 < n < 10:
            found.append(_make(text, m.start(), m.end(), m.group(0), 2.0 ** n, None, "倍", "", ""))
    taken = [(q.start, q.end) for q in found]
    for m in _QUANTITY.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        anum, amult, aunit = m["anum"], m["amult"] or "", m["aunit"] or ""
        has_b = m["bnum"] is not None
        bmult, bunit = (m["bmult"] or "", m["bunit"] or "") if has_b else ("", "")
        if _is_chinese(anum) and "分之" not in anum and not (amult or aunit or bmult or bunit):
            continue  # 一是, 十四五: words, not figures
        if _is_chinese(anum) and m.start() and text[m.start() - 1] in _CN_BEFORE:
            continue  # 第十四个: the regex restarted inside a longer numeral or an ordinal
        if has_b and _is_chinese(m["bnum"]) != _is_chinese(anum):
            continue
        value = parse_number(anum)
        if value is None:
            continue
        value_max = parse_number(m["bnum"]) if has_b else None
        if has_b and value_max is None:
            continue
        aunit_all = amult + aunit
        if anum.startswith("百分之") and not aunit_all:
            aunit_all = "%"  # 百分之十五 is written without a unit but means 15%
        approx = m["aap1"] or m["aap2"] or (m["bap1"] or m["bap2"] if has_b else None) or ""
        if has_b and aunit_all and (bmult + bunit) and aunit_all != bmult + bunit:
            # 3年至5个 is not one range: keep the first quantity only.
            end_a = max(m.end(g) for g in ("anum", "aap1", "amult", "aap2", "aunit") if m[g])
            found.append(_make(text, m.start(), end_a, anum, value, None, aunit_all, approx, ""))
            continue
        # 2-3万人: a unit written once, at the end, applies to both ends of the range.
        unit = (bmult + bunit) if has_b and (bmult or bunit) else aunit_all
        found.append(_make(text, m.start(), m.end(), anum, value, value_max, unit, approx,
                           m["suffix"] or ""))
    found.sort(key=lambda q: q.start)
    return found


def _make(text: str, start: int, end: int, number: str, value: float, value_max: float | None,
          unit: str, approx: str, suffix: str) -> Quantity:
    pm = _PREFIX_BEFORE.search(text, max(0, start - 4), start)
    prefix = pm.group(0) if pm else ""
    return Quantity(
        start=start, end=end, text=text[start:end], number=number, value=value,
        value_max=value_max, unit=unit, approx=approx, suffix=suffix, prefix=prefix,
    )


def multiplier(unit: str) -> float:
    """The factor of the multipliers leading ``unit``: 1e8 for 亿元, 1e4 for 万千瓦, 1 for 千瓦."""
    return parse_unit(unit).multiplier


_MULTIPLIER_VALUES = MULTIPLIERS


def quantity_spans(text: str) -> list[tuple[int, int]]:
    """Spans of quantities, for tokenizers that must keep each figure whole."""
    return [(q.start, q.end) for q in find_quantities(text)]
