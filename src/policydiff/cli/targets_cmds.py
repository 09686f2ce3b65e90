"""``policydiff targets``: the figures of every document, metric by metric, in date order."""

from __future__ import annotations

from collections.abc import Iterable

import click

from policydiff.cli.app import cli, console, emit_json, format_option, get_project

KIND_CHOICES = ("all", "target", "baseline")


def _value(value: float | int | None, value_max: float | int | None) -> str:
    def fmt(x: float | int | None) -> str:
        if x is None:
            return ""
        return str(int(x)) if float(x).is_integer() else f"{x:.4g}"

    return fmt(value) + (f"-{fmt(value_max)}" if value_max is not None else "")


def _rows(targets: Iterable, order: list[str], dates: dict[str, str]) -> list[dict]:
    """One row per distinct figure of a document (a figure repeated in a report counts once)."""
    from policydiff.core.targets import distinct_figures

    rows = [{"metric": t.metric, "doc": t.doc, "date": dates.get(t.doc, ""), "kind": t.kind,
             "value": _value(t.value, t.value_max), "unit": t.unit,
             "year": "" if t.year is None else str(t.year), "qualifier": t.qualifier,
             "figure": t.figure, "section": t.section, "times": times, "source": t.source,
             "start": t.start}
            for t, times in distinct_figures(targets)]
    rank = {key: i for i, key in enumerate(order)}
    doc_rank = {doc: i for i, doc in enumerate(dates)}
    return sorted(rows, key=lambda r: (rank.get(r["metric"], len(rank)),
                                                doc_rank.get(r["doc"], 0), r["start"]))


@cli.command("targets")
@click.option("--metric", "metric", default=None, metavar="M",
              help="Only this metric (a key from alignments/metrics.yaml, e.g. industry-scale).")
@click.option("--kind", type=click.Choice(KIND_CHOICES), default="all", show_default=True,
              help="Goals (target), levels already reached (baseline), or both.")
@click.option("--doc", "docs", multiple=True, metavar="D",
              help="Only this document (repeatable).")
@click.option("--raw", is_flag=True,
              help="Ignore reviewers' corrections in alignments/target-overrides.yaml.")
@format_option("table", "json", "md")
def targets_cmd(metric: str | None, kind: str, docs: tuple[str, ...], raw: bool,
                fmt: str) -> None:
    """Quantitative figures of each policy: metric × document in date order.

    Each figure has a value (as written, 4000 for 4000亿元), unit, year (deadline of a
    target, as-of year of a baseline) and qualifier (超过, 以上, 左右, 力争 …).
    """
    from policydiff.core.metrics import OTHER, load_metrics
    from policydiff.core.targets import load_targets
    from policydiff.store.corpus import load_corpus

    project = get_project()
    corpus = load_corpus(project)
    for doc in docs:
        corpus.get(doc)  # unknown id: one clear error line
    metrics = load_metrics(project)
    if metric is not None and metric != OTHER:
        metrics.get(metric)
    targets = load_targets(project, corpus, docs=docs or None, overrides=not raw)
    targets = [t for t in targets if (metric is None or t.metric == metric)
               and (kind == "all" or t.kind == kind)]
    if fmt == "json":
        emit_json([t.to_dict() for t in targets])
        return
    dates = {doc.id: doc.date for doc in corpus.documents()}
    rows = _rows(targets, [*metrics.keys, OTHER], dates)
    if fmt == "md":
        click.echo(_markdown(rows, metrics))
        return
    _table(rows, metrics)


def _table(rows: list[dict], metrics) -> None:
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


def _markdown(rows: list[dict], metrics) -> str:
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
