"""What a policy text says about itself: title, date, issuer, 文号, status, period, kind.

Read from the structured text (:mod:`policydiff.core.textstructure`) and what the
extractor set aside (a site's metadata table, a dateline, a 文号 line, a news page's
front matter). Every value comes with where it was found — its *provenance* — so a
reviewer can see why the corpus says what it says and override it:

=====================  =================================================================
provenance             meaning
=====================  =================================================================
``option``             given on the command line or in ``corpus/sources.yaml``
``text:signature``     the issuer/date lines under the notice or at the end (落款, 成文日期)
``text:meta-table``    a site's metadata table (索引号/发文机关/成文日期/文号/发布日期 …)
``text:adoption``      a regulation's adoption line (（…人民代表大会常务委员会…通过）)
``text:notice``        the 印发 notice's title (《…》 inside it)
``text:title``         the document's own title line
``text:number-line``   a 文号 line under the title
``text:number-year``   the year inside the 文号 (〔2023〕21号): a date of year precision when
                       nothing else dates the text (a warning says so)
``text:dateline``      a news dateline (2023年02月10日 08:30 来源：…)
``text:press-cues``    记者 / 本报讯 / …电 / 据…报道 / 原标题 in the text
``source:metadata``    the page's front matter or HTML ``<title>``
``file-name``          nothing better: the file's name
``default``            nothing in the text: the usual value (status final, kind official)
=====================  =================================================================

Dates keep the precision the source gives (``2021``, ``2021-12``, ``2021-12-03``).
When the signature's date and the table's 成文日期 disagree, the signature is kept
(it is the document's own text; the table was typed by the site) and a warning says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from policydiff.core.normalize import to_simplified
from policydiff.core.textstructure import (
    DATE_LINE,
    DATE_TEXT,
    NUMBER_TEXT,
    TextBlock,
    is_org_line,
)

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7,
             "八": 8, "九": 9}
_DRAFT = re.compile(r"草案|征求意见稿|送审稿|讨论稿|意见稿|修订稿（?征求")
_DRAFT_SUFFIX = re.compile(r"[（(](?:草案|征求意见稿|送审稿|讨论稿|修订草案|草案征求意见稿)"
                           r"[^）)]{0,8}[）)]|[（(]?(?:征求意见稿|草案)[）)]?$")
_PERIOD = re.compile(r"(20\d\d|19\d\d)\s*[-—–~～至到]\s*(20\d\d|19\d\d)")
_FIVE_YEAR = re.compile(r"“?(十[一二三四五六七八九]?|[一二三四五六七八九])五”?(?:规划|期间|时期)?")
_PRESS_CUES = (
    re.compile(r"^.{0,14}(讯|电)\s*[（(]\s*记者"),
    re.compile(r"^(本报|本刊|本台|新华社|中新社|中新网|人民网|央视网).{0,12}(讯|电)"),
    re.compile(r"据.{1,20}报道"),
    re.compile(r"[（(](记者|通讯员)\s*\S{2,4}"),
    re.compile(r"^记者\s*\S{2,4}\s*$"),
)
_ADOPTION = re.compile(rf"^[（(]\s*({DATE_TEXT}).{{0,80}}?(通过|批准|公布|修订|修正)")
_NPC = re.compile(r"([\u4e00-\u9fff]{2,12}?)第[一二三四五六七八九十]{1,4}届人民代表大会常务委员会")
_ISSUER_PREFIX = re.compile(r"^(.{2,40}?)关于")
_NOTICE_BOOK = re.compile(r"(?:印发|转发|发布)[^《]{0,10}《(.+?)》")
_NOTICE_PLAIN = re.compile(r"关于(?:印发|转发)(.+?)的(?:通知|决定)$")


@dataclass
class Metadata:
    """Inferred fields, where each came from, and what a reviewer should know."""

    values: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def set(self, key: str, value: Any, source: str) -> None:
        if value in (None, "", []) or key in self.values:
            return
        self.values[key] = value
        self.provenance[key] = source


_NUMBER_YEAR = re.compile(r"[〔\[［(（【]\s*((?:19|20)\d{2})\s*[〕\]］)）】]")
"""The year bracket of a 文号: 杭政办发〔2023〕21号, 国发[2017]35号, 沪府规（2022）3号."""


def parse_date(text: str) -> str | None:
    """``2021年12月3日`` → ``2021-12-03``, ``二〇二一年十二月`` → ``2021-12``, ``2020-06-01``."""
    text = to_simplified(text).strip(" （()）")
    m = re.search(r"(\d{4}|[〇○零一二三四五六七八九]{4})\s*[年\-/.]\s*"
                  r"(\d{1,2}|[一二三四五六七八九十]{1,3})?\s*(?:月|[\-/.])?\s*"
                  r"(\d{1,2}|[一二三四五六七八九十]{1,3})?", text)
    if not m:
        return None
    year = m.group(1)
    if not year.isdigit():
        year = "".join(str(_CN_DIGIT[c]) for c in year)
    out = year
    for part in (m.group(2), m.group(3)):
        if not part:
            break
        value = int(part) if part.isdigit() else _cn_small(part)
        if value is None:
            break
        out += f"-{value:02d}"
    parts = out.split("-")
    if len(parts) > 1 and not 1 <= int(parts[1]) <= 12:
        return parts[0]
    if len(parts) > 2 and not 1 <= int(parts[2]) <= 31:
        return "-".join(parts[:2])
    return out


def _cn_small(text: str) -> int | None:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGIT.get(text[1], 0)
    if len(text) == 1:
        return _CN_DIGIT.get(text)
    if len(text) >= 2 and text[1] == "十":
        return _CN_DIGIT.get(text[0], 0) * 10 + (_CN_DIGIT.get(text[2], 0) if len(text) > 2 else 0)
    return None


def period_of(text: str) -> tuple[int, int] | None:
    """The span a plan covers, from its title: ``（2021-2023年）`` or ``“十四五”``."""
    simple = to_simplified(text or "")
    m = _PERIOD.search(simple)
    if m and int(m.group(1)) <= int(m.group(2)) <= int(m.group(1)) + 15:
        return int(m.group(1)), int(m.group(2))
    m = _FIVE_YEAR.search(simple)
    if m and ("五”" in simple or "五规划" in simple or "五期间" in simple or "五时期" in simple):
        n = _cn_small(m.group(1))
        if n:
            start = 1953 + 5 * (n - 1)
            return start, start + 4
    return None


def status_of(title: str) -> str:
    return "draft" if _DRAFT.search(to_simplified(title or "")) else "final"


def policy_key(title: str) -> str:
    """The policy a title names, without its draft marker (a draft and its final share it)."""
    simple = to_simplified(title)  # same length: cut the original where the simplified matches
    out, last = [], 0
    for m in _DRAFT_SUFFIX.finditer(simple):
        out.append(title[last:m.start()])
        last = m.end()
    out.append(title[last:])
    return "".join(out).strip() or title


def press_cues(lines: list[str]) -> list[str]:
    """The lines that show a press report (记者, 本报讯, …电, 据…报道)."""
    hits = []
    for line in lines[:6]:
        simple = to_simplified(line)
        if any(p.search(simple) for p in _PRESS_CUES):
            hits.append(line)
    return hits


def _signatures(blocks: list[TextBlock]) -> list[tuple[list[str], str]]:
    """(issuer lines, date) of every signature: org lines followed by a date line."""
    out = []
    for i, block in enumerate(blocks):
        if block.kind != "paragraph" or not DATE_LINE.match(block.text):
            continue
        orgs: list[str] = []
        j = i - 1
        while j >= 0 and blocks[j].kind == "paragraph" and is_org_line(blocks[j].text) \
                and len(orgs) < 4:
            orgs.insert(0, blocks[j].text)
            j -= 1
        if orgs:
            out.append((orgs, block.text))
    return out


def _table(table: dict[str, str], *keys: str) -> str | None:
    for key in keys:
        value = (table.get(key) or "").strip()
        if value:
            return value
    return None


def infer(blocks: list[TextBlock], found: dict[str, Any], source: dict[str, Any],
          file_stem: str) -> Metadata:
    """Every metadata field the text gives, with its provenance (see module docstring)."""
    meta = Metadata()
    table: dict[str, str] = found.get("table") or {}
    headings = [b for b in blocks if b.kind == "heading"]
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    notice = next((b.text for b in headings[:1] if b.role == "notice"), None)
    own_title = next((b.text for b in headings[:2] if b.role == "title"), None)
    headline = source.get("headline")
    lines_for_cues = [*(b.text for b in blocks[:6]), *(found.get("lead_lines") or [])]
    cues = press_cues(lines_for_cues)
    if source.get("byline") or source.get("original_title"):
        cues.append(source.get("byline") or source.get("original_title"))

    # kind
    if cues:
        meta.set("kind", "press", "text:press-cues")
    meta.set("kind", "official", "default")
    press = meta.values["kind"] == "press"

    # title
    if headline:
        meta.set("title", headline, "text:title")
    if own_title:
        meta.set("title", own_title, "text:title")
    if notice:
        m = _NOTICE_BOOK.search(notice)
        if m:
            meta.set("title", m.group(1), "text:notice")
        meta.set("title", notice, "text:title")
    table_title = _table(table, "标题", "名称")
    if table_title:
        m = _NOTICE_BOOK.search(table_title)
        meta.set("title", m.group(1) if m else table_title, "text:meta-table")
    for key in ("source_title", "title"):
        if source.get(key):
            meta.set("title", str(source[key]), "source:metadata")
    meta.set("title", file_stem, "file-name")
    title = str(meta.values["title"])

    # date and issuer
    signatures = _signatures(blocks)
    table_written = _table(table, "成文日期", "成文时间")
    if signatures and not press:
        orgs, date_text = signatures[0]
        date = parse_date(date_text)
        meta.set("date", date, "text:signature")
        meta.set("issuer", "、".join(orgs), "text:signature")
        if table_written and date and parse_date(table_written) and \
                parse_date(table_written) != date:
            meta.warnings.append(
                f"date: the signature says {date}, the metadata table's 成文日期 says "
                f"{parse_date(table_written)}; kept {date} (the document's own signature)")
    if table_written:
        meta.set("date", parse_date(table_written), "text:meta-table")
    for text in paragraphs[:3]:
        m = _ADOPTION.match(to_simplified(text))
        if m:
            meta.set("date", parse_date(m.group(1)), "text:adoption")
            npc = _NPC.search(to_simplified(text), m.end(1))
            if npc:
                place = text[npc.start(1):npc.end(1)]
                meta.set("issuer", f"{place}人民代表大会常务委员会", "text:adoption")
            break
    published = _table(table, "发布日期", "发布时间", "日期", "时间")
    if published:
        meta.set("date", parse_date(published), "text:meta-table")
    if found.get("dateline"):
        meta.set("date", parse_date(found["dateline"]), "text:dateline")
    src_date = source.get("source_date")
    if isinstance(src_date, str) and parse_date(src_date):
        meta.set("date", parse_date(src_date), "source:metadata")

    if not press:
        meta.set("issuer", _table(table, "发文机关", "发文机构", "发文单位", "发布机构"),
                 "text:meta-table")
        for heading in (notice, own_title):
            m = _ISSUER_PREFIX.match(to_simplified(heading or ""))
            if m and is_org_line(m.group(1)):
                meta.set("issuer", (heading or "")[:m.end(1)], "text:title")
        src = _table(table, "来源", "信息来源")
        if src and is_org_line(src):
            meta.set("issuer", src, "text:meta-table")
    else:
        meta.set("publisher", found.get("source") or _table(table, "来源", "信息来源"),
                 "text:dateline")

    # 文号
    meta.set("number", _table(table, "文号", "发文字号", "文件编号", "发文号"), "text:meta-table")
    meta.set("number", found.get("number_line"), "text:number-line")
    if not press:
        for text in paragraphs[:2]:
            m = re.match(NUMBER_TEXT, text)
            if m:
                meta.set("number", m.group(0), "text:number-line")

    # a 文号 carries the year of issue: better than no date, at the precision it has
    year = _NUMBER_YEAR.search(str(meta.values.get("number") or ""))
    if year and "date" not in meta.values:
        meta.set("date", year.group(1), "text:number-year")
        meta.warnings.append(f"date: only the 文号's year is given ({year.group(1)}); "
                             "pass --date YYYY-MM-DD for the day")

    # status, policy, period
    meta.set("status", status_of(title) if status_of(title) == "draft" else None, "text:title")
    meta.set("status", "final", "default")
    if press:
        quoted = re.search(r"《(.+?)》", title) or next(
            (m for p in paragraphs[:2] if (m := re.search(r"《(.+?)》", p))), None)
        if quoted:
            meta.set("policy", quoted.group(1), "text:title" if quoted.string == title
                     else "text:body")
    meta.set("policy", policy_key(title), meta.provenance["title"])
    meta.set("period", period_of(title) and list(period_of(title)), "text:title")
    policy = str(meta.values["policy"])
    if policy != title:
        meta.set("period", period_of(policy) and list(period_of(policy)), "text:body")
    return meta
