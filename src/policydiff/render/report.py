"""``policydiff report``: how the policies' goals and wording evolved, for a colleague.

The report is built in two steps: :func:`build_report` gathers a plain data model
(corpus table, targets, one section per theme with its accepted alignments and the
diffs between successive documents, provenance) from the core and the store; the
renderers turn that one model into GitHub-flavoured Markdown or a self-contained
HTML page. Same inputs, same bytes: nothing depends on the clock unless no date is
given (and ``SOURCE_DATE_EPOCH`` is honoured).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import os
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from policydiff import __version__
from policydiff.core.citations import (
    Citation,
    citation_index,
    extract_citations,
    resolve_citations,
)
from policydiff.core.coverage import CoverageCell, coverage, is_full_text, source_quality
from policydiff.core.document import Document
from policydiff.core.errors import InputError, PolicydiffError
from policydiff.core.jurisdiction import jurisdiction, level, parent_jurisdiction
from policydiff.core.passages import ResolvedPassage
from policydiff.core.summary import (
    AlignmentFacts,
    Comparison,
    Statement,
    document_statements,
    figure_anchor,
    new_words_anchor,
    passage_anchor,
    target_changes,
)
from policydiff.core.targets import TargetRow
from policydiff.core.terms import TermSeries, first_seen, terms_over_time
from policydiff.render.diff import md_escape, md_escape_inline, ops_markdown
from policydiff.store.derived import compare_passages_cached

if TYPE_CHECKING:
    from policydiff.api import PolicyProject

# ---------------------------------------------------------------- model

SECTIONS = ("summary", "corpus", "coverage", "targets", "progress", "terms", "citations",
            "reuse", "themes", "provenance")
"""What ``report --section`` can choose, in the order the report shows them."""


@dataclass
class AlignmentSection:
    """One alignment of a theme: its passages in date order, each compared with an earlier one."""

    id: str
    label: str
    status: str
    note: str
    passages: list[ResolvedPassage]
    comparisons: list[Comparison]


@dataclass
class ThemeSection:
    id: str
    name_zh: str
    name_en: str
    description: str
    alignments: list[AlignmentSection]


@dataclass
class CitationRow:
    doc: str
    citation: Citation


@dataclass
class Report:
    title: str
    date: str
    documents: list[dict[str, Any]]
    targets: list[TargetRow]
    baselines: list[TargetRow]
    expectations: list[TargetRow]
    """Forecasts (预计 …) and figures a speaker or third party gives: neither a goal nor a level
    reached, so neither table may show them."""
    themes: list[ThemeSection]
    provenance: dict[str, Any]
    status_filter: str = "accepted"
    sections: tuple[str, ...] = SECTIONS
    summary: dict[str, list[Statement]] = field(default_factory=dict)
    coverage: dict[tuple[str, str], CoverageCell] = field(default_factory=dict)
    terms: list[TermSeries] = field(default_factory=list)
    terms_configured: bool = False
    new_words: dict[str, list[tuple[str, int, str]]] = field(default_factory=dict)
    evidence: dict[str, tuple[str, str]] = field(default_factory=dict)
    citations: list[CitationRow] = field(default_factory=list)
    progress: list[dict[str, Any]] | None = None
    reuse: list[dict[str, Any]] | None = None

    def shows(self, section: str) -> bool:
        return section in self.sections


# ---------------------------------------------------------------- building


def report_date(date: str | None = None) -> str:
    """The generation date: given, else ``SOURCE_DATE_EPOCH``, else today (UTC)."""
    if date:
        return date
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%d")
    return dt.datetime.now(tz=dt.UTC).strftime("%Y-%m-%d")


def _documents_table(documents: list[Document]) -> list[dict[str, Any]]:
    rows = []
    for doc in documents:
        meta = doc.meta
        rows.append({
            "id": doc.id, "title": meta.title, "policy": meta.policy, "issuer": meta.issuer or "",
            "publisher": meta.publisher or "", "date": meta.date, "kind": meta.kind,
            "source": meta.source_url or meta.publisher or meta.issuer or "",
            "jurisdiction": jurisdiction(meta), "quality": source_quality(doc),
            "number": str(meta.extra.get("number") or ""),
            "status": str(meta.extra.get("status") or ""),
        })
    return rows


def report_title(project: PolicyProject) -> str:
    """The title from the project file (``project.yaml``), else a neutral one."""
    from policydiff.store.project import load_project_info

    info = load_project_info(project.project)
    if info.title:
        return info.title
    return "Policy evolution report" + (f" · {info.subject}" if info.subject else "")


def watch_terms(project: PolicyProject) -> list[str]:
    """``watch_terms`` from the project file (a list of strings), or [] for automatic."""
    from policydiff.store.project import load_project_info

    value = dict(load_project_info(project.project).extra).get("watch_terms")
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("project.yaml: watch_terms must be a list of terms (strings)")
    return value


def check_sections(sections: Sequence[str] | None) -> tuple[str, ...]:
    """The sections asked for (all if none), checked, in the report's order."""
    if not sections:
        return SECTIONS
    wanted = {s.strip() for part in sections for s in part.split(",") if s.strip()}
    unknown = sorted(wanted - set(SECTIONS))
    if unknown:
        raise InputError(f"unknown report section {', '.join(unknown)} "
                         f"(sections: {', '.join(SECTIONS)})")
    return tuple(s for s in SECTIONS if s in wanted)


def build_report(project: PolicyProject, *, themes: list[str] | None = None,
                 docs: list[str] | None = None, status: str = "accepted",
                 date: str | None = None, sections: Sequence[str] | None = None) -> Report:
    """Gather everything the report shows. Raises InputError for unknown themes, docs, sections."""
    chosen = check_sections(sections)
    documents = project.documents(docs)
    doc_ids = [d.id for d in documents]
    by_id = {d.id: d for d in documents}
    places = {d.id: jurisdiction(d.meta) for d in documents}
    parents = {d.id: parent_jurisdiction(d.meta) for d in documents}

    def place(doc: str) -> str:
        return places.get(doc, "")

    def lvl(doc: str) -> int:
        known = set(parents.values())
        return 0 if place(doc) in known else level(place(doc))

    theme_sections = []
    facts: list[AlignmentFacts] = []
    theme_passages: dict[str, list[ResolvedPassage]] = {}
    for theme in project.check_themes(themes):
        sections_ = []
        for al in project.alignments(theme.id, status):
            passages = project.passages(al, doc_ids)
            comparisons = compare_passages_cached(passages, place, lvl)
            sections_.append(AlignmentSection(al.id, al.label, al.status, al.note, passages,
                                              comparisons))
            theme_passages.setdefault(theme.id, []).extend(passages)
            theme_passages[f"{theme.id}/{al.id}"] = list(passages)
            facts.append(AlignmentFacts(theme.name_zh, al.id, al.label, passages, comparisons))
        theme_sections.append(ThemeSection(theme.id, theme.name_zh, theme.name_en,
                                           theme.description, sections_))
    rows = project.targets_table(docs=doc_ids, include_other=False)
    targets = [r for r in rows if r.kind == "target"]
    report = Report(
        title=report_title(project),
        date=report_date(date), documents=_documents_table(documents),
        targets=targets, baselines=[r for r in rows if r.kind == "baseline"],
        expectations=[r for r in rows if r.kind in ("forecast", "estimate")],
        themes=theme_sections, provenance=provenance(project, documents), status_filter=status,
        sections=chosen,
    )
    for t in theme_sections:
        for al in t.alignments:
            for p in al.passages:
                label = f"{p.doc} §{p.section or '?'} ({t.name_zh} · {al.label})"
                report.evidence[passage_anchor(al.id, p)] = (
                    label, p.text if p.found else ("silent" if p.absent else "orphaned"))
    for r in rows:
        report.evidence[figure_anchor(r.doc, r.start)] = (f"{r.doc} §{r.section}: {r.cell}",
                                                          r.text)
    texts = [d.body for d in documents]
    configured = watch_terms(project)
    if "terms" in chosen or "summary" in chosen:
        exclude = {p for p in places.values() if p}
        report.terms = [t for t in _terms_over_time(texts, configured)
                        if configured or not any(t.term in p for p in exclude)]
        report.terms_configured = bool(configured)
    report.coverage = coverage(list(theme_passages), theme_passages, documents)
    if "summary" in chosen:
        new = dict(zip(doc_ids, _first_seen(texts), strict=True))
        for d in documents:
            sentences = d.sentences()
            report.new_words[d.id] = [
                (w, n, next((s.text for s in sentences if w in s.text), "")) for w, n in new[d.id]]
            report.evidence[new_words_anchor(d.id)] = (
                f"{d.id}: key words first used",
                "; ".join(f"{w} ({n}×): {s}" for w, n, s in report.new_words[d.id]))
        report.summary = document_statements(
            doc_ids, facts, {d: is_full_text(by_id[d]) for d in doc_ids},
            {d: source_quality(by_id[d]) for d in doc_ids}, place, new,
            target_changes(targets, place, {d.id: d.date for d in documents},
                           {d.id: d.meta.own_policy for d in documents}))
    if "citations" in chosen:
        index = citation_index(d.meta for d in project.documents())
        for d in documents:
            for c in resolve_citations(extract_citations(d.body), index):
                report.citations.append(CitationRow(d.id, c))
    if "progress" in chosen:
        report.progress = [p.to_dict() for p in project.progress(docs=doc_ids)]
    if "reuse" in chosen:
        result = project.reuse(docs=doc_ids)
        report.reuse = [
            {"edge": e.to_dict(),
             "passages": [{"target_section": p.target_section, "source_section": p.source_section,
                           "target_text": p.target_text, "source_text": p.source_text,
                           "score": p.score, "kind": p.kind}
                          for p in result.passages
                          if p.source == e.source and p.target == e.target]}
            for e in result.edges()]
    return report


def _terms_over_time(texts: list[str], configured: list[str]) -> list[TermSeries]:
    """:func:`terms_over_time`, kept between runs (segmenting every document costs ~0.1 s)."""
    from policydiff.store.derived import cached_json

    return cached_json(
        "terms", ["\0".join(configured), *texts],
        lambda: terms_over_time(texts, configured or None),
        lambda series: [[t.term, list(t.rates), list(t.counts), t.trend] for t in series],
        lambda data: [TermSeries(str(term), tuple(float(r) for r in rates),
                                 tuple(int(c) for c in counts), str(trend))
                      for term, rates, counts, trend in data])


def _first_seen(texts: list[str]) -> list[list[tuple[str, int]]]:
    """:func:`first_seen`, kept between runs like :func:`_terms_over_time`."""
    from policydiff.store.derived import cached_json

    return cached_json(
        "first-seen", texts, lambda: first_seen(texts),
        lambda rows: [[[w, n] for w, n in row] for row in rows],
        lambda data: [[(str(w), int(n)) for w, n in row] for row in data])


def provenance(project: PolicyProject, documents: list[Document]) -> dict[str, Any]:
    """Alignments commit (and dirtiness), corpus hashes, tool version."""
    rev = project.rev
    info: dict[str, Any] = {"version": __version__, "commit": None, "dirty": None, "rev": rev}
    try:
        from policydiff.store.gitstore import alignments_commit_fast

        commit, dirty = alignments_commit_fast(project.project, rev)
        info["commit"], info["dirty"] = commit, dirty
    except PolicydiffError as exc:  # no git repo: the report still says so
        info["git_error"] = exc.message.splitlines()[0] if exc.message else type(exc).__name__
    files = []
    for doc in documents:
        if doc.path is not None:
            files.append({"file": f"corpus/{doc.path.name}",
                          "sha256": hashlib.sha256(doc.path.read_bytes()).hexdigest()})
    info["corpus"] = files
    return info


# ---------------------------------------------------------------- Markdown

def github_slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    kept = "".join(ch for ch in heading.lower()
                   if ch.isalnum() or ch in " -_" or unicodedata.category(ch).startswith("M"))
    return kept.replace(" ", "-")


def md_cell(text: str) -> str:
    """Text for a table cell: inline syntax escaped, on one line (cells hold no blocks)."""
    return md_escape_inline(text.replace("\n", " ")).strip()


def _heading_names(report: Report) -> list[tuple[str, str, str]]:
    """(section key, heading, anchor) of every top-level section shown, in order."""
    fixed = {"summary": "Summary", "corpus": "Corpus", "coverage": "Coverage",
             "targets": "Targets", "progress": "Progress", "terms": "Terms over time",
             "citations": "Citations", "reuse": "Reuse", "provenance": "Provenance"}
    out = []
    for key in report.sections:
        if key == "themes":
            for t in report.themes:
                heading = f"{t.name_zh} · {t.name_en}"
                out.append((f"theme:{t.id}", heading, github_slug(heading)))
        else:
            out.append((key, fixed[key], github_slug(fixed[key])))
    return out


def doc_anchor(doc: str) -> str:
    """The id of a document's row in the corpus table."""
    return "doc-" + doc


def _md_link(label: str, anchor: str) -> str:
    return f"[{md_escape_inline(label)}](#{anchor})"


def _md_anchor(anchor: str) -> str:
    return f'<a id="{html.escape(anchor, quote=True)}"></a>'


def render_markdown(report: Report) -> str:
    lines: list[str] = [f"# {md_escape(report.title)}", ""]
    prov = report.provenance
    commit = (prov.get("commit") or "")[:12] or "none"
    lines += [f"Generated {report.date} by policydiff {prov['version']} · alignments at "
              f"commit `{commit}`" + (" (uncommitted changes)" if prov.get("dirty") else "")
              + f" · alignments shown: {report.status_filter}", ""]
    lines += ["## Contents", ""]
    for key, heading, anchor in _heading_names(report):
        indent = "  " if key.startswith("theme:") else ""
        lines.append(f"{indent}- [{md_escape_inline(heading)}](#{anchor})")
    lines.append("")
    for key in report.sections:
        lines += _MD_SECTIONS[key](report)
    lines += _md_evidence(report, "\n".join(lines))
    return "\n".join(lines)


_LINKED = re.compile(r"\]\(#([^)\s]+)\)|href=[\"']#([^\"']+)[\"']")
_DEFINED = re.compile(r"\bid=[\"']([^\"']+)[\"']")


def _md_evidence(report: Report, text: str) -> list[str]:
    """Quotes for links whose target section was left out (``--section summary``)."""
    defined = set(_DEFINED.findall(text)) | {a for _, _, a in _heading_names(report)}
    missing = [a for m in _LINKED.finditer(text) for a in m.groups() if a]
    missing = [a for a in dict.fromkeys(missing) if a not in defined and a in report.evidence]
    if not missing:
        return []
    lines = ["## Evidence", "", "The passages and figures cited above whose sections are not "
             "included in this report.", ""]
    for anchor in missing:
        label, quote = report.evidence[anchor]
        lines += [f"- {_md_anchor(anchor)}**{md_escape_inline(label)}**"
                  + (f": {md_cell(quote)}" if quote else ""), ""]
    return lines


def _md_summary(report: Report) -> list[str]:
    lines = ["## Summary", "", "Measured facts per policy, in date order; every statement links "
             "to the passages or figures it rests on. Targets are compared within one "
             "jurisdiction; a district's figures are shown as shares of the city's.", ""]
    for d in report.documents:
        lines += [f"### `{d['id']}` ({d['date']}) {md_escape(d['policy'])}", "",
                  f"*{md_escape_inline(d['jurisdiction'] or 'jurisdiction unknown')} · "
                  f"{md_escape_inline(d['quality'])}*", ""]
        statements = report.summary.get(d["id"], [])
        if not statements:
            lines += ["- Nothing measured changes here.", ""]
            continue
        for st in statements:
            links = ", ".join(_md_link(k.label, k.anchor) for k in st.links)
            lines.append(f"- {md_escape_inline(st.text)} — {links}")
        lines.append("")
    return lines


def _md_corpus(report: Report) -> list[str]:
    lines = ["## Corpus", "", "| id | date | kind | policy | issuer | jurisdiction | source |",
             "|---|---|---|---|---|---|---|"]
    for d in report.documents:
        policy = d["policy"] + (f" ({d['number']})" if d["number"] and d["number"] not in
                                d["policy"] else "") + (f" [{d['status']}]" if d["status"] else "")
        lines.append(f"| {_md_anchor(doc_anchor(d['id']))}`{d['id']}` | {d['date']} | "
                     f"{d['kind']} | {md_cell(policy)} | "
                     f"{md_cell(d['issuer'])} | {md_cell(d['jurisdiction'])} | "
                     f"{md_cell(d['source'])} |")
    lines.append("")
    return lines


def _coverage_text(cell: CoverageCell | None) -> str:
    if cell is None:
        return "—"
    if cell.state == "silent":
        return f"silent ({cell.qualifier})"
    if cell.state == "orphaned":
        return "anchor orphaned: run `policydiff check`"
    return f"not aligned ({cell.qualifier})"


def _md_coverage(report: Report) -> list[str]:
    lines = ["## Coverage", "", "Theme × document: the sections that address each theme, or "
             "silence qualified by its source (silence in a press report is not silence "
             "of the policy). *Not aligned*: no reviewer has recorded a passage or a silence.", ""]
    if not report.themes:
        return [*lines, "*No theme in this report (define themes in alignments/themes.yaml).*", ""]
    lines += ["| theme | " + " | ".join(f"`{d['id']}` ({d['date']})" for d in report.documents)
              + " |", "|---|" + "---|" * len(report.documents)]
    for t in report.themes:
        rows = [(t.id, f"**{md_cell(t.name_zh)}**")]
        rows += [(f"{t.id}/{al.id}", f"› {md_cell(al.label)}") for al in t.alignments]
        for key, label in rows:
            cells = []
            for d in report.documents:
                cell = report.coverage.get((key, d["id"]))
                if cell is not None and cell.state == "covered":
                    cells.append(" ".join(
                        _md_link(f"§{s}", passage_anchor(_alignment_of(t, p), p))
                        for s, p in _first_per_section(cell.passages, t)))
                else:
                    cells.append(md_cell(_coverage_text(cell)))
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def _alignment_of(theme: ThemeSection, p: ResolvedPassage) -> str:
    for al in theme.alignments:
        if any(q is p for q in al.passages):
            return al.id
    return ""


def _first_per_section(passages: Sequence[ResolvedPassage], theme: ThemeSection
                       ) -> list[tuple[str, ResolvedPassage]]:
    seen: dict[str, ResolvedPassage] = {}
    for p in passages:
        seen.setdefault(p.section or "?", p)
    return list(seen.items())


def _md_targets(report: Report) -> list[str]:
    lines = ["## Targets", "", "Quantitative goals, metric by metric, in date order. "
             "Figures already reached (baselines) are listed apart below. Each figure links "
             "to the sentence it comes from.", ""]
    lines += _md_target_table(report.targets, report.documents)
    if report.baselines:
        lines += ["### Baselines (figures already reached)", ""]
        lines += _md_target_table(report.baselines, report.documents)
    if report.expectations:
        lines += ["### Forecasts and estimates (expected, or someone's figure)", "",
                  "Neither a policy's goal nor a level reached: what a text expects (预计, 有望) "
                  "or a figure a speaker or third party gives. The source table names the "
                  "speaker.", ""]
        lines += _md_target_table(report.expectations, report.documents)
    shown = report.targets + report.baselines + report.expectations
    if shown:
        lines += ["### Where each figure comes from", ""]
        lines += _md_sources_table(shown)
    return lines


def _figure(t: dict[str, Any] | None, with_doc: bool = True) -> str:
    """A figure as the policy words it, with its deadline and where it is from."""
    if not t:
        return "—"
    year = t.get("year")
    year_max = t.get("year_max")
    when = f" ({year}–{year_max})" if year and year_max else (f" ({year})" if year else "")
    scope = f" [{t['scope']}]" if t.get("scope") else ""
    where = f" — {t['doc']}" if with_doc else ""
    return f"{t.get('figure', '')}{when}{scope}{where}"


def _md_progress(report: Report) -> list[str]:
    """Targets with a deadline against the later figures of the same metric, scope and place."""
    rows = report.progress
    if rows is None or not rows:
        return ["## Progress", "", "*No target with a deadline.*", ""]
    lines = ["## Progress", "",
             "Each target with a deadline, set against the later figures of the same metric, "
             "scope and jurisdiction in the corpus. *not comparable* means the later figure "
             "counts something else (another scope or unit); *no later figure* means the "
             "corpus has no figure after the deadline yet.", "",
             "| metric | target | verdict | later figure | implied annual growth | "
             "vs previous target | notes |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        target = r["target"]
        cagr = f"{r['cagr'] * 100:+.1f}% a year from {_figure(r.get('base'))}" \
            if r.get("cagr") is not None else ""
        ratio = f"×{r['ratio_to_previous']:.2f} of {_figure(r.get('previous'))}" \
            if r.get("ratio_to_previous") is not None else ""
        notes = list(r.get("notes") or [])
        if r.get("share_of_parent") is not None:
            notes.append(f"{r['share_of_parent'] * 100:.0f}% of {_figure(r.get('parent'))}")
        lines.append(f"| {md_cell(target.get('metric', ''))} | {md_cell(_figure(target))} | "
                     f"**{md_cell(r['verdict'])}** | {md_cell(_figure(r.get('compared')))} | "
                     f"{md_cell(cagr)} | {md_cell(ratio)} | {md_cell('; '.join(notes))} |")
    return [*lines, ""]


def _md_reuse(report: Report) -> list[str]:
    """Which documents inherit wording from which earlier ones, with the passages."""
    rows = report.reuse
    if rows is None or not rows:
        return ["## Reuse", "", "*No document repeats wording of an earlier one.*", ""]
    lines = ["## Reuse", "",
             "Wording a document repeats or adapts from an earlier one (date order), found "
             "by `policydiff reuse`; formulas most notices share and titles cited in 《》 are "
             "left out. *share* is the part of the later text covered by inherited passages.",
             "", "| from | to | share of the later text | passages |", "|---|---|---|---|"]
    for r in sorted(rows, key=lambda r: -r["edge"]["share"]):
        e = r["edge"]
        lines.append(f"| `{e['source']}` | `{e['target']}` | {e['share'] * 100:.1f}% | "
                     f"{e['passages']} |")
    lines.append("")
    kinds = {d["id"]: d.get("kind", "") for d in report.documents}
    for r in rows:
        e = r["edge"]
        lines += [f"### `{e['target']}` ← `{e['source']}`", ""]
        if kinds.get(e["source"]) == "press":
            lines += [f"*`{e['source']}` is a press report: wording it shares with a later "
                      "official text more likely comes from a common source (a speech, a "
                      "draft, the policy itself) than from the report.*", ""]
        for p in r["passages"][:8]:
            lines += [f"- §{p['target_section']} ← §{p['source_section']} "
                      f"({p['kind']}, score {p['score']:.2f}): {md_cell(p['target_text'])}"]
            if p["source_text"] != p["target_text"]:
                lines.append(f"  - was: {md_cell(p['source_text'])}")
        if len(r["passages"]) > 8:
            lines.append(f"- … and {len(r['passages']) - 8} more (`policydiff reuse "
                         f"{e['target']}`)")
        lines.append("")
    return lines


def _md_terms(report: Report) -> list[str]:
    how = ("watch terms from project.yaml (`watch_terms`)" if report.terms_configured else
           "the words whose rate rises or falls most across the series (set `watch_terms` in "
           "project.yaml to choose)")
    lines = ["## Terms over time", "", f"Occurrences per 10,000 characters of {how}; "
             "the count is in brackets.", ""]
    if not report.terms:
        return [*lines, "*No term to show.*", ""]
    lines += ["| term | trend | " + " | ".join(f"`{d['id']}`" for d in report.documents) + " |",
              "|---|---|" + "---|" * len(report.documents)]
    for t in report.terms:
        lines.append(f"| {md_cell(t.term)} | {t.trend} | "
                     + " | ".join(f"{r:.1f} ({c})" for r, c in zip(t.rates, t.counts,
                                                                     strict=True)) + " |")
    lines.append("")
    if any(report.new_words.values()):
        lines += ["### Key words first used", "", "Words a document uses three times or more "
                  "that no earlier document used, with their first sentence.", ""]
        for d in report.documents:
            words = report.new_words.get(d["id"])
            if not words:
                continue
            lines += [f"{_md_anchor(new_words_anchor(d['id']))}**{d['id']}**", "",
                      "| word | times | first sentence |", "|---|---|---|"]
            lines += [f"| {md_cell(w)} | {n} | {md_cell(_shorten(s, 90))} |" for w, n, s in words]
            lines.append("")
    return lines


def _md_citations(report: Report) -> list[str]:
    lines = ["## Citations", "", "Policies each document cites by title (《…》) or number (文号), "
             "linked to the corpus document when it is there.", ""]
    if not report.citations:
        return [*lines, "*No citation found.*", ""]
    lines += ["| document | cites | in corpus |", "|---|---|---|"]
    shown_docs = {d["id"] for d in report.documents}
    for row in report.citations:
        c = row.citation
        shown = f"《{c.text}》" if c.kind == "title" else c.text
        if not c.target:
            where = "—"
        elif c.target == row.doc:
            where = "itself"
        elif c.target in shown_docs and report.shows("corpus"):
            where = _md_link(c.target, doc_anchor(c.target))
        elif c.target in shown_docs:
            where = f"`{c.target}`"
        else:
            where = f"{md_escape_inline(c.target)} (in the corpus, not in this report)"
        lines.append(f"| `{row.doc}` | {md_cell(shown)} | {where} |")
    lines.append("")
    missing = _missing_citations(report)
    lines += ["### Missing from the corpus (fetch next)", ""]
    if not missing:
        lines += ["*None: every cited policy is in the corpus.*", ""]
    for text, by in missing:
        lines.append(f"- {md_escape_inline(text)} — cited by " + ", ".join(f"`{d}`" for d in by))
    lines.append("")
    return lines


def _missing_citations(report: Report) -> list[tuple[str, list[str]]]:
    missing: dict[str, list[str]] = {}
    for row in report.citations:
        c = row.citation
        if not c.target:
            shown = f"《{c.text}》" if c.kind == "title" else c.text
            missing.setdefault(shown, [])
            if row.doc not in missing[shown]:
                missing[shown].append(row.doc)
    return list(missing.items())


def _md_themes(report: Report) -> list[str]:
    lines: list[str] = []
    for theme in report.themes:
        lines += [f"## {md_escape(theme.name_zh)} · {md_escape(theme.name_en)}", ""]
        if theme.description:
            lines += [md_escape(theme.description), ""]
        if not theme.alignments:
            lines += [f"*No {report.status_filter} alignment for this theme.*", ""]
        for al in theme.alignments:
            lines += _md_alignment(report, al)
    return lines


def _quality(report: Report, doc: str) -> str:
    return next((d["quality"] for d in report.documents if d["id"] == doc), "")


def _silence(report: Report, p: ResolvedPassage) -> str:
    q = _quality(report, p.doc)
    if q == "official full text":
        return "no comparable passage: silent in the official full text"
    return f"not mentioned in this source ({q}); the policy itself may say more"


def _md_alignment(report: Report, al: AlignmentSection) -> list[str]:
    lines = [f"### {md_escape(al.label)}", "", f"`{al.id}` · status **{al.status}**", ""]
    if al.note:
        lines += [f"Reviewer's note: {md_escape(al.note)}", ""]
    for p in al.passages:
        anchor = _md_anchor(passage_anchor(al.id, p))
        if p.absent:
            lines += [f"- {anchor}**{p.doc}** ({p.date}): *{_silence(report, p)}*"
                      + (f" — {md_escape(p.note)}" if p.note else ""), ""]
            continue
        if p.status == "orphaned":
            lines += [f"- {anchor}**{p.doc}** ({p.date}) §{p.section or '?'}: *anchor orphaned "
                      f"({md_escape(p.reason)}); run `policydiff check`*", ""]
            continue
        where = f"§{p.section} {md_escape(p.section_label)}" if p.section else ""
        flag = "" if p.status == "exact" else f" *(anchor {p.status})*"
        lines += [f"- {anchor}**{p.doc}** ({p.date}) {where}{flag}", "",
                  f"  > {md_cell(p.text)}", ""]
    if _all_orphaned(al):
        lines += [f"*{ALL_ORPHANED}*", ""]
    for c in al.comparisons:
        lines += _md_comparison(c)
    return lines


ALL_ORPHANED = ("None of this alignment's passages is found in the corpus any more (every "
                "anchor is orphaned): nothing to compare; run `policydiff check`.")


def _all_orphaned(al: AlignmentSection) -> bool:
    """Whether every non-absent member's anchor is orphaned (and there is one)."""
    present = [p for p in al.passages if not p.absent]
    return bool(present) and all(p.status == "orphaned" for p in present)


def _md_comparison(c: Comparison) -> list[str]:
    if c.kind == "revision" and c.diff is not None:
        lines = [f"#### {c.a.doc} → {c.b.doc} (similarity {c.similarity:.2f})", "",
                 ops_markdown(c.diff.ops), ""]
        if c.diff.figures:
            lines += ["| before | after | context |", "|---|---|---|"]
            for f in (fig.to_dict() for fig in c.diff.figures):
                lines.append(f"| {md_cell(str(f.get('a') or '—'))} | "
                             f"{md_cell(str(f.get('b') or '—'))} | "
                             f"{md_cell(str(f.get('context') or ''))} |")
            lines.append("")
        for shift in c.strength:
            lines += [f"Commitment word: {shift[0]} → {shift[1]}", ""]
        return lines
    if c.kind == "parallel":
        head = (f"#### {c.a.doc} ({md_escape_inline(c.jurisdictions[0])}) ∥ {c.b.doc} "
                f"({md_escape_inline(c.jurisdictions[1])}): parallel jurisdictions, "
                "compared as shares")
    else:
        head = (f"#### {c.a.doc} → {c.b.doc}: reworded (similarity {c.similarity:.2f}, "
                "no shared wording to diff)")
    lines = [head, "", f"| {c.a.doc} | {c.b.doc} |", "|---|---|",
             f"| {md_cell(c.a.text)} | {md_cell(c.b.text)} |",
             f"| figures: {md_cell(', '.join(c.figures_a) or '—')} | "
             f"figures: {md_cell(', '.join(c.figures_b) or '—')} |", ""]
    if c.shares:
        lines += ["Shares: " + md_escape_inline("; ".join(c.shares)), ""]
    lines += [f"Key words added: {md_escape_inline('、'.join(c.added) or '—')} · "
              f"dropped: {md_escape_inline('、'.join(c.dropped) or '—')}", ""]
    for shift in c.strength:
        lines += [f"Commitment word: {shift[0]} → {shift[1]}", ""]
    return lines


def _md_provenance(report: Report) -> list[str]:
    prov = report.provenance
    lines = ["## Provenance", ""]
    if prov.get("commit"):
        lines.append(f"- alignments: commit `{prov['commit']}`"
                     + (f" (revision `{md_escape(prov['rev'])}`)" if prov.get("rev") else "")
                     + (", working tree has uncommitted changes" if prov.get("dirty")
                        else ", clean"))
    else:
        lines.append(f"- alignments: not in a git repository "
                     f"({md_escape(prov.get('git_error', 'unknown'))})")
    lines.append(f"- policydiff {prov['version']}")
    lines += ["", "| corpus file | sha256 |", "|---|---|"]
    for f in prov["corpus"]:
        lines.append(f"| `{f['file']}` | `{f['sha256']}` |")
    lines.append("")
    return lines


_MD_SECTIONS = {
    "summary": _md_summary, "corpus": _md_corpus, "coverage": _md_coverage,
    "targets": _md_targets, "progress": _md_progress, "terms": _md_terms,
    "citations": _md_citations, "reuse": _md_reuse, "themes": _md_themes,
    "provenance": _md_provenance,
}


def _matrix(rows: list[TargetRow], documents: list[dict[str, Any]]
            ) -> tuple[list[str], list[tuple[str, list[list[TargetRow]]]]]:
    """Metric × document (date order): the documents that have figures, and one row a metric."""
    docs = [d["id"] for d in documents if any(r.doc == d["id"] for r in rows)]
    by_metric: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    for r in rows:
        names[r.metric] = r.metric_name
        by_metric.setdefault(r.metric, {}).setdefault(r.doc, []).append(r)
    table = [(names[m], [cells.get(d, []) for d in docs]) for m, cells in by_metric.items()]
    return docs, table


def _md_target_table(rows: list[TargetRow], documents: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["*None.*", ""]
    docs, table = _matrix(rows, documents)
    dates = {d["id"]: d["date"] for d in documents}
    out = ["| metric | " + " | ".join(f"`{d}` ({dates[d]})" for d in docs) + " |",
           "|---|" + "---|" * len(docs)]
    for name, cells in table:
        out.append(f"| {md_cell(name)} | " + " | ".join(
            "; ".join(_md_link(r.cell, figure_anchor(r.doc, r.start)) for r in c) or "—"
            for c in cells) + " |")
    out.append("")
    return out


def _md_sources_table(rows: list[TargetRow]) -> list[str]:
    out = ["| figure | kind | document | § | sentence |", "|---|---|---|---|---|"]
    for r in rows:
        kind = r.kind + (f" ({r.speaker})" if r.speaker else "")
        out.append(f"| {_md_anchor(figure_anchor(r.doc, r.start))}{md_cell(r.cell)} | "
                   f"{md_cell(kind)} | `{r.doc}` | {md_cell(r.section)} | "
                   f"{md_cell(_shorten(r.text, 90))} |")
    out.append("")
    return out


def _shorten(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------- HTML

_CSS = """
body{font-family:-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:1200px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
table{border-collapse:collapse;margin:1em 0;width:100%}th,td{border:1px solid #ccc;
padding:4px 8px;vertical-align:top;text-align:left}th{background:#f4f4f4}
del{background:#ffe0e0;color:#a00;text-decoration:line-through}
ins{background:#ddffdd;color:#060;text-decoration:none}
.sbs{display:grid;grid-template-columns:1fr 1fr;gap:1em}.sbs div{border:1px solid #ddd;
padding:.5em;background:#fafafa}.meta{color:#666;font-size:.9em}.absent{color:#888}
blockquote{margin:.5em 0;padding-left:1em;border-left:3px solid #ccc;color:#333}
code{background:#f0f0f0;padding:0 3px}
nav.toc{columns:2 18em;font-size:.9em;background:#f8f8f8;padding:.5em 1em;border:1px solid #ddd}
nav.toc ul{margin:0;padding-left:1.2em}nav.toc li{break-inside:avoid}
.charts{display:flex;flex-wrap:wrap;gap:1em}.chart{max-width:100%;height:auto}
:target{background:#fff6c8}
@media print{body{max-width:none;margin:0;font-size:10pt}nav.toc{display:none}
a{color:inherit;text-decoration:none}section{break-inside:auto}h2,h3,h4{break-after:avoid}
tr,blockquote,.sbs,svg{break-inside:avoid}}
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _md_to_html(lines: list[str]) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table").enable("strikethrough")
    return md.render("\n".join(lines))


def render_html(report: Report) -> str:
    """One self-contained page (inline CSS and SVG, no scripts): opens offline, prints well.

    The sections are the Markdown report's (the same tables, links and anchors),
    rendered to HTML; theme sections show diffs side by side; targets and terms get charts.
    """
    prov = report.provenance
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{_h(report.title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_h(report.title)}</h1>",
             f'<p class="meta">Generated {_h(report.date)} by policydiff {_h(prov["version"])}'
             f' · alignments at commit <code>{_h((prov.get("commit") or "none")[:12])}</code>'
             + (" (uncommitted changes)" if prov.get("dirty") else "") + "</p>"]
    toc = ["<nav class='toc'><b>Contents</b><ul>"]
    in_themes = False
    for key, heading, anchor in _heading_names(report):
        if key.startswith("theme:") and not in_themes:
            toc.append("<li>Themes<ul>")
            in_themes = True
        elif not key.startswith("theme:") and in_themes:
            toc.append("</ul></li>")
            in_themes = False
        toc.append(f"<li><a href='#{_h(anchor)}'>{_h(heading)}</a></li>")
    toc.append("</ul></li></ul></nav>" if in_themes else "</ul></nav>")
    parts.append("".join(toc))
    for key in report.sections:
        if key == "themes":
            parts.append(_html_themes(report))
            continue
        lines = _MD_SECTIONS[key](report)
        anchor = github_slug(lines[0][3:])
        body = _md_to_html(lines[1:])
        chart = ""
        if key == "targets":
            chart = _targets_charts(report)
        elif key == "terms" and report.terms:
            from policydiff.render.svg import heat_map

            chart = heat_map([t.term for t in report.terms], [d["id"] for d in report.documents],
                             [list(t.rates) for t in report.terms], "terms per 10,000 characters")
        parts.append(f"<section id='{_h(anchor)}'><h2>{_h(lines[0][3:])}</h2>"
                     + (f"<div class='charts'>{chart}</div>" if chart else "") + body
                     + "</section>")
    evidence = _md_evidence(report, "\n".join(parts))
    if evidence:
        parts.append(f"<section id='evidence'><h2>Evidence</h2>{_md_to_html(evidence[1:])}"
                     "</section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def _targets_charts(report: Report) -> str:
    """One timeline per metric with figures from two or more documents (scope = jurisdiction)."""
    from policydiff.core.quantities import multiplier
    from policydiff.render.svg import Point, timeline

    places = {d["id"]: d["jurisdiction"] for d in report.documents}
    by_metric: dict[str, list[TargetRow]] = {}
    for r in report.targets:
        if r.year and r.unit:
            by_metric.setdefault(r.metric, []).append(r)
    charts = []
    for rows in by_metric.values():
        if len({r.doc for r in rows}) < 2:
            continue
        unit = rows[0].unit
        base = multiplier(unit)
        points = [Point(int(r.year), r.value * multiplier(r.unit) / base, r.cell.split(" (")[0],
                        " ".join(x for x in (places.get(r.doc, "") or r.doc,
                                             getattr(r.target, "scope", "") or "") if x),
                        figure_anchor(r.doc, r.start)) for r in rows]
        charts.append(timeline(rows[0].metric_name, points, unit))
    return "".join(charts)


def _html_themes(report: Report) -> str:
    parts = []
    for theme in report.themes:
        heading = f"{theme.name_zh} · {theme.name_en}"
        parts.append(f"<section id='{_h(github_slug(heading))}'><h2>{_h(heading)}</h2>")
        if theme.description:
            parts.append(f"<p>{_h(theme.description)}</p>")
        if not theme.alignments:
            parts.append(f"<p><em>No {report.status_filter} alignment for this theme.</em></p>")
        for al in theme.alignments:
            parts.append(f"<h3>{_h(al.label)}</h3><p class='meta'><code>{_h(al.id)}</code> · "
                         f"status <b>{_h(al.status)}</b></p>")
            if al.note:
                parts.append(f"<p>Reviewer's note: {_h(al.note)}</p>")
            parts.append("<ul>")
            for p in al.passages:
                pid = _h(passage_anchor(al.id, p))
                if p.absent:
                    parts.append(f"<li id='{pid}' class='absent'><b>{_h(p.doc)}</b> "
                                 f"({_h(p.date)}): {_h(_silence(report, p))} {_h(p.note)}</li>")
                elif p.status == "orphaned":
                    parts.append(f"<li id='{pid}' class='orphaned'><b>{_h(p.doc)}</b> "
                                 f"({_h(p.date)}): anchor orphaned ({_h(p.reason)})</li>")
                else:
                    parts.append(f"<li id='{pid}'><b>{_h(p.doc)}</b> ({_h(p.date)}) "
                                 f"§{_h(p.section or '')} {_h(p.section_label)}"
                                 f"<blockquote>{_h(p.text)}</blockquote></li>")
            parts.append("</ul>")
            if _all_orphaned(al):
                parts.append(f"<p class='orphaned'><em>{_h(ALL_ORPHANED)}</em></p>")
            for c in al.comparisons:
                parts.append(_html_comparison(c))
        parts.append("</section>")
    return "\n".join(parts)


def _html_comparison(c: Comparison) -> str:
    if c.kind == "revision" and c.diff is not None:
        left = "".join(_h(t) if op == 0 else f"<del>{_h(t)}</del>"
                       for op, t in c.diff.ops if op <= 0)
        right = "".join(_h(t) if op == 0 else f"<ins>{_h(t)}</ins>"
                        for op, t in c.diff.ops if op >= 0)
        out = [f"<h4>{_h(c.a.doc)} → {_h(c.b.doc)} (similarity {c.similarity:.2f})</h4>"
               f"<div class='sbs'><div>{left}</div><div>{right}</div></div>"]
        if c.diff.figures:
            out.append("<table><tr><th>before</th><th>after</th><th>context</th></tr>")
            for f in (fig.to_dict() for fig in c.diff.figures):
                out.append(f"<tr><td>{_h(str(f.get('a') or '—'))}</td>"
                           f"<td>{_h(str(f.get('b') or '—'))}</td>"
                           f"<td>{_h(str(f.get('context') or ''))}</td></tr>")
            out.append("</table>")
        out += [f"<p>Commitment word: {_h(a)} → {_h(b)}</p>" for a, b in c.strength]
        return "".join(out)
    if c.kind == "parallel":
        head = (f"{_h(c.a.doc)} ({_h(c.jurisdictions[0])}) ∥ {_h(c.b.doc)} "
                f"({_h(c.jurisdictions[1])}): parallel jurisdictions, compared as shares")
    else:
        head = (f"{_h(c.a.doc)} → {_h(c.b.doc)}: reworded (similarity {c.similarity:.2f}, "
                "no shared wording to diff)")
    out = [f"<h4>{head}</h4><div class='sbs quotes'>"
           f"<div>{_h(c.a.text)}<p class='meta'>figures: {_h(', '.join(c.figures_a) or '—')}</p>"
           f"</div><div>{_h(c.b.text)}<p class='meta'>figures: "
           f"{_h(', '.join(c.figures_b) or '—')}</p></div></div>"]
    if c.shares:
        out.append(f"<p>Shares: {_h('; '.join(c.shares))}</p>")
    out.append(f"<p>Key words added: {_h('、'.join(c.added) or '—')} · dropped: "
               f"{_h('、'.join(c.dropped) or '—')}</p>")
    out += [f"<p>Commitment word: {_h(a)} → {_h(b)}</p>" for a, b in c.strength]
    return "".join(out)
