"""Reading ``alignments/metrics.yaml``: the project's metric definitions, with line numbers.

The model (:class:`~policydiff.core.metrics.MetricSet`) is pure and lives in the core;
this module is the file side: the YAML parser that keeps line numbers for ``file:line``
messages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.metrics import (
    METRIC_FIELDS,
    METRIC_KEY_RE,
    METRICS_FILE,
    OTHER,
    Metric,
    MetricSet,
)
from policydiff.core.problems import Problem
from policydiff.core.units import known_unit
from policydiff.store.project import project_relative


def metrics_path(project: Any) -> Path:
    """Where the project's metric definitions live."""
    return Path(project.alignments_dir) / METRICS_FILE


def _yaml():  # ruamel.yaml round-trip loader, for line numbers
    from ruamel.yaml import YAML

    return YAML(typ="rt")


def parse_metrics(text: str, path: str = METRICS_FILE) -> tuple[MetricSet, list[Problem]]:
    """Read metric definitions from YAML text; problems carry the file's line numbers.

    Every command that shows figures reads this file, and ``check`` reads it twice:
    the result is kept per text (the model is immutable), and a clean file is read
    with the fast loader (:mod:`policydiff.store.fastyaml`), the round-trip parser
    only when the fast one cannot read it exactly (errors, aliases).
    """
    metric_set, problems = _parse_metrics(text, path)
    return metric_set, list(problems)


@lru_cache(maxsize=8)
def _parse_metrics(text: str, path: str) -> tuple[MetricSet, tuple[Problem, ...]]:
    from policydiff.store.fastyaml import Fallback, load_shared

    try:
        data = load_shared(text)
    except Fallback:
        from ruamel.yaml.error import YAMLError

        from policydiff.store.limits import ALIAS_MESSAGE, alias_line  # refuse aliases

        if (alias := alias_line(text)) is not None:
            return MetricSet(), (Problem(path, alias, ALIAS_MESSAGE),)
        try:
            data = _yaml().load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            return MetricSet(), (Problem(path, mark.line + 1 if mark else 0,
                                         f"invalid YAML: {problem}"),)
    metric_set, problems = _metrics_from_data(data, path)
    return metric_set, tuple(problems)


def _metrics_from_data(data: Any, path: str) -> tuple[MetricSet, list[Problem]]:
    problems: list[Problem] = []
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
        for extra in sorted(set(item) - METRIC_FIELDS):
            problems.append(Problem(path, line, f"unknown field {extra!r} in metric"))
        key = item.get("key")
        if not isinstance(key, str) or not METRIC_KEY_RE.fullmatch(key):
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
        unknown = [u for u in units if not known_unit(str(u))]
        if unknown:
            problems.append(Problem(path, line, f"metric {key!r}: unknown unit "
                                                f"{', '.join(map(repr, unknown))} (units are "
                                                "those of policydiff/core/units.py, with "
                                                "万/亿 in front)"))
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
    rel = project_relative(path, project)
    return parse_metrics(path.read_text(encoding="utf-8"), rel)[1]
