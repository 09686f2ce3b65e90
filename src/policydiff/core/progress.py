"""Was it met? Each target with a deadline set against the later figures of the same thing.

An analyst publishing a ledger must not compare 重点产业规模 with 规上产业规模, nor a
district's goal with the city's level. A later figure counts as evidence for a target only
if it measures the same metric, in the same jurisdiction, in a commensurable unit
(:mod:`policydiff.core.units`); the verdict is given only when the scope agrees too:

- ``met`` / ``not met``: a later baseline (as of the deadline or after) reaches the target
  (or, for a ceiling such as 不超过/控制在/以内, stays under it);
- ``not comparable (scope differs: 重点 vs 规上)`` or ``(units differ: …)``;
- ``no later figure``: nothing as of the deadline yet.

Besides the verdict: the implied annual growth (CAGR) from the latest earlier baseline to
the target, the target's ratio to the previous target of the same series, and a district
target as a share of its city's.

Pure: takes :class:`~policydiff.core.targets.Target` rows and document dates, returns data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from policydiff.core.targets import Target, counts_another_thing, distinct_figures
from policydiff.core.units import convert, parse_unit

# Words that make a target a ceiling (lower is better).
CEILING_WORDS = ("不超过", "不高于", "以下", "以内", "控制在", "低于")
_RATE_FAMILIES = frozenset({"share", "points", "ratio", ""})


@dataclass(frozen=True)
class Progress:
    """One target's verdict and the figures it rests on."""

    target: Target
    date: str
    verdict: str
    compared: Target | None = None  # the later figure the verdict rests on
    evidence: tuple[Target, ...] = ()  # every later figure of the same metric and place
    cagr: float | None = None  # implied annual growth from `base` to the target
    base: Target | None = None
    previous: Target | None = None  # the previous target of the same series
    ratio_to_previous: float | None = None
    parent: Target | None = None  # the city's target, for a district's
    share_of_parent: float | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON form: the target, the verdict, and each compared figure with its sentence."""
        def brief(t: Target | None) -> dict[str, Any] | None:
            if t is None:
                return None
            d = t.to_dict()
            return {k: d[k] for k in ("doc", "figure", "value", "value_max", "unit", "year",
                                      "kind", "scope", "jurisdiction", "policy", "speaker",
                                      "text")}

        return {
            "target": self.target.to_dict(), "date": self.date, "verdict": self.verdict,
            "compared": brief(self.compared), "evidence": [brief(t) for t in self.evidence],
            "cagr": None if self.cagr is None else round(self.cagr, 4),
            "base": brief(self.base),
            "ratio_to_previous": (None if self.ratio_to_previous is None
                                  else round(self.ratio_to_previous, 4)),
            "previous": brief(self.previous),
            "share_of_parent": (None if self.share_of_parent is None
                                else round(self.share_of_parent, 4)),
            "parent": brief(self.parent), "notes": list(self.notes),
        }


def _is_ceiling(t: Target) -> bool:
    """不超过2000万元, 控制在2.4亿吨左右, 5%以内: a ceiling, met when the level stays under."""
    pos = t.text.find(t.figure)
    lead = t.text[max(0, pos - 4):pos] if pos >= 0 else ""
    return any(w in (t.qualifier or "") or w in lead for w in CEILING_WORDS)


def _value(t: Target, unit: str) -> float | None:
    return convert(t.value, t.unit, unit)


def _same_series(a: Target, b: Target) -> bool:
    return (a.metric == b.metric and a.metric != "other"
            and a.jurisdiction == b.jurisdiction and not counts_another_thing(a, b))


def _commensurable(a: Target, b: Target) -> bool:
    return convert(1.0, a.unit, b.unit) is not None


def progress(targets: Iterable[Target], dates: Mapping[str, str],
             policies: Mapping[str, str] | None = None) -> list[Progress]:
    """A verdict for every distinct target with a deadline, in date order then text order.

    ``dates`` maps document ids to dates (YYYY, YYYY-MM or YYYY-MM-DD); a later figure is
    one of a document dated after the target's. ``policies`` maps document ids to their
    own policy: a target the document quotes from another policy (《…》提出) is judged
    too, but never taken as a revision of this series' previous target.
    """
    policies = policies or {}
    rows = [t for t, _ in distinct_figures(targets)]
    order = {d: i for i, d in enumerate(dates)}
    rows.sort(key=lambda t: (order.get(t.doc, len(order)), t.start))
    out: list[Progress] = []
    for t in rows:
        if t.kind != "target" or t.year is None or t.metric == "other":
            continue
        quoted = bool(policies.get(t.doc)) and t.policy != policies.get(t.doc)
        own = [r for r in rows if not (policies.get(r.doc) and r.policy != policies[r.doc])]
        p = _one(t, own if not quoted else rows, dates, skip_previous=quoted)
        if quoted:
            p = replace(p, notes=(*p.notes, f"a target of 《{t.policy}》 quoted by {t.doc}"))
        out.append(p)
    return out


def _one(t: Target, rows: list[Target], dates: Mapping[str, str],
         skip_previous: bool = False) -> Progress:
    date = dates.get(t.doc, "")
    later = [r for r in rows if r is not t and r.kind == "baseline"
             and _same_series(r, t) and dates.get(r.doc, "") >= date and r.doc != t.doc
             and r.year is not None]
    evidence = tuple(sorted(later, key=lambda r: (r.year or 0, dates.get(r.doc, ""))))
    notes: list[str] = []
    at_deadline = [r for r in evidence if r.year is not None and r.year >= t.year]
    verdict = "no later figure"
    compared = None
    same_unit = [r for r in at_deadline if _commensurable(r, t)]
    same_scope = [r for r in same_unit if r.scope == t.scope]
    if same_scope:
        compared = same_scope[0]
        value = _value(compared, t.unit)
        assert value is not None
        if _is_ceiling(t):
            met = value <= (t.value_max if t.value_max is not None else t.value)
        else:
            met = value >= t.value
        verdict = "met" if met else "not met"
    elif same_unit:
        compared = same_unit[0]
        verdict = (f"not comparable (scope differs: {t.scope or '—'} vs "
                   f"{compared.scope or '—'})")
    elif at_deadline:
        compared = at_deadline[0]
        verdict = f"not comparable (units differ: {t.unit} vs {compared.unit})"
    base = _base(t, rows, dates)
    cagr = None
    if base is not None and base.year is not None and t.year > base.year:
        v0 = _value(base, t.unit)
        if v0 and v0 > 0 and parse_unit(t.unit).family not in _RATE_FAMILIES:
            cagr = (t.value / v0) ** (1 / (t.year - base.year)) - 1
    previous = None if skip_previous else _previous(t, rows, dates)
    ratio = None
    if previous is not None:
        pv = _value(previous, t.unit)
        if previous.scope != t.scope:
            # 4000亿 of 规上 output is not "4 times" 1000亿 of 重点 industries: no ratio.
            notes.append(f"previous target {previous.figure} ({previous.doc}) counts another "
                         f"scope ({previous.scope or '—'} vs {t.scope or '—'}): no ratio")
        elif pv:
            ratio = t.value / pv
    parent, share = _parent_share(t, rows, dates)
    if parent is not None:
        if parent.scope != t.scope:
            notes.append(f"city target's scope differs ({t.scope or '—'} vs "
                         f"{parent.scope or '—'})")
        if parent.year != t.year:
            notes.append(f"city deadline {parent.year}, district deadline {t.year}")
    if t.year < int(date[:4] or 0):
        notes.append(f"deadline {t.year} is before the document ({date})")
    return Progress(t, date, verdict, compared, evidence, cagr, base, previous, ratio,
                    parent, share, tuple(notes))


def _base(t: Target, rows: list[Target], dates: Mapping[str, str]) -> Target | None:
    """The latest baseline of the same series and scope known when the target was set."""
    date = dates.get(t.doc, "")
    cands = [r for r in rows if r.kind == "baseline" and _same_series(r, t)
             and r.scope == t.scope and _commensurable(r, t) and r.year is not None
             and r.year < t.year and dates.get(r.doc, "") <= date]
    return max(cands, key=lambda r: (r.year or 0, dates.get(r.doc, ""))) if cands else None


def _previous(t: Target, rows: list[Target], dates: Mapping[str, str]) -> Target | None:
    """The previous target of the same series: an earlier document's, same scope first."""
    date = dates.get(t.doc, "")
    cands = [r for r in rows if r.kind == "target" and _same_series(r, t)
             and _commensurable(r, t) and dates.get(r.doc, "") < date
             and r.policy != t.policy]
    if not cands:
        return None
    cands.sort(key=lambda r: (r.scope == t.scope, dates.get(r.doc, ""), r.year or 0))
    return cands[-1]


def _parent_share(t: Target, rows: list[Target],
                  dates: Mapping[str, str] | None = None) -> tuple[Target | None, float | None]:
    """The city's target of the same metric nearest in deadline, and the district's share.

    Only a city target still in force when the district set its own counts: a share of
    a goal whose deadline had passed (60 scenarios by 2020, against a district's 300
    by 2023) says nothing.
    """
    if not t.parent_jurisdiction:
        return None, None
    set_in = int((dates or {}).get(t.doc, "0")[:4] or 0)
    cands = [r for r in rows if r.kind == "target" and r.metric == t.metric
             and r.jurisdiction == t.parent_jurisdiction and _commensurable(r, t)
             and r.year is not None and (r.year_max or r.year) >= set_in]
    if not cands:
        return None, None
    parent = min(cands, key=lambda r: (abs((r.year or 0) - (t.year or 0)), r.scope != t.scope))
    pv = _value(parent, t.unit)
    if not pv or parse_unit(t.unit).family in _RATE_FAMILIES:
        return parent, None
    return parent, t.value / pv
