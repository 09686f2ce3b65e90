"""The alignment model: which passages of which documents speak to the same point.

Pure data shared by the store (files), the suggestion engine, the views and the
report. An :class:`Anchor` is a W3C TextQuoteSelector (quote plus a little context)
with an offset hint, so a reviewer can read the passage in the file itself and the
tool can find it again after the corpus text is corrected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["proposed", "accepted", "rejected"]
"""A reviewer's verdict on an alignment."""
STATUSES: tuple[str, ...] = ("proposed", "accepted", "rejected")
StatusFilter = Literal["accepted", "proposed", "rejected", "any"]
"""Which alignments a command looks at; ``any`` means every status."""
STATUS_FILTERS: tuple[str, ...] = ("accepted", "proposed", "rejected", "any")
ID_PATTERN = r"[a-z0-9][a-z0-9-]*"
_ID_RE = re.compile(rf"^{ID_PATTERN}$")


def valid_id(value: str) -> bool:
    """True for ids made of ``a-z``, ``0-9`` and ``-`` (safe in file names and commands)."""
    return bool(_ID_RE.match(value or ""))


@dataclass
class Anchor:
    """Where a passage is: the quoted text, its context, and an offset hint into the body."""

    exact: str
    prefix: str = ""
    suffix: str = ""
    start: int = 0

    @property
    def end(self) -> int:
        """End of the quote at the hinted offset."""
        return self.start + len(self.exact)


@dataclass
class Member:
    """One passage of one document in an alignment, or the recorded absence of one."""

    doc: str
    section: str | None = None
    anchor: Anchor | None = None
    absent: bool = False
    note: str = ""
    line: int = field(default=0, compare=False, repr=False)  # 1-based line in its file

    @property
    def quote(self) -> str:
        """The quoted text as stored in the file ("" for an absent member)."""
        return self.anchor.exact if self.anchor else ""


@dataclass
class Alignment:
    """Passages, one or more per document, that speak to the same point under a theme."""

    id: str
    theme: str
    label: str
    status: str = "proposed"
    note: str = ""
    members: list[Member] = field(default_factory=list)
    origin: str = ""  # who proposed it, e.g. "policydiff suggest (score 0.82)"
    file: str = field(default="", compare=False, repr=False)  # path relative to the project
    line: int = field(default=0, compare=False, repr=False)  # 1-based line of its ``id``

    def docs(self) -> list[str]:
        """Documents with a passage (absent members excluded), in member order."""
        return list(dict.fromkeys(m.doc for m in self.members if not m.absent))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of ``policydiff alignments --format json``."""
        return {
            "id": self.id,
            "theme": self.theme,
            "label": self.label,
            "status": self.status,
            "note": self.note,
            "members": [member_to_dict(m) for m in self.members],
        }


def member_to_dict(member: Member) -> dict[str, Any]:
    """A member as JSON: ``{doc, section, quote}``, or ``{doc, absent: true, note}``."""
    if member.absent:
        return {"doc": member.doc, "section": member.section, "quote": None, "absent": True,
                "note": member.note}
    data: dict[str, Any] = {"doc": member.doc, "section": member.section, "quote": member.quote}
    if member.anchor is not None:
        data["start"] = member.anchor.start
    if member.note:
        data["note"] = member.note
    return data


@dataclass
class Theme:
    """A theme reviewers align passages under, and the terms that define it."""

    id: str
    name_zh: str
    name_en: str
    description: str = ""
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name_zh": self.name_zh, "name_en": self.name_en,
                "description": self.description, "terms": list(self.terms)}
