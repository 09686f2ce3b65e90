"""Word segmentation of Chinese policy text, for diffs and term evidence.

A character diff of Chinese is noise and a whitespace split finds no words, so text
is cut into tokens: Chinese runs by jieba (with a policy-term dictionary so that
人工智能 or 临港新片区 stay whole), every quantity found by
:func:`policydiff.core.quantities.quantity_spans` as ONE token (``4000亿元``, ``12%以上``,
``2020年``), Latin/digit runs whole, punctuation and whitespace apart.

Tokens tile the text: joining their texts gives the input back exactly. jieba costs
about half a second to load, so it is loaded on first use of a Chinese run and
cached; pure ASCII/number text never loads it.

Tokenise once: a :class:`TokenCache` can be installed with :func:`set_cache` (the
project's on-disk cache lives in :mod:`policydiff.store.token_cache`; core only sees
this protocol). Each Chinese run's cut is looked up by a content hash that includes
:data:`SEGMENTER_VERSION` and the dictionaries' fingerprint, and jieba is loaded only
on a miss — so a command over an unchanged corpus never loads it.
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from operator import itemgetter
from typing import Literal, NamedTuple, Protocol

from policydiff.core.quantities import quantity_spans

TokenKind = Literal["word", "number", "punct", "space"]

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f〇"
_ALNUM = rf"(?:(?![{_CJK}])[^\W_])"  # a letter or digit of any script but Chinese
_PIECE = re.compile(
    rf"(?P<space>\s+)"
    rf"|(?P<cjk>[{_CJK}]+)"
    rf"|(?P<num>(?>\d+(?:[.．]\d+)?)(?!{_ALNUM}))"
    rf"|(?P<latin>{_ALNUM}+(?:[._\-]{_ALNUM}+)*)"
    rf"|(?P<punct>(.)\6*)",
    re.DOTALL,
)


class Token(NamedTuple):
    """A token and where it sits in the text it came from.

    A named tuple rather than a dataclass: a long diff makes tens of thousands of
    them, and a tuple is built several times faster (immutable and hashable alike).
    """

    text: str
    start: int
    end: int
    kind: TokenKind


SEGMENTER_VERSION = "1"
"""Bump when the cutting rules change, so cached cuts of older rules are not reused."""


class TokenCache(Protocol):
    """Where cuts of Chinese runs are kept between processes (a key-value store).

    Keys are 16-byte content hashes (run text + segmenter version + dictionaries);
    values are opaque bytes. ``get`` returns ``None`` for a miss; both may silently
    do nothing (a read-only or broken cache must never break segmentation). A cache
    may also offer ``get_many(keys) -> {key: value}`` (hits only), used to read all
    the runs of a text in one request.
    """

    def get(self, key: bytes) -> bytes | None: ...

    def put(self, key: bytes, value: bytes) -> None: ...


_cache: TokenCache | None = None


def set_cache(cache: TokenCache | None) -> None:
    """Install (or with ``None`` remove) the cache consulted before jieba."""
    global _cache
    _cache = cache
    _tokenize_cached.cache_clear()


def get_cache() -> TokenCache | None:
    """The installed cache, if any."""
    return _cache


def _terms_file():  # -> importlib.resources.abc.Traversable
    return resources.files("policydiff").joinpath("data/policy_terms.txt")


@lru_cache(maxsize=1)
def fingerprint() -> bytes:
    """What the cuts depend on: segmenter version, jieba's version and dictionary, our terms.

    Read without importing jieba (that is what the cache saves): its ``__version__``
    line and the size of its dictionary file, and a hash of the policy-term list.
    """
    import importlib.util
    from pathlib import Path

    h = hashlib.blake2b(digest_size=16)
    h.update(f"segmenter {SEGMENTER_VERSION}\n".encode())
    spec = importlib.util.find_spec("jieba")
    if spec is not None and spec.origin:
        pkg = Path(spec.origin).parent
        try:
            m = re.search(r"__version__\s*=\s*['\"]([^'\"]+)",
                          Path(spec.origin).read_text(encoding="utf-8", errors="replace"))
            h.update(f"jieba {m.group(1) if m else '?'} {(pkg / 'dict.txt').stat().st_size}\n"
                     .encode())
        except OSError:
            h.update(b"jieba ?\n")
    h.update(_terms_file().read_bytes())
    return h.digest()


def _run_key(run: str) -> bytes:
    return hashlib.blake2b(run.encode("utf-8"), digest_size=16, key=fingerprint()).digest()


@lru_cache(maxsize=1)
def _jieba():  # -> jieba.Tokenizer
    """The jieba tokenizer with the policy-term dictionary, loaded once."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    with _terms_file().open("r", encoding="utf-8") as fh:
        tokenizer.load_userdict(fh)
    return tokenizer


_VERIFIED_COMPILED = {("0.2.2", "0.42.1"): 3}
"""``(rjieba, jieba)`` versions whose cuts were checked identical to jieba's
(tests/core/test_segment_compiled.py), with what jieba's total count has on top of
jieba-rs's for the same ``dict.txt``: jieba adds every line, jieba-rs each word once, and
jieba 0.42.1's dictionary lists one word (B超, 3) twice. Another pair may ship another
dictionary or other rules: then jieba alone is used."""

_HAN = re.compile("[\u4e00-\u9fd5]+")
"""What jieba calls a Chinese block (its ``re_han_default`` minus the Latin it also admits):
jieba cuts only these and yields every other character of a run on its own."""


def _dist_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _user_words() -> list[tuple[str, int, str | None]]:
    """The policy-term dictionary as jieba's ``load_userdict`` reads it: word, count, tag."""
    out: list[tuple[str, int, str | None]] = []
    user = re.compile(r"^(.+?)( [0-9]+)?( [a-z]+)?$")
    for raw in _terms_file().read_text(encoding="utf-8").lstrip("\ufeff").splitlines():
        line = raw.strip()
        m = user.match(line) if line else None
        if m is None or m.group(2) is None:
            return []  # a word without a count: jieba would guess one; leave it to jieba
        out.append((m.group(1).strip(), int(m.group(2)), (m.group(3) or "").strip() or None))
    return out


def _rjieba_class():  # -> type[rjieba.Jieba] | None
    """rjieba's ``Jieba`` class, from its extension module alone when possible.

    The package's ``__init__`` builds a default tokenizer at import (~0.2 s and ~35 MB
    for a dictionary we never use), so the extension is loaded by itself; the plain
    import is the fallback.
    """
    import importlib.machinery
    import importlib.util
    import sys
    from pathlib import Path

    if "rjieba.rjieba" in sys.modules:
        return sys.modules["rjieba.rjieba"].Jieba
    try:
        spec = importlib.util.find_spec("rjieba")
        folders = list(spec.submodule_search_locations or []) if spec else []
        for folder in folders:
            for suffix in importlib.machinery.EXTENSION_SUFFIXES:
                path = Path(folder) / f"rjieba{suffix}"
                if path.is_file():
                    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
                    ext = importlib.util.spec_from_file_location("rjieba.rjieba", path,
                                                                 loader=loader)
                    if ext is not None:
                        module = importlib.util.module_from_spec(ext)
                        loader.exec_module(module)
                        # registered, so a later ``import rjieba`` reuses it (an extension
                        # built with PyO3 may be initialised only once per process)
                        sys.modules["rjieba.rjieba"] = module
                        return module.Jieba
    except (ImportError, OSError, AttributeError):
        pass
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.Jieba


@lru_cache(maxsize=1)
def _compiled():  # -> Callable[[str, bool], list[str]] | None
    """jieba's own algorithm compiled (``rjieba``, Rust jieba-rs), or None to use jieba.

    Used only where it cuts as jieba does by construction: the same dictionary (jieba-rs
    embeds jieba's ``dict.txt``), the same user words and counts, HMM off, and only the
    blocks jieba itself cuts. One difference is made up for: jieba's total count adds a
    word's count each time the word is read (twice for a word listed twice, or listed in
    the dictionary and again in our terms) where jieba-rs replaces it, so a word that is
    never looked up (a private-use character, never in a Chinese block) carries the
    difference and both totals, hence all path scores, are equal.
    About 10× faster than jieba, and it loads in a fraction of jieba's half second.
    """
    import importlib.util
    from pathlib import Path

    surplus = _VERIFIED_COMPILED.get((_dist_version("rjieba"), _dist_version("jieba")))
    if surplus is None:
        return None
    spec = importlib.util.find_spec("jieba")
    words = _user_words()
    if spec is None or not spec.origin or not words:
        return None
    jieba_class = _rjieba_class()
    if jieba_class is None:
        return None
    try:
        text = "\n" + (Path(spec.origin).parent / "dict.txt").read_text(encoding="utf-8")
    except OSError:
        return None
    counts: dict[str, int] = {}
    for word, _, _ in words:  # what jieba's dictionary says of each user word
        at = text.find(f"\n{word} ")
        if at >= 0:
            counts[word] = int(text[at + 1:text.find("\n", at + 1)].split()[1])
    tokenizer = jieba_class()
    for word, count, tag in words:
        surplus += counts.get(word, 0)
        counts[word] = count
        tokenizer.add_word(word, count, tag)
    if surplus:
        tokenizer.add_word("\ue000", surplus, None)
    return tokenizer.cut


def _compiled_cut(cut, run: str) -> list[str]:  # cut: the compiled tokenizer's ``cut``
    """jieba's cut of ``run`` (HMM off) done by the compiled segmenter, block by block."""
    if _HAN.fullmatch(run):  # one block, the usual case
        return list(cut(run, False))
    out: list[str] = []
    pos = 0
    for m in _HAN.finditer(run):
        if m.start() > pos:
            out.extend(run[pos:m.start()])  # jieba yields non-Chinese characters one by one
        out.extend(cut(m.group(), False))
        pos = m.end()
    if pos < len(run):
        out.extend(run[pos:])
    return out


def cut_runs(runs: list[str]) -> list[list[str]]:
    """The cuts of many Chinese runs, without the cache (for bulk work and tests)."""
    compiled = _compiled()
    if compiled is not None:
        return [_compiled_cut(compiled, run) if len(run) > 1 else [run] for run in runs]
    tokenizer = _jieba()
    return [tokenizer.lcut(run, HMM=False) if len(run) > 1 else [run] for run in runs]


def load() -> None:
    """Load the segmenter now (e.g. while a UI starts) instead of on first use."""
    if _compiled() is None:
        _jieba()


_ASK = object()
"""Marker: the cut of a run has not been looked up in the cache yet."""


def _cut_cjk(run: str, hit: object = _ASK) -> list[str]:
    """jieba's cut of one Chinese run, from the cache when it holds it.

    ``hit`` is what a batched lookup already returned for this run (bytes, or
    ``None`` for a miss); by default the cache is asked here.
    """
    if len(run) == 1:
        return [run]
    cache = _cache
    if cache is not None:
        if hit is _ASK:
            hit = cache.get(_run_key(run))
        if isinstance(hit, bytes):
            cut = _decode_cut(run, hit)
            if cut is not None:
                return cut
    compiled = _compiled()
    pieces = (_compiled_cut(compiled, run) if compiled is not None
              else list(_jieba().cut(run, HMM=False)))
    if "".join(pieces) != run:  # never lose a character, whatever jieba does
        pieces = list(run)
    if cache is not None and all(len(p) < 65536 for p in pieces):
        cache.put(_run_key(run), array("H", [len(p) for p in pieces]).tobytes())
    return pieces


def _decode_cut(run: str, value: bytes) -> list[str] | None:
    """The pieces of ``run`` from a cached value (piece lengths); None if it does not fit."""
    lengths = array("H")
    lengths.frombytes(value)
    ends = list(accumulate(lengths))
    if not ends or ends[-1] != len(run) or not all(lengths):
        return None
    return list(map(run.__getitem__, map(slice, [0, *ends], ends)))


_prefetched: dict[str, bytes | None] = {}
"""Cached cuts read ahead by :func:`prefetched_cuts`, for the texts about to be cut."""


def _lookup_runs(runs: list[str]) -> dict[str, bytes | None]:
    """Cached cuts of many runs in one request, when the cache can batch (``get_many``).

    A document has hundreds of Chinese runs; one query for all of them instead of
    one each is most of what reading its tokens from the cache costs. Runs read
    ahead (:func:`prefetched_cuts`) are not asked again; runs left out of the answer
    are asked one by one.
    """
    out: dict[str, bytes | None] = {}
    ask: list[str] = []
    ahead = _prefetched
    for run in runs:
        if run in ahead:
            out[run] = ahead[run]
        else:
            ask.append(run)
    get_many = getattr(_cache, "get_many", None)
    if get_many is not None and len(ask) > 1:
        keys = {run: _run_key(run) for run in ask}
        found = get_many(list(set(keys.values())))
        for run, key in keys.items():
            out[run] = found.get(key)
    return out


@contextmanager
def prefetched_cuts(texts: Iterable[str],
                    spans: Mapping[str, Iterable[tuple[int, int]]] | None = None,
                    ) -> Iterator[None]:
    """Read the cached cuts of every Chinese run of ``texts`` in one request, for a while.

    A long diff tokenises hundreds of changed sentences one at a time; reading their
    cuts together costs one query instead of one per sentence. Nothing is kept after
    the block: this is a read-ahead, not a memo. ``spans``: ``quantity_spans(text)``
    of some of the texts, when the caller has found their quantities anyway (the
    word diff does, for its figures), so they are not found twice.
    """
    global _prefetched, _scanned
    saved = _prefetched, _scanned
    given = spans or {}
    scanned = {text: _scan(text, given.get(text)) for text in texts if text not in _scanned}
    runs = dict.fromkeys(text[s:e] for text, pieces in scanned.items()
                         for kind, s, e in pieces if kind == "cjk" and e - s > 1)
    try:
        _scanned = {**_scanned, **scanned}
        _prefetched = {**_prefetched, **_lookup_runs(list(runs))}
        yield
    finally:
        _prefetched, _scanned = saved


_scanned: dict[str, list[tuple[str, int, int]]] = {}
"""Pieces of the texts read ahead (so :func:`_tokenize_cached` does not scan them again)."""


def _scan_gap(text: str, start: int, end: int, out: list[tuple[str, int, int]]) -> None:
    for m in _PIECE.finditer(text, start, end):
        out.append((m.lastgroup or "punct", m.start(), m.end()))


_KINDS: dict[str, TokenKind] = {"num": "number", "latin": "word", "space": "space",
                                "punct": "punct", "quantity": "number"}


def _scan(text: str, spans: Iterable[tuple[int, int]] | None = None) -> list[tuple[str, int, int]]:
    """``(kind, start, end)`` of the pieces of ``text``; Chinese runs are cut afterwards.

    ``spans``: ``quantity_spans(text)`` when the caller has already found them."""
    pieces: list[tuple[str, int, int]] = []
    pos = 0
    for qs, qe in quantity_spans(text) if spans is None else spans:
        if (qs > 0 and text[qs - 1].isdigit()) or (qe < len(text) and text[qe].isdigit()):
            continue  # a span inside a run of non-ASCII digits (１２): keep the run whole
        if qs > pos:
            _scan_gap(text, pos, qs, pieces)
        pieces.append(("quantity", qs, qe))
        pos = qe
    if pos < len(text):
        _scan_gap(text, pos, len(text), pieces)
    return pieces


@lru_cache(maxsize=4096)
def _tokenize_cached(text: str) -> tuple[Token, ...]:
    pieces = _scanned.get(text)
    if pieces is None:
        pieces = _scan(text)
    return _tokens(text, pieces)


def _tokens(text: str, pieces: list[tuple[str, int, int]]) -> tuple[Token, ...]:
    looked_up = _lookup_runs([text[s:e] for kind, s, e in pieces if kind == "cjk" and e - s > 1])
    out: list[Token] = []
    for kind, s, e in pieces:
        if kind == "cjk":
            run = text[s:e]
            pos = s
            for piece in _cut_cjk(run, looked_up.get(run, _ASK)):
                out.append(Token(piece, pos, pos + len(piece), "word"))
                pos += len(piece)
        else:
            out.append(Token(text[s:e], s, e, _KINDS[kind]))
    return tuple(out)


def tokenize_once(text: str,
                  quantity_spans: Iterable[tuple[int, int]] | None = None) -> tuple[Token, ...]:
    """:func:`tokenize` without keeping the result in the in-process memo.

    For bulk passes over a corpus (suggest's index) that see each text once: the
    memo would only hold thousands of long token tuples nobody asks for again.
    ``quantity_spans``: what :func:`policydiff.core.quantities.quantity_spans` gives
    for ``text``, when the caller has found the quantities anyway (not found twice).
    """
    pieces = _scanned.get(text)
    if pieces is None:
        pieces = _scan(text, quantity_spans)
    return _tokens(text, pieces)


def token_texts_once(text: str, quantity_spans: Iterable[tuple[int, int]] | None = None,
                     cache: bool = True) -> tuple[list[str], list[str]]:
    """The texts of :func:`tokenize_once`'s tokens, and those of its words and figures
    (kinds ``word`` and ``number``), without making a :class:`Token` each.

    For the suggestion index, which needs only these (a token's start is the sum of the
    lengths before it): the same pieces and cuts as :func:`tokenize_once`, with a
    Chinese run's cut added as a whole list rather than token by token (building the
    tokens was a third of indexing a corpus). ``cache=False``: cut with the compiled
    segmenter without asking or filling the installed cache, when it is available (a
    bulk pass over a corpus: at 10,000 documents, reading the cached cuts took 2.3x the
    time of cutting afresh, and storing them more); the cache is used as usual when
    only jieba's pure-Python segmenter is there.
    """
    pieces = _scanned.get(text)
    if pieces is None:
        pieces = _scan(text, quantity_spans)
    compiled = (_compiled() if (_cache is None or not cache) and not _prefetched
                else None)
    looked_up = ({} if compiled is not None else  # no cache to ask: nothing to look up
                 _lookup_runs([text[s:e] for kind, s, e in pieces if kind == "cjk" and e - s > 1]))
    texts: list[str] = []
    words: list[str] = []
    for kind, s, e in pieces:
        if kind == "cjk":
            run = text[s:e]
            if compiled is None:
                cut = _cut_cjk(run, looked_up.get(run, _ASK))
            elif e - s == 1:
                cut = [run]
            else:  # what _cut_cjk does without a cache, without its calls
                cut = _compiled_cut(compiled, run)
                if "".join(cut) != run:
                    cut = list(run)
            texts.extend(cut)
            words.extend(cut)
        else:
            piece = text[s:e]
            texts.append(piece)
            if kind != "space" and kind != "punct":
                words.append(piece)
    return texts, words


def cut_texts(text: str) -> list[str]:
    """:func:`token_texts` of ``text`` without building tokens or keeping them.

    For texts read once for their words alone (the changed middles of a word diff):
    the positions and kinds, and the memo, would only cost time. Pieces read ahead by
    :func:`prefetched_cuts` are used as :func:`tokenize` uses them.
    """
    return token_texts_once(text)[0]


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order; their texts joined give ``text`` back exactly."""
    return list(_tokenize_cached(text))


_TEXT = itemgetter(0)


def token_texts(text: str) -> list[str]:
    """The texts of ``tokenize(text)``, without touching each token in Python."""
    return list(map(_TEXT, _tokenize_cached(text)))


def words(text: str) -> list[str]:
    """The words and figures of ``text`` (no punctuation, no whitespace)."""
    return [t.text for t in _tokenize_cached(text) if t.kind in ("word", "number")]


def general_frequency(word: str) -> float:
    """How common ``word`` is in general Chinese: occurrences per million words.

    From the segmenter's own dictionary counts. Policy vocabulary the general
    dictionary lacks (算力, 赋能, 专精特新) is 0; everyday words (完善, 相关, 开发) are high,
    which is how "key words" tell a policy's new terms from its prose.

    The counts are kept in the installed token cache (keyed, like cuts, by the
    dictionaries' fingerprint), so a command whose cuts and counts are all cached
    never loads jieba's dictionary (half a second) just to look words up.
    """
    count, total = _dictionary_count(word)
    return count * 1_000_000 / (total or 1)


_FREQ_TAG = b"\x00freq\x00"
"""Prefix of the cache keys of dictionary counts: no Chinese run (a cut's key) starts so."""


@lru_cache(maxsize=65536)
def _dictionary_count(word: str) -> tuple[int, int]:
    """``(count of word, total count)`` in the segmenter's dictionary, cached.

    Memoised in the process too: a report asks about each word more than once, and
    the dictionary cannot change while the process runs.
    """
    cache = _cache
    key = b""
    if cache is not None:
        key = hashlib.blake2b(_FREQ_TAG + word.encode("utf-8"), digest_size=16,
                              key=fingerprint()).digest()
        hit = cache.get(key)
        if hit is not None and len(hit) == 16:
            count, total = array("Q", hit)  # native order: the cache never leaves the machine
            return count, total
    tokenizer = _jieba()
    count, total = int(tokenizer.FREQ.get(word, 0)), int(tokenizer.total)
    if cache is not None:
        cache.put(key, array("Q", [count, total]).tobytes())
    return count, total


def is_loaded() -> bool:
    """Whether a segmenter (jieba or the compiled one) has been loaded in this process."""
    return (_jieba.cache_info().currsize > 0
            or (_compiled.cache_info().currsize > 0 and _compiled() is not None))
