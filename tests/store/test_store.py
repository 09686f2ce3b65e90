"""The alignment store: reads reviewers' files, edits them minimally and atomically."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project
from policydiff.core.alignment import STATUSES, Alignment, Anchor, Member
from policydiff.core.anchors import make_anchor
from policydiff.core.errors import InputError, StoreError
from policydiff.core.passages import resolve_member
from policydiff.store.alignments import AlignmentStore, load_store, read_texts
from policydiff.store.project import Project

REPO = Path(__file__).resolve().parents[2]

# A file as a reviewer writes it: comments everywhere, mixed quoting, a flow mapping,
# a folded note, keys in their own order.
SAMPLE = """\
# yaml-language-server: $schema=../schemas/alignments.schema.json
# Reviewer's header comment: keep me.
theme: targets   # the theme of this file

alignments:
  # --- scale -------------------------------------------------------
  - id: scale
    label: "产业规模目标"   # quoted on purpose
    status: proposed  # waiting for review
    note: >-
      Every policy sets a scale target;
      the scopes differ.
    members:
      - doc: 2017-opinions
        section: h4
        anchor: {exact: 到2020年实现人工智能重点产业规模超过1000亿, start: 1173}
      - doc: 2021-14th-plan
        section: '3.3'
        anchor:
          exact: 到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元
          start: 4738
      - doc: 2022-pudong-plan
        absent: true
        note: 'test: no figure'

  # --- enterprises -------------------------------------------------
  - id: firms
    status: accepted
    label: 企业培育
    members:
      - doc: 2022-lingang-plan
        anchor:
          exact: 汇集企业500家
      - doc: 2022-pudong-plan
        anchor:
          exact: 超过1000家人工智能企业高度集聚
# trailing comment
"""


def _themes() -> str:
    return (REPO / "alignments" / "themes.yaml").read_text(encoding="utf-8")


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    root = copy_project(tmp_path / "proj", alignments=False).root
    (root / "alignments").mkdir()
    (root / "alignments" / "themes.yaml").write_text(_themes(), encoding="utf-8")
    (root / "alignments" / "targets.yaml").write_text(SAMPLE, encoding="utf-8")
    return Project(root)


def _changed_lines(before: str, after: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0,
                                              lineterm="")
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_reads_themes_and_alignments_in_order(proj: Project) -> None:
    store = load_store(proj)
    assert [t.id for t in store.themes()][:4] == ["targets", "layout", "talent", "governance"]
    assert [a.id for a in store.alignments()] == ["scale", "firms"]
    scale = store.get("scale")
    assert scale.note == "Every policy sets a scale target; the scopes differ."
    assert [m.doc for m in scale.members] == ["2017-opinions", "2021-14th-plan",
                                              "2022-pudong-plan"]
    assert scale.members[2].absent and scale.members[2].note == "test: no figure"
    assert scale.members[1].section == "3.3" and scale.members[1].anchor.start == 4738
    assert (scale.file, scale.line) == ("alignments/targets.yaml", 7)
    assert [a.id for a in store.alignments(status="accepted")] == ["firms"]
    assert store.alignments(theme="talent") == []


def test_unknown_ids_are_input_errors_with_a_hint(proj: Project) -> None:
    store = load_store(proj)
    with pytest.raises(InputError, match="did you mean scale"):
        store.get("scal")
    with pytest.raises(InputError, match="known: targets, layout"):
        store.theme("nope")
    with pytest.raises(InputError):
        store.alignments(status="maybe")


def test_setting_the_same_status_leaves_the_file_byte_identical(proj: Project) -> None:
    path = proj.alignments_dir / "targets.yaml"
    mtime = path.stat().st_mtime_ns
    store = load_store(proj)
    store.set_status("scale", "proposed")
    store.set_note("firms", "")
    assert path.read_text(encoding="utf-8") == SAMPLE
    assert path.stat().st_mtime_ns == mtime  # not even rewritten


def test_status_change_touches_only_the_value(proj: Project) -> None:
    store = load_store(proj)
    path = store.set_status("scale", "accepted")
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(SAMPLE, after) == [
        "-    status: proposed  # waiting for review",
        "+    status: accepted  # waiting for review",
    ]
    assert store.get("scale").status == "accepted"
    assert load_store(proj).get("scale").status == "accepted"


def test_note_edit_keeps_comments_quoting_and_other_alignments(proj: Project) -> None:
    store = load_store(proj)
    store.set_note("scale", "多行说明：第一行\n第二行")
    after = (proj.alignments_dir / "targets.yaml").read_text(encoding="utf-8")
    changed = _changed_lines(SAMPLE, after)
    assert all(line.startswith(("-    note", "-      ", "+    note", "+      "))
               for line in changed), changed
    for kept in ("# Reviewer's header comment: keep me.", '"产业规模目标"   # quoted on purpose',
                 "{exact: 到2020年实现人工智能重点产业规模超过1000亿, start: 1173}",
                 "# trailing comment", "note: 'test: no figure'"):
        assert kept in after
    assert load_store(proj).get("scale").note == "多行说明：第一行\n第二行"


def test_missing_keys_are_added_next_to_their_neighbours(proj: Project) -> None:
    store = load_store(proj)
    store.set_note("firms", "Both zones count firms.")
    after = (proj.alignments_dir / "targets.yaml").read_text(encoding="utf-8")
    assert _changed_lines(SAMPLE, after) == ["+    note: Both zones count firms."]
    assert after.index("label: 企业培育") < after.index("note: Both zones")


def test_add_appends_only_new_lines(proj: Project, corpus) -> None:
    store = load_store(proj)
    body = corpus.get("2022-lingang-plan").body
    start = body.index("集聚AI人才2-3万人")
    new = Alignment(id="talent-2", theme="targets", label="人才: a [test] label", status="proposed",
                    note="line one\nline two",
                    members=[Member("2022-lingang-plan", "p1",
                                    make_anchor(body, start, start + 11)),
                             Member("2017-opinions", absent=True, note="none")])
    path = store.add(new)
    after = path.read_text(encoding="utf-8")
    changed = _changed_lines(SAMPLE, after)
    assert all(line.startswith("+") for line in changed)
    assert after.endswith("# trailing comment\n")
    again = load_store(proj).get("talent-2")
    assert again == new
    with pytest.raises(InputError, match="already exists"):
        store.add(new)


def test_add_creates_a_theme_file_with_the_schema_line(proj: Project, corpus) -> None:
    store = load_store(proj)
    body = corpus.get("2021-14th-plan").body
    start = body.index("加快完善人才支撑体系")
    path = store.add(Alignment(id="t1", theme="talent", label="人才", members=[
        Member("2021-14th-plan", "4.6", make_anchor(body, start, start + 10))]))
    text = path.read_text(encoding="utf-8")
    assert path.name == "talent.yaml"
    assert text.startswith("# yaml-language-server: $schema=")
    schema = text.splitlines()[0].split("$schema=", 1)[1]
    assert (path.parent / schema).resolve().name == "alignments.schema.json"
    assert (path.parent / schema).resolve().is_file()
    assert load_store(proj).get("t1").theme == "talent"


@pytest.mark.parametrize("bad, message", [
    (dict(id="Bad Id"), "invalid alignment id"),
    (dict(status="maybe"), "unknown status"),
    (dict(theme="nope"), "unknown theme"),
    (dict(label=" "), "needs a label"),
    (dict(members=[]), "at least one member"),
    (dict(members=[Member("2017-opinions", absent=True)]), "needs a note"),
])
def test_add_rejects_bad_alignments(proj: Project, bad: dict, message: str) -> None:
    fields = dict(id="ok", theme="targets", label="x", status="proposed",
                  members=[Member("2017-opinions", anchor=Anchor("人工智能", start=0))])
    fields.update(bad)
    with pytest.raises(InputError, match=message):
        load_store(proj).add(Alignment(**fields))
    assert (proj.alignments_dir / "targets.yaml").read_text(encoding="utf-8") == SAMPLE


def test_anchor_rewrite_changes_only_anchor_lines(proj: Project) -> None:
    store = load_store(proj)
    store.set_member_anchor("scale", 1, Anchor("到2025年，上海", "规模", "人工智能", 4738),
                            section="3.3")
    store.set_member_anchor("scale", 0, Anchor("新, 引文", "前", "后", 7), section="h3")
    after = (proj.alignments_dir / "targets.yaml").read_text(encoding="utf-8")
    changed = _changed_lines(SAMPLE, after)
    assert "+        anchor: {exact: '新, 引文', start: 7, prefix: 前, suffix: 后}" in changed
    assert "+        section: h3" in changed and "+          prefix: 规模" in changed
    assert len(changed) == 8, changed  # 2 + 2 lines, then exact (2) and prefix, suffix
    members = load_store(proj).get("scale").members
    assert members[0].anchor == Anchor("新, 引文", "前", "后", 7)
    assert members[1].anchor == Anchor("到2025年，上海", "规模", "人工智能", 4738)


def test_edits_follow_the_file_on_disk_not_a_stale_copy(proj: Project) -> None:
    store = load_store(proj)
    path = proj.alignments_dir / "targets.yaml"
    edited = SAMPLE.replace("# trailing comment", "# a reviewer typed this meanwhile")
    path.write_text(edited, encoding="utf-8")
    store.set_status("firms", "rejected")
    assert "# a reviewer typed this meanwhile" in path.read_text(encoding="utf-8")


def test_a_crash_mid_write_leaves_the_old_file(proj: Project, monkeypatch) -> None:
    store = load_store(proj)
    path = proj.alignments_dir / "targets.yaml"

    def crash(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.set_status("scale", "accepted")
    assert path.read_text(encoding="utf-8") == SAMPLE
    leftovers = [p.name for p in proj.alignments_dir.iterdir()
                 if p.name.startswith(".") and not p.name.endswith(".lock")]
    assert leftovers == []


def test_read_only_store_refuses_edits(proj: Project) -> None:
    store = AlignmentStore(proj.root, read_texts(proj), writable=False, label="HEAD~1")
    with pytest.raises(StoreError, match="HEAD~1 is read-only"):
        store.set_status("scale", "accepted")


BROKEN = {
    "bad-status": (SAMPLE.replace("    status: proposed", "    status: maybe"), 9,
                   "is not one of"),
    "absent-with-anchor": (SAMPLE.replace("        absent: true\n",
                                          "        absent: true\n        anchor: {exact: x}\n"),
                           22, "should not be valid"),
    "missing-label": (SAMPLE.replace("    label: 企业培育\n", ""), 27,
                      "'label' is a required property"),
    "typo-key": (SAMPLE.replace("    label: 企业培育", "    lable: 企业培育"), 27,
                 "'lable' was unexpected"),
    "float-section": (SAMPLE.replace("section: '3.3'", "section: 3.3"), 18, "quote section ids"),
    "duplicate-id": (SAMPLE.replace("  - id: firms", "  - id: scale"), 27,
                     "duplicate alignment id 'scale'"),
    "yaml-syntax": (SAMPLE.replace("    status: accepted\n", "    status: accepted\n   bad: [\n"),
                    29, "YAML error"),
    "conflict": (SAMPLE.replace("  - id: firms", "<<<<<<< HEAD\n  - id: firms"), 27,
                 "conflict marker"),
    "duplicate-key": (SAMPLE.replace("    label: 企业培育",
                                     "    label: 企业培育\n    label: again"), 30, "duplicate key"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_files_report_file_and_line(proj: Project, case: str) -> None:
    broken, line, message = BROKEN[case]
    path = proj.alignments_dir / "targets.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoreError) as info:
        load_store(proj)
    assert (info.value.path, info.value.line) == ("alignments/targets.yaml", line)
    lenient = load_store(proj, strict=False)
    assert any(p.line == line and message in p.message for p in lenient.problems), \
        lenient.problems
    with pytest.raises((StoreError, InputError), match=r"could not be read|twice"):
        lenient.set_status("scale", "accepted")
    assert path.read_text(encoding="utf-8") == broken


def test_resolve_member_reads_the_corpus(proj: Project, corpus) -> None:
    store = load_store(proj)
    scale = store.get("scale")
    passage = resolve_member(scale.members[1], corpus)
    assert passage.text == "到2025年，上海人工智能规上产业规模年均增长12%以上，达到4000亿元"
    assert passage.status == "exact" and passage.found
    assert resolve_member(scale.members[2], corpus).status == "absent"
    ghost = resolve_member(Member("1999-none", anchor=Anchor("x" * 10)), corpus)
    assert ghost.status == "orphaned" and ghost.text == "" and not ghost.found
    assert "not in the corpus" in ghost.reason


_NOTE_TEXT = st.text(alphabet=st.sampled_from([*"规模目标人才 :#'\"-[]{},\n|>%@`!&*", "é"]),
                     min_size=0, max_size=40)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=_NOTE_TEXT, label=_NOTE_TEXT.filter(lambda s: s.strip()),
       status=st.sampled_from(STATUSES))
def test_any_note_label_and_status_round_trip(proj: Project, note: str, label: str,
                                              status: str) -> None:
    path = proj.alignments_dir / "targets.yaml"
    path.write_text(SAMPLE, encoding="utf-8")
    store = load_store(proj)
    store.set_note("scale", note)
    store.set_label("firms", label)
    store.set_status("firms", status)
    again = load_store(proj)
    expected_note = "\n".join(ln.rstrip() for ln in note.strip().splitlines())
    assert again.get("scale").note == expected_note
    assert again.get("firms").label == label.strip()
    assert again.get("firms").status == status
    assert again.get("scale").members == load_store(proj).get("scale").members
    after = path.read_text(encoding="utf-8")
    assert "# Reviewer's header comment: keep me." in after and "# trailing comment" in after


def test_a_failed_edit_leaves_the_store_as_it_read_before(tmp_path):
    """An edit of an alignment whose file broke on disk (an editor's half-saved YAML)
    used to re-read the disk on failure: the alignments of that file vanished from the
    store a viewer shows. Now the edit is refused by name and the store is unchanged."""
    from policydiff.store.alignments import load_store

    project = copy_project(tmp_path / "p")
    store = load_store(project)
    al = store.alignments(theme="talent")[0]
    path = project.root / al.file
    broken = path.read_text(encoding="utf-8") + "\n: : :\n"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(StoreError, match="cannot edit a broken file"):
        store.set_status(al.id, "rejected")
    assert path.read_text(encoding="utf-8") == broken
    assert store.get(al.id).status == al.status
