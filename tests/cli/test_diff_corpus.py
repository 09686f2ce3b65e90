"""The real corpus: the 2017 target restated in the 14th five-year plan, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from policydiff.cli import cli
from policydiff.core.evolution import build_chain
from policydiff.core.passages import ResolvedPassage
from policydiff.core.worddiff import diff_passages
from policydiff.store.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def _sentence(corpus, doc: str, *needles: str) -> str:
    return next(s.text for s in corpus.get(doc).sentences() if all(n in s.text for n in needles))


def test_targets_passages_give_the_figure_changes(corpus) -> None:
    a = _sentence(corpus, "2017-opinions", "到2020年实现人工智能重点产业规模超过1000亿")
    b = _sentence(corpus, "2021-14th-plan", "规上产业规模年均增长12%以上", "4000亿元")
    d = diff_passages(a, b)
    pairs = {(f.a.text if f.a else None, f.b.text if f.b else None) for f in d.figures}
    assert ("1000亿", "4000亿元") in pairs
    assert ("2020年", "2025年") in pairs
    amount = next(f for f in d.figures if f.b and f.b.text == "4000亿元")
    assert "达到4000亿元" in amount.context


def test_evolution_chain_in_date_order(corpus) -> None:
    v2017 = ResolvedPassage("2017-opinions", corpus.get("2017-opinions").date, None,
                            _sentence(corpus, "2017-opinions", "到2020年实现人工智能重点产业规模"),
                            "exact")
    v2021 = ResolvedPassage("2021-14th-plan", corpus.get("2021-14th-plan").date, None,
                            _sentence(corpus, "2021-14th-plan", "4000亿元"), "exact")
    silent = ResolvedPassage("2022-pudong-plan", corpus.get("2022-pudong-plan").date, None, "",
                             "absent")
    chain = build_chain([v2021, silent, v2017], "targets", "产业规模")
    assert [v.doc for v in chain.versions] == ["2017-opinions", "2021-14th-plan",
                                               "2022-pudong-plan"]
    assert len(chain.steps) == 1 and chain.steps[0].a.doc == "2017-opinions"
    assert any(f.b and f.b.text == "4000亿元" for f in chain.steps[0].diff.figures)


def test_cli_diff_sections_json(corpus) -> None:
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "diff", "2017-opinions:h4",
                                      "2021-14th-plan:3.3", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["a"]["text"] == corpus.get("2017-opinions").subtree_text("h4")
    assert "".join(t for op, t in data["ops"] if op != -1) == data["b"]["text"]
    assert {"ops", "similarity", "figures", "sentences"} <= set(data)


def test_cli_diff_markdown_and_side_by_side() -> None:
    runner = CliRunner()
    md = runner.invoke(cli, ["--root", str(ROOT), "diff", "2017-opinions:h3",
                             "2021-14th-plan:3.3", "--format", "md"])
    assert md.exit_code == 0 and "<del>" in md.output and "<ins>" in md.output
    sbs = runner.invoke(cli, ["--root", str(ROOT), "diff", "2017-opinions:h3",
                              "2021-14th-plan:3.3", "--side-by-side"])
    assert sbs.exit_code == 0 and "[-" in sbs.output  # piped: textual marks


@pytest.mark.parametrize("args, message", [
    (["diff", "nope:1", "2021-14th-plan:1"], "unknown document 'nope'"),
    (["diff", "2017-opinions:zz", "2021-14th-plan:1"], "no section 'zz'"),
    (["diff", "2017-opinions:", "2021-14th-plan"], "bad reference"),
    (["diff", "2017-opinions:h4", "2021-14th-plan", "--theme", "targets"], "without :SECTION"),
])
def test_cli_bad_input_is_one_line(args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["--root", str(ROOT), *args])
    assert result.exit_code == 2
    assert message in result.output and result.output.count("\n") == 1


def test_help_does_not_load_the_segmenter() -> None:
    code = ("import sys; from policydiff.cli import cli;"
            "assert 'jieba' not in sys.modules and 'diff_match_patch' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env={**os.environ})
