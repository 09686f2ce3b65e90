"""Concurrent edits: two policydiff *processes* editing the same alignment file.

Before the store lock, ``note A … & reject B …`` lost one edit in 13 of 20 runs
(16 of 20 with ``--commit``, and the loser printed "committed <sha>" for a commit
without its change). Each round here starts both processes at the same moment.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import git
import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from conftest import copy_project, init_git
from policydiff.store.alignments import load_store
from policydiff.store.project import Project

ROUNDS = 20
A, B = "talent-targets", "talent-base"  # two alignments of alignments/talent.yaml
STATUSES = ("rejected", "accepted")

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs fork")


def _child(root: str, args: list[str], barrier, out) -> None:
    from policydiff.cli import cli

    barrier.wait()
    result = CliRunner().invoke(cli, ["--root", root, *args])
    out.put((args[0], result.exit_code, result.output))



def _race(root: Path, *commands: list[str]) -> dict[str, tuple[int, str]]:
    """Run the commands in separate processes, released together; their outcomes."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(commands))
    out = ctx.Queue()
    procs = [ctx.Process(target=_child, args=(str(root), cmd, barrier, out)) for cmd in commands]
    for p in procs:
        p.start()
    results = {}
    for _ in procs:
        name, code, output = out.get(timeout=120)
        results[name] = (code, output)
    for p in procs:
        p.join(timeout=60)
    return results


def _state(root: Path) -> tuple[str, str]:
    store = load_store(Project(root))
    return store.get(A).note, store.get(B).status


@pytest.mark.parametrize("commit", [False, True], ids=["files", "commit"])
def test_concurrent_edit_pairs_lose_nothing(tmp_path: Path, commit: bool) -> None:
    root = tmp_path / "proj"
    copy_project(root)
    repo = init_git(root) if commit else None
    extra = ["--commit"] if commit else []
    lost = []
    for i in range(ROUNDS):
        note, status = f"round {i}: reviewed together", STATUSES[i % 2]
        results = _race(root, ["note", A, note, *extra], [status[:-2], B, *extra])
        codes = {name: code for name, (code, _) in results.items()}
        assert set(codes.values()) == {0}, results
        assert all("error" not in out for _, out in results.values()), results
        if _state(root) != (note, status):
            lost.append(i)
        if repo is not None:
            _assert_each_commit_holds_its_edit(repo, results, note, status)
    assert lost == []


def _assert_each_commit_holds_its_edit(repo: git.Repo, results, note: str, status: str) -> None:
    """Each process's "committed <sha>" names a commit that has its own change."""
    dirty = repo.git.status("--porcelain", "--", "alignments").splitlines()
    assert [ln for ln in dirty if not ln.endswith(".lock")] == [], "an edit was left uncommitted"
    for name, (_code, output) in results.items():
        line = next(ln for ln in output.splitlines() if ln.startswith("committed "))
        sha = line.split()[1].rstrip(":")
        text = repo.git.show(f"{sha}:alignments/talent.yaml")
        data = YAML(typ="safe").load(text)
        items = {item["id"]: item for item in data["alignments"]}
        if name == "note":
            assert items[A]["note"] == note
        else:
            assert items[B]["status"] == status


@contextlib.contextmanager
def _lock_held_elsewhere(root: Path) -> Iterator[None]:
    """Another process holds the store's lock for the block (released on leaving it)."""
    from policydiff.store.locking import locked

    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()

    def hold() -> None:
        with locked(root / "alignments"):
            ready.set()
            release.wait(30)

    holder = ctx.Process(target=hold)
    holder.start()
    try:
        assert ready.wait(30)
        yield
    finally:
        release.set()
        holder.join(10)


def test_a_process_that_waited_says_so(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    copy_project(root)
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    with _lock_held_elsewhere(root):
        editor = ctx.Process(target=_child, args=(str(root), ["accept", B], ctx.Barrier(1), out))
        editor.start()
        time.sleep(1.0)
    _, code, output = out.get(timeout=60)
    editor.join(10)
    assert code == 0
    assert "waiting for another policydiff process" in output
    assert "waited" in output
    assert load_store(Project(root)).get(B).status == "accepted"


def test_lock_timeout_names_the_lock_file(tmp_path: Path) -> None:
    from policydiff.core.errors import StoreError
    from policydiff.store.locking import locked

    root = tmp_path / "proj"
    copy_project(root)
    with _lock_held_elsewhere(root), \
            pytest.raises(StoreError, match=r"\.policydiff\.lock"), \
            locked(root / "alignments", timeout=0.2):
        pass
