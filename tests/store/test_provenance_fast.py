"""The report's provenance through plain ``git`` agrees with the GitPython path."""

from __future__ import annotations

import pytest

from conftest import copy_project, init_git
from policydiff.core.errors import InputError, StoreError
from policydiff.store.gitstore import alignments_commit, alignments_commit_fast


def test_fast_commit_and_dirty_state_equal_gitpython_s(tmp_path):
    project = copy_project(tmp_path / "proj")
    repo = init_git(project.root)
    first = repo.head.commit.hexsha
    assert alignments_commit_fast(project) == alignments_commit(project) == (first, False)

    (project.root / "notes.txt").write_text("not a store file\n", encoding="utf-8")
    repo.index.add(["notes.txt"])
    repo.index.commit("an unrelated commit")
    # the last commit that changed the store is still the first one
    assert alignments_commit_fast(project) == alignments_commit(project) == (first, False)

    store_file = next(p for p in project.alignments_dir.glob("*.yaml"))
    store_file.write_text(store_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert alignments_commit_fast(project) == alignments_commit(project) == (first, True)
    # a revision is never dirty
    assert alignments_commit_fast(project, "HEAD~1") == alignments_commit(project, "HEAD~1")
    assert alignments_commit_fast(project, "HEAD~1") == (first, False)


def test_fast_path_errors_read_as_before(tmp_path):
    project = copy_project(tmp_path / "proj")
    with pytest.raises(StoreError, match="not a git repository"):
        alignments_commit_fast(project)
    init_git(project.root)
    with pytest.raises(InputError, match="unknown git revision '--no-such'"):
        alignments_commit_fast(project, "--no-such")
