"""The app and the world outside it: the user's editor, the clipboard, exported files.

Kept apart from the screens so each piece can be tested without a terminal: which
command opens a file at a line, where an export goes.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from policydiff.core.errors import InputError

# Editors that take ``+LINE file`` (vi family, nano, emacs, micro, kakoune, joe, ne, mg).
PLUS_LINE = frozenset({"vi", "vim", "nvim", "gvim", "view", "nano", "pico", "emacs",
                       "emacsclient", "micro", "kak", "joe", "jed", "ne", "mg", "ed", "ex",
                       "rvim", "mvim", "helix"})
# Editors that take ``file:LINE`` after a flag or plainly.
COLON_LINE = {"code": ["-g"], "codium": ["-g"], "subl": [], "hx": [], "zed": []}


def editor_command(path: Path, line: int, env: Mapping[str, str] | None = None) -> list[str]:
    """The command that opens ``path`` at ``line`` in the user's editor.

    ``$VISUAL``, then ``$EDITOR``, then ``vi`` (as git does). The editor's own
    arguments are kept (``EDITOR="code --wait"``); the line goes the way that
    editor understands it, and is left out for editors we do not know.
    """
    env = os.environ if env is None else env
    spec = env.get("VISUAL") or env.get("EDITOR") or "vi"
    try:
        words = shlex.split(spec)
    except ValueError as exc:
        raise InputError(f"cannot read $EDITOR {spec!r}: {exc}") from None
    if not words:
        words = ["vi"]
    name = Path(words[0]).name
    if line > 0 and name in PLUS_LINE:
        return [*words, f"+{line}", str(path)]
    if line > 0 and name in COLON_LINE:
        return [*words, *COLON_LINE[name], f"{path}:{line}"]
    return [*words, str(path)]


def export_path(root: Path, stem: str, suffix: str) -> Path:
    """``exports/<stem>.<suffix>`` under the project (a stem safe as a file name)."""
    safe = re.sub(r"[^\w.-]+", "-", stem, flags=re.UNICODE).strip("-.") or "view"
    return root / "exports" / f"{safe}.{suffix}"
