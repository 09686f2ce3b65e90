"""Quantitative targets: every figure of a policy, its metric, deadline, and whether it is a goal.

Analysts first ask what each plan promised and how the numbers moved from one policy
to the next. A figure is a :class:`~policydiff.core.quantities.Quantity` that measures
something (not a date, a duration, a bare number or a slogan such as “五个中心”). Each
gets a metric key (:mod:`policydiff.core.metrics`), a ``kind`` — ``target`` (a goal, a
commitment, a projection) or ``baseline`` (a level already reached: 截至, 累计, 已,
目前, a past year, a section reviewing the previous plan) — and a year: the deadline of
a target (到2025年; 用3年时间 resolved against the plan's period) or the as-of year of a
baseline. Reviewers correct any figure in ``alignments/target-overrides.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

from policydiff.core.metrics import MetricSet
from policydiff.core.quantities import Quantity, find_quantities, parse_number

KINDS = ("target", "baseline")
OVERRIDES_FILE = "target-overrides.yaml"

# Units that make a date, a duration or an ordinal, not a figure.
_NOT_FIGURE_UNITS = frozenset({"年", "月", "日", "天", "周年", "届", "章"})
_SLOGAN_MAX = 12  # a number inside a quotation this short is a name: “五个中心”

# Words that say a figure is already reached, before it in the sentence…
BASELINE_WORDS: tuple[str, ...] = (
    "截至", "截止", "累计", "已经", "已", "目前", "现有", "共有", "数据显示", "统计",
    "据悉", "当天", "此前", "去年", "以来",
)
# …or right after it in its clause (17家…创新中心成立).
BASELINE_AFTER_WORDS: tuple[str, ...] = ("已经", "已", "成立", "入选", "被授予", "获得")
# Words that say a figure is a goal or a projection.
TARGET_WORDS: tuple[str, ...] = (
    "力争", "将", "预计", "目标", "提出", "计划", "确保", "争取", "拟", "到期",
)
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


@dataclass(frozen=True)
class Context:
    """What a sentence's figures are read against: the document and its section."""

    doc_year: int
    period: tuple[int, int] | None = None
    section_baseline: bool = False
    section_year: int | None = None
    carried_year: int | None = None


@dataclass(frozen=True)
class _Cue:
    pos: int
    end: int
    kind: str | None  # None: a date that says nothing about the kind
    year: int | None = None


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


def is_figure(q: Quantity, text: str, metrics: MetricSet | None = None) -> bool:
    """True if ``q`` measures something: not a date, duration, bare number, slogan or title."""
    base = q.unit.lstrip("十百千万亿")
    if q.unit in _NOT_FIGURE_UNITS or base in _NOT_FIGURE_UNITS:
        return False
    if q.is_bare:
        return False  # 5大工程, 30周年, 2024国际: a bare number is not a figure
    if q.value == 1 and not any(ch.isdigit() for ch in q.number):
        return False  # 一个, 一批, 一项: "a", not a count
    if _in_slogan(text, q) or _inside(q.start, [s for s in _masked(text) if text[s[0]] == "《"]):
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
    for words, kind in ((BASELINE_WORDS, "baseline"), (TARGET_WORDS, "target")):
        if kind == "target" and ctx.section_baseline:
            continue  # in a review of the past, 将/形成 are not promises
        for word in words:
            for m in re.finditer(re.escape(word), text):
                if not _inside(m.start(), masked):
                    cues.append(_Cue(m.start(), m.end(), kind))
    for m in list(_YEAR.finditer(text)) + list(_CN_YEAR.finditer(text)):
        if _inside(m.start(), masked):
            continue
        year = int(m.group(1)) if m.group(1).isdigit() else int(parse_number(m.group(1)) or 0)
        if year < ctx.doc_year:
            cues.append(_Cue(m.start(), m.end(), "baseline", year))
        elif m.re is _YEAR and m.group("month"):
            cues.append(_Cue(m.start(), m.end(), None, year))  # 2022年2月23日: the event's date
        else:
            cues.append(_Cue(m.start(), m.end(), "target", year))
    for m in _FIVE_YEAR.finditer(text):
        if _inside(m.start(), masked):
            continue
        end = FIVE_YEAR_PLANS[m.group(0)][1]
        cues.append(_Cue(m.start(), m.end(), "baseline" if end < ctx.doc_year else "target", end))
    for m in _DURATION.finditer(text):
        if _inside(m.start(), masked):
            continue
        nums = _DURATION_NUM.search(m.group(0))
        if not nums:
            continue
        n = parse_number(nums.group(2) or nums.group(1))
        if n is None or n > 50:
            continue
        cues.append(_Cue(m.start(), m.end(), "target",
                         resolve_duration(int(n), ctx.doc_year, ctx.period)))
    cues.sort(key=lambda c: (c.pos, c.end))
    return cues


def _clause_end(text: str, pos: int) -> int:
    m = re.compile(r"[，,；;。！？!?]").search(text, pos)
    return m.start() if m else len(text)


def _kind_and_year(text: str, q: Quantity, cues: list[_Cue], ctx: Context,
                   ) -> tuple[str, int | None]:
    before = [c for c in cues if c.end <= q.start and c.kind]
    kind: str | None = before[-1].kind if before else None
    if kind is None:
        clause = text[q.end:_clause_end(text, q.end)]
        if any(w in clause for w in BASELINE_AFTER_WORDS):
            kind = "baseline"
    if kind is None:
        kind = "baseline" if ctx.section_baseline else "target"
    dated = [c for c in cues if c.year is not None and c.kind == kind]
    prior = [c for c in dated if c.end <= q.start]
    later = [c for c in dated if c.pos >= q.end]
    if prior:
        year = prior[-1].year
    elif later:
        year = later[0].year
    elif kind == "target":
        year = ctx.carried_year or (ctx.period[1] if ctx.period else None)
    else:
        year = ctx.section_year or ctx.doc_year
    return kind, year


def _qualifier(text: str, q: Quantity) -> str:
    parts = []
    if "力争" in text[:q.start] and q.prefix != "力争":
        parts.append("力争")
    parts.extend(p for p in (q.prefix, q.approx, q.suffix) if p)
    return " ".join(parts)


def figures_in(text: str, metrics: MetricSet, ctx: Context) -> list[Found]:
    """The figures of one sentence (or heading) with metric, kind and year."""
    cues = _cues(text, ctx)
    found = []
    for q in find_quantities(text):
        if not is_figure(q, text, metrics):
            continue
        match = metrics.classify(text, q.start, q.end, q.unit)
        if match.ignore:
            continue
        kind, year = _kind_and_year(text, q, cues, ctx)
        found.append(Found(q, match.metric, match.term, kind, year, _qualifier(text, q)))
    return found


def _deadline_in(text: str, ctx: Context) -> int | None:
    years = [c.year for c in _cues(text, ctx) if c.kind == "target" and c.year]
    return years[-1] if years else None


# --------------------------------------------------------------------------- documents


def _section_context(doc: Any, section_id: str) -> tuple[bool, int | None]:
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


def extract_document(doc: Any, metrics: MetricSet) -> list[Target]:
    """Every figure of ``doc`` (headings and sentences), in text order."""
    period = tuple(doc.meta.period) if doc.meta.period else None
    targets: list[Target] = []
    for section in doc.sections:
        baseline, section_year = _section_context(doc, section.id)
        base = Context(doc.meta.year, period, baseline, section_year)
        pieces: list[tuple[str, str, int, str]] = []  # (sentence id, text, start, paragraph)
        if section.heading and section.heading_start is not None:
            # heading_start is the Markdown line ("## …"); offsets point at the text itself
            at = doc.body.find(section.heading, section.heading_start)
            pieces.append((f"{section.id}/heading", section.heading,
                           at if at >= 0 else section.heading_start, ""))
        for paragraph in section.paragraphs:
            for sentence in paragraph.sentences:
                pieces.append((sentence.id, sentence.text, sentence.start, paragraph.id))
        carried: int | None = None
        paragraph_now = None
        for sid, text, start, paragraph_id in pieces:
            if paragraph_id != paragraph_now:
                carried, paragraph_now = None, paragraph_id
            ctx = replace(base, carried_year=carried)
            for f in figures_in(text, metrics, ctx):
                q = f.quantity
                targets.append(Target(
                    doc=doc.id, metric=f.metric, value=q.value, value_max=q.value_max,
                    unit=q.unit, year=f.year, qualifier=f.qualifier, kind=f.kind,
                    text=text.strip(), section=section.id, sentence=sid, figure=q.text,
                    start=start + q.start, end=start + q.end, term=f.term,
                ))
            carried = _deadline_in(text, ctx) or carried
    return targets


def extract_targets(corpus: Any, metrics: MetricSet, docs: Sequence[str] | None = None,
                    ) -> list[Target]:
    """Figures of every document of ``corpus`` (or of ``docs``), documents in date order."""
    chosen = [corpus.get(d) for d in docs] if docs else corpus.documents()
    return [t for doc in chosen for t in extract_document(doc, metrics)]


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
        return (t.doc == self.doc and t.figure == self.figure
                and (self.quote is None or self.quote in t.text)
                and (self.sentence is None or t.sentence == self.sentence))


def _added_target(o: Override, doc: Any, metrics: MetricSet) -> Target | None:
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
    def cell(self) -> str:
        """The figure as the policy words it, with its deadline: 超过1000亿 (2020)."""
        t = self.target
        words = "".join(w for w in (t.qualifier or "").split() if w not in t.figure)
        return f"{words}{t.figure}" + (f" ({t.year})" if t.year else "")


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
