"""Figures with reviewers' corrections: ``alignments/target-overrides.yaml``.

Extraction is pure (:mod:`policydiff.core.targets`); this module reads the override
file (with line numbers for ``file:line`` messages), pairs each override with the
figure it corrects and gives the project's figures as the CLI, TUI and report show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.metrics import MetricSet
from policydiff.core.problems import Problem
from policydiff.core.targets import (
    KINDS,
    OVERRIDES_FILE,
    Override,
    Target,
    _added_target,
    apply_overrides,
)
from policydiff.store.corpus import load_corpus
from policydiff.store.derived import extract_targets_cached as extract_targets
from policydiff.store.metrics_file import check_metrics, load_metrics
from policydiff.store.project import load_project_info, project_relative

_OVERRIDE_FIELDS = {"metric", "kind", "value", "value_max", "unit", "year", "qualifier",
                    "year_max", "base_year", "scope", "speaker", "policy", "jurisdiction",
                    "parent_jurisdiction"}
ANY_DOC = "*"  # an override for the same sentence in every copy of the text
_KEY_FIELDS = {"doc", "figure", "quote", "sentence"}
_FLAG_FIELDS = {"drop", "add", "note"}


def load_targets(project: Any, corpus: Any | None = None, docs: Sequence[str] | None = None,
                 overrides: bool = True, metrics: MetricSet | None = None) -> list[Target]:
    """The project's figures with reviewers' overrides applied (the CLI's view).

    ``metrics``: the project's metrics when the caller has read them already.
    """
    corpus = corpus if corpus is not None else load_corpus(project)
    metrics = metrics if metrics is not None else load_metrics(project)
    targets = extract_targets(corpus, metrics, region=_region(project))
    if overrides:
        entries, problems = read_overrides(project, corpus, metrics, targets)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise InputError(f"{errors[0]} (run `policydiff check` for all problems)")
        targets = apply_overrides(targets, entries)
    if docs:
        wanted = set(docs)
        targets = [t for t in targets if t.doc in wanted]
    return targets


def _region(project: Any) -> str:
    """The project's region (``project.yaml``): the city of a district without metadata."""
    try:
        return load_project_info(project).region or ""
    except (InputError, AttributeError):
        return ""


def overrides_path(project: Any) -> Path:
    return Path(project.alignments_dir) / OVERRIDES_FILE


def parse_overrides(text: str, path: str, metrics: MetricSet,
                    doc_ids: Iterable[str]) -> tuple[list[Override], list[Problem]]:
    """Read overrides from YAML text, checking fields and values (not yet the corpus)."""
    from policydiff.store.fastyaml import Fallback, load_shared

    try:  # fast when clean; the round-trip parser words the errors (and refuses aliases)
        data = load_shared(text)
    except Fallback:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        from policydiff.store.limits import ALIAS_MESSAGE, alias_line  # refuse aliases

        if (alias := alias_line(text)) is not None:
            return [], [Problem(path, alias, ALIAS_MESSAGE)]
        try:
            data = YAML(typ="rt").load(text)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            return [], [Problem(path, mark.line + 1 if mark else 0, f"invalid YAML: {exc}")]
    if data is None:
        return [], []
    items = data.get("overrides") if isinstance(data, dict) else None
    if items is None:
        items = []
    if not isinstance(items, list):
        return [], [Problem(path, 1, "expected a mapping with an `overrides:` list")]
    known_docs = set(doc_ids)
    result: list[Override] = []
    problems: list[Problem] = []
    for item in items:
        line = item.lc.line + 1 if hasattr(item, "lc") else 0
        before = len(problems)

        def bad(message: str, line: int = line) -> None:
            problems.append(Problem(path, line, message))

        if not isinstance(item, dict):
            bad("an override must be a mapping with doc and figure")
            continue
        for extra in sorted(set(item) - _OVERRIDE_FIELDS - _KEY_FIELDS - _FLAG_FIELDS):
            bad(f"unknown field {extra!r} (allowed: "
                f"{', '.join(sorted(_OVERRIDE_FIELDS | _KEY_FIELDS | _FLAG_FIELDS))})")
        doc, figure = item.get("doc"), item.get("figure")
        if not isinstance(doc, str) or (doc not in known_docs and doc != ANY_DOC):
            bad(f"unknown document {doc!r} (known: {', '.join(sorted(known_docs))}, or "
                f"'{ANY_DOC}' for every document that has the sentence)")
        if doc == ANY_DOC and (item.get("add") or not item.get("quote")):
            bad(f"`doc: '{ANY_DOC}'` needs a `quote` and cannot add a figure")
        if not isinstance(figure, str) or not figure:
            bad("`figure` must be the figure as written, e.g. 500余家")
        for key in ("quote", "sentence", "note", "unit", "qualifier", "scope", "speaker",
                    "policy", "jurisdiction", "parent_jurisdiction"):
            if key in item and not isinstance(item[key], str):
                bad(f"`{key}` must be text")
        if "metric" in item and not metrics.known(str(item["metric"])):
            bad(f"unknown metric {item['metric']!r} (see alignments/metrics.yaml)")
        if "kind" in item and item["kind"] not in KINDS:
            bad(f"kind must be one of {', '.join(KINDS)}, not {item['kind']!r}")
        for key in ("value", "value_max"):
            if key in item and item[key] is not None and (
                    isinstance(item[key], bool) or not isinstance(item[key], int | float)):
                bad(f"`{key}` must be a number")
        for key in ("year", "year_max", "base_year"):
            if key in item and item[key] is not None and (
                    isinstance(item[key], bool) or not isinstance(item[key], int)):
                bad(f"`{key}` must be a year such as 2025")
        drop, add = item.get("drop", False), item.get("add", False)
        if not isinstance(drop, bool) or not isinstance(add, bool):
            bad("`drop` and `add` must be true or false")
        elif drop and (add or set(item) & _OVERRIDE_FIELDS):
            bad("`drop: true` cannot be combined with `add` or fields to set")
        elif add and not {"metric", "kind"} <= set(item):
            bad("`add: true` needs at least metric and kind")
        elif add and not item.get("quote"):
            bad("`add: true` needs a `quote` from the sentence that holds the figure")
        elif not drop and not add and not set(item) & _OVERRIDE_FIELDS:
            bad("nothing to override: give fields to set, `drop: true` or `add: true`")
        if len(problems) > before:
            continue
        result.append(Override(
            doc=doc, figure=figure, quote=item.get("quote"), sentence=item.get("sentence"),
            fields=tuple((k, item[k]) for k in sorted(_OVERRIDE_FIELDS) if k in item),
            drop=bool(drop), add=bool(add), note=str(item.get("note") or ""), line=line,
        ))
    return result, problems


Paired = list[tuple["Override", "Target | None"]]


def read_overrides(project: Any, corpus: Any, metrics: MetricSet,
                   targets: list[Target]) -> tuple[Paired, list[Problem]]:
    """Overrides paired with the extracted figure each one corrects (or the figure it adds)."""
    path = overrides_path(project)
    if not path.exists():
        return [], []
    rel = project_relative(path, project)
    entries, problems = parse_overrides(path.read_text(encoding="utf-8"), rel, metrics,
                                        corpus.ids)
    paired: list[tuple[Override, Target | None]] = []
    for o in entries:
        if o.add:
            added = _added_target(o, corpus.get(o.doc), metrics)
            if added is None:
                problems.append(Problem(rel, o.line, f"{o.doc}: no sentence holds both "
                                                     f"{o.quote!r} and {o.figure!r}"))
            else:
                paired.append((o, added))
            continue
        hits = [t for t in targets if o.matches(t)]
        if o.doc == ANY_DOC and hits:
            paired.extend((o, t) for t in hits)  # every copy of the sentence
            continue
        if not hits:
            problems.append(Problem(rel, o.line, f"{o.doc}: no extracted figure {o.figure!r}"
                                                 + (f" in a sentence with {o.quote!r}"
                                                    if o.quote else "")))
        elif len(hits) > 1:
            where = ", ".join(t.sentence for t in hits)
            problems.append(Problem(rel, o.line, f"{o.doc}: {o.figure!r} matches {len(hits)} "
                                                 f"figures ({where}); add a quote or sentence"))
        else:
            paired.append((o, hits[0]))
    return paired, problems


def check_overrides(project: Any, corpus: Any) -> list[Problem]:
    """Problems in ``alignments/metrics.yaml`` and ``alignments/target-overrides.yaml``.

    Called by ``policydiff check``: every override must name a known document and
    metric and match exactly one extracted figure.
    """
    problems = check_metrics(project)
    if any(p.severity == "error" for p in problems):
        return problems
    metrics = load_metrics(project)
    path = overrides_path(project)
    if not path.exists():
        return problems
    # Only the documents the overrides name need their figures extracted.
    entries, _ = parse_overrides(path.read_text(encoding="utf-8"), "", metrics, corpus.ids)
    docs = sorted({o.doc for o in entries if not o.add})
    if ANY_DOC in docs:
        targets = extract_targets(corpus, metrics, region=_region(project))
    else:
        targets = extract_targets(corpus, metrics, docs, region=_region(project)) if docs else []
    problems.extend(read_overrides(project, corpus, metrics, targets)[1])
    return problems
