"""A hypothesis state machine that uses the tool like a busy team would.

It interleaves ``align``, ``accept``, ``reject``, ``note`` (each with or without
``--commit``), ``check --fix`` and corpus revisions that copy quoted sentences into
new headings or add paragraphs, on a real git repository in a temporary folder.
After every step it checks that:

* no written edit is lost: every alignment's status and note are what the model
  says (the model applies each command that exited 0);
* no committed edit is lost: after a ``--commit``, HEAD holds the model's state of
  every alignment of the committed file;
* every anchor resolves to its original text (the one non-heading occurrence of
  the quote) or is orphaned, never to a copy;
* a refused command says so in one line (exit 2), with nothing changed.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.core.anchors import resolve_anchor
from policydiff.store.alignments import load_store
from policydiff.store.corpus import load_corpus
from policydiff.store.gitstore import load_store_at
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]
EXISTING = ("talent-targets", "talent-base", "layout-parks", "governance-rules")
SENTENCE = re.compile(r"[^。；\n#]{12,60}[。；]")
STATS = {"steps": 0, "commands": 0, "refused": 0, "commits": 0, "anchors": 0,
         "orphaned": 0, "corpus_edits": 0}


def _candidates() -> list[tuple[str, str]]:
    """Sentences of body paragraphs that occur once in their document."""
    out = []
    for doc in load_corpus(Project(REPO)):
        for m in SENTENCE.finditer(doc.body):
            if doc.body.count(m.group()) == 1:
                out.append((doc.id, m.group()))
    return out[::7]


CANDIDATES = _candidates()


class Team(RuleBasedStateMachine):
    """Reviewers editing, committing and re-anchoring while the corpus is revised."""

    alignments = Bundle("alignments")

    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="policydiff-machine-"))
        self.project = copy_project(self.tmp / "proj")
        self.repo = init_git(self.project.root)
        store = load_store(self.project)
        self.model = {a.id: (a.status, a.note) for a in store.alignments()}
        self.files = {a.id: a.file for a in store.alignments()}
        # the original text of every anchored member: (alignment, index) -> (doc, quote)
        self.quotes = {(a.id, i): (m.doc, m.anchor.exact) for a in store.alignments()
                       for i, m in enumerate(a.members) if m.anchor is not None}
        self.serial = 0

    def teardown(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers ----------------------------------------------------------------

    def run(self, *args: str):
        STATS["commands"] += 1
        result = CliRunner().invoke(cli, ["--root", str(self.project.root), *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            (args, result.exception)
        if result.exit_code == 2:
            STATS["refused"] += 1
            assert re.fullmatch(r"policydiff: error: [^\n]+\n", result.stderr), result.stderr
        return result

    def committed(self, result, alignment_id: str) -> None:
        if "committed " not in result.stdout:
            return
        STATS["commits"] += 1
        head = load_store_at(self.project, "HEAD")
        rel = self.files[alignment_id]
        for other, state in self.model.items():
            if self.files.get(other) == rel:
                al = head.get(other)
                assert (al.status, al.note) == state, (other, "committed edit lost")

    # -- rules ------------------------------------------------------------------

    @initialize(target=alignments)
    def existing(self):
        return "talent-targets"

    @rule(target=alignments, which=st.sampled_from(EXISTING))
    def pick(self, which: str) -> str:
        return which

    @rule(target=alignments, picks=st.lists(st.sampled_from(CANDIDATES), min_size=2,
                                             max_size=3, unique_by=lambda c: c[0]),
          commit=st.booleans())
    def align(self, picks, commit: bool) -> str:
        self.serial += 1
        new_id = f"talent-m{self.serial}"
        quotes = [f"--quote={doc}={text}" for doc, text in picks]
        extra = ["--commit"] if commit else []
        result = self.run("align", "talent", "--label", f"machine {self.serial}", "--id", new_id,
                          *quotes, *extra)
        if result.exit_code != 0:
            return "talent-targets"  # refused (a quote no longer unique): nothing changed
        self.model[new_id] = ("proposed", "")
        self.files[new_id] = "alignments/talent.yaml"
        store = load_store(self.project)
        for i, m in enumerate(store.get(new_id).members):
            if m.anchor is not None:
                self.quotes[(new_id, i)] = (m.doc, m.anchor.exact)
        self.committed(result, new_id)
        return new_id

    @rule(alignment=alignments, verb=st.sampled_from(["accept", "reject"]), commit=st.booleans())
    def set_status(self, alignment: str, verb: str, commit: bool) -> None:
        result = self.run(verb, alignment, *(["--commit"] if commit else []))
        assert result.exit_code == 0, result.output
        self.model[alignment] = ({"accept": "accepted", "reject": "rejected"}[verb],
                                 self.model[alignment][1])
        self.committed(result, alignment)

    @rule(alignment=alignments, text=st.sampled_from(["复核通过", "figures checked", "需再议：口径",
                                                      "line one\nline two", "[/bold] odd"]),
          commit=st.booleans())
    def note(self, alignment: str, text: str, commit: bool) -> None:
        result = self.run("note", alignment, text, *(["--commit"] if commit else []))
        assert result.exit_code == 0, result.output
        self.model[alignment] = (self.model[alignment][0], text.strip())
        self.committed(result, alignment)

    @rule()
    def check_fix(self) -> None:
        result = self.run("check", "--fix")
        assert result.exit_code in (0, 1), result.output
        # quotes are never reworded here, so no figure changes: statuses stay

    @precondition(lambda self: bool(self.quotes))
    @rule(data=st.data())
    def heading_copy(self, data) -> None:
        """The reviser puts a quoted sentence into a new heading above its paragraph."""
        key = data.draw(st.sampled_from(sorted(self.quotes)))
        doc, quote = self.quotes[key]
        path = self.project.corpus_dir / f"{doc}.md"
        text = path.read_text(encoding="utf-8")
        pos = self._original(text, quote)
        if pos is None or "\n" in quote:
            return
        para = text.rfind("\n\n", 0, pos) + 2
        path.write_text(text[:para] + f"## {quote}\n\n" + text[para:], encoding="utf-8")
        STATS["corpus_edits"] += 1

    @precondition(lambda self: bool(self.quotes))
    @rule(data=st.data())
    def new_paragraph(self, data) -> None:
        """A new paragraph before a quoted one (every offset after it moves)."""
        key = data.draw(st.sampled_from(sorted(self.quotes)))
        doc, quote = self.quotes[key]
        path = self.project.corpus_dir / f"{doc}.md"
        text = path.read_text(encoding="utf-8")
        pos = self._original(text, quote)
        if pos is None:
            return
        para = text.rfind("\n\n", 0, pos) + 2
        path.write_text(text[:para] + "本段为修订时新增的说明文字。\n\n" + text[para:],
                        encoding="utf-8")
        STATS["corpus_edits"] += 1

    @staticmethod
    def _original(text: str, quote: str) -> int | None:
        """Where the original quote is: its one occurrence not on a heading line."""
        found = []
        pos = text.find(quote)
        while pos >= 0:
            line_start = text.rfind("\n", 0, pos) + 1
            if not text.startswith("#", line_start):
                found.append(pos)
            pos = text.find(quote, pos + 1)
        return found[0] if len(found) == 1 else None

    # -- invariants -----------------------------------------------------------------

    @invariant()
    def nothing_lost(self) -> None:
        STATS["steps"] += 1
        store = load_store(self.project)
        for alignment_id, state in self.model.items():
            al = store.get(alignment_id)
            assert (al.status, al.note) == state, (alignment_id, "written edit lost")

    @invariant()
    def anchors_on_their_original_text(self) -> None:
        store = load_store(self.project)
        corpus = load_corpus(self.project)
        for (alignment_id, index), (doc, quote) in self.quotes.items():
            member = store.get(alignment_id).members[index]
            assert member.anchor is not None
            body = corpus.get(doc).body
            res = resolve_anchor(member.anchor, body)
            STATS["anchors"] += 1
            if res.start is None:
                STATS["orphaned"] += 1
                continue
            original = self._original(body, quote)
            assert original is not None and res.start == original, \
                (alignment_id, index, "anchor on a copy", res)


Team.TestCase.settings = settings(max_examples=8, stateful_step_count=8, deadline=None,
                                  suppress_health_check=list(HealthCheck))
TestTeam = Team.TestCase


def teardown_module() -> None:
    print(f"\nstate machine: {STATS}")
