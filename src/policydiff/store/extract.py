"""Turn a raw source (web page, OCR'd newspaper, Word export, .docx) into clean blocks.

A :class:`Block` is a heading, a paragraph or a caption with normalized text. Each
source shape has its own extractor, and :func:`extract` picks one from the file's
type and content. Metadata found on the way (原标题, 记者, 责任编辑, the page's own
front matter) goes to :attr:`Extracted.meta`, never into the body.

What a generic rule cannot decide for an OCR'd page (where a sub-headline printed
in another column belongs) comes from layout hints in the corpus manifest.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from policydiff.core.errors import InputError
from policydiff.core.outline import HEADING_NUMBERING

BlockKind = Literal["heading", "paragraph", "caption"]


@dataclass
class Block:
    kind: BlockKind
    text: str
    level: int = 0


@dataclass
class Extracted:
    blocks: list[Block]
    meta: dict[str, Any] = field(default_factory=dict)
    shape: str = "text"  # html | ocr | word | docx | markdown | text
    #: What the text says about itself outside the body (metadata table, dateline, 文号
    #: line), for :func:`policydiff.core.metadata.infer`.
    found: dict[str, Any] = field(default_factory=dict)
    #: Heading roles (title, notice, article …) by block index, for metadata inference.
    roles: dict[int, str] = field(default_factory=dict)


def extract_plain_text(text: str, shape: str = "text") -> Extracted:
    """Any plain-text policy source: a site copy, a PDF copy, a web copy in chunks.

    Site chrome goes (into :attr:`Extracted.found` when it is metadata), hard line
    breaks and page chunks are re-flowed, run-in headings split out, and every line
    classified (:mod:`policydiff.core.textstructure`). A press report's headline and
    its 原标题/记者/责任编辑 lines go to the metadata, not the body.
    """
    from policydiff.core.metadata import press_cues
    from policydiff.core.textstructure import structure_lines

    meta: dict[str, Any] = {}
    lines: list[str] = []
    for raw in text.split("\n"):
        line = _BOOKMARK.sub("", raw).replace("\u200b", "").replace("\ufeff", "")
        line = _RUNS_OF_SPACE.sub(" ", line).strip(" \t\u00a0\u3000")
        if not line:
            continue
        found_line = _meta_line(line)
        if found_line and found_line[0] in ("original_title", "editor"):
            meta.setdefault(found_line[0], found_line[1])
            continue
        lines.append(line)
    blocks, found = structure_lines(lines)
    found_meta = found.as_meta()
    if blocks and blocks[0].kind == "heading" and blocks[0].role == "title" and (
            press_cues([b.text for b in blocks[1:5]]) or meta.get("original_title")):
        meta["headline"] = blocks.pop(0).text
        found_meta["lead_lines"] = [b.text for b in blocks[:3]]
    out = [Block("heading" if b.kind == "heading" else "paragraph", b.text, b.level)
           for b in blocks]
    roles = {i: b.role for i, b in enumerate(blocks) if b.role}
    if out and out[0].kind == "heading" and roles.get(0) in ("title", "notice"):
        meta["title"] = out[0].text
    return Extracted(out, meta, shape, found_meta, roles)


# --- normalization shared by every shape -------------------------------------------

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_RUNS_OF_SPACE = re.compile(r"[ \t\u00a0]+")
SENTENCE_END = "。！？；!?;：:…”’」』）)】"


def clean_text(text: str) -> str:
    """One paragraph's text: markers gone, spaces trimmed and collapsed, no line breaks."""
    text = _BOOKMARK.sub("", text)
    text = text.replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"\s*\n\s*", "", text)
    text = text.strip(" \t\u00a0\u3000")
    return _RUNS_OF_SPACE.sub(" ", text)


# Metadata lines and boilerplate found in Chinese news pages.
_META_LINES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("original_title", re.compile(r"^原标题[:：]\s*(.+)$")),
    ("editor", re.compile(r"^[（(]?责任编辑[:：]\s*(.+?)[）)]?$")),
    ("byline", re.compile(r"^((?:\S{0,6}记者|通讯员|文|来源)[\s:：]*\S{2,4}(?:\s+\S{2,4})*)$")),
)
_BOILERPLATE = re.compile(
    r"(尽在新浪财经APP|扫描二维码|扫码|关注我们|点击进入|海量资讯|免责声明|版权所有|"
    r"^来源[:：]|^编辑[:：]|^校对[:：])"
)


def _meta_line(text: str) -> tuple[str, str] | None:
    for key, pattern in _META_LINES:
        m = pattern.match(text)
        if m and len(text) <= 40:
            return key, m.group(1).strip()
    return None


# --- numbered headings (一、 / （一） / 1、) ---------------------------------------

def numbered_heading_level(text: str) -> int:
    """The outline level of a numbered heading line, or 0 if it is body text.

    A numbered line is a heading when it is short and does not read as a sentence.
    """
    for level, pattern in HEADING_NUMBERING:
        m = pattern.match(text)
        if m:
            rest = text[m.end():]
            if 0 < len(rest) <= 40 and not rest.rstrip().endswith(("。", "；", "：")) \
                    and "。" not in rest and level <= 4:
                return level
    return 0


# --- HTML --------------------------------------------------------------------------

_BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "figcaption",
               "div", "td", "pre")
_SKIP_CLASSES = re.compile(r"(appendQr|article-editor|img_wrapper|share|footer|related|"
                           r"comment|advert|qrcode)", re.I)


def extract_html(html: str) -> Extracted:
    """Paragraphs and headings of a news page; scripts, styles, comments, QR blocks gone."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "html.parser")
    meta: dict[str, Any] = {}
    for node in soup.find_all(string=lambda s: isinstance(s, Comment)):
        node.extract()
    for tag in soup.find_all(["script", "style", "noscript", "iframe", "img", "svg"]):
        tag.decompose()
    title_tag = soup.find("title")
    if title_tag and title_tag.get_text(strip=True):
        meta["title"] = title_tag.get_text(strip=True)
        title_tag.decompose()
    for tag in soup.find_all(class_=True):
        if tag.decomposed:
            continue
        classes = " ".join(tag.get("class") or [])
        if "article-editor" in classes:
            line = clean_text(tag.get_text())
            found = _meta_line(line)
            if found:
                meta[found[0]] = found[1]
            tag.decompose()
        elif _SKIP_CLASSES.search(classes):
            tag.decompose()

    blocks: list[Block] = []
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.decomposed:
            continue
        if tag.name in ("div", "td", "li", "blockquote") and tag.find(_BLOCK_TAGS):
            continue  # a container: its children are visited on their own
        text = clean_text(tag.get_text())
        if not text:
            continue
        found = _meta_line(text)
        if found:
            meta.setdefault(found[0], found[1])
            continue
        if _BOILERPLATE.search(text):
            continue
        if tag.name and re.fullmatch(r"h[1-6]", tag.name):
            blocks.append(Block("heading", text, int(tag.name[1])))
        else:
            blocks.append(Block("paragraph", text))
    return Extracted(blocks, meta, "html")


# --- Word export as plain text -----------------------------------------------------


def extract_word_text(text: str) -> Extracted:
    """A Word document exported to text: one paragraph a line, numbered headings.

    ``[bookmark: _Toc…]`` markers are dropped; 一、/（一）/1、 lines become headings
    of levels 1/2/3 that keep their numbering. Leading lines before the first
    paragraph that ends a sentence are the document's title.
    """
    lines = [clean_text(line) for line in text.split("\n")]
    lines = [line for line in lines if line]
    return _blocks_from_lines(lines, "word")


def _blocks_from_lines(lines: list[str], shape: str) -> Extracted:
    blocks: list[Block] = []
    title_parts: list[str] = []
    body_started = False
    for line in lines:
        level = numbered_heading_level(line)
        if level:
            body_started = True
            blocks.append(Block("heading", line, level))
            continue
        if not body_started and not line.endswith(tuple(SENTENCE_END)) and len(line) <= 60:
            title_parts.append(line)
            continue
        if title_parts and not blocks:
            blocks.append(Block("heading", "".join(title_parts), 1))
            title_parts = []
        body_started = True
        blocks.append(Block("paragraph", line))
    if title_parts and not blocks:
        blocks.append(Block("heading", "".join(title_parts), 1))
    meta: dict[str, Any] = {}
    if blocks and blocks[0].kind == "heading" and not numbered_heading_level(blocks[0].text):
        meta["title"] = blocks[0].text
    return Extracted(blocks, meta, shape)


# --- OCR'd newspaper columns -------------------------------------------------------

_CAPTION = re.compile(r"(摄$|资料图|^图[:：]|^图为|供图$|^（图|^【图)")


def looks_like_ocr_columns(text: str) -> bool:
    """Hard-wrapped narrow columns: most lines short and not ending a sentence."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if len(lines) < 20:
        return False
    short = sum(1 for line in lines if len(line) <= 24)
    open_ended = sum(1 for line in lines if not line.endswith(tuple(SENTENCE_END)))
    return short / len(lines) > 0.7 and open_ended / len(lines) > 0.5


def extract_ocr(text: str, hints: dict[str, Any] | None = None) -> Extracted:
    """Re-flow OCR'd newspaper columns into headings, paragraphs and captions.

    Lines of a block are joined without spaces (Chinese has none), so a word or
    number broken by the column (``超过1000`` / ``亿``) is whole again. A block that
    does not end a sentence continues into the next one (column and page breaks).
    Short blocks without sentence punctuation are headlines; ``…摄`` / ``资料图``
    lines are photo captions; ``记者 …`` lines are bylines (metadata).

    ``hints`` (from the manifest's ``layout``) can name extra heading lines
    (``headings: [{text, level, before}]``): a heading printed in another column is
    moved before the paragraph that starts with ``before``.
    """
    hints = hints or {}
    heading_hints = {h["text"]: h for h in hints.get("headings", [])}
    meta: dict[str, Any] = {}
    raw_blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
    blocks: list[Block] = []
    for raw in raw_blocks:
        lines = [line.strip() for line in raw.split("\n") if line.strip()]
        # A hinted heading line at the top of a block is split from the text after it.
        while lines and lines[0] in heading_hints and len(lines) > 1:
            hint = heading_hints[lines.pop(0)]
            blocks.append(Block("heading", hint["text"], int(hint.get("level", 2))))
        joined = clean_text("".join(lines))
        one_line = " ".join(clean_text(line) for line in lines)
        if not joined:
            continue
        found = _meta_line(one_line)
        if found and found[0] == "byline":
            meta.setdefault("byline", found[1])
            continue
        if _CAPTION.search(joined) and len(lines) <= 3:
            blocks.append(Block("caption", one_line))
            continue
        if one_line in heading_hints:
            blocks.append(Block("heading", one_line, int(heading_hints[one_line].get("level", 2))))
            continue
        if _is_headline(lines):
            blocks.append(Block("heading", one_line, 1))
            continue
        previous = blocks[-1] if blocks else None
        if previous and previous.kind == "paragraph" and not previous.text.endswith(
                tuple(SENTENCE_END)):
            previous.text = clean_text(previous.text + joined)
        else:
            blocks.append(Block("paragraph", joined))
    blocks = _place_hinted_headings(blocks, heading_hints)
    return Extracted(blocks, meta, "ocr")


def _is_headline(lines: list[str]) -> bool:
    joined = "".join(lines)
    return len(joined) <= 40 and len(lines) <= 3 and not re.search(r"[，。；：！？,;!?]", joined)


def _place_hinted_headings(blocks: list[Block], hints: dict[str, dict[str, Any]]) -> list[Block]:
    moves = {text: h["before"] for text, h in hints.items() if h.get("before")}
    if not moves:
        return blocks
    moving = [b for b in blocks if b.kind == "heading" and b.text in moves]
    rest = [b for b in blocks if not (b.kind == "heading" and b.text in moves)]
    for heading in moving:
        anchor = moves[heading.text]
        for i, block in enumerate(rest):
            if block.kind == "paragraph" and block.text.startswith(anchor):
                rest.insert(i, heading)
                break
        else:
            raise InputError(f"layout hint: no paragraph starts with {anchor!r} "
                             f"(to place heading {heading.text!r})")
    return rest


# --- .docx -------------------------------------------------------------------------


def extract_docx(data: bytes) -> Extracted:
    """Paragraphs of a .docx; Word heading styles and numbered lines become headings."""
    import zipfile

    from docx import Document as DocxDocument

    try:
        doc = DocxDocument(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise InputError(f"not a readable .docx file ({exc})") from None
    blocks: list[Block] = []
    for para in doc.paragraphs:
        text = clean_text(para.text)
        if not text:
            continue
        style = (para.style.name or "") if para.style is not None else ""
        m = re.match(r"(?:Heading|标题)\s*(\d)", style)
        if style == "Title":
            blocks.append(Block("heading", text, 1))
        elif m:
            blocks.append(Block("heading", text, int(m.group(1))))
        elif numbered_heading_level(text):
            blocks.append(Block("heading", text, numbered_heading_level(text)))
        else:
            blocks.append(Block("paragraph", text))
    meta: dict[str, Any] = {}
    if doc.core_properties.title:
        meta["title"] = doc.core_properties.title
    return Extracted(blocks, meta, "docx")


# --- Markdown and plain text -------------------------------------------------------


def extract_markdown(text: str) -> Extracted:
    """Markdown: ``#`` headings, ``>`` captions, blank-line separated paragraphs."""
    blocks: list[Block] = []
    for raw in re.split(r"\n\s*\n", text):
        raw = raw.strip()
        if not raw:
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", raw)
        if m and "\n" not in raw:
            blocks.append(Block("heading", clean_text(m.group(2)), len(m.group(1))))
        elif raw.startswith(">"):
            blocks.append(Block("caption", clean_text(re.sub(r"^>\s?", "", raw, flags=re.M))))
        else:
            blocks.append(Block("paragraph", clean_text(raw)))
    return Extracted(blocks, {}, "markdown")


def split_front_matter(text: str, memo: dict[str, dict[str, Any]] | None = None
                       ) -> tuple[dict[str, Any], str]:
    """YAML front matter (``---`` … ``---``) and the rest; ``({}, text)`` if none.

    ``memo``: front matter already parsed, by its text (a lazy corpus parses each file
    again when a document is asked for; the YAML was ~half of that).
    """
    m = re.match(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n", text, re.S)
    if not m:
        return {}, text
    if memo is not None and m.group(1) in memo:
        return dict(memo[m.group(1)]), text[m.end():]
    from policydiff.store import fastyaml

    try:  # libyaml, a tenth of the time; ruamel.yaml for what it might read differently
        data = fastyaml.load_plain(m.group(1)) or {}
    except fastyaml.Fallback:
        data = _front_matter_ruamel(m.group(1))
    if not isinstance(data, dict):
        raise InputError("front matter is not a mapping")
    if memo is not None:
        memo[m.group(1)] = dict(data)
    return data, text[m.end():]


def _front_matter_ruamel(text: str) -> Any:
    """Front matter read by ruamel.yaml's safe loader, its errors as one clear line."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="safe").load(text) or {}
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        # the front matter starts on the file's line 2 (after ``---``)
        raise InputError(f"malformed front matter: {problem}",
                         line=mark.line + 2 if mark is not None else None) from None
    except ValueError as exc:  # e.g. ``date: 2021-02-30`` (a timestamp that does not exist)
        raise InputError(f"malformed front matter: a date that does not exist ({exc}); "
                         "write YYYY, YYYY-MM or YYYY-MM-DD") from None


def extract(data: bytes, filename: str, hints: dict[str, Any] | None = None) -> Extracted:
    """Pick the extractor for ``filename`` and its content."""
    from policydiff.store.encoding import decode_bytes

    lower = filename.lower()
    if lower.endswith(".docx"):
        if not data.startswith(b"PK"):
            raise InputError("not a .docx file (no ZIP signature)", path=filename)
        from policydiff.store.limits import check_archive  # hostile: zip bombs

        check_archive(data, where=filename)
        return extract_docx(data)
    if lower.endswith((".doc", ".pdf", ".xlsx", ".pptx", ".zip", ".png", ".jpg")):
        raise InputError("unsupported file type (use .txt, .md, .html or .docx)", path=filename)
    text = decode_bytes(data, filename)
    from policydiff.store.limits import check_html_depth, strip_control  # hostile

    text = strip_control(text)  # hostile: ANSI escapes, NUL and other control characters
    front, body = split_front_matter(text)
    if lower.endswith((".html", ".htm")) or re.search(r"<(p|div|html|body)[\s>]", body, re.I):
        check_html_depth(body, where=filename)  # hostile: 50,000 nested levels
        result = extract_html(body)
    elif looks_like_ocr_columns(body) and not _BOOKMARK.search(body) \
            and not _has_numbered_outline(body) and len(re.findall(r"\n\s*\n", body)) >= 3:
        # Newspaper columns come in blank-line separated blocks; a hard-wrapped policy
        # text with 一、/二、 headings goes to the plain-text re-flow instead.
        result = extract_ocr(body, hints)
    elif lower.endswith(".md") and re.search(r"^#{1,6} ", body, re.M):
        result = extract_markdown(body)
    else:
        result = extract_plain_text(body, "word" if _BOOKMARK.search(body) else "text")
    for key, value in front.items():
        result.meta.setdefault(f"source_{key}", value)
    if not any(b.kind == "paragraph" for b in result.blocks):
        raise InputError("no text paragraphs found", path=filename)
    return result


def _has_numbered_outline(text: str) -> bool:
    heads = [line for line in text.split("\n") if numbered_heading_level(clean_text(line)) == 1]
    return len(heads) >= 2
