"""The distributed path (Dask, local mode) finds the same pairs and passages as the index."""

from __future__ import annotations

import pytest

from policydiff.core.reuse import find_reuse
from policydiff.store.project import Project
from policydiff.store.reuse_index import find_project_reuse
from reuse_eval import build_composed

pytest.importorskip("dask.bag", reason="the cluster extra (dask[bag]) is not installed")

from policydiff.store.reuse_dask import find_reuse_dask


def test_dask_matches_the_embedded_index(tmp_path) -> None:
    docs, _ = build_composed("tuning")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for d in docs:
        (corpus / f"{d.id}.md").write_text(f"---\nid: {d.id}\ndate: '{d.date}'\n---\n\n{d.body}",
                                           encoding="utf-8")
    paths = sorted(corpus.glob("*.md"))
    embedded, _ = find_project_reuse(Project(tmp_path))
    distributed = find_reuse_dask(paths, scheduler="processes", partitions=4)
    memory = find_reuse(docs)
    assert distributed.candidates == embedded.candidates == memory.candidates
    assert len(distributed.candidates) >= 5
    assert [p.to_dict() for p in distributed.passages] == \
        [p.to_dict() for p in embedded.passages]
    assert [(p.source, p.target, p.target_text) for p in distributed.passages] == \
        [(p.source, p.target, p.target_text) for p in memory.passages]
    assert distributed.boilerplate == embedded.boilerplate > 0
    assert distributed.order == embedded.order
