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

from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from policydiff.core.targets import Target, counts_another_thing, distinct_figures, measured
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


def _commensurable(a: Target, b: Target) -> bool:
    return _units_convert(a.unit, b.unit)


@lru_cache(maxsize=1024)
def _units_convert(a: str, b: str) -> bool:
    return convert(1.0, a, b) is not None


# A series' rows of one kind by class (scope, what they count, metric term): rows, sort keys.
_Classes = dict[tuple[str, frozenset[str], str], tuple[list[Target], list[tuple[Any, ...]]]]


class Series:
    """The corpus's figures grouped by series (metric, jurisdiction), for the questions every
    ledger asks of one target: its later figures, its base, its previous target, its city's.

    One index for the progress table and the report's summary, so that both name the same
    previous target; and each target looks only at its own series (and its city's), so a
    corpus with thousands of figures of one metric is not compared pair by pair.
    ``dates`` maps document ids to dates (YYYY, YYYY-MM or YYYY-MM-DD, compared as text).
    """

    def __init__(self, rows: Iterable[Target], dates: Mapping[str, str]) -> None:
        self.dates = dates
        self._series: dict[tuple[str, str], list[Target]] = {}
        self._pos: dict[int, int] = {}  # ties go to the earlier row, as the rows came
        for i, r in enumerate(rows):
            self._series.setdefault((r.metric, r.jurisdiction), []).append(r)
            self._pos[id(r)] = i
        self._by_doc: dict[tuple[str, str], list[tuple[str, str, list[Target]]]] = {}
        self._baselines: dict[tuple[str, str], _Classes] = {}
        self._targets: dict[tuple[str, str], _Classes] = {}

    def _date(self, t: Target) -> str:
        return self.dates.get(t.doc, "")

    def _baselines_by_doc(self, key: tuple[str, str]) -> list[tuple[str, str, list[Target]]]:
        """The series' baselines with a year, per document, in date order."""
        if key not in self._by_doc:
            docs: dict[str, list[Target]] = {}
            for r in self._series.get(key, ()):
                if r.kind == "baseline" and r.year is not None:
                    docs.setdefault(r.doc, []).append(r)
            self._by_doc[key] = sorted((self.dates.get(d, ""), d, rs)
                                       for d, rs in docs.items())
        return self._by_doc[key]

    def later(self, t: Target) -> tuple[Target, ...]:
        """Every baseline of the series in another document dated with or after ``t``'s,
        by as-of year then date."""
        date = self._date(t)
        docs = self._baselines_by_doc((t.metric, t.jurisdiction))
        at = bisect_left(docs, date, key=lambda e: e[0])
        found = [r for _, doc, rs in docs[at:] if doc != t.doc
                 for r in rs if not counts_another_thing(r, t)]
        return tuple(sorted(found, key=lambda r: (r.year or 0, self._date(r),
                                                  self._pos[id(r)])))

    def _classes(self, store: dict[tuple[str, str], _Classes], t: Target, kind: str,
                 order: Callable[[Target], tuple[Any, ...]]) -> _Classes:
        """The series' rows of one kind by class — (scope, what they count) — each oldest
        first with its sort keys, so a target bisects to what came before it and skips
        classes that count another thing (领军企业 against 专精特新企业)."""
        key = (t.metric, t.jurisdiction)
        if key not in store:
            classes: dict[tuple[str, frozenset[str], str], list[Target]] = {}
            for r in self._series.get(key, ()):
                if r.kind == kind and (kind != "baseline" or r.year is not None):
                    classes.setdefault((r.scope, measured(r), r.term), []).append(r)
            store[key] = {c: (rs, [order(r) for r in rs])
                          for c, rs in ((c, sorted(rs, key=order)) for c, rs in classes.items())}
        return store[key]

    @staticmethod
    def _latest(classes: _Classes, t: Target, before: tuple[Any, ...],
                accept: Callable[[Target], bool], scope: str | None = None) -> Target | None:
        """The latest accepted row ordered before ``before``, over the classes that may count
        what ``t`` counts (and, given ``scope``, of that scope only)."""
        best: tuple[tuple[Any, ...], Target] | None = None
        for (scope_, _, _), (rows, keys) in classes.items():
            # one class counts one thing: its first row answers for all
            if (scope is not None and scope_ != scope) or counts_another_thing(rows[0], t):
                continue
            for i in range(bisect_left(keys, before) - 1, -1, -1):  # latest first
                if accept(rows[i]):
                    if best is None or keys[i] > best[0]:
                        best = (keys[i], rows[i])
                    break
        return None if best is None else best[1]

    def base(self, t: Target) -> Target | None:
        """The latest baseline of the same series and scope known when ``t`` was set."""
        if t.year is None:
            return None
        classes = self._classes(self._baselines, t, "baseline", lambda r: (
            r.year or 0, self._date(r), -self._pos[id(r)]))
        date = self._date(t)
        return self._latest(classes, t, (t.year,),
                            lambda r: self._date(r) <= date and _commensurable(r, t), t.scope)

    def previous(self, t: Target) -> Target | None:
        """The previous target of the same series: the latest of an earlier document of
        another policy, one of the same scope first (a 规上 target revises a 规上 one)."""
        if t.metric == "other":
            return None
        classes = self._classes(self._targets, t, "target", lambda r: (
            self._date(r), r.year or 0, self._pos[id(r)]))

        def accept(r: Target) -> bool:
            return r.policy != t.policy and _commensurable(r, t)

        before = (self._date(t),)
        return (self._latest(classes, t, before, accept, t.scope)
                or self._latest(classes, t, before, accept))

    def parent(self, t: Target) -> Target | None:
        """The city's target of the same metric and thing counted, nearest in deadline,
        still in force when the district set its own (a share of a goal whose deadline
        had passed — 60 scenarios by 2020 against a district's 300 by 2023 — says
        nothing)."""
        if not t.parent_jurisdiction:
            return None
        set_in = int(self._date(t)[:4] or 0)
        cands = [r for r in self._series.get((t.metric, t.parent_jurisdiction), ())
                 if r.kind == "target" and _commensurable(r, t) and r.year is not None
                 and (r.year_max or r.year) >= set_in and not counts_another_thing(r, t)]
        if not cands:
            return None
        return min(cands, key=lambda r: (abs((r.year or 0) - (t.year or 0)),
                                         r.scope != t.scope))


def is_quoted(t: Target, policies: Mapping[str, str]) -> bool:
    """A figure the document quotes from another policy (《…》提出): not its own."""
    own = policies.get(t.doc)
    return bool(own) and t.policy != own


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
    own = Series((r for r in rows if not is_quoted(r, policies)), dates)
    every: Series | None = None
    out: list[Progress] = []
    for t in rows:
        if t.kind != "target" or t.year is None or t.metric == "other":
            continue
        if is_quoted(t, policies):
            every = every or Series(rows, dates)
            p = _one(t, every, skip_previous=True)
            p = replace(p, notes=(*p.notes, f"a target of 《{t.policy}》 quoted by {t.doc}"))
        else:
            p = _one(t, own)
        out.append(p)
    return out


def _one(t: Target, series: Series, skip_previous: bool = False) -> Progress:
    assert t.year is not None
    date = series.dates.get(t.doc, "")
    evidence = series.later(t)
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
    base = series.base(t)
    cagr = None
    if base is not None and base.year is not None and t.year > base.year:
        v0 = _value(base, t.unit)
        if v0 and v0 > 0 and parse_unit(t.unit).family not in _RATE_FAMILIES:
            cagr = (t.value / v0) ** (1 / (t.year - base.year)) - 1
    previous = None if skip_previous else series.previous(t)
    ratio = None
    if previous is not None:
        pv = _value(previous, t.unit)
        if previous.scope != t.scope:
            # 4000亿 of 规上 output is not "4 times" 1000亿 of 重点 industries: no ratio.
            notes.append(f"previous target {previous.figure} ({previous.doc}) counts another "
                         f"scope ({previous.scope or '—'} vs {t.scope or '—'}): no ratio")
        elif pv:
            ratio = t.value / pv
    parent = series.parent(t)
    share = share_of(t, parent)
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


def ratio_to(t: Target, other: Target) -> float | None:
    """``t``'s value over ``other``'s in ``t``'s unit; None when the units do not convert
    or the other is zero."""
    v = _value(other, t.unit)
    return t.value / v if v else None


def share_of(t: Target, parent: Target | None) -> float | None:
    """A district target's share of its city's: None for rates (a share of 12% is not
    meaningful) or units that do not convert."""
    if parent is None or parse_unit(t.unit).family in _RATE_FAMILIES:
        return None
    return ratio_to(t, parent)
