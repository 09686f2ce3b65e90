"""``evolve`` and ``diff --theme`` on the real alignment store (in a throw-away project copy)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def test_evolve_json_chain() -> None:
    result = run(REPO, "evolve", "--theme", "targets", "--format", "json")
    assert result.exit_code == 0, result.output
    chains = {c["alignment"]: c for c in json.loads(result.output)["chains"]}
    chain = chains["targets-industry-scale"]
    docs = [v["doc"] for v in chain["versions"]]
    assert docs[0] == "2017-opinions" and "2021-14th-plan" in docs
    first = chain["steps"][0]
    assert first["a"]["doc"] == "2017-opinions"
    assert "1000亿" in {f["a"] for f in first["figures"]}
    after = {f["b"] for s in chain["steps"] for f in s["figures"]}
    assert "4000亿元" in after


def test_evolve_rich_reads() -> None:
    result = run(REPO, "evolve", "--theme", "talent")
    assert result.exit_code == 0, result.output
    assert "2022-pudong-plan (silent)" in result.output
    assert "30万人" in result.output


def test_diff_theme_lists_every_passage_of_each_document() -> None:
    """Lingang gives two talent passages (a goal, p1, and a projection, p7): both are diffed."""
    result = run(REPO, "diff", "2017-opinions", "2022-lingang-plan", "--theme", "talent",
                 "--format", "json")
    assert result.exit_code == 0, result.output
    pairs = [(d["alignment"].split(" ")[0], d["a"]["section"], d["b"]["section"])
             for d in json.loads(result.output)]
    assert ("talent-targets", "h4", "p1") in pairs
    assert ("talent-targets", "h4", "p7") in pairs


def test_evolve_and_diff_agree_on_the_passages() -> None:
    diff = run(REPO, "diff", "2017-opinions", "2022-lingang-plan", "--theme", "talent",
               "--format", "json")
    evolve = run(REPO, "evolve", "--theme", "talent", "--doc", "2017-opinions",
                 "--doc", "2022-lingang-plan", "--format", "json")
    texts_diff = {d["b"]["text"] for d in json.loads(diff.output)
                  if d["alignment"].startswith("talent-targets")}
    chain = next(c for c in json.loads(evolve.output)["chains"]
                 if c["alignment"] == "talent-targets")
    texts_evolve = {v["text"] for v in chain["versions"] if v["doc"] == "2022-lingang-plan"}
    assert texts_diff == texts_evolve and len(texts_diff) == 2


def test_unknown_theme_and_no_pair() -> None:
    bad = run(REPO, "evolve", "--theme", "nope")
    assert bad.exit_code == 2 and "unknown theme 'nope'" in bad.output
    bad_diff = run(REPO, "diff", "2017-opinions", "2021-14th-plan", "--theme", "nope")
    assert bad_diff.exit_code == 2 and "unknown theme 'nope'" in bad_diff.output
    none = run(REPO, "diff", "2021-14th-plan-news", "2022-pudong-plan", "--theme", "talent",
               "--status", "rejected")
    assert none.exit_code == 2 and "no rejected alignment" in none.output


@pytest.fixture
def orphaned(project_copy: Project) -> Project:
    """A copy whose Lingang talent goal (p1) no longer holds the quoted sentence."""
    path = project_copy.corpus_dir / "2022-lingang-plan.md"
    text = path.read_text(encoding="utf-8")
    assert "集聚AI人才2-3万人" in text
    path.write_text(text.replace("集聚AI人才2-3万人", "引进各类高层次青年科技工作者若干名"),
                    encoding="utf-8")
    return project_copy


def test_orphaned_member_is_reported_not_diffed_as_empty(orphaned: Project) -> None:
    result = run(orphaned.root, "diff", "2017-opinions", "2022-lingang-plan", "--theme",
                 "talent", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "anchor orphaned" in result.stderr and "2022-lingang-plan:p1" in result.stderr
    data = json.loads(result.stdout)
    sections = [(d["a"]["section"], d["b"]["section"]) for d in data
                if d["alignment"].startswith("talent-targets")]
    assert sections == [("h4", "p7")]  # p1 is not diffed as an empty passage
    assert all(d["b"]["text"] for d in data)


def test_evolve_marks_orphaned_versions(orphaned: Project) -> None:
    result = run(orphaned.root, "evolve", "--theme", "talent", "--format", "json")
    assert result.exit_code == 0
    assert "anchor orphaned" in result.stderr
    chain = next(c for c in json.loads(result.stdout)["chains"]
                 if c["alignment"] == "talent-targets")
    statuses = {(v["doc"], v["section"]): v["status"] for v in chain["versions"]}
    assert statuses[("2022-lingang-plan", "p1")] == "orphaned"
    for step in chain["steps"]:
        assert step["a"]["text"] and step["b"]["text"]
