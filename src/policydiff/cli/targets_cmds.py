"""``policydiff targets``: the figures of every document, metric by metric, in date order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import click

from policydiff.cli.app import (
    cli,
    console,
    doc_option,
    emit_json,
    format_option,
    get_policy_project,
)

if TYPE_CHECKING:
    from policydiff.core.metrics import MetricSet
    from policydiff.core.progress import Progress
    from policydiff.core.targets import TargetRow

KIND_CHOICES = ("all", "target", "baseline", "forecast", "estimate")


def _value(value: float | int | None, value_max: float | int | None) -> str:
    def fmt(x: float | int | None) -> str:
        if x is None:
            return ""
        return str(int(x)) if float(x).is_integer() else f"{x:.4g}"

    return fmt(value) + (f"-{fmt(value_max)}" if value_max is not None else "")


def _rows(table: Iterable[TargetRow]) -> list[dict]:
    """The table's rows as the CLI prints them (one per distinct figure of a document)."""
    return [{"metric": r.metric, "doc": r.doc, "date": r.date, "kind": r.kind,
             "value": _value(r.target.value, r.target.value_max), "unit": r.target.unit,
             "year": r.year, "qualifier": r.target.qualifier, "figure": r.figure,
             "section": r.section, "times": r.times, "source": r.target.source,
             "scope": r.target.scope, "jurisdiction": r.target.jurisdiction,
             "speaker": r.target.speaker,
             "year_range": r.year + (f"-{r.target.year_max}" if r.target.year_max else "")}
            for r in table]


@cli.command("targets")
@click.option("--metric", "metric", default=None, metavar="M",
              help="Only this metric (a key from alignments/metrics.yaml, e.g. industry-scale).")
@click.option("--kind", type=click.Choice(KIND_CHOICES), default="all", show_default=True,
              help="Goals (target), levels reached (baseline), expectations (forecast), "
                   "a speaker's or third party's figures (estimate), or all.")
@click.option("--progress", "show_progress", is_flag=True,
              help="Each target with a deadline against the later figures of the same "
                   "metric, scope and jurisdiction: met, not met, not comparable, or no "
                   "later figure; with implied annual growth and ratios.")
@doc_option()
@click.option("--raw", is_flag=True,
              help="Ignore reviewers' corrections in alignments/target-overrides.yaml.")
@format_option("table", "json", "md")
def targets_cmd(metric: str | None, kind: str, show_progress: bool, docs: tuple[str, ...],
                raw: bool, fmt: str) -> None:
    """Quantitative figures of each policy: metric × document in date order.

    Each figure has a value (as written, 4000 for 4000亿元), unit, year (deadline of a
    target, as-of year of a baseline) and qualifier (超过, 以上, 左右, 力争 …).

    \b
    Examples:
      policydiff targets --metric industry-scale
      policydiff targets --progress --format md
      policydiff targets --kind estimate --doc 2022-lingang-plan
    """
    project = get_policy_project()
    if show_progress:
        _progress(project.progress(docs, metric, overrides=not raw), project.metrics, fmt)
        return
    if fmt == "json":
        emit_json([t.to_dict() for t in project.targets(docs, metric, kind, overrides=not raw)])
        return
    table = project.targets_table(docs, metric, kind, overrides=not raw)
    from policydiff.core.targets import series_warnings

    warnings = series_warnings(table)
    rows = _rows(table)
    if fmt == "md":
        click.echo(_markdown(rows, project.metrics, warnings))
        return
    _table(rows, warnings)


def _table(rows: list[dict], warnings: dict[str, str] | None = None) -> None:
    from rich.table import Table

    warnings = warnings or {}
    table = Table(title=f"{len(rows)} figures", header_style="bold", show_lines=False)
    for col in ("metric", "document", "date", "kind", "value", "unit", "year", "scope",
                "place", "qualifier", "figure"):
        table.add_column(col, overflow="fold", no_wrap=col != "figure")
    previous = None
    for i, r in enumerate(rows):
        last_of_group = i + 1 == len(rows) or rows[i + 1]["metric"] != r["metric"]
        label = r["metric"] if r["metric"] != previous else ""
        previous = r["metric"]
        figure = r["figure"] + (f" ×{r['times']}" if r["times"] > 1 else "")
        if r["source"] != "extracted":
            figure += f" ({r['source']})"
        if r["speaker"]:
            figure += f" [{r['speaker']}]"
        table.add_row(label, r["doc"], r["date"], r["kind"], r["value"], r["unit"],
                      r["year_range"], r["scope"], r["jurisdiction"], r["qualifier"], figure,
                      end_section=last_of_group)
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 160)  # piped: keep one row per line rather than folding ids
    out.print(table)
    for metric, warning in warnings.items():
        out.print(f"⚠ {metric}: {warning}", highlight=False)


def _markdown(rows: list[dict], metrics: MetricSet,
              warnings: dict[str, str] | None = None) -> str:
    warnings = warnings or {}
    out: list[str] = []
    current = None
    for r in rows:
        if r["metric"] != current:
            current = r["metric"]
            out += ["", f"### {metrics.name(current)} (`{current}`)", ""]
            if current in warnings:
                out += [f"> ⚠ {warnings[current]}", ""]
            out += ["| document | date | kind | value | unit | year | scope | place | "
                    "qualifier | figure | speaker |", "|" + "---|" * 11]
        cells = [r["doc"], r["date"], r["kind"], r["value"], r["unit"], r["year_range"],
                 r["scope"], r["jurisdiction"], r["qualifier"], r["figure"], r["speaker"]]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out).strip() + "\n" if out else "No figures.\n"


def _pct(x: float | None) -> str:
    return "" if x is None else f"{x * 100:+.1f}%"


def _fig(t) -> str:
    if t is None:
        return ""
    extra = ", ".join(x for x in (t.scope, t.jurisdiction) if x)
    return f"{t.figure} ({t.year}{', ' + extra if extra else ''}; {t.doc})"


def _progress(rows: list[Progress], metrics: MetricSet, fmt: str) -> None:
    """Render progress verdicts: a table, Markdown with evidence sentences, or JSON."""
    if fmt == "json":
        emit_json([p.to_dict() for p in rows])
        return
    if fmt == "md":
        out = ["| metric | target | document | verdict | against | CAGR | × previous | "
               "share of city | notes |", "|---|---|---|---|---|---|---|---|---|"]
        for p in rows:
            share = "" if p.share_of_parent is None else f"{p.share_of_parent:.0%}"
            ratio = "" if p.ratio_to_previous is None else f"{p.ratio_to_previous:.2f}"
            cells = [p.target.metric, _fig(p.target), p.target.doc, p.verdict,
                     _fig(p.compared), _pct(p.cagr), ratio, share, "; ".join(p.notes)]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
        for p in rows:
            if p.compared is not None:
                out.append(f"- **{_fig(p.target)}** — {p.verdict}: “{p.compared.text}”")
        click.echo("\n".join(out) + "\n")
        return
    from rich.table import Table

    table = Table(title=f"{len(rows)} targets with a deadline", header_style="bold")
    for col in ("metric", "target", "verdict", "against", "CAGR", "× prev", "share of city",
                "notes"):
        table.add_column(col, overflow="fold")
    for p in rows:
        table.add_row(
            p.target.metric, _fig(p.target), p.verdict, _fig(p.compared), _pct(p.cagr),
            "" if p.ratio_to_previous is None else f"{p.ratio_to_previous:.2f}",
            "" if p.share_of_parent is None else f"{p.share_of_parent:.0%}",
            "; ".join(p.notes))
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 160)
    out.print(table)
    for p in rows:
        if p.compared is not None:
            out.print(f"[bold]{_fig(p.target)}[/] — {p.verdict}: “{p.compared.text}”",
                      highlight=False)
