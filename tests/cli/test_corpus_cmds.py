"""`docs` and `show` through the façade: a large corpus is read a document at a time."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import copy_project
from policydiff.cli import cli


def test_docs_and_show_read_a_large_corpus_a_document_at_a_time(tmp_path, monkeypatch):
    """`docs` loaded every document parsed and held them all (10,000 documents: 690 MB);
    through the façade a large corpus is parsed one document at a time, same listing."""
    import json

    from policydiff import api
    from policydiff.core.corpus import LazyCorpus

    root = copy_project(tmp_path / "proj").root
    args = ["--root", str(root)]
    eager = CliRunner().invoke(cli, [*args, "docs", "--format", "json"]).output
    shown = CliRunner().invoke(cli, [*args, "show", "2017-opinions", "--outline"]).output
    used = []
    real = api.PolicyProject.scan_corpus

    def scan(self):
        corpus = real(self)
        used.append(type(corpus))
        return corpus

    monkeypatch.setattr(api, "LAZY_CORPUS_FROM", 2)
    monkeypatch.setattr(api.PolicyProject, "scan_corpus", scan)
    lazy = CliRunner().invoke(cli, [*args, "docs", "--format", "json"]).output
    assert json.loads(lazy) == json.loads(eager)
    assert CliRunner().invoke(cli, [*args, "show", "2017-opinions", "--outline"]).output == shown
    assert used == [LazyCorpus, LazyCorpus]
