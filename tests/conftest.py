"""Shared fixtures: the real project, and throw-away copies of it for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from policydiff.corpus import Corpus, load_corpus
from policydiff.project import Project

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def corpus(project: Project) -> Corpus:
    return load_corpus(project)


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    """A writable copy of the project's corpus and alignments (no git)."""
    root = tmp_path / "proj"
    shutil.copytree(REPO / "corpus", root / "corpus")
    if (REPO / "alignments").is_dir():
        shutil.copytree(REPO / "alignments", root / "alignments")
    return Project(root)
