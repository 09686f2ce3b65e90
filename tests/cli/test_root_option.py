"""`--root` names the project; a folder that does not exist is an error, not a hint.

Relative to the cwd inside a project, a mistyped `--root` walked up into the project
around the cwd: a test passing a wrong value wrote proposals into the repository's own
alignments/.
"""

from __future__ import annotations

from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli


def test_a_root_that_does_not_exist_stops_with_one_line(tmp_path, monkeypatch):
    project = copy_project(tmp_path / "proj")
    before = {p.name: p.read_bytes() for p in project.alignments_dir.glob("*.yaml")}
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(cli, ["--root", "no-such-folder", "suggest", "--write"])
    assert result.exit_code == 2
    assert "no-such-folder: no such folder" in result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in project.alignments_dir.glob("*.yaml")} == before


def test_a_root_inside_a_project_still_finds_it(tmp_path):
    project = copy_project(tmp_path / "proj")
    result = CliRunner().invoke(cli, ["--root", str(project.corpus_dir), "docs"])
    assert result.exit_code == 0, result.output
    assert "2017-opinions" in result.output

