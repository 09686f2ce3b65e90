"""The store's commands as a user types them: align, alignments, note, accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project, init_git
from policydiff.cli import cli
from policydiff.store.alignments import load_store
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]


def run(root: Path, *args: str, input: str | None = None):
    return CliRunner().invoke(cli, ["--root", str(root), *args], input=input)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    copy_project(root)
    return root


def test_alignments_json_has_the_documented_shape(root: Path) -> None:
    result = run(root, "alignments", "--theme", "talent", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data and {a["theme"] for a in data} == {"talent"}
    for a in data:
        assert set(a) == {"id", "theme", "label", "status", "note", "members"}
        for m in a["members"]:
            assert {"doc", "section", "quote"} <= set(m)
            assert (m["quote"] is None) == bool(m.get("absent"))
    rejected = json.loads(run(root, "alignments", "--status", "rejected", "--format",
                              "json").stdout)
    # governance-data: moved to the theme `data` (issue 16)
    assert [a["id"] for a in rejected] == ["layout-zhangjiang", "governance-data"]


def test_table_output_and_unknown_theme(root: Path) -> None:
    result = run(root, "alignments", "--theme", "governance")
    assert result.exit_code == 0 and "governance-rules" in result.stdout
    result = run(root, "alignments", "--theme", "nope")
    assert result.exit_code == 2
    assert result.stderr.strip() == ("policydiff: error: unknown theme 'nope' "
                                     "(known: targets, layout, talent, governance, "
                                     "applications, compute, data, enterprises, innovation, "
                                     "finance, international)")


def test_align_records_members_in_date_order_with_sections(root: Path, corpus) -> None:
    result = run(root, "align", "talent", "--label", "高校", "--note", "universities",
                 "--quote", "2021-14th-plan=9所高校设置本科人工智能专业",
                 "--quote", "2017-opinions=交大的AI学科排名在全球还是可以的",
                 "--absent", "2022-pudong-plan=no universities")
    assert result.exit_code == 0, result.stderr
    assert "added talent-1 to alignments/talent.yaml (2 passages, 1 absent)" in result.stdout
    al = load_store(Project(root)).get("talent-1")
    assert [m.doc for m in al.members] == ["2017-opinions", "2021-14th-plan",
                                           "2022-pudong-plan"]
    assert al.members[1].section == "1.4" and al.status == "proposed"
    body = corpus.get("2021-14th-plan").body
    a = al.members[1].anchor
    assert body[a.start:a.start + len(a.exact)] == "9所高校设置本科人工智能专业"
    assert run(root, "check").exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--quote", "2017-opinions=并不存在的句子"], "text not found in 2017-opinions"),
    (["--quote", "2021-14th-plan=人工智能"], "occurs"),
    (["--quote", "2030-plan=人工智能"], "unknown document '2030-plan'"),
    (["--quote", "no equals sign"], "--quote must look like DOC=…"),
    (["--span", "2017-opinions:10-5"], "outside the text"),
    (["--absent", "2017-opinions=only absent"], "at least one passage"),
])
def test_align_rejects_bad_passages_with_one_line(root: Path, args: list[str],
                                                  message: str) -> None:
    before = (root / "alignments" / "talent.yaml").read_text(encoding="utf-8")
    result = run(root, "align", "talent", "--label", "x", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("policydiff: error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert (root / "alignments" / "talent.yaml").read_text(encoding="utf-8") == before


def test_note_from_stdin_and_unknown_ids(root: Path) -> None:
    result = run(root, "note", "talent-base", "-", input="From stdin.\nSecond line.\n")
    assert result.exit_code == 0
    assert load_store(Project(root)).get("talent-base").note == "From stdin.\nSecond line."
    result = run(root, "accept", "talent-bse")
    assert result.exit_code == 2 and "did you mean talent-base" in result.stderr
    result = run(root, "reject", "talent-base", "nope")
    assert result.exit_code == 2  # nothing is written when one id is unknown
    assert load_store(Project(root)).get("talent-base").status == "accepted"


def test_project_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    outer = tmp_path / "outer"
    root = outer / "studies" / "shanghai"
    copy_project(root)
    (outer / "README").write_text("other work\n", encoding="utf-8")
    repo = init_git(outer, "start")
    first = repo.head.commit.hexsha
    result = run(root, "reject", "targets-positioning", "--commit")
    assert result.exit_code == 0, result.stderr
    assert set(repo.head.commit.stats.files) == {"studies/shanghai/alignments/targets.yaml"}
    old = json.loads(run(root, "alignments", "--rev", first, "--format", "json").stdout)
    assert next(a for a in old if a["id"] == "targets-positioning")["status"] == "accepted"
    history = json.loads(run(root, "history", "targets-positioning", "--format", "json").stdout)
    assert history[0]["changes"][0]["new"] == "rejected"
