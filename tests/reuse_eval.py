"""The labelled reuse sets: planted clauses, and precision / recall of ``find_reuse`` on them.

Two shapes per split (``tuning`` and ``heldout``, clauses in tests/data/reuse/clauses.yaml):

* ``composed``: five earlier documents carry the split's clauses, later documents carry
  variants of them (verbatim, edited, reordered, Traditional, edited + Traditional, one
  edited sentence inside the target's own framing), some documents carry none; every
  document opens with the same notice formula (the boilerplate) and is filled with
  paragraphs of the bundled corpus, each used once.
* ``corpus``: the five bundled documents with clauses planted into earlier ones and their
  variants into later ones; the reuse the originals already have (read and listed in
  clauses.yaml ``natural``) counts as true too.

A detected passage is correct when at least half of it lies in a labelled span of the same
target and source; a labelled span is found when passages from its source cover half of it.

``python tests/reuse_eval.py`` prints the table of docs/reuse.md.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

from policydiff.core.normalize import to_simplified
from policydiff.core.reuse import ReuseDoc, ReuseParams, ReusePassage, find_reuse
from policydiff.store.corpus import parse_document

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "reuse" / "clauses.yaml"
CORPUS = HERE.parent / "corpus"
VARIANTS = ("verbatim", "edited", "reordered", "traditional", "edited+traditional",
            "partial")


@dataclass(frozen=True)
class Label:
    target: str
    source: str
    start: int
    end: int
    variant: str  # a VARIANTS value, or "natural"


def load_data() -> dict:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(DATA.read_text(encoding="utf-8"))


def _to_traditional(text: str) -> str:
    import opencc

    return opencc.OpenCC("s2t").convert(text)


def variant_text(clause: dict, variant: str) -> str:
    sentences = list(clause["sentences"])
    if "edited" in variant:
        text = "".join(sentences)
        for old, new in clause["edit"]:
            assert old in text, (clause["id"], old)
            text = text.replace(old, new, 1)
        sentences = [text]
    if variant == "reordered":
        sentences = sentences[::-1]
    if variant == "partial":  # one sentence, edited, inside a district's own framing
        text = sentences[0]
        for old, new in clause["edit"]:
            text = text.replace(old, new, 1)
        sentences = ["结合本区产业基础，", text, "由区相关部门按职责分工推进落实。"]
    text = "".join(sentences)
    if "traditional" in variant:
        text = _to_traditional(text)
    return text


def _doc(doc_id: str, date: str, paragraphs: list[str]) -> ReuseDoc:
    text = f"---\nid: {doc_id}\ndate: '{date}'\n---\n\n" + "\n\n".join(paragraphs) + "\n"
    return ReuseDoc.from_document(parse_document(text))


def _fillers(split: str) -> list[str]:
    pool = []
    for path in sorted(CORPUS.glob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        pool += [p.text for p in doc.paragraphs() if len(p.text) >= 40]
    random.Random(20).shuffle(pool)
    half = len(pool) // 2
    return pool[:half] if split == "tuning" else pool[half:]


def build_composed(split: str) -> tuple[list[ReuseDoc], list[Label]]:
    data = load_data()
    clauses = [c for c in data["clauses"] if c["split"] == split]
    fillers = iter(_fillers(split))
    boiler = data["boilerplate"]
    docs: list[ReuseDoc] = []
    planted: list[tuple[str, str, str, str]] = []  # target, source, text, variant
    # Sources: two clauses each, in 2019.
    sources = []
    for k in range(0, len(clauses), 2):
        sid = f"src-{k // 2 + 1}"
        paras = [boiler, next(fillers), "".join(clauses[k]["sentences"]), next(fillers)]
        if k + 1 < len(clauses):
            paras += ["".join(clauses[k + 1]["sentences"]), next(fillers)]
        docs.append(_doc(sid, f"2019-0{k // 2 + 1}-01", paras))
        sources += [sid, sid]
    # Targets: clause i's variant goes to target (i + 1) % n, so a target mixes sources.
    n_targets = len(clauses) // 2
    target_paras: dict[int, list[str]] = {t: [boiler, next(fillers)] for t in range(n_targets)}
    for i, clause in enumerate(clauses):
        t = (i + 1) % n_targets
        variant = VARIANTS[i % len(VARIANTS)]
        text = variant_text(clause, variant)
        target_paras[t] += [text, next(fillers)]
        planted.append((f"tgt-{t + 1}", sources[i], text, variant))
    for t, paras in target_paras.items():
        docs.append(_doc(f"tgt-{t + 1}", f"2022-0{t + 1}-01", paras))
    # Documents that inherit nothing (only the boilerplate).
    for k in range(3):
        docs.append(_doc(f"other-{k + 1}", f"2023-0{k + 1}-01", [boiler, next(fillers)]))
    return docs, _labels(docs, planted)


CORPUS_PLAN = (  # (source doc, target doc) for the clauses of a split, in order
    ("2017-opinions", "2021-14th-plan"), ("2017-opinions", "2021-14th-plan"),
    ("2017-opinions", "2022-pudong-plan"), ("2017-opinions", "2022-lingang-plan"),
    ("2021-14th-plan", "2022-pudong-plan"), ("2021-14th-plan", "2022-lingang-plan"),
    ("2021-14th-plan-news", "2021-14th-plan"), ("2021-14th-plan-news", "2022-lingang-plan"),
    ("2021-14th-plan-news", "2022-pudong-plan"), ("2022-pudong-plan", "2022-lingang-plan"),
)


def build_corpus(split: str) -> tuple[list[ReuseDoc], list[Label]]:
    """The bundled corpus with the split's clauses planted (source first, variant later)."""
    data = load_data()
    clauses = [c for c in data["clauses"] if c["split"] == split]
    texts = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.md"))}
    planted = []
    inserts: dict[str, list[str]] = {d: [] for d in texts}
    for i, (clause, (src, tgt)) in enumerate(zip(clauses, CORPUS_PLAN, strict=False)):
        variant = VARIANTS[i % len(VARIANTS)]
        inserts[src].append("".join(clause["sentences"]))
        text = variant_text(clause, variant)
        inserts[tgt].append(text)
        planted.append((tgt, src, text, variant))
    docs = []
    for doc_id, text in texts.items():
        paras = text.split("\n\n")
        for k, extra in enumerate(inserts[doc_id]):
            # spread the planted paragraphs through the body, after a text paragraph
            at = max(2, len(paras) * (k + 1) // (len(inserts[doc_id]) + 1))
            while at < len(paras) and paras[at - 1].startswith("#"):
                at += 1
            paras.insert(at, extra)
        doc = parse_document("\n\n".join(paras))
        docs.append(ReuseDoc.from_document(doc))
    labels = _labels(docs, planted)
    by_id = {d.id: d for d in docs}
    for nat in data.get("natural", []):
        body = by_id[nat["target"]].body
        start = body.find(nat["text"])
        assert start >= 0, nat
        labels.append(Label(nat["target"], nat["source"], start, start + len(nat["text"]),
                            "natural"))
    return docs, labels


def _labels(docs: list[ReuseDoc], planted: list[tuple[str, str, str, str]]) -> list[Label]:
    by_id = {d.id: d for d in docs}
    out = []
    for target, source, text, variant in planted:
        body = by_id[target].body
        start = body.find(text)
        assert start >= 0 and body.find(text, start + 1) < 0, text
        out.append(Label(target, source, start, start + len(text), variant))
    return out


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


@dataclass
class Score:
    found: int
    labels: int
    correct: int
    detected: int
    by_variant: dict[str, tuple[int, int]]
    false: list[ReusePassage]

    @property
    def recall(self) -> float:
        return self.found / self.labels if self.labels else 1.0

    @property
    def precision(self) -> float:
        return self.correct / self.detected if self.detected else 1.0


def score(passages: list[ReusePassage], labels: list[Label]) -> Score:
    correct = 0
    false = []
    for p in passages:
        inside = sum(_overlap(p.target_start, p.target_end, lb.start, lb.end) for lb in labels
                     if lb.target == p.target and lb.source == p.source)
        if inside * 2 >= p.target_end - p.target_start:
            correct += 1
        else:
            false.append(p)
    found = 0
    by_variant: dict[str, list[int]] = {}
    for lb in labels:
        covered = sum(_overlap(p.target_start, p.target_end, lb.start, lb.end) for p in passages
                      if p.target == lb.target and p.source == lb.source)
        hit = covered * 2 >= lb.end - lb.start
        found += hit
        row = by_variant.setdefault(lb.variant, [0, 0])
        row[0] += hit
        row[1] += 1
    return Score(found, len(labels), correct, len(passages),
                 {k: (v[0], v[1]) for k, v in by_variant.items()}, false)


def evaluate(split: str, params: ReuseParams | None = None) -> dict[str, Score]:
    out = {}
    for shape, build in (("composed", build_composed), ("corpus", build_corpus)):
        docs, labels = build(split)
        out[shape] = score(find_reuse(docs, params).passages, labels)
    return out


def table(params: ReuseParams | None = None) -> str:
    results = {split: evaluate(split, params) for split in ("tuning", "heldout")}
    lines = ["| set | tuning P | tuning R | held-out P | held-out R |", "|---|---|---|---|---|"]
    for shape in ("composed", "corpus"):
        t, h = results["tuning"][shape], results["heldout"][shape]
        lines.append(f"| {shape} | {t.precision:.2f} ({t.correct}/{t.detected}) "
                     f"| {t.recall:.2f} ({t.found}/{t.labels}) "
                     f"| {h.precision:.2f} ({h.correct}/{h.detected}) "
                     f"| {h.recall:.2f} ({h.found}/{h.labels}) |")
    lines += ["", "| variant | tuning found | held-out found |", "|---|---|---|"]
    for variant in (*VARIANTS, "natural"):
        cells = []
        for split in ("tuning", "heldout"):
            hit = tot = 0
            for s in results[split].values():
                a, b = s.by_variant.get(variant, (0, 0))
                hit, tot = hit + a, tot + b
            cells.append(f"{hit}/{tot}")
        lines.append(f"| {variant} | {cells[0]} | {cells[1]} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
    if "-v" in sys.argv:
        for split in ("tuning", "heldout"):
            for shape, s in evaluate(split).items():
                for p in s.false:
                    print(f"FP {split}/{shape}: {p.source}->{p.target} {p.score:.2f} "
                          f"{to_simplified(p.target_text)!r} <- {p.source_text!r}")
