"""From the lines of a plain-text policy source to headings and paragraphs.

Real sources are copies: from a government site (breadcrumbs, a 索引号 metadata
table, 字号 大 中 小, 打印本页), from a PDF (hard line breaks every ~30 characters,
page numbers, running heads), from a web page cut into chunks (``1、…2、…`` with words
broken across chunks), or from an editor that ran every heading into one paragraph.
This module undoes that in four steps, each a pure function of lines:

1. :func:`strip_chrome` — site chrome out; metadata-table fields, datelines and
   source lines kept aside in a dict (never in the body);
2. :func:`reflow` — page chunks and hard line breaks joined back into paragraphs
   (never joining a line to one that starts with a heading or item marker);
3. :func:`split_inline` — headings, articles and a trailing signature run into one
   paragraph split back out, only where the numbering continues its sequence;
4. :func:`classify` — each line becomes the title, the 印发 notice's heading, a
   part/chapter/section/article heading, a numbered heading, or a paragraph.

Nothing here drops text that belongs to the document: chrome is only recognised
when a whole line is chrome (or a ``??`` artefact before an article).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from policydiff.core.normalize import to_simplified
from policydiff.core.outline import Marker, legal_marker, list_marker

SENTENCE_END = "。！？；!?;…"
CLOSERS = "”’」』）)】"


@dataclass
class TextBlock:
    kind: str  # heading | paragraph
    text: str
    level: int = 0
    role: str = ""  # title | notice | part | chapter | section | article | list | ""


@dataclass
class Found:
    """What the text says about itself, outside the body."""

    table: dict[str, str] = field(default_factory=dict)
    dropped: list[str] = field(default_factory=list)
    dateline: str | None = None
    source: str | None = None
    number_line: str | None = None

    def as_meta(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.table:
            out["table"] = dict(self.table)
        if self.dateline:
            out["dateline"] = self.dateline
        if self.source:
            out["source"] = self.source
        if self.number_line:
            out["number_line"] = self.number_line
        return out


# --- 1. chrome -------------------------------------------------------------------------

#: Keys of site metadata tables (simplified script; spaces removed before lookup).
TABLE_KEYS = (
    "索引号", "主题分类", "发文机关", "发文机构", "发文单位", "成文日期", "成文时间", "标题", "名称",  # noqa: E501
    "文号", "发文字号", "文件编号", "发文号", "发布日期", "发布时间", "发布机构", "公开类别",
    "公开方式", "公开范围", "来源", "信息来源", "文章来源", "作者", "访问次数", "浏览次数", "点击数",  # noqa: E501
    "阅读次数", "点击量", "效力状态", "有效性", "时效性", "生效日期", "实施日期", "施行日期",
    "废止日期", "体裁", "主题词", "组配分类", "责任编辑", "编辑", "日期", "时间", "信息分类",
    "所属主题", "文种", "公文种类", "统一编号", "登记号",
)
_KEYS_RE = "|".join(sorted((re.escape(k) for k in TABLE_KEYS), key=len, reverse=True))
_SPACED = r"[ \t\u3000]*"
_KEY_PAIR = re.compile(rf"(?<!原)({_KEYS_RE}){_SPACED}[:：|｜]")
_CHROME_TOKENS = {
    "打印本页", "打印", "关闭窗口", "关闭", "字号", "字体", "大", "中", "小", "分享到", "分享",
    "收藏", "我要纠错", "纠错", "返回顶部", "保存", "保存本页", "打印正文", "默认", "扫一扫",
    "在手机打开", "微信", "微博", "【", "】", "相关链接", "下载", "我要打印", "加入收藏", "返回",
    "上一篇", "下一篇", "|",
}
_BREADCRUMB_START = re.compile(r"^(首页|当前位置|您的位置|您现在的位置|所在位置|位置)[:：>»›\s]")
_BREADCRUMB_SEP = re.compile(r"\s*(?:>>|>|›|»|→|/|＞)\s*")
_PUBLIC = re.compile(r"^[（(]此件.{0,10}[）)]$")
_PAGE_NUMBER = re.compile(r"^[-—–－~\s]*\d{1,4}[-—–－~\s]*$"
                          r"|^第\s*\d+\s*页(\s*[/，,]?\s*共\s*\d+\s*页)?$")
_ARTEFACT = re.compile(r"^[?？]{1,4}(?=[\u4e00-\u9fff（(])")
_TOC = re.compile(r"^目[ \t\u3000]*录$")
DATE_TEXT = (r"(?:\d{4}|[〇○零一二三四五六七八九]{4})[ \t]*[年\-/.][ \t]*"
             r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t]*(?:月|[\-/.])"
             r"(?:[ \t]*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[ \t]*日?)?")
_DATELINE = re.compile(rf"^({DATE_TEXT})(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?"
                       rf"(?:\s*(?:来源|来自|稿源)[:：]\s*(.+))?$")
NUMBER_TEXT = r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\d{4}[〕\]］】)）]\s*第?\d{1,4}\s*号"
_NUMBER_LINE = re.compile(rf"^({NUMBER_TEXT})$")


_KEY_SPACES = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff][ \u3000]*[:：|｜])")


def _key(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", to_simplified(text))


def _table_pairs(line: str) -> tuple[str, dict[str, str]] | None:
    """``(text before the table, {key: value})`` if the line holds table fields."""
    simple = to_simplified(line)
    # 标　　题： → 标题： (keys spaced out to align a table)
    line_s = _KEY_SPACES.sub("", simple)
    matches = list(_KEY_PAIR.finditer(line_s))
    if not matches:
        return None
    before = line_s[:matches[0].start()].strip()
    # A key far into a sentence is prose (“来源：” in a quote), not a table.
    if before and (matches[0].start() > 80 or before.endswith(tuple(SENTENCE_END + "，,"))):
        return None
    pairs: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line_s)
        value = line_s[m.end():end].strip(" \t\u3000|｜")
        pairs.setdefault(m.group(1), value)
    if not before and len(matches) == 1 and len(pairs[matches[0].group(1)]) > 60:
        return None  # “来源：…” opening a long paragraph is text
    # Give back the original script of the text before the table.
    if before:
        before = line[:len(before)] if to_simplified(line[:len(before)]) == before else before
    return before, pairs


def _is_chrome_tokens(line: str) -> bool:
    simple = re.sub(r"[（(]?责任编辑[:：]\s*[^\s）)]+[）)]?", " ", to_simplified(line))
    tokens = [t for t in re.split(r"[\s【】\[\]|｜:：·]+", simple) if t]
    return len(line) <= 60 and (not tokens or all(t in _CHROME_TOKENS for t in tokens))


def _is_breadcrumb(line: str) -> bool:
    simple = to_simplified(line)
    if _BREADCRUMB_START.match(simple) and len(simple) <= 80:
        return True
    parts = [p for p in _BREADCRUMB_SEP.split(simple) if p]
    if len(parts) >= 3 and all(len(p) <= 10 for p in parts) and not re.search("[。，；]", simple):
        return True
    nav = [p.strip() for p in re.split(r"[|｜]", simple)]
    return len(nav) >= 3 and all(0 < len(p) <= 6 for p in nav if p) and "。" not in simple


def strip_chrome(lines: list[str]) -> tuple[list[str], Found]:
    """Site chrome out of the lines; table fields, datelines and sources into :class:`Found`."""
    found = Found()
    out: list[str] = []
    counts = Counter(line for line in lines if len(line) <= 30)
    toc_first: str | None = None
    in_toc = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        line = _ARTEFACT.sub("", line)
        key = _key(line)
        if in_toc:
            if toc_first is None and (legal_marker(key) or list_marker(key)):
                toc_first = key
                found.dropped.append(line)
                continue
            if toc_first is not None and key != toc_first and (
                    legal_marker(key) and legal_marker(key).kind != "article"):
                found.dropped.append(line)
                continue
            in_toc = False
        if _TOC.match(key.replace(" ", "")) or key == "目录":
            in_toc, toc_first = True, None
            found.dropped.append(line)
            continue
        if (_PUBLIC.match(key) or _PAGE_NUMBER.match(line) or _is_chrome_tokens(line)
                or _is_breadcrumb(line)):
            m = re.search(r"责任编辑[:：]\s*(\S+)", to_simplified(line))
            if m:
                found.table.setdefault("责任编辑", m.group(1))
            found.dropped.append(line)
            continue
        if counts[line] >= 3 and not (legal_marker(line) or list_marker(line)) and i > 0:
            found.dropped.append(line)  # a running head repeated on every page
            continue
        if len(out) <= 3 and found.dateline is None:
            m = _DATELINE.match(to_simplified(line))
            if m and (m.group(2) or not out or len(out) <= 2) and i + 1 < len(lines):
                found.dateline = m.group(1)
                if m.group(2):
                    found.source = m.group(2).strip()
                found.dropped.append(line)
                continue
        table = _table_pairs(line)
        if table is not None:
            before, pairs = table
            for k, v in pairs.items():
                found.table.setdefault(k, v)
            found.dropped.append(line[len(before):] if before else line)
            if before:
                out.append(before)
            continue
        if len(out) <= 3 and found.number_line is None and _NUMBER_LINE.match(line):
            found.number_line = line
            found.dropped.append(line)
            continue
        out.append(line)
    return out, found


# --- 2. reflow ---------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _starts_block(line: str) -> bool:
    return bool(legal_marker(line) or list_marker(line))


_CHUNK = re.compile(r"^(\d{1,3})、")


def _page_chunks(lines: list[str]) -> list[str]:
    """``1、…`` ``2、…`` chunks of a web copy joined back (their numbers are not the text's)."""
    chunks = [(i, int(m.group(1))) for i, line in enumerate(lines)
              if (m := _CHUNK.match(line)) and len(line) >= 60]
    if len(chunks) < 2 or [v for _, v in chunks] != list(range(1, len(chunks) + 1)):
        return lines
    idx = [i for i, _ in chunks]
    if idx != list(range(idx[0], idx[0] + len(idx))):
        return lines
    broken = sum(1 for i in idx[:-1] if not lines[i].endswith(tuple(SENTENCE_END + CLOSERS)))
    if broken == 0:
        return lines
    joined = "".join(_CHUNK.sub("", lines[i], count=1) for i in idx)
    return [*lines[:idx[0]], joined, *lines[idx[-1] + 1:]]


def reflow(lines: list[str]) -> list[str]:
    """Join page chunks and hard-wrapped lines back into paragraphs."""
    lines = _page_chunks(lines)
    widths = [_width(line) for line in lines if _width(line) >= 20]
    if len(widths) < 6:
        return lines
    common, _ = Counter(min(w, 400) // 4 for w in widths).most_common(1)[0]
    band = [line for line in lines if common * 4 - 4 <= _width(line) <= common * 4 + 7]
    open_ended = sum(1 for line in band if not line.endswith(tuple(SENTENCE_END + CLOSERS)))
    if len(band) / len(widths) < 0.35 or open_ended / max(len(band), 1) < 0.6 \
            or common * 4 > 120:
        return lines
    limit = common * 4 - 4
    out: list[str] = []
    carry = False
    for line in lines:
        continues = carry or line[0] in "，。、；：）」”’,.;:)%％"
        numbered = _starts_block(line) and not line[0].isdigit()
        digit_start = line[0].isdigit() and not re.match(r"^\d+[、.．。](?!\d)", line)
        if out and ((continues and not numbered) or (carry and digit_start)):
            out[-1] += line
        else:
            out.append(line)
        # The first line is the title in nearly every source: never carried on.
        carry = len(out) > 1 and _width(line) >= limit and not out[-1].endswith(
            ("。", "！", "？"))
    return out


# --- 3. inline headings --------------------------------------------------------------------

_SIGNATURE_TAIL = re.compile(
    rf"(?<=[。；！？])((?:[\u4e00-\u9fff（）()]{{2,30}}?)({DATE_TEXT}))$")


def _split_points(line: str, state: dict[str, int]) -> list[int]:
    points: list[int] = []
    last_split = 0
    i = 1
    while i < len(line):
        ch_before = line[i - 1]
        m: Marker | None = None
        if line[i] in "第一二三四五六七八九十（(123456789①②③④⑤⑥⑦⑧⑨⑩":
            m = legal_marker(line[i:]) or list_marker(line[i:])
        if m is not None:
            key = m.kind if m.kind != "list" else f"list{m.level}"
            expected = state.get(key, 0) + 1
            seg = line[last_split:i]
            head_seg = _starts_block(seg) and not re.search(r"[，。；：！？,;]", seg) and \
                len(seg) <= 30
            if (m.value == expected or (m.value == 1 and m.kind == "list")) and \
                    (ch_before in SENTENCE_END + "：:" or head_seg) and \
                    not (m.kind == "list" and m.level >= 3 and ch_before not in "。；：:"):
                points.append(i)
                state[key] = m.value
                last_split = i
                i += m.end
                continue
        i += 1
    return points


def split_inline(lines: list[str]) -> list[str]:
    """Split headings, articles and a signature that were run into one paragraph."""
    out: list[str] = []
    state: dict[str, int] = {}
    for line in lines:
        first = legal_marker(line) or list_marker(line)
        if first is not None:
            key = first.kind if first.kind != "list" else f"list{first.level}"
            state[key] = first.value
        pieces = [line]
        if len(line) > 40:
            points = _split_points(line, state)
            if points:
                bounds = [0, *points, len(line)]
                pieces = [line[a:b] for a, b in itertools.pairwise(bounds) if line[a:b]]
        for piece in pieces:
            m = _SIGNATURE_TAIL.search(piece)
            if m and len(piece) > len(m.group(1)):
                org = m.group(1)[:-len(m.group(2))]
                out.extend([piece[:m.start()], org, m.group(2)] if org else
                           [piece[:m.start()], m.group(2)])
            else:
                out.append(piece)
    return [p for p in out if p.strip()]


# --- 4. classify ---------------------------------------------------------------------------

_NOTICE = re.compile(r"(关于印发|关于转发|印发|转发).{0,80}的?(通知|决定|批复)$|的通知$")
DATE_LINE = re.compile(rf"^[（(]?{DATE_TEXT}[）)]?$")
_ORG_END = re.compile(r"(政府|办公厅|办公室|委员会|委|厅|局|院|部|署|会|中心|办|处|集团|公司|银行|"
                      r"管理委员会|常委会|人大|政协|小组)$")
#: Words that end a heading in Chinese policy outlines (总体要求, 主要目标, 重点任务, 保障措施 …):
#: used to find where a heading run into its text without punctuation ends.
_HEAD_END = re.compile(r"^[^，。；：！？,;:“”《》]{1,10}?(要求|目标|任务|措施|原则|思想|保障|机制|举措|"  # noqa: E501
                       r"方向|重点|布局|基础|意义|形势|背景|思路|定位|路径|行动|工程|领域|环境|体系|部署|安排|"
                       r"实施|分工|附则|说明)(?=[^，。；：、）)\s])")
_LEAD = re.compile(r"^([^，。；：！？,;:]{1,22}[。：:])(?=\S)")


def is_org_line(line: str) -> bool:
    simple = to_simplified(line)
    return 2 <= len(simple) <= 40 and bool(_ORG_END.search(simple)) and \
        not re.search(r"[，。；：！？,;]", simple)


def _is_title_line(line: str) -> bool:
    return len(line) <= 70 and not line.endswith(tuple(SENTENCE_END + "：:，,")) and \
        not _starts_block(line) and not DATE_LINE.match(line)


def classify(lines: list[str]) -> list[TextBlock]:
    """Lines (already re-flowed and split) to headings and paragraphs."""
    blocks: list[TextBlock] = []
    legal_present = {m.kind for line in lines if (m := legal_marker(line))}
    level_of: dict[str, int] = {}
    depth = 1
    for kind in ("part", "chapter", "section"):
        if kind in legal_present:
            level_of[kind] = depth
            depth += 1
    level_of["article"] = depth if "article" in legal_present else 0
    list_offset = depth - 1 if legal_present - {"article"} else 0
    # The title: leading unnumbered short lines before the body (at most three: a title
    # broken over lines), never a line in brackets (an adoption note) or a signature.
    i = 0
    title_parts: list[str] = []
    while i < len(lines) and len(title_parts) < 3 and _is_title_line(lines[i]) \
            and not re.match(r"^[（(].*[）)]$", lines[i]) \
            and not (title_parts and (is_org_line(lines[i])
                                      or len("".join(title_parts)) + len(lines[i]) > 70)):
        title_parts.append(lines[i])
        i += 1
        if _NOTICE.search("".join(title_parts)):
            break
    if title_parts:
        title = "".join(title_parts)
        blocks.append(TextBlock("heading", title, 1,
                                "notice" if _NOTICE.search(title) else "title"))
    notice_open = bool(blocks) and blocks[0].role == "notice"
    in_article = False
    last_article = 0
    article_seen: set[int] = set()
    for line in lines[i:]:
        legal = legal_marker(line)
        if legal is not None and legal.kind == "article" and (
                legal.value > last_article or legal.value not in article_seen or last_article == 0):
            heading = line[:legal.end]
            heading = re.sub(r"[ \t\u3000]+", "", heading)
            rest = line[legal.end:].strip(" \t\u3000")
            blocks.append(TextBlock("heading", heading, max(level_of["article"], 1), "article"))
            if rest:
                blocks.append(TextBlock("paragraph", rest))
            in_article = True
            last_article = legal.value
            article_seen.add(legal.value)
            notice_open = False
            continue
        if legal is not None and legal.kind != "article" and len(line) <= 40 and \
                not re.search(r"[。；，]", line):
            text = _tidy_heading(line, legal)
            blocks.append(TextBlock("heading", text, level_of[legal.kind], legal.kind))
            in_article = False
            notice_open = False
            continue
        if notice_open and _is_title_line(line) and not is_org_line(line) and blocks and \
                blocks[-1].kind == "paragraph" and DATE_LINE.match(blocks[-1].text):
            # The policy's own title after the notice's signature.
            blocks.append(TextBlock("heading", line, 1, "title"))
            notice_open = False
            continue
        lm = list_marker(line)
        if lm is not None and not in_article and lm.level <= 4:
            level = lm.level + list_offset
            rest = line[lm.end:]
            if 0 < len(rest) <= 40 and not rest.rstrip().endswith(("。", "；", "：")) and \
                    "。" not in rest:
                blocks.append(TextBlock("heading", line, min(level, 6), "list"))
                notice_open = False
                continue
            lead = _LEAD.match(rest)
            if lead and lm.level <= 3 and len(rest) > len(lead.group(1)) + 4 and \
                    lead.group(1).endswith("。"):
                blocks.append(TextBlock("heading", line[:lm.end] + lead.group(1),
                                        min(level, 6), "list"))
                blocks.append(TextBlock("paragraph", rest[len(lead.group(1)):]))
                notice_open = False
                continue
            head = _HEAD_END.match(rest)
            if head and lm.level <= 2 and len(rest) > 15:
                blocks.append(TextBlock("heading", line[:lm.end] + head.group(0),
                                        min(level, 6), "list"))
                blocks.append(TextBlock("paragraph", rest[head.end():]))
                notice_open = False
                continue
        blocks.append(TextBlock("paragraph", line))
    return blocks


def _tidy_heading(line: str, legal: Marker) -> str:
    """``第一章　总　　则`` → ``第一章 总则``: one space after the number, none inside."""
    number = re.sub(r"[ \t\u3000]+", "", line[:legal.end])
    caption = line[legal.end:].strip(" \t\u3000")
    if re.fullmatch(r"[\u4e00-\u9fff](?:[ \t\u3000]+[\u4e00-\u9fff]){1,4}", caption):
        caption = re.sub(r"[ \t\u3000]+", "", caption)
    return f"{number} {caption}" if caption else number


def structure_lines(lines: list[str]) -> tuple[list[TextBlock], Found]:
    """The whole pipeline: chrome, reflow, inline split, classify."""
    kept, found = strip_chrome(lines)
    return classify(split_inline(reflow(kept))), found
