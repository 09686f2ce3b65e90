"""Command-line adapter over the policydiff library.

Each ``*_cmds`` module attaches its commands to :data:`cli`; importing them here
registers them. The commands import heavy parts (segmenter, Textual) lazily so
``policydiff --help`` stays fast.
"""

from __future__ import annotations

import importlib

from policydiff.cli.app import cli

COMMAND_MODULES = (
    "corpus_cmds",
    "store_cmds",
    "diff_cmds",
    "compare_cmds",
    "targets_cmds",
    "suggest_cmds",
    "report_cmds",
    "tui_cmds",
    "reuse_cmds",
)

for _name in COMMAND_MODULES:
    importlib.import_module(f"{__name__}.{_name}")


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="policydiff")


__all__ = ["cli", "main"]
