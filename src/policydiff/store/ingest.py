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

import contextlib
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
from policydiff.store.fsutil import atomic_write_text
from policydiff.store.project import Project

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
KINDS = ("official", "press")
DATE_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
FRONT_MATTER_KEYS = ("id", "title", "policy", "issuer", "publisher", "number", "date", "status",
                     "kind", "period", "source_url", "raw_file", "raw_sha256", "original_title",
                     "byline", "editor", "cites", "shape", "provenance")
#: Fields read from the text (core.metadata) that an option or the manifest can override.
INFERRED = ("title", "policy", "issuer", "publisher", "number", "date", "status", "kind",
            "period")
STATUSES = ("draft", "final")


def validate_id(doc_id: str) -> str:
    """Document ids are lowercase ``[a-z0-9-]``: safe as file names, no path tricks."""
    if not ID_PATTERN.fullmatch(doc_id or ""):  # hostile: fullmatch ("$" allows a newline)
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

    text = path.read_text(encoding="utf-8")
    from policydiff.store.limits import refuse_aliases  # hostile: manifest without aliases

    refuse_aliases(text, path)
    try:
        data = _yaml().load(text)
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


def _text_blocks(extracted: Extracted) -> list[Any]:
    from policydiff.core.textstructure import TextBlock

    return [TextBlock(b.kind if b.kind == "heading" else "paragraph", b.text, b.level,
                      extracted.roles.get(i, "")) for i, b in enumerate(extracted.blocks)]


def _source_meta(extracted: Extracted) -> dict[str, Any]:
    out = dict(extracted.meta)
    raw = out.get("source_date")
    if isinstance(raw, dt.datetime | dt.date):
        out["source_date"] = raw.strftime("%Y-%m-%d")
    elif isinstance(raw, str):
        with contextlib.suppress(TypeError, ValueError):
            out["source_date"] = email.utils.parsedate_to_datetime(raw).strftime("%Y-%m-%d")
    if extracted.shape == "html" and out.get("title") and not out.get("source_title"):
        out["source_title"] = out["title"]
    out.pop("title", None)
    if out.get("source_author"):
        out.setdefault("publisher", out["source_author"])
    return out


def check_one_policy_text(extracted: Extracted, name: str) -> None:
    """Refuse what is not one Chinese policy text: a list page, another script, two texts."""
    from policydiff.core.outline import legal_marker

    text = "".join(b.text for b in extracted.blocks)
    letters = [ch for ch in text if ch.isalpha()]
    cjk = sum(1 for ch in letters if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")
    if letters and cjk / len(letters) < 0.2:
        raise InputError("the text is not in Chinese script (policydiff reads Chinese policy "
                         "texts; was the file decoded with the wrong encoding?)", path=name)
    running = [b for b in extracted.blocks if b.kind == "paragraph"
               and re.search(r"[。！？；!?;]", b.text)]
    if not running:
        raise InputError("no running text (no paragraph with a full sentence): this looks like "
                         "a site's index or list page, not a policy text", path=name)
    # Articles are numbered through a whole law (chapters may restart in every 编): 第一条
    # appearing again means a second text.
    restarts = 0
    last = 0
    for b in extracted.blocks:
        m = legal_marker(b.text)
        if m is None or (b.kind != "heading" and m.value != 1):
            continue
        if m.kind == "article":
            if m.value == 1 and last > 1:
                restarts += 1
            last = m.value
    notices = sum(1 for i, role in extracted.roles.items() if role == "notice")
    if restarts or notices > 1:
        count = restarts + 1 if restarts else notices
        raise InputError(f"the file seems to hold {count} documents (第一条 starts again, or a "
                         "second notice title): split it and ingest each text on its own",
                         path=name)


@dataclass
class Built(Rendered):
    """A rendered document and the warnings its metadata raised."""

    warnings: list[str] | None = None


def build_document(raw: bytes, raw_name: str, entry: dict[str, Any]) -> Built:
    """Extract and render one source from its raw bytes and manifest entry (pure).

    Every metadata field is read from the text (:func:`policydiff.core.metadata.infer`)
    unless the manifest entry (or the command-line option stored in it) gives it;
    ``provenance`` in the front matter records where each value came from.
    """
    from policydiff.core.metadata import infer, period_of

    doc_id = validate_id(str(entry.get("id", "")))
    extracted = extract(raw, raw_name, hints=entry.get("layout"))
    check_one_policy_text(extracted, raw_name)
    source = _source_meta(extracted)
    inferred = infer(_text_blocks(extracted), extracted.found, source, Path(raw_name).stem)
    values, provenance = dict(inferred.values), dict(inferred.provenance)
    if source.get("publisher") and "publisher" not in values:
        values["publisher"], provenance["publisher"] = source["publisher"], "source:metadata"
    for key in INFERRED:
        if entry.get(key) not in (None, ""):
            values[key] = entry[key]
            provenance[key] = "option"
    from policydiff.core.metadata import policy_key

    if not entry.get("policy") and entry.get("title") and \
            inferred.values.get("policy") == policy_key(str(inferred.values.get("title"))):
        values["policy"] = policy_key(str(entry["title"]))  # the policy follows the title
        provenance["policy"] = "option"
    meta: dict[str, Any] = {"id": doc_id, "title": str(values["title"]),
                            "policy": str(values.get("policy") or values["title"])}
    meta["issuer"] = values.get("issuer")
    meta["publisher"] = values.get("publisher")
    meta["number"] = values.get("number")
    date = values.get("date")
    if not date:
        raise InputError(f"no date for {doc_id}: nothing in the text gives one; "
                         "pass --date YYYY[-MM[-DD]]")
    meta["date"] = validate_date(str(date))
    status = str(values.get("status") or "final")
    if status not in STATUSES:
        raise InputError(f"invalid status {status!r}: use draft or final")
    meta["status"] = status
    kind = values.get("kind") or "official"
    if kind not in KINDS:
        raise InputError(f"invalid kind {kind!r}: use official or press")
    meta["kind"] = kind
    period = values.get("period")
    if period is None and provenance.get("policy") == "option":
        found = period_of(meta["policy"])
        period = list(found) if found else None
    if period is not None:
        if not (isinstance(period, list | tuple) and len(period) == 2
                and all(isinstance(p, int) for p in period)):
            raise InputError(f"invalid period {period!r}: use [START_YEAR, END_YEAR]")
        meta["period"] = [int(p) for p in period]
        if meta["period"][0] > meta["period"][1]:  # hostile: 2025-2020 is a typo
            raise InputError(f"invalid period {period[0]}-{period[1]}: the start year is after "
                             "the end year")
    meta["source_url"] = entry.get("source_url")
    meta["raw_file"] = f"raw/{raw_name}"
    meta["raw_sha256"] = hashlib.sha256(raw).hexdigest()
    for key in ("original_title", "byline", "editor"):
        if extracted.meta.get(key):
            meta[key] = extracted.meta[key]
    if entry.get("cites"):
        meta["cites"] = [str(c) for c in entry["cites"]]
    meta["shape"] = extracted.shape
    meta["provenance"] = {k: provenance[k] for k in INFERRED if k in provenance
                          and meta.get(k) is not None}
    return Built(doc_id, render_corpus_file(meta, extracted), dict(entry), inferred.warnings)


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


SUPPORTED = (".txt", ".md", ".html", ".htm", ".docx")


def id_from_name(path: Path, raw: bytes) -> str:
    """A document id from a file name (``Lingang Plan 2022.txt`` → ``lingang-plan-2022``).

    A name with no Latin letters or digits (``关于印发….txt``) gets ``doc-`` and the start
    of the file's SHA-256, so the id is stable for the same bytes.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")[:60].strip("-")
    if not slug or (not re.search(r"[a-z]", slug) and len(slug) < 4):
        slug = "doc-" + hashlib.sha256(raw).hexdigest()[:8]
    return slug


def read_source(path: Path) -> bytes:
    """A source's bytes, refusing folders, devices, FIFOs, huge files and endless reads."""
    from policydiff.store.limits import read_bytes_limited

    if not path.exists():
        raise InputError("no such file", path=str(path))
    if path.is_dir():
        raise InputError("is a folder; to regenerate the corpus pass corpus/raw/", path=str(path))
    return read_bytes_limited(path, what="source")


@dataclass
class Planned:
    """One source ready to be written: raw bytes, manifest entry, rendered corpus file."""

    path: Path
    raw: bytes
    entry: Any
    built: Built
    replace: int | None  # index of the manifest entry it replaces
    raw_name: str = ""  # its name in corpus/raw/ (the document id + the source's extension)


def plan_ingest(project: Project, path: Path, doc_id: str, manifest: Any, *,
                force: bool = False, taken: set[str] | None = None,
                reset_metadata: bool = False, raw: bytes | None = None,
                **fields: Any) -> Planned:
    """Everything about adding one source, computed in memory (raises InputError).

    Raw files are stored under the document's id, never another document's name; with
    ``force`` the curated fields of the old manifest entry are kept unless
    ``reset_metadata`` (or the caller gives them again).
    """
    from policydiff.store.transactions import merge_entry, raw_name

    validate_id(doc_id)
    if raw is None:
        raw = read_source(path)
    sources = manifest["sources"]
    existing = [i for i, e in enumerate(sources) if e.get("id") == doc_id]
    target = project.corpus_dir / f"{doc_id}.md"
    if (existing or target.exists() or doc_id in (taken or set())) and not force:
        raise InputError(f"document id {doc_id!r} already exists; pass --force to replace it")
    stored_name = raw_name(doc_id, path)
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap()
    entry["id"] = doc_id
    entry["raw"] = stored_name
    for key in ("title", "policy", "issuer", "publisher", "number", "date", "status", "kind",
                "source_url"):
        if fields.get(key):
            entry[key] = fields[key]
    if fields.get("period"):
        entry["period"] = list(fields["period"])
    entry = merge_entry(sources[existing[0]] if existing else None, entry,
                        reset=reset_metadata)
    try:
        built = build_document(raw, stored_name, entry)
    except InputError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise
    return Planned(path, raw, entry, built, existing[0] if existing else None, stored_name)


def write_planned(project: Project, manifest: Any, plans: list[Planned]) -> list[Path]:
    """Write raw copies, corpus files and then the manifest: all or nothing.

    Call under :func:`policydiff.store.transactions.manifest_lock`. A journal records
    what each file held before, so a crash half-way is rolled back by the next ingest.
    """
    from policydiff.store.transactions import ingest_transaction

    sources = manifest["sources"]
    for plan in plans:
        if plan.replace is not None:
            sources[plan.replace] = plan.entry
        else:
            sources.append(plan.entry)
    manifest_text = dump_manifest(manifest)
    writes: dict[Path, bytes | str] = {}
    written = []
    for plan in plans:
        raw_target = project.raw_dir / (plan.raw_name or plan.path.name)
        if raw_target.resolve() != plan.path.resolve():
            project.raw_dir.mkdir(parents=True, exist_ok=True)
            writes[raw_target] = plan.raw
        target = project.corpus_dir / f"{plan.built.doc_id}.md"
        writes[target] = plan.built.text
        written.append(target)
    ingest_transaction(project, ",".join(p.built.doc_id for p in plans), writes, manifest_text)
    for target in written:
        reuse_index.document_written(project, target)  # keep the reuse index current
    return written


def ingest_file(project: Project, path: Path, doc_id: str, *, force: bool = False,
                reset_metadata: bool = False, **fields: Any) -> Path:
    """Add one new source: copy it to corpus/raw/, record it in the manifest, render it.

    The manifest's read-modify-write runs under its lock, after rolling back any
    ingest a crash interrupted.
    """
    from policydiff.store.transactions import manifest_lock, recover

    with manifest_lock(project):
        recover(project)
        manifest = load_manifest(project)
        plan = plan_ingest(project, path, doc_id, manifest, force=force,
                           reset_metadata=reset_metadata, **fields)
        return write_planned(project, manifest, [plan])[0]
