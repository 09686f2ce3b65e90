"""Errors the user can act on.

Every adapter (CLI, TUI, report) turns a :class:`PolicydiffError` into one clear
line for the user; anything else is a bug and may show a traceback.
"""

from __future__ import annotations


class PolicydiffError(Exception):
    """A problem with the user's input or environment, reported without a traceback.

    ``exit_code`` follows the CLI convention: 2 for usage or input errors, 1 for
    "problems found" (e.g. a failed check).
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message


class InputError(PolicydiffError):
    """Bad input: unreadable file, wrong encoding, unknown id, malformed data."""


class UnknownDocumentError(InputError):
    """A document id that is not in the corpus."""


class StoreError(PolicydiffError):
    """The alignment store cannot be read or written (malformed file, git problem)."""
