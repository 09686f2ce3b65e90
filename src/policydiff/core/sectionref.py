"""Find a section from what an analyst types: its id, or its numbering as the text writes it.

A reader says "go to 3.3", "第十二条", "十二", "第三章", "p7" — the id the outline
shows, or the legal or list numbering printed in the document. ``find_section`` reads
each of these the way the document model numbers sections (core/document.py), with the
numerals read by ``core/outline`` (so 十二, 12 and ⑫-style markers agree with how the
headings were numbered), and returns the section or None. Pure: a document and a string
in, a section out.
"""

from __future__ import annotations

import re
import unicodedata

from policydiff.core.document import Document, Section
from policydiff.core.outline import LEGAL_MARKER, legal_marker, list_marker, to_int

_PREFIX = {"part": "pt", "chapter": "ch", "section": "s", "article": "a"}
_SPACE = re.compile(r"[\s\u3000]+")


def _normal(ref: str) -> str:
    """Full-width digits and dots to ASCII (３．３ → 3.3), spaces and a leading § gone."""
    ref = unicodedata.normalize("NFKC", ref)
    ref = _SPACE.sub("", ref).lstrip("§")
    return ref.rstrip("。.")


def _legal_path(ref: str) -> str | None:
    """``第三章第二节`` → ``ch3.s2``; ``第十二条`` → ``a12``; None if not only legal markers."""
    parts: list[str] = []
    rest = ref
    while rest:
        m = legal_marker(rest)
        if m is None:
            return None
        parts.append(f"{_PREFIX[m.kind]}{m.value}")
        found = LEGAL_MARKER.match(rest)
        rest = rest[found.end():] if found else ""
    return ".".join(parts) or None


def _by_id_tail(doc: Document, tail: str) -> Section | None:
    """The section whose id is ``tail`` or ends with ``.tail`` (an article in a chapter
    whose numbering restarts: ``ch3.a2``), first in document order."""
    for section in doc.sections:
        if section.id == tail:
            return section
    for section in doc.sections:
        if section.id.endswith("." + tail):
            return section
    return None


def find_section(doc: Document, ref: str) -> Section | None:
    """The section of ``doc`` that ``ref`` names, or None.

    In order: the id itself (``3.3``, ``4.2.1``, ``p7``, ``h4``, ``ch3.a2``, any case);
    legal numbering (``第十二条``, ``第三章``, ``第三章第二节``, ``第12条``); a bare
    numeral (``十二``, ``12``) — the article of that number where the document has
    articles, else the top-level heading; list numbering as printed (``三、``, ``（二）``:
    the first heading numbered so); the start of a heading's text.
    """
    text = _normal(ref)
    if not text:
        return None
    lowered = text.lower()
    for section in doc.sections:
        if section.id.lower() == lowered:
            return section
    path = _legal_path(text)
    if path is not None:
        return _by_id_tail(doc, path)
    value = to_int(text)
    if value is not None:
        if any(s.kind == "article" for s in doc.sections):
            found = _by_id_tail(doc, f"a{value}")
            if found is not None:
                return found
        return _by_id_tail(doc, str(value))
    listed = list_marker(text)
    if listed is not None and listed.end == len(text):
        for section in doc.sections:
            if section.numbering and _normal(section.numbering) == text:
                return section
        return None
    for section in doc.sections:
        if section.heading and _normal(section.heading).startswith(text):
            return section
    return None
