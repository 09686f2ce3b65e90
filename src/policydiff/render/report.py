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
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from policydiff import __version__
from policydiff.core.document import Document
from policydiff.core.errors import PolicydiffError
from policydiff.core.evolution import Step
from policydiff.core.passages import ResolvedPassage
from policydiff.core.targets import TargetRow
from policydiff.render.diff import md_escape, md_escape_inline, ops_markdown

if TYPE_CHECKING:
    from policydiff.api import PolicyProject

# ---------------------------------------------------------------- model


@dataclass
class AlignmentSection:
    """One alignment of a theme: its passages in date order and the diffs between them."""

    id: str
    label: str
    status: str
    note: str
    passages: list[ResolvedPassage]
    steps: list[Step]


@dataclass
class ThemeSection:
    id: str
    name_zh: str
    name_en: str
    description: str
    alignments: list[AlignmentSection]


@dataclass
class Report:
    title: str
    date: str
    documents: list[dict[str, Any]]
    targets: list[TargetRow]
    baselines: list[TargetRow]
    themes: list[ThemeSection]
    provenance: dict[str, Any]
    status_filter: str = "accepted"


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
        })
    return rows


def report_title(project: PolicyProject) -> str:
    """The title from the project file (``project.yaml``), else a neutral one."""
    from policydiff.store.project import load_project_info

    info = load_project_info(project.project)
    if info.title:
        return info.title
    return "Policy evolution report" + (f" · {info.subject}" if info.subject else "")


def build_report(project: PolicyProject, *, themes: list[str] | None = None,
                 docs: list[str] | None = None, status: str = "accepted",
                 date: str | None = None) -> Report:
    """Gather everything the report shows. Raises InputError for unknown themes or docs."""
    documents = project.documents(docs)
    doc_ids = [d.id for d in documents]
    theme_sections = []
    for theme in project.check_themes(themes):
        sections = []
        for chain in project.chains(theme.id, status=status, docs=doc_ids):
            al = project.alignment(chain.alignment)
            sections.append(AlignmentSection(al.id, al.label, al.status, al.note,
                                             list(chain.versions), list(chain.steps)))
        theme_sections.append(ThemeSection(theme.id, theme.name_zh, theme.name_en,
                                           theme.description, sections))
    rows = project.targets_table(docs=doc_ids, include_other=False)
    return Report(
        title=report_title(project),
        date=report_date(date), documents=_documents_table(documents),
        targets=[r for r in rows if r.kind == "target"],
        baselines=[r for r in rows if r.kind != "target"], themes=theme_sections,
        provenance=provenance(project, documents), status_filter=status,
    )


def provenance(project: PolicyProject, documents: list[Document]) -> dict[str, Any]:
    """Alignments commit (and dirtiness), corpus hashes, tool version."""
    rev = project.rev
    info: dict[str, Any] = {"version": __version__, "commit": None, "dirty": None, "rev": rev}
    try:
        from policydiff.store.gitstore import alignments_commit

        commit, dirty = alignments_commit(project.project, rev)
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


def render_markdown(report: Report) -> str:
    lines: list[str] = [f"# {md_escape(report.title)}", ""]
    prov = report.provenance
    commit = (prov.get("commit") or "")[:12] or "none"
    lines += [f"Generated {report.date} by policydiff {prov['version']} · alignments at "
              f"commit `{commit}`" + (" (uncommitted changes)" if prov.get("dirty") else "")
              + f" · alignments shown: {report.status_filter}", ""]
    lines += ["## Contents", ""]
    lines += ["- [Corpus](#corpus)", "- [Targets](#targets)"]
    for theme in report.themes:
        heading = f"{theme.name_zh} · {theme.name_en}"
        lines.append(f"- [{md_escape(heading)}](#{github_slug(heading)})")
    lines += ["- [Provenance](#provenance)", ""]

    lines += ["## Corpus", "", "| id | date | kind | policy | issuer | source |",
              "|---|---|---|---|---|---|"]
    for d in report.documents:
        lines.append(f"| `{d['id']}` | {d['date']} | {d['kind']} | {md_cell(d['policy'])} | "
                     f"{md_cell(d['issuer'])} | {md_cell(d['source'])} |")
    lines.append("")

    lines += ["## Targets", "", "Quantitative goals, metric by metric, in date order. "
              "Figures already reached (baselines) are listed apart below.", ""]
    lines += _md_target_table(report.targets, report.documents)
    if report.baselines:
        lines += ["### Baselines (figures already reached)", ""]
        lines += _md_target_table(report.baselines, report.documents)
    if report.targets or report.baselines:
        lines += ["### Where each figure comes from", ""]
        lines += _md_sources_table(report.targets + report.baselines)

    for theme in report.themes:
        lines += [f"## {md_escape(theme.name_zh)} · {md_escape(theme.name_en)}", ""]
        if theme.description:
            lines += [md_escape(theme.description), ""]
        if not theme.alignments:
            lines += [f"*No {report.status_filter} alignment for this theme.*", ""]
        for al in theme.alignments:
            lines += [f"### {md_escape(al.label)}", "",
                      f"`{al.id}` · status **{al.status}**", ""]
            if al.note:
                lines += [f"Reviewer's note: {md_escape(al.note)}", ""]
            for p in al.passages:
                if p.absent:
                    lines += [f"- **{p.doc}** ({p.date}): *no comparable passage*"
                              + (f" — {md_escape(p.note)}" if p.note else ""), ""]
                    continue
                if p.status == "orphaned":
                    lines += [f"- **{p.doc}** ({p.date}) §{p.section or '?'}: *anchor orphaned "
                              f"({md_escape(p.reason)}); run `policydiff check`*", ""]
                    continue
                where = f"§{p.section} {md_escape(p.section_label)}" if p.section else ""
                flag = "" if p.status == "exact" else f" *(anchor {p.status})*"
                lines += [f"- **{p.doc}** ({p.date}) {where}{flag}", "",
                          f"  > {md_cell(p.text)}", ""]
            for step in al.steps:
                lines += [f"#### {step.a.doc} → {step.b.doc} "
                          f"(similarity {step.diff.similarity:.2f})", "",
                          ops_markdown(step.diff.ops), ""]
                if step.diff.figures:
                    lines += ["| before | after | context |", "|---|---|---|"]
                    for f in (fig.to_dict() for fig in step.diff.figures):
                        lines.append(f"| {md_cell(str(f.get('a') or '—'))} | "
                                     f"{md_cell(str(f.get('b') or '—'))} | "
                                     f"{md_cell(str(f.get('context') or ''))} |")
                    lines.append("")
    lines += ["## Provenance", ""]
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
    return "\n".join(lines)


def _matrix(rows: list[TargetRow], documents: list[dict[str, Any]]
            ) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """Metric × document (date order): the documents that have figures, and one row a metric."""
    docs = [d["id"] for d in documents if any(r.doc == d["id"] for r in rows)]
    by_metric: dict[str, dict[str, list[str]]] = {}
    names: dict[str, str] = {}
    for r in rows:
        names[r.metric] = r.metric_name
        by_metric.setdefault(r.metric, {}).setdefault(r.doc, []).append(r.cell)
    table = [(names[m], ["; ".join(cells.get(d, [])) for d in docs])
             for m, cells in by_metric.items()]
    return docs, table


def _md_target_table(rows: list[TargetRow], documents: list[dict[str, Any]]) -> list[str]:
    if not rows:
        return ["*None.*", ""]
    docs, table = _matrix(rows, documents)
    dates = {d["id"]: d["date"] for d in documents}
    out = ["| metric | " + " | ".join(f"`{d}` ({dates[d]})" for d in docs) + " |",
           "|---|" + "---|" * len(docs)]
    for name, cells in table:
        out.append(f"| {md_cell(name)} | " + " | ".join(md_cell(c) or "—" for c in cells) + " |")
    out.append("")
    return out


def _md_sources_table(rows: list[TargetRow]) -> list[str]:
    out = ["| figure | document | § | sentence |", "|---|---|---|---|"]
    for r in rows:
        out.append(f"| {md_cell(r.cell)} | `{r.doc}` | {md_cell(r.section)} | "
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
"""


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(report: Report) -> str:
    """One self-contained page (inline CSS, no scripts), side-by-side diffs."""
    prov = report.provenance
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             f"<title>{_h(report.title)}</title><style>{_CSS}</style></head><body>",
             f"<h1>{_h(report.title)}</h1>",
             f'<p class="meta">Generated {_h(report.date)} by policydiff {_h(prov["version"])}'
             f' · alignments at commit <code>{_h((prov.get("commit") or "none")[:12])}</code>'
             + (" (uncommitted changes)" if prov.get("dirty") else "") + "</p>",
             "<nav><a href='#corpus'>Corpus</a> · <a href='#targets'>Targets</a> · "
             + " · ".join(f"<a href='#theme-{_h(t.id)}'>{_h(t.name_zh)}</a>"
                          for t in report.themes)
             + " · <a href='#provenance'>Provenance</a></nav>",
             "<h2 id='corpus'>Corpus</h2><table><tr><th>id</th><th>date</th><th>kind</th>"
             "<th>policy</th>"
             "<th>issuer</th><th>source</th></tr>"]
    for d in report.documents:
        parts.append(f"<tr><td><code>{_h(d['id'])}</code></td><td>{_h(d['date'])}</td>"
                     f"<td>{_h(d['kind'])}</td><td>{_h(d['policy'])}</td>"
                     f"<td>{_h(d['issuer'])}</td><td>{_h(d['source'])}</td></tr>")
    parts.append("</table><h2 id='targets'>Targets</h2>")
    parts.append(_html_target_table(report.targets, report.documents))
    if report.baselines:
        parts.append("<h3>Baselines (figures already reached)</h3>")
        parts.append(_html_target_table(report.baselines, report.documents))
    for theme in report.themes:
        parts.append(f"<h2 id='theme-{_h(theme.id)}'>{_h(theme.name_zh)} · "
                     f"{_h(theme.name_en)}</h2>")
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
                if p.absent:
                    parts.append(f"<li class='absent'><b>{_h(p.doc)}</b> ({_h(p.date)}): "
                                 f"no comparable passage {_h(p.note)}</li>")
                elif p.status == "orphaned":
                    parts.append(f"<li class='orphaned'><b>{_h(p.doc)}</b> ({_h(p.date)}): "
                                 f"anchor orphaned ({_h(p.reason)})</li>")
                else:
                    parts.append(f"<li><b>{_h(p.doc)}</b> ({_h(p.date)}) §{_h(p.section)} "
                                 f"{_h(p.section_label)}<blockquote>{_h(p.text)}</blockquote>"
                                 "</li>")
            parts.append("</ul>")
            for step in al.steps:
                left = "".join(_h(t) if op == 0 else f"<del>{_h(t)}</del>"
                               for op, t in step.diff.ops if op <= 0)
                right = "".join(_h(t) if op == 0 else f"<ins>{_h(t)}</ins>"
                                for op, t in step.diff.ops if op >= 0)
                parts.append(f"<h4>{_h(step.a.doc)} → {_h(step.b.doc)} "
                             f"(similarity {step.diff.similarity:.2f})</h4>"
                             f"<div class='sbs'><div>{left}</div><div>{right}</div></div>")
                if step.diff.figures:
                    parts.append("<table><tr><th>before</th><th>after</th><th>context</th></tr>")
                    for f in (fig.to_dict() for fig in step.diff.figures):
                        parts.append(f"<tr><td>{_h(str(f.get('a') or '—'))}</td>"
                                     f"<td>{_h(str(f.get('b') or '—'))}</td>"
                                     f"<td>{_h(str(f.get('context') or ''))}</td></tr>")
                    parts.append("</table>")
    parts.append("<h2 id='provenance'>Provenance</h2><ul>")
    if prov.get("commit"):
        parts.append(f"<li>alignments: commit <code>{_h(prov['commit'])}</code>"
                     + (", uncommitted changes" if prov.get("dirty") else ", clean") + "</li>")
    else:
        parts.append(f"<li>alignments: not in a git repository "
                     f"({_h(prov.get('git_error', ''))})</li>")
    parts.append(f"<li>policydiff {_h(prov['version'])}</li></ul><table>"
                 "<tr><th>corpus file</th><th>sha256</th></tr>")
    for f in prov["corpus"]:
        parts.append(f"<tr><td><code>{_h(f['file'])}</code></td>"
                     f"<td><code>{_h(f['sha256'])}</code></td></tr>")
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


def _html_target_table(rows: list[TargetRow], documents: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p><em>None.</em></p>"
    docs, table = _matrix(rows, documents)
    dates = {d["id"]: d["date"] for d in documents}
    out = ["<table><tr><th>metric</th>"
           + "".join(f"<th><code>{_h(d)}</code> ({_h(dates[d])})</th>" for d in docs) + "</tr>"]
    for name, cells in table:
        out.append(f"<tr><td>{_h(name)}</td>"
                   + "".join(f"<td>{_h(c) or '—'}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "".join(out)
