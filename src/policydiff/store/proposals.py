"""Writing suggestions to the alignment store as ``proposed`` alignments, idempotently.

Finding suggestions is pure (:mod:`policydiff.core.suggest`); this is the write side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from policydiff.core.alignment import Alignment
from policydiff.core.corpus import Corpus
from policydiff.core.suggest import (
    MEMBER_PREFIX,
    SpansMemo,
    Suggestion,
    alignments_spans,
    extra_members,
    find_existing,
    member_anchors,
    suggestion_spans,
)
from policydiff.store.alignments import as_editor
from policydiff.store.snapshot import AlignmentSnapshot


@dataclass
class WriteResult:
    """What ``--write`` did: suggestion id -> id written, and suggestions skipped with the
    alignment they match."""

    added: dict[str, str] = field(default_factory=dict)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (suggestion, id, status)


def record(store: AlignmentSnapshot, corpus: Corpus,
           suggestions: Sequence[Suggestion], memo: SpansMemo | None = None) -> WriteResult:
    """Add ``suggestions`` to ``store`` as ``proposed``, idempotently.

    A suggestion that matches an alignment already in the store (see
    :func:`same_alignment`; whatever its status, so a rejected alignment is never
    proposed again) is skipped, as is one matching a suggestion added earlier in
    the same call. All new alignments are written in one batch: each theme's file is
    read, verified and written once, however many suggestions it receives. ``memo``:
    where the caller already found stored alignments' members (those unchanged on disk
    since are not resolved again).
    """
    editor = as_editor(store)
    with editor.batch():
        return _record(editor, corpus, suggestions, memo)


def _record(store, corpus: Corpus, suggestions: Sequence[Suggestion],
            memo: SpansMemo | None) -> WriteResult:
    existing = list(store.alignments())
    spans = alignments_spans(existing, corpus, memo)
    ids = {a.id for a in existing}
    result = WriteResult()
    queue = list(suggestions)
    chosen: list[tuple[Suggestion, str]] = []
    while queue:  # which to write, and under which ids (anchors only for those)
        suggestion = queue.pop(0)
        match = find_existing(suggestion, existing, spans)
        if match is None and suggestion.extends:
            match = _same_member(suggestion, existing, spans)
        if match is not None:
            result.skipped.append((suggestion.id, match.id, match.status))
            if match.status == "accepted" and not suggestion.extends:
                queue.extend(extra_members(suggestion, match))
            continue
        new_id, n = suggestion.id, 2
        while new_id in ids:
            new_id = f"{suggestion.id}-{n}"
            n += 1
        ids.add(new_id)
        # what a later suggestion of this call is compared with (members not needed)
        existing.append(Alignment(id=new_id, theme=suggestion.theme, label=suggestion.label,
                                  status="proposed", origin=suggestion.origin()))
        spans[new_id] = suggestion_spans(suggestion)
        chosen.append((suggestion, new_id))
    # each member's document read once, and only for the suggestions written (a run
    # that finds them all in the store reads none)
    anchors = member_anchors([s for s, _ in chosen], corpus)
    for suggestion, new_id in chosen:
        alignment = suggestion.to_alignment(corpus, anchors)
        alignment.id = new_id
        store.add(alignment)
        result.added[suggestion.id] = new_id
    return result


def _same_member(suggestion: Suggestion, existing, spans):
    """A stored proposal (any status) for the same member of the same alignment."""
    mine = suggestion_spans(suggestion)
    for alignment in existing:
        if not alignment.origin.startswith(f"{MEMBER_PREFIX}{suggestion.extends} "):
            continue
        theirs = spans.get(alignment.id, {})
        if set(theirs) & set(mine):
            return alignment
    return None
