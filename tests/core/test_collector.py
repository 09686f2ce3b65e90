"""core/collector.gc_paused: no cyclic collection inside, the collector as it was after."""

from __future__ import annotations

import gc

import pytest

from policydiff.core.collector import gc_paused


def test_the_collector_waits_inside_and_resumes_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested: the outer pause resumes it
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_resumes_the_collector() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("stop")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_objects_made_inside_are_not_left_for_the_young_generations() -> None:
    """freeze/unfreeze hands what the step built to the oldest generation at once, so the
    next young collections do not walk it again."""
    gc.collect()
    with gc_paused():
        kept = [[i] for i in range(50_000)]
    assert gc.get_count()[0] < 1_000
    assert kept[-1] == [49_999]


def test_a_small_step_leaves_the_young_collections_their_work() -> None:
    """A small pause (a front matter, called once per document of a corpus) must not
    hand the loop's objects to the oldest generation each time: cyclic garbage made
    between the calls would then wait for a full collection, which comes rarely."""
    gc.collect()
    made = []
    with gc_paused():
        made.append([[i] for i in range(100)])
    assert gc.get_count()[0] >= 100  # still young: the next young collection walks them
