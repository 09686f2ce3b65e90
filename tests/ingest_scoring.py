"""Scoring of ingest against the hand labels in tests/data/ingest/labels.yaml.

Shared by tests/test_ingest_eval.py (floors on the out-of-sample files) and
benchmarks/bench_ingest.py (the table in docs/ingest.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.normalize import normalize
from policydiff.store.corpus import parse_document
from policydiff.store.ingest import build_document

DATA = Path(__file__).resolve().parent / "data" / "ingest"
FIELDS = ("title", "date", "issuer", "number", "status", "kind", "period")


def load_labels() -> dict[str, dict[str, Any]]:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load((DATA / "labels.yaml").read_text(encoding="utf-8"))["documents"]


def predict(name: str) -> dict[str, Any]:
    """Metadata fields and outline (headed section ids) that ingest gives one file."""
    raw = (DATA / name).read_bytes()
    entry: dict[str, Any] = {"id": "doc"}
    try:
        built = build_document(raw, name, entry)
        date_found = True
    except InputError as exc:
        if "no date" not in str(exc):
            raise
        built = build_document(raw, name, {**entry, "date": "1900"})
        date_found = False
    doc = parse_document(built.text)
    meta = doc.meta
    out = {"title": meta.title, "date": meta.date if date_found else None,
           "issuer": meta.issuer, "number": meta.number, "status": meta.status,
           "kind": meta.kind, "period": list(meta.period) if meta.period else None,
           "outline": [s.id for s in doc.sections if s.heading or s.kind == "paragraph"]}
    return out


def _same(key: str, got: Any, want: Any) -> bool:
    if key in ("title", "issuer") and got is not None and want is not None:
        return normalize(str(got)) == normalize(str(want))
    return got == want


@dataclass
class Score:
    files: int = 0
    fields: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    outline_exact: int = 0
    outline_jaccard: float = 0.0
    misses: list[str] = field(default_factory=list)

    def rate(self, key: str) -> float:
        return self.fields[key] / self.files if self.files else 0.0

    @property
    def outline_rate(self) -> float:
        return self.outline_exact / self.files if self.files else 0.0

    @property
    def jaccard(self) -> float:
        return self.outline_jaccard / self.files if self.files else 0.0


def score(split: str) -> Score:
    result = Score()
    for name, label in load_labels().items():
        if label["split"] != split:
            continue
        got = predict(name)
        result.files += 1
        for key in FIELDS:
            if _same(key, got[key], label[key]):
                result.fields[key] += 1
            else:
                result.misses.append(f"{name}: {key} {got[key]!r} != {label[key]!r}")
        want_outline = [str(x) for x in label["outline"]]
        if got["outline"] == want_outline:
            result.outline_exact += 1
        else:
            result.misses.append(f"{name}: outline {got['outline']} != {want_outline}")
        a, b = set(got["outline"]), set(want_outline)
        result.outline_jaccard += len(a & b) / len(a | b) if a | b else 1.0
    return result
