"""Loading the corpus: every ``corpus/<id>.md`` of a project, in date order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policydiff.core.corpus import Corpus, LazyCorpus, date_key
from policydiff.core.document import Document, document_from_front
from policydiff.core.errors import InputError
from policydiff.store.extract import split_front_matter
from policydiff.store.project import Project, find_project


def parse_document(text: str, path: Path | None = None,
                   fronts: dict[str, dict[str, Any]] | None = None) -> Document:
    """Parse a corpus file: YAML front matter + Markdown body (``fronts``: front matter
    already parsed, by its text; see :func:`split_front_matter`)."""
    try:
        front, body = split_front_matter(text, fronts)
    except InputError as exc:
        if exc.path is None and path is not None:  # name the file, keep the line
            raise InputError(exc.message, path=str(path), line=exc.line) from None
        raise
    return document_from_front(front, body, path)


def load_document(path: str | Path, fronts: dict[str, dict[str, Any]] | None = None
                  ) -> Document:
    """Read and parse one ``corpus/<id>.md``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("corpus file is not UTF-8", path=str(path)) from None
    except FileNotFoundError:
        raise InputError("no such corpus file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a corpus file", path=str(path)) from None
    return parse_document(text, path, fronts)


def load_corpus(where: Project | str | Path | None = None, lazy: bool = False) -> Corpus:
    """Load ``corpus/*.md`` of a project (or of a corpus folder given directly).

    ``lazy``: every file is read and checked now, but documents are kept only while in
    use and parsed again when asked for (:class:`~policydiff.core.corpus.LazyCorpus`):
    for corpora too large to hold parsed (thousands of documents).
    """
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
    keys: list[tuple[tuple[str, int, str], str]] = []
    seen: dict[str, Path] = {}
    fronts: dict[str, dict[str, Any]] | None = {} if lazy else None  # parsed again later
    for path in sorted(folder.glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        doc = load_document(path, fronts)
        if doc.id in seen:
            raise InputError(f"duplicate document id {doc.id!r} (also in {seen[doc.id].name})",
                             path=str(path))
        if doc.id != path.stem:
            raise InputError(f"file name does not match its id {doc.id!r}", path=str(path))
        seen[doc.id] = path
        if lazy:
            keys.append((date_key(doc), doc.id))
        else:
            documents.append(doc)
    if lazy:
        return LazyCorpus([doc_id for _, doc_id in sorted(keys)],
                          lambda doc_id: load_document(seen[doc_id], fronts), folder)
    return Corpus(documents, folder)


__all__ = ["Corpus", "date_key", "load_corpus", "load_document", "parse_document"]
