"""The quick schema check (fastjsonschema, draft-07 reading) agrees with jsonschema (the
judge, draft 2020-12) on every store file and on mutated alignments: a file the quick
check passes must be one jsonschema passes, or a broken file would be written."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO
from policydiff.store.fastyaml import load
from policydiff.store.yamltext import (
    _definition_validator,
    _quickly_valid,
    _validator,
    schema_problems,
    valid_definition,
)

ALIGNMENTS = "alignments.schema.json"
THEMES = "themes.schema.json"
STORE = sorted((REPO / "alignments").glob("*.yaml"))


def _schema_of(path) -> str:
    return THEMES if path.name == "themes.yaml" else ALIGNMENTS


@pytest.mark.parametrize("path", STORE, ids=lambda p: p.name)
def test_every_store_file_reads_alike(path):
    data = load(path.read_text(encoding="utf-8"))
    schema = _schema_of(path)
    if path.name in ("metrics.yaml", "target-overrides.yaml"):
        pytest.skip("not a store file of these schemas")
    assert _quickly_valid(data, schema) == _validator(schema).is_valid(data)


def _sample() -> dict[str, Any]:
    for path in STORE:
        data = load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and data.get("alignments"):
            return data
    raise AssertionError("no alignments in the bundled store")


SAMPLE = _sample()

# Values a reviewer's edit or a bug could put anywhere: wrong types, empties, bad ids.
ODD = st.sampled_from([None, "", " ", "Bad Id", "ok-id", "4.10", 3, -1, 2.5, True, False, [],
                       {}, ["x"], {"exact": "x"}, {"exact": ""}, "proposed", "accepted",
                       "maybe", "中文", "a\nb"])
KEYS = st.sampled_from(["id", "label", "status", "note", "origin", "members", "doc", "section",
                        "absent", "anchor", "exact", "prefix", "suffix", "start", "extra"])


def _nodes(node: Any, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _nodes(v, (*path, i))


@st.composite
def mutated(draw) -> dict[str, Any]:
    data = copy.deepcopy(SAMPLE)
    data["alignments"] = data["alignments"][:2]
    for _ in range(draw(st.integers(1, 4))):
        nodes = list(_nodes(data))
        path, node = draw(st.sampled_from(nodes))
        action = draw(st.sampled_from(["set", "drop", "add"]))
        if isinstance(node, dict) and node and action != "set":
            key = draw(st.sampled_from(sorted(node)))
            if action == "drop":
                del node[key]
            else:
                node[draw(KEYS)] = copy.deepcopy(draw(ODD))  # ODD holds shared objects
        elif path:
            parent = data
            for step in path[:-1]:
                parent = parent[step]
            parent[path[-1]] = copy.deepcopy(draw(ODD))
    return data


@settings(max_examples=400, deadline=None)
@given(mutated())
def test_mutated_alignment_files_are_judged_alike(data):
    assert _quickly_valid(data, ALIGNMENTS) == _validator(ALIGNMENTS).is_valid(data)
    items = data.get("alignments")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict):
            assert (_quickly_valid(item, ALIGNMENTS, "alignment")
                    == _definition_validator(ALIGNMENTS, "alignment").is_valid(item))


def test_an_invalid_file_still_gets_jsonschema_messages():
    data = copy.deepcopy(SAMPLE)
    data["alignments"][0]["status"] = "maybe"
    problems = schema_problems("alignments/x.yaml", data, ALIGNMENTS)
    assert problems and "'maybe' is not one of" in problems[0].message
    assert not valid_definition(data["alignments"][0], ALIGNMENTS, "alignment")
