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
    from policydiff.core.targets import TargetRow

KIND_CHOICES = ("all", "target", "baseline")


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
             "section": r.section, "times": r.times, "source": r.target.source}
            for r in table]


@cli.command("targets")
@click.option("--metric", "metric", default=None, metavar="M",
              help="Only this metric (a key from alignments/metrics.yaml, e.g. industry-scale).")
@click.option("--kind", type=click.Choice(KIND_CHOICES), default="all", show_default=True,
              help="Goals (target), levels already reached (baseline), or both.")
@doc_option()
@click.option("--raw", is_flag=True,
              help="Ignore reviewers' corrections in alignments/target-overrides.yaml.")
@format_option("table", "json", "md")
def targets_cmd(metric: str | None, kind: str, docs: tuple[str, ...], raw: bool,
                fmt: str) -> None:
    """Quantitative figures of each policy: metric × document in date order.

    Each figure has a value (as written, 4000 for 4000亿元), unit, year (deadline of a
    target, as-of year of a baseline) and qualifier (超过, 以上, 左右, 力争 …).
    """
    project = get_policy_project()
    if fmt == "json":
        emit_json([t.to_dict() for t in project.targets(docs, metric, kind, overrides=not raw)])
        return
    rows = _rows(project.targets_table(docs, metric, kind, overrides=not raw))
    if fmt == "md":
        click.echo(_markdown(rows, project.metrics))
        return
    _table(rows)


def _table(rows: list[dict]) -> None:
    from rich.table import Table

    table = Table(title=f"{len(rows)} figures", header_style="bold", show_lines=False)
    for col in ("metric", "document", "date", "kind", "value", "unit", "year", "qualifier",
                "figure"):
        table.add_column(col, overflow="fold", no_wrap=col != "figure")
    previous = None
    for i, r in enumerate(rows):
        last_of_group = i + 1 == len(rows) or rows[i + 1]["metric"] != r["metric"]
        label = r["metric"] if r["metric"] != previous else ""
        previous = r["metric"]
        figure = r["figure"] + (f" ×{r['times']}" if r["times"] > 1 else "")
        if r["source"] != "extracted":
            figure += f" ({r['source']})"
        table.add_row(label, r["doc"], r["date"], r["kind"], r["value"], r["unit"], r["year"],
                      r["qualifier"], figure, end_section=last_of_group)
    out = console()
    if not out.is_terminal:
        out.width = max(out.width, 140)  # piped: keep one row per line rather than folding ids
    out.print(table)


def _markdown(rows: list[dict], metrics: MetricSet) -> str:
    out: list[str] = []
    current = None
    for r in rows:
        if r["metric"] != current:
            current = r["metric"]
            out += ["", f"### {metrics.name(current)} (`{current}`)", "",
                    "| document | date | kind | value | unit | year | qualifier | figure |",
                    "|---|---|---|---|---|---|---|---|"]
        cells = [r["doc"], r["date"], r["kind"], r["value"], r["unit"], r["year"],
                 r["qualifier"], r["figure"]]
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out).strip() + "\n" if out else "No figures.\n"
