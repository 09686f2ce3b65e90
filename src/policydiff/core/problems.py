"""Problems found by validation, reported as ``file:line: message``.

Shared by ``policydiff check`` (alignment files, theme definitions, target
overrides) so every validator reports the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file. ``line`` is 1-based; 0 means "the whole file"."""

    path: str
    line: int
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        tag = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {tag}{self.message}"
