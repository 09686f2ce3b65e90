"""The corpus as data: documents by id, in date order.

Pure: loading the ``corpus/*.md`` files is :func:`policydiff.store.corpus.load_corpus`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

from policydiff.core.document import Document, DocumentMeta
from policydiff.core.errors import UnknownDocumentError


def date_key(doc: Document | DocumentMeta) -> tuple[str, int, str]:
    """Sort key: the last day a date can mean, then precision, then id.

    A date known only to the year (``2021``) or month (``2021-12``) is not "before" the
    days it covers: ``2021`` sorts as 2021-12-31 and ``2021-12`` as 2021-12-31, after
    every document dated on a day of that span (day < month < year at the same end).
    """
    import calendar

    parts = doc.date.split("-") if doc.date else []
    if len(parts) == 1 and parts[0].isdigit():
        end, rank = f"{parts[0]}-12-31", 2
    elif len(parts) == 2 and all(p.isdigit() for p in parts):
        last = calendar.monthrange(int(parts[0]), int(parts[1]))[1]
        end, rank = f"{parts[0]}-{parts[1]}-{last:02d}", 1
    else:
        end, rank = doc.date, 0
    return (end, rank, doc.id)


class Corpus:
    """Documents by id; iteration and :attr:`ids` are in date order."""

    def __init__(self, documents: list[Document], folder: Path | None = None):
        self.folder = folder
        self._docs = {d.id: d for d in sorted(documents, key=date_key)}

    @property
    def ids(self) -> list[str]:
        return list(self._docs)

    def get(self, doc_id: str) -> Document:
        try:
            return self._docs[doc_id]
        except KeyError:
            raise UnknownDocumentError(
                f"unknown document {doc_id!r} (known: {', '.join(self._docs) or 'none'})"
            ) from None

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._docs

    def documents(self) -> list[Document]:
        return list(self._docs.values())

    def __iter__(self) -> Iterator[Document]:
        return iter(self._docs.values())

    def __len__(self) -> int:
        return len(self._docs)


class LazyCorpus(Corpus):
    """A corpus whose documents are parsed when asked for and not kept (but a few).

    For corpora of thousands of documents: a parsed document (body, sections,
    paragraphs, sentences) takes ~15 bytes a character, so 10,000 documents held at
    once were over half a gigabyte. Work that passes over every document once (suggest's
    index keeps only the passages' texts) then holds one document at a time; a later
    ``get`` (quoting a member) parses its document again. ``load(id)`` must return the
    same document each time (the files are not expected to change meanwhile).
    """

    def __init__(self, order: list[str], load: Callable[[str], Document],
                 folder: Path | None = None, keep: int = 16):
        self.folder = folder
        self._order = list(order)  # ids, in date order (the caller sorts by date_key)
        self._known = set(self._order)
        self._load = load
        self._keep = keep
        self._recent: OrderedDict[str, Document] = OrderedDict()

    @property
    def ids(self) -> list[str]:
        return list(self._order)

    def get(self, doc_id: str) -> Document:
        doc = self._recent.get(doc_id)
        if doc is not None:
            self._recent.move_to_end(doc_id)
            return doc
        if doc_id not in self._known:
            raise UnknownDocumentError(
                f"unknown document {doc_id!r} (known: {', '.join(self._order) or 'none'})")
        doc = self._load(doc_id)
        self._recent[doc_id] = doc
        while len(self._recent) > self._keep:
            self._recent.popitem(last=False)
        return doc

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._known

    def documents(self) -> list[Document]:
        """Every document parsed at once (what a lazy corpus avoids: prefer iterating)."""
        return [self.get(doc_id) for doc_id in self._order]

    def __iter__(self) -> Iterator[Document]:
        return (self.get(doc_id) for doc_id in self._order)

    def __len__(self) -> int:
        return len(self._order)
