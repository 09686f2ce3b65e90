"""Find an anchored passage again after the corpus text changed.

Alignments must follow corrections of the corpus without ever pointing at the
wrong place. Resolution goes from cheap and certain to expensive and careful:

1. the quote verbatim, disambiguated by its context (and the offset hint);
2. otherwise diff-match-patch's fuzzy matcher near the offset hint. Its Bitap
   matcher takes patterns of at most ``Match_MaxBits`` (32) characters, so several
   32-character probes of the quote-with-context vote for a location, and a diff
   of the whole selector against that stretch of the body maps the quote's start
   and end onto it;
3. the candidate is kept only if the quote (and its context) is similar enough;
   below the thresholds the anchor is *orphaned* and reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policydiff.core.alignment import Anchor
from policydiff.core.errors import InputError

#: A fuzzy match must keep at least this share of the quote (1 - edit distance / length).
QUOTE_THRESHOLD = 0.75
#: ... and, unless the quote is almost intact, this share of its context.
CONTEXT_THRESHOLD = 0.5
#: Quote similarity above which a match stands even if its context was rewritten.
STRONG_QUOTE = 0.9
#: Quotes shorter than this are only found verbatim (fuzzy matches of a few
#: characters are too easy to find in the wrong place).
MIN_FUZZY_LENGTH = 12
#: A passage with context on one side only must be this close to its offset hint.
ONE_SIDED_NEAR = 24
#: Fuzzy matches of quotes shorter than this must be at least STRONG_QUOTE similar.
SHORT_QUOTE = 16
#: How far from the hint (in characters) the fuzzy matcher looks before giving up.
MATCH_DISTANCE = 1000
#: Context needed, in matching characters, to trust a verbatim quote whose recorded
#: context changed.
MIN_CONTEXT_CHARS = 8
#: A passage whose context changed is only trusted this close to its offset hint;
#: farther away, text repeated elsewhere (a headline, a lead paragraph) could be it.
NEAR = 64
#: Characters that must match at each boundary of a fuzzy match (inside the quote or
#: in the context next to it), so a quote cut short or run on is not taken as found.
BOUNDARY_CHARS = 3
#: The first and last EDGE_CHARS characters of a fuzzy match must be at least this
#: similar to the quote's.
EDGE_CHARS = 12
EDGE_THRESHOLD = 0.6
MAX_CONTEXT = 64


@dataclass(frozen=True)
class Resolution:
    """Where an anchor is in a body now.

    ``status`` is ``"exact"`` (the quote is there verbatim), ``"drifted"`` (the text
    changed but the passage was found with ``similarity`` >= the threshold) or
    ``"orphaned"`` (not found; ``start``/``end`` are None). ``drift`` is how far the
    passage moved from the offset hint. ``context`` is the similarity of the text
    around it to the recorded prefix/suffix; ``reason`` says why it was orphaned.
    """

    status: str
    start: int | None
    end: int | None
    drift: int
    similarity: float
    context: float = 1.0
    reason: str = ""

    @property
    def found(self) -> bool:
        return self.start is not None

    @property
    def stale(self) -> bool:
        """Found, but the stored anchor no longer describes it exactly (quote, context or hint)."""
        return self.found and (self.status != "exact" or self.drift != 0 or self.context < 1.0)


def make_anchor(body: str, start: int, end: int, context: int = 16) -> Anchor:
    """An anchor for ``body[start:end]``.

    The context grows beyond ``context`` characters (up to 64) until prefix + quote +
    suffix occur only once in the body, so the anchor is unambiguous when written.
    """
    if not 0 <= start < end <= len(body):
        raise InputError(f"passage {start}-{end} is outside the text (0-{len(body)})")
    exact = body[start:end]
    size = max(0, context)
    while True:
        prefix = body[max(0, start - size):start]
        suffix = body[end:end + size]
        selector = prefix + exact + suffix
        first = body.find(selector)
        unique = body.find(selector, first + 1) < 0
        if unique or size >= MAX_CONTEXT or (start - size <= 0 and end + size >= len(body)):
            return Anchor(exact=exact, prefix=prefix, suffix=suffix, start=start)
        size += 8


def resolve_anchor(anchor: Anchor, body: str) -> Resolution:
    """Find ``anchor`` in ``body``: exact, drifted (fuzzy, similar enough) or orphaned."""
    if not anchor.exact:
        return _orphan(anchor, "empty quote")
    hint = max(0, min(anchor.start, len(body)))
    found = _resolve_exact(anchor, body, hint)
    if found is not None:
        return found
    found = _resolve_normalized(anchor, body, hint)
    if found is not None:
        return found
    return _resolve_fuzzy(anchor, body, hint)


def _resolve_normalized(anchor: Anchor, body: str, hint: int) -> Resolution | None:
    """The quote is there but for script, width or spacing (a Traditional repost, a
    re-flowed copy, full-width digits): found through :mod:`policydiff.core.normalize`
    and mapped back to the original text. Only a single occurrence near the offset hint
    whose recorded context (normalised too) still matches on both sides is accepted."""
    from policydiff.core.normalize import normalize, normalize_map, original_span

    quote = normalize(anchor.exact)
    if len(quote) < 4:
        return None
    norm, mapping = normalize_map(body)
    hits = _occurrences(norm, quote, limit=3)
    if len(hits) != 1:
        return None
    hit = hits[0]
    prefix, suffix = normalize(anchor.prefix), normalize(anchor.suffix)
    k_before, k_after = min(8, len(prefix)), min(8, len(suffix))
    before_ok = (norm[max(0, hit - k_before):hit] == prefix[-k_before:]) if prefix \
        else hit == 0
    after_ok = (norm[hit + len(quote):hit + len(quote) + k_after] == suffix[:k_after]) \
        if suffix else hit + len(quote) == len(norm)
    start, end = original_span(mapping, hit, hit + len(quote))
    # Both sides of the recorded context, and near the hint: nothing else vouches for it.
    if not (before_ok and after_ok) or abs(start - hint) > NEAR:
        return None
    return Resolution("drifted", start, end, start - anchor.start, 1.0, 1.0)


def refresh_anchor(anchor: Anchor, body: str, resolution: Resolution | None = None) -> Anchor:
    """A new anchor for the passage ``anchor`` resolves to (for ``check --fix``).

    Raises :class:`InputError` when the anchor is orphaned: an orphan is never re-aimed.
    """
    res = resolution or resolve_anchor(anchor, body)
    if res.start is None or res.end is None:
        raise InputError(f"cannot re-anchor an orphaned quote: {anchor.exact[:30]!r}")
    size = max(16, len(anchor.prefix), len(anchor.suffix))
    return make_anchor(body, res.start, res.end, context=min(size, MAX_CONTEXT))


# --- exact --------------------------------------------------------------------


def _occurrences(body: str, text: str, limit: int = 2000) -> list[int]:
    found = []
    pos = body.find(text)
    while pos >= 0 and len(found) < limit:
        found.append(pos)
        pos = body.find(text, pos + 1)
    return found


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _context_chars(anchor: Anchor, body: str, start: int) -> tuple[int, int]:
    """How many context characters match right before and right after a quote at ``start``."""
    lp, ls = len(anchor.prefix), len(anchor.suffix)
    end = start + len(anchor.exact)
    before = _common_suffix(body[max(0, start - lp):start], anchor.prefix)
    after = _common_prefix(body[end:end + ls], anchor.suffix)
    return before, after


def _line_is_heading(body: str, pos: int) -> bool:
    """Whether offset ``pos`` lies on a Markdown heading line (``# …``)."""
    line_start = body.rfind("\n", 0, pos) + 1
    return body.startswith("#", line_start)


def _original_is_heading(anchor: Anchor) -> bool | None:
    """Whether the quote was on a heading line when anchored, if the prefix tells.

    The prefix shows the start of the quote's line when it holds a line break or
    reaches the start of the text; otherwise the line kind is unknown (None).
    """
    prefix = anchor.prefix
    if "\n" in prefix:  # the line starts inside the prefix (or the quote starts it)
        return (prefix[prefix.rfind("\n") + 1:] + anchor.exact).startswith("#")
    if anchor.start - len(prefix) <= 0:
        return (prefix + anchor.exact).startswith("#")
    return None


def _same_structure(anchor: Anchor, body: str, pos: int) -> bool:
    """A passage quoted from a paragraph is never found in a heading, nor the reverse:
    a new heading repeating a paragraph's sentence is a copy, not the passage."""
    kind = _original_is_heading(anchor)
    return kind is None or _line_is_heading(body, pos) == kind


def _sides(anchor: Anchor, body: str, pos: int) -> tuple[int, int, bool, bool]:
    """Context characters matching before/after a verbatim quote at ``pos``, and whether
    each side matches in full. A context cut short by the start (end) of the text only
    matches in full where the quote is again that close to the start (end)."""
    lp, ls = len(anchor.prefix), len(anchor.suffix)
    before, after = _context_chars(anchor, body, pos)
    end = pos + len(anchor.exact)
    at_start = anchor.start - lp <= 0
    full_before = before == lp and (not at_start or pos == lp)
    # The recorded suffix is short only when the quote was near the end of the text.
    full_after = after == ls and (ls >= MAX_CONTEXT // 4 or end + ls == len(body)
                                  or ls >= MIN_CONTEXT_CHARS)
    return before, after, full_before, full_after


def _rival_for_missing_side(anchor: Anchor, body: str, pos: int, missing: str) -> bool:
    """Whether the context missing around a one-sided verbatim match still exists
    intact elsewhere, next to text like the quote: a reworded original with a copy
    beside it. Then two places are plausible and the anchor is orphaned."""
    exact, n = anchor.exact, len(anchor.exact)
    context = anchor.prefix if missing == "before" else anchor.suffix
    if not context:
        return False
    for q in _occurrences(body, context, limit=50):
        edge = q == 0 if missing == "before" else q + len(context) == len(body)
        if len(context) < MIN_CONTEXT_CHARS and not edge:
            continue  # a short context is only telling where it still meets the text's edge
        lo = q + len(context) if missing == "before" else max(0, q - n)
        if abs(lo - pos) < n // 2:
            continue  # that is this place
        if not _same_structure(anchor, body, lo):
            continue
        # The reworded text may be a little longer or shorter than the quote.
        slack = max(4, n // 4)
        for m in range(max(1, n - slack), n + slack + 1, max(1, slack // 4)):
            region = body[lo:lo + m] if missing == "before" else body[max(0, q - m):q]
            if region and similarity(exact, region) >= QUOTE_THRESHOLD:
                return True
    return False


def _resolve_exact(anchor: Anchor, body: str, hint: int) -> Resolution | None:
    """The quote verbatim, at the one place its context supports.

    Every verbatim occurrence is weighed: both sides of context intact, or one side
    intact close to the offset hint. A heading is never taken for a paragraph (and
    the reverse). Two plausible places, or a one-sided match whose missing context
    sits intact beside similar text elsewhere, orphan the anchor: never a guess.
    Returns None when no occurrence is plausible (the fuzzy matcher decides).
    """
    positions = _occurrences(body, anchor.exact)
    if not positions:
        return None
    lp, ls = len(anchor.prefix), len(anchor.suffix)
    near = NEAR + len(anchor.exact)  # a copy of the quote inserted before it moves it this much
    full: list[tuple[int, int]] = []
    partial: list[tuple[int, int, str]] = []
    for pos in positions:
        if not _same_structure(anchor, body, pos):
            continue
        before, after, full_before, full_after = _sides(anchor, body, pos)
        if full_before and full_after:
            if pos == hint:
                return Resolution("exact", pos, pos + len(anchor.exact), pos - anchor.start,
                                  1.0, 1.0)
            full.append((pos, before + after))
            continue
        if abs(pos - hint) > near:
            continue
        room_after = len(body) - pos - len(anchor.exact)
        needed = min(lp + ls, MIN_CONTEXT_CHARS)
        halves = (2 * before >= min(lp, pos) and 2 * after >= min(ls, room_after)
                  and before + after >= needed and abs(pos - hint) <= NEAR)
        one_side = ((full_before and before >= min(lp, MIN_CONTEXT_CHARS))
                    or (full_after and after >= min(ls, MIN_CONTEXT_CHARS)))
        if halves or one_side:
            missing = "after" if full_before else "before"
            partial.append((pos, before + after, missing))
    if len(full) == 1 and not any(abs(p - hint) < abs(full[0][0] - hint) for p, _, _ in partial):
        pos = full[0][0]
        return Resolution("exact", pos, pos + len(anchor.exact), pos - anchor.start, 1.0, 1.0)
    if len(full) + len(partial) > 1:
        return _orphan(anchor, f"the quote appears in {len(full) + len(partial)} places that "
                       "could each be it; re-anchor by hand", 1.0)
    if full:  # several full matches cannot happen with an anchor unique when written
        return None
    if not partial:
        return None
    pos, chars, missing = partial[0]
    if _rival_for_missing_side(anchor, body, pos, missing):
        return _orphan(anchor, "the quote is here verbatim, but its context is elsewhere "
                       "next to a reworded version: two places are plausible", 1.0)
    context = chars / max(1, lp + ls)
    return Resolution("exact", pos, pos + len(anchor.exact), pos - anchor.start, 1.0, context)


# --- fuzzy --------------------------------------------------------------------


@lru_cache(maxsize=1)
def _dmp():
    from diff_match_patch import diff_match_patch

    dmp = diff_match_patch()
    dmp.Match_Distance = MATCH_DISTANCE
    dmp.Match_Threshold = 0.5
    dmp.Diff_Timeout = 0.5
    return dmp


def similarity(a: str, b: str) -> float:
    """1 - Levenshtein distance / length of the longer text (1.0 for two empty texts)."""
    if a == b:
        return 1.0
    longest = max(len(a), len(b))
    dmp = _dmp()
    # diff_main is a shortest-edit diff, so its "Levenshtein" can exceed the length.
    return max(0.0, 1.0 - dmp.diff_levenshtein(dmp.diff_main(a, b, False)) / longest)


def _probe_offsets(length: int, width: int, count: int = 8) -> list[int]:
    if length <= width:
        return [0]
    last = length - width
    n = min(count, -(-length // width) + 1)
    return sorted({round(i * last / (n - 1)) for i in range(n)})


def _vote(estimates: Sequence[int], expected: int, tolerance: int) -> int | None:
    """The location most probes agree on (ties: the one nearest the hint)."""
    if not estimates:
        return None
    ordered = sorted(estimates)
    best: tuple[int, int, int] | None = None  # (votes, -distance, median)
    for i, first in enumerate(ordered):
        group = [e for e in ordered[i:] if e - first <= tolerance]
        median = group[len(group) // 2]
        key = (len(group), -abs(median - expected), median)
        if best is None or key > best:
            best = key
    return best[2] if best else None


def _resolve_fuzzy(anchor: Anchor, body: str, hint: int) -> Resolution:
    exact, prefix, suffix = anchor.exact, anchor.prefix, anchor.suffix
    if len(exact) < MIN_FUZZY_LENGTH:
        return _orphan(anchor, "short quote not found verbatim")
    dmp = _dmp()
    selector = prefix + exact + suffix
    expected = hint - len(prefix)
    width = min(dmp.Match_MaxBits, len(selector))
    estimates = []
    for offset in _probe_offsets(len(selector), width):
        probe = selector[offset:offset + width]
        loc = dmp.match_main(body, probe, max(0, expected + offset))
        if loc >= 0:
            estimates.append(loc - offset)
    where = _vote(estimates, expected, max(8, len(selector) // 8))
    if where is None:
        return _orphan(anchor, "no similar text near the offset hint")

    slack = 8 + len(selector) // 4
    lo = max(0, where - slack)
    hi = min(len(body), where + len(selector) + slack)
    diffs = dmp.diff_main(selector, body[lo:hi], False)
    dmp.diff_cleanupSemantic(diffs)
    start = lo + dmp.diff_xIndex(diffs, len(prefix))
    end = lo + dmp.diff_xIndex(diffs, len(prefix) + len(exact))
    if end <= start:
        return _orphan(anchor, "quote deleted")
    found = body[start:end]
    quote_sim = similarity(exact, found)
    before, after = _context_similarities(anchor, body, start, end)
    lp, ls = len(prefix), len(suffix)
    context = (before * lp + after * ls) / (lp + ls) if lp + ls else 1.0
    if quote_sim < QUOTE_THRESHOLD or (quote_sim < STRONG_QUOTE and context < CONTEXT_THRESHOLD):
        return _orphan(anchor, f"best match only {quote_sim:.0%} similar", quote_sim)
    if lp + ls and max(before, after) < CONTEXT_THRESHOLD:
        # The same words with other text on both sides: another place saying the same.
        return _orphan(anchor, "similar text found, but not in its context", quote_sim)
    if lp and ls and min(before, after) < CONTEXT_THRESHOLD and abs(start - hint) > ONE_SIDED_NEAR:
        # Context on one side only, and moved: a title or lead repeating the quote.
        return _orphan(anchor, f"similar text {start - hint:+d} characters away, context "
                       "changed on one side", quote_sim)
    if len(exact) < SHORT_QUOTE and quote_sim < STRONG_QUOTE:
        return _orphan(anchor, f"short quote only {quote_sim:.0%} similar", quote_sim)
    if not _boundaries_hold(anchor, body, start, end, before, after):
        return _orphan(anchor, "the quote's start or end is no longer there", quote_sim)
    if abs(start - hint) > NEAR and min(before, after) < 1.0:
        # Far from the hint only an intact context vouches for the place: headlines and
        # lead paragraphs repeat sentences almost word for word.
        return _orphan(anchor, f"similar text {start - hint:+d} characters away, context "
                       "changed", quote_sim)
    if not _same_structure(anchor, body, start):
        return _orphan(anchor, "similar text found only in a "
                       + ("paragraph" if _original_is_heading(anchor) else "heading"), quote_sim)
    if found != exact and _verbatim_rival(anchor, body, start, end, hint):
        return _orphan(anchor, "a reworded passage here and the quote verbatim nearby: "
                       "two places are plausible", quote_sim)
    if found == exact and context < 1.0:
        # The exact pass weighed this verbatim occurrence and found too little of its
        # context: a copy of the sentence, not the passage.
        return _orphan(anchor, "the quote stands verbatim here, but without its context",
                       quote_sim)
    status = "exact" if found == exact else "drifted"
    return Resolution(status, start, end, start - anchor.start, round(quote_sim, 4),
                      round(context, 4))


def _verbatim_rival(anchor: Anchor, body: str, start: int, end: int, hint: int) -> bool:
    """Whether the quote also stands verbatim at another place with some support:
    context on one side, or close to the offset hint. A reworded passage is then
    no better a candidate than the copy."""
    for pos in _occurrences(body, anchor.exact, limit=50):
        if pos < end and pos + len(anchor.exact) > start:
            continue
        if not _same_structure(anchor, body, pos):
            continue
        before, after = _context_chars(anchor, body, pos)
        if (before >= min(len(anchor.prefix), MIN_CONTEXT_CHARS) > 0
                or after >= min(len(anchor.suffix), MIN_CONTEXT_CHARS) > 0
                or abs(pos - hint) <= NEAR):
            return True
    return False


def _context_similarities(anchor: Anchor, body: str, start: int, end: int,
                          ) -> tuple[float, float]:
    """Similarity of the recorded prefix and suffix to the text around ``start:end``."""
    lp, ls = len(anchor.prefix), len(anchor.suffix)
    before = similarity(anchor.prefix, body[max(0, start - lp):start]) if lp else 1.0
    after = similarity(anchor.suffix, body[end:end + ls]) if ls else 1.0
    return before, after


def _boundaries_hold(anchor: Anchor, body: str, start: int, end: int, before: float,
                     after: float) -> bool:
    """Each end of the match is confirmed by the quote's own edge or by the context,
    and the text just inside each end still reads like the quote there: the same,
    or fairly similar with the context on that side still in place. An edit at a
    quote's edge with the context beyond it changed too leaves the boundary a guess
    (text after a cut often repeats the quote's last words)."""
    k = BOUNDARY_CHARS
    exact, prefix, suffix = anchor.exact, anchor.prefix, anchor.suffix
    found = body[start:end]
    start_ok = (found[:k] == exact[:k]
                or (bool(prefix) and body[max(0, start - k):start] == prefix[-k:])
                or (start == 0 and not prefix))
    end_ok = (found[-k:] == exact[-k:]
              or (bool(suffix) and body[end:end + k] == suffix[:k])
              or (end == len(body) and not suffix))
    if not (start_ok and end_ok):
        return False
    # Compare each edge of the quote with the stretch of the match it aligns with.
    edge = max(k, min(EDGE_CHARS, len(exact) // 2))
    dmp = _dmp()
    diffs = dmp.diff_main(exact, found, False)
    head = found[:dmp.diff_xIndex(diffs, edge)]
    tail = found[dmp.diff_xIndex(diffs, len(exact) - edge):]

    def holds(edge_sim: float, context: float) -> bool:
        return edge_sim == 1.0 or (edge_sim >= EDGE_THRESHOLD and context >= CONTEXT_THRESHOLD)

    return (holds(similarity(exact[:edge], head), before if prefix else 1.0)
            and holds(similarity(exact[-edge:], tail), after if suffix else 1.0))


def _orphan(anchor: Anchor, reason: str, similarity_: float = 0.0) -> Resolution:
    return Resolution("orphaned", None, None, 0, round(similarity_, 4), 0.0, reason)
