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
    one = [s.to_dict() for s in suggest(eager, themes, alignments=alignments)]
    two = [s.to_dict() for s in suggest(lazy, themes, alignments=alignments)]
    assert one and one == two


def test_loading_a_lazy_corpus_checks_front_matter_without_parsing_bodies(
        tmp_path, monkeypatch) -> None:
    """Loading 10,000 documents lazily parsed every body, then suggest parsed each
    again: a third of the load's time for nothing (a body's parse cannot fail)."""
    import policydiff.store.corpus as corpus_module

    root = copy_project(tmp_path)
    parsed: list[str] = []
    real = corpus_module.document_from_front
    monkeypatch.setattr(corpus_module, "document_from_front",
                        lambda front, body, path=None: parsed.append(front["id"])
                        or real(front, body, path))
    lazy = load_corpus(root, lazy=True)
    assert parsed == []
    assert lazy.get(lazy.ids[0]).sections and parsed == [lazy.ids[0]]
    # the front matter is still checked when loading, naming the file
    first = sorted((tmp_path / "corpus").glob("*.md"))[0]
    text = first.read_text(encoding="utf-8")
    first.write_text(text.replace("\ndate: ", "\ndate: 2021-13-01\nx: ", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_corpus(root, lazy=True)
    assert first.name in str(caught.value)


def test_writing_suggestions_reads_each_document_a_fixed_number_of_times(tmp_path) -> None:
    """`suggest --write` and `--format json` on 10,000 documents took minutes: each
    member's quote and anchor asked the lazy corpus for its document, which parsed it
    again (33 suggestions x 10,000 documents: each document parsed 33 times)."""
    from collections import Counter

    from policydiff.store.proposals import record

    root = copy_project(tmp_path)
    store = load_store(root)
    eager = load_corpus(root)
    lazy = load_corpus(root, lazy=True)
    loads: Counter[str] = Counter()
    real = lazy._load
    lazy._load = lambda doc_id: loads.update([doc_id]) or real(doc_id)
    lazy._keep = 1  # hold nothing between asks: every repeat would parse again
    found = suggest(lazy, store.themes(), top=3)
    assert len({m.passage.doc for s in found for m in s.members}) > 2
    loads.clear()
    for s in found:  # quotes come from the passages, as the document's text has them
        for m, data in zip(s.members, s.to_dict()["members"], strict=True):
            assert data["quote"] == eager.get(m.passage.doc).body[m.start:m.end]
    assert not loads
    result = record(store, lazy, found)
    assert result.added
    # once to find where the stored alignments are, once to anchor the new members
    assert loads and max(loads.values()) <= 2
    loads.clear()
    again = record(load_store(root), lazy, found)
    assert not again.added and len(again.skipped) == len(found)
    # all in the store already: each document read once, to find where they are — the
    # members of suggestions not written are not anchored (it read them all again)
    assert loads and max(loads.values()) == 1


def test_alignments_resolved_together_read_as_one_by_one_and_parse_each_document_once(
        tmp_path) -> None:
    """`resolve_alignments` (suggest, `--write`) reads every stored alignment where
    `resolve_alignment` reads it — found, drifted, orphaned, absent — after a reviewer's
    edit of the corpus, while a lazy corpus parses each document once."""
    from collections import Counter

    from policydiff.core.passages import resolve_alignment, resolve_alignments

    root = copy_project(tmp_path)
    store = load_store(root)
    alignments = store.alignments()
    eager = load_corpus(root)
    # edit a document under a stored quote: its anchor drifts or is orphaned
    member = next(m for a in alignments for m in a.members if m.anchor is not None)
    path = tmp_path / "corpus" / f"{member.doc}.md"
    text = path.read_text(encoding="utf-8")
    quote = member.anchor.exact
    path.write_text(text.replace(quote, quote[: len(quote) // 2] + "（修订）"
                                 + quote[len(quote) // 2 + 2:], 1), encoding="utf-8")
    eager = load_corpus(root)
    lazy = load_corpus(root, lazy=True)
    loads: Counter[str] = Counter()
    real = lazy._load
    lazy._load = lambda doc_id: loads.update([doc_id]) or real(doc_id)
    lazy._keep = 1
    together = resolve_alignments(alignments, lazy)
    assert max(loads.values()) == 1
    one_by_one = {a.id: resolve_alignment(a, eager) for a in alignments}
    assert together == one_by_one
    statuses = {p.status for found in together.values() for p in found}
    assert "exact" in statuses and statuses & {"drifted", "orphaned"}


def test_a_documents_structure_is_parsed_when_first_asked_for(tmp_path, monkeypatch) -> None:
    """Anchoring the members `suggest --write` writes needs only the bodies; a lazy
    corpus parsed each document's sections again for it (a third of the write's time
    at 1,000 documents, as the command runs)."""
    from policydiff.core import document as document_module
    from policydiff.core.suggest import member_anchors
    from policydiff.store.corpus import load_document

    root = copy_project(tmp_path)
    parsed = []
    real = document_module._sections
    monkeypatch.setattr(document_module, "_sections",
                        lambda doc_id, body: parsed.append(doc_id) or real(doc_id, body))
    path = root.corpus_dir / "2021-14th-plan.md"
    doc, other = load_document(path), load_document(path)
    assert doc.body and not parsed
    assert doc == other  # equal whether or not the structure was parsed yet
    first = doc.sections
    assert parsed == ["2021-14th-plan"] and doc.sections is first  # once
    assert [s.id for s in first] == [s.id for s in other.sections]
    assert doc == other
    store = load_store(root)
    found = suggest(load_corpus(root), store.themes(), top=1)
    lazy = load_corpus(root, lazy=True)
    parsed.clear()
    anchors = member_anchors(found, lazy)
    assert anchors and not parsed
