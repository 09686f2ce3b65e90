"""Front matter read by libyaml (store/fastyaml.py ``load_plain``) as ruamel.yaml reads it.

Loading a corpus reads every file's front matter; ruamel.yaml's pure-Python safe loader
was over half of loading 10,000 documents. The fast path must give the same values,
of the same types (``1`` is not ``True``, ``2021-12`` is text, ``2021-12-30`` a date),
or step aside (``Fallback``) so that ruamel.yaml reads it, errors included.
"""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from policydiff.core.errors import InputError
from policydiff.store import fastyaml
from policydiff.store.extract import split_front_matter

SCALARS = [
    "2021", "2021-12", "2021-12-30", "2021-02-30", "2021-2-3", "2021-12-30 10:00:00",
    "2021-12-30T10:00:00Z", "017", "0o17", "0x1F", "1_000", "+1", "-2", "1.5", "1e3", ".inf",
    "-.inf", ".nan", "~", "null", "Null", "", "true", "False", "yes", "no", "on", "'2021'",
    '"2021-12-30"', "沪府发〔2021〕12号", "上海市人民政府", "a: b", "'a: b'", "[2021, 2025]",
    "[2021,2025]", "{a: 1}", "&x 1", "*x", "!!str 12", "!!int '3'", "<<", "=", "https://x.cn/a?b=1",
    "'it''s'", '"tab\\tbed"', "2021 - 2025", "十四五", "- a", "|", ">", "@x", "`x`", "%x",
    "12:30", "1:20:30", "0b101", "0.", ".5", "5.", "1e", "0xZ",
]
KEYS = ["id", "title", "policy", "issuer", "date", "kind", "period", "status", "source_url",
        "number", "extra", "date", "id"]  # repeated keys: a duplicate must not pass


@st.composite
def front_matter(draw) -> str:
    lines = []
    for key in draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=6)):
        shape = draw(st.sampled_from(["plain", "list", "map"]))
        if shape == "plain":
            lines.append(f"{key}: {draw(st.sampled_from(SCALARS))}".rstrip())
        elif shape == "list":
            items = draw(st.lists(st.sampled_from(SCALARS), max_size=3))
            lines.append(f"{key}:")
            lines.extend(f"  - {v}".rstrip() for v in items)
        else:
            lines.append(f"{key}:")
            for sub in draw(st.lists(st.sampled_from(["title", "date", "kind"]), max_size=3)):
                lines.append(f"  {sub}: {draw(st.sampled_from(SCALARS))}".rstrip())
    return "\n".join(lines)


def _typed(value):
    """Values with their types, so that 1 and True, 1 and 1.0 differ."""
    if isinstance(value, dict):
        return ("dict", sorted((k, _typed(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _ruamel(text: str):
    try:
        return "ok", _typed(YAML(typ="safe").load(text) or {})
    except Exception as exc:  # any refusal: the fast path must refuse too
        return "error", type(exc).__name__


@settings(max_examples=400, deadline=None)
@given(front_matter())
def test_fast_front_matter_reads_as_ruamel_does(text: str) -> None:
    expected = _ruamel(text)
    try:
        fast = ("ok", _typed(fastyaml.load_plain(text) or {}))
    except fastyaml.Fallback:
        return  # ruamel.yaml reads it (split_front_matter falls back)
    assert fast == expected, text


@settings(max_examples=200, deadline=None)
@given(front_matter())
def test_split_front_matter_gives_ruamels_data_or_its_error(text: str) -> None:
    expected = _ruamel(text)
    try:
        front, body = split_front_matter(f"---\n{text}\n---\n\n正文。\n")
    except InputError:
        assert expected[0] == "error" or not isinstance(YAML(typ="safe").load(text), dict)
        return
    assert expected == ("ok", _typed(front)) and body == "\n正文。\n"


def test_a_day_is_a_date_and_a_month_is_text() -> None:
    front, _ = split_front_matter("---\nid: a\ndate: 2021-12-30\nperiod: [2021, 2025]\n"
                                  "month: 2021-12\n---\nx\n")
    assert front == {"id": "a", "date": datetime.date(2021, 12, 30), "period": [2021, 2025],
                     "month": "2021-12"}
    assert type(front) is dict and type(front["period"]) is list  # plain, no line info


def test_a_day_that_does_not_exist_is_refused_with_ruamels_message() -> None:
    with pytest.raises(InputError, match="a date that does not exist"):
        split_front_matter("---\nid: a\ndate: 2021-02-30\n---\nx\n")
