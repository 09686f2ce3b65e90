"""``policydiff check`` on the repository and on broken copies of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli
from policydiff.core.problems import Problem
from policydiff.store.alignments import load_store
from policydiff.store.check import check_project
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^alignments/[a-z-]+\.yaml:\d+: ")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def copy(tmp_path: Path) -> Project:
    project = copy_project(tmp_path / "proj")
    (project.root / "src").symlink_to(REPO / "src")  # where the files' $schema lines point
    return project


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(needle)


def test_check_passes_on_the_repository() -> None:
    result = run(REPO, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert re.match(r"checked \d+ files, \d+ alignments, \d+ passages: 0 errors, 0 warnings",
                    result.stderr)


def test_shipped_content_covers_every_theme_and_document(project: Project, corpus) -> None:
    store = load_store(project)
    for theme in ("targets", "layout", "talent", "governance"):
        accepted = store.alignments(theme=theme, status="accepted")
        assert accepted, theme
        for doc in ("2017-opinions", "2021-14th-plan", "2022-pudong-plan", "2022-lingang-plan"):
            assert any(m.doc == doc for a in accepted for m in a.members), (theme, doc)
    for al in store.alignments():
        assert len(al.note) > 60, al.id  # every alignment says why
        assert all(m.note for m in al.members if m.absent), al.id


def test_malformed_yaml_fails_with_its_line(copy: Project) -> None:
    path = copy.alignments_dir / "talent.yaml"
    _edit(path, "    status: accepted", "    status: [accepted")
    line = _line_of(path, "status: [accepted")
    result = run(copy.root, "check")
    assert result.exit_code == 1
    first = result.stdout.splitlines()[0]
    assert first.startswith("alignments/talent.yaml:") and "YAML error" in first
    assert abs(int(first.split(":")[1]) - line) <= 1


def test_conflict_markers_are_reported_each(copy: Project) -> None:
    path = copy.alignments_dir / "layout.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    status: accepted")
    path.write_text(text[:at] + "<<<<<<< HEAD\n    status: accepted\n=======\n"
                    "    status: rejected\n>>>>>>> review\n" + text[at + 21:], encoding="utf-8")
    result = run(copy.root, "check")
    assert result.exit_code == 1
    markers = [ln for ln in result.stdout.splitlines() if "conflict marker" in ln]
    assert len(markers) == 3
    assert all(LINE.match(ln) for ln in markers)


def test_unknown_doc_theme_and_section(copy: Project) -> None:
    path = copy.alignments_dir / "governance.yaml"
    _edit(path, "- doc: 2022-pudong-plan", "- doc: 2022-pudong-plam")
    _edit(path, "theme: governance", "theme: governence")
    _edit(path, "section: '4.6'", "section: '4.9'")
    result = run(copy.root, "check")
    assert result.exit_code == 1
    out = result.stdout
    assert re.search(r"governance.yaml:\d+: governance-\w+: unknown document '2022-pudong-plam' "
                     r"\(known: 2017-opinions", out)
    assert re.search(r"governance.yaml:\d+: unknown theme 'governence'", out)
    assert re.search(r"governance.yaml:\d+: .*unknown section '4.9' in 2021-14th-plan", out)
    line = _line_of(path, "2022-pudong-plam")
    assert f"governance.yaml:{line}: " in out


def test_a_quote_that_no_longer_exists_is_orphaned_not_guessed(copy: Project) -> None:
    doc = copy.corpus_dir / "2022-lingang-plan.md"
    _edit(doc, "汇集企业500家，产业规模升至500亿元", "产业规模明显提升")
    result = run(copy.root, "check", "--fix")
    assert result.exit_code == 1
    orphans = [ln for ln in result.stdout.splitlines() if "quote not found" in ln]
    assert any("targets-enterprises" in ln and "«汇集企业500家»" in ln for ln in orphans)
    assert all(LINE.match(ln) for ln in orphans)
    store = load_store(copy)  # --fix deleted nothing
    assert any(m.quote == "汇集企业500家" for m in store.get("targets-enterprises").members)


def test_a_corrected_corpus_is_followed_and_fixed_in_place(copy: Project) -> None:
    doc = copy.corpus_dir / "2021-14th-plan.md"
    # A correction inside a quote and new text before it (every offset after moves).
    _edit(doc, "年均增长12%以上，达到4000亿元", "年均增长12%以上，达到4千亿元")
    _edit(doc, "各有关单位：", "各有关单位（更正）：")
    before = {p.name: p.read_text(encoding="utf-8") for p in copy.alignments_dir.iterdir()}
    result = run(copy.root, "check")
    assert result.exit_code == 1
    drifted = [ln for ln in result.stdout.splitlines() if "drifted" in ln]
    assert len(drifted) == 1 and "targets-industry-scale" in drifted[0]
    assert "«…以上，达到4000亿元» now reads «…以上，达到4千亿元»" in drifted[0]
    stale = [ln for ln in result.stdout.splitlines() if "offset hint is +4" in ln]
    assert stale and all("warning" in ln for ln in stale)

    result = run(copy.root, "check", "--fix")
    assert result.exit_code == 0, result.output
    assert "fixed: alignments/targets.yaml" in result.stdout
    assert run(copy.root, "check").stderr.endswith("0 errors, 0 warnings\n")
    store = load_store(copy)
    member = next(m for m in store.get("targets-industry-scale").members
                  if m.doc == "2021-14th-plan")
    assert member.quote.endswith("达到4千亿元")
    # Only anchor lines changed; comments, notes and other alignments are as they were.
    after = (copy.alignments_dir / "targets.yaml").read_text(encoding="utf-8")
    old_lines, new_lines = before["targets.yaml"].splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [n for o, n in zip(old_lines, new_lines, strict=True) if o != n]
    assert changed and all(re.match(r"\s+(prefix|exact|suffix|start):", ln) for ln in changed)
    assert (copy.alignments_dir / "themes.yaml").read_text(encoding="utf-8") == \
        before["themes.yaml"]


def test_a_missing_schema_is_a_warning(copy: Project) -> None:
    (copy.root / "src").unlink()
    _edit(copy.alignments_dir / "talent.yaml", "# yaml-language-server", "# yaml language server")
    result = run(copy.root, "check")
    assert result.exit_code == 0
    warnings = result.stdout.splitlines()
    assert "alignments/talent.yaml:1: warning: no `# yaml-language-server: $schema=…` line: " \
           "editors cannot validate this file while you type" in warnings
    assert any(w.startswith("alignments/themes.yaml:1: warning: the schema ") and
               "themes.schema.json" in w for w in warnings)


def test_json_output_lists_problems(copy: Project) -> None:
    _edit(copy.alignments_dir / "talent.yaml", "- doc: 2017-opinions", "- doc: 2017-opinion")
    result = run(copy.root, "check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert {p["severity"] for p in data["problems"]} == {"error"}
    assert all(p["path"] == "alignments/talent.yaml" and p["line"] > 0 for p in data["problems"])


def test_validators_of_other_modules_run_too(copy: Project, corpus, monkeypatch) -> None:
    import policydiff.store.target_overrides as targets

    calls = []

    def fake(project, corpus_):
        calls.append(project)
        return [Problem("alignments/target-overrides.yaml", 3, "unknown metric 'x'")]

    monkeypatch.setattr(targets, "check_overrides", fake)
    result = check_project(copy, corpus)
    assert calls == [copy]
    assert "alignments/target-overrides.yaml:3: unknown metric 'x'" in map(str, result.problems)
    assert not result.ok
