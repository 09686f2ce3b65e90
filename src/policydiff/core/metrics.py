"""Metric definitions: the canonical key that lines the same quantity up across documents.

The definitions live in ``alignments/metrics.yaml`` so a reviewer can add a term or a
metric without touching code; this module reads them and decides which metric a figure
measures from the words around it (the noun after the figure in its clause, else the
nearest term before it in the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.core.errors import InputError

METRICS_FILE = "metrics.yaml"
OTHER = "other"
_CLAUSE_END = re.compile(r"[，,；;。：:！!？?]")
_AFTER_WINDOW = 30
_MULTIPLIERS = "十百千万亿"
METRIC_FIELDS = {"key", "name_zh", "name_en", "terms", "units", "ignore", "description"}
METRIC_KEY_RE = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class Metric:
    """One metric: its key, names, and the terms and units that identify it."""

    key: str
    name_zh: str
    name_en: str
    terms: tuple[str, ...]
    units: tuple[str, ...]
    ignore: bool = False
    line: int = 0

    def accepts_unit(self, unit: str) -> bool:
        """True if a figure written with ``unit`` (亿元, 万人, %, "") can measure this metric."""
        if unit in self.units:
            return True
        base = unit.lstrip(_MULTIPLIERS)
        return bool(base) and base != unit and base in self.units


@dataclass(frozen=True)
class Match:
    """The metric a figure was given and the term (raw wording) that decided it."""

    metric: str
    term: str
    ignore: bool = False


@dataclass(frozen=True)
class MetricSet:
    """All metric definitions of a project, in file order."""

    metrics: tuple[Metric, ...] = ()
    not_figures: tuple[str, ...] = ()

    @property
    def keys(self) -> list[str]:
        return [m.key for m in self.metrics]

    def get(self, key: str) -> Metric:
        """The metric with ``key``; raises :class:`InputError` naming the known keys."""
        for metric in self.metrics:
            if metric.key == key:
                return metric
        raise InputError(f"unknown metric {key!r}; known: {', '.join([*self.keys, OTHER])}")

    def known(self, key: str) -> bool:
        return key == OTHER or key in self.keys

    def name(self, key: str) -> str:
        """Chinese and English name for display, or the key itself for ``other``."""
        for metric in self.metrics:
            if metric.key == key:
                return f"{metric.name_zh} / {metric.name_en}"
        return key

    def classify(self, sentence: str, start: int, end: int, unit: str) -> Match:
        """The metric of the figure at ``sentence[start:end]`` written with ``unit``.

        Terms right after the figure in its clause win (``500家智能化示范企业``); else the
        term ending nearest before it in the sentence (``产业规模升至500亿元``). At the
        same place the longer term wins, so specific terms beat general ones.
        """
        candidates = [m for m in self.metrics if m.accepts_unit(unit)]
        stop = _CLAUSE_END.search(sentence, end)
        after = sentence[end:min(stop.start() if stop else len(sentence), end + _AFTER_WINDOW)]
        best: tuple[int, int, Metric, str] | None = None
        for metric in candidates:
            for term in metric.terms:
                pos = after.find(term)
                if pos >= 0:
                    score = (pos, -len(term))
                    if best is None or score < best[:2]:
                        best = (*score, metric, term)
        if best is None:
            before = sentence[:start]
            for metric in candidates:
                for term in metric.terms:
                    pos = before.rfind(term)
                    if pos >= 0:
                        score = (start - (pos + len(term)), -len(term))
                        if best is None or score < best[:2]:
                            best = (*score, metric, term)
        if best is None:
            return Match(OTHER, "")
        return Match(best[2].key, best[3], best[2].ignore)
