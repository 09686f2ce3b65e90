"""`-o FILE` without `--format` writes what the file's extension names.

A user who typed `policydiff report -o report.html` got Markdown in an HTML file: the
browser showed the whole report as one run-on paragraph. `--format`, when given, wins.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli


def run(root, *args: str):
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exit_code == 0, result.output
    return result


def test_report_to_an_html_file_is_html_and_to_an_md_file_markdown(tmp_path) -> None:
    root = copy_project(tmp_path / "proj").root
    run(root, "report", "--section", "summary", "-o", str(tmp_path / "r.html"))
    run(root, "report", "--section", "summary", "-o", str(tmp_path / "r.md"))
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "<h2" in html
    assert md.startswith("# ") and "<h2" not in md
    run(root, "report", "--section", "summary", "--format", "md", "-o",
        str(tmp_path / "asked.html"))
    assert (tmp_path / "asked.html").read_text(encoding="utf-8") == md  # --format wins


def test_compare_to_a_json_file_is_json(tmp_path) -> None:
    root = copy_project(tmp_path / "proj").root
    run(root, "compare", "2021-14th-plan", "2021-14th-plan-news", "-o",
        str(tmp_path / "c.json"))
    data = json.loads((tmp_path / "c.json").read_text(encoding="utf-8"))
    assert data and isinstance(data, dict)
