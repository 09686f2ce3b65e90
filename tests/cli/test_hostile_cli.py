"""Hostile cases of issue 19 at the command line: output paths that are not plain
files, usage mistakes. Each ends in one clear line on stderr and exit 2."""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]
ONE_LINE = re.compile(r"^policydiff: error: [^\n]+\n$")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "proj")


def _one_line_error(result) -> None:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert ONE_LINE.match(result.stderr), result.stderr


# --- report -o: symlinks, FIFOs, devices, folders ---------------------------------------


def test_report_writes_through_a_symlink_to_its_target(proj, tmp_path) -> None:
    target = tmp_path / "shared" / "report.md"
    target.parent.mkdir()
    target.write_text("old\n", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    result = run(proj.root, "report", "--section", "summary", "--date", "2026-01-01",
                 "-o", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert target.read_text(encoding="utf-8").startswith("#")


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX FIFOs")
def test_report_refuses_a_fifo(proj, tmp_path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    result = run(proj.root, "report", "--section", "summary", "-o", str(fifo))
    _one_line_error(result)
    assert "pipe" in result.stderr and "FIFO" in result.stderr
    assert fifo.exists() and not fifo.is_file()


@pytest.mark.skipif(not (os.path.exists("/dev/null")
                         and stat.S_ISCHR(os.stat("/dev/null").st_mode)), reason="POSIX devices")
def test_report_refuses_a_device(proj, monkeypatch) -> None:
    # Never let a regression replace the machine's /dev/null with a plain file.
    def no_replace(*_args):
        raise AssertionError("os.replace called on a device")

    monkeypatch.setattr(os, "replace", no_replace)
    result = run(proj.root, "report", "--section", "summary", "-o", "/dev/null")
    _one_line_error(result)
    assert "/dev/null" in result.stderr


def test_atomic_write_refuses_a_folder_behind_a_symlink(tmp_path) -> None:
    from policydiff.core.errors import InputError
    from policydiff.store.fsutil import atomic_write_text

    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "dir")
    with pytest.raises(InputError, match="folder"):
        atomic_write_text(tmp_path / "link", "x")
def test_report_refuses_a_folder_in_one_line(proj, tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(proj.root, "report", "--section", "summary", "-o", str(folder))
    assert result.exit_code == 2, result.output
    assert "out" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- click's usage errors: one line, exit 2 -------------------------------------------


@pytest.mark.parametrize("args", [
    ["report", "--no-such-option"],
    ["report", "--format", "pdf"],
    ["no-such-command"],
    ["--no-such-global"],
    ["changes"],
])
def test_usage_errors_are_one_line(proj, args) -> None:
    result = run(proj.root, *args)
    _one_line_error(result)
    assert "--help" in result.stderr
