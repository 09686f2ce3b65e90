"""Ingesting new sources: encodings, formats, and bad input that must not write anything."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.core.errors import InputError
from policydiff.store.corpus import load_document
from policydiff.store.encoding import decode_bytes
from policydiff.store.project import Project

RAW_2017 = "001_5016e73308342d58.txt"


def run(project: Project, *args: str):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args])


def _snapshot(project: Project) -> dict[str, bytes]:
    return {str(p.relative_to(project.root)): p.read_bytes()
            for p in sorted(project.root.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}  # hostile: lock files stay


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-16", "utf-16-le", "utf-8-sig"])
def test_other_encodings_give_the_same_document(project_copy, tmp_path, encoding):
    text = (project_copy.raw_dir / RAW_2017).read_text(encoding="utf-8")
    source = tmp_path / f"copy-{encoding}.txt"
    source.write_bytes(text.encode(encoding))
    result = run(project_copy, "ingest", str(source), "--id", "copy", "--date", "2017",
                 "--kind", "press", "--period", "2017-2020")
    assert result.exit_code == 0, result.output
    original = load_document(project_copy.corpus_dir / "2017-opinions.md")
    copy = load_document(project_copy.corpus_dir / "copy.md")
    # Without the manifest's layout hints the subtitle stays in the lead paragraph, so
    # compare what the hints do not touch: every sentence of the interview and of 第一…
    assert [s.text for s in copy.sections[0].paragraphs] == \
        [s.text for s in original.sections[0].paragraphs]
    assert "到2020年实现人工智能重点产业规模超过1000亿，成为新增长点。" in copy.body
    # hostile: raw files are stored under the document id
    assert (project_copy.raw_dir / "copy.txt").read_bytes() == source.read_bytes()


def test_gb18030_and_utf16_decode_to_the_same_text(project):
    text = (project.raw_dir / RAW_2017).read_text(encoding="utf-8")
    for encoding in ("gb18030", "utf-16", "utf-16-be"):
        assert decode_bytes(text.encode(encoding)) == text


def test_ingest_html_file_then_show(project_copy, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>某区人工智能方案</title><style>p{color:red}</style></head><body>"
        "<!-- nav --><p>　　原标题：某区发布方案</p><p>　　到2025年，产业规模达到"
        "<a href='x'>100亿元</a>。</p><p class='article-editor'>责任编辑：张三</p>"
        "<div class='appendQr_wrap'>扫码下载APP</div></body></html>", encoding="gb18030")
    result = run(project_copy, "ingest", str(page), "--id", "some-district",
                 "--date", "2023-05")
    assert result.exit_code == 0, result.output
    doc = load_document(project_copy.corpus_dir / "some-district.md")
    assert doc.body.strip() == "到2025年，产业规模达到100亿元。"
    assert doc.meta.title == "某区人工智能方案"
    assert doc.meta.extra["original_title"] == "某区发布方案"
    assert doc.meta.extra["editor"] == "张三"
    assert doc.meta.kind == "press"


def test_ingest_docx(project_copy, tmp_path):
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_heading("某市人工智能规划", level=1)
    d.add_paragraph("一、发展目标")
    d.add_paragraph("到2025年，人工智能产业规模达到500亿元。")
    d.add_paragraph("（一）人才")
    d.add_paragraph("集聚人才5万人。")
    path = tmp_path / "plan.docx"
    buffer = io.BytesIO()
    d.save(buffer)
    path.write_bytes(buffer.getvalue())
    result = run(project_copy, "ingest", str(path), "--id", "some-city-plan", "--date", "2022")
    assert result.exit_code == 0, result.output
    doc = load_document(project_copy.corpus_dir / "some-city-plan.md")
    assert [s.id for s in doc.sections] == ["h1", "1", "1.1"]
    assert doc.section("1.1").text == "集聚人才5万人。"
    assert doc.meta.kind == "official"


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"\x00\x01\x02\x03binary\x00" * 50, ["--id", "bin"], "binary"),
        (b"", ["--id", "empty"], "empty"),
        (b"   \n\n", ["--id", "blank"], "empty"),
        ("到2025年，产业规模达到100亿元。".encode(), ["--id", "../evil"], "invalid document id"),
        ("到2025年，产业规模达到100亿元。".encode(), ["--id", "Bad_ID"], "invalid document id"),
        ("到2025年，产业规模达到100亿元。".encode(), ["--id", "2017-opinions"], "already exists"),
        ("到2025年，产业规模达到100亿元。".encode(), ["--id", "nodate"], "no date"),
        ("到2025年。".encode(), ["--id", "x", "--date", "2025-13"], "invalid date"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(project_copy, tmp_path, content, args,
                                                     message):
    source = tmp_path / "input.txt"
    source.write_bytes(content)
    before = _snapshot(project_copy)
    result = run(project_copy, "ingest", str(source), *args)
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.count("\n") == 1  # one clear line
    assert _snapshot(project_copy) == before


def test_missing_file_and_unknown_type(project_copy, tmp_path):
    result = run(project_copy, "ingest", str(tmp_path / "nope.txt"), "--id", "x")
    assert result.exit_code == 2 and "no such file" in result.output
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    result = run(project_copy, "ingest", str(pdf), "--id", "x", "--date", "2020")
    assert result.exit_code == 2 and "unsupported" in result.output


def test_force_replaces_an_existing_document(project_copy, tmp_path):
    source = tmp_path / "new.txt"
    source.write_text("到2025年，产业规模达到100亿元。\n", encoding="utf-8")
    result = run(project_copy, "ingest", str(source), "--id", "2022-lingang-plan",
                 "--date", "2025", "--force")
    assert result.exit_code == 0, result.output
    doc = load_document(project_copy.corpus_dir / "2022-lingang-plan.md")
    assert doc.body.strip() == "到2025年，产业规模达到100亿元。"
    manifest = project_copy.manifest_path.read_text(encoding="utf-8")
    assert manifest.count("id: 2022-lingang-plan") == 1
    assert manifest.startswith("# Manifest of the policydiff corpus")  # comments kept


def test_ingest_folder_regenerates(project_copy):
    target = project_copy.corpus_dir / "2021-14th-plan.md"
    good = target.read_bytes()
    target.write_text("corrupted", encoding="utf-8")
    result = run(project_copy, "ingest", str(project_copy.raw_dir))
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == good


def test_decode_refuses_garbage():
    with pytest.raises(InputError):
        decode_bytes(bytes(range(256)) * 4)


def test_console_script_runs(project):
    out = subprocess.run([sys.executable, "-m", "policydiff", "--help"], capture_output=True,
                         text=True, cwd=project.root, check=False)
    assert out.returncode == 0 and "ingest" in out.stdout
