"""``--format json`` text is what ``json.dumps(data, ensure_ascii=False, indent=2)`` writes.

The commands print through render/jsontext.py (the standard library's indented encoder
runs in Python, a generator per level: 5 s of a 10,000-document suggest). Scripts and
golden files read that text, so it must not change by a byte.
"""

from __future__ import annotations

import enum
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policydiff.render.jsontext import dumps_indented

scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\"\\\n\t\x00\u2028"))
           | st.sampled_from([0.0, -0.0, 1e16, 1e-7, math.inf, -math.inf, math.nan, 2**70]))
keys = st.text(max_size=8) | st.integers() | st.booleans() | st.none() | st.floats()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=5)
                      | st.lists(inner, max_size=3).map(tuple)
                      | st.dictionaries(keys, inner, max_size=5), max_leaves=40)


@settings(max_examples=500, deadline=None)
@given(values)
def test_the_text_is_json_dumps_text(data) -> None:
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)


class Level(enum.IntEnum):
    CITY = 1


class Name(str):
    pass


def test_subclasses_and_nesting_as_json_dumps_writes_them() -> None:
    data = {Name("市"): [Level.CITY, True, Name("上海")], "空": {}, "列": [], 1.5: (1, [2, {}])}
    assert dumps_indented(data) == json.dumps(data, ensure_ascii=False, indent=2)
    assert dumps_indented(data, indent=4) == json.dumps(data, ensure_ascii=False, indent=4)


@pytest.mark.parametrize("data", [{"x": object()}, [{1, 2}], {(1, 2): 3}])
def test_what_json_dumps_refuses_is_refused(data) -> None:
    with pytest.raises(TypeError):
        json.dumps(data, ensure_ascii=False, indent=2)
    with pytest.raises(TypeError):
        dumps_indented(data)


@settings(max_examples=200, deadline=None)
@given(st.lists(values, max_size=6), st.integers(min_value=1, max_value=64))
def test_a_list_written_item_by_item_in_small_pieces_is_json_dumps_text(items, pieces) -> None:
    from policydiff.render import jsontext

    written: list[str] = []
    previous = jsontext.PIECES
    jsontext.PIECES = pieces  # hand pieces over often: nothing lost or doubled between them
    try:
        jsontext.write_list(iter(items), written.append)
    finally:
        jsontext.PIECES = previous
    assert "".join(written) == json.dumps(items, ensure_ascii=False, indent=2)
    if pieces < 8 and len(json.dumps(items)) > 200:
        assert len(written) > 2  # and it was written in pieces, not held as one text
