"""policydiff: compare successive Chinese policy documents.

The package is layered (see the import-linter contract in ``pyproject.toml``):

- :mod:`policydiff.core` — pure computation on documents and alignments;
- :mod:`policydiff.store` — project folders, corpus files, ingest, alignment files, git;
- :mod:`policydiff.render` — Markdown, HTML and Rich renderers;
- :mod:`policydiff.api` — the façade the CLI, the TUI and the report use;
- :mod:`policydiff.cli`, :mod:`policydiff.tui` — the front ends.

The names below are the library's public API; they are imported on first use so
``import policydiff`` (and ``policydiff --help``) stays fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "open_project": "policydiff.api",
    "PolicyProject": "policydiff.api",
    "ThemePairs": "policydiff.api",
    "Project": "policydiff.store.project",
    "Corpus": "policydiff.core.corpus",
    "Document": "policydiff.core.document",
    "Alignment": "policydiff.core.alignment",
    "Member": "policydiff.core.alignment",
    "Anchor": "policydiff.core.alignment",
    "Theme": "policydiff.core.alignment",
    "ResolvedPassage": "policydiff.core.passages",
    "PassagePair": "policydiff.core.passages",
    "Chain": "policydiff.core.evolution",
    "Target": "policydiff.core.targets",
    "TargetRow": "policydiff.core.targets",
    "diff_passages": "policydiff.core.worddiff",
    "PassageDiff": "policydiff.core.worddiff",
    "PolicydiffError": "policydiff.core.errors",
    "InputError": "policydiff.core.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'policydiff' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted(__all__)
