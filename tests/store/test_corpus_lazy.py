"""A lazy corpus (documents parsed on demand) behaves as the loaded one.

Suggest over thousands of documents holds one parsed document at a time
(store/corpus.py ``load_corpus(lazy=True)``); every consumer must see the same
documents, order and errors, and suggest must give the same suggestions.
"""

from __future__ import annotations

import pytest

from conftest import copy_project
from policydiff.core.corpus import LazyCorpus
from policydiff.core.errors import InputError, UnknownDocumentError
from policydiff.core.suggest import suggest
from policydiff.store.alignments import load_store
from policydiff.store.corpus import load_corpus


def test_lazy_corpus_has_the_same_documents_in_the_same_order(tmp_path) -> None:
    root = copy_project(tmp_path)
    eager, lazy = load_corpus(root), load_corpus(root, lazy=True)
    assert isinstance(lazy, LazyCorpus)
    assert lazy.ids == eager.ids and len(lazy) == len(eager)
    assert [d.id for d in lazy] == eager.ids
    for doc_id in eager.ids:
        assert doc_id in lazy
        assert lazy.get(doc_id).body == eager.get(doc_id).body
    with pytest.raises(UnknownDocumentError):
        lazy.get("no-such-document")


def test_lazy_corpus_checks_every_file_when_loaded(tmp_path) -> None:
    root = copy_project(tmp_path)
    first = sorted((tmp_path / "corpus").glob("*.md"))[0]
    first.write_text("---\nid: [broken\n---\n", encoding="utf-8")
    with pytest.raises(InputError):
        load_corpus(root, lazy=True)


def test_suggest_on_a_lazy_corpus_equals_suggest_on_the_loaded_one(tmp_path) -> None:
    root = copy_project(tmp_path)
    store = load_store(root)
    themes, alignments = store.themes(), store.alignments()
    eager, lazy = load_corpus(root), load_corpus(root, lazy=True)
    one = [s.to_dict(eager) for s in suggest(eager, themes, alignments=alignments)]
    two = [s.to_dict(lazy) for s in suggest(lazy, themes, alignments=alignments)]
    assert one and one == two
