"""Accepting a proposed member: a new document's passage joins an accepted alignment.

``policydiff suggest --write`` records a proposed member as a ``proposed`` alignment of
one member whose ``origin`` names the accepted alignment it would join
(``policydiff suggest: member of ID (score …)``), so the accepted alignment itself is
not touched until a reviewer says yes, and the schema needs no new field.
``policydiff accept ID --member DOC`` moves that member into alignment ``ID`` and
removes the proposal, in one atomic write of the theme's file (both live there);
``policydiff reject PROPOSAL-ID`` keeps it from being proposed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from policydiff.core.alignment import Alignment
from policydiff.core.errors import InputError, StoreError
from policydiff.core.suggest import MEMBER_PREFIX
from policydiff.store.alignments import AlignmentStore, alignment_to_yaml
from policydiff.store.fsutil import atomic_write_text
from policydiff.store.locking import locked
from policydiff.store.snapshot import ALIGNMENTS_DIR, read_store_text
from policydiff.store.yamltext import (
    YamlText,
    dump,
    get_key,
    parse_yaml,
    plain,
    round_trip,
    schema_problems,
)


def member_proposals(store: AlignmentStore, alignment_id: str,
                     doc: str | None = None) -> list[Alignment]:
    """Proposed members (still ``proposed``) of accepted alignment ``alignment_id``."""
    prefix = f"{MEMBER_PREFIX}{alignment_id} "
    return [a for a in store.alignments(status="proposed")
            if a.origin.startswith(prefix) and (doc is None or doc in a.docs())]


def accept_member(store: AlignmentStore, alignment_id: str, doc: str) -> tuple[Path, str]:
    """Move the proposed member of ``doc`` into ``alignment_id``; returns (file, proposal id).

    Raises :class:`InputError` when ``alignment_id`` is not accepted, already has a
    member for ``doc``, or has no (or several) proposed members for it.
    """
    target = store.get(alignment_id)
    if target.status != "accepted":
        raise InputError(f"{alignment_id} is {target.status}: --member adds to an accepted "
                         "alignment (accept it first)")
    if any(m.doc == doc for m in target.members):
        raise InputError(f"{alignment_id} already has a member for {doc}")
    found = member_proposals(store, alignment_id, doc)
    if not found:
        known = sorted({d for a in member_proposals(store, alignment_id) for d in a.docs()})
        hint = f" (proposed: {', '.join(known)})" if known else \
            " (run `policydiff suggest --write` to propose members)"
        raise InputError(f"no proposed member of {alignment_id} for {doc}{hint}")
    if len(found) > 1:
        raise InputError(f"{len(found)} proposed members of {alignment_id} for {doc} "
                         f"({', '.join(a.id for a in found)}): reject all but one first")
    proposal = found[0]
    if proposal.file != target.file:
        raise StoreError(f"the proposal {proposal.id} is in {proposal.file}, not in "
                         f"{target.file}; move it there or align by hand", path=proposal.file)
    member = next(m for m in proposal.members if m.doc == doc)
    path = store.root / target.file
    with locked(store.folder, what=f"{ALIGNMENTS_DIR}/"):
        # under the store's lock, from the file as it is now (another process may have
        # edited it since the store was read: the edit below re-finds both items)
        raw = read_store_text(path)
        crlf = "\r\n" in raw
        text = raw.replace("\r\n", "\n") if crlf else raw
        new_text = _checked_move(text, target, proposal, member)
        atomic_write_text(path, new_text.replace("\n", "\r\n") if crlf else new_text)
    return path, proposal.id


def _checked_move(text: str, target: Alignment, proposal: Alignment, member: Any) -> str:
    """``text`` with the member moved, verified to read back as intended (or an error)."""
    alignment_id = target.id
    new_text = _move_member(text, alignment_id, proposal.id,
                            alignment_to_yaml(Alignment(id="x", theme=target.theme, label="x",
                                                        members=[member]))["members"][0])
    expected = plain(round_trip().load(text))
    _expect(expected, alignment_id, proposal.id, plain(alignment_to_yaml(
        Alignment(id="x", theme=target.theme, label="x", members=[member]))["members"][0]))
    data, problems = parse_yaml(target.file, new_text)
    problems = problems or schema_problems(target.file, data, "alignments.schema.json")
    if problems or plain(data) != expected:
        raise StoreError("internal error: the edit would not read back as intended; the file "
                         "was left unchanged", path=target.file)
    return new_text


def _expect(data: Any, alignment_id: str, proposal_id: str, member: Any) -> None:
    items = data["alignments"]
    for item in items:
        if item["id"] == alignment_id:
            item["members"].append(member)
    data["alignments"] = [i for i in items if i["id"] != proposal_id]


def _move_member(text: str, alignment_id: str, proposal_id: str, member: Any) -> str:
    """``text`` with ``member`` appended to ``alignment_id``'s members and the proposal
    item cut out (minimal edits: the rest of the file is untouched)."""
    doc = YamlText(text)
    target = doc.find_alignment(alignment_id)
    proposal = doc.find_alignment(proposal_id)
    if target is None or proposal is None:
        raise StoreError("the file changed while editing it; run the command again")
    members = get_key(target, "members")
    if members is None or not members[1].value or getattr(members[1], "flow_style", False):
        raise StoreError(f"cannot edit the members of {alignment_id}: not a block list")
    last = members[1].value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    dash = text.find("-", line_start, last.start_mark.index)
    column = dash - line_start
    block = "\n".join((" " * column + line[2:] if line.startswith("  ") else
                       " " * column + line) if line else line
                      for line in dump([member]).split("\n")).rstrip("\n") + "\n"
    at = doc._line_end(doc._last_index(last))
    insert = ("" if text[at - 1] == "\n" else "\n") + block
    # the proposal: from its dash line to the next item's dash line (or its own end)
    seq = get_key(doc.root, "alignments")[1].value
    index = next(i for i, item in enumerate(seq) if item is proposal)
    cut_start = text.rfind("\n", 0, proposal.start_mark.index) + 1
    if index + 1 < len(seq):
        cut_end = text.rfind("\n", 0, seq[index + 1].start_mark.index) + 1
    else:
        cut_end = doc._line_end(doc._last_index(proposal))
    edits = sorted([(at, at, insert), (cut_start, cut_end, "")], reverse=True)
    for s, e, t in edits:
        text = text[:s] + t + text[e:]
    return text
