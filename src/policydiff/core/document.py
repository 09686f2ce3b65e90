"""The document model: a corpus file parsed into sections, paragraphs and sentences.

Every element carries a stable id and character offsets into :attr:`Document.body`
(the Markdown body after the front matter), so alignments, diffs and targets can
point at exact text. Section ids follow the document's own numbering where it has
one (``4.3.2`` for 四、/（三）/2、), ``h1``, ``h2`` … for unnumbered headings, ``0``
for text before the first heading, and ``p1``, ``p2`` … — one section a
paragraph — for a press report without any headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.quantities import parse_number
from policydiff.core.sentences import sentence_spans


@dataclass(frozen=True)
class DocumentMeta:
    id: str
    title: str
    policy: str
    issuer: str | None
    publisher: str | None
    date: str
    kind: str
    period: tuple[int, int] | None
    source_url: str | None
    raw_file: str | None
    raw_sha256: str | None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def year(self) -> int:
        return int(self.date[:4])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "policy": self.policy, "issuer": self.issuer,
            "publisher": self.publisher, "date": self.date, "kind": self.kind,
            "period": list(self.period) if self.period else None,
            "source_url": self.source_url, "raw_file": self.raw_file,
            "raw_sha256": self.raw_sha256, **self.extra,
        }


@dataclass(frozen=True)
class Sentence:
    id: str
    text: str
    start: int
    end: int
    paragraph_id: str
    section_id: str


@dataclass(frozen=True)
class Paragraph:
    id: str
    text: str
    start: int
    end: int
    kind: str  # "text" | "caption"
    sentences: tuple[Sentence, ...]
    section_id: str


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    level: int
    numbering: str
    path: tuple[str, ...]
    start: int
    end: int
    paragraphs: tuple[Paragraph, ...]
    parent: str | None
    heading_start: int | None = None

    @property
    def text(self) -> str:
        return "\n\n".join(p.text for p in self.paragraphs)

    @property
    def label(self) -> str:
        """The heading, or for a heading-less section the start of its text."""
        if self.heading:
            return self.heading
        first = self.paragraphs[0].text if self.paragraphs else ""
        return first[:18] + ("…" if len(first) > 18 else "")


@dataclass
class Document:
    meta: DocumentMeta
    body: str
    sections: list[Section]
    path: Path | None = None

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def date(self) -> str:
        return self.meta.date

    def section(self, section_id: str) -> Section:
        for section in self.sections:
            if section.id == section_id:
                return section
        known = ", ".join(s.id for s in self.sections[:30])
        raise InputError(f"{self.id} has no section {section_id!r} (sections: {known})")

    def paragraphs(self) -> list[Paragraph]:
        return [p for s in self.sections for p in s.paragraphs]

    def sentences(self) -> list[Sentence]:
        return [t for s in self.sections for p in s.paragraphs for t in p.sentences]

    def section_at(self, offset: int) -> Section:
        """The section whose own text (or heading) contains ``offset``."""
        best = self.sections[0]
        for section in self.sections:
            begin = section.heading_start if section.heading_start is not None else section.start
            if begin <= offset:
                best = section
            else:
                break
        return best

    def children(self, section_id: str) -> list[Section]:
        return [s for s in self.sections if s.parent == section_id]

    def subtree(self, section_id: str) -> list[Section]:
        """The section and all its descendants, in document order."""
        root = self.section(section_id)
        out = [root]
        index = self.sections.index(root)
        for section in self.sections[index + 1:]:
            if section.level <= root.level:
                break
            out.append(section)
        return out

    def subtree_text(self, section_id: str) -> str:
        return "\n\n".join(s.text for s in self.subtree(section_id) if s.text)



_CN_ORD = "一二三四五六七八九十"
HEADING_NUMBERING: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(rf"^([{_CN_ORD}]+)、")),
    (2, re.compile(rf"^[（(]([{_CN_ORD}]+)[）)]")),
    (3, re.compile(r"^(\d+)[、.．](?!\d)")),
    (4, re.compile(r"^[（(](\d+)[）)]")),
)
"""Numbered heading styles of Chinese policy documents, by depth: 一、 / （一） / 1、 / （1）."""

_HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")


def _numbering(heading: str) -> tuple[str, int | None]:
    """The numbering as written (``四、``) and its value (4), if the heading has one."""
    for _level, pattern in HEADING_NUMBERING:
        m = pattern.match(heading)
        if m:
            value = parse_number(m.group(1))
            return m.group(0), int(value) if value is not None else None
    return "", None


def document_from_front(front: dict[str, Any], body: str, path: Path | None = None) -> Document:
    """A document from its front matter (already parsed) and its Markdown body.

    Reading the file and parsing the YAML is the store's job
    (:func:`policydiff.store.corpus.parse_document`); this keeps the model pure.
    """
    name = str(path) if path else "<document>"
    if not front.get("id"):
        raise InputError("corpus file has no front matter with an id", path=name)
    period = front.get("period")
    known = {"id", "title", "policy", "issuer", "publisher", "date", "kind", "period",
             "source_url", "raw_file", "raw_sha256"}
    meta = DocumentMeta(
        id=str(front["id"]),
        title=str(front.get("title") or front["id"]),
        policy=str(front.get("policy") or front.get("title") or front["id"]),
        issuer=front.get("issuer"),
        publisher=front.get("publisher"),
        date=str(front.get("date") or ""),
        kind=str(front.get("kind") or "official"),
        period=(int(period[0]), int(period[1])) if period else None,
        source_url=front.get("source_url"),
        raw_file=front.get("raw_file"),
        raw_sha256=front.get("raw_sha256"),
        extra={k: v for k, v in front.items() if k not in known},
    )
    return Document(meta, body, _sections(meta.id, body), path)


@dataclass
class _Block:
    kind: str  # heading | text | caption
    text: str
    start: int
    end: int
    level: int = 0


def _blocks(body: str) -> list[_Block]:
    blocks: list[_Block] = []
    for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", body):
        raw = m.group(0)
        if not raw.strip():
            continue
        start, end = m.start(), m.end()
        hm = _HEADING_LINE.match(raw)
        if hm and "\n" not in raw:
            blocks.append(_Block("heading", hm.group(2), start, end, len(hm.group(1))))
        elif raw.startswith(">"):
            offset = 2 if raw.startswith("> ") else 1
            blocks.append(_Block("caption", raw[offset:], start + offset, end))
        else:
            blocks.append(_Block("text", raw, start, end))
    return blocks


def _paragraph(block: _Block, section_id: str, index: int) -> Paragraph:
    pid = f"{section_id}/{index}"
    sentences = []
    for n, (s, e) in enumerate(sentence_spans(block.text), 1):
        text = block.text[s:e]
        stripped = text.rstrip()
        sentences.append(Sentence(f"{pid}.{n}", stripped, block.start + s,
                                  block.start + s + len(stripped), pid, section_id))
    kind = "caption" if block.kind == "caption" else "text"
    return Paragraph(pid, block.text, block.start, block.end, kind, tuple(sentences), section_id)


def _sections(doc_id: str, body: str) -> list[Section]:
    blocks = _blocks(body)
    if not any(b.kind == "heading" for b in blocks):
        # A press report without headings: each paragraph is a section of its own.
        sections = []
        for n, block in enumerate(blocks, 1):
            sid = f"p{n}"
            para = _paragraph(block, sid, 1)
            sections.append(Section(sid, "", 1, "", (f"¶{n}",), block.start, block.end,
                                    (para,), None))
        return sections

    sections: list[Section] = []
    # Open headings by level: (level, id, heading, numeric path or None)
    stack: list[tuple[int, str, str, tuple[int, ...] | None]] = []
    unnumbered = 0
    used: set[str] = set()

    def flush(head: _Block | None, sid: str, numbering: str, parent: str | None,
              path: tuple[str, ...], paras: list[_Block]) -> None:
        paragraphs = tuple(_paragraph(b, sid, i) for i, b in enumerate(paras, 1))
        if paragraphs:
            start, end = paragraphs[0].start, paragraphs[-1].end
        else:
            start = end = (head.end if head else 0)
        sections.append(Section(sid, head.text if head else "", head.level if head else 0,
                                numbering, path, start, end, paragraphs, parent,
                                head.start if head else None))

    current: tuple[_Block | None, str, str, str | None, tuple[str, ...]] | None = None
    pending: list[_Block] = []
    for block in blocks:
        if block.kind != "heading":
            if current is None:
                current = (None, "0", "", None, ())
            pending.append(block)
            continue
        if current is not None:
            flush(*current, pending)
        pending = []
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        parent = stack[-1] if stack else None
        numbering, value = _numbering(block.text)
        if value is not None and (parent is None or parent[3] is not None):
            numeric = (*(parent[3] if parent else ()), value)
            sid = ".".join(str(v) for v in numeric)
        else:
            numeric = None
            unnumbered += 1
            sid = f"h{unnumbered}"
        while sid in used:  # a numbering repeated by mistake still gets a unique id
            sid += "'"
        used.add(sid)
        path = (*(p[2] for p in stack), block.text)
        stack.append((block.level, sid, block.text, numeric))
        current = (block, sid, numbering, parent[1] if parent else None, path)
    if current is not None:
        flush(*current, pending)
    return sections
