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


def places(text: str) -> list[str]:
    """The place names ``text`` starts with, outermost first.

    ``上海市浦东新区人工智能…`` → [上海市, 浦东新区]; ``苏州市…`` → [苏州市]; a text that
    starts with 本市/全区/关于 names none.
    """
    text = (text or "").strip().lstrip("《“\"")
    if text.startswith(_LOCAL_REFS):
        return []
    m = _PLACE.match(text)
    if not m:
        return []
    place = m.group(1)
    nxt = text[m.end(1):m.end(1) + 1]
    if nxt and nxt in "市省区县" and not place.endswith(("市", "省", "区", "县")):
        place += nxt  # 苏州 + 市: the shortest match stopped at 州
    out = [place]
    rest = text[len(place) + (len(m.group(0)) - len(m.group(1))):]
    # District names are two to four characters before their unit (浦东新区, 南山区, 某区).
    units = "新片区|新区|区|县" + ("|市|州" if place.endswith(("省", "自治区")) else "")
    m2 = re.match(rf"([\u4e00-\u9fff]{{1,4}}?(?:{units}))", rest)
    if place.endswith(("市", "省", "自治区")) and m2 and not m2.group(1).endswith("地区"):
        inner = m2.group(1)
        if inner.endswith("州") and rest[len(inner):len(inner) + 1] == "市":
            inner += "市"  # 苏州 + 市
        out.append(inner)
    return out


def _place(text: str) -> str:
    found = places(text)
    return found[-1] if found else ""


def document_jurisdiction(meta: DocumentMeta, region: str = "") -> tuple[str, str]:
    """The place a document speaks for, and the larger place it belongs to.

    Metadata (``jurisdiction``, ``parent_jurisdiction``) wins. Otherwise the place
    names the policy's, the issuer's or the title's wording starts with: the most
    specific is the jurisdiction and the one before it the parent (某市某区… → 某区 in
    某市). Else the issuer's outer place (上海市浦东新区人民政府), else the project's
    ``region`` for a unit below a city.
    """
    extra = getattr(meta, "extra", {}) or {}
    place = str(extra.get("jurisdiction") or "")
    parent = str(extra.get("parent_jurisdiction") or "")
    if not place:
        for text in (meta.policy, meta.issuer or "", meta.title):
            found = places(text or "")
            if found:
                place = found[-1]
                if not parent and len(found) > 1:
                    parent = found[-2]
                break
    if not parent and place:
        outer = places(meta.issuer or "")
        if outer and outer[0] != place and place in (meta.issuer or ""):
            parent = outer[0]
        elif region and region != place and level(place) == 1:
            parent = region
    return place, parent


def jurisdiction(meta: DocumentMeta) -> str:
    """The jurisdiction a document speaks for ('' when nothing says)."""
    return document_jurisdiction(meta)[0]


def parent_jurisdiction(meta: DocumentMeta, region: str = "") -> str:
    """The higher jurisdiction: from the metadata or the place names ('' otherwise)."""
    return document_jurisdiction(meta, region)[1]


def level(place: str) -> int:
    """0 for a province or city, 1 for anything below (district, zone, county)."""
    return 0 if place.endswith(_HIGHER) and not place.endswith("新区") else 1
