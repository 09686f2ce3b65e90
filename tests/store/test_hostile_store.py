"""Hostile cases of issue 19 for the alignment store: each ends in one clear line
(exit 2) or in the right data, never a traceback or a silently lost edit."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.store.alignments import load_store
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]
ONE_LINE = re.compile(r"^policydiff: error: [^\n]+\n$")


def run(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--root", str(root), *args], input=input)


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    project = copy_project(tmp_path / "proj")
    (project.root / "src").symlink_to(REPO / "src")
    return project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _one_line_error(result) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert ONE_LINE.match(result.stderr), result.stderr


# --- check --fix: a changed figure in an accepted passage goes back to review ---------


def test_fix_sends_an_accepted_alignment_with_a_changed_figure_back_to_review(proj) -> None:
    assert load_store(proj).get("targets-industry-scale").status == "accepted"
    _edit(proj.corpus_dir / "2021-14th-plan.md", "达到4000亿元", "达到5000亿元")
    result = run(proj.root, "check", "--fix")
    assert "targets-industry-scale accepted → proposed: figures in 2021-14th-plan changed " \
           "(4000亿元 → 5000亿元)" in result.stdout, result.output
    al = load_store(proj).get("targets-industry-scale")
    assert al.status == "proposed"
    assert al.note.endswith("check --fix: figures of the 2021-14th-plan passage changed "
                            "(4000亿元 → 5000亿元); back to review.")
    member = next(m for m in al.members if m.doc == "2021-14th-plan")
    assert "5000亿元" in member.quote


def test_fix_keeps_an_alignment_accepted_when_only_the_writing_of_a_figure_changed(proj) -> None:
    _edit(proj.corpus_dir / "2021-14th-plan.md", "达到4000亿元", "达到4千亿元")
    run(proj.root, "check", "--fix")
    assert load_store(proj).get("targets-industry-scale").status == "accepted"


# --- files that are not what they seem --------------------------------------------


def test_billion_laughs_alignment_file_is_refused_quickly(proj) -> None:
    lines = ['theme: talent', 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("alignments: []")
    (proj.alignments_dir / "talent.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    import time

    began = time.monotonic()
    for command in (["check"], ["alignments"]):
        result = run(proj.root, *command)
        assert result.exit_code in (1, 2), result.output
        assert "alias" in result.output
    assert time.monotonic() - began < 20


def test_a_folder_named_like_an_alignment_file_is_skipped(proj) -> None:
    (proj.alignments_dir / "x.yaml").mkdir()
    result = run(proj.root, "alignments")
    assert result.exit_code == 0, result.output
    assert run(proj.root, "check").exit_code == 0


@pytest.mark.skipif(os.geteuid() == 0 if hasattr(os, "geteuid") else True,
                    reason="root ignores file permissions")
def test_read_only_alignments_is_one_line(proj) -> None:
    folder = proj.alignments_dir
    mode = folder.stat().st_mode
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        _one_line_error(run(proj.root, "accept", "talent-base"))
    finally:
        folder.chmod(mode)


def test_crlf_file_keeps_its_line_ends_on_edit(proj) -> None:
    path = proj.alignments_dir / "talent.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    before = path.read_bytes()
    assert run(proj.root, "note", "talent-base", "a new note").exit_code == 0
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    import difflib

    diff = difflib.ndiff(before.decode().split("\r\n"), after.decode().split("\r\n"))
    changed = [ln for ln in diff if ln[:1] in "+-"]
    assert 0 < len(changed) <= 10  # the note lines, not the whole file
    assert load_store(proj).get("talent-base").note == "a new note"


# --- commits ----------------------------------------------------------------------


def test_commit_outside_git_says_nothing_was_changed(proj) -> None:
    before = (proj.alignments_dir / "talent.yaml").read_bytes()
    result = run(proj.root, "reject", "talent-base", "--commit")
    _one_line_error(result)
    assert "nothing was changed" in result.stderr
    assert "edits are saved" not in result.stderr
    assert (proj.alignments_dir / "talent.yaml").read_bytes() == before


def test_commit_on_a_detached_head_warns(proj) -> None:
    repo = init_git(proj.root)
    repo.git.checkout("--detach")
    result = run(proj.root, "reject", "talent-base", "--commit")
    assert result.exit_code == 0, result.output
    assert "HEAD is detached" in result.stderr


def test_a_stale_index_lock_is_named(proj, monkeypatch) -> None:
    from policydiff.store import gitstore

    monkeypatch.setattr(gitstore, "_LOCK_RETRIES", 2)
    init_git(proj.root)
    lock = proj.root / ".git" / "index.lock"
    lock.write_text("", encoding="utf-8")
    import time

    began = time.monotonic()
    result = run(proj.root, "reject", "talent-base", "--commit")
    _one_line_error(result)
    assert str(lock) in result.stderr
    assert time.monotonic() - began < 10


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_lock_file_is_left_out_of_the_store(proj) -> None:
    assert run(proj.root, "accept", "talent-base").exit_code == 0
    store = load_store(proj)
    assert all(not f.endswith(".lock") for f in store.files())


# --- one line, never a traceback --------------------------------------------------


def test_a_permission_error_while_writing_is_one_line(proj, monkeypatch) -> None:
    from policydiff.store import fsutil

    def refuse(path, data):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(fsutil, "atomic_write_bytes", refuse)
    result = run(proj.root, "reject", "talent-base")
    _one_line_error(result)
    assert "talent.yaml: Permission denied" in result.stderr


def test_markup_in_titles_and_labels_is_printed_as_written(proj) -> None:
    path = proj.corpus_dir / "2022-pudong-plan.md"
    text = path.read_text(encoding="utf-8")
    title = next(ln for ln in text.splitlines() if ln.startswith("policy:"))
    path.write_text(text.replace(title, 'policy: "浦东 [/] 行动方案 [/bold]"', 1), encoding="utf-8")
    result = run(proj.root, "docs")
    assert result.exit_code == 0, result.output
    assert "[/]" in result.stdout and "[/bold]" in result.stdout
    assert run(proj.root, "note", "talent-base", "x").exit_code == 0
    label_path = proj.alignments_dir / "talent.yaml"
    _edit(label_path, "label: 人才规模目标 · Talent targets", "label: '[/bold] [/] targets'")
    result = run(proj.root, "alignments", "--theme", "talent")
    assert result.exit_code == 0, result.output
    assert "[/bold]" in result.stdout and "[/]" in result.stdout  # printed, not parsed


# --- history and changes: a broken file at a revision is not a removal ------------


def _conflict(path: Path) -> None:
    """Wrap the file's first alignment in merge-conflict markers, as a bad merge leaves it."""
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("alignments:\n")
    path.write_text(head + sep + "<<<<<<< HEAD\n" + rest + "=======\n>>>>>>> other\n",
                    encoding="utf-8")


def test_changes_reports_a_conflicted_file_as_broken_not_its_alignments_as_removed(proj):
    repo = init_git(proj.root)
    talent = proj.alignments_dir / "talent.yaml"
    _conflict(talent)
    repo.git.add("-A")
    repo.index.commit("bad merge")
    result = run(proj.root, "changes", "HEAD~1..HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    import json

    found = json.loads(result.stdout)["changes"]
    assert not [c for c in found if c["kind"] == "removed"], found
    broken = [c for c in found if c["kind"] == "broken"]
    assert len(broken) == 1, found
    assert re.search(r"alignments/talent\.yaml:\d+", broken[0]["summary"]), broken
    assert "HEAD" in broken[0]["summary"]
    # against the working tree (still conflicted), and the commit that repairs it
    result = run(proj.root, "changes", "HEAD~1")
    assert "removed" not in result.stdout and "talent.yaml" in result.stdout, result.output
    talent.write_text(repo.git.show("HEAD~1:alignments/talent.yaml") + "\n", encoding="utf-8")
    repo.git.add("-A")
    repo.index.commit("repair")
    from policydiff.store.history import history

    entries = history(proj)
    assert [c.kind for c in entries[0].changes] == ["repaired"], entries[0].changes
    assert [c.kind for c in entries[1].changes] == ["broken"], entries[1].changes
    # the alignment's own history: added by the import, then never removed or re-added
    assert [[c.kind for c in e.changes] for e in history(proj, "talent-targets")] == [["added"]]
    assert [[c.kind for c in e.changes] for e in history(proj, "talent")][:2] == [
        ["repaired"], ["broken"]]


# --- the $schema line: never into the writer's own installation -------------------


def test_a_new_alignment_file_points_at_the_projects_schema_copy(proj, tmp_path) -> None:
    from policydiff.store.alignments import SCHEMA_LINE, new_file_text

    # proj has no schemas/ and the packaged schema (REPO/src) lies outside it, as in
    # a venv install: the line must not climb out of the project.
    path = proj.alignments_dir / "newtheme.yaml"
    text = new_file_text("newtheme", path, [])
    line = text.splitlines()[0]
    assert line == f"{SCHEMA_LINE}../schemas/alignments.schema.json", line
    copy = proj.root / "schemas" / "alignments.schema.json"
    assert copy.is_file()
    import json

    assert json.loads(copy.read_text(encoding="utf-8"))


def test_check_warns_about_a_schema_line_pointing_outside_the_project(proj) -> None:
    talent = proj.alignments_dir / "talent.yaml"
    text = talent.read_text(encoding="utf-8")
    _first, rest = text.split("\n", 1)
    talent.write_text("# yaml-language-server: $schema=../../venv/lib/python3.11/site-packages/"
                      "policydiff/schemas/alignments.schema.json\n" + rest, encoding="utf-8")
    result = run(proj.root, "check")
    assert "alignments/talent.yaml:1: warning: the schema line points outside the project" \
        in result.output, result.output


def test_a_venv_inside_the_project_is_not_a_schema_home(tmp_path) -> None:
    from policydiff.store.schema_ref import points_outside

    root = tmp_path / "proj"
    folder = root / "alignments"
    assert points_outside(root, folder, "../.venv/lib/python3.11/site-packages/policydiff/"
                                        "schemas/alignments.schema.json")
    assert not points_outside(root, folder, "../schemas/alignments.schema.json")
    assert not points_outside(root, folder, "https://example.org/alignments.schema.json")


# --- YAML errors point at the real mistake, not where YAML stumbled ----------------


def _line(path: Path, needle: str) -> int:
    return next(n for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in ln)


@pytest.mark.parametrize("bad", ['    status: "accepted', "    status: 'accepted",
                                 "    status: [accepted"])
def test_a_yaml_error_names_the_line_of_the_mistake(proj, bad) -> None:
    talent = proj.alignments_dir / "talent.yaml"
    _edit(talent, "    status: accepted", bad)
    line = _line(talent, bad.strip())
    result = run(proj.root, "check")
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"alignments/talent.yaml:{line}: YAML error"), result.stdout
    # the commands that need the store name the same line
    result = run(proj.root, "accept", "talent-base")
    _one_line_error(result)
    assert f"alignments/talent.yaml:{line}:" in result.stderr, result.stderr
