"""Random corpus edits with tracked quote positions: the simulation behind the anchor tests.

``simulate`` applies random edits (typo fixes, insertions, deletions, restored
paragraphs), half of them inside anchored quotes, to copies of corpus bodies while
tracking where each quote truly is, then resolves every anchor and classifies the
outcome (recovered, orphaned, wrong). Used by ``tests/core/test_anchors_robustness.py``,
``tests/core/test_anchors.py`` and ``benchmarks/bench_anchors.py``.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from policydiff.core.anchors import make_anchor, resolve_anchor, similarity

#: A found boundary may be this many characters off the true one and still count
#: as correct (an edit right next to a boundary makes its exact place a matter of taste).
TOLERANCE = 2


@dataclass
class Tracked:
    """A quote's true place after edits: start in [a_lo, a_hi], end in [b_lo, b_hi]."""

    a_lo: int
    a_hi: int
    b_lo: int
    b_hi: int

    @property
    def deleted(self) -> bool:
        return self.b_hi <= self.a_lo


def _map(x: int, pos: int, dlen: int, ins: int) -> tuple[int, int]:
    """Where offset ``x`` may go when ``body[pos:pos+dlen]`` becomes ``ins`` characters.

    A boundary touched by the edit may be anywhere in the new text; one right next to
    it (a character away) may also move across the new text: when ``，子相`` is
    inserted before a quote's final ``，`` the quote can end at either comma.
    """
    if x < pos:
        exact = x
    elif x > pos + dlen:
        exact = x + ins - dlen
    else:
        return pos, pos + ins
    if pos - 1 <= x <= pos + dlen + 1:
        return min(exact, pos), max(exact, pos + ins)
    return exact, exact


def apply_edit(tracked: Tracked, pos: int, dlen: int, ins: int) -> None:
    tracked.a_lo = _map(tracked.a_lo, pos, dlen, ins)[0]
    tracked.a_hi = _map(tracked.a_hi, pos, dlen, ins)[1]
    tracked.b_lo = _map(tracked.b_lo, pos, dlen, ins)[0]
    tracked.b_hi = _map(tracked.b_hi, pos, dlen, ins)[1]


def classify(found: tuple[int | None, int | None], truth: Tracked, *, verbatim: bool = False,
             tol: int = TOLERANCE) -> str:
    """``recovered`` when both boundaries are where the edits put them (within ``tol``),
    or when the text found is the quote verbatim and overlaps where the edits put it
    (an edit can rebuild the quote from neighbouring characters: deleting ``1~202``
    from ``（2021~2023年`` leaves ``（2023年``)."""
    start, end = found
    if start is None or end is None:
        return "orphaned"
    if truth.deleted:
        return "wrong"
    ok = (truth.a_lo - tol <= start <= truth.a_hi + tol
          and truth.b_lo - tol <= end <= truth.b_hi + tol)
    if not ok and verbatim:
        overlap = min(end, truth.b_hi) - max(start, truth.a_lo)
        ok = overlap >= 0.8 * min(end - start, truth.b_hi - truth.a_lo)
    return "recovered" if ok else "wrong"


def random_spans(body: str, rng: random.Random, count: int) -> list[tuple[int, int]]:
    """Quotes as analysts pick them: whole sentences, clauses and short phrases."""
    spans = []
    for _ in range(count):
        length = rng.choice([8, 12, 20, 30, 45, 60, 90, 140])
        length = min(length, len(body) - 1)
        start = rng.randrange(0, len(body) - length)
        spans.append((start, start + length))
    return spans


#: Edit kinds: corpus corrections as they come (typo fixes, a word added or cut) and
#: heavier ones (a clause cut, a paragraph restored from elsewhere).
HEAVY = ("typo", "typo", "insert", "delete", "delete_long", "restore")
LIGHT = ("typo", "typo", "insert", "delete")


def random_edit(body: str, rng: random.Random, spans: list[Tracked], donors: list[str],
                kinds: tuple[str, ...] = HEAVY) -> tuple[int, int, str]:
    """One edit: (position, characters deleted, inserted text)."""
    kind = rng.choice(kinds)
    if spans and rng.random() < 0.5:  # inside a quote
        t = rng.choice(spans)
        lo, hi = t.a_hi, max(t.a_hi + 1, t.b_lo)
        pos = rng.randrange(lo, hi) if hi > lo else lo
    else:
        pos = rng.randrange(0, max(1, len(body)))
    pos = min(pos, len(body))
    sample = lambda n: "".join(rng.choice(body) for _ in range(n))  # noqa: E731
    if kind == "typo":
        n = rng.randint(1, 3)
        return pos, min(n, len(body) - pos), sample(n)
    if kind == "insert":
        return pos, 0, sample(rng.randint(1, 8))
    if kind == "delete":
        return pos, min(rng.randint(1, 6), len(body) - pos), ""
    if kind == "delete_long":
        return pos, min(rng.randint(10, 80), len(body) - pos), ""
    donor = rng.choice(donors)
    n = rng.randint(30, 300)
    at = rng.randrange(0, max(1, len(donor) - n))
    return pos, 0, donor[at:at + n]


def simulate(bodies: dict[str, str], *, trials: int, anchors_per_trial: int, max_edits: int,
             seed: int, kinds: tuple[str, ...] = HEAVY) -> tuple[Counter, Counter]:
    """Run the experiment; returns (outcomes, resolution statuses) over all anchors."""
    rng = random.Random(seed)
    outcomes: Counter = Counter()
    statuses: Counter = Counter()
    ids = sorted(bodies)
    for _ in range(trials):
        doc = rng.choice(ids)
        body = bodies[doc]
        donors = [bodies[d] for d in ids if d != doc] or [body]
        spans = random_spans(body, rng, anchors_per_trial)
        anchors = [make_anchor(body, a, b) for a, b in spans]
        tracked = [Tracked(a, a, b, b) for a, b in spans]
        for _ in range(rng.randint(1, max_edits)):
            pos, dlen, ins = random_edit(body, rng, tracked, donors, kinds)
            body = body[:pos] + ins + body[pos + dlen:]
            for t in tracked:
                apply_edit(t, pos, dlen, len(ins))
        for anchor, truth in zip(anchors, tracked, strict=True):
            res = resolve_anchor(anchor, body)
            statuses[res.status] += 1
            verbatim = res.start is not None and body[res.start:res.end] == anchor.exact
            outcome = classify((res.start, res.end), truth, verbatim=verbatim)
            outcomes[outcome] += 1
            if outcome == "wrong":
                outcomes["wrong:" + res.status] += 1
            elif outcome == "orphaned" and not truth.deleted:
                # Was the quote still there, recognisably (>= 75% similar)?
                still = similarity(anchor.exact, body[truth.a_lo:truth.b_hi])
                outcomes["orphaned:" + ("similar" if still >= 0.75 else "rewritten")] += 1
            elif outcome == "orphaned":
                outcomes["orphaned:deleted"] += 1
    return outcomes, statuses
