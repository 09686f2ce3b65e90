"""Hostile cases of issue 19 for ingest: raw files never overwritten, curated
manifest fields kept, crash-safe writes, bounded reads, control characters gone."""

from __future__ import annotations

import io
import os
import re
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from conftest import copy_project
from policydiff.cli import cli
from policydiff.core.errors import InputError
from policydiff.store import limits
from policydiff.store.project import Project
from policydiff.store.transactions import JOURNAL, ingest_transaction, recover

TEXT = ("关于推进人工智能发展的实施意见\n\n一、总体要求\n\n"
        "到2025年，人工智能产业规模达到4000亿元。\n\n二、主要任务\n\n建设一批创新平台，培育一批龙头企业。\n")


def run(root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(root), *args])


@pytest.fixture
def proj(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "proj")


def _manifest(project: Project) -> dict:
    data = YAML(typ="safe").load(project.manifest_path.read_text(encoding="utf-8"))
    return {e["id"]: e for e in data["sources"]}


def _one_line(result) -> None:
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("policydiff: error:")


def test_same_file_name_never_overwrites_another_documents_raw(proj, tmp_path) -> None:
    a, b = tmp_path / "a" / "plan.txt", tmp_path / "b" / "plan.txt"
    a.parent.mkdir()
    b.parent.mkdir()
    a.write_text(TEXT, encoding="utf-8")
    b.write_text(TEXT.replace("4000", "5000"), encoding="utf-8")
    assert run(proj.root, "ingest", str(a), "--id", "doc-a", "--date", "2021").exit_code == 0
    assert run(proj.root, "ingest", str(b), "--id", "doc-b", "--date", "2022",
               "--force").exit_code == 0
    m = _manifest(proj)
    assert m["doc-a"]["raw"] != m["doc-b"]["raw"]
    assert (proj.raw_dir / m["doc-a"]["raw"]).read_text(encoding="utf-8") == TEXT
    assert run(proj.root, "ingest", str(proj.raw_dir)).exit_code == 0
    assert "4000亿元" in (proj.corpus_dir / "doc-a.md").read_text(encoding="utf-8")


def test_force_keeps_curated_fields_unless_reset(proj, tmp_path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert run(proj.root, "ingest", str(src), "--id", "doc-a", "--date", "2021",
               "--issuer", "上海市人民政府", "--policy", "实施意见", "--period",
               "2021-2025").exit_code == 0
    path = proj.manifest_path
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - id: doc-a", "  # reviewed by Ada\n  - id: doc-a"), encoding="utf-8")
    assert run(proj.root, "ingest", str(src), "--id", "doc-a", "--force").exit_code == 0
    entry = _manifest(proj)["doc-a"]
    assert entry["issuer"] == "上海市人民政府" and entry["policy"] == "实施意见"
    assert entry["period"] == [2021, 2025] and str(entry["date"]) == "2021"
    assert "# reviewed by Ada" in path.read_text(encoding="utf-8")
    assert run(proj.root, "ingest", str(src), "--id", "doc-a", "--force", "--reset-metadata",
               "--date", "2021").exit_code == 0
    assert "issuer" not in _manifest(proj)["doc-a"]


def test_a_crash_between_corpus_and_manifest_is_rolled_back(proj) -> None:
    target = proj.corpus_dir / "doc-x.md"
    before = proj.manifest_path.read_bytes()
    from policydiff.store import transactions

    real = transactions.atomic_write_text

    def crash(path, text):
        if Path(path) == proj.manifest_path:
            raise KeyboardInterrupt("kill -9")
        real(path, text)

    transactions.atomic_write_text = crash
    try:
        with pytest.raises(KeyboardInterrupt):
            ingest_transaction(proj, "doc-x", {target: "---\nid: doc-x\n---\n\n正文。\n"},
                               "sources: []\n")
    finally:
        transactions.atomic_write_text = real
    assert target.exists() and (proj.corpus_dir / JOURNAL).exists()  # the half-done state
    (proj.corpus_dir / ".doc-x.md.abc.tmp").write_bytes(b"x" * 1000)
    done = recover(proj)
    assert not target.exists() and not (proj.corpus_dir / JOURNAL).exists()
    assert proj.manifest_path.read_bytes() == before
    assert not list(proj.corpus_dir.glob(".*.tmp"))
    assert any("rolled back" in d for d in done)


def test_journal_records_previous_files(proj) -> None:
    target = proj.corpus_dir / "2017-opinions.md"
    old = target.read_bytes()
    ingest_transaction(proj, "2017-opinions", {target: "changed\n"},
                       proj.manifest_path.read_text(encoding="utf-8"))
    assert target.read_text(encoding="utf-8") == "changed\n"
    assert not (proj.corpus_dir / JOURNAL).exists()
    assert old != target.read_bytes()


@pytest.mark.parametrize("bad", ["doc\n", "doc-a\nx", "Doc", "../x"])
def test_ids_with_newlines_or_path_tricks_are_refused(proj, tmp_path, bad) -> None:
    src = tmp_path / "plan.txt"
    src.write_text(TEXT, encoding="utf-8")
    _one_line(run(proj.root, "ingest", str(src), "--id", bad, "--date", "2021"))


def test_reversed_period_is_refused(proj, tmp_path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = run(proj.root, "ingest", str(src), "--id", "doc-a", "--date", "2021",
                 "--period", "2025-2020")
    _one_line(result)
    assert "start year is after the end year" in result.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_in_one_line(proj) -> None:
    result = run(proj.root, "ingest", "/dev/zero", "--id", "zero", "--date", "2021")
    _one_line(result)
    assert "not a regular file" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="FIFOs")
def test_a_fifo_is_refused(proj, tmp_path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    _one_line(run(proj.root, "ingest", str(fifo), "--id", "pipe", "--date", "2021"))


def test_huge_files_are_refused(tmp_path, monkeypatch) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 2000)
    with pytest.raises(InputError, match="too large"):
        limits.read_bytes_limited(big, limit=1000)


def test_deep_html_is_refused_fast(proj, tmp_path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 50_000 + "文字。" + "</div>" * 50_000
                    + "</body></html>", encoding="utf-8")
    began = time.monotonic()
    result = run(proj.root, "ingest", str(page), "--id", "deep", "--date", "2021")
    _one_line(result)
    assert "nested more than" in result.stderr
    assert time.monotonic() - began < 10


def test_docx_zip_bomb_is_refused_without_unpacking(proj, tmp_path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (300 * 1024 * 1024))
    bomb = tmp_path / "bomb.docx"
    bomb.write_bytes(buffer.getvalue())
    began = time.monotonic()
    result = run(proj.root, "ingest", str(bomb), "--id", "bomb", "--date", "2021")
    _one_line(result)
    assert time.monotonic() - began < 20


def test_control_characters_and_late_nul_are_stripped(proj, tmp_path) -> None:
    src = tmp_path / "ansi.txt"
    evil = (TEXT.replace("培育一批龙头企业", "培育\x1b[31m一批\x1b[0m龙头\x07企业")
            + "人工智能产业加快发展。" * 900 + "\0尾。\n")  # a NUL past the first 8 KB
    src.write_text(evil, encoding="utf-8")
    assert run(proj.root, "ingest", str(src), "--id", "ansi", "--date", "2021").exit_code == 0
    text = (proj.corpus_dir / "ansi.md").read_text(encoding="utf-8")
    assert "培育一批龙头企业" in text
    assert not limits.has_control(text)


def test_strip_control_keeps_text() -> None:
    assert limits.strip_control("a\tb\r\nc\x1b]0;title\x07d\x00e\x9b") == "a\tb\ncde"


def test_aliases_refused_in_manifest(proj, tmp_path) -> None:
    path = proj.manifest_path
    path.write_text("x: &a [1, 2]\ny: *a\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    src = tmp_path / "plan.txt"
    src.write_text(TEXT, encoding="utf-8")
    result = run(proj.root, "ingest", str(src), "--id", "doc-a", "--date", "2021")
    _one_line(result)
    assert "aliases" in result.stderr


# --- corpus front matter: bad YAML and bad dates name their file ------------------------


def _front(proj: Project, doc: str, old: str, new: str) -> Path:
    path = proj.corpus_dir / f"{doc}.md"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_malformed_front_matter_names_its_file_and_line(proj) -> None:
    _front(proj, "2021-14th-plan", "period: [2021, 2025]", "period: [2021, 2025")
    result = run(proj.root, "docs")
    _one_line(result)
    assert re.search(r"corpus/2021-14th-plan\.md:\d+: malformed front matter", result.stderr), \
        result.stderr


@pytest.mark.parametrize("bad", ["yesterday", "2021-13", "'2021-02-30'", "21-12", "'2021/12'",
                                 "2021-02-30"])
def test_a_corpus_date_that_is_not_a_date_is_refused_with_its_file(proj, bad) -> None:
    _front(proj, "2021-14th-plan", "date: 2021-12", f"date: {bad}")
    result = run(proj.root, "docs")
    _one_line(result)
    assert "corpus/2021-14th-plan.md: " in result.stderr and "YYYY-MM" in result.stderr, \
        result.stderr


@pytest.mark.parametrize("good", ["2021", "2021-12", "2021-12-30", "'2021-12-30'"])
def test_corpus_dates_in_the_three_precisions_are_accepted(proj, good) -> None:
    from policydiff.store.corpus import load_document

    path = _front(proj, "2021-14th-plan", "date: 2021-12", f"date: {good}")
    assert load_document(path).date == good.strip("'")
