"""A fast, read-only YAML loader that reads project files exactly as the round-trip one does.

Every command reads the alignment files and the metrics file; few edit them. The
round-trip parser (ruamel.yaml, :mod:`policydiff.store.yamltext`) keeps comments and
positions for minimal edits but is pure Python: on a 5,000-alignment file it spent
~80 % of ``policydiff check``. This loader composes with libyaml (PyYAML's
``CParser``; the pure-Python parser when the C extension is missing) and builds
plain dicts and lists that carry ruamel-style line information (``data.lc.key(k)``,
``data.lc.item(i)``, ``data.lc.line``), so :func:`~policydiff.store.yamltext.line_of`
and ``file:line`` messages work unchanged.

It must never read a file differently from the round-trip parser: scalars are
resolved with YAML 1.2 core rules as ruamel.yaml does (``yes`` is a string, ``017``
is 17), and whatever it cannot reproduce exactly — YAML errors, duplicate keys,
aliases, timestamps, explicit tags, merge keys, a ``%YAML`` directive — raises
:class:`Fallback`, and the caller uses the round-trip parser (so error messages are
the round-trip parser's, word for word). A property test holds the two to the same
alignments, members, anchors and line numbers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from policydiff.core.collector import gc_paused

try:  # libyaml: ~10x faster than the pure-Python parser
    from yaml.cyaml import CParser as _Parser

    C_LOADER = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _Parser = None
    C_LOADER = False

_T = "tag:yaml.org,2002:"
STR, NULL, BOOL, INT, FLOAT = _T + "str", _T + "null", _T + "bool", _T + "int", _T + "float"
MAP, SEQ, TIMESTAMP = _T + "map", _T + "seq", _T + "timestamp"


class Fallback(Exception):
    """The fast loader cannot read this text exactly as the round-trip parser would."""


class LineCol:
    """ruamel.yaml's ``lc`` for plain containers: 0-based line/column of the node, of
    each key (mappings) or item (sequences)."""

    __slots__ = ("_where", "col", "line")

    def __init__(self, line: int, col: int, where: Any):
        self.line = line
        self.col = col
        self._where = where

    def key(self, key: Any) -> tuple[int, int]:
        return self._where[key]

    def item(self, index: int) -> tuple[int, int]:
        return self._where[index]


class LineMap(dict):
    """A dict with the line of each key (``lc``)."""

    __slots__ = ("lc",)


class LineList(list):
    """A list with the line of each item (``lc``)."""

    __slots__ = ("lc",)


class _Resolver12(BaseResolver):
    """YAML 1.2 core-schema resolution, as ruamel.yaml's round-trip loader does it."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # Called from libyaml once per scalar: a quoted scalar, or plain text whose first
        # character no implicit resolver starts with, is text (what the base class finds
        # after its lookups; most scalars of a store file are quotes and ids)
        if kind is ScalarNode:
            if not implicit[0] or (value and value[0] not in _FIRSTS):
                return STR
        elif kind is MappingNode:  # asked only when no tag was written (no path resolvers)
            return MAP
        elif kind is SequenceNode:
            return SEQ
        return super().resolve(kind, value, implicit)


_IMPLICIT = [
    (BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (FLOAT, r"""^(?:
         [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
        |[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
        |[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""", "-+0123456789."),
    (INT, r"""^(?:[-+]?0b[0-1_]+
        |[-+]?0o?[0-7_]+
        |[-+]?[0-9_]+
        |[-+]?0x[0-9a-fA-F_]+)$""", "-+0123456789"),
    (_T + "merge", r"^(?:<<)$", "<"),
    (NULL, r"""^(?: ~
        |null|Null|NULL
        | )$""", ["~", "n", "N", ""]),
    (_T + "timestamp", r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
        |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
        (?:[Tt]|[ \t]+)[0-9][0-9]?
        :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
        (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""", "0123456789"),
    (_T + "value", r"^(?:=)$", "="),
    (_T + "yaml", r"^(?:!|&|\*)$", "!&*"),
]
for _tag, _pattern, _first in _IMPLICIT:
    _Resolver12.add_implicit_resolver(_tag, re.compile(_pattern, re.X), list(_first))
_FIRSTS = frozenset(c for _, _, first in _IMPLICIT for c in first if c)


if _Parser is not None:
    class _Composer(_Parser, _Resolver12):  # type: ignore[misc, valid-type]
        def __init__(self, text: str):
            _Parser.__init__(self, text)
            _Resolver12.__init__(self)
else:  # pragma: no cover
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Composer(Reader, Scanner, Parser, Composer, _Resolver12):  # type: ignore[no-redef]
        def __init__(self, text: str):
            Reader.__init__(self, text)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)
            _Resolver12.__init__(self)


def _int(value: str) -> int:
    """An int as ruamel.yaml reads it in YAML 1.2 (``0o17``, ``0x1A``, ``0b1``, ``1_000``)."""
    text = value.replace("_", "")
    sign = 1
    if text[0] in "+-":
        sign = -1 if text[0] == "-" else 1
        text = text[1:]
    for prefix, base in (("0b", 2), ("0x", 16), ("0o", 8)):
        if text.startswith(prefix):
            return sign * int(text[2:], base)
    return sign * int(text)


def _float(value: str) -> float:
    text = value.replace("_", "").lower()
    sign = -1.0 if text[0] == "-" else 1.0
    body = text.lstrip("+-")
    if body == ".inf":
        return sign * float("inf")
    if body == ".nan":
        return float("nan")
    return float(text)


_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _scalar(node: ScalarNode, dates: bool = False) -> Any:
    tag = node.tag
    if tag == STR:
        return node.value
    if tag == NULL:
        return None
    if tag == BOOL:
        return node.value in ("true", "True", "TRUE")
    try:
        if tag == INT:
            return _int(node.value)
        if tag == FLOAT:
            return _float(node.value)
    except ValueError:
        raise Fallback(f"unusual number {node.value!r}") from None
    if dates and tag == TIMESTAMP and _DAY.fullmatch(node.value):
        import datetime

        try:  # a day, as ruamel.yaml's safe loader reads it (a date that exists)
            return datetime.date(*map(int, node.value.split("-")))
        except ValueError:
            raise Fallback(f"no such day {node.value!r}") from None
    raise Fallback(f"tag {tag}")  # timestamps, merge keys, explicit tags


def _build(node: Any, seen: set[int] | None, plain: bool = False) -> Any:
    """Data of ``node``: containers with line information, or (``plain``: for
    :func:`load_plain`) plain dicts and lists, days read as dates."""
    if seen is not None:  # the text may hold aliases: a node met twice is one
        if id(node) in seen:
            raise Fallback("alias")
        seen.add(id(node))
    cls = node.__class__
    if cls is ScalarNode:
        return _scalar(node, plain)
    mark = node.start_mark
    if cls is MappingNode:
        if node.tag != MAP:
            raise Fallback(f"tag {node.tag}")
        out = {} if plain else LineMap()
        where: dict[Any, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise Fallback("complex key")
            key = key_node.value if key_node.tag == STR else _scalar(key_node)
            if key in where or not isinstance(key, str):
                raise Fallback("duplicate or non-string key")
            # text, most values of a store file, without a call per scalar
            out[key] = value_node.value if (seen is None and value_node.tag == STR and
                                            value_node.__class__ is ScalarNode) \
                else _build(value_node, seen, plain)
            at = key_node.start_mark
            where[key] = (at.line, at.column)
        if not plain:
            out.lc = LineCol(mark.line, mark.column, where)
        return out
    if cls is SequenceNode:
        if node.tag != SEQ:
            raise Fallback(f"tag {node.tag}")
        children = [_build(child, seen, plain) for child in node.value]
        if plain:
            return children
        items = LineList(children)
        items.lc = LineCol(mark.line, mark.column,
                           [(c.start_mark.line, c.start_mark.column) for c in node.value])
        return items
    raise Fallback("unknown node")  # pragma: no cover


def compose(text: str) -> Any:
    """The node tree of ``text`` (libyaml marks: 0-based lines, character indexes)."""
    try:
        with gc_paused():  # a YAML tree has no cycles; collections triple a big file's time
            loader = _Composer(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
    except yaml.YAMLError as exc:
        raise Fallback(str(exc)) from None


def load(text: str) -> Any:
    """Plain data of ``text`` with ruamel-style line information; :class:`Fallback`
    whenever the round-trip parser might read it differently (or reject it)."""
    return _read(text, plain=False)


def load_plain(text: str) -> Any:
    """Plain dicts, lists and scalars of ``text`` as ruamel.yaml's *safe* loader reads it
    (a corpus file's front matter: ``date: 2021-12-30`` is a date), :class:`Fallback`
    otherwise (times of day, aliases, tags, duplicate keys, errors…). The two loaders
    read scalars alike but for the round-trip one's wrapper types (``ScalarInt`` is an
    int), which plain data has no use for."""
    return _read(text, plain=True)


def _read(text: str, plain: bool) -> Any:
    """Compose and build under one pause of the collector (see :func:`compose`)."""
    if "%YAML" in text:
        raise Fallback("version directive")
    with gc_paused():
        node = compose(text)
        if node is None:
            return None
        return _build(node, set() if "*" in text else None, plain)


@lru_cache(maxsize=16)
def _shared(text: str) -> tuple[Any, bool]:
    try:
        return load(text), True
    except Fallback:
        return None, False


def load_shared(text: str) -> Any:
    """:func:`load`, kept per text for files several readers read in one process (the
    metrics and overrides files). The data is shared: callers must not change it."""
    data, ok = _shared(text)
    if not ok:
        raise Fallback("see load()")
    return data


_RESOLVER = _Resolver12()


def resolves_as_text(value: str) -> bool:
    """Whether ``value`` written as a plain scalar reads back as text (not a number,
    boolean, null, date…) under the YAML 1.2 rules ruamel.yaml uses."""
    if value and value[0] not in _FIRSTS:  # no implicit resolver starts so: text
        return True
    return _RESOLVER.resolve(ScalarNode, value, (True, False)) == STR
