"""The TUI's one adapter to the core: loads the project and keeps the app alive on bad input.

Every screen asks the :class:`Workspace` for data. It calls the corpus, the alignment
store, the evolution chain, the targets table and git; a failure there (a broken
alignment file, no git repository, a store not yet part of the build) becomes a
``file:line: message`` problem line for the banner and an empty result, never a
traceback, so the rest of the app keeps working.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from policydiff.core.corpus import Corpus
from policydiff.core.errors import InputError, PolicydiffError, StoreError
from policydiff.core.evolution import Chain
from policydiff.core.passages import ResolvedPassage, resolve_alignment
from policydiff.core.targets import TargetRow
from policydiff.store.corpus import load_corpus
from policydiff.store.project import Project, find_project, project_relative
from policydiff.tui.messages import Edit

if TYPE_CHECKING:
    from policydiff.api import PolicyProject
    from policydiff.core.compare import Comparison
    from policydiff.core.progress import Progress


LAST_GOOD = "showing the alignments as they were before the change (fix the file: it reloads)"
LAST_GOOD_CORPUS = "showing the documents as they were before the change (fix the file: it reloads)"


@dataclass(frozen=True)
class Span:
    """An aligned passage inside a document body, for highlighting in the reader."""

    start: int
    end: int
    alignment: str
    status: str  # the alignment's review status


@dataclass(frozen=True)
class Coverage:
    """What one theme has in one document: its sections, or a recorded silence."""

    doc: str
    sections: tuple[str, ...]  # sections of passages in alignments that are not rejected
    silent: bool  # an alignment records the document as absent (and none has a passage)
    statuses: tuple[str, ...]  # statuses of the alignments with a passage here
    orphaned: bool = False  # aligned here, but no member's anchor is found any more

    @property
    def state(self) -> str:
        if self.sections:
            return "passage"
        return "silent" if self.silent else ("orphaned" if self.orphaned else "none")


@dataclass(frozen=True)
class SearchHit:
    """A match of a search in a document body, with the words around it."""

    doc: str
    section: str
    start: int
    end: int
    context: str


class Workspace:
    """Project, corpus, store and git for one TUI session; problems collected as lines."""

    def __init__(self, project: Project, corpus: Corpus, check_git: bool = True):
        """``check_git=False``: look for the git repository on first need (or when the app
        calls :meth:`check_git` in a worker) rather than now — importing GitPython and
        opening the repository is a tenth of a second of start-up."""
        self.project = project
        self.corpus = corpus
        self.store: Any = None
        self.store_problems: list[str] = []
        self.corpus_problems: list[str] = []
        self._git_problems: list[str] | None = None
        self._passages: dict[str, list[ResolvedPassage]] = {}
        self.reload_store()
        if check_git:
            self.check_git()

    @classmethod
    def open(cls, root: str | Path | None = None, check_git: bool = True) -> Workspace:
        """Load the project at ``root`` (or found from the cwd). Raises PolicydiffError."""
        project = find_project(root)
        return cls(project, load_corpus(project), check_git=check_git)

    # ------------------------------------------------------------------ problems

    @property
    def problems(self) -> list[str]:
        """Banner lines; git's only once it has been looked for (never blocks on git)."""
        return [*self.store_problems, *self.corpus_problems, *(self._git_problems or [])]

    def _rel(self, path: str | Path | None) -> str:
        return project_relative(path, self.project) if path else ""

    def _describe(self, exc: PolicydiffError) -> str:
        if exc.path:
            where = self._rel(exc.path) + (f":{exc.line}" if exc.line else "")
            return f"{where}: {exc.message}"
        return exc.message

    # ------------------------------------------------------------------ store

    def reload_store(self, keep_last_good: bool = False) -> None:
        """(Re)read alignments/; a broken file becomes a problem line, not an exception.

        ``keep_last_good`` (a file changed on disk, e.g. an editor saved half a YAML
        edit): when the new read has errors, keep the alignments as they were and say
        so in the banner, rather than dropping the broken file's alignments from view.
        Writes to the broken file are refused by the store meanwhile.
        """
        try:
            self.api.reload_store()  # lenient: broken files skipped, listed
            store = self.api.editor()  # review keys and new alignments write through it
        except PolicydiffError as exc:
            if keep_last_good and self.store is not None:
                self.store_problems = [self._describe(exc), LAST_GOOD]
                self.api.store = self.store
                return
            self._passages.clear()
            self.store = None
            self.store_problems = [self._describe(exc)]
            return
        errors = self._file_problems(store)
        problems = [self._describe_problem(p) for p in errors]
        if keep_last_good and self.store is not None:
            was_broken = {p.path for p in self._file_problems(self.store)}
            if {p.path for p in errors} - was_broken:  # a file that was fine broke
                self.store_problems = [*problems, LAST_GOOD]
                self.api.store = self.store
                return
        self._passages.clear()
        self.store = store
        self.store_problems = problems

    def reload_corpus(self) -> None:
        """Re-read corpus/ (a document changed on disk); on an error keep the last good one."""
        try:
            corpus = load_corpus(self.project)
        except PolicydiffError as exc:
            self.corpus_problems = [self._describe(exc), LAST_GOOD_CORPUS]
            return
        self.corpus_problems = []
        self.corpus = corpus
        self._passages.clear()

    @staticmethod
    def _file_problems(store: Any) -> list[Any]:
        """Problems the store recorded while skipping broken files."""
        return [p for p in store.problems if p.severity == "error"]

    def _describe_problem(self, problem: Any) -> str:
        return str(problem)

    @property
    def has_store(self) -> bool:
        return self.store is not None

    def themes(self) -> list[Any]:
        return list(self.store.themes()) if self.store else []

    def alignments(self, theme: str | None = None) -> list[Any]:
        return list(self.store.alignments(theme=theme)) if self.store else []

    def alignment(self, alignment_id: str) -> Any | None:
        if not self.store:
            return None
        try:
            return self.store.get(alignment_id)
        except PolicydiffError:
            return None

    def passages(self, alignment_id: str) -> list[ResolvedPassage]:
        """The alignment's members in date order, each with its current text (cached)."""
        if alignment_id in self._passages:
            return self._passages[alignment_id]
        al = self.alignment(alignment_id)
        if al is None:
            return []
        out = resolve_alignment(al, self.corpus)
        self._passages[alignment_id] = out
        return out

    def spans(self, doc_id: str) -> list[Span]:
        """Where the alignments' passages sit in one document, in text order."""
        out = []
        for al in self.alignments():
            for p in self.passages(al.id):
                if p.doc == doc_id and p.start is not None and p.end is not None:
                    out.append(Span(p.start, p.end, al.id, al.status))
        return sorted(out, key=lambda s: (s.start, s.end))

    def coverage(self, theme: str, alignment: str | None = None) -> list[Coverage]:
        """The theme × document row: per document (date order) its sections or silence.

        Rejected alignments do not count: a reviewer said they do not belong together.
        With ``alignment``, the row of that alignment only.
        """
        from policydiff.core.coverage import coverage

        chosen = [al for al in self.alignments(theme) if al.status != "rejected"
                  and (alignment is None or al.id == alignment)]
        by_alignment = {al.id: self.passages(al.id) for al in chosen}
        cells = coverage([theme], {theme: [p for ps in by_alignment.values() for p in ps]},
                         self.corpus.documents())
        statuses: dict[str, list[str]] = {}
        for al in chosen:
            for p in by_alignment[al.id]:
                if p.found:
                    statuses.setdefault(p.doc, []).append(al.status)
        out = []
        for d in self.corpus.ids:
            cell = cells[theme, d]
            out.append(Coverage(d, tuple(s for s in cell.sections if s != "?"),
                                cell.state == "silent", tuple(statuses.get(d, ())),
                                cell.state == "orphaned"))
        return out

    def chain(self, alignment_id: str) -> Chain:
        """The alignment's evolution chain (diffs; loads the segmenter: call in a worker)."""
        from policydiff.core.evolution import build_chain

        al = self.alignment(alignment_id)
        if al is None:
            raise InputError(f"unknown alignment {alignment_id!r}")
        return build_chain(self.passages(alignment_id), al.theme, al.label, al.id)

    def section_chain(self, a: tuple[str, str | None], b: tuple[str, str | None]) -> Chain:
        """Two sections (or whole documents) as a one-step chain (call in a worker)."""
        from policydiff.core.evolution import build_chain

        versions = []
        for doc_id, section in (a, b):
            doc = self.corpus.get(doc_id)
            text = doc.subtree_text(section) if section else doc.body
            versions.append(ResolvedPassage(doc_id, doc.date, section, text, "exact"))
        label = " ↔ ".join(f"{d}:{s}" if s else d for d, s in (a, b))
        return build_chain(versions, "", label, "")

    def compare_docs(self, a: str, b: str) -> Comparison:
        """Two documents compared unit by unit (loads the segmenter: call in a worker)."""
        from policydiff.core.compare import compare_documents

        return compare_documents(self.corpus.get(a), self.corpus.get(b))

    def document_pairs(self) -> list[tuple[str, str]]:
        """Pairs worth offering for a document comparison, old first: documents sharing a
        ``policy`` key (any two), then each consecutive pair in date order."""
        docs = list(self.corpus)
        out: list[tuple[str, str]] = []
        for i, x in enumerate(docs):
            for y in docs[i + 1:]:
                if x.meta.policy and x.meta.policy == y.meta.policy:
                    out.append((x.id, y.id))
        for x, y in pairwise(docs):
            if (x.id, y.id) not in out:
                out.append((x.id, y.id))
        return out

    def _write(self, alignment_id: str, field: str, value: str) -> Edit:
        """Set ``field`` through the store (as the CLI does); what to undo it with."""
        al = self.store.get(alignment_id)
        path = self.project.root / al.file
        before = path.read_text(encoding="utf-8")
        old = al.status if field == "status" else (al.note or "")
        if field == "status":
            self.store.set_status(alignment_id, value)
        else:
            self.store.set_note(alignment_id, value)
        self._passages.pop(alignment_id, None)
        after = path.read_text(encoding="utf-8")
        return Edit(alignment_id, field, old, value, self._rel(path), before, after)

    def set_status(self, alignment_id: str, status: str) -> Edit:
        return self._write(alignment_id, "status", status)

    def set_note(self, alignment_id: str, text: str) -> Edit:
        return self._write(alignment_id, "note", text)

    def add_alignment(self, theme: str, label: str, note: str,
                      passages: list[tuple[str, int, int]], status: str = "proposed",
                      ) -> tuple[str, str]:
        """A new alignment of ``passages`` (doc, start, end) through ``AlignmentStore.add``.

        As ``policydiff align --span`` does it: members anchored, in corpus date order, id
        ``<theme>-<n>``; the store appends it to the theme's file with minimal edits and
        reads it back before writing. Returns (id, file relative to the project).
        """
        from policydiff.core.alignment import Alignment, Member
        from policydiff.core.anchors import make_anchor

        if self.store is None:
            raise StoreError(self.store_problems[0] if self.store_problems else "no store")
        self.store.theme(theme)
        order = {doc_id: i for i, doc_id in enumerate(self.corpus.ids)}
        members = []
        for doc_id, start, end in sorted(passages, key=lambda p: (order.get(p[0], 0), p[1])):
            doc = self.corpus.get(doc_id)
            members.append(Member(doc_id, doc.section_at(start).id,
                                  make_anchor(doc.body, start, end)))
        alignment = Alignment(id=self.store.new_id(theme), theme=theme, label=label.strip(),
                              status=status, note=note.strip(), members=members,
                              origin="policydiff tui")
        path = self.store.add(alignment)
        self.reload_store()
        return alignment.id, self._rel(path)

    def undo(self, edit: Edit) -> None:
        """Undo ``edit``: the file's old text if untouched since, else the old value."""
        from policydiff.store.undo import restore_text

        if restore_text(self.project.root / edit.path, edit.text_after, edit.text_before):
            self.reload_store()
        elif edit.field == "status":
            self.store.set_status(edit.alignment, edit.before)
        else:
            self.store.set_note(edit.alignment, edit.before)
        self._passages.pop(edit.alignment, None)

    # ------------------------------------------------------------------ git

    def check_git(self) -> None:
        """Look for the project's git repository (a problem line when there is none)."""
        from policydiff.store.gitstore import open_repo

        try:
            open_repo(self.project)
        except PolicydiffError as exc:
            self._git_problems = [self._describe(exc)]
            return
        self._git_problems = []

    @property
    def git_problems(self) -> list[str]:
        if self._git_problems is None:
            self.check_git()
        return self._git_problems or []

    @property
    def has_git(self) -> bool:
        return not self.git_problems

    def pending_files(self) -> list[str]:
        """Alignment files with uncommitted changes (relative to the project)."""
        if not self.has_git:
            return []
        from policydiff.store import gitstore

        return [self._rel(p) for p in gitstore.changed_files(self.project)]

    def commit(self, message: str, paths: list[str] | None = None) -> str:
        """Commit the alignment files (only those); returns the new commit's short hash."""
        if not self.has_git:
            raise StoreError(self.git_problems[0])
        from policydiff.store import gitstore

        files = [self.project.root / p for p in (paths or self.pending_files())]
        if not files:
            raise StoreError("no changed alignment files to commit")
        return str(gitstore.commit_files(self.project, files, message))

    def history(self, alignment_id: str | None = None, limit: int = 50) -> list[Any]:
        """Semantic history entries of the alignment (or of every alignment)."""
        if not self.has_git:
            return []
        from policydiff.store import history

        return history.history(self.project, alignment_id, limit=limit)

    # ------------------------------------------------------------------ targets, search

    @property
    def api(self) -> PolicyProject:
        """The façade on this session's corpus and store, lenient (a broken alignment file
        is a problem, not an error). Made again when the corpus is reloaded; it always
        serves the store this workspace shows (the last good one after a broken save)."""
        from policydiff.api import PolicyProject

        api = self.__dict__.get("_api_project")
        if api is None or api.corpus is not self.corpus:
            api = PolicyProject(self.project, corpus=self.corpus, strict=False)
            if self.store is not None:
                api.store = self.store
            self.__dict__["_api_project"] = api
        return api

    def targets(self) -> list[TargetRow]:
        """The targets table (every distinct figure, overrides applied), as the CLI shows it."""
        return self.api.targets_table()

    def progress(self) -> list[Progress]:
        """Each target with a deadline and its verdict (met, not met, not comparable …)."""
        return self.api.progress()

    def search(self, query: str, limit: int | None = None, context: int = 30) -> list[SearchHit]:
        """Every occurrence of ``query`` (case-insensitive) in the corpus bodies, date order.

        ``limit`` caps the list for callers that show only the first few; the search
        screen counts and lists them all (a count that stops at a cap misleads).
        """
        query = query.strip()
        if not query:
            return []
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        hits: list[SearchHit] = []
        for doc in self.corpus:
            body = doc.body
            for m in pattern.finditer(body):
                line_start = body.rfind("\n", 0, m.start()) + 1
                line_end = body.find("\n", m.end())
                line_end = len(body) if line_end < 0 else line_end
                lo, hi = max(line_start, m.start() - context), min(line_end, m.end() + context)
                snippet = ("…" if lo > line_start else "") + body[lo:hi] + (
                    "…" if hi < line_end else "")
                hits.append(SearchHit(doc.id, doc.section_at(m.start()).id, m.start(), m.end(),
                                      snippet.lstrip("#> ")))
                if limit is not None and len(hits) >= limit:
                    return hits
        return hits
