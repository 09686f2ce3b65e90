"""Shared fixtures: the real project, and throw-away copies of it for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from policydiff.store.corpus import Corpus, load_corpus
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[1]

# Property tests check behaviour, not speed: on a shared 2-core machine a slow example is
# not a failure (speed is measured in benchmarks/).
settings.register_profile("policydiff", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("policydiff")


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def corpus(project: Project) -> Corpus:
    return load_corpus(project)


def copy_project(root: Path, *, alignments: bool = True) -> Project:
    """The repository's corpus (and its curated alignments) copied to ``root``."""
    shutil.copytree(REPO / "corpus", root / "corpus")
    if alignments:
        shutil.copytree(REPO / "alignments", root / "alignments")
    return Project(root)


def init_git(root: Path, message: str = "import corpus and alignments", *,
             name: str = "Ada Reviewer", email: str = "ada@example.org"):  # -> git.Repo
    """A real git repository at ``root`` with every file in it committed."""
    import git

    repo = git.Repo.init(root)
    with repo.config_writer() as cfg:
        cfg.set_value("user", "name", name)
        cfg.set_value("user", "email", email)
    repo.git.add("-A")
    repo.index.commit(message)
    return repo


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    """A writable copy of the project's corpus and alignments (no git)."""
    return copy_project(tmp_path / "proj")


class DictTokenCache:
    """A token cache in a dict (``segment.TokenCache``): what a test can count and inspect."""

    def __init__(self) -> None:
        self.data: dict[bytes, bytes] = {}

    def get(self, key: bytes) -> bytes | None:
        return self.data.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        self.data[key] = value
