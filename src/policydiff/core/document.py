"""The document model: a corpus file parsed into sections, paragraphs and sentences.

Every element carries a stable id and character offsets into :attr:`Document.body`
(the Markdown body after the front matter), so alignments, diffs and targets can
point at exact text.

Section ids follow the document's own numbering (other modules and stored
alignments depend on this scheme; docs/ingest.md has examples):

* list numbering: ``4.3.2`` for 四、/（三）/2、 — the chain of numbers from the
  outermost numbered heading; under a chapter or article the chain starts from its
  id (``ch2.1``);
* legal structure: parts (编) ``pt1``; chapters (章) ``ch1``; sections within a
  chapter (节) ``ch1.s2`` (``s2`` outside any chapter); articles (条) ``a12``, since
  articles are numbered through the whole law, so ``a12`` is unique and stable even
  if chapters change. Where a text restarts a numbering (chapters in every 编,
  articles in every chapter), the id is prefixed by its parent's: ``pt2.ch1``,
  ``ch3.a1``;
* ``h1``, ``h2`` … for unnumbered headings (the title, the 印发 notice's heading),
  ``0`` for text before the first heading, and ``p1``, ``p2`` … — one section a
  paragraph — for a press report without any headings.

An article is stored as a heading holding its number and caption (``### 第一条（立法
目的）``); its 款 are the section's paragraphs (款 2 of article 1 is paragraph
``a1/2``) and each 项 ``（一）`` line is a paragraph of its own. The Section's
``parent`` and ``path`` keep the chain (part, chapter, section, article).

:attr:`Section.kind` says what a section is: ``title``, ``notice`` (a 印发 notice's
heading), ``part``, ``chapter``, ``section``, ``article``, ``heading`` (a numbered or
other heading), ``preamble`` (text before the first heading) or ``paragraph`` (a
press report's paragraph). A paragraph's ``kind`` is ``text``, ``caption`` or
``signature`` (the issuer and date lines under a notice or at the end).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.core.outline import LEGAL_KINDS, legal_marker
from policydiff.core.outline import numbering as _list_numbering
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
    number: str | None = None  # 文号, e.g. 沪府办发〔2017〕66号
    status: str = "final"  # draft (草案, 征求意见稿) or final
    provenance: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def year(self) -> int:
        return int(self.date[:4])

    @property
    def own_policy(self) -> str:
        """The policy this document states (its ``policy`` field, else its title): a figure
        that names another policy is quoted, not this document's own."""
        return self.policy or self.title

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "title": self.title, "policy": self.policy, "issuer": self.issuer,
            "publisher": self.publisher, "date": self.date, "kind": self.kind,
            "period": list(self.period) if self.period else None,
            "source_url": self.source_url, "raw_file": self.raw_file,
            "raw_sha256": self.raw_sha256, "number": self.number, "status": self.status,
            "provenance": dict(self.provenance), **self.extra,
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
    kind: str  # "text" | "caption" | "signature"
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
    kind: str = "heading"

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


@dataclass(eq=False)
class Document:
    """A corpus document: its metadata, its body, and the body's structure.

    The structure (sections, paragraphs, sentences) is parsed from the body the first
    time it is asked for: a lazy corpus parses a document again for each later use,
    and several uses need only the body (anchoring a quote, finding one): parsing the
    structure was most of the cost of those reads.
    """

    meta: DocumentMeta
    body: str
    _structure: list[Section] | None = field(default=None, repr=False)
    path: Path | None = None

    @property
    def sections(self) -> list[Section]:
        if self._structure is None:
            self._structure = _sections(self.meta.id, self.body)
        return self._structure

    def __eq__(self, other: object) -> bool:  # the structure follows from id and body
        if not isinstance(other, Document):
            return NotImplemented
        return (self.meta, self.body, self.path) == (other.meta, other.body, other.path)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass was

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



_HEADING_LINE = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$")


def _numbering(heading: str) -> tuple[str, int | None]:
    """The list numbering as written (``四、``) and its value (4), if the heading has one."""
    return _list_numbering(heading)


_FRONT_DATE = re.compile(r"\d{4}(?:-(\d{2})(?:-(\d{2}))?)?")


def _front_date(value: Any, name: str) -> str:
    """The front matter's ``date`` as ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` ("" if none).

    Dates order the corpus, so ``yesterday`` or ``2021-13`` is refused with the file
    named rather than sorted somewhere arbitrary.
    """
    import datetime

    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    text = value.isoformat() if isinstance(value, datetime.date) else str(value).strip()
    m = _FRONT_DATE.fullmatch(text)
    ok = m is not None
    if m is not None and m.group(1):
        month = int(m.group(1))
        ok = 1 <= month <= 12
        if ok and m.group(2):
            try:
                datetime.date(int(text[:4]), month, int(m.group(2)))
            except ValueError:
                ok = False
    if not ok:
        raise InputError(f"date {text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD "
                         "(e.g. 2021-12 or 2021-12-30)", path=name)
    return text


def _front_period(value: Any, name: str) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        start, end = (int(v) for v in value)
    except (TypeError, ValueError):
        raise InputError(f"period {value!r} is not two years: write e.g. [2021, 2025]",
                         path=name) from None
    return start, end


def document_from_front(front: dict[str, Any], body: str, path: Path | None = None) -> Document:
    """A document from its front matter (already parsed) and its Markdown body.

    Reading the file and parsing the YAML is the store's job
    (:func:`policydiff.store.corpus.parse_document`); this keeps the model pure.
    """
    meta = meta_from_front(front, path)
    return Document(meta, body, None, path)


def meta_from_front(front: dict[str, Any], path: Path | None = None) -> DocumentMeta:
    """A document's metadata from its front matter, checked (an id, a date that is a
    date, a period of two years): all a corpus needs to list and order its documents
    without parsing their bodies."""
    name = str(path) if path else "<document>"
    if not front.get("id"):
        raise InputError("corpus file has no front matter with an id", path=name)
    period = front.get("period")
    if isinstance(period, str):
        period = [p for p in re.split(r"\s*[-–,~至]\s*", period.strip("[] ")) if p]
    known = {"id", "title", "policy", "issuer", "publisher", "date", "kind", "period",
             "source_url", "raw_file", "raw_sha256", "number", "status", "provenance"}
    return DocumentMeta(
        id=str(front["id"]),
        title=str(front.get("title") or front["id"]),
        policy=str(front.get("policy") or front.get("title") or front["id"]),
        issuer=front.get("issuer"),
        publisher=front.get("publisher"),
        date=_front_date(front.get("date"), name),
        kind=str(front.get("kind") or "official"),
        period=_front_period(period, name),
        source_url=front.get("source_url"),
        raw_file=front.get("raw_file"),
        raw_sha256=front.get("raw_sha256"),
        extra={k: v for k, v in front.items() if k not in known},
        number=str(front["number"]) if front.get("number") else None,
        status=str(front.get("status") or "final"),
        provenance=dict(front.get("provenance") or {}),
    )


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


_SIGNATURE_DATE = re.compile(
    r"^[（(]?(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年\s*"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?[）)]?$")
_ORG_LINE = re.compile(r"^[^，。；：！？,;:\s]{2,40}(政府|办公厅|办公室|委员会|委|厅|局|院|部|署|会|中心|"  # noqa: E501
                       r"办|处|集团|公司|银行|常委会|小组)$")


def _signature_indexes(blocks: list[_Block]) -> set[int]:
    """Paragraphs that are a signature: issuer lines followed by a date line."""
    out: set[int] = set()
    for i, block in enumerate(blocks):
        if block.kind != "text" or not _SIGNATURE_DATE.match(block.text):
            continue
        j = i - 1
        orgs = []
        while j >= 0 and blocks[j].kind == "text" and _ORG_LINE.match(blocks[j].text) \
                and len(orgs) < 4:
            orgs.append(j)
            j -= 1
        if orgs:
            out.update([i, *orgs])
    return out


def _paragraph(block: _Block, section_id: str, index: int, signature: bool = False
               ) -> Paragraph:
    pid = f"{section_id}/{index}"
    sentences = []
    for n, (s, e) in enumerate(sentence_spans(block.text), 1):
        text = block.text[s:e]
        stripped = text.rstrip()
        sentences.append(Sentence(f"{pid}.{n}", stripped, block.start + s,
                                  block.start + s + len(stripped), pid, section_id))
    kind = "caption" if block.kind == "caption" else ("signature" if signature else "text")
    return Paragraph(pid, block.text, block.start, block.end, kind, tuple(sentences), section_id)


_NOTICE_HEADING = re.compile(r"(印发|转发).{0,80}(通知|决定)$|的通知$")
_PREFIX = {"part": "pt", "chapter": "ch", "section": "s", "article": "a"}


def _restarts(blocks: list[_Block]) -> set[str]:
    """Legal kinds whose numbers repeat in this text (chapters per 编, articles per 章)."""
    seen: dict[str, set[int]] = {}
    out: set[str] = set()
    for block in blocks:
        if block.kind == "heading":
            m = legal_marker(block.text)
            if m is not None:
                if m.value in seen.setdefault(m.kind, set()):
                    out.add(m.kind)
                seen[m.kind].add(m.value)
    return out


def _sections(doc_id: str, body: str) -> list[Section]:
    blocks = _blocks(body)
    signature = _signature_indexes(blocks)
    if not any(b.kind == "heading" for b in blocks):
        # A press report without headings: each paragraph is a section of its own.
        sections = []
        for n, block in enumerate(blocks, 1):
            sid = f"p{n}"
            para = _paragraph(block, sid, 1, n - 1 in signature)
            sections.append(Section(sid, "", 1, "", (f"¶{n}",), block.start, block.end,
                                    (para,), None, kind="paragraph"))
        return sections

    restarts = _restarts(blocks)
    sections: list[Section] = []
    # Open headings by level: (level, id, heading, numeric path or None, kind)
    stack: list[tuple[int, str, str, tuple[int, ...] | None, str]] = []
    unnumbered = 0
    used: set[str] = set()

    def flush(head: _Block | None, sid: str, numbering: str, parent: str | None,
              path: tuple[str, ...], kind: str, paras: list[tuple[int, _Block]]) -> None:
        paragraphs = tuple(_paragraph(b, sid, i, index in signature)
                           for i, (index, b) in enumerate(paras, 1))
        if paragraphs:
            start, end = paragraphs[0].start, paragraphs[-1].end
        else:
            start = end = (head.end if head else 0)
        sections.append(Section(sid, head.text if head else "", head.level if head else 0,
                                numbering, path, start, end, paragraphs, parent,
                                head.start if head else None, kind))

    current: tuple[_Block | None, str, str, str | None, tuple[str, ...], str] | None = None
    pending: list[tuple[int, _Block]] = []
    previous_kind = ""
    for index, block in enumerate(blocks):
        if block.kind != "heading":
            if current is None:
                current = (None, "0", "", None, (), "preamble")
            pending.append((index, block))
            continue
        if current is not None:
            flush(*current, pending)
        pending = []
        while stack and stack[-1][0] >= block.level:
            stack.pop()
        legal = legal_marker(block.text)
        if legal is not None:
            # The nearest open part/chapter/section/article above this heading.
            while stack and stack[-1][4] in ("article",) and legal.kind != "article":
                stack.pop()
        parent = stack[-1] if stack else None
        numbering, value = _numbering(block.text)
        numeric: tuple[int, ...] | None = None
        if legal is not None:
            kind = legal.kind
            numbering = block.text[:legal.end]
            sid = _PREFIX[kind] + str(legal.value)
            container = next((p for p in reversed(stack) if p[4] in ("part", "chapter",
                                                                     "section")), None)
            in_chapter = kind == "section" and container is not None \
                and container[4] == "chapter"
            if container is not None and (in_chapter or kind in restarts):
                sid = f"{container[1]}.{sid}"
        elif value is not None and (parent is None or parent[3] is not None):
            kind = "heading"
            numeric = (*(parent[3] if parent else ()), value)
            sid = ".".join(str(v) for v in numeric)
        elif value is not None and parent is not None and parent[4] in LEGAL_KINDS:
            kind = "heading"
            numeric = None
            sid = f"{parent[1]}.{value}"
        else:
            unnumbered += 1
            sid = f"h{unnumbered}"
            if not sections and not stack and _NOTICE_HEADING.search(block.text):
                kind = "notice"
            elif not stack and (not sections or previous_kind == "notice"
                                or (len(sections) == 1 and sections[0].id == "0")):
                kind = "title"
            else:
                kind = "heading"
        while sid in used:  # a numbering repeated by mistake still gets a unique id
            sid += "'"
        used.add(sid)
        path = (*(p[2] for p in stack), block.text)
        stack.append((block.level, sid, block.text, numeric, kind))
        current = (block, sid, numbering, parent[1] if parent else None, path, kind)
        previous_kind = kind
    if current is not None:
        flush(*current, pending)
    return sections
