"""`policydiff suggest`'s table on a large corpus: a few members per suggestion, not all.

Over 10,000 documents a suggestion has thousands of members; the table listed every
one (325,000 rows: minutes to render, read by nobody). It shows the best-scoring few,
in document order, and says how many more there are and where to find them.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli, suggest_cmds


def test_the_table_shows_the_best_members_and_counts_the_rest(tmp_path, monkeypatch):
    root = copy_project(tmp_path / "proj")
    args = ["--root", str(root), "suggest", "--theme", "talent", "--top", "1"]
    full = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    members = full[0]["members"]
    assert len(members) > 2
    monkeypatch.setattr(suggest_cmds, "TABLE_MEMBERS", 2)
    result = CliRunner().invoke(cli, [*args, "--format", "table"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    best = sorted(members, key=lambda m: -m["score"])[:2]
    shown = [m["doc"] for m in members if m in best]  # document order
    listed = [line for line in result.output.splitlines() if " §" in line]
    assert [next(d for d in shown if d in line) for line in listed] == shown
    assert f"+ {len(members) - 2} more" in result.output
    assert "--format json" in result.output


def test_a_small_corpus_shows_every_member(tmp_path):
    root = copy_project(tmp_path / "proj")
    args = ["--root", str(root), "suggest", "--theme", "talent", "--top", "1"]
    full = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    result = CliRunner().invoke(cli, [*args], env={"COLUMNS": "200"})
    assert sum(" §" in line for line in result.output.splitlines()) == len(full[0]["members"])
    assert "more" not in result.output
