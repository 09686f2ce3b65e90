"""Which government a document speaks for: city, district, zone.

Two documents of different jurisdictions (浦东新区 and 临港新片区, or a district
and its city) are parallel policies, not successive versions of one policy: their
figures are compared as shares, never read as a target being raised or cut. The
metadata fields ``jurisdiction``/``parent_jurisdiction`` win; otherwise the place
name the policy title starts with (``浦东新区人工智能…`` → 浦东新区), else the
issuer's (``上海市人民政府办公厅`` → 上海市). Rules are generic suffixes of
Chinese administrative units, not names of one corpus.
"""

from __future__ import annotations

import re

from policydiff.core.document import DocumentMeta

# A place name: up to 10 characters ending in an administrative unit. The shortest
# match is taken so 上海市浦东新区 reads as 上海市 first (then the district, below).
_UNIT = r"(?:新片区|自治区|自治州|特别行政区|新区|开发区|示范区|高新区|省|市|区|县|州|旗|盟)"
_PLACE = re.compile(rf"^(?:中国（[^）]{{1,6}}）自由贸易试验区)?([\u4e00-\u9fff]{{1,10}}?{_UNIT})")
_LOCAL_REFS = ("本市", "本区", "本省", "全市", "全省", "全区", "关于")
_HIGHER = ("省", "自治区", "市")


def _place(text: str) -> str:
    text = (text or "").strip().lstrip("《“\"")
    if text.startswith(_LOCAL_REFS):
        return ""
    m = _PLACE.match(text)
    if not m:
        return ""
    place = m.group(1)
    # 上海市浦东新区… : the most specific unit named at the start.
    rest = text[len(m.group(0)):]
    # District names are two to four characters before their unit (浦东新区, 南山区).
    m2 = re.match(r"([\u4e00-\u9fff]{2,4}?(?:新片区|新区|区|县))", rest)
    if place.endswith("市") and m2:
        return m2.group(1)
    return place


def jurisdiction(meta: DocumentMeta) -> str:
    """The jurisdiction a document speaks for ('' when nothing says)."""
    given = meta.extra.get("jurisdiction")
    if given:
        return str(given)
    return _place(meta.policy) or _place(meta.issuer or "") or _place(meta.title)


def parent_jurisdiction(meta: DocumentMeta) -> str:
    """The higher jurisdiction when the metadata names it ('' otherwise)."""
    return str(meta.extra.get("parent_jurisdiction") or "")


def level(place: str) -> int:
    """0 for a province or city, 1 for anything below (district, zone, county)."""
    return 0 if place.endswith(_HIGHER) and not place.endswith("新区") else 1
