"""Which policies a document cites: 《…》 titles and document numbers (文号).

A citation is resolved to a corpus document when its normalised title, policy name
or number matches; the rest is the reading list — what an analyst should fetch
next. Short back-references (《实施意见》, 《行动方案》: the document naming itself
or the one it just named) are not citations.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from policydiff.core.document import DocumentMeta

_TITLE = re.compile(r"《([^《》\n]{2,120})》")
# 沪府办发〔2017〕66号, 国发〔2017〕35号, 浦府〔2021〕8号: issuer code, year, serial.
_OPEN, _CLOSE = r"[〔［\[(（]", r"[〕］\])）]"
_NUMBER = re.compile(rf"([\u4e00-\u9fff]{{1,10}}?[发办函字令])?\s*{_OPEN}\s*(\d{{4}})\s*{_CLOSE}"
                     r"\s*(\d{1,4})\s*号")
_ISSUER_CODE = re.compile(rf"([\u4e00-\u9fff]{{1,8}})\s*{_OPEN}\s*\d{{4}}\s*{_CLOSE}"
                          r"\s*\d{1,4}\s*号")
MIN_TITLE = 6  # shorter 《…》 are back-references to a title already given
_PUNCT = re.compile(r"[\s“”\"'‘’《》〈〉「」『』（）()、，,·•—\-–~～]")


def normalise_title(title: str) -> str:
    """Title for matching: no spaces, quotes, brackets or dashes; 〔〕 as []."""
    return _PUNCT.sub("", title or "")


_LEADING = ("根据", "按照", "依据", "参照", "关于", "印发", "转发", "落实", "贯彻",
            "和", "与", "及", "的", "见", "即", "文")


def _trim_code(prefix: str) -> str:
    """The issuer code alone: 根据国发 → 国发, 和沪府办发 → 沪府办发 (codes are ≤ 6 characters)."""
    changed = True
    while changed and len(prefix) > 1:
        changed = False
        for word in _LEADING:
            if prefix.startswith(word) and len(prefix) > len(word):
                prefix, changed = prefix[len(word):], True
                break
    return prefix[-6:]


def normalise_number(number: str) -> str:
    m = _NUMBER.search(number or "")
    if not m:
        return ""
    code = _ISSUER_CODE.search(number)
    prefix = _trim_code(code.group(1) if code else (m.group(1) or ""))
    return f"{prefix}〔{m.group(2)}〕{int(m.group(3))}号"


@dataclass(frozen=True)
class Citation:
    """One cited policy: how it is written, where it first occurs, what it resolves to."""

    kind: str  # "title" | "number"
    text: str
    start: int
    times: int
    target: str = ""  # corpus document id, '' when not in the corpus

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "times": self.times,
                "target": self.target}


def extract_citations(body: str) -> list[Citation]:
    """Titles and numbers in ``body``, each once (with how often), in order of first use."""
    found: dict[tuple[str, str], list[int]] = {}
    for m in _TITLE.finditer(body):
        title = m.group(1).strip()
        if len(normalise_title(title)) >= MIN_TITLE:
            found.setdefault(("title", title), []).append(m.start())
    for m in _ISSUER_CODE.finditer(body):
        number = normalise_number(m.group(0))
        if number:
            found.setdefault(("number", number), []).append(m.start())
    out = [Citation(kind, text, pos[0], len(pos)) for (kind, text), pos in found.items()]
    return sorted(out, key=lambda c: (c.start, c.kind))


def _keys(meta: DocumentMeta) -> tuple[set[str], set[str]]:
    titles = set()
    for t in (meta.policy, meta.title, str(meta.extra.get("original_title") or "")):
        if t:
            bare = _NUMBER.sub("", t)  # 意见（沪府办发〔2017〕66号） → 意见
            for cand in (t, bare):
                norm = normalise_title(cand)
                if len(norm) >= MIN_TITLE:
                    titles.add(norm)
    numbers = {normalise_number(str(meta.extra.get("number") or ""))}
    for t in (meta.policy, meta.title):
        numbers.add(normalise_number(t or ""))
    numbers.discard("")
    return titles, numbers


CitationIndex = list[tuple[bool, str, set[str], set[str]]]


def citation_index(metas: Iterable[DocumentMeta]) -> CitationIndex:
    """What :func:`resolve_citations` matches against, built once for many calls."""
    index = []
    for meta in metas:
        titles, numbers = _keys(meta)
        index.append((meta.kind != "official", meta.id, titles, numbers))
    index.sort()
    return index


def resolve_citations(citations: Iterable[Citation],
                      metas: Iterable[DocumentMeta] | CitationIndex) -> list[Citation]:
    """Each citation with ``target`` set to the corpus document it names, if any.

    A title matches a document whose normalised policy name or title equals it, or
    contains it / is contained in it when the shorter is at least 10 characters.
    Official texts are preferred to press reports of the same policy.
    """
    metas = list(metas)
    index = (metas if metas and isinstance(metas[0], tuple)
             else citation_index(metas))  # type: ignore[arg-type]
    out = []
    for c in citations:
        target = ""
        if c.kind == "number":
            target = next((i for _, i, _, nums in index if c.text in nums), "")
        else:
            norm = normalise_title(c.text)
            target = next((i for _, i, titles, _ in index if norm in titles), "")
            if not target:
                target = next((i for _, i, titles, _ in index for t in titles
                               if min(len(t), len(norm)) >= 10 and (norm in t or t in norm)), "")
        out.append(Citation(c.kind, c.text, c.start, c.times, target))
    return out
