"""Units of Chinese policy figures: what each measures and its factor, from one data table.

Figures line up across documents only when their units are commensurable (万千瓦 and
亿千瓦 are both power; 亿元 and 家 are not), and a target is met only if the later figure,
converted to the same base, reaches it. The table below is the single source: the
quantity parser reads its unit words from it (so 万吨, 100万千瓦, 亿千瓦时 parse whole),
``metrics.yaml`` may only name units it knows, and progress converts with it.

A unit as written is ``<multipliers><unit>``: 万千瓦 = 万 × 千瓦. Multipliers are
十 百 千 万 亿 (千 is not a multiplier in front of 瓦/克/米, where it is part of the unit).
"""

from __future__ import annotations

from dataclasses import dataclass

# unit | family | factor to the family's base unit | note
# Families: money-cny, money-usd, people, visits, orgs (家), items (个/项…), vehicles,
# batches (批) and categories (类) — groups, never commensurable with the items they hold —
# mass, coal (standard coal), power (kW), energy (kWh), area (m²), length (m),
# volume (m³), share (%), points (percentage points), ratio (倍), compute (PFlops),
# containers (TEU), time and structure (never figures).
_TABLE = """
元|money-cny|1
美元|money-usd|1
人|people|1
名|people|1
位|people|1
人次|visits|1
家|orgs|1
户|orgs|1
个|items|1
项|items|1
件|items|1
条|items|1
款|items|1
套|items|1
台|items|1
批|batches|1
类|categories|1
大类|categories|1
支|items|1
所|items|1
座|items|1
栋|items|1
张|items|1
架|items|1
次|items|1
辆|vehicles|1
吨|mass|1
公斤|mass|0.001
千克|mass|0.001
克|mass|0.000001
吨标准煤|coal|1
吨标煤|coal|1
瓦|power|0.001
千瓦|power|1
兆瓦|power|1000
吉瓦|power|1000000
千瓦时|energy|1
度|energy|1
平方米|area|1
方|area|1
平方公里|area|1000000
公顷|area|10000
亩|area|666.6667
米|length|1
千米|length|1000
公里|length|1000
立方米|volume|1
%|share|1
％|share|1
成|share|10
个百分点|points|1
倍|ratio|1
PFlops|compute|1
EFlops|compute|1000
标准箱|containers|1
年|time|1
月|time|1
日|time|1
天|time|1
周年|time|1
届|structure|1
章|structure|1
部分|structure|1
"""

MULTIPLIERS: dict[str, float] = {"十": 10.0, "百": 100.0, "千": 1e3, "万": 1e4, "亿": 1e8}
NOT_FIGURE_FAMILIES = frozenset({"time", "structure"})


@dataclass(frozen=True)
class Unit:
    """One unit word of the table."""

    word: str
    family: str
    factor: float


def _load(table: str) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for line in table.strip().splitlines():
        word, family, factor = line.split("|")
        units[word] = Unit(word, family, float(factor))
    return units


UNITS: dict[str, Unit] = _load(_TABLE)
# Unit words that begin with a multiplier character: 千瓦 is not 千 × 瓦.
_MULTIPLIER_LED = tuple(sorted((w for w in UNITS if w[0] in MULTIPLIERS), key=len, reverse=True))


@dataclass(frozen=True)
class ParsedUnit:
    """A unit as written, split: 万千瓦 → multiplier 1e4, unit 千瓦 (power, factor 1)."""

    written: str
    multiplier: float
    unit: Unit | None  # None: a bare number with a multiplier (40余万), or unknown

    @property
    def family(self) -> str:
        return self.unit.family if self.unit else ("count" if self.written else "")

    @property
    def factor(self) -> float:
        """Multiply a value written with this unit by this to get the family's base unit."""
        return self.multiplier * (self.unit.factor if self.unit else 1.0)


def parse_unit(written: str) -> ParsedUnit:
    """Split ``written`` into multipliers and a unit of the table (unknown: ``unit=None``)."""
    factor = 1.0
    rest = written
    while rest and rest[0] in MULTIPLIERS and not rest.startswith(_MULTIPLIER_LED):
        factor *= MULTIPLIERS[rest[0]]
        rest = rest[1:]
    return ParsedUnit(written, factor, UNITS.get(rest) if rest else None)


def known_unit(written: str) -> bool:
    """True if ``written`` is a table unit with optional multipliers (or empty: a share)."""
    parsed = parse_unit(written)
    return not written or parsed.unit is not None or (parsed.multiplier != 1 and not
                                                      written.lstrip("十百千万亿"))


def commensurable(a: str, b: str) -> bool:
    """True if figures written in ``a`` and ``b`` measure the same kind of thing."""
    pa, pb = parse_unit(a), parse_unit(b)
    if pa.unit is None and pb.unit is None:
        return True  # both bare (a share such as 1/3, or 40余万)
    if (pa.unit is None and pa.multiplier != 1) or (pb.unit is None and pb.multiplier != 1):
        return True  # 1000亿 without 元: the metric says what it counts; only 亿 converts
    if pa.unit is None or pb.unit is None:
        return False
    return pa.family == pb.family


def convert(value: float, unit: str, to: str) -> float | None:
    """``value`` written in ``unit`` expressed in ``to`` (None if not commensurable)."""
    if not commensurable(unit, to):
        return None
    return value * parse_unit(unit).factor / parse_unit(to).factor


def unit_words() -> list[str]:
    """Every unit word, longest first (for the quantity parser's regex)."""
    return sorted(UNITS, key=len, reverse=True)
