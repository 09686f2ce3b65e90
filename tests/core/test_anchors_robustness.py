"""Anchors under random corpus edits: recovered, orphaned, and never wrongly placed.

``simulate`` applies random edits (typo fixes, insertions, deletions, restored
paragraphs), half of them inside anchored quotes, to copies of the real corpus
bodies while tracking where each quote truly is, then resolves every anchor.
``benchmarks/bench_anchors.py`` runs it at a larger scale for the figures.
"""

from __future__ import annotations

import pytest

from anchor_edits import (
    Tracked,
    apply_edit,
    classify,
    simulate,
)


@pytest.fixture(scope="module")
def corpus_bodies(corpus) -> dict[str, str]:
    return {doc.id: doc.body for doc in corpus}


def test_tracking_maps_offsets_like_the_edit() -> None:
    t = Tracked(10, 10, 20, 20)
    apply_edit(t, 0, 2, 5)  # before: shift by +3
    assert (t.a_lo, t.a_hi, t.b_lo, t.b_hi) == (13, 13, 23, 23)
    apply_edit(t, 15, 1, 0)  # inside: end moves
    assert (t.a_lo, t.b_hi) == (13, 22)
    apply_edit(t, 13, 0, 4)  # insertion at the start: either side is right
    assert (t.a_lo, t.a_hi) == (13, 17)
    assert (t.b_lo, t.b_hi) == (26, 26)
    apply_edit(t, 25, 0, 3)  # insertion one character before the end: so is this
    assert (t.b_lo, t.b_hi) == (25, 29)
    apply_edit(t, 0, 0, 1)  # far away: an exact shift
    assert (t.a_lo, t.a_hi, t.b_lo, t.b_hi) == (14, 18, 26, 30)
    assert classify((None, None), t) == "orphaned"
    assert classify((40, 50), t) == "wrong"


@pytest.mark.parametrize("seed", [1, 2])
def test_random_edits_never_misplace_an_anchor(corpus_bodies: dict[str, str], seed: int) -> None:
    outcomes, statuses = simulate(corpus_bodies, trials=25, anchors_per_trial=12, max_edits=6,
                                  seed=seed)
    total = outcomes["recovered"] + outcomes["orphaned"] + outcomes["wrong"]
    assert total == 25 * 12
    assert outcomes["wrong"] == 0, outcomes
    # Edits are heavy (half inside quotes), yet most anchors must survive them.
    assert outcomes["recovered"] >= 0.8 * total, outcomes
    assert statuses["drifted"] > 0 and statuses["orphaned"] > 0, statuses
