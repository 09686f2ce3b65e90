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
    root = copy_project(tmp_path / "proj").root
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
    root = copy_project(tmp_path / "proj").root
    args = ["--root", str(root), "suggest", "--theme", "talent", "--top", "1"]
    full = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    result = CliRunner().invoke(cli, [*args], env={"COLUMNS": "200"})
    assert sum(" §" in line for line in result.output.splitlines()) == len(full[0]["members"])
    assert "more" not in result.output


def test_suggest_write_finds_each_stored_alignment_once(tmp_path, monkeypatch):
    """The engine (examples, new members), the "in store" column and the write each
    resolved the stored alignments again: an accepted alignment four times per
    `suggest --write`, seconds per pass once the store holds thousands of members."""
    from collections import Counter

    from policydiff.core import suggest as engine

    root = copy_project(tmp_path / "proj").root
    asked: Counter[str] = Counter()
    real = engine.resolve_alignments

    def counting(alignments, corpus):
        asked.update(a.id for a in alignments)
        return real(alignments, corpus)

    monkeypatch.setattr(engine, "resolve_alignments", counting)
    resolved = []
    for _ in range(2):  # the second run finds the first one's proposals in the store
        asked.clear()
        result = CliRunner().invoke(cli, ["--root", str(root), "suggest", "--write"])
        assert result.exit_code == 0, result.output
        assert max(asked.values()) == 1, asked.most_common(3)
        resolved.append(len(asked))
    assert 20 < resolved[0] < resolved[1]  # the curated alignments, then the proposals too


def test_the_table_leaves_the_quotes_room_in_80_columns(tmp_path):
    """Whether a suggestion is in the store got its own row: written in the id column
    (never wrapped) it widened that column until the quotes were three characters wide."""
    root = copy_project(tmp_path / "proj").root
    args = ["--root", str(root), "suggest", "--theme", "talent", "--top", "1"]
    full = json.loads(CliRunner().invoke(cli, [*args, "--format", "json"]).output)
    assert full[0]["existing"]["status"] == "accepted"
    result = CliRunner().invoke(cli, args, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    quote = full[0]["members"][0]["quote"].replace("\n", " ")
    assert any(quote[:8] in line for line in lines), result.output  # 8 characters unbroken
    at = next(i for i, line in enumerate(lines) if " store " in line)
    assert "accepted" in lines[at]
    assert full[0]["existing"]["id"] in "".join(lines[at:at + 3]).replace("│", "").replace(" ", "")
