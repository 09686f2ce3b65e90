"""Adversarial corpus edits for anchors: the quoted sentence copied elsewhere.

Used by ``tests/core/test_anchors_adversarial.py`` and ``benchmarks/bench_anchors.py``.

Random edits (``anchor_edits``) rarely put the same words in two places;
a reviser does it all the time: a new heading repeats the paragraph's key
sentence, a summary paragraph copies it, the original is reworded and a verbatim
copy stays elsewhere, or the original goes and only a copy is left. For every
anchor and every kind of edit, the resolver must land on the original passage
(wherever it moved, however edited) or orphan it: **never** on the copy.

``adversarial`` builds the cases from the real corpus (sentences quoted from
paragraphs, picked with a fixed seed) and ``benchmarks/bench_anchors.py
--adversarial`` prints the matrix reported in ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from policydiff.core.alignment import Anchor
from policydiff.core.anchors import make_anchor, resolve_anchor

SENTENCE = re.compile(r"[^。；！？\n]{10,88}[。；！？]")


@dataclass(frozen=True)
class Case:
    """One anchor after one edit: where its original passage is now (None: deleted)."""

    kind: str
    doc: str
    anchor: Anchor
    body: str
    truth: tuple[int, int] | None


def pick_anchors(bodies: dict[str, str], count: int = 57, seed: int = 0,
                 ) -> list[tuple[str, int, int]]:
    """Sentences of body paragraphs (not headings) that occur once, spread over documents."""
    rng = random.Random(seed)
    per_doc: dict[str, list[tuple[int, int]]] = {}
    for doc, body in bodies.items():
        found = []
        for m in SENTENCE.finditer(body):
            line_start = body.rfind("\n", 0, m.start()) + 1
            if body.startswith("#", line_start) or body.count(m.group()) != 1:
                continue
            found.append((m.start(), m.end()))
        rng.shuffle(found)
        per_doc[doc] = found
    picked: list[tuple[str, int, int]] = []
    docs = sorted(per_doc)
    while len(picked) < count and any(per_doc.values()):
        for doc in docs:
            if per_doc[doc] and len(picked) < count:
                start, end = per_doc[doc].pop()
                picked.append((doc, start, end))
    return picked


def _paragraph(body: str, start: int) -> tuple[int, int]:
    a = body.rfind("\n\n", 0, start)
    a = 0 if a < 0 else a + 2
    b = body.find("\n\n", start)
    return a, (len(body) if b < 0 else b)


def _far_place(body: str, start: int, end: int, rng: random.Random) -> int:
    """A sentence end at least 300 characters from the quote (or the farthest one)."""
    ends = [m.end() for m in re.finditer(r"[。；]", body)]
    far = [e for e in ends if e < start - 300 or e > end + 300]
    if far:
        return rng.choice(far)
    return max(ends, key=lambda e: min(abs(e - start), abs(e - end)))


def _reword(quote: str) -> str:
    """The original reworded a little: a figure changed, or a word added mid-sentence."""
    digits = [i for i, ch in enumerate(quote) if ch.isdigit()]
    if digits:
        i = digits[len(digits) // 2]
        return quote[:i] + str((int(quote[i]) + 5) % 10) + quote[i + 1:]
    mid = len(quote) // 2
    return quote[:mid] + "进一步" + quote[mid:]


def _insert(body: str, pos: int, text: str, truth: tuple[int, int] | None,
            ) -> tuple[str, tuple[int, int] | None]:
    body = body[:pos] + text + body[pos:]
    if truth is not None and pos <= truth[0]:
        truth = (truth[0] + len(text), truth[1] + len(text))
    return body, truth


def _replace(body: str, start: int, end: int, text: str) -> tuple[str, tuple[int, int]]:
    return body[:start] + text + body[end:], (start, start + len(text))


Edit = Callable[[str, int, int, random.Random], tuple[str, tuple[int, int] | None]]


def _heading_copy(body, s, e, rng):
    a, _ = _paragraph(body, s)
    return _insert(body, a, f"## {body[s:e]}\n\n", (s, e))


def _edit_heading_copy(body, s, e, rng):
    quote = body[s:e]
    body, truth = _replace(body, s, e, _reword(quote))
    a, _ = _paragraph(body, truth[0])
    return _insert(body, a, f"## {quote}\n\n", truth)


def _copy_near(body, s, e, rng):
    _, b = _paragraph(body, s)
    return _insert(body, b, f"\n\n{body[s:e]}", (s, e))


def _copy_far(body, s, e, rng):
    return _insert(body, _far_place(body, s, e, rng), body[s:e], (s, e))


def _edit_copy_near(body, s, e, rng):
    quote = body[s:e]
    body, truth = _replace(body, s, e, _reword(quote))
    a, _ = _paragraph(body, truth[0])
    return _insert(body, a, f"{quote}\n\n", truth)


def _edit_copy_far(body, s, e, rng):
    quote = body[s:e]
    place = _far_place(body, s, e, rng)
    body, truth = _replace(body, s, e, _reword(quote))
    if place > s:
        place += len(body[truth[0]:truth[1]]) - len(quote)
    return _insert(body, place, quote, truth)


def _delete_copy_far(body, s, e, rng):
    quote = body[s:e]
    place = _far_place(body, s, e, rng)
    body = body[:s] + body[e:]
    if place > s:
        place -= len(quote)
    return _insert(body, place, quote, None)


def _delete_heading_copy(body, s, e, rng):
    quote = body[s:e]
    a, _ = _paragraph(body, s)
    body = body[:s] + body[e:]
    return _insert(body, a, f"## {quote}\n\n", None)


def _replace_middle(body, s, e, rng):
    quote = body[s:e]
    third = max(1, len(quote) // 3)
    middle = "有关部门将按照统一部署推进落实"[:third]
    return _replace(body, s, e, quote[:third] + middle + quote[len(quote) - third:])


EDITS: dict[str, Edit] = {
    "heading copy": _heading_copy,
    "edit + heading copy": _edit_heading_copy,
    "copy near": _copy_near,
    "copy far": _copy_far,
    "edit + copy near": _edit_copy_near,
    "edit + copy far": _edit_copy_far,
    "delete + copy far": _delete_copy_far,
    "delete + heading copy": _delete_heading_copy,
    "replace middle": _replace_middle,
}


def adversarial(bodies: dict[str, str], count: int = 57, seed: int = 0) -> Iterator[Case]:
    """Every picked anchor under every kind of edit."""
    rng = random.Random(seed)
    for doc, start, end in pick_anchors(bodies, count, seed):
        body = bodies[doc]
        anchor = make_anchor(body, start, end)
        for kind, edit in EDITS.items():
            new_body, truth = edit(body, start, end, rng)
            yield Case(kind, doc, anchor, new_body, truth)


def outcome(case: Case) -> str:
    """correct (on the original passage), orphaned, or wrong (anywhere else)."""
    res = resolve_anchor(case.anchor, case.body)
    if res.start is None or res.end is None:
        return "orphaned"
    if case.truth is None:
        return "wrong"
    a, b = case.truth
    overlap = min(b, res.end) - max(a, res.start)
    union = max(b, res.end) - min(a, res.start)
    return "correct" if overlap > 0 and overlap / union >= 0.6 else "wrong"


def matrix(bodies: dict[str, str], count: int = 57, seed: int = 0,
           ) -> dict[str, Counter[str]]:
    """Edit kind -> Counter(correct, orphaned, wrong)."""
    out: dict[str, Counter[str]] = {kind: Counter() for kind in EDITS}
    for case in adversarial(bodies, count, seed):
        out[case.kind][outcome(case)] += 1
    return out


def wrong_cases(bodies: dict[str, str], count: int = 57, seed: int = 0) -> list[Case]:
    return [c for c in adversarial(bodies, count, seed) if outcome(c) == "wrong"]


# --- tests ------------------------------------------------------------------------
