"""Targets extraction measured against the hand-labelled figures of the five documents.

Run as a script to print the figures recorded in docs/targets.md:
``python tests/test_targets_labels.py``.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from policydiff.core.targets import extract_targets
from policydiff.store.corpus import load_corpus
from policydiff.store.metrics_file import load_metrics
from policydiff.store.project import Project

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "labels" / "targets.yaml"


@dataclass(frozen=True)
class Label:
    doc: str
    start: int
    figure: str
    value: float | None = None
    value_max: float | None = None
    unit: str | None = None
    kind: str | None = None
    metric: str | None = None
    year: int | None = None


def _locate(body: str, doc: str, item: dict) -> int:
    quote, figure = item["quote"], str(item["figure"])
    assert figure in quote, f"{doc}: figure {figure!r} not in quote {quote!r}"
    occurrence = int(item.get("occurrence", 1))
    pos = -1
    for _ in range(occurrence):
        pos = body.find(quote, pos + 1)
        assert pos >= 0, f"{doc}: quote {quote!r} (occurrence {occurrence}) not in the body"
    if "occurrence" not in item:
        assert body.find(quote, pos + 1) < 0, f"{doc}: quote {quote!r} repeats; give occurrence"
    return pos + quote.index(figure)


def load_labels(corpus) -> tuple[dict, list[Label], list[Label]]:
    data = YAML(typ="safe").load(LABELS.read_text(encoding="utf-8"))
    figures, not_figures = [], []
    for doc, entry in data["documents"].items():
        body = corpus.get(doc).body
        for item in entry.get("figures") or []:
            figures.append(Label(
                doc, _locate(body, doc, item), str(item["figure"]), float(item["value"]),
                None if item.get("value_max") is None else float(item["value_max"]),
                str(item["unit"]), item["kind"], item["metric"], item.get("year")))
        for item in entry.get("not_figures") or []:
            not_figures.append(Label(doc, _locate(body, doc, item), str(item["figure"])))
    return data["recorded"], figures, not_figures


def evaluate(project: Project) -> tuple[dict[str, float], list[str]]:
    """Scores of the raw extractor (no reviewer overrides) and the mismatches behind them."""
    corpus = load_corpus(project)
    _, labels, _ = load_labels(corpus)
    extracted = extract_targets(corpus, load_metrics(project))
    by_pos = {(t.doc, t.start): t for t in extracted}
    notes: list[str] = []
    matched = []
    for label in labels:
        t = by_pos.get((label.doc, label.start))
        if t is None:
            notes.append(f"missed {label.doc} {label.figure}")
            continue
        if (t.figure, round(t.value, 4), t.value_max, t.unit) != (
                label.figure, round(label.value, 4), label.value_max, label.unit):
            notes.append(f"wrong figure {label.doc} {t.figure} {t.value} {t.unit} "
                         f"(label {label.figure} {label.value} {label.unit})")
            continue
        matched.append((label, t))
    labelled_pos = {(lb.doc, lb.start) for lb, _ in matched}
    for t in extracted:
        if (t.doc, t.start) not in labelled_pos and all(
                (t.doc, t.start) != (lb.doc, lb.start) for lb in labels):
            notes.append(f"spurious {t.doc} {t.figure} in {t.text[:30]}")
    kinds = Counter((lb.kind, t.kind) for lb, t in matched)
    for lb, t in matched:
        if lb.kind != t.kind:
            notes.append(f"kind {lb.doc} {lb.figure}: {t.kind}, label {lb.kind}")
        if lb.metric != t.metric:
            notes.append(f"metric {lb.doc} {lb.figure}: {t.metric}, label {lb.metric}")
        if lb.year is not None and lb.year != t.year:
            notes.append(f"year {lb.doc} {lb.figure}: {t.year}, label {lb.year}")

    def ratio(a: int, b: int) -> float:
        return round(a / b, 3) if b else 1.0

    def pr(kind: str) -> tuple[float, float]:
        hit = kinds[(kind, kind)]
        predicted = sum(n for (_, got), n in kinds.items() if got == kind)
        actual = sum(n for (want, _), n in kinds.items() if want == kind)
        return ratio(hit, predicted), ratio(hit, actual)

    with_year = [(lb, t) for lb, t in matched if lb.year is not None]
    scores = {
        "labelled": len(labels),
        "extracted": len(extracted),
        "matched": len(matched),
        "extraction_precision": ratio(len(matched), len(extracted)),
        "extraction_recall": ratio(len(matched), len(labels)),
        "kind_accuracy": ratio(sum(kinds[(k, k)] for k in ("target", "baseline")), len(matched)),
        "target_precision": pr("target")[0],
        "target_recall": pr("target")[1],
        "baseline_precision": pr("baseline")[0],
        "baseline_recall": pr("baseline")[1],
        "baselines_called_targets": kinds[("baseline", "target")],
        "metric_accuracy": ratio(sum(lb.metric == t.metric for lb, t in matched), len(matched)),
        "year_accuracy": ratio(sum(lb.year == t.year for lb, t in with_year), len(with_year)),
    }
    return scores, notes


@pytest.fixture(scope="module")
def project() -> Project:
    if not (ROOT / "corpus" / "2021-14th-plan.md").exists():
        pytest.skip("corpus not built")
    return Project(ROOT)


def test_labels_are_located_and_distinct(project):
    corpus = load_corpus(project)
    _, labels, not_figures = load_labels(corpus)
    positions = [(lb.doc, lb.start) for lb in labels + not_figures]
    assert len(positions) == len(set(positions)), "two labels point at the same figure"
    assert {lb.doc for lb in labels} == set(corpus.ids)


def test_scores_do_not_drop_below_recorded(project):
    recorded, _, _ = load_labels(load_corpus(project))
    scores, notes = evaluate(project)
    for key, floor in recorded.items():
        if key == "baselines_called_targets":
            assert scores[key] <= floor, notes
        else:
            assert scores[key] >= floor, (key, scores[key], notes)


def test_no_baseline_is_called_a_target(project):
    scores, notes = evaluate(project)
    assert scores["baselines_called_targets"] == 0, notes


def test_not_figures_are_not_extracted(project):
    corpus = load_corpus(project)
    _, _, not_figures = load_labels(corpus)
    extracted = {(t.doc, t.start) for t in extract_targets(corpus, load_metrics(project))}
    wrong = [nf for nf in not_figures if (nf.doc, nf.start) in extracted]
    assert not wrong


if __name__ == "__main__":
    scores, notes = evaluate(Project(ROOT))
    width = max(map(len, scores))
    for key, value in scores.items():
        print(f"{key:<{width}}  {value}")
    for note in notes:
        print("  -", note)
    sys.exit(0)
