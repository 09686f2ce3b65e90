"""Out-of-sample figures for `policydiff suggest` (issue 16), shared by the tests and
docs/suggest.md.

* **New documents** (tests/data/suggest): ten documents nobody tuned for are added to
  the bundled corpus; the store's accepted alignments are the themes' examples. For
  each theme and new document, the best proposed member (over the theme's accepted
  alignments) *hits* when it overlaps a labelled passage. P@1 = hits / proposals,
  recall = labelled (theme, document) pairs hit / labelled pairs.
* **Leave one document out** (the seeds): for each accepted alignment and each of its
  documents D, D's members are removed from every alignment of the theme (so D is
  unseen for that theme), and the member proposed for D must overlap the removed one.

    python -m tests.suggest_eval        # prints both tables
    python -m tests.suggest_eval --misses governance international   # what LODO missed
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from ruamel.yaml import YAML

from policydiff.core.alignment import Alignment
from policydiff.core.corpus import Corpus
from policydiff.core.suggest import build_index, passages, suggest_members, theme_examples
from policydiff.store.corpus import load_corpus, load_document

DATA = Path(__file__).parent / "data" / "suggest"


def new_documents() -> list:
    return [load_document(p) for p in sorted((DATA / "corpus").glob("*.md"))]


def labels(corpus: Corpus) -> dict[str, dict[str, list[tuple[int, int]]]]:
    data = YAML(typ="safe").load((DATA / "labels.yaml").read_text(encoding="utf-8"))["themes"]
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for theme, docs in data.items():
        for doc, quotes in docs.items():
            body = corpus.get(doc).body
            for q in quotes:
                start = body.find(q)
                assert start >= 0 and body.find(q, start + 1) < 0, (theme, doc, q)
                out.setdefault(theme, {}).setdefault(doc, []).append((start, start + len(q)))
    return out


def _overlaps(s: int, e: int, spans) -> bool:
    return any(a < e and s < b for a, b in spans)


def out_of_sample(root: Path, store) -> dict[str, tuple[int, int, int]]:
    """theme -> (hits, proposals for labelled-or-not new documents, labelled pairs)."""
    seeds = load_corpus(root)
    corpus = Corpus([*seeds.documents(), *new_documents()])
    wanted = labels(corpus)
    new_ids = {d.id for d in new_documents()}
    alignments = store.alignments()
    index = build_index(passages(corpus.documents()))
    examples = theme_examples(alignments, corpus)
    out = {}
    for theme in store.themes():
        accepted = [a for a in alignments if a.theme == theme.id and a.status == "accepted"]
        best: dict[str, tuple[float, int, int]] = {}
        for s in suggest_members(index, theme, accepted, corpus, examples.get(theme.id)):
            m = s.members[0]
            doc = m.passage.doc
            if doc in new_ids and (doc not in best or s.score > best[doc][0]):
                best[doc] = (s.score, m.start, m.end)
        truth = wanted.get(theme.id, {})
        hits = sum(1 for doc, (_, s, e) in best.items() if _overlaps(s, e, truth.get(doc, ())))
        out[theme.id] = (hits, len(best), len(truth))
    return out


def leave_one_out(root: Path, store) -> dict[str, tuple[int, int]]:
    """theme -> (members re-found, members held out)."""
    corpus = load_corpus(root)
    index = build_index(passages(corpus.documents()))
    alignments = store.alignments()
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for theme in store.themes():
        mine = [a for a in alignments if a.theme == theme.id]
        for doc in corpus.ids:
            held = [a for a in mine if a.status == "accepted"
                    and any(m.doc == doc and not m.absent for m in a.members)]
            if not held:
                continue
            pruned = [_without(a, doc) for a in mine]
            pruned = [a for a in pruned if a is not None]
            examples = theme_examples(pruned, corpus).get(theme.id)
            accepted = [a for a in pruned if a.status == "accepted"]
            proposals = {s.extends: s for s in suggest_members(index, theme, accepted, corpus,
                                                               examples)
                         if s.members[0].passage.doc == doc}
            for original in held:
                truth = [(m.anchor.start, m.anchor.end) for m in original.members
                         if m.doc == doc and m.anchor]
                spans = _resolved(original, corpus, doc) or truth
                result[theme.id][1] += 1
                s = proposals.get(original.id)
                if s and _overlaps(s.members[0].start, s.members[0].end, spans):
                    result[theme.id][0] += 1
    return {k: (v[0], v[1]) for k, v in result.items()}


def leave_one_out_misses(root: Path, store, themes: set[str]) -> list[str]:
    """One line per held-out member of ``themes`` that was not re-found: what was
    proposed instead (or nothing), with its score, and the passage wanted."""
    corpus = load_corpus(root)
    index = build_index(passages(corpus.documents()))
    alignments = store.alignments()
    lines = []
    for theme in store.themes():
        if theme.id not in themes:
            continue
        mine = [a for a in alignments if a.theme == theme.id]
        for doc in corpus.ids:
            held = [a for a in mine if a.status == "accepted"
                    and any(m.doc == doc and not m.absent for m in a.members)]
            if not held:
                continue
            pruned = [p for p in (_without(a, doc) for a in mine) if p is not None]
            examples = theme_examples(pruned, corpus).get(theme.id)
            accepted = [a for a in pruned if a.status == "accepted"]
            proposals = {s.extends: s for s in suggest_members(index, theme, accepted, corpus,
                                                               examples)
                         if s.members[0].passage.doc == doc}
            body = corpus.get(doc).body
            for original in held:
                spans = _resolved(original, corpus, doc)
                s = proposals.get(original.id)
                if s and _overlaps(s.members[0].start, s.members[0].end, spans):
                    continue
                got = "nothing proposed" if s is None else (
                    f"{s.members[0].passage.paragraph} (score {s.score:.2f}) "
                    f"{body[s.members[0].start:s.members[0].end][:40]}")
                want = " / ".join(body[a:b][:40] for a, b in spans)
                lines.append(f"{original.id} · {doc}: got {got} | wanted {want}")
    return lines


def _without(alignment: Alignment, doc: str) -> Alignment | None:
    members = [m for m in alignment.members if m.doc != doc]
    if not any(not m.absent for m in members):
        return None
    return replace(alignment, members=members)


def _resolved(alignment: Alignment, corpus: Corpus, doc: str):
    from policydiff.core.suggest import alignment_spans

    return alignment_spans(alignment, corpus).get(doc, [])


def table(root: Path, store) -> str:
    oos = out_of_sample(root, store)
    loo = leave_one_out(root, store)
    lines = ["| theme | LODO re-found (seeds) | new docs P@1 | new docs recall |",
             "|---|---:|---:|---:|"]
    tot = [0, 0, 0, 0, 0]
    for theme, (hits, made, labelled) in oos.items():
        a, b = loo.get(theme, (0, 0))
        tot = [tot[0] + a, tot[1] + b, tot[2] + hits, tot[3] + made, tot[4] + labelled]
        lines.append(f"| {theme} | {a}/{b} | {hits}/{made} | {hits}/{labelled} |")
    lines.append(f"| **all** | {tot[0]}/{tot[1]} | {tot[2]}/{tot[3]} | {tot[2]}/{tot[4]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    from policydiff.store.alignments import load_store
    from policydiff.store.project import Project

    root = Path(__file__).resolve().parents[1]
    if sys.argv[1:2] == ["--misses"]:  # python -m tests.suggest_eval --misses governance
        for line in leave_one_out_misses(root, load_store(Project(root)), set(sys.argv[2:])):
            print(line)
    else:
        print(table(root, load_store(Project(root))))
