"""Loading the corpus: every ``corpus/<id>.md`` of a project, in date order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policydiff.core.corpus import Corpus, LazyCorpus, date_key
from policydiff.core.document import Document, DocumentMeta, document_from_front, meta_from_front
from policydiff.core.errors import InputError
from policydiff.store.extract import split_front_matter
from policydiff.store.project import Project, find_project


def parse_document(text: str, path: Path | None = None,
                   fronts: dict[str, dict[str, Any]] | None = None) -> Document:
    """Parse a corpus file: YAML front matter + Markdown body (``fronts``: front matter
    already parsed, by its text; see :func:`split_front_matter`)."""
    front, body = _front_matter(text, path, fronts)
    return document_from_front(front, body, path)


def _front_matter(text: str, path: Path | None, fronts: dict[str, dict[str, Any]] | None
                  ) -> tuple[dict[str, Any], str]:
    """:func:`split_front_matter`, its errors naming the file."""
    try:
        return split_front_matter(text, fronts)
    except InputError as exc:
        if exc.path is None and path is not None:  # name the file, keep the line
            raise InputError(exc.message, path=str(path), line=exc.line) from None
        raise


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError("corpus file is not UTF-8", path=str(path)) from None
    except FileNotFoundError:
        raise InputError("no such corpus file", path=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a corpus file", path=str(path)) from None


def load_document(path: str | Path, fronts: dict[str, dict[str, Any]] | None = None
                  ) -> Document:
    """Read and parse one ``corpus/<id>.md``."""
    path = Path(path)
    return parse_document(_read(path), path, fronts)


def _load_meta(path: Path, fronts: dict[str, dict[str, Any]]) -> DocumentMeta:
    """Read one ``corpus/<id>.md`` and check its front matter, leaving the body unparsed
    (a lazy corpus parses it when the document is used: parsing every body here too was
    a third of loading 10,000 documents). The body's parse cannot fail."""
    front, _ = _front_matter(_read(path), path, fronts)
    return meta_from_front(front, path)


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
        doc = _load_meta(path, fronts) if fronts is not None else load_document(path)
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
