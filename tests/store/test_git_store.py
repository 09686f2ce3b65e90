"""The store in real temporary git repositories: commits touch only alignment files,
revisions are read from git objects, history speaks in semantic events."""

from __future__ import annotations

from pathlib import Path

import git
import pytest
from click.testing import CliRunner

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.store.alignments import load_store
from policydiff.store.gitstore import changed_files, commit_files, load_store_at
from policydiff.store.history import changes, diff_stores, history
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]


def run(root: Path, *args: str, input: str | None = None):
    result = CliRunner().invoke(cli, ["--root", str(root), *args], input=input)
    return result


@pytest.fixture
def repo(tmp_path: Path) -> git.Repo:
    """A project with the real corpus and alignments, committed, plus a stray file."""
    root = tmp_path / "proj"
    copy_project(root)
    (root / "notes.txt").write_text("draft\n", encoding="utf-8")
    return init_git(root)


def _root(repo: git.Repo) -> Path:
    return Path(repo.working_tree_dir)


def _files_in(commit) -> set[str]:
    return set(commit.stats.files)


def test_accept_commit_touches_only_the_alignment_file(repo: git.Repo) -> None:
    root = _root(repo)
    # Other work in progress: a staged change and an unstaged one, in and out of alignments/.
    (root / "notes.txt").write_text("staged edit\n", encoding="utf-8")
    repo.index.add(["notes.txt"])
    (root / "corpus" / "2017-opinions.md").write_text(
        (root / "corpus" / "2017-opinions.md").read_text(encoding="utf-8") + "\n", "utf-8")
    (root / "alignments" / "metrics.yaml").write_text(
        (root / "alignments" / "metrics.yaml").read_text(encoding="utf-8") + "# wip\n", "utf-8")
    result = run(root, "reject", "talent-measures", "--commit", "-m", "not convinced")
    assert result.exit_code == 0, result.output
    head = repo.head.commit
    assert head.message.strip() == "not convinced"
    assert head.author.name == "Ada Reviewer"
    assert _files_in(head) == {"alignments/talent.yaml"}
    # The other work is still there, exactly as it was: staged stays staged.
    staged = {d.a_path for d in repo.index.diff("HEAD")}
    unstaged = {d.a_path for d in repo.index.diff(None)}
    assert staged == {"notes.txt"}
    assert unstaged == {"corpus/2017-opinions.md", "alignments/metrics.yaml"}
    assert load_store(Project(root)).get("talent-measures").status == "rejected"


def test_note_and_accept_commit_with_default_messages(repo: git.Repo) -> None:
    root = _root(repo)
    assert run(root, "note", "layout-parks", "Parks first, then firms.", "--commit").exit_code == 0
    assert repo.head.commit.message.strip() == "note on layout-parks"
    result = run(root, "accept", "layout-zhangjiang", "targets-enterprises", "--commit")
    assert result.exit_code == 0, result.output
    assert "targets-enterprises is already accepted" in result.output
    assert repo.head.commit.message.strip() == "accept layout-zhangjiang, targets-enterprises"
    assert _files_in(repo.head.commit) == {"alignments/layout.yaml"}
    assert changed_files(Project(root)) == []


def test_commit_includes_earlier_edits_of_the_same_file_and_says_so(repo: git.Repo) -> None:
    root = _root(repo)
    path = root / "alignments" / "talent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "theme: talent", "theme: talent  # reviewed in May"), encoding="utf-8")
    result = run(root, "accept", "talent-base", "--commit")  # already accepted: no change
    assert "nothing to commit" in result.output
    result = run(root, "reject", "talent-base", "--commit")
    assert result.exit_code == 0
    assert "also had earlier uncommitted edits" in result.stderr
    blob = (repo.head.commit.tree / "alignments" / "talent.yaml").data_stream.read().decode()
    assert "# reviewed in May" in blob


def test_commit_outside_git_is_a_clear_error_and_edits_nothing(tmp_path: Path) -> None:
    root = tmp_path / "nogit"
    copy_project(root)
    before = (root / "alignments" / "talent.yaml").read_text(encoding="utf-8")
    result = run(root, "reject", "talent-base", "--commit")
    assert result.exit_code == 2
    assert result.stderr.startswith("policydiff: error: ") and "not a git repository" in \
        result.stderr
    assert (root / "alignments" / "talent.yaml").read_text(encoding="utf-8") == before
    # Without --commit, editing works.
    assert run(root, "reject", "talent-base").exit_code == 0
    assert load_store(Project(root)).get("talent-base").status == "rejected"


def test_commit_files_refuses_other_files(repo: git.Repo) -> None:
    root = _root(repo)
    from policydiff.core.errors import StoreError

    with pytest.raises(StoreError, match="not an alignment file"):
        commit_files(Project(root), [root / "notes.txt"], "sneaky")
    with pytest.raises(StoreError, match="not an alignment file"):
        commit_files(Project(root), [root / "alignments" / "metrics.yaml"], "not mine")
    with pytest.raises(StoreError, match="nothing to commit"):
        commit_files(Project(root), [root / "alignments" / "talent.yaml"], "no change")


def _scripted_history(repo: git.Repo) -> list[str]:
    """Several commits of review work; returns their short hashes, oldest first."""
    root = _root(repo)
    steps = [
        ("accept", "layout-zhangjiang", "--commit", "-m", "second look at Zhangjiang"),
        ("note", "layout-zhangjiang", "Kept after all: same district, two angles.", "--commit"),
        ("align", "talent", "--id", "talent-new", "--label", "高校 · Universities",
         "--quote", "2021-14th-plan=上海11所高校成立人工智能研究院",
         "--absent", "2022-pudong-plan=no universities", "--commit"),
    ]
    hashes = []
    for step in steps:
        result = run(root, *step)
        assert result.exit_code == 0, result.output + result.stderr
        hashes.append(repo.head.commit.hexsha[:8])
    # A hand edit: move a passage of talent-new to another sentence and drop the absence.
    path = root / "alignments" / "talent.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  - id: talent-new")
    block = text[start:]
    new_block = block.replace("上海11所高校成立人工智能研究院",
                              "9所高校设置本科人工智能专业")
    new_block = new_block.replace("      - doc: 2022-pudong-plan\n        absent: true\n"
                                  "        note: no universities\n", "")
    path.write_text(text[:start] + new_block, encoding="utf-8")
    repo.index.add(["alignments/talent.yaml"])
    repo.index.commit("hand edit")
    hashes.append(repo.head.commit.hexsha[:8])
    return hashes


def test_history_reports_semantic_events_across_commits(repo: git.Repo) -> None:
    root = _root(repo)
    hashes = _scripted_history(repo)
    project = Project(root)
    entries = history(project, "layout-zhangjiang")
    assert [e.short for e in entries][:2] == [hashes[1], hashes[0]]
    assert [c.kind for c in entries[1].changes] == ["status"]
    assert (entries[1].changes[0].old, entries[1].changes[0].new) == ("rejected", "accepted")
    assert entries[1].author == "Ada Reviewer" and entries[1].message == \
        "second look at Zhangjiang"
    assert [c.kind for c in entries[0].changes] == ["note"]

    talent = history(project, "talent-new")
    kinds = [[c.kind for c in e.changes] for e in talent]
    assert kinds == [["member_moved", "member_removed"], ["added"]]
    moved = talent[0].changes[0]
    assert moved.doc == "2021-14th-plan" and "quote" in moved.summary
    assert talent[0].changes[1].doc == "2022-pudong-plan"

    by_theme = history(project, "talent")
    assert {c.alignment for e in by_theme for c in e.changes} >= {"talent-new"}
    assert all(c.theme == "talent" for e in by_theme for c in e.changes)
    since = history(project, since=hashes[1])
    assert [e.short for e in since] == [hashes[3], hashes[2]]


def test_changes_between_revisions_and_against_the_working_tree(repo: git.Repo) -> None:
    root = _root(repo)
    hashes = _scripted_history(repo)
    project = Project(root)
    _, _, found = changes(project, f"{hashes[0]}..{hashes[2]}")
    assert sorted(c.kind for c in found) == ["added", "note"]
    assert run(root, "reject", "targets-positioning").exit_code == 0
    old, new, found = changes(project, "HEAD")
    assert (old, new) == ("HEAD", "working tree")
    assert [(c.alignment, c.kind, c.new) for c in found] == [
        ("targets-positioning", "status", "rejected")]
    result = run(root, "changes", f"{hashes[0]}..", "--format", "json")
    assert result.exit_code == 0
    # Added and then edited since that revision: one net event, with the final passage.
    assert '"kind": "added"' in result.output and "member_moved" not in result.output
    assert '"quote": "9所高校设置本科人工智能专业"' in result.output


def test_rev_reads_an_old_revision_from_git_objects(repo: git.Repo) -> None:
    root = _root(repo)
    hashes = _scripted_history(repo)
    # The working tree is broken: --rev does not care, it never reads it.
    (root / "alignments" / "talent.yaml").write_text("<<<<<<< HEAD\n", encoding="utf-8")
    old = load_store_at(Project(root), hashes[0])
    assert old.get("layout-zhangjiang").status == "accepted"
    assert "talent-new" not in old
    assert old.get("layout-zhangjiang").note.startswith("Rejected:")
    result = run(root, "alignments", "--rev", hashes[2], "--theme", "talent", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert '"id": "talent-new"' in result.output
    result = run(root, "alignments", "--rev", "no-such-rev")
    assert result.exit_code == 2 and "unknown git revision 'no-such-rev'" in result.stderr
    with pytest.raises(Exception, match="read-only"):
        old.set_status("layout-zhangjiang", "rejected")
    # Nothing was checked out.
    assert (root / "alignments" / "talent.yaml").read_text(encoding="utf-8") == "<<<<<<< HEAD\n"


def test_diff_of_identical_stores_is_empty(repo: git.Repo) -> None:
    store = load_store(Project(_root(repo)))
    assert diff_stores(store, store) == []
    added = diff_stores(None, store)
    assert sum(c.kind == "added" for c in added) == len(store.alignments())
