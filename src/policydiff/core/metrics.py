"""Metric definitions: the canonical key that lines the same quantity up across documents.

The definitions live in ``alignments/metrics.yaml`` so a reviewer can add a term or a
metric without touching code; this module reads them and decides which metric a figure
measures from the words around it (the noun after the figure in its clause, else the
nearest term before it in the sentence).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.problems import Problem

METRICS_FILE = "metrics.yaml"
OTHER = "other"
_CLAUSE_END = re.compile(r"[，,；;。：:！!？?]")
_AFTER_WINDOW = 30
_MULTIPLIERS = "十百千万亿"
_FIELDS = {"key", "name_zh", "name_en", "terms", "units", "ignore", "description"}
_KEY_RE = re.compile(r"[a-z][a-z0-9-]*")


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


def metrics_path(project: Any) -> Path:
    """Where the project's metric definitions live."""
    return Path(project.alignments_dir) / METRICS_FILE


def _yaml():  # ruamel.yaml round-trip loader, for line numbers
    from ruamel.yaml import YAML

    return YAML(typ="rt")


def parse_metrics(text: str, path: str = METRICS_FILE) -> tuple[MetricSet, list[Problem]]:
    """Read metric definitions from YAML text; problems carry the file's line numbers."""
    from ruamel.yaml.error import YAMLError

    problems: list[Problem] = []
    try:
        data = _yaml().load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return MetricSet(), [Problem(path, mark.line + 1 if mark else 0, f"invalid YAML: {exc}")]
    if data is None:
        return MetricSet(), []
    if not isinstance(data, dict) or not isinstance(data.get("metrics", []), list):
        return MetricSet(), [Problem(path, 1, "expected a mapping with a `metrics:` list")]
    metrics: list[Metric] = []
    seen: set[str] = set()
    for item in data.get("metrics") or []:
        line = _line(item, data)
        if not isinstance(item, dict):
            problems.append(Problem(path, line, "a metric must be a mapping (key, terms, units)"))
            continue
        for extra in sorted(set(item) - _FIELDS):
            problems.append(Problem(path, line, f"unknown field {extra!r} in metric"))
        key = item.get("key")
        if not isinstance(key, str) or not _KEY_RE.fullmatch(key):
            problems.append(Problem(path, line, f"metric key {key!r} must be lower-case words "
                                                "joined by '-'"))
            continue
        if key in seen or key == OTHER:
            problems.append(Problem(path, line, f"duplicate or reserved metric key {key!r}"))
            continue
        seen.add(key)
        terms = item.get("terms") or []
        units = item.get("units") or []
        if not isinstance(terms, list) or not terms or not all(isinstance(t, str) and t
                                                                for t in terms):
            problems.append(Problem(path, line, f"metric {key!r}: `terms` must be a non-empty "
                                                "list of words"))
            continue
        if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
            problems.append(Problem(path, line, f"metric {key!r}: `units` must be a non-empty "
                                                "list of units"))
            continue
        metrics.append(Metric(
            key=key, name_zh=str(item.get("name_zh") or key),
            name_en=str(item.get("name_en") or key),
            terms=tuple(terms), units=tuple(str(u) for u in units),
            ignore=bool(item.get("ignore", False)), line=line,
        ))
    not_figures = data.get("not_figures") or []
    if not isinstance(not_figures, list) or not all(isinstance(p, str) for p in not_figures):
        problems.append(Problem(path, _line(not_figures, data, "not_figures"),
                                "`not_figures` must be a list of phrases"))
        not_figures = []
    return MetricSet(tuple(metrics), tuple(not_figures)), problems


def _line(node: Any, parent: Any = None, key: str | None = None) -> int:
    lc = getattr(node, "lc", None)
    if lc is not None and getattr(lc, "line", None) is not None:
        return lc.line + 1
    if parent is not None and key is not None and hasattr(parent, "lc"):
        try:
            return parent.lc.key(key)[0] + 1
        except (KeyError, TypeError):
            return 0
    return 0


def load_metrics(project: Any) -> MetricSet:
    """The project's metric definitions; an empty set if the file does not exist.

    Raises :class:`InputError` if the file is invalid (``policydiff check`` lists every
    problem with its line).
    """
    path = metrics_path(project)
    if not path.exists():
        return MetricSet()
    metric_set, problems = parse_metrics(path.read_text(encoding="utf-8"), str(path))
    if problems:
        raise InputError(f"{problems[0]} (run `policydiff check` for all problems)")
    return metric_set


def check_metrics(project: Any) -> list[Problem]:
    """Problems in ``alignments/metrics.yaml`` (none if the file is absent)."""
    path = metrics_path(project)
    if not path.exists():
        return []
    rel = _relative(path, project)
    return parse_metrics(path.read_text(encoding="utf-8"), rel)[1]


def _relative(path: Path, project: Any) -> str:
    try:
        return str(path.relative_to(Path(project.root)))
    except ValueError:
        return str(path)
