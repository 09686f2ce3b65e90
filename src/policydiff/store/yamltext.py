"""YAML files that people edit: parse with line numbers, validate, edit minimally.

Reviewers write the alignment files by hand, so problems must point at a line
(YAML errors, git conflict markers, schema violations), and the tool's own edits
must touch only the characters of the values they change: :class:`YamlText`
splices new values into the original text at ruamel.yaml's node positions, so
comments, key order and quoting survive. Nothing here knows what an alignment is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from policydiff.core.errors import StoreError
from policydiff.core.problems import Problem

_CONFLICT = re.compile(r"^(<{7}(?: |$)|={7}$|>{7}(?: |$)|\|{7}(?: |$))")

# --- schemas --------------------------------------------------------------------


def schema_path(name: str) -> Path:
    """The packaged JSON Schema file ``name`` (shipped in ``policydiff/schemas``)."""
    return Path(__file__).parent.parent / "schemas" / name


@lru_cache(maxsize=4)
def _validator(name: str):
    import json

    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(schema_path(name).read_text(encoding="utf-8")))


# --- YAML -----------------------------------------------------------------------


def round_trip():
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


def _dumper(flow: bool = False):
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.width = 1_000_000  # never fold a long Chinese sentence
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    if flow:
        yaml.default_flow_style = True
    return yaml


def plain(data: Any) -> Any:
    """ruamel's round-trip objects as plain dicts, lists and scalars (for comparing)."""
    if isinstance(data, Mapping):
        return {str(k): plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain(v) for v in data]
    if isinstance(data, bool) or data is None:
        return data
    if isinstance(data, int):
        return int(data)
    if isinstance(data, float):
        return float(data)
    return str(data)


def conflict_problems(rel: str, text: str) -> list[Problem]:
    """Git conflict markers left in a file, one problem per marker line."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if _CONFLICT.match(line):
            found.append(Problem(rel, number, f"git conflict marker {line[:7]!r}: keep the right "
                                 "side of the conflict and delete the markers"))
    return found


_YAML_HINTS = (
    ("expected <block end>", " (is this line indented like the keys around it?)"),
    ("mapping values are not allowed", " (quote a value that contains ': ')"),
    ("found character '\\t'", " (indent with spaces, not tabs)"),
    ("could not find expected ':'", " (a key without ':', or an unclosed quote above?)"),
    ("found unexpected end of stream", " (an unclosed quote or bracket?)"),
)


_QUOTE_START = re.compile(r"""^\s*(?:-\s+)?(?:[^\s'"#][^#]*?:\s+)?(["'])(.*)$""")


def _closes(quote: str, rest: str) -> bool:
    """Whether ``rest`` (after an opening quote) holds its closing quote."""
    i = 0
    while i < len(rest):
        c = rest[i]
        if quote == '"' and c == "\\":
            i += 2
            continue
        if c == quote:
            if quote == "'" and rest[i + 1:i + 2] == "'":  # '' is an escaped '
                i += 2
                continue
            return True
        i += 1
    return False


def _quote_opened_before(text: str, error_line: int) -> int | None:
    """The line where a quoted scalar opened that ran over several lines and closed
    at most two lines above ``error_line`` (1-based; YAML stumbles on what follows
    the closing quote), if there is one; else None."""
    if error_line <= 1:
        return None
    open_at: tuple[int, str] | None = None
    spanned: tuple[int, int] | None = None  # (opened, closed) of the last multi-line quote
    for number, line in enumerate(text.splitlines()[:error_line], 1):
        if open_at is not None:
            if _closes(open_at[1], line):
                spanned = (open_at[0], number)
                open_at = None
            continue
        m = _QUOTE_START.match(line)
        if m and not _closes(m.group(1), m.group(2)):
            open_at = (number, m.group(1))
    if spanned is not None and 0 <= error_line - spanned[1] <= 2:
        return spanned[0]
    return None


def _flow_opened_above(text: str, error_line: int) -> int | None:
    """The line just above ``error_line`` if it opens a ``[…]``/``{…}`` value it
    does not close (YAML only notices on the next line)."""
    lines = text.splitlines()
    if not 2 <= error_line <= len(lines):
        return None
    above = lines[error_line - 2]
    m = re.match(r"^\s*(?:-\s+)?[^\s'\"#][^#]*?:\s+([\[{].*)$", above) or \
        re.match(r"^\s*-\s+([\[{].*)$", above)
    if m is None or '"' in m.group(1) or "'" in m.group(1):
        return None
    value = m.group(1)
    opened = value.count("[") + value.count("{")
    closed = value.count("]") + value.count("}")
    return error_line - 1 if opened > closed else None


def parse_yaml(rel: str, text: str) -> tuple[Any, list[Problem]]:
    """Parse ``text``; YAML errors and conflict markers become problems with their line."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    from policydiff.store.limits import ALIAS_MESSAGE, alias_line

    problems = conflict_problems(rel, text)
    if problems:
        return None, problems
    alias = alias_line(text)
    if alias is not None:
        return None, [Problem(rel, alias, ALIAS_MESSAGE)]
    try:
        return round_trip().load(text), []
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 0
        what = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        hint = next((h for key, h in _YAML_HINTS if key in what), "")
        opened = _quote_opened_before(text, line)
        if opened is not None:
            # An unclosed quote swallows the lines below it until the next quote of
            # its kind; YAML only stumbles there. Point at the quote that was left open.
            return None, [Problem(rel, opened, f"YAML error: a quoted value opened here is not "
                                  f"closed on its line; it runs on to line {line}, where "
                                  f"YAML found: {what} (close the quote)")]
        flow = _flow_opened_above(text, line)
        if flow is not None:
            return None, [Problem(rel, flow, f"YAML error: a [ or {{ opened here is not closed; "
                                  f"on line {line} YAML found: {what}")]
        return None, [Problem(rel, line, f"YAML error: {what}{hint}")]
    except YAMLError as exc:
        return None, [Problem(rel, 0, f"YAML error: {' '.join(str(exc).split())}")]


def line_of(data: Any, path: Iterable[Any]) -> int:
    """1-based line of the node at ``path`` (keys and indices) in round-trip data."""
    line = 1
    node = data
    for step in path:
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, (dict, Mapping)):  # dict first: no ABC check for it
                if lc is not None and step in node:
                    line = lc.key(step)[0] + 1
                node = node[step]
            elif isinstance(node, list):
                if lc is not None:
                    line = lc.item(step)[0] + 1
                node = node[step]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    return line


@lru_cache(maxsize=4)
def _definition_validator(name: str, definition: str):
    import json

    from jsonschema import Draft202012Validator

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return Draft202012Validator({"$schema": schema["$schema"], "$defs": schema["$defs"],
                                 "$ref": f"#/$defs/{definition}"})


_DRAFT_07 = "http://json-schema.org/draft-07/schema#"


@lru_cache(maxsize=8)
def _compiled_check(name: str, definition: str | None = None) -> Callable[[Any], Any]:
    """The packaged schema ``name`` (or one of its ``$defs``) compiled to Python by
    fastjsonschema: the quick "is it valid?" before jsonschema, which is 20-50x slower
    on a file of thousands of members (``suggest --write``) and stays the judge of
    anything the quick check refuses (it gives the messages). Our schemas use only
    keywords draft-07 reads alike (a property test compares the two on mutated files)."""
    import json

    import fastjsonschema

    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    schema = {**schema, "$schema": _DRAFT_07}
    if definition is not None:
        schema = {"$schema": _DRAFT_07, "$defs": schema["$defs"],
                  "allOf": [{"$ref": f"#/$defs/{definition}"}]}
    return fastjsonschema.compile(schema)


def _quickly_valid(value: Any, name: str, definition: str | None = None) -> bool:
    from fastjsonschema import JsonSchemaException

    try:
        _compiled_check(name, definition)(value)
    except JsonSchemaException:
        return False
    return True


def valid_definition(value: Any, schema: str, definition: str) -> bool:
    """Whether ``value`` is valid as ``$defs/definition`` of packaged schema ``schema``
    (an edit validates the items it changed, not the whole file again)."""
    value = plain(value)
    return (_quickly_valid(value, schema, definition)
            or _definition_validator(schema, definition).is_valid(value))


def schema_problems(rel: str, data: Any, schema: str) -> list[Problem]:
    """Schema violations of ``data``, each at the line of the offending node."""
    from policydiff.store.fastyaml import LineMap

    problems: list[Problem] = []
    # the fast loader's dicts and lists hold plain values already: no copy to check them
    value = data if isinstance(data, LineMap) else plain(data)
    if _quickly_valid(value, schema):
        return problems
    value = plain(data)
    errors = sorted(_validator(schema).iter_errors(value),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path = list(error.absolute_path)
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        where = where.replace(".[", "[")
        message = error.message
        if error.validator == "type" and path and path[-1] == "section":
            message += " (quote section ids: section: '4.10')"
        problems.append(Problem(rel, line_of(data, path), f"{where or 'file'}: {message}"))
    return problems



# --- values as reviewers write them ----------------------------------------------


#: Notes longer than this (in display columns) are folded over several lines.
NOTE_WIDTH = 80


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def text_value(text: str) -> Any:
    """Prose (notes) as a reviewer would type it: a literal block if it has line
    breaks, a folded block (wrapped at spaces) if it is long, else a plain scalar."""
    from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString

    if "\n" in text:
        return LiteralScalarString(text)
    if _width(text) <= NOTE_WIDTH or text != text.strip():
        return text
    folds, line_start = [], 0
    for i, ch in enumerate(text):
        if (ch == " " and text[i - 1] != " " and text[i + 1] != " "
                and _width(text[line_start:i]) > NOTE_WIDTH - 12):
            folds.append(i)
            line_start = i + 1
    if not folds:
        return text
    folded = FoldedScalarString(text)
    folded.fold_pos = folds  # type: ignore[attr-defined]
    return folded


def dump(data: Any, flow: bool = False) -> str:
    out = io.StringIO()
    _dumper(flow).dump(data, out)
    return out.getvalue()


# Characters that may make ruamel.yaml quote a scalar (indicators, quotes, escapes).
_NOT_PLAIN = re.compile(r"""[\s,\[\]{}#&*!|>'"%@`\\:?]|^[-?:]|\s$""")


def _plain_rendering(value: Any) -> str | None:
    """``value`` as a plain scalar when that is surely how ruamel.yaml writes it, else None."""
    if type(value) is int:
        return str(value)
    if type(value) is not str or not value or not value.isprintable():
        return None
    if _NOT_PLAIN.search(value.replace(" ", "")) or value != value.strip() or "  " in value \
            or value.startswith(("---", "...")) or "\ufeff" in value:
        return None
    from policydiff.store.fastyaml import resolves_as_text

    return value if resolves_as_text(value) else None


_ESCAPES = {"\x00": "0", "\x07": "a", "\x08": "b", "\t": "t", "\n": "n", "\x0b": "v",
            "\x0c": "f", "\r": "r", "\x1b": "e", '"': '"', "\\": "\\", "\x85": "N",
            "\xa0": "_", "\u2028": "L", "\u2029": "P"}  # ruamel.yaml's Emitter.ESCAPE_REPLACEMENTS


def _escaped(ch: str) -> str:
    if ch in '"\\\x85\u2028\u2029\ufeff' or not (
            "\x20" <= ch <= "\x7e" or "\xa0" <= ch <= "\ud7ff" or "\ue000" <= ch <= "\ufffd"
            or "\U00010000" <= ch <= "\U0010ffff"):
        if ch in _ESCAPES:
            return "\\" + _ESCAPES[ch]
        code = ord(ch)
        return f"\\x{code:02X}" if code <= 0xFF else (
            f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}")
    return ch


# What ruamel.yaml writes as it is with allow_unicode (Emitter.analyze_scalar, _escaped).
_PRINTABLE = "\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff"
# Characters the double-quoted writer escapes (see _escaped), to find them in one pass.
_TO_ESCAPE = re.compile("[\"\\\\\x85\u2028\u2029\ufeff]|[^" + _PRINTABLE + "]")


def _double_quoted(value: str) -> str:
    return '"' + _TO_ESCAPE.sub(lambda m: _escaped(m.group()), value) + '"'


# ruamel.yaml's Emitter.analyze_scalar for one-line text in block context, as regexes:
# characters it escapes (so neither plain nor single-quoted), and indicators that forbid
# a plain scalar (document markers, a leading indicator, ": " or " #" inside, ":" last).
_SPECIAL = re.compile("[^" + _PRINTABLE + "]|\ufeff")
_WS = "\0 \t\r\n\x85\u2028\u2029"
_BLOCK_INDICATOR = re.compile(
    "^(?:---|\\.\\.\\.|[#,\\[\\]{}&*!|>'\"%@`]|[-?:](?:[" + _WS + "]|$))"
    "|(?<=.):(?:[" + _WS + "]|$)|(?<=.)(?<=[" + _WS + "])#", re.S)
_BREAKS = re.compile("[\n\x85\u2028\u2029]")
# Text with none of these is plain unless its first character says otherwise (most
# quotes of Chinese policy text): what every rule above looks for, in one search.
_NOTEWORTHY = re.compile("[^" + _PRINTABLE.replace("\x20", "\x21", 1) + "]"  # spaces too
                         "|[:#\ufeff\u2028\u2029]")
_LEADING = frozenset("#,[]{}&*!|>'\"%@`-?:.")


def _text_rendering(value: Any) -> str | None:
    """Text as ruamel.yaml writes it after ``key: `` in block context, by its own rules
    (``Emitter.analyze_scalar`` and ``choose_scalar_style`` at our unbounded width):
    plain when nothing forbids it and it reads back as text; else in double quotes when
    it holds a ``'``, a ``\\n`` or a character that must be escaped; else in single
    quotes. None for empty text and for the rarer line breaks alone (the dumper's)."""
    if type(value) is not str or not value:
        return None
    from policydiff.store.fastyaml import resolves_as_text

    if value[0] not in _LEADING and _NOTEWORTHY.search(value) is None:
        return value if resolves_as_text(value) else "'" + value + "'"
    if "\n" in value:  # never plain; a line feed chooses double quotes
        return _double_quoted(value)
    if _BREAKS.search(value):
        return None
    special = _SPECIAL.search(value) is not None
    if not (special or value[0] == " " or value[-1] == " "
            or _BLOCK_INDICATOR.search(value)) and resolves_as_text(value):
        return value
    if special or "'" in value:
        return _double_quoted(value)
    return "'" + value + "'"


def render_value(value: Any, *, flow: bool, indent: int) -> str:
    """``value`` as YAML text to put after ``key: `` at column ``indent``.

    Multi-line renderings (block scalars, mappings) have their continuation lines
    indented for that column; no trailing newline. Plain text and integers, what most
    edits write (``check --fix`` writes thousands), skip the dumper: the text is what
    ruamel.yaml would write (a property test holds them together).
    """
    if type(value) is str and len(value) <= 64:  # ids and short words repeat; quotes don't
        return _rendered_text(value, flow, indent)
    return _rendering(value, flow, indent)


@lru_cache(maxsize=16384)
def _rendered_text(value: str, flow: bool, indent: int) -> str:
    """:func:`render_value` of a string, remembered: a store's members repeat their doc
    ids, section ids and statuses thousands of times (``suggest --write``)."""
    return _rendering(value, flow, indent)


def _rendering(value: Any, flow: bool, indent: int) -> str:
    quick = _plain_rendering(value) if flow else (
        _text_rendering(value) or _plain_rendering(value))  # the latter: integers
    if quick is not None:
        return quick
    return _dumped_rendering(value, flow, indent)


def _dumped_rendering(value: Any, flow: bool, indent: int) -> str:
    """:func:`render_value` by running ruamel.yaml's dumper (what the quick paths match)."""
    if flow:
        text = dump([value], flow=True).strip()
        return text[1:-1].strip()
    text = dump({"k": value})
    assert text.startswith("k:")
    body = text[2:].rstrip("\n")
    body = body[1:] if body.startswith(" ") else body
    lines = body.split("\n")
    return "\n".join([lines[0]] + [(" " * indent + ln) if ln else ln for ln in lines[1:]])


@lru_cache(maxsize=1024)
def _plain_key(key: str) -> bool:
    return _plain_rendering(key) == key


def dump_items(items: list[Any]) -> str:
    """``dump(items)`` for a list of mappings (new alignments), without running the
    dumper over the whole tree: structure is written here, each scalar by
    :func:`render_value` (plain text directly). ``suggest --write`` writes thousands of
    members; a property test holds this to ``dump``'s output."""
    lines: list[str] = []
    append = lines.append

    def mapping(node: Mapping[str, Any], column: int, first: str) -> bool:
        lead, rest = first, " " * column
        for key, value in node.items():
            if (type(key) is not str and not isinstance(key, str)) or not key \
                    or not _plain_key(key):
                return False
            kind = type(value)  # exact types first: an ABC check per scalar was a fifth
            if kind is str:  # render_value's own branches, without its call
                append(f"{lead}{key}: " + (_rendered_text(value, False, column)
                                           if len(value) <= 64 else
                                           _text_rendering(value)
                                           or _rendering(value, False, column)))
            elif kind is int:
                append(f"{lead}{key}: {value}")
            elif kind is dict or isinstance(value, Mapping):
                if not value:
                    return False
                append(f"{lead}{key}:")
                if not mapping(value, column + 2, " " * (column + 2)):
                    return False
            elif isinstance(value, list):
                if not value or not all((type(v) is dict or isinstance(v, Mapping)) and v
                                        for v in value):
                    return False
                append(f"{lead}{key}:")
                dash = " " * (column + 2) + "- "
                for entry in value:
                    if not mapping(entry, column + 4, dash):
                        return False
            else:
                append(f"{lead}{key}: {render_value(value, flow=False, indent=column)}")
            lead = rest
        return True

    for item in items:
        if not isinstance(item, Mapping) or not item or not mapping(item, 4, "  - "):
            return dump(items)
    return "\n".join(lines) + "\n"


# --- minimal edits of YAML text ---------------------------------------------------


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


def is_mapping(node: Any) -> bool:
    return type(node).__name__ == "MappingNode"


def is_scalar(node: Any) -> bool:
    return type(node).__name__ == "ScalarNode"


def get_key(node: Any, key: str) -> tuple[Any, Any] | None:
    if not is_mapping(node):
        return None
    for k, v in node.value:
        if is_scalar(k) and k.value == key:
            return k, v
    return None


class YamlText:
    """A YAML text and its node tree (with character positions), for splicing edits."""

    def __init__(self, text: str, *, fast: bool = True):
        """Compose ``text``: with libyaml (:func:`policydiff.store.fastyaml.compose`, the
        same node attributes and character positions, ~15x faster on big files) unless
        ``fast`` is False or libyaml cannot read it; with ruamel.yaml otherwise."""
        self.text = text
        self.root = None
        if fast and "%YAML" not in text:
            from policydiff.store.fastyaml import Fallback, compose

            try:
                self.root = compose(text)
            except Fallback:
                self.root = None
        if self.root is None:
            self.root = round_trip().compose(text)

    def alignment_items(self) -> dict[str, list[Any]]:
        """Item nodes of the top-level ``alignments`` list by id (a list: ids may repeat),
        built once so a batch of edits finds its items without rescanning the file."""
        seq = get_key(self.root, "alignments")
        index: dict[str, list[Any]] = {}
        if seq is None or type(seq[1]).__name__ != "SequenceNode":
            return index
        for item in seq[1].value:
            kv = get_key(item, "id")
            if kv is not None and is_scalar(kv[1]):
                index.setdefault(kv[1].value, []).append(item)
        return index

    def find_alignment(self, alignment_id: str) -> Any:
        seq = get_key(self.root, "alignments")
        if seq is None or type(seq[1]).__name__ != "SequenceNode":
            return None
        for item in seq[1].value:
            kv = get_key(item, "id")
            if kv is not None and is_scalar(kv[1]) and kv[1].value == alignment_id:
                return item
        return None

    def count_alignment(self, alignment_id: str) -> int:
        seq = get_key(self.root, "alignments")
        if seq is None or type(seq[1]).__name__ != "SequenceNode":
            return 0
        return sum(1 for item in seq[1].value
                   if (kv := get_key(item, "id")) is not None and kv[1].value == alignment_id)

    def _last_index(self, node: Any) -> int:
        """Index just after the last character of a node's own text."""
        if is_scalar(node):
            end = node.end_mark.index
            while end > node.start_mark.index and self.text[end - 1] in " \t\r\n":
                end -= 1
            return end
        if getattr(node, "flow_style", False) or not node.value:
            return node.end_mark.index
        last = node.value[-1]
        return self._last_index(last[1] if isinstance(last, tuple) else last)

    def _line_end(self, index: int) -> int:
        nl = self.text.find("\n", index)
        return len(self.text) if nl < 0 else nl + 1

    def _after_colon(self, key_node: Any) -> int:
        colon = self.text.index(":", key_node.end_mark.index)
        return colon + 1

    def set_key(self, mapping: Any, key: str, value: Any, after: Iterable[str] = ()) -> list[Edit]:
        """Edits that give ``key`` the scalar ``value`` in ``mapping`` (added if missing)."""
        if not is_mapping(mapping):
            raise StoreError("cannot edit: expected a mapping")
        flow = bool(getattr(mapping, "flow_style", False))
        kv = get_key(mapping, key)
        if kv is not None:
            key_node, value_node = kv
            if not is_scalar(value_node):
                raise StoreError(f"cannot edit {key!r}: it is not a plain value",)
            if value_node.tag.endswith(":null") and value_node.start_mark.index == \
                    value_node.end_mark.index:
                at = self._after_colon(key_node)
                rendered = render_value(value, flow=flow, indent=key_node.start_mark.column)
                return [Edit(at, at, " " + rendered)]
            if _scalar_equals(value_node, value):
                return []
            start = value_node.start_mark.index
            end = self._last_index(value_node)
            rendered = render_value(value, flow=flow, indent=key_node.start_mark.column)
            if "\n" in rendered:
                rest_end = self._line_end(end)
                rest = self.text[end:rest_end].rstrip("\n")
                if rest.strip().startswith("#"):  # keep a trailing comment on the header line
                    head, body = rendered.split("\n", 1)
                    rendered = head + rest + "\n" + body
                    end = end + len(rest)
            return [Edit(start, end, rendered)]
        if flow:
            close = mapping.end_mark.index - 1
            sep = ", " if mapping.value else ""
            return [Edit(close, close, f"{sep}{key}: {render_value(value, flow=True, indent=0)}")]
        keys = [k.value for k, _ in mapping.value]
        present = [k for k in keys if k in set(after)]
        previous = present[-1] if present else None  # after the last of its neighbours
        column = mapping.value[0][0].start_mark.column if mapping.value else 0
        line = " " * column + f"{key}: {render_value(value, flow=False, indent=column)}\n"
        if previous is None:
            first = mapping.value[0][0].start_mark.index
            line_start = self.text.rfind("\n", 0, first) + 1
            if self.text[line_start:first].strip():  # "- id: x": insert after the first key
                previous = keys[0]
            else:
                return [Edit(line_start, line_start, line)]
        prev_value = get_key(mapping, previous)[1]
        at = self._line_end(self._last_index(prev_value))
        prefix = "" if at == 0 or self.text[at - 1] == "\n" else "\n"
        return [Edit(at, at, prefix + line)]

    def append_item(self, item: Any) -> list[Edit]:
        """Edits that append ``item`` to the top-level ``alignments`` list."""
        return self.append_items([item])

    def append_items(self, items: list[Any]) -> list[Edit]:
        """Edits that append ``items`` to the top-level ``alignments`` list (one insertion)."""
        kv = get_key(self.root, "alignments")
        if kv is None:
            text = "alignments:\n" + dump_items(items)
            at = len(self.text)
            prefix = "" if not self.text or self.text.endswith("\n") else "\n"
            return [Edit(at, at, prefix + _indent_items(text, 2, header=True))]
        key_node, seq = kv
        if type(seq).__name__ == "SequenceNode" and not seq.flow_style and seq.value:
            last = seq.value[-1]
            line_start = self.text.rfind("\n", 0, last.start_mark.index) + 1
            dash = self.text.find("-", line_start, last.start_mark.index)
            column = dash - line_start if dash >= 0 else key_node.start_mark.column + 2
            at = self._line_end(self._last_index(last))
            prefix = "" if self.text[at - 1] == "\n" else "\n"
            return [Edit(at, at, prefix + _indent_items(dump_items(items), column))]
        # `alignments: []` or `alignments:` (null): replace the value with a block list.
        start = self._after_colon(key_node)
        end = seq.end_mark.index if type(seq).__name__ == "SequenceNode" else start
        column = key_node.start_mark.column + 2
        block = _indent_items(dump_items(items), column).rstrip("\n")
        return [Edit(start, end, "\n" + block)]

    def apply(self, edits: list[Edit]) -> str:
        """The text with ``edits`` made, in one pass (linear in the text, however many
        edits); of two insertions at one place, the first given ends up first."""
        ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].start, ie[1].end, ie[0]))
        pieces, pos = [], 0
        for _, edit in ordered:
            if edit.start < pos:
                raise StoreError("internal error: two edits of one value overlap; the file "
                                 "was left unchanged")
            pieces.append(self.text[pos:edit.start])
            pieces.append(edit.text)
            pos = edit.end
        pieces.append(self.text[pos:])
        return "".join(pieces)


def _scalar_equals(node: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return node.value in (("true", "True", "TRUE") if value else ("false", "False", "FALSE"))
    if isinstance(value, int):
        return node.value == str(value) and not node.style
    return node.value == str(value) and node.tag.endswith(":str")


def _indent_items(dumped: str, column: int, header: bool = False) -> str:
    """Re-indent ruamel's ``  - item`` block (dash at column 2) to put the dash at ``column``."""
    lines = dumped.split("\n")
    shift = column - 2
    out = []
    for i, line in enumerate(lines):
        if (header and i == 0) or not line:
            out.append(line)
        elif shift >= 0:
            out.append(" " * shift + line)
        else:
            out.append(line[-shift:] if line[:-shift].strip() == "" else line)
    return "\n".join(out)
