"""The corpus: every ``corpus/<id>.md`` of a project, in date order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from policydiff.core.document import Document, load_document
from policydiff.core.errors import InputError, UnknownDocumentError
from policydiff.store.project import Project, find_project


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


def load_corpus(where: Project | str | Path | None = None) -> Corpus:
    """Load ``corpus/*.md`` of a project (or of a corpus folder given directly)."""
    if isinstance(where, Project):
        folder = where.corpus_dir
    elif where is None:
        folder = find_project().corpus_dir
    else:
        folder = Path(where)
        if (folder / "corpus").is_dir():
            folder = folder / "corpus"
    if not folder.is_dir():
        raise InputError("corpus folder not found", path=str(folder))
    documents = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        doc = load_document(path)
        if doc.id in seen:
            raise InputError(f"duplicate document id {doc.id!r} (also in {seen[doc.id].name})",
                             path=str(path))
        if doc.id != path.stem:
            raise InputError(f"file name does not match its id {doc.id!r}", path=str(path))
        seen[doc.id] = path
        documents.append(doc)
    return Corpus(documents, folder)
