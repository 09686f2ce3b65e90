"""How one theme's wording evolved: a chain of successive diffs in date order.

An accepted alignment names the passage each document devotes to a theme (or that
the document is silent on it). Reading 2017 → 2021 → 2022 as one chain of diffs,
each version against the one before, is how an analyst sees a goal sharpen, a
figure rise or a promise disappear. Building the chain is pure; :func:`theme_chains`
resolves an alignment's members through :mod:`policydiff.core.passages`, the one
place that turns a member into its text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from policydiff.core.alignment import Alignment
from policydiff.core.corpus import Corpus
from policydiff.core.passages import ResolvedPassage, resolve_alignment
from policydiff.core.worddiff import PassageDiff, diff_passages


def _version_dict(v: ResolvedPassage) -> dict[str, Any]:
    data: dict[str, Any] = {"doc": v.doc, "date": v.date, "section": v.section, "text": v.text,
                            "absent": v.absent, "status": v.status}
    if v.reason:
        data["reason"] = v.reason
    return data


@dataclass
class Step:
    """The diff from one present version to the next."""

    a: ResolvedPassage
    b: ResolvedPassage
    diff: PassageDiff
    skipped: list[ResolvedPassage] = field(default_factory=list)  # silent or orphaned between

    def to_dict(self) -> dict[str, Any]:
        data = self.diff.to_dict()
        return {
            "a": {"doc": self.a.doc, "section": self.a.section, "text": self.a.text},
            "b": {"doc": self.b.doc, "section": self.b.section, "text": self.b.text},
            "skipped": [v.doc for v in self.skipped],
            **data,
        }


@dataclass
class Chain:
    """A theme passage through time: its versions in date order and the diffs between."""

    theme: str
    label: str
    versions: list[ResolvedPassage]
    steps: list[Step]
    alignment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme, "alignment": self.alignment, "label": self.label,
            "versions": [_version_dict(v) for v in self.versions],
            "steps": [s.to_dict() for s in self.steps],
        }


def build_chain(versions: Sequence[ResolvedPassage], theme: str = "", label: str = "",
                alignment: str = "") -> Chain:
    """Sort versions by date and diff each found version against the previous one.

    Silent (absent) and orphaned versions take no part in a diff; they are kept in
    :attr:`Chain.versions` and listed in the next step's ``skipped``.
    """
    ordered = sorted(versions, key=lambda v: (v.date, v.doc,
                                              v.start if v.start is not None else -1))
    steps: list[Step] = []
    previous: ResolvedPassage | None = None
    skipped: list[ResolvedPassage] = []
    for v in ordered:
        if not v.found:
            skipped.append(v)
            continue
        if previous is not None:
            steps.append(Step(previous, v, diff_passages(previous.text, v.text), skipped))
        previous, skipped = v, []
    return Chain(theme, label, list(ordered), steps, alignment)


def alignment_chain(alignment: Alignment, corpus: Corpus,
                    docs: Sequence[str] | None = None) -> Chain:
    """The chain of one alignment's passages (of ``docs`` only, if given)."""
    return build_chain(resolve_alignment(alignment, corpus, docs), alignment.theme,
                       alignment.label, alignment.id)
