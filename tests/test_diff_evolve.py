"""``evolve`` and ``diff --theme`` against the alignment store API (stubbed if not built)."""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.store.corpus import load_corpus

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class _Member:
    doc: str
    section: str | None = None
    text: str = ""
    absent: bool = False


@dataclass
class _Alignment:
    id: str
    theme: str
    label: str
    status: str
    members: list[_Member] = field(default_factory=list)


@dataclass
class _Theme:
    id: str


@pytest.fixture
def stub_store(monkeypatch: pytest.MonkeyPatch):
    """A store module with the documented API (storeapi.md) holding one targets alignment."""
    corpus = load_corpus(ROOT)

    def sentence(doc: str, needle: str) -> str:
        return next(s.text for s in corpus.get(doc).sentences() if needle in s.text)

    alignment = _Alignment("targets-scale", "targets", "产业规模", "accepted", [
        _Member("2021-14th-plan", "3.3", sentence("2021-14th-plan", "4000亿元")),
        _Member("2017-opinions", "h4",
                sentence("2017-opinions", "到2020年实现人工智能重点产业规模")),
        _Member("2022-pudong-plan", absent=True),
    ])

    class Store:
        def themes(self):
            return [_Theme("targets")]

        def alignments(self, theme=None, status=None):
            return [a for a in [alignment] if theme in (None, a.theme)
                    and status in (None, a.status)]

    module = types.ModuleType("policydiff.store.alignments")
    module.load_store = lambda project: Store()
    module.passage_text = lambda member, corpus: (member.text, types.SimpleNamespace(
        status="exact"))
    monkeypatch.setitem(sys.modules, "policydiff.store.alignments", module)
    return alignment


def test_evolve_json_chain(stub_store) -> None:
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "evolve", "--theme", "targets",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    chain = json.loads(result.output)["chains"][0]
    assert [v["doc"] for v in chain["versions"]] == ["2017-opinions", "2021-14th-plan",
                                                     "2022-pudong-plan"]
    figures = {(f["a"], f["b"]) for f in chain["steps"][0]["figures"]}
    assert ("1000亿", "4000亿元") in figures and ("2020年", "2025年") in figures


def test_evolve_rich_reads(stub_store) -> None:
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "evolve", "--theme", "targets"])
    assert result.exit_code == 0, result.output
    assert "2022-pudong-plan (silent)" in result.output
    assert "[-2020年" in result.output and "4000亿元" in result.output


def test_diff_theme_and_unknown_theme(stub_store) -> None:
    runner = CliRunner()
    ok = runner.invoke(cli, ["--root", str(ROOT), "diff", "2017-opinions", "2021-14th-plan",
                             "--theme", "targets", "--format", "json"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)[0]["alignment"].startswith("targets-scale")
    bad = runner.invoke(cli, ["--root", str(ROOT), "evolve", "--theme", "nope"])
    assert bad.exit_code == 2 and "unknown theme 'nope'" in bad.output
    none = runner.invoke(cli, ["--root", str(ROOT), "diff", "2017-opinions",
                               "2022-lingang-plan", "--theme", "targets"])
    assert none.exit_code == 2 and "no accepted alignment" in none.output
