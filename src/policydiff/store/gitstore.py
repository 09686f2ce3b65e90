"""The alignment store in git: read any revision, commit only alignment files.

Reviewers review alignments through git, so the tool reads a revision straight
from git objects (no checkout, the working tree is never touched) and commits only
the store files it is given, leaving every other staged or unstaged change alone.
Everything goes through gitpython, except the read-only question a report asks
(:func:`alignments_commit_fast`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError, StoreError
from policydiff.store.alignments import ALIGNMENTS_DIR, AlignmentStore, StoreFile, is_store_file
from policydiff.store.project import Project

#: How long to wait out another git process's ``.git/index.lock`` (seconds, in all).
_LOCK_RETRIES = 8


@dataclass(frozen=True)
class CommitInfo:
    """A commit, as history shows it."""

    sha: str
    short: str
    author: str
    email: str
    date: str  # ISO 8601 with the author's offset
    message: str  # first line
    parents: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"commit": self.sha, "short": self.short, "author": self.author,
                "email": self.email, "date": self.date, "message": self.message}


def open_repo(project: Project):
    """The git repository holding the project (``StoreError`` if there is none)."""
    import git

    try:
        return git.Repo(project.root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise StoreError("not a git repository (edits are saved, but committing and "
                         "history need git: run `git init`)", path=str(project.root)) from None


def _workdir(repo) -> Path:
    return Path(repo.working_tree_dir).resolve()


def store_prefix(repo, project: Project) -> str:
    """The alignments folder relative to the repository root, with ``/``."""
    rel = os.path.relpath(project.alignments_dir.resolve(), _workdir(repo))
    return Path(rel).as_posix()


def resolve_commit(repo, rev: str):
    """The commit ``rev`` names (``InputError`` with the revision if it names none)."""
    import git
    from gitdb.exc import BadName, BadObject

    try:
        return repo.commit(rev)
    except (BadName, BadObject, ValueError, git.GitCommandError, IndexError):
        raise InputError(f"unknown git revision {rev!r}") from None


# --- reading revisions ------------------------------------------------------------

_PARSED: dict[tuple[str, str], StoreFile] = {}


def _tree_files(repo, commit, prefix: str) -> dict[str, tuple[str, Any]]:
    """Store files of a commit: relative path -> (blob sha, blob)."""
    try:
        tree = commit.tree / prefix
    except KeyError:
        return {}
    files = {}
    for blob in tree.blobs:
        if is_store_file(blob.name):
            files[f"{ALIGNMENTS_DIR}/{blob.name}"] = (blob.hexsha, blob)
    return files


def store_at_commit(project: Project, repo, commit, *, strict: bool = False,
                    label: str = "") -> AlignmentStore:
    """The store as of ``commit`` (read-only); files parse once per blob."""
    files = _tree_files(repo, commit, store_prefix(repo, project))
    parsed: dict[str, StoreFile] = {}
    texts: dict[str, str] = {}
    for rel, (sha, blob) in files.items():
        cached = _PARSED.get((rel, sha))
        if cached is not None:
            parsed[rel] = cached
        else:
            texts[rel] = blob.data_stream.read().decode("utf-8", errors="replace")
    store = AlignmentStore(project.root, texts, writable=False, strict=False,
                           label=label or commit.hexsha[:8], parsed=parsed)
    for rel in texts:
        _PARSED[(rel, files[rel][0])] = store.stored_file(rel)
    if strict:
        store.raise_for_problems()
    return store


def load_store_at(project: Project, rev: str, *, strict: bool = True) -> AlignmentStore:
    """The store at git revision ``rev``, read from git objects without a checkout."""
    repo = open_repo(project)
    commit = resolve_commit(repo, rev)
    return store_at_commit(project, repo, commit, strict=strict, label=rev)


def alignments_commit(project: Project, rev: str | None = None) -> tuple[str, bool]:
    """The last commit that changed the store (at ``rev`` or HEAD), and whether the
    working tree has uncommitted store changes (always False for a ``rev``)."""
    repo = open_repo(project)
    start = resolve_commit(repo, rev or "HEAD")
    prefix = store_prefix(repo, project)
    last = next(iter(repo.iter_commits(start.hexsha, paths=prefix, max_count=1)), None)
    sha = last.hexsha if last is not None else start.hexsha
    dirty = False if rev else bool(changed_files(project))
    return sha, dirty


def alignments_commit_fast(project: Project, rev: str | None = None) -> tuple[str, bool]:
    """:func:`alignments_commit` through three concurrent ``git`` processes, without
    importing GitPython (~50 ms of a ``report``, more than the git calls themselves).

    Any failure (no git, no repository, an unknown revision) falls back to
    :func:`alignments_commit`, so errors read exactly as before.
    """
    import subprocess

    folder = project.alignments_dir.resolve()
    base = ["git", "-C", str(project.root), "-c", "core.quotepath=off"]
    start = f"{rev or 'HEAD'}^{{commit}}"
    try:
        procs = [subprocess.Popen([*base, *args], stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
                 for args in (
                     ["rev-parse", "--show-toplevel", "--verify", "--end-of-options", start],
                     ["rev-list", "--max-count=1", "--end-of-options", start, "--", str(folder)],
                     *([] if rev else [["status", "--porcelain=v1", "-z",
                                        "--untracked-files=all", "--", str(folder)]]))]
        outs = [proc.communicate()[0] for proc in procs]
        if any(proc.returncode for proc in procs):
            raise OSError("git failed")
        top, head = outs[0].decode("utf-8").split("\n")[:2]
        last = outs[1].decode().strip()
        dirty = False
        if not rev:
            entries = outs[2].decode("utf-8", errors="surrogateescape").split("\0")
            dirty = any(_store_entry(entries, Path(top).resolve(), folder))
    except (OSError, ValueError, UnicodeDecodeError):
        return alignments_commit(project, rev)
    if len(head) != 40 and len(head) != 64:
        return alignments_commit(project, rev)
    return (last or head), dirty


def _store_entry(entries: list[str], workdir: Path, folder: Path) -> Iterator[Path]:
    """Store files among ``git status --porcelain=v1 -z`` entries (see :func:`changed_files`)."""
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, name = entry[:2], entry[3:]
        if code[0] in "RC":
            i += 1  # the rename's source path follows
        path = workdir / name
        if is_store_file(path.name) and path.parent == folder:
            yield path


def commit_info(commit) -> CommitInfo:
    when = commit.authored_datetime.isoformat()
    message = commit.message.strip().splitlines()[0] if commit.message.strip() else ""
    return CommitInfo(commit.hexsha, commit.hexsha[:8], commit.author.name or "",
                      commit.author.email or "", when, message,
                      tuple(p.hexsha for p in commit.parents))


def store_commits(project: Project, since: str | None = None, until: str = "HEAD",
                  ) -> Iterator[Any]:
    """Commits that changed the store, newest first (``since`` excluded)."""
    repo = open_repo(project)
    until_commit = resolve_commit(repo, until)
    rev = until_commit.hexsha
    if since:
        rev = f"{resolve_commit(repo, since).hexsha}..{rev}"
    yield from repo.iter_commits(rev, paths=store_prefix(repo, project))


# --- the working tree -------------------------------------------------------------


def changed_files(project: Project) -> list[Path]:
    """Store files with uncommitted changes (staged, unstaged or new)."""
    repo = open_repo(project)
    prefix = store_prefix(repo, project)
    out = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", prefix)
    changed = _store_entry(out.split("\0"), _workdir(repo), project.alignments_dir.resolve())
    return sorted(set(changed))


def _store_rels(repo, project: Project, files: Iterable[str | os.PathLike[str]]) -> list[str]:
    folder = project.alignments_dir.resolve()
    rels = []
    for f in files:
        path = Path(f)
        path = (path if path.is_absolute() else project.root / path).resolve()
        if path.parent != folder or not is_store_file(path.name):
            raise StoreError(f"{f}: not an alignment file; only files of {ALIGNMENTS_DIR}/ "
                             "are committed by policydiff")
        rels.append(Path(os.path.relpath(path, _workdir(repo))).as_posix())
    return sorted(set(rels))


def _git(repo, *args: str) -> str:
    """Run a git command through gitpython, waiting out another process's index.lock."""
    import git

    for attempt in range(_LOCK_RETRIES):
        try:
            return repo.git.execute(["git", *args])
        except git.GitCommandError as exc:
            stderr = str(exc.stderr or "")
            if "index.lock" in stderr:
                if attempt < _LOCK_RETRIES - 1:
                    time.sleep(0.25 + 0.05 * attempt)
                    continue
                lock = Path(repo.git_dir) / "index.lock"
                raise StoreError("another git process is using the repository (or one "
                                 "crashed): if no git is running, delete this lock file; "
                                 "the edit is saved but not committed", path=str(lock)) from None
            if "tell me who you are" in stderr or "user.email" in stderr:
                raise StoreError("git needs your name and email to commit: run `git config "
                                 "user.name \"…\"` and `git config user.email …`") from None
            lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
            detail = lines[-1] if lines else str(exc)
            raise StoreError(f"git {args[0]} failed: {detail}") from None
    raise AssertionError("unreachable")


def detached_head(project: Project) -> bool:
    """Whether HEAD is detached (a commit there is on no branch and easily lost)."""
    return bool(open_repo(project).head.is_detached)


def commit_files(project: Project, files: Iterable[str | os.PathLike[str]], message: str,
                 ) -> str:
    """Commit exactly these alignment files (as they are in the working tree).

    Other staged and unstaged changes stay as they were, uncommitted: the commit is
    made with ``git commit --only``. Returns the new commit's short hash.
    """
    if not message.strip():
        raise InputError("a commit needs a message")
    repo = open_repo(project)
    rels = _store_rels(repo, project, files)
    if not rels:
        raise StoreError("no alignment files to commit")
    changed = {Path(p).resolve() for p in changed_files(project)}
    todo = [r for r in rels if (_workdir(repo) / r).resolve() in changed]
    if not todo:
        raise StoreError("nothing to commit: the alignment files have no changes")
    _git(repo, "add", "--", *todo)
    _git(repo, "commit", "--quiet", "--only", "-m", message, "--", *todo)
    return repo.head.commit.hexsha[:8]
