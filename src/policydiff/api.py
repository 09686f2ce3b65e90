"""The policydiff library façade: one object the CLI, the TUI and the report all use.

Open a project (optionally with its alignments as of a git revision) and ask it for
what an analyst works with: documents, themes, alignments, the passages an alignment
names (resolved once, the same way everywhere), pairs of passages to diff, theme
chains, the targets table, the report, and new alignments::

    import policydiff

    project = policydiff.open_project("path/to/project")
    for doc in project.documents():
        print(doc.id, doc.date, doc.meta.title)
    for pair in project.theme_pairs("talent", "2017-opinions", "2022-lingang-plan").pairs:
        diff = policydiff.diff_passages(pair.a.text, pair.b.text)
        print(pair.title, pair.b.section, diff.similarity)

The front ends parse options and render; every decision about *what* is shown
(which passages, which figures, which themes exist) is made here or below.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from policydiff.core.alignment import Alignment, Theme
from policydiff.core.corpus import Corpus
from policydiff.core.document import Document
from policydiff.core.errors import InputError
from policydiff.core.evolution import Chain, alignment_chain
from policydiff.core.passages import (
    PassagePair,
    ResolvedPassage,
    passage_pairs,
    resolve_alignment,
)
from policydiff.store.corpus import load_corpus
from policydiff.store.project import Project, find_project

if TYPE_CHECKING:
    from policydiff.core.metrics import MetricSet
    from policydiff.core.progress import Progress
    from policydiff.core.reuse import ReuseResult
    from policydiff.core.targets import Target, TargetRow
    from policydiff.render.report import Report
    from policydiff.store.alignments import AlignmentStore
    from policydiff.store.snapshot import AlignmentSnapshot



def status_or_none(status: str | None) -> str | None:
    """The store's filter for a CLI status: ``any`` (or None) means no filter."""
    return None if status in (None, "any") else status


@dataclass(frozen=True)
class ThemePairs:
    """Passage pairs of one theme between two documents, and members that could not be used."""

    pairs: list[PassagePair]
    orphaned: list[ResolvedPassage]


#: Documents from which a whole-corpus pass holds parsed documents only while in use
#: (10,000 parsed documents took over half of suggest's memory).
LAZY_CORPUS_FROM = 1000


class PolicyProject:
    """A policydiff project: corpus, alignment store (working tree or a git revision), targets.

    Loading is lazy: the corpus is read on first use, the store on first use of
    anything about alignments. ``rev`` reads the alignments as of a git revision
    (the corpus is always the working tree's). ``strict=False`` skips a broken
    alignment file and lists it in ``store.problems`` instead of raising — for a view
    that must keep working while a file is being edited (the TUI).
    """

    def __init__(self, project: Project, *, rev: str | None = None, corpus: Corpus | None = None,
                 strict: bool = True):
        self.project = project
        self.rev = rev
        self.strict = strict
        if corpus is not None:
            self.__dict__["corpus"] = corpus

    # ------------------------------------------------------------------ corpus

    @property
    def root(self) -> Path:
        return self.project.root

    @cached_property
    def corpus(self) -> Corpus:
        return load_corpus(self.project)

    def scan_corpus(self) -> Corpus:
        """The corpus for a command that passes over every document once (suggest).

        The same documents; past :data:`LAZY_CORPUS_FROM` files they are parsed when used
        and not all held at once (:class:`~policydiff.core.corpus.LazyCorpus`), and the
        rest of this project's calls use that corpus too.
        """
        if "corpus" not in self.__dict__:
            files = sum(1 for _ in self.project.corpus_dir.glob("*.md"))
            if files >= LAZY_CORPUS_FROM:
                self.__dict__["corpus"] = load_corpus(self.project, lazy=True)
        return self.corpus

    def documents(self, docs: Sequence[str] | None = None) -> list[Document]:
        """Documents in date order (only ``docs``, if given; unknown ids raise)."""
        if docs:
            chosen = {self.corpus.get(d).id for d in docs}
            return [d for d in self.corpus if d.id in chosen]
        return self.corpus.documents()

    def document(self, doc_id: str) -> Document:
        return self.corpus.get(doc_id)

    def check_docs(self, docs: Sequence[str] | None) -> list[str] | None:
        """``docs`` after checking every id exists (one clear error listing the known ids)."""
        if not docs:
            return None
        for d in docs:
            self.corpus.get(d)
        return list(docs)

    # ------------------------------------------------------------------ alignments

    @cached_property
    def store(self) -> AlignmentSnapshot:
        """The alignments, read-only (a git revision's, or the working tree's)."""
        if self.rev:
            from policydiff.store.gitstore import load_store_at

            return load_store_at(self.project, self.rev, strict=self.strict)
        from policydiff.store.snapshot import load_snapshot

        return load_snapshot(self.project, strict=self.strict)

    def reload_store(self) -> AlignmentSnapshot:
        """Read the alignments again (the files changed on disk); returns the new store."""
        self.__dict__.pop("store", None)
        return self.store

    def editor(self) -> AlignmentStore:
        """The alignments for editing (the TUI's review keys and new alignments): the
        snapshot made an editor in place, nothing read again, and the project's store
        from then on. A git revision's store refuses edits with one clear error."""
        from policydiff.store.alignments import as_editor

        editor = as_editor(self.store)
        self.__dict__["store"] = editor
        return editor

    def themes(self) -> list[Theme]:
        return list(self.store.themes())

    def theme(self, theme_id: str) -> Theme:
        """The theme, or one clear error naming the known themes (the only such check)."""
        return self.store.theme(theme_id)

    def check_themes(self, themes: Sequence[str] | None) -> list[Theme]:
        """The themes named (all, if none), each checked; in the project's order."""
        if not themes:
            return self.themes()
        for t in themes:
            self.theme(t)
        wanted = set(themes)
        return [t for t in self.themes() if t.id in wanted]

    def alignments(self, theme: str | None = None, status: str | None = "any",
                   doc: str | None = None) -> list[Alignment]:
        """Alignments (of a theme, with a status, with a member in ``doc``)."""
        if theme is not None:
            self.theme(theme)
        if doc is not None:
            self.corpus.get(doc)
        out = self.store.alignments(theme=theme, status=status_or_none(status))
        return [a for a in out if doc is None or any(m.doc == doc for m in a.members)]

    def alignment(self, alignment_id: str) -> Alignment:
        return self.store.get(alignment_id)

    def passages(self, alignment: Alignment | str,
                 docs: Sequence[str] | None = None) -> list[ResolvedPassage]:
        """The alignment's passages in date order, each resolved against the corpus now."""
        al = self.alignment(alignment) if isinstance(alignment, str) else alignment
        return resolve_alignment(al, self.corpus, docs)

    def theme_pairs(self, theme: str, doc_a: str, doc_b: str,
                    status: str | None = "accepted") -> ThemePairs:
        """Every passage of ``doc_a`` against every passage of ``doc_b`` in the theme's alignments.

        Members whose anchors are orphaned are returned apart (to warn about), never
        paired as empty text.
        """
        self.corpus.get(doc_a)
        self.corpus.get(doc_b)
        pairs, orphaned = passage_pairs(self.alignments(theme, status), self.corpus, doc_a, doc_b)
        return ThemePairs(pairs, orphaned)

    def chains(self, theme: str, status: str | None = "accepted",
               docs: Sequence[str] | None = None) -> list[Chain]:
        """One evolution chain per alignment of ``theme`` (restricted to ``docs``)."""
        docs = self.check_docs(docs)
        return [alignment_chain(al, self.corpus, docs)
                for al in self.alignments(theme, status)]

    def chain(self, alignment_id: str) -> Chain:
        return alignment_chain(self.alignment(alignment_id), self.corpus)

    def add_alignment(self, alignment: Alignment) -> Path:
        """Write a new alignment to its theme's file (checked, minimal edit, atomic)."""
        from policydiff.store.alignments import as_editor

        editor = as_editor(self.store)
        path = Path(editor.add(alignment))
        self.__dict__["store"] = editor  # an editor is a snapshot, and this one is current
        return path

    # ------------------------------------------------------------------ targets

    @cached_property
    def metrics(self) -> MetricSet:
        from policydiff.store.metrics_file import load_metrics

        return load_metrics(self.project)

    def targets(self, docs: Sequence[str] | None = None, metric: str | None = None,
                kind: str | None = None, overrides: bool = True) -> list[Target]:
        """Every figure (reviewers' overrides applied unless ``overrides=False``)."""
        from policydiff.core.metrics import OTHER
        from policydiff.store.target_overrides import load_targets

        docs = self.check_docs(docs)
        if metric is not None and metric != OTHER:
            self.metrics.get(metric)  # unknown metric: one clear error
        # Extraction reads every document: once per project object (the report asks for
        # the table, the progress and the summary).
        cache: dict[bool, list[Target]] = self.__dict__.setdefault("_targets_cache", {})
        if overrides not in cache:
            cache[overrides] = load_targets(self.project, self.corpus, overrides=overrides,
                                            metrics=self.metrics)
        wanted = set(docs) if docs else None
        return [t for t in cache[overrides] if (wanted is None or t.doc in wanted)
                and (metric is None or t.metric == metric)
                and (kind in (None, "all") or t.kind == kind)]

    def targets_table(self, docs: Sequence[str] | None = None, metric: str | None = None,
                      kind: str | None = None, overrides: bool = True,
                      include_other: bool = True) -> list[TargetRow]:
        """Distinct figures, metric by metric (metrics.yaml order), then date, then position.

        The one table the CLI, the TUI and the report show. ``include_other=False``
        leaves out figures without a metric and metrics marked ``ignore``.
        """
        from policydiff.core.targets import targets_table

        dates = {d.id: d.date for d in self.corpus}
        return targets_table(self.targets(docs, metric, kind, overrides), self.metrics, dates,
                             include_other)

    def progress(self, docs: Sequence[str] | None = None, metric: str | None = None,
                 overrides: bool = True) -> list[Progress]:
        """Each target with a deadline against the later figures of the same series.

        The later figures come from every document (not only ``docs``): a 2017 target is
        judged by the 2021 review even when only 2017 is asked for.
        """
        from policydiff.core.progress import progress

        docs = self.check_docs(docs)
        dates = {d.id: d.date for d in self.corpus}
        policies = {d.id: d.meta.own_policy for d in self.corpus}
        rows = progress(self.targets(None, metric, None, overrides), dates, policies)
        return [p for p in rows if not docs or p.target.doc in docs]

    # ------------------------------------------------------------------ reuse

    def reuse(self, docs: Sequence[str] | None = None, target: str | None = None,
              min_chars: int | None = None) -> ReuseResult:
        """Wording each document repeats or adapts from an earlier one (date order).

        Through the project's on-disk index (``.policydiff/``, synced by content hash);
        ``docs`` keeps only passages between those documents.
        """
        from dataclasses import replace

        from policydiff.core.reuse import ReuseParams
        from policydiff.store.reuse_index import find_project_reuse

        docs = self.check_docs(docs)
        params = ReuseParams() if min_chars is None else ReuseParams(min_chars=min_chars)
        result, _stats = find_project_reuse(self.project, params, target=target)
        if docs:
            keep = set(docs)
            result = replace(result, passages=[p for p in result.passages
                                               if p.target in keep and p.source in keep])
        return result

    # ------------------------------------------------------------------ report

    def report(self, *, themes: Sequence[str] | None = None, docs: Sequence[str] | None = None,
               status: str = "accepted", date: str | None = None,
               sections: Sequence[str] | None = None) -> Report:
        """The report's data model (render it with :mod:`policydiff.render.report`).

        ``sections`` chooses what goes in (``render.report.SECTIONS``; all if None).
        """
        from policydiff.render.report import build_report

        return build_report(self, themes=list(themes) if themes else None,
                            docs=list(docs) if docs else None, status=status, date=date,
                            sections=list(sections) if sections else None)


def open_project(root: str | Path | None = None, *, rev: str | None = None,
                 token_cache: bool = True, strict: bool = True) -> PolicyProject:
    """The project at ``root`` (or found from ``$POLICYDIFF_ROOT`` / the cwd).

    ``token_cache`` reuses word segmentation across runs (``.policydiff/`` in the project,
    ignored by git), as the CLI does. ``strict=False``: a broken alignment file is
    skipped and listed in ``store.problems`` rather than raised (see PolicyProject).
    """
    project = find_project(root)
    if token_cache:
        from policydiff.store import token_cache as cache

        cache.install(project.root)
    return PolicyProject(project, rev=rev, strict=strict)


def require(condition: bool, message: str) -> None:
    """Raise the one-line input error ``message`` unless ``condition``."""
    if not condition:
        raise InputError(message)
