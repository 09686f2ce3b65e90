"""The fast read-only loader reads store files exactly as the round-trip parser does,
and batched edits read, compose, verify and write each file once."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import copy_project
from policydiff.store import fastyaml, snapshot
from policydiff.store.alignments import AlignmentStore, alignments_from_data, read_texts
from policydiff.store.project import Project
from policydiff.store.snapshot import parse_round_trip, parse_store_file
from policydiff.store.yamltext import line_of, plain, round_trip

REPO = Path(__file__).resolve().parents[2]

# --- generated store files ----------------------------------------------------------

# Scalars that YAML 1.1 and 1.2 resolve differently, numbers in every notation, and
# text that needs quoting: the fast loader must read each as ruamel.yaml does.
TRICKY = ["yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "NULL", "0o17",
          "017", "0x1A", "0b101", "1_000", "1.10", "1e3", ".inf", "-.inf", ".nan", "+12",
          "2021-01-01", "12:30", "1:20:30", "=", "<<", "4.3.2", "p3", "h4", "'3.3'"]
TEXT = st.one_of(
    st.sampled_from(TRICKY),
    st.text(alphabet=st.sampled_from(list("到2025年上海人工智能产业规模达4000亿元，。、；：（）"
                                          "abc XYZ-_:#'\"!&*%@`|>{}[],?\\\t"
                                          "é😀\u3000\u00a0")), min_size=1, max_size=24),
)
NOTE = st.one_of(TEXT, st.lists(TEXT, min_size=2, max_size=4).map("\n".join))
IDS = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)


def _plain_ok(s: str) -> bool:
    """Whether ``s`` may be written as a plain scalar (else it is quoted)."""
    return (bool(s) and s == s.strip() and "\n" not in s and ": " not in s and " #" not in s
            and not s.endswith(":") and s[0] not in "-?:,[]{}#&*!|>'\"%@`\t\\"
            and "\t" not in s and not any(c in s for c in ",[]{}"))


@st.composite
def scalar(draw: Any, value: Any) -> str:
    """``value`` as YAML text in a style drawn at random."""
    if not isinstance(value, str):
        return json.dumps(value)
    styles = ["double"]
    if "\n" not in value and "\\" not in value and not value.startswith(" ") and \
            not value.endswith(" ") and "\t" not in value:
        styles.append("single")
    if _plain_ok(value):
        styles += ["plain", "plain"]
    style = draw(st.sampled_from(styles))
    if style == "plain":
        return value
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=draw(st.booleans()))


@st.composite
def block_note(draw: Any, value: str, indent: int) -> str:
    """A note as a literal or folded block scalar (or a quoted one)."""
    lines = value.split("\n")
    if any(ln != ln.strip() or not ln or ln[0] in "#" for ln in lines) or len(lines) < 2:
        return draw(scalar(value))
    pad = " " * indent
    if draw(st.booleans()):
        return "|-\n" + "\n".join(pad + ln for ln in lines)
    return ">-\n" + "\n\n".join(pad + ln for ln in lines)  # folded: blank line = newline


@st.composite
def member(draw: Any, docs: list[str]) -> tuple[dict, bool]:
    m: dict[str, Any] = {"doc": draw(st.sampled_from(docs))}
    if draw(st.booleans()):
        m["section"] = draw(st.one_of(TEXT, st.integers(0, 40)))
    if draw(st.integers(0, 4)) == 0:
        m["absent"] = True
        m["note"] = draw(TEXT)
    else:
        anchor: dict[str, Any] = {"exact": draw(TEXT)}
        if draw(st.booleans()):
            anchor["prefix"] = draw(TEXT)
        if draw(st.booleans()):
            anchor["suffix"] = draw(TEXT)
        anchor["start"] = draw(st.integers(0, 99999))
        m["anchor"] = anchor
    return m, draw(st.integers(0, 3)) == 0  # flow style?


def _flow(m: dict, draw: Any) -> str:
    def one(v: Any) -> str:
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k}: {one(x)}" for k, x in v.items()) + "}"
        if isinstance(v, str):
            return json.dumps(v, ensure_ascii=False)
        return json.dumps(v)
    return one(m)


@st.composite
def store_file(draw: Any) -> str:
    """An alignment file as reviewers write them: comments, styles, CRLF, unicode."""
    docs = ["2017-opinions", "2021-14th-plan", "d-3"]
    comment = st.sampled_from(["", "", "# 评论 comment", "#", "# - id: fake"])
    out = ["# yaml-language-server: $schema=../schemas/alignments.schema.json"]
    out.append(f"theme: {draw(IDS)}" + ("   # the theme" if draw(st.booleans()) else ""))
    out.append("alignments:")
    dash = draw(st.sampled_from(["  - ", "- "]))
    ind = " " * len(dash)
    for n in range(draw(st.integers(0, 4))):
        if c := draw(comment):
            out.append(ind + c)
        out.append(f"{dash}id: {draw(IDS)}-{n}")
        out.append(f"{ind}label: {draw(scalar(draw(TEXT)))}")
        out.append(f"{ind}status: {draw(st.sampled_from(['proposed', 'accepted', 'rejected']))}"
                   + ("  # 待审" if draw(st.booleans()) else ""))
        if draw(st.booleans()):
            out.append(f"{ind}note: {draw(block_note(draw(NOTE), len(ind) + 2))}")
        if draw(st.booleans()):
            out.append(f"{ind}origin: {draw(scalar(draw(TEXT)))}")
        out.append(f"{ind}members:")
        for _ in range(draw(st.integers(1, 3))):
            m, flow = draw(member(docs))
            if flow:
                out.append(f"{ind}  - {_flow(m, draw)}")
                continue
            first = True
            for key, value in m.items():
                lead = f"{ind}  - " if first else f"{ind}    "
                first = False
                if isinstance(value, dict):
                    out.append(f"{lead}{key}:")
                    for k, v in value.items():
                        out.append(f"{ind}      {k}: {draw(scalar(v))}")
                else:
                    out.append(f"{lead}{key}: {draw(scalar(value))}")
    text = "\n".join(out) + "\n" + draw(st.sampled_from(["", "# trailing\n", "\n"]))
    return text.replace("\n", "\r\n") if draw(st.booleans()) else text


def _lines(data: Any, path: tuple = ()) -> dict[tuple, Any]:
    """``line_of`` for every path into the data, and where each mapping and list starts
    (its own ``lc.line``, ``lc.col``)."""
    out: dict[tuple, Any] = {path: line_of(data, list(path))} if path else {}
    node = data
    for step in path:
        node = node[step]
    if isinstance(node, dict | list):
        out[("starts at", *path)] = (node.lc.line, node.lc.col)
    if isinstance(node, dict):
        for k in node:
            out.update(_lines(data, (*path, k)))
    elif isinstance(node, list):
        for i in range(len(node)):
            out.update(_lines(data, (*path, i)))
    return out


def _summary(data: Any) -> list[tuple]:
    return [(a.id, a.label, a.status, a.note, a.origin, a.line,
             [(m.doc, m.section, m.anchor, m.absent, m.note, m.line) for m in a.members])
            for a in alignments_from_data("alignments/x.yaml", data)]


@settings(max_examples=300)
@given(store_file())
def test_fast_loader_reads_what_the_round_trip_parser_reads(text: str) -> None:
    try:
        fast = fastyaml.load(text)
    except fastyaml.Fallback:
        return  # the round-trip parser reads it (the store falls back)
    slow = round_trip().load(text)  # the fast loader accepted it: so must ruamel
    assert repr(plain(fast)) == repr(plain(slow))  # repr: types too, and nan == nan
    assert _lines(fast) == _lines(slow)
    rel = "alignments/x.yaml"
    f, r = parse_store_file(rel, text), parse_round_trip(rel, text)
    assert [str(p) for p in f.problems] == [str(p) for p in r.problems]
    if f.ok and r.ok:
        assert _summary(f.data) == _summary(r.data)


def test_generated_files_mostly_take_the_fast_path() -> None:
    """Guard against a generator (or a loader) that always falls back: then the test
    above would compare nothing."""
    fast: list[bool] = []

    @settings(max_examples=80)
    @given(store_file())
    def collect(text: str) -> None:
        try:
            fastyaml.load(text)
            fast.append(True)
        except fastyaml.Fallback:
            fast.append(False)

    collect()
    assert sum(fast) >= len(fast) // 2, f"{sum(fast)} of {len(fast)} took the fast path"


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "alignments").glob("*.yaml")))
def test_real_files_read_alike(name: str) -> None:
    text = (REPO / "alignments" / name).read_text(encoding="utf-8")
    fast = fastyaml.load(text)
    slow = round_trip().load(text)
    assert repr(plain(fast)) == repr(plain(slow))  # repr: types too, and nan == nan
    assert _lines(fast) == _lines(slow)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",                      # duplicate key: ruamel refuses it
    "a: &x [1]\nb: *x\n",                # alias
    "%YAML 1.1\n---\na: yes\n",          # another YAML version
    "a: 2021-01-01\n",                   # timestamp
    "a: !!binary aGk=\n",                # explicit tag
    "a: [1\n",                           # a YAML error
    "<<: {a: 1}\n",                      # merge key
])
def test_what_the_fast_loader_cannot_mirror_falls_back(text: str) -> None:
    with pytest.raises(fastyaml.Fallback):
        fastyaml.load(text)


def test_resolution_rules_match_ruamel() -> None:
    """The YAML 1.2 implicit resolvers are a copy of ruamel.yaml's: they must not drift."""
    from ruamel.yaml.resolver import implicit_resolvers

    theirs = {(tag, re.sub(r"\s+", "", rx.pattern)) for versions, tag, rx, _ in
              implicit_resolvers if (1, 2) in versions}
    ours = {(tag, re.sub(r"\s+", "", pattern)) for tag, pattern, _ in fastyaml._IMPLICIT}
    assert ours == theirs


# --- batched edits: each file parsed, composed, written once ---------------------------

def _grow(root: Path, copies: int) -> int:
    """Repeat every alignment of the project ``copies`` times (new ids); returns the count."""
    total = 0
    for path in sorted((root / "alignments").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\nalignments:\n" not in text:
            continue
        head, body = text.split("\nalignments:\n", 1)
        items = [i for i in re.split(r"(?m)^(?=  - id: )", body) if i.startswith("  - id: ")]
        out = []
        for k in range(copies):
            for item in items:
                out.append(item.replace("  - id: ", f"  - id: c{k}-", 1).rstrip("\n") + "\n")
        total += len(out)
        path.write_text(head + "\nalignments:\n" + "".join(out), encoding="utf-8")
    return total


def test_check_fix_reads_and_writes_each_file_once(tmp_path: Path, monkeypatch) -> None:
    from policydiff.store import alignments, yamltext
    from policydiff.store.check import check_project
    from policydiff.store.corpus import load_corpus

    proj = copy_project(tmp_path / "proj")
    n = _grow(proj.root, 4)
    assert n >= 80
    # A corpus edit: a new sentence at the top of one document shifts every offset after it.
    doc = proj.root / "corpus" / "2021-14th-plan.md"
    text = doc.read_text(encoding="utf-8")
    cut = text.index("\n---\n", 4) + 5
    doc.write_text(text[:cut] + "本文件根据新的要求作了修订。\n\n" + text[cut:], encoding="utf-8")
    corpus = load_corpus(proj)

    loads: dict[str, int] = {}
    composes: list[int] = []
    writes: list[str] = []
    real_load, real_compose = fastyaml.load, yamltext.YamlText.__init__
    real_write = alignments.atomic_write_text

    def spy_load(t: str) -> Any:
        theme = re.search(r"(?m)^theme: (\S+)", t)
        key = theme.group(1) if theme else t[:20]
        loads[key] = loads.get(key, 0) + 1
        return real_load(t)

    def spy_compose(self: Any, t: str) -> None:
        composes.append(len(t))
        real_compose(self, t)

    def spy_write(path: Any, t: str) -> None:
        writes.append(Path(path).name)
        real_write(path, t)

    monkeypatch.setattr(fastyaml, "load", spy_load)
    monkeypatch.setattr(yamltext.YamlText, "__init__", spy_compose)
    monkeypatch.setattr(alignments, "atomic_write_text", spy_write)
    before = dict(snapshot.PARSES)
    result = check_project(proj, corpus, fix=True)
    assert result.fixed, "the corpus edit should leave anchors to re-anchor"
    changed = sorted(set(writes))
    assert sorted(writes) == changed  # each changed file written once
    assert len(composes) == len(changed)  # composed once, for its edits
    assert snapshot.PARSES["round_trip"] == before["round_trip"]  # nothing fell back
    for theme, count in loads.items():
        # read once; a written file once more, to verify what is about to be written
        assert count <= (2 if f"{theme}.yaml" in changed else 1), (theme, loads)
    # and the result is what a fresh read of the files says
    after = check_project(proj, corpus)
    assert not [p for p in after.problems if "drifted" in p.message or "offset" in p.message]
    fresh = AlignmentStore(proj.root, read_texts(proj), strict=False)
    assert len(fresh.alignments()) == n


def test_batch_keeps_comments_and_crlf(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "proj")
    path = proj.alignments_dir / "talent.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    from policydiff.store.alignments import load_store

    store = load_store(proj)
    ids = [a.id for a in store.alignments(theme="talent")]
    with store.batch():
        for al_id in ids:
            store.set_note(al_id, f"batched note for {al_id}")
            store.set_status(al_id, "proposed")
        assert store.get(ids[0]).note == f"batched note for {ids[0]}"  # visible at once
    after = path.read_bytes()
    assert b"\n" not in after.replace(b"\r\n", b"")
    assert after.count(b"# ") == path.read_bytes().count(b"# ")
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            assert line.encode() in after
    fresh = load_store(proj)
    assert all(fresh.get(i).note == f"batched note for {i}" for i in ids)
    assert all(fresh.get(i).status == "proposed" for i in ids)


def test_a_failing_batch_writes_nothing(tmp_path: Path) -> None:
    proj = copy_project(tmp_path / "proj")
    from policydiff.store.alignments import load_store

    before = {p.name: p.read_bytes() for p in proj.alignments_dir.glob("*.yaml")}
    store = load_store(proj)
    al = store.alignments()[0]
    with pytest.raises(RuntimeError), store.batch():
        store.set_note(al.id, "never written")
        raise RuntimeError("stop")
    assert {p.name: p.read_bytes() for p in proj.alignments_dir.glob("*.yaml")} == before
    assert store.get(al.id).note == al.note


@settings(max_examples=200)
@given(store_file(), st.sampled_from(["status", "note", "label", "origin"]),
       st.one_of(TEXT, NOTE, st.sampled_from(["accepted", "a long note " * 12])))
def test_edits_splice_alike_with_either_composer(text: str, key: str, value: str) -> None:
    """Minimal edits found through libyaml's node positions are the edits found through
    ruamel's (the editor composes with libyaml)."""
    from policydiff.store.yamltext import YamlText, text_value

    text = text.replace("\r\n", "\n")  # the editor edits LF text (CRLF is restored after)
    try:
        fast_doc = YamlText(text)
        slow_doc = YamlText(text, fast=False)
    except Exception:
        return
    out = []
    for doc in (fast_doc, slow_doc):
        edits = []
        for nodes in doc.alignment_items().values():
            try:
                edits += doc.set_key(nodes[0], key, text_value(value), after=("id",))
            except Exception as exc:
                edits = [type(exc).__name__]
                break
        out.append(edits if edits and isinstance(edits[0], str) else doc.apply(edits))
    assert out[0] == out[1]


@settings(max_examples=800)
@given(st.one_of(TEXT, NOTE, st.text(max_size=30), st.integers(-10**12, 10**12),
                 st.lists(st.text(max_size=8), min_size=2, max_size=4).map("\n".join),
                 st.from_regex(r"[0-9.+_-]{1,8}", fullmatch=True)))
def test_quick_rendering_is_what_ruamel_writes(value: Any) -> None:
    from policydiff.store.yamltext import _plain_rendering, _text_rendering, dump

    quick = _plain_rendering(value)
    if quick is not None:
        assert dump({"k": value}) == f"k: {quick}\n"
        assert dump([value], flow=True).strip()[1:-1].strip() == quick
    text = _text_rendering(value)
    if text is not None:
        assert dump({"k": value}) == f"k: {text}\n"


YAML_TEXT = st.text(alphabet=st.sampled_from(
    list(": #'\"%@`!&*|>-?,[]{}\t\\~.=<0123456789+_eExXoObB") +
    list("yYnNtTfFaluL中文，。、：（）—“”") +
    ["\u3000", "\xa0", "\ufeff", "\x85", "\u2028", "\x07", "\x00", "\x7f", "é", "😀",
     "\ue000", "\ufffe", "\n", "\r"]), min_size=1, max_size=16)


@settings(max_examples=2000)
@given(st.one_of(YAML_TEXT, TEXT, st.sampled_from(["---", "...", "- x", "a: b", "a:", "a #b",
                                                   "? x", ":x", "x:", "~", "null", "0o17",
                                                   "1_000", ".inf", "2021-12-30", "<<", "="])))
def test_block_text_is_rendered_as_ruamel_writes_it(value: str) -> None:
    """Text after ``key: `` (what ``suggest --write`` renders 30,000 times) takes ruamel's
    own choice of plain, single- or double-quoted without running its dumper — each rule
    of its scalar analysis held to the dumper here, the long and quoted values too."""
    from policydiff.store.yamltext import _dumped_rendering, _text_rendering, render_value

    expected = _dumped_rendering(value, False, 4)
    quick = _text_rendering(value)
    if quick is not None:
        assert quick == expected
    assert render_value(value, flow=False, indent=4) == expected
    assert render_value(value * 5, flow=False, indent=4) == _dumped_rendering(value * 5, False, 4)


@st.composite
def alignment(draw: Any) -> Any:
    from policydiff.core.alignment import Alignment, Anchor, Member

    members = []
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.one_of(st.none(), TEXT))
        if draw(st.booleans()):
            members.append(Member(doc=draw(IDS), section=section, absent=True, note=draw(NOTE)))
        else:
            anchor = Anchor(exact=draw(TEXT), prefix=draw(TEXT), suffix=draw(TEXT),
                            start=draw(st.integers(0, 9**6)))
            members.append(Member(doc=draw(IDS), section=section, anchor=anchor,
                                  note=draw(st.sampled_from(["", "a note"]))))
    return Alignment(id=draw(IDS), theme=draw(IDS), label=draw(TEXT),
                     status=draw(st.sampled_from(["proposed", "accepted"])),
                     note=draw(st.one_of(NOTE, st.just("x " * 70))),
                     origin=draw(st.sampled_from(["", "policydiff suggest (score 0.58)"])),
                     members=members)


@settings(max_examples=200)
@given(st.lists(alignment(), min_size=1, max_size=3))
def test_new_items_are_written_as_the_dumper_writes_them(alignments: list) -> None:
    from policydiff.store.alignments import _new_file_body, alignment_to_yaml
    from policydiff.store.yamltext import dump, dump_items

    items = [alignment_to_yaml(a) for a in alignments]
    assert dump_items(items) == dump(items)
    assert _new_file_body("talent", items) == dump({"theme": "talent", "alignments": items})


def test_schema_is_validated_once_per_content(tmp_path: Path, monkeypatch) -> None:
    from policydiff.store import schema_cache, yamltext
    from policydiff.store.snapshot import load_snapshot

    proj = copy_project(tmp_path / "proj")
    first = load_snapshot(proj)
    assert (proj.root / ".policydiff" / "schema-valid.txt").is_file()
    # a new process: nothing in memory, the project's cache file says these are valid
    monkeypatch.setattr(schema_cache, "_memory", set())
    monkeypatch.setattr(schema_cache, "_on_disk", {})

    def no_validation(*args: Any) -> Any:
        raise AssertionError("validated again")

    monkeypatch.setattr(yamltext, "schema_problems", no_validation)
    again = load_snapshot(proj)
    assert [a.id for a in again.alignments()] == [a.id for a in first.alignments()]
    # a file with a schema problem is validated (and reported) every time
    monkeypatch.undo()
    path = proj.alignments_dir / "talent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: accepted",
                                                             "status: maybe", 1),
                    encoding="utf-8")
    for _ in range(2):
        broken = load_snapshot(proj, strict=False)
        assert any("is not one of" in p.message and p.path.endswith("talent.yaml")
                   for p in broken.problems)


def test_a_batch_holds_off_the_collector_until_it_has_written(tmp_path: Path) -> None:
    """A store batch builds and reads back many objects with no cycles; collections
    inside walked a whole corpus in memory (``suggest --write`` spent 2 s in them)."""
    import gc

    from policydiff.store.alignments import load_store

    proj = copy_project(tmp_path / "proj")
    store = load_store(proj)
    al = store.alignments()[0]
    assert gc.isenabled()
    with store.batch():
        assert not gc.isenabled()
        store.set_note(al.id, "written in a batch")
    assert gc.isenabled()
    with pytest.raises(RuntimeError), store.batch():
        raise RuntimeError("stop")
    assert gc.isenabled()
    assert load_store(proj).get(al.id).note == "written in a batch"


@pytest.mark.parametrize("new_file", [True, False], ids=["new file", "appended"])
def test_new_alignments_that_would_not_read_back_as_intended_are_refused(
        tmp_path: Path, monkeypatch, new_file: bool) -> None:
    """Every file written is read back and compared with what was meant: a renderer slip
    (here a label written wrong but still valid YAML, still schema-valid) refuses the
    write and leaves the files as they were. A new file was only checked for being valid
    before, not compared."""
    import dataclasses

    from policydiff.core.errors import StoreError
    from policydiff.store import yamltext
    from policydiff.store.alignments import load_store

    proj = copy_project(tmp_path / "proj")
    if new_file:
        (proj.alignments_dir / "talent.yaml").unlink()
    store = load_store(proj)
    template = store.alignments()[0]
    new = dataclasses.replace(template, id="brand-new-one", theme="talent", label="本来的标签")
    before = {p.name: p.read_bytes() for p in proj.alignments_dir.glob("*.yaml")}
    real = yamltext.dump_items
    monkeypatch.setattr(yamltext, "dump_items",
                        lambda items: real(items).replace("本来的标签", "写错的标签"))
    with pytest.raises(StoreError, match="would not read back as intended"):
        store.add(new)
    assert {p.name: p.read_bytes() for p in proj.alignments_dir.glob("*.yaml")} == before
    monkeypatch.setattr(yamltext, "dump_items", real)
    store.add(new)  # without the slip it is written
    assert load_store(proj).get("brand-new-one").label == "本来的标签"


@settings(max_examples=60, deadline=None)
@given(st.lists(alignment(), min_size=1, max_size=3, unique_by=lambda a: a.id))
def test_any_alignment_the_store_accepts_is_written_to_a_new_file(alignments: list) -> None:
    """A new file is compared with what was meant after it is read back: that check must
    refuse a renderer's slip, never a good write (notes folded or literal, quotes with
    YAML's indicator characters, sections that read as numbers)."""
    import dataclasses
    import tempfile

    from policydiff.core.errors import InputError
    from policydiff.store.alignments import load_store

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "corpus").mkdir()
        (root / "alignments").mkdir()
        (root / "alignments" / "themes.yaml").write_text(
            "themes:\n  - id: talent\n    name_zh: 人才\n    name_en: Talent\n    terms: [人才]\n",
            encoding="utf-8")
        store = load_store(Project(root))
        wanted = [dataclasses.replace(a, theme="talent") for a in alignments]
        try:
            with store.batch():
                for a in wanted:
                    store.add(a)
        except InputError:
            return  # not a valid alignment (an empty label, an absent member without a note)
        back = load_store(Project(root))
        for a in wanted:
            got = back.get(a.id)
            assert (got.label, got.note, got.origin) == (a.label, a.note, a.origin)
            assert [(m.doc, m.section, m.anchor, m.absent, m.note) for m in got.members] == \
                [(m.doc, m.section, m.anchor, m.absent, m.note) for m in a.members]


@settings(max_examples=300)
@given(alignment(), st.lists(st.sampled_from(["d-1", "Doc", "d_1", "", "-d", "文件"]),
                             max_size=1), st.integers(-5, 5))
def test_what_the_store_lets_in_is_schema_valid(al: Any, bad_doc: list, start: int) -> None:
    """New alignments are read back and compared but not schema-checked again (a quarter
    of a second for 30,000 members): what ``_check_new`` lets in must be what the schema
    allows — here with member document ids and anchor offsets it must refuse."""
    import dataclasses

    from policydiff.core.errors import InputError
    from policydiff.store.alignments import AlignmentStore, alignment_to_yaml
    from policydiff.store.yamltext import schema_problems, valid_definition

    members = list(al.members)
    if bad_doc:
        members[0] = dataclasses.replace(members[0], doc=bad_doc[0])
    if members[0].anchor is not None:
        anchor = dataclasses.replace(members[0].anchor, start=start)
        members[0] = dataclasses.replace(members[0], anchor=anchor)
    al = dataclasses.replace(al, members=members)
    store = AlignmentStore.__new__(AlignmentStore)  # only its checks, no files
    store._alignments, store._themes = {}, []
    try:
        store._check_new(al)
    except InputError:
        return
    item = alignment_to_yaml(al)
    assert valid_definition(item, "alignments.schema.json", "alignment")
    data = {"theme": al.theme, "alignments": [plain(item)]}
    assert not schema_problems("alignments/x.yaml", data, "alignments.schema.json")
