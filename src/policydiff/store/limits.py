"""Bounds on what the tool reads, so hostile or broken input fails fast and clearly.

A "billion laughs" YAML file (aliases nested nine deep) made ``check``, ``report``
and the TUI hang; HTML nested 50,000 levels deep ran for minutes; a ``.docx`` zip
bomb took 182 s and 1 GB; ``/dev/zero`` as a source ended in ``MemoryError``; ANSI
escape sequences in a source reached the terminal. Every reader goes through
these checks first and gets one :class:`InputError` line naming the file and the
limit instead.

The limits are generous for real policy documents (the longest Chinese five-year
plans are ~200 KB of text, ~1 MB as HTML, ~5 MB as .docx with images).
"""

from __future__ import annotations

import os
import re
import stat
import time
import zipfile
from pathlib import Path

from policydiff.core.errors import InputError

#: Largest source file read (bytes).
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: Largest YAML file of the project read (alignments, themes, metrics, manifest).
MAX_YAML_BYTES = 20 * 1024 * 1024
#: Deepest tag nesting accepted in HTML (real pages: < 100).
MAX_HTML_DEPTH = 1000
#: Largest total uncompressed size of a .docx (or other zip) archive.
MAX_DECOMPRESSED_BYTES = 200 * 1024 * 1024
#: Largest compression ratio of one archive member (zip bombs: > 1000).
MAX_COMPRESSION_RATIO = 200
#: Longest a single read may take (seconds), for slow pipes and devices.
MAX_READ_SECONDS = 30.0

_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(text: str) -> str:
    """Text without terminal escape sequences and control characters.

    Keeps line breaks and tabs; ``\\r\\n`` and lone ``\\r`` become ``\\n``. NUL
    anywhere (not just in the first 8 KB a binary sniffer looks at) goes too.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", _ANSI.sub("", text))


def has_control(text: str) -> bool:
    """Whether ``text`` holds characters :func:`strip_control` would remove."""
    return bool(_ANSI.search(text) or _CONTROL.search(text.replace("\r", "")))


def read_bytes_limited(path: str | os.PathLike[str], *, limit: int = MAX_INPUT_BYTES,
                       seconds: float = MAX_READ_SECONDS, what: str = "input") -> bytes:
    """The bytes of a regular file, refusing folders, devices, FIFOs and huge files."""
    target = Path(path)
    try:
        info = target.stat()
    except FileNotFoundError:
        raise InputError(f"no such file: {target}") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(target)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"is a folder, not a {what} file", path=str(target))
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"not a regular file (a device, FIFO or socket); give a {what} file",
                         path=str(target))
    if info.st_size > limit:
        raise InputError(f"too large: {info.st_size / 1e6:.1f} MB (the limit is "
                         f"{limit / 1e6:.0f} MB)", path=str(target))
    began = time.monotonic()
    chunks: list[bytes] = []
    total = 0
    try:
        with open(target, "rb") as handle:
            while chunk := handle.read(1 << 20):
                total += len(chunk)
                if total > limit:
                    raise InputError(f"too large: more than {limit / 1e6:.0f} MB",
                                     path=str(target))
                if time.monotonic() - began > seconds:
                    raise InputError(f"reading took more than {seconds:.0f} s", path=str(target))
                chunks.append(chunk)
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(target)) from None
    return b"".join(chunks)


def check_html_depth(html: str, *, limit: int = MAX_HTML_DEPTH, where: str = "") -> None:
    """Refuse HTML nested deeper than ``limit`` before a parser recurses into it.

    Counts opening and closing tags in one linear scan (void elements such as
    ``<br>`` and self-closed tags do not nest).
    """
    depth = deepest = 0
    for m in re.finditer(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*?(/?)>", html):
        closing, name, selfclosing = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclosing:
            continue
        if closing:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    raise InputError(f"HTML nested more than {limit} levels deep; not a page "
                                     "the tool can read", path=where or None)


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "param", "source", "track", "wbr", "p", "li", "td", "tr", "th", "option"})


def check_archive(data: bytes | str | os.PathLike[str], *, where: str = "",
                  limit: int = MAX_DECOMPRESSED_BYTES, ratio: int = MAX_COMPRESSION_RATIO) -> None:
    """Refuse a zip archive (.docx) that would decompress to too much (a zip bomb).

    Reads only the archive's directory (declared sizes); nothing is unpacked.
    """
    import io

    source = io.BytesIO(data) if isinstance(data, bytes) else Path(data)
    target = where or ("archive" if isinstance(data, bytes) else str(data))
    try:
        with zipfile.ZipFile(source) as archive:
            total = 0
            for info in archive.infolist():
                total += info.file_size
                if total > limit:
                    raise InputError(f"the archive would decompress to more than "
                                     f"{limit / 1e6:.0f} MB", path=str(target))
                if info.compress_size and info.file_size > 1_000_000 and \
                        info.file_size / info.compress_size > ratio:
                    times = info.file_size // max(1, info.compress_size)
                    raise InputError(f"{info.filename} is compressed {times}:1 (a zip bomb?); "
                                     "refusing to unpack it", path=str(target))
    except zipfile.BadZipFile:
        raise InputError("not a valid .docx (zip) file", path=str(target)) from None


def alias_line(text: str) -> int | None:
    """The line of the first YAML alias (``*name``) in ``text``, or None.

    Project files never need aliases, and nested ones expand exponentially
    ("billion laughs"): they are refused before the document is built. Scanning
    parser events is linear in the text; a text that does not parse returns None
    (the real parser reports the error with its line).
    """
    if "*" not in text:
        return None
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import AliasEvent

    try:
        for event in YAML(typ="rt").parse(text):
            if isinstance(event, AliasEvent):
                return event.start_mark.line + 1
    except YAMLError:
        return None
    return None


ALIAS_MESSAGE = ("YAML aliases (*name) are not allowed in this file: write the value out "
                 "(aliases can make a small file expand without end)")


def refuse_aliases(text: str, path: str | os.PathLike[str] | None = None) -> None:
    """Raise one :class:`InputError` (``file:line``) if ``text`` uses a YAML alias."""
    line = alias_line(text)
    if line is not None:
        raise InputError(ALIAS_MESSAGE, path=None if path is None else str(path), line=line)
