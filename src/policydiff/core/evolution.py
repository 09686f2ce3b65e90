"""How one theme's wording evolved: a chain of successive diffs in date order.

An accepted alignment names the passage each document devotes to a theme (or that
the document is silent on it). Reading 2017 → 2021 → 2022 as one chain of diffs,
each version against the one before, is how an analyst sees a goal sharpen, a
figure rise or a promise disappear. Building the chain is pure; :func:`theme_chains`
is the thin bridge to the alignment store and the corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from policydiff.core.worddiff import PassageDiff, diff_passages


@dataclass(frozen=True)
class Version:
    """One document's passage for the theme (``absent`` when the document is silent)."""

    doc: str
    date: str
    text: str
    section: str | None = None
    absent: bool = False
    status: str = "exact"  # how its anchor resolved: exact, drifted, orphaned

    def to_dict(self) -> dict[str, Any]:
        return {"doc": self.doc, "date": self.date, "section": self.section,
                "text": self.text, "absent": self.absent, "status": self.status}


@dataclass
class Step:
    """The diff from one present version to the next."""

    a: Version
    b: Version
    diff: PassageDiff
    skipped: list[Version] = field(default_factory=list)  # silent documents in between

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
    versions: list[Version]
    steps: list[Step]
    alignment: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "theme": self.theme, "alignment": self.alignment, "label": self.label,
            "versions": [v.to_dict() for v in self.versions],
            "steps": [s.to_dict() for s in self.steps],
        }


def build_chain(versions: Sequence[Version], theme: str = "", label: str = "",
                alignment: str = "") -> Chain:
    """Sort versions by date and diff each present version against the previous one."""
    ordered = sorted(versions, key=lambda v: (v.date, v.doc))
    steps: list[Step] = []
    previous: Version | None = None
    skipped: list[Version] = []
    for v in ordered:
        if v.absent:
            skipped.append(v)
            continue
        if previous is not None:
            steps.append(Step(previous, v, diff_passages(previous.text, v.text), skipped))
        previous, skipped = v, []
    return Chain(theme, label, list(ordered), steps, alignment)


def theme_chains(store: Any, corpus: Any, theme: str, status: str | None = "accepted",
                 docs: Sequence[str] | None = None) -> list[Chain]:
    """One chain per alignment of ``theme`` with ``status`` (restricted to ``docs``).

    ``store`` is a :class:`policydiff.store.alignments.AlignmentStore`; member passages come from
    :func:`policydiff.store.alignments.passage_text`, so a drifted anchor still finds its text.
    """
    from policydiff.core.errors import InputError
    from policydiff.store.alignments import passage_text

    known = [t.id for t in store.themes()]
    if theme not in known:
        raise InputError(f"unknown theme {theme!r} (known: {', '.join(known) or 'none'})")
    chains: list[Chain] = []
    for al in store.alignments(theme=theme, status=status):
        versions: list[Version] = []
        for member in al.members:
            if docs is not None and member.doc not in docs:
                continue
            date = corpus.get(member.doc).date
            if member.absent:
                versions.append(Version(member.doc, date, "", member.section, absent=True))
                continue
            text, res = passage_text(member, corpus)
            versions.append(Version(member.doc, date, text, member.section,
                                    status=getattr(res, "status", "exact")))
        chains.append(build_chain(versions, theme, al.label, al.id))
    return chains
