"""Quantitative targets: every figure of a policy, its metric, deadline, and whether it is a goal.

Analysts first ask what each plan promised and how the numbers moved from one policy
to the next. A figure is a :class:`~policydiff.core.quantities.Quantity` that measures
something (not a date, a duration, a bare number or a slogan such as “五个中心”). Each
gets a metric key (:mod:`policydiff.core.metrics`), a ``kind`` — ``target`` (a goal, a
commitment, a projection) or ``baseline`` (a level already reached: 截至, 累计, 已,
目前, a past year, a section reviewing the previous plan) — and a year: the deadline of
a target (到2025年; 用3年时间 resolved against the plan's period) or the as-of year of a
baseline. Reviewers correct any figure in ``alignments/target-overrides.yaml``.

A published ledger must also say whose figure it is: ``forecast`` (预计/有望/将带动: an
expectation, not a commitment) and ``estimate`` (a figure a third party states: a company
head's speech, 据…统计/测算/报道) are kinds of their own; ``policy`` names the policy a
figure belongs to when the text quotes another one (《…》提出), ``speaker`` who said it;
``scope`` (重点/规上/相关/核心) and ``jurisdiction`` say what exactly was measured, where.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from policydiff.core.jurisdiction import document_jurisdiction
from policydiff.core.metrics import MetricSet
from policydiff.core.quantities import Quantity, find_quantities, parse_number

if TYPE_CHECKING:
    from policydiff.core.corpus import Corpus
    from policydiff.core.document import Document

KINDS = ("target", "baseline", "forecast", "estimate")
OVERRIDES_FILE = "target-overrides.yaml"

# Units that make a date, a duration or an ordinal, not a figure.
_NOT_FIGURE_UNITS = frozenset({"年", "月", "日", "天", "周年", "届", "章"})
_SLOGAN_MAX = 12  # a number inside a quotation this short is a name: “五个中心”

# Words that say a figure is already reached, before it in the sentence…
BASELINE_WORDS: tuple[str, ...] = (
    "截至", "截止", "累计", "已经", "已", "目前", "现有", "共有", "数据显示", "统计",
    "据悉", "当天", "此前", "去年", "以来",
)
# Words that make a baseline only when no deadline applies (到2025年累计创建1000家).
CUMULATIVE_WORDS = ("累计",)
# …or right after it in its clause (17家…创新中心成立).
BASELINE_AFTER_WORDS: tuple[str, ...] = ("已经", "已", "成立", "入选", "被授予", "获得")
# Words that say a figure is a goal or a projection.
TARGET_WORDS: tuple[str, ...] = (
    "力争", "将", "目标", "提出", "计划", "确保", "争取", "拟", "到期", "明确",
)
# Words that say a figure is an expectation of what may happen, not a commitment.
FORECAST_WORDS: tuple[str, ...] = (
    "预计", "有望", "预期", "将带动", "可带动", "带动", "可望", "预测",
)
# Reported speech: who says it (X表示 / X在致辞中强调 / 据X统计).
SPEECH_VERBS = ("表示", "指出", "认为", "强调", "介绍", "称", "透露", "坦言", "预测", "说")
_SPEECH = re.compile(
    r"(?:^|[，。；！？\s])(?P<who>[^，。；：！？“”《》\s]{1,30}?)(?:在[^，。；“”]{1,12}?)?"
    r"(?P<verb>" + "|".join(SPEECH_VERBS) + r")[，：:]")
_ACCORDING = re.compile(
    r"(?<![数根依证])据(?:不完全)?(?P<who>[^，。；：]{0,20}?)(?:不完全)?(?:统计|测算|预测|估算|报道|调查|数据|监测|显示)")
_QUOTE_SPEAKER = re.compile(r"”(?P<who>[^，。；：“”\s]{2,12}?)(?:说|表示|介绍|指出)[。，]")
_PRONOUNS = ("他", "她", "其", "该负责人", "他们")
# A speaker who does not speak for a government (company, expert, research body, press):
# their figures are estimates, whatever verb they use.
THIRD_PARTY_WORDS: tuple[str, ...] = (
    "董事长", "首席执行官", "CEO", "创始人", "总裁", "总经理", "专家", "教授", "院士", "学者",
    "研究院", "研究所", "研究中心", "协会", "学会", "联合会", "分析师", "研究员", "机构",
    "公司", "集团", "报", "媒体", "网", "智库", "咨询",
)
# The qualifier of the measured thing: 重点产业规模 and 规上产业规模 are different series.
SCOPE_WORDS: dict[str, str] = {
    "规模以上": "规上", "规上": "规上", "重点": "重点", "相关": "相关", "核心": "核心",
    "骨干": "骨干",
}
_SCOPE = re.compile("|".join(sorted(SCOPE_WORDS, key=len, reverse=True)))
# 比2015年下降18%, 较2020年增长, 与2020年相比: the year is the base of a target's change.
_BASE_YEAR = re.compile(r"(?:比|较|相比|相较于?|与|同)((?:19|20)\d{2})年(?:底|末)?"
                        r"(?:相比|比|水平)?")
# 《X》提出/明确: the figures of the sentence belong to policy X, not to this document.
_CITED = re.compile(r"《(?P<title>[^》]{4,80})》(?:[^，。；]{0,8}?)"
                    r"(?:提出|明确|要求|指出|提到|规定|确定|"
                    r"设定|目标)")
# Headings of sections that review the past (一、“十三五”期间…发展情况).
BASELINE_HEADINGS: tuple[str, ...] = ("发展情况", "发展基础", "回顾", "成效", "现状")
FIVE_YEAR_PLANS = {"十二五": (2011, 2015), "十三五": (2016, 2020), "十四五": (2021, 2025),
                   "十五五": (2026, 2030)}

_CN = "零〇一二两三四五六七八九十"
_N = rf"(?:\d+|[{_CN}]+)"
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年|(?=[-~～至到—–]\d{4}年))(?P<month>\d{1,2}月)?")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_DURATION = re.compile(
    rf"(?:(?P<pre>用|通过|未来|力争){_N}(?:[至到\-~～]{_N})?年"
    rf"|{_N}(?:[至到\-~～]{_N})?年(?=时间|内|以内|的努力|努力))"
)
_DURATION_NUM = re.compile(rf"({_N})(?:[至到\-~～]({_N}))?年")
_FIVE_YEAR = re.compile("|".join(FIVE_YEAR_PLANS))
_BRACKETS = {"《": "》", "（": "）", "(": ")"}


@dataclass(frozen=True)
class Target:
    """One figure of one document, as the targets table and JSON show it."""

    doc: str
    metric: str
    value: float
    value_max: float | None
    unit: str
    year: int | None
    qualifier: str
    kind: str
    text: str
    section: str
    sentence: str
    figure: str
    start: int
    end: int
    term: str = ""
    source: str = "extracted"  # extracted | override | added
    note: str = ""
    year_max: int | None = None  # a range deadline: 三至五年 → year..year_max
    base_year: int | None = None  # 比2015年下降18%: the base of the change, not its date
    scope: str = ""  # 重点 / 规上 / 相关 / 核心: the qualifier of the measured thing
    jurisdiction: str = ""  # 上海市, 浦东新区, 临港新片区 (from the document)
    parent_jurisdiction: str = ""  # the city a district belongs to
    policy: str = ""  # the policy the figure belongs to (another one when the text quotes it)
    speaker: str = ""  # who states it, when not the policy itself (李彦宏, 据…统计)

    def to_dict(self) -> dict[str, Any]:
        """JSON form: numbers as written (4000, not 4000.0)."""
        data = asdict(self)
        data["value"] = _plain(self.value)
        data["value_max"] = _plain(self.value_max)
        return data


def _plain(x: float | None) -> float | int | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(x, 4)


@dataclass(frozen=True)
class Found:
    """A figure found in one sentence; offsets relative to that sentence."""

    quantity: Quantity
    metric: str
    term: str
    kind: str
    year: int | None
    qualifier: str
    year_max: int | None = None
    base_year: int | None = None
    scope: str = ""
    policy: str = ""
    speaker: str = ""
    note: str = ""


@dataclass(frozen=True)
class Context:
    """What a sentence's figures are read against: the document and its section."""

    doc_year: int
    period: tuple[int, int] | None = None
    section_baseline: bool = False
    section_year: int | None = None
    carried_year: int | None = None
    carried_year_max: int | None = None
    policy: str = ""  # the document's own policy
    speaker: str = ""  # the paragraph's last speaker (for 他强调…)
    table_years: tuple[tuple[int, str, int], ...] = ()  # (column, kind, year) of a table
    carried_asof: int | None = None  # 2022年，…；工业投资完成1320亿元: the paragraph's as-of year


@dataclass(frozen=True)
class _Cue:
    pos: int
    end: int
    kind: str | None  # None: a date that says nothing about the kind
    year: int | None = None
    year_max: int | None = None
    role: str = ""  # deadline | asof | base


# --------------------------------------------------------------------------- figures


def _masked(text: str) -> list[tuple[int, int]]:
    """Spans inside 《…》 and （…）: titles and asides whose years are not deadlines."""
    spans = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch in _BRACKETS:
            stack.append((_BRACKETS[ch], i))
        elif stack and ch == stack[-1][0]:
            _, start = stack.pop()
            spans.append((start, i + 1))
    return spans


def _inside(pos: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _in_slogan(text: str, q: Quantity) -> bool:
    open_ = text.rfind("“", 0, q.start)
    if open_ < 0 or text.rfind("”", 0, q.start) > open_:
        return False
    close = text.find("”", q.end)
    return close >= 0 and close - open_ - 1 <= _SLOGAN_MAX


def _in_phrase(text: str, q: Quantity, phrases: Sequence[str]) -> bool:
    for phrase in phrases:
        pos = text.find(phrase)
        while pos >= 0:
            if pos <= q.start < pos + len(phrase):
                return True
            pos = text.find(phrase, pos + 1)
    return False


# Counts of the document's own parts (本方案共六个部分、二十二条措施): never figures.
_STRUCTURE_NOUNS = re.compile(r"(?:个|条|项|大|章|节)?"
                              r"(?:部分|措施|章|节|方面|重点任务|主要任务|任务|"
                              r"行动|工程|条款|条意见)")
_SELF = re.compile(r"本(?:方案|规划|计划|意见|办法|通知|政策|文件|条例|措施)|共(?:包括|分为|有)?|"
                   r"《[^》]{1,12}》共")
# A money amount naming a class of firms (超十亿元企业, 百亿元级): a threshold, not a figure.
_CLASS_AFTER = re.compile(r"(?:以上)?(?:的)?(?:企业|项目|园区)")


def _structure_count(text: str, q: Quantity) -> bool:
    after = text[q.end:q.end + 6]
    return bool(_STRUCTURE_NOUNS.match(after) or _STRUCTURE_NOUNS.match(q.unit[-1:] + after)
                ) and bool(_SELF.search(text[:q.start]))


def _class_threshold(text: str, q: Quantity) -> bool:
    from policydiff.core.units import parse_unit

    return (parse_unit(q.unit).family.startswith("money") and not any(
        ch.isdigit() for ch in q.number) and bool(_CLASS_AFTER.match(text, q.end)))


# A subsidy or award a policy offers (给予最高1亿元资助, 最高奖励500万元, 500万元补贴): a
# support measure's ceiling, not a goal, a level reached or an expectation.
_GRANT_BEFORE = re.compile(r"(?:给予|奖励|补贴|资助|补助|扶持|贴息)[^，。；：,;]{0,6}$")
_GRANT_AFTER = re.compile(r"(?:的)?(?:项目)?(?:奖励|补贴|资助|补助|扶持|贴息|奖补)")


_GRANT_BASIS = re.compile(r"(?:的)?(?:比例)?(?:给予|予以)")  # 按投资额的10%给予补贴


def _grant(text: str, q: Quantity) -> bool:
    from policydiff.core.units import parse_unit

    if _GRANT_BASIS.match(text, q.end):
        return True
    if not parse_unit(q.unit).family.startswith("money"):
        return False
    return bool(_GRANT_BEFORE.search(text, max(0, q.start - 12), q.start)
                or _GRANT_AFTER.match(text, q.end))


def is_figure(q: Quantity, text: str, metrics: MetricSet | None = None) -> bool:
    """True if ``q`` measures something: not a date, duration, bare number, slogan, title,
    class threshold or a subsidy the policy offers."""
    base = q.unit.lstrip("十百千万亿")
    if q.unit in _NOT_FIGURE_UNITS or base in _NOT_FIGURE_UNITS:
        return False
    if q.is_bare:
        return False  # 5大工程, 30周年, 2024国际: a bare number is not a figure
    if q.value == 1 and not any(ch.isdigit() for ch in q.number):
        return False  # 一个, 一批, 一项: "a", not a count
    if _in_slogan(text, q) or _inside(q.start, [s for s in _masked(text) if text[s[0]] == "《"]):
        return False
    if _structure_count(text, q) or _class_threshold(text, q) or _grant(text, q):
        return False
    return not (metrics and _in_phrase(text, q, metrics.not_figures))


# --------------------------------------------------------------------------- kind and year


def resolve_duration(years: int, doc_year: int, period: tuple[int, int] | None) -> int:
    """The deadline of ``用N年时间`` / ``N年内`` in a document of ``doc_year``.

    A plan that runs 2022-2025 and says 用3年时间 means its end, 2025; whether the
    first year counts differs from text to text, so the period's end wins whenever it is
    N or N-1 years after the period's start. Without a matching period: doc year + N.
    """
    if period and period[1] in (period[0] + years - 1, period[0] + years):
        return period[1]
    return doc_year + years


def _cues(text: str, ctx: Context) -> list[_Cue]:
    masked = _masked(text)
    cues: list[_Cue] = []
    words = [(BASELINE_WORDS, "baseline"), (FORECAST_WORDS, "forecast")]
    if not ctx.section_baseline:  # in a review of the past, 将/形成 are not promises
        words.append((TARGET_WORDS, "target"))
    for group, kind in words:
        for word in group:
            for m in re.finditer(re.escape(word), text):
                if not _inside(m.start(), masked):
                    cues.append(_Cue(m.start(), m.end(), kind))
    base_spans = [(m.start(1), m.end(1) + 1) for m in _BASE_YEAR.finditer(text)]
    for m in list(_YEAR.finditer(text)) + list(_CN_YEAR.finditer(text)):
        if _inside(m.start(), masked):
            continue
        year = int(m.group(1)) if m.group(1).isdigit() else int(parse_number(m.group(1)) or 0)
        if any(a <= m.start(1) < b for a, b in base_spans):
            cues.append(_Cue(m.start(), m.end(), None, year, role="base"))
        elif year < ctx.doc_year:
            # 到2020年 in a 2022 text: a deadline already past, unless the text reports it
            lead = text[max(0, m.start() - 2):m.start()]
            role = "past-deadline" if lead.endswith(("到", "至")) and "底" not in text[
                m.end():m.end() + 1] else "asof"
            cues.append(_Cue(m.start(), m.end(), "baseline" if role == "asof" else None,
                             year, role=role))
        elif m.re is _YEAR and m.group("month"):
            cues.append(_Cue(m.start(), m.end(), None, year, role="date"))  # the event's date
        else:
            cues.append(_Cue(m.start(), m.end(), None, year, role="deadline"))
    for m in _FIVE_YEAR.finditer(text):
        if _inside(m.start(), masked):
            continue
        end = FIVE_YEAR_PLANS[m.group(0)][1]
        if end < ctx.doc_year:
            cues.append(_Cue(m.start(), m.end(), "baseline", end, role="asof"))
        else:
            cues.append(_Cue(m.start(), m.end(), None, end, role="deadline"))
    for m in _DURATION.finditer(text):
        if _inside(m.start(), masked):
            continue
        nums = _DURATION_NUM.search(m.group(0))
        if not nums:
            continue
        lo, hi = parse_number(nums.group(1)), parse_number(nums.group(2) or "")
        if lo is None or lo > 50 or (hi is not None and hi > 50):
            continue
        if hi:  # 三至五年: a range counted from the document's year
            year, year_max = ctx.doc_year + int(lo), ctx.doc_year + int(hi)
        else:
            year, year_max = resolve_duration(int(lo), ctx.doc_year, ctx.period), None
        cues.append(_Cue(m.start(), m.end(), None, year,
                         year_max if year_max != year else None, role="deadline"))
    cues.sort(key=lambda c: (c.pos, c.end))
    return cues


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[，,；;。！？!?]").search(text, pos)
    return m.start() if m else len(text)


def _clause_start(text: str, pos: int) -> int:
    starts = [text.rfind(ch, 0, pos) for ch in "，,；;。！？!?"]
    return max(starts) + 1


def _kind_and_year(text: str, q: Quantity, cues: list[_Cue], ctx: Context,
                   ) -> tuple[str, int | None, int | None]:
    before = [c for c in cues if c.end <= q.start and c.kind]
    if before and text[before[-1].pos:before[-1].end] in CUMULATIVE_WORDS and (
            ctx.carried_year or any(c.role == "deadline" and c.end <= before[-1].pos
                                    for c in cues)):
        before = before[:-1]  # 到2025年累计建成…: a cumulative goal, not a level reached
    kind: str | None = before[-1].kind if before else None
    if kind is None:
        clause = text[q.end:_clause_end(text, q.end)]
        if any(w in clause for w in BASELINE_AFTER_WORDS):
            kind = "baseline"
    if kind is None:
        kind = "baseline" if ctx.section_baseline else "target"
    roles = {"baseline": ("asof",)}.get(kind, ("deadline", "past-deadline"))
    dated = [c for c in cues if c.year is not None and c.role in roles]
    prior = [c for c in dated if c.end <= q.start]
    later = [c for c in dated if c.pos >= q.end]
    cue = prior[-1] if prior else (later[0] if later else None)
    if cue is not None:
        return kind, cue.year, cue.year_max
    if kind == "target":
        if ctx.carried_year:
            return kind, ctx.carried_year, ctx.carried_year_max
        return kind, ctx.period[1] if ctx.period else None, None
    if kind == "forecast":
        return kind, ctx.carried_year, ctx.carried_year_max
    return kind, ctx.carried_asof or ctx.section_year or ctx.doc_year, None


def _qualifier(text: str, q: Quantity) -> str:
    parts = []
    if "力争" in text[:q.start] and q.prefix != "力争":
        parts.append("力争")
    parts.extend(p for p in (q.prefix, q.approx, q.suffix) if p)
    return " ".join(parts)


def _base_year(text: str, q: Quantity, cues: list[_Cue]) -> int | None:
    start = _clause_start(text, q.start)
    bases = [c for c in cues if c.role == "base" and start <= c.pos < q.start]
    return bases[-1].year if bases else None


def scope_of(text: str, q: Quantity) -> str:
    """重点/规上/相关/核心 qualifying what the figure at ``q`` measures, else "".

    Looked for in the figure's clause: the noun after it (300家重点企业), else the words
    before it (重点产业规模超过1000亿). A clause that is only a verb and the figure
    (…规上产业规模年均增长12%，达到4000亿元) takes the subject of the clause before.
    """
    end = _clause_end(text, q.end)
    nxt = [x for x in find_quantities(text[q.end:end])]
    after = text[q.end:q.end + nxt[0].start if nxt else end]
    m = _SCOPE.search(after)
    if m:
        return SCOPE_WORDS[m.group(0)]
    start = _clause_start(text, q.start)
    at_end = not after.strip()
    while True:
        before = text[start:q.start]
        found = list(_SCOPE.finditer(before))
        if found:
            return SCOPE_WORDS[found[-1].group(0)]
        lead = before[:len(before) - len(q.prefix)] if q.prefix else before
        if start == 0 or not at_end or not _SUBJECTLESS.fullmatch(lead):
            return ""
        start = _clause_start(text, start - 1)


_SUBJECTLESS = re.compile(r"(?:并|且|将|力争|年均)?"
                          r"(?:达到|突破|超过|增至|升至|提高到|提升至|为|实现|达)?")


def cited_policy(text: str, pos: int, own: str) -> str:
    """The policy a figure at ``pos`` belongs to when the sentence quotes another one."""
    cited = [m for m in _CITED.finditer(text) if m.end() <= pos]
    if not cited:
        return own
    title = cited[-1].group("title")
    if _same_policy(title, own):
        return own
    return title


def _same_policy(title: str, own: str) -> bool:
    def core(x: str) -> str:
        return re.sub(r"[（(][^）)]*[）)]|关于印发|的通知|\s", "", x)
    a, b = core(title), core(own)
    # 《行动方案》《规划》《实施意见》: a short form names the document itself
    return not a or not b or a in b or b in a or len(a) <= 6


def speaker_of(text: str, pos: int, carried: str = "") -> tuple[str, bool]:
    """Who states the figure at ``pos`` and whether they are a third party (→ estimate).

    X表示/指出/认为… before the figure, 据X统计/测算/报道 (always a third party's figure),
    “…”X说 after it; 他/她强调 continues the paragraph's last speaker (``carried``).
    """
    best: tuple[int, str, bool] | None = None
    for m in _ACCORDING.finditer(text):
        if m.start() < pos and (best is None or m.start() > best[0]):
            best = (m.start(), _clean_who(m.group("who")) or m.group(0), True)
    for m in _SPEECH.finditer(text):
        if m.end("verb") <= pos and (best is None or m.start("who") > best[0]):
            who = _clean_who(m.group("who"))
            if who in _PRONOUNS or who.endswith(_PRONOUNS):
                who = carried
            elif len(who) < 2:
                continue
            if who:
                best = (m.start("who"), who, _third_party(who))
    if best is None:
        for m in _QUOTE_SPEAKER.finditer(text):
            if m.start() >= pos:
                who = _clean_who(m.group("who"))
                best = (m.start(), who, _third_party(who))
                break
    if best is None:
        return "", False
    return best[1], best[2]


def _clean_who(who: str) -> str:
    who = re.sub(r"^(?:此外|同时|对此|其中|会上|当天|记者|另外)[，,]?", "", who.strip())
    who = re.sub(r"[《》]", "", who)
    return who


def _third_party(who: str) -> bool:
    return any(w in who for w in THIRD_PARTY_WORDS)


def figures_in(text: str, metrics: MetricSet, ctx: Context) -> list[Found]:
    """The figures of one sentence (or heading) with metric, kind, year, scope and speaker."""
    cues = _cues(text, ctx)
    found = []
    for q in find_quantities(text):
        if not is_figure(q, text, metrics):
            continue
        match = metrics.classify(text, q.start, q.end, q.unit)
        if match.ignore:
            continue
        kind, year, year_max = _kind_and_year(text, q, cues, ctx)
        if ctx.table_years:
            column = text.count("|", 0, q.start) - 1
            for col, col_kind, col_year in ctx.table_years:
                if col == column:
                    kind, year, year_max = col_kind, col_year, None
        speaker, third = speaker_of(text, q.start, ctx.speaker)
        note = ""
        metric = match.metric
        if match.term and _mixed_list(text, q, match.term):
            metric, note = "other", f"counts a list of different things ({match.term}、…)"
        if third:
            kind = "estimate"
            if year is not None and not any(c.year == year for c in cues):
                year, year_max = None, None  # the speaker's figure has no deadline of the plan
                if any(c.kind == "baseline" and c.end <= q.start for c in cues):
                    year = ctx.doc_year
        if kind == "target" and year is not None and year < ctx.doc_year:
            note = note or f"deadline {year} is before the document ({ctx.doc_year})"
        scope = "" if metric == "other" and note else scope_of(text, q)
        found.append(Found(q, metric, match.term, kind, year, _qualifier(text, q),
                           year_max, _base_year(text, q, cues), scope,
                           cited_policy(text, q.start, ctx.policy), speaker, note))
    return found


def _mixed_list(text: str, q: Quantity, term: str) -> bool:
    """True if the figure counts a list of unlike things: 近300家重点企业、投融资机构及科研院所."""
    end = _clause_end(text, q.end)
    after = text[q.end:end]
    pos = after.find(term)
    if pos < 0:
        return False
    rest = after[pos + len(term):]
    return (bool(re.match(r"[、及和与]", rest))
            and bool(re.search(r"机构|院所|单位|组织|高校", rest)))


def _deadline_in(text: str, ctx: Context) -> tuple[int | None, int | None]:
    years = [c for c in _cues(text, ctx) if c.role == "deadline" and c.year]
    return (years[-1].year, years[-1].year_max) if years else (None, None)


# --------------------------------------------------------------------------- documents


def _section_context(doc: Document, section_id: str) -> tuple[bool, int | None]:
    section = doc.section(section_id)
    headings = " ".join(section.path)
    year = None
    for m in _FIVE_YEAR.finditer(headings):
        end = FIVE_YEAR_PLANS[m.group(0)][1]
        if end < doc.meta.year:
            return True, end
    if any(word in headings for word in BASELINE_HEADINGS):
        return True, year
    return False, None


def _table_header(row: str, doc_year: int) -> tuple[tuple[int, str, int], ...]:
    """Columns of a Markdown table header that are years: (column, kind, year).

    | 指标 | 2022年 | 2025年目标 |: a column of a year before the document (or the
    document's own year, unless it says 目标) holds baselines, a later one targets.
    """
    cells = [c.strip() for c in row.strip().strip("|").split("|")]
    columns = []
    for i, cell in enumerate(cells):
        m = re.search(r"((?:19|20)\d{2})年?", cell)
        if m:
            year = int(m.group(1))
            kind = "target" if year > doc_year or "目标" in cell else "baseline"
            columns.append((i, kind, year))
    return tuple(columns)


def extract_document(doc: Document, metrics: MetricSet, region: str = "") -> list[Target]:
    """Every figure of ``doc`` (headings and sentences), in text order.

    ``region`` is the project's region (``project.yaml``): the parent of a district
    whose metadata does not name one.
    """
    period = tuple(doc.meta.period) if doc.meta.period else None
    jurisdiction, parent = document_jurisdiction(doc.meta, region)
    policy = doc.meta.own_policy
    targets: list[Target] = []
    for section in doc.sections:
        baseline, section_year = _section_context(doc, section.id)
        base = Context(doc.meta.year, period, baseline, section_year, policy=policy)
        pieces: list[tuple[str, str, int, str]] = []  # (sentence id, text, start, paragraph)
        if section.heading and section.heading_start is not None:
            # heading_start is the Markdown line ("## …"); offsets point at the text itself
            at = doc.body.find(section.heading, section.heading_start)
            pieces.append((f"{section.id}/heading", section.heading,
                           at if at >= 0 else section.heading_start, ""))
        for paragraph in section.paragraphs:
            for sentence in paragraph.sentences:
                pieces.append((sentence.id, sentence.text, sentence.start, paragraph.id))
        carried: tuple[int | None, int | None] = (None, None)
        asof: int | None = None
        section_carry: tuple[int | None, int | None] = (None, None)
        paragraph_now = None
        speaker = ""
        table: tuple[tuple[int, str, int], ...] = ()
        last_text = ""
        for sid, text, start, paragraph_id in pieces:
            if paragraph_id != paragraph_now:
                if last_text.rstrip().endswith(("：", ":")) and carried[0]:
                    section_carry = carried  # 到2025年，主要目标如下： then a list of goals
                elif sid.endswith("/heading"):
                    pass
                carried, paragraph_now, speaker, table = section_carry, paragraph_id, "", ()
                asof = None
                if sid.endswith("/heading"):
                    carried = (None, None)
            stripped = text.strip()
            if stripped.startswith("|"):
                if not table:
                    table = _table_header(stripped, doc.meta.year)
                    if table:
                        last_text = text
                        continue
            else:
                table = ()
            ctx = replace(base, carried_year=carried[0], carried_year_max=carried[1],
                          speaker=speaker, table_years=table, carried_asof=asof)
            for f in figures_in(text, metrics, ctx):
                q = f.quantity
                targets.append(Target(
                    doc=doc.id, metric=f.metric, value=q.value, value_max=q.value_max,
                    unit=q.unit, year=f.year, qualifier=f.qualifier, kind=f.kind,
                    text=text.strip(), section=section.id, sentence=sid, figure=q.text,
                    start=start + q.start, end=start + q.end, term=f.term, note=f.note,
                    year_max=f.year_max, base_year=f.base_year, scope=f.scope,
                    jurisdiction=jurisdiction, parent_jurisdiction=parent,
                    policy=f.policy, speaker=f.speaker,
                ))
            deadline = _deadline_in(text, ctx)
            if deadline[0]:
                carried = deadline
                if sid.endswith("/heading"):
                    section_carry = deadline  # （一）到2025年的目标: the section's deadline
            past = [c.year for c in _cues(text, ctx) if c.role == "asof" and c.year]
            asof = past[-1] if past else asof
            who, _ = speaker_of(text, len(text), speaker)
            speaker = who or speaker
            last_text = text
    return targets


def extract_targets(corpus: Corpus, metrics: MetricSet, docs: Sequence[str] | None = None,
                    region: str = "") -> list[Target]:
    """Figures of every document of ``corpus`` (or of ``docs``), documents in date order."""
    chosen = [corpus.get(d) for d in docs] if docs else corpus.documents()
    return [t for doc in chosen for t in extract_document(doc, metrics, region)]


def distinct_figures(targets: Iterable[Target]) -> list[tuple[Target, int]]:
    """Each distinct figure of a document once, with how many times the text repeats it.

    A press report repeats its key figure in the headline, the lead and the body; a
    table or chart of targets shows it once (the first occurrence).
    """
    seen: dict[tuple[Any, ...], list[Any]] = {}
    for t in targets:
        key = (t.metric, t.doc, t.kind, t.value, t.value_max, t.unit, t.year, t.qualifier)
        if key in seen:
            seen[key][1] += 1
        else:
            seen[key] = [t, 1]
    return [(t, n) for t, n in seen.values()]


# --------------------------------------------------------------------------- overrides



@dataclass(frozen=True)
class Override:
    """One reviewer correction: which figure (doc + figure + quote/sentence) and what to set."""

    doc: str
    figure: str
    quote: str | None = None
    sentence: str | None = None
    fields: tuple[tuple[str, Any], ...] = ()
    drop: bool = False
    add: bool = False
    note: str = ""
    line: int = 0

    def matches(self, t: Target) -> bool:
        return ((self.doc == "*" or t.doc == self.doc) and t.figure == self.figure
                and (self.quote is None or self.quote in t.text)
                and (self.sentence is None or t.sentence == self.sentence))


def _added_target(o: Override, doc: Document, metrics: MetricSet) -> Target | None:
    for sentence in doc.sentences():
        if o.quote and o.quote in sentence.text and o.figure in sentence.text and (
                o.sentence is None or sentence.id == o.sentence):
            offset = sentence.text.find(o.figure)
            quantities = [q for q in find_quantities(sentence.text) if q.text == o.figure]
            q = quantities[0] if quantities else None
            fields = dict(o.fields)
            return Target(
                doc=doc.id, metric=fields["metric"],
                value=float(fields.get("value", q.value if q else 0)),
                value_max=fields.get("value_max", q.value_max if q else None),
                unit=fields.get("unit", q.unit if q else ""), year=fields.get("year"),
                qualifier=fields.get("qualifier", q.qualifier if q else ""),
                kind=fields["kind"], text=sentence.text.strip(), section=sentence.section_id,
                sentence=sentence.id, figure=o.figure, start=sentence.start + offset,
                end=sentence.start + offset + len(o.figure), source="added", note=o.note,
            )
    return None


def apply_overrides(targets: list[Target],
                    entries: Sequence[tuple[Override, Target | None]]) -> list[Target]:
    """``targets`` with each override applied: fields set, figures dropped or added."""
    by_id = {id(t): (o, t) for o, t in entries if not o.add and t is not None}
    # (several entries of a `doc: "*"` override pair one override with several figures)
    result: list[Target] = []
    for t in targets:
        o, _ = by_id.get(id(t), (None, None))
        if o is None:
            result.append(t)
        elif not o.drop:
            result.append(replace(t, **dict(o.fields), source="override",
                                  note=o.note or t.note))
    added = [t for o, t in entries if o.add and t is not None]
    result.extend(added)
    order = {doc: i for i, doc in enumerate(dict.fromkeys(t.doc for t in targets))}
    result.sort(key=lambda t: (order.get(t.doc, len(order)), t.start))
    return result


@dataclass(frozen=True)
class TargetRow:
    """One distinct figure as every table shows it (CLI, TUI, report).

    A figure a text repeats (headline, lead, body) is one row with ``times`` > 1.
    """

    target: Target
    times: int
    date: str
    metric_name: str

    def __getattr__(self, name: str) -> Any:
        # metric, doc, kind, section, text, figure … read through to the figure itself.
        return getattr(self.target, name)

    @property
    def year(self) -> str:
        return "" if self.target.year is None else str(self.target.year)

    @property
    def counted(self) -> str:
        """The metric's name, with the term the figure was found by when the metric is
        broader (项目、平台与设施 (平台): 15个 of what?) or named otherwise (增长率 (年均增长))."""
        zh = self.metric_name.split(" / ")[0]
        term = self.target.term
        if not term or (term in zh and not any(c in zh for c in "、与和及")):
            return self.metric_name
        return f"{self.metric_name} ({term})"

    @property
    def cell(self) -> str:
        """The figure as the policy words it, with its deadline: 超过1000亿 (2020)."""
        t = self.target
        words = "".join(w for w in (t.qualifier or "").split() if w not in t.figure)
        return f"{words}{t.figure}" + (f" ({t.year})" if t.year else "")


# Target verbs say how much, not of what: a shared 形成 or 达到 does not make two
# figures measure the same thing (generic policy register, not one corpus's words).
TARGET_VERBS = frozenset({"形成", "达到", "实现", "突破", "超过", "建成", "培育", "打造", "集聚",
                          "建设", "力争", "争取", "新增", "累计", "以上", "左右", "全市", "全区"})
_ITEM_END = re.compile(r"[，,。；;：:！？!?\n、]")


def measured(t: Target) -> frozenset[str]:
    """Han bigrams of the words that qualify what the figure counts: between the figure
    and its metric's term (60个深度应用场景) or just before the term (领军企业20家,
    专精特新企业100家), inside the figure's own list item (、 separates items), without
    scope words (重点, 规上: compared apart, as scopes) or target verbs. Empty when the
    term is not beside the figure: then nothing says the two figures count other things."""
    return _measured(t.text, t.figure, t.term or "")


@lru_cache(maxsize=16384)  # progress asks for every pair of figures of a metric
def _measured(text: str, figure: str, term: str) -> frozenset[str]:
    at = text.find(figure)
    if at < 0 or not term:
        return frozenset()
    end = at + len(figure)
    stops = [m.end() for m in _ITEM_END.finditer(text, 0, at)]
    lo = stops[-1] if stops else 0
    end_m = _ITEM_END.search(text, end)
    hi = end_m.start() if end_m else len(text)
    after = text.find(term, end, hi)
    before = text.rfind(term, lo, at)
    if after >= 0 and (before < 0 or after - end <= at - before - len(term)):
        words = text[end:after]
    elif before >= 0:
        words = text[max(lo, before - 4):before]
    else:
        return frozenset()
    return han_bigrams(_SCOPE.sub(" ", words)) - TARGET_VERBS


def counts_another_thing(a: Target, b: Target) -> bool:
    """Two figures of one metric that are not one series to compare: their metric terms
    share no word (开放创新平台 vs 应用场景 under 项目、平台与设施; 年均增速 and 年均增长
    share 年均 and stay one), or both items name what they count and share no word of it
    (领军企业 vs 专精特新企业)."""
    ta, tb = _term_bigrams(a.term), _term_bigrams(b.term)
    if ta and tb and not ta & tb:
        return True
    ma, mb = measured(a), measured(b)
    return bool(ma and mb and not ma & mb)


def han_bigrams(text: str) -> frozenset[str]:
    """Every pair of adjacent Chinese characters in ``text``: how the words beside figures
    and metric terms are compared (领军企业 and 专精特新企业 share none)."""
    return frozenset(text[i:i + 2] for i in range(len(text) - 1)
                     if all("\u4e00" <= c <= "\u9fff" for c in text[i:i + 2]))


_term_bigrams = lru_cache(maxsize=4096)(han_bigrams)  # a corpus has few metric terms


def targets_table(targets: Iterable[Target], metrics: MetricSet, dates: dict[str, str],
                  include_other: bool = True) -> list[TargetRow]:
    """Distinct figures, metric by metric (the metrics file's order), then date, then position.

    ``dates`` maps document ids to dates, in the corpus's date order.
    ``include_other=False`` leaves out figures without a metric and metrics marked
    ``ignore`` (the plan's own structure: 五个部分21条措施).
    """
    from policydiff.core.metrics import OTHER

    keys = [*metrics.keys, OTHER]
    rank = {k: i for i, k in enumerate(keys)}
    doc_rank = {d: i for i, d in enumerate(dates)}
    rows = []
    for t, times in distinct_figures(targets):
        known = t.metric in metrics.keys
        if not include_other and (not known or metrics.get(t.metric).ignore):
            continue
        name = metrics.name(t.metric) if known else t.metric
        rows.append(TargetRow(t, times, dates.get(t.doc, ""), name))
    rows.sort(key=lambda r: (rank.get(r.metric, len(rank)), doc_rank.get(r.doc, 0),
                             r.target.start))
    return rows


def series_warnings(rows: Iterable[TargetRow]) -> dict[str, str]:
    """Per metric, why its figures do not form one series (scope, place or unit differs).

    产业规模 with 重点, 规上 and 相关 figures is three series, not one: a table that lines
    them up must say so.
    """
    from policydiff.core.units import parse_unit

    by_metric: dict[str, list[Target]] = {}
    for r in rows:
        by_metric.setdefault(r.metric, []).append(r.target)
    out: dict[str, str] = {}
    for metric, ts in by_metric.items():
        if metric == "other":
            continue
        parts = []
        scopes = sorted({t.scope or "—" for t in ts})
        if len(scopes) > 1:
            parts.append("scope differs: " + " vs ".join(scopes))
        places = sorted({t.jurisdiction for t in ts if t.jurisdiction})
        if len(places) > 1:
            parts.append("jurisdiction differs: " + " vs ".join(places))
        families = sorted({parse_unit(t.unit).family for t in ts
                           if parse_unit(t.unit).unit is not None})
        if len(families) > 1:
            parts.append("units differ: " + " vs ".join(families))
        if parts:
            out[metric] = "; ".join(parts) + " — compare only rows that agree"
    return out
