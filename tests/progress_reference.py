"""The plain reference for the series questions of the progress table: every pair compared.

``policydiff.core.progress.Series`` answers the same questions from an index of each
series; the property test holds the two equal and ``benchmarks/bench_progress.py`` times
them side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from policydiff.core.progress import _commensurable, is_quoted
from policydiff.core.targets import Target, counts_another_thing, distinct_figures


def _same_series(a: Target, b: Target) -> bool:
    return (a.metric == b.metric and a.metric != "other"
            and a.jurisdiction == b.jurisdiction and not counts_another_thing(a, b))


def _later(t: Target, rows: list[Target], dates: Mapping[str, str]) -> tuple[Target, ...]:
    date = dates.get(t.doc, "")
    later = [r for r in rows if r is not t and r.kind == "baseline" and _same_series(r, t)
             and dates.get(r.doc, "") >= date and r.doc != t.doc and r.year is not None]
    return tuple(sorted(later, key=lambda r: (r.year or 0, dates.get(r.doc, ""))))


def _base(t: Target, rows: list[Target], dates: Mapping[str, str]) -> Target | None:
    date = dates.get(t.doc, "")
    cands = [r for r in rows if r.kind == "baseline" and _same_series(r, t)
             and r.scope == t.scope and _commensurable(r, t) and r.year is not None
             and t.year is not None and r.year < t.year and dates.get(r.doc, "") <= date]
    return max(cands, key=lambda r: (r.year or 0, dates.get(r.doc, ""))) if cands else None


def _previous(t: Target, rows: list[Target], dates: Mapping[str, str]) -> Target | None:
    date = dates.get(t.doc, "")
    cands = [r for r in rows if r.kind == "target" and _same_series(r, t)
             and _commensurable(r, t) and dates.get(r.doc, "") < date and r.policy != t.policy]
    if not cands:
        return None
    cands.sort(key=lambda r: (r.scope == t.scope, dates.get(r.doc, ""), r.year or 0))
    return cands[-1]


def _parent(t: Target, rows: list[Target], dates: Mapping[str, str]) -> Target | None:
    if not t.parent_jurisdiction:
        return None
    set_in = int(dates.get(t.doc, "0")[:4] or 0)
    cands = [r for r in rows if r.kind == "target" and r.metric == t.metric
             and r.jurisdiction == t.parent_jurisdiction and _commensurable(r, t)
             and r.year is not None and (r.year_max or r.year) >= set_in
             and not counts_another_thing(r, t)]
    if not cands:
        return None
    return min(cands, key=lambda r: (abs((r.year or 0) - (t.year or 0)), r.scope != t.scope))


def reference_progress(targets: Iterable[Target], dates: Mapping[str, str],
                       policies: Mapping[str, str] | None = None
                       ) -> list[tuple[Target, tuple[Target, ...], Target | None,
                                       Target | None, Target | None]]:
    """(target, later figures, base, previous target, city's target) for every target with a
    deadline, as :func:`policydiff.core.progress.progress` orders them."""
    policies = policies or {}
    every = [t for t, _ in distinct_figures(targets)]
    order = {d: i for i, d in enumerate(dates)}
    every.sort(key=lambda t: (order.get(t.doc, len(order)), t.start))
    mine = [r for r in every if not is_quoted(r, policies)]
    out = []
    for t in every:
        if t.kind != "target" or t.year is None or t.metric == "other":
            continue
        quoted = is_quoted(t, policies)
        pool = every if quoted else mine
        out.append((t, _later(t, pool, dates), _base(t, pool, dates),
                    None if quoted else _previous(t, pool, dates), _parent(t, pool, dates)))
    return out
