"""Decode raw source bytes: UTF-8 (with or without BOM), UTF-16, GB18030/GBK.

Sources arrive from newspapers' OCR, Word exports and web pages in whatever encoding
the sender used. Detection of legacy encodings is left to ``charset-normalizer``;
binary files and undecodable bytes are refused with a clear error instead of being
turned into mojibake.
"""

from __future__ import annotations

import codecs

from policydiff.core.errors import InputError

# Legacy encodings accepted for Chinese sources. GB2312 and GBK are read as GB18030,
# their superset, so a rare character never fails half-way through a file.
_CHINESE_SUPERSET = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "gb18030": "gb18030",
    "hz": "gb18030",
    "big5": "big5",
    "big5hkscs": "big5hkscs",
    "cp950": "big5",
    "cp936": "gb18030",
}


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(4, len(sample) // 100)


def decode_bytes(data: bytes, name: str = "<input>") -> str:
    """Return the text of ``data`` with ``\\n`` line ends; raise InputError if it is not text."""
    if not data.strip():
        raise InputError("file is empty", path=name)
    if data.startswith(codecs.BOM_UTF8):
        text = _strict(data[3:], "utf-8", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _strict(data, "utf-16", name)
    elif (bom_less := _bomless_utf16(data)) is not None:
        text = bom_less
    else:
        if _looks_binary(data):
            raise InputError("binary file, not text (expected .txt, .md, .html or .docx)",
                             path=name)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _detect(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError("file has no text", path=name)
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM (Windows "Unicode" exports): text only if it reads as Chinese."""
    if len(data) % 2 or b"\x00" not in data[:4096]:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text and _cjk_ratio(text) > 0.5:
            return text
    return None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid {encoding} at byte {exc.start}", path=name) from None


def _detect(data: bytes, name: str) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=None).best()
    guess = (best.encoding if best else "").lower().replace("-", "").replace("_", "")
    guess = {"utf16": "utf16", "utf16le": "utf16le", "utf16be": "utf16be"}.get(guess, guess)
    encoding = _CHINESE_SUPERSET.get(guess)
    if encoding is None and guess.startswith("utf16"):
        encoding = {"utf16le": "utf-16-le", "utf16be": "utf-16-be"}.get(guess, "utf-16")
    if encoding is None:
        # charset-normalizer may prefer a single-byte code page for short texts; GB18030
        # decodes any byte sequence of Chinese text, so try it before giving up.
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise InputError(
                "unknown text encoding (tried UTF-8, UTF-16, GB18030); "
                "convert the file to UTF-8", path=name) from None
        if _cjk_ratio(text) < 0.3:
            raise InputError(
                f"unknown text encoding (best guess {best.encoding if best else 'none'}); "
                "convert the file to UTF-8", path=name)
        return text
    return _strict(data, encoding, name)


def _cjk_ratio(text: str) -> float:
    letters = [ch for ch in text if not ch.isspace() and not ch.isascii()]
    if not letters:
        return 0.0
    cjk = sum(1 for ch in letters if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
              or "\uff00" <= ch <= "\uffef")
    return cjk / len(letters)
