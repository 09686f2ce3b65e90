"""The architecture holds: layers enforced by import-linter, one façade, documented commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from policydiff.cli import cli

REPO = Path(__file__).resolve().parents[2]
LINT_IMPORTS = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))


def _lint(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run([LINT_IMPORTS, "--config", str(REPO / "pyproject.toml"), "--no-cache"],
                          cwd=src.parent, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def src_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of src/ that tests may break without touching the real tree."""
    root = tmp_path_factory.mktemp("arch") / "src"
    shutil.copytree(REPO / "src" / "policydiff", root / "policydiff",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return root


def test_layers_hold_on_the_real_tree() -> None:
    result = _lint(REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module, line", [
    ("core/corpus.py", "import textual  # noqa\n"),
    ("core/anchors.py", "import git  # noqa\n"),
    ("core/worddiff.py", "import click  # noqa\n"),
    ("core/sentences.py", "from policydiff.store import fsutil  # noqa\n"),
    ("store/fsutil.py", "from policydiff import api  # noqa\n"),
])
def test_a_core_or_store_module_importing_upwards_breaks_the_contract(
        src_copy: Path, module: str, line: str) -> None:
    path = src_copy / "policydiff" / module
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n" + line, encoding="utf-8")
    try:
        result = _lint(src_copy)
    finally:
        path.write_text(original, encoding="utf-8")
    assert result.returncode != 0, result.stdout
    assert "BROKEN" in result.stdout


def test_no_scaffolding_guards_left() -> None:
    hits = [str(p.relative_to(REPO)) for folder in ("src", "tests")
            for p in (REPO / folder).rglob("*.py")
            if p.name != Path(__file__).name
            and "not part of this build" in p.read_text(encoding="utf-8")]
    assert hits == []


def test_no_test_module_imports_another() -> None:
    """Shared test code lives in helper modules (tests/*.py), never in a test module:
    importing a test module runs its collection twice and hides what is shared."""
    import ast

    tests = REPO / "tests"
    names = {p.stem for p in tests.rglob("test_*.py")}
    offenders = []
    for path in tests.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                targets = [node.module or ""]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                last = target.rsplit(".", 1)[-1]
                if last in names or target.startswith("tests."):
                    offenders.append(f"{path.relative_to(REPO)}: {target}")
    assert offenders == []


def _commands() -> list[tuple[str, click.Command]]:
    return sorted(cli.commands.items())


@pytest.mark.parametrize("name, command", _commands())
def test_every_command_is_in_the_readme_and_has_an_example(name: str,
                                                           command: click.Command) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"policydiff {name}" in readme, f"`policydiff {name}` is not documented in README.md"
    ctx = click.Context(command, info_name=name, parent=click.Context(cli, info_name="policydiff"))
    help_text = command.get_help(ctx)
    assert "Examples:" in help_text and f"policydiff {name}" in help_text, \
        f"`policydiff {name} --help` shows no example"


def test_the_facade_is_the_public_api() -> None:
    import policydiff

    assert {"open_project", "PolicyProject", "ResolvedPassage", "Document",
            "diff_passages"} <= set(policydiff.__all__)
    project = policydiff.open_project(REPO)
    pairs = project.theme_pairs("talent", "2017-opinions", "2022-lingang-plan")
    assert {p.b.section for p in pairs.pairs if p.alignment.id == "talent-targets"} == {"p1", "p7"}
