"""The corpus as data: documents by id, in date order.

Pure: loading the ``corpus/*.md`` files is :func:`policydiff.store.corpus.load_corpus`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from policydiff.core.document import Document
from policydiff.core.errors import UnknownDocumentError


def date_key(doc: Document) -> tuple[str, str]:
    """Sort key: date (a year sorts before dates within it), then id."""
    return (doc.date, doc.id)


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
