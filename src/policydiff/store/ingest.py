"""Ingest raw sources into the versioned corpus.

``corpus/raw/`` keeps byte-identical copies of what was received; ``corpus/sources.yaml``
(the manifest, reviewer-editable, comments kept) says which raw file is which document
and carries metadata the raw text does not (policy, issuer, date precision, layout
hints for OCR). ``corpus/<id>.md`` is generated from the two, deterministically, so
re-running ingest on ``corpus/raw/`` regenerates the corpus byte for byte.

Everything is computed in memory and validated before anything is written, and each
write is atomic: a bad source never leaves a half-written corpus file.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from policydiff.core.errors import InputError
from policydiff.store import reuse_index
from policydiff.store.extract import Extracted, extract
from policydiff.store.fsutil import atomic_write_bytes, atomic_write_text
from policydiff.store.project import Project

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
KINDS = ("official", "press")
DATE_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
FRONT_MATTER_KEYS = ("id", "title", "policy", "issuer", "publisher", "date", "kind", "period",
                     "source_url", "raw_file", "raw_sha256", "original_title", "byline",
                     "editor", "shape")


def validate_id(doc_id: str) -> str:
    """Document ids are lowercase ``[a-z0-9-]``: safe as file names, no path tricks."""
    if not ID_PATTERN.match(doc_id or ""):
        raise InputError(f"invalid document id {doc_id!r}: use lowercase letters, digits and '-'"
                         " (e.g. 2022-lingang-plan)")
    return doc_id


def validate_date(date: str) -> str:
    """Dates keep their real precision: ``2017``, ``2021-12`` or ``2021-11-05``."""
    if not DATE_PATTERN.match(date):
        raise InputError(f"invalid date {date!r}: use YYYY, YYYY-MM or YYYY-MM-DD")
    parts = [int(p) for p in date.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise InputError(f"invalid date {date!r}: {exc}") from None
    return date


# --- manifest ----------------------------------------------------------------------


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_manifest(project: Project) -> Any:
    """The manifest as a ruamel round-trip structure (a list of source entries)."""
    path = project.manifest_path
    if not path.exists():
        from ruamel.yaml.comments import CommentedMap, CommentedSeq

        data = CommentedMap()
        data["sources"] = CommentedSeq()
        return data
    from ruamel.yaml.error import YAMLError

    try:
        data = _yaml().load(path.read_text(encoding="utf-8"))
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"malformed manifest: {getattr(exc, 'problem', exc)}",
                         path=str(path), line=(mark.line + 1) if mark else None) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list):
        raise InputError("manifest must be a mapping with a 'sources' list", path=str(path))
    return data


def dump_manifest(data: Any) -> str:
    buffer = io.StringIO()
    _yaml().dump(data, buffer)
    return buffer.getvalue()


# --- rendering the corpus file -----------------------------------------------------


@dataclass
class Rendered:
    """A corpus file ready to be written."""

    doc_id: str
    text: str
    entry: dict[str, Any]


def render_corpus_file(meta: dict[str, Any], extracted: Extracted) -> str:
    """Front matter (fixed key order) and the Markdown body of one document."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    front = CommentedMap()
    for key in FRONT_MATTER_KEYS:
        value = meta.get(key)
        if value is None and key not in ("source_url",):
            continue
        if key == "period" and value is not None:
            seq = CommentedSeq(list(value))
            seq.fa.set_flow_style()
            value = seq
        front[key] = value
    buffer = io.StringIO()
    yaml = _yaml()
    yaml.dump(front, buffer)
    lines: list[str] = []
    for block in extracted.blocks:
        if block.kind == "heading":
            lines.append("#" * max(1, min(block.level, 6)) + " " + block.text)
        elif block.kind == "caption":
            lines.append("> " + block.text)
        else:
            text = block.text
            if text.startswith(("#", ">")):
                text = "\\" + text
            lines.append(text)
    return "---\n" + buffer.getvalue() + "---\n\n" + "\n\n".join(lines) + "\n"


def _date_from_source(extracted: Extracted) -> str | None:
    raw = extracted.meta.get("source_date")
    if isinstance(raw, dt.datetime | dt.date):
        return raw.strftime("%Y-%m-%d")
    if isinstance(raw, str):
        try:
            return email.utils.parsedate_to_datetime(raw).strftime("%Y-%m-%d")
        except (TypeError, ValueError):
            m = re.match(r"(\d{4})-(\d{2})-(\d{2})", raw)
            return m.group(0) if m else None
    return None


def build_document(raw: bytes, raw_name: str, entry: dict[str, Any]) -> Rendered:
    """Extract and render one source from its raw bytes and manifest entry (pure)."""
    doc_id = validate_id(str(entry.get("id", "")))
    extracted = extract(raw, raw_name, hints=entry.get("layout"))
    meta: dict[str, Any] = {"id": doc_id}
    title = (entry.get("title") or extracted.meta.get("source_title")
             or extracted.meta.get("title") or extracted.meta.get("original_title")
             or Path(raw_name).stem)
    meta["title"] = str(title)
    meta["policy"] = str(entry.get("policy") or meta["title"])
    meta["issuer"] = entry.get("issuer")
    meta["publisher"] = entry.get("publisher") or extracted.meta.get("source_author")
    date = entry.get("date") or _date_from_source(extracted)
    if not date:
        raise InputError(f"no date for {doc_id}: pass --date YYYY[-MM[-DD]]")
    meta["date"] = validate_date(str(date))
    kind = entry.get("kind") or ("press" if extracted.shape in ("html", "ocr") else "official")
    if kind not in KINDS:
        raise InputError(f"invalid kind {kind!r}: use official or press")
    meta["kind"] = kind
    period = entry.get("period")
    if period is not None:
        if not (isinstance(period, list | tuple) and len(period) == 2
                and all(isinstance(p, int) for p in period)):
            raise InputError(f"invalid period {period!r}: use [START_YEAR, END_YEAR]")
        meta["period"] = [int(p) for p in period]
    meta["source_url"] = entry.get("source_url")
    meta["raw_file"] = f"raw/{raw_name}"
    meta["raw_sha256"] = hashlib.sha256(raw).hexdigest()
    for key in ("original_title", "byline", "editor"):
        if extracted.meta.get(key):
            meta[key] = extracted.meta[key]
    meta["shape"] = extracted.shape
    return Rendered(doc_id, render_corpus_file(meta, extracted), dict(entry))


# --- commands ----------------------------------------------------------------------


def regenerate(project: Project, raw_dir: Path | None = None) -> list[Path]:
    """Rebuild every manifest entry whose raw file is in ``raw_dir`` (default corpus/raw)."""
    raw_dir = (raw_dir or project.raw_dir).resolve()
    manifest = load_manifest(project)
    rendered: list[Rendered] = []
    for entry in manifest["sources"]:
        raw_path = project.raw_dir / str(entry.get("raw", ""))
        if raw_path.resolve().parent != raw_dir and raw_dir != project.raw_dir.resolve():
            continue
        if not raw_path.is_file():
            raise InputError(f"raw file of {entry.get('id')} is missing", path=str(raw_path))
        rendered.append(build_document(raw_path.read_bytes(), raw_path.name, entry))
    if not rendered:
        raise InputError(f"no manifest entries for raw files in {raw_dir}",
                         path=str(project.manifest_path))
    written = []
    for item in rendered:
        target = project.corpus_dir / f"{item.doc_id}.md"
        if not target.exists() or target.read_text(encoding="utf-8") != item.text:
            atomic_write_text(target, item.text)
        written.append(target)
    return written


def ingest_file(project: Project, path: Path, doc_id: str, *, force: bool = False,
                **fields: Any) -> Path:
    """Add one new source: copy it to corpus/raw/, record it in the manifest, render it."""
    validate_id(doc_id)
    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a folder; to regenerate the corpus pass corpus/raw/", path=str(path))
    raw = path.read_bytes()
    manifest = load_manifest(project)
    sources = manifest["sources"]
    existing = [i for i, e in enumerate(sources) if e.get("id") == doc_id]
    target = project.corpus_dir / f"{doc_id}.md"
    if (existing or target.exists()) and not force:
        raise InputError(f"document id {doc_id!r} already exists; pass --force to replace it")
    raw_target = project.raw_dir / path.name
    if raw_target.exists() and raw_target.resolve() != path.resolve() \
            and raw_target.read_bytes() != raw and not force:
        raise InputError(f"a different raw file named {path.name} is already in corpus/raw/; "
                         "rename the file or pass --force")
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["id"] = doc_id
    entry["raw"] = path.name
    for key in ("title", "policy", "issuer", "publisher", "date", "kind", "source_url"):
        if fields.get(key):
            entry[key] = fields[key]
    if fields.get("period"):
        entry["period"] = list(fields["period"])
    rendered = build_document(raw, path.name, entry)  # raises before anything is written
    if existing:
        sources[existing[0]] = entry
    else:
        sources.append(entry)
    manifest_text = dump_manifest(manifest)
    if raw_target.resolve() != path.resolve():
        project.raw_dir.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(raw_target, raw)
    atomic_write_text(target, rendered.text)
    atomic_write_text(project.manifest_path, manifest_text)
    reuse_index.document_written(project, target)  # keep the reuse index current
    return target
